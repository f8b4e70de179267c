"""The Ledger facade's core: opening a ledger file and running each clerk action as one transaction.

The parts of the facade (services/__init__.py) hold the clerk's actions; the core gives them the
file, the operator and two context managers, ``changing(reason)`` and ``reading()``. Those two are
for the services only: the GUI and the CLI call the parts' methods, never a session of their own.
"""

from __future__ import annotations

import logging
import sqlite3
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Self

from ledger_app.domain.errors import ReadOnlyLedgerError
from ledger_app.store.database import is_writable, open_ledger_engine, reader
from ledger_app.store.errors import storage_error
from ledger_app.store.lock import LedgerLock

from .ledger_open import acquire_lock, default_actor, default_ledger_path, read_only_file

# SQLAlchemy is imported where a ledger is opened, not here: the GUI imports ``Ledger`` before it
# paints its first list, which it reads without SQLAlchemy (services/first_read.py).
if TYPE_CHECKING:
    from sqlalchemy import Engine
    from sqlalchemy.orm import Session

log = logging.getLogger(__name__)

__all__ = ["LedgerCore", "default_actor", "default_ledger_path", "read_only_file"]


class LedgerCore:
    """Holds the engine; every clerk action of the parts runs in ``changing()`` or ``reading()``."""

    def __init__(
        self,
        path: Path,
        engine: Engine,
        actor: str,
        *,
        lock: LedgerLock | None = None,
        read_only: bool = False,
    ) -> None:
        self.path = path
        self.engine = engine
        self.actor = actor
        self.lock = lock
        self.read_only = read_only
        from sqlalchemy.orm import sessionmaker

        from . import audit  # the models with it

        self._sessions = sessionmaker(engine, expire_on_commit=False)
        self._reader_sessions = sessionmaker(reader(engine), expire_on_commit=False)
        audit.install(self._sessions)

    @classmethod
    def open(
        cls,
        path: Path | str | None = None,
        *,
        create: bool = False,
        actor: str | None = None,
        read_only: bool = False,
        lock: bool = True,
    ) -> Self:
        """Open (and upgrade) a ledger file; ``create`` makes a new one when it does not exist.

        A writer takes the ledger's lock file (``lock=False`` for a command that only reads, which
        opens read-only media read-only);
        ``read_only`` opens without the lock, refusing every change (another program holds the
        ledger, or it is on read-only media). Raises LedgerLockedError when another program holds
        it, ReadOnlyStorageError when the file cannot be written.
        """
        target = Path(path) if path is not None else default_ledger_path()
        who = actor or default_actor()
        held: LedgerLock | None = None
        if not read_only and target.exists() and not is_writable(target):
            if lock:
                raise read_only_file(target)
            read_only = True  # a command that only reads goes on reading from read-only media
        if not read_only and lock:
            held = acquire_lock(target, who, create=create)
        try:
            engine = open_ledger_engine(target, create=create, read_only=read_only)
        except BaseException:
            if held is not None:
                held.release()
            raise
        return cls(target, engine, who, lock=held, read_only=read_only)

    def close(self) -> None:
        self.engine.dispose()
        if self.lock is not None:
            self.lock.release()
            self.lock = None

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def attachments_dir(self) -> Path:
        """The attachment store beside the ledger file: ``ledger.files/``."""
        return self.path.with_name(f"{self.path.stem}.files")

    def check_writable(self) -> None:
        """Refuse a change before any work starts (a read-only ledger, a lost lock)."""
        if self.read_only:
            raise ReadOnlyLedgerError(
                "台账是以只读方式打开的,不能修改。要修改,请在没有其他程序打开它时重新打开。",
                "the ledger is open read-only; nothing can be changed",
            )
        if self.lock is not None and self.lock.lost:
            raise ReadOnlyLedgerError(
                "另一个程序已接管了这个台账(本程序的锁已失效),为免互相覆盖,本程序不再保存修改。"
                "请关闭后重新打开台账。",
                "another program took over the ledger's lock; this program no longer saves",
            )

    @contextmanager
    def changing(self, reason: str = "") -> Iterator[Session]:
        """One clerk action: one transaction, one change id for its audit rows (and for undo)."""
        self.check_writable()
        with _storage_errors(self.path), self._sessions() as session:
            session.info.update(
                change_id=str(uuid.uuid4()), actor=self.actor, reason=reason, now=datetime.now()
            )
            with session.begin():
                yield session

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A read-only transaction: what the reads of one clerk action see together."""
        with _storage_errors(self.path), self._reader_sessions() as session, session.begin():
            yield session


@contextmanager
def _storage_errors(path: Path) -> Iterator[None]:
    """Storage failures leave here as the clerk's words (store/errors.py), never as SQL."""
    from sqlalchemy.exc import DatabaseError, OperationalError  # loaded by then: the engine made it

    try:
        yield
    except (OperationalError, DatabaseError, OSError, sqlite3.Error) as exc:
        known = storage_error(exc, path)
        if known is None:
            raise
        raise known from exc
