"""The Ledger facade's core: opening a ledger file and running each clerk action as one transaction."""

from __future__ import annotations

import getpass
import logging
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Self

from platformdirs import user_data_dir
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from ledger_app.store.database import open_ledger_engine

from . import audit

log = logging.getLogger(__name__)

APP_NAME = "ledger_app"
DEFAULT_FILE_NAME = "ledger.sqlite3"


def default_ledger_path() -> Path:
    """``ledger.sqlite3`` in the user's data folder (%LOCALAPPDATA%\\ledger_app on Windows)."""
    return Path(user_data_dir(APP_NAME, appauthor=False)) / DEFAULT_FILE_NAME


def default_actor() -> str:
    """The OS user name, recorded in the audit log unless the clerk set an operator name."""
    try:
        return getpass.getuser()
    except (OSError, KeyError):  # no user name in the environment (some Windows services)
        return "未知用户"


class LedgerCore:
    """Holds the engine; every public method of the facade runs in ``self._change()`` or ``_read()``."""

    def __init__(self, path: Path, engine: Engine, actor: str) -> None:
        self.path = path
        self.engine = engine
        self.actor = actor
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        audit.install(self._sessions)

    @classmethod
    def open(cls, path: Path | str | None = None, *, create: bool = False, actor: str | None = None) -> Self:
        """Open (and upgrade) a ledger file; ``create`` makes a new one when it does not exist."""
        target = Path(path) if path is not None else default_ledger_path()
        engine = open_ledger_engine(target, create=create)
        return cls(target, engine, actor or default_actor())

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def attachments_dir(self) -> Path:
        """The attachment store beside the ledger file: ``ledger.files/``."""
        return self.path.with_name(f"{self.path.stem}.files")

    @contextmanager
    def _change(self, reason: str = "") -> Iterator[Session]:
        """One clerk action: one transaction, one change id for its audit rows (and for undo)."""
        with self._sessions() as session:
            session.info.update(
                change_id=str(uuid.uuid4()), actor=self.actor, reason=reason, now=datetime.now()
            )
            with session.begin():
                yield session

    @contextmanager
    def _read(self) -> Iterator[Session]:
        with self._sessions() as session, session.begin():
            yield session
