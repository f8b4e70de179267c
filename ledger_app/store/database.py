"""Opening a ledger file: SQLite settings for safety, identification, and migrations."""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path
from typing import Any

from sqlalchemy import URL, Engine, create_engine, event
from sqlalchemy.engine import Connection
from sqlalchemy.pool import NullPool

from ledger_app.domain.errors import NewerLedgerError, NotALedgerError
from ledger_app.resources import migrations_path

from .backup import backup_copy
from .sqlite_uri import sqlite_uri

log = logging.getLogger(__name__)

# The newest migration this release knows. Kept here so opening an up-to-date ledger does not
# have to import alembic and parse the scripts (tests check it equals alembic's head).
SCHEMA_HEAD = "0002"
# PRAGMA application_id marks a file as one of our ledgers ("LEDG").
APPLICATION_ID = 0x4C454447
_SQLITE_MAGIC = b"SQLite format 3\x00"


def _on_connect(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
    # Let SQLAlchemy's "begin" event issue BEGIN itself, so transactions (DDL included) are real.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    # Rollback journal rather than WAL: clerks copy the .sqlite3 file to USB sticks, and with WAL a
    # copy of the main file alone can miss committed transactions still sitting in the -wal file.
    cursor.execute("PRAGMA journal_mode=DELETE")
    # FULL: a committed edit survives a power cut, at the price of an fsync per commit.
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


def _on_begin(conn: Connection) -> None:
    conn.exec_driver_sql("BEGIN")


def make_engine(path: Path) -> Engine:
    # NullPool: every session gets a fresh connection; nothing holds the file open between uses,
    # which matters on Windows where an open file cannot be replaced or moved.
    # URL.create, not an "sqlite:///…" string: a "?" or "%25" in a folder name would be parsed as URL syntax.
    engine = create_engine(URL.create("sqlite", database=str(path)), poolclass=NullPool)
    event.listen(engine, "connect", _on_connect)
    event.listen(engine, "begin", _on_begin)
    return engine


def _check_file(path: Path, *, allow_empty: bool) -> None:
    if not path.exists():
        raise NotALedgerError(f"找不到台账文件:{path}", f"ledger file not found: {path}")
    if path.is_dir():
        raise NotALedgerError(f"这是一个文件夹,不是台账文件:{path}", f"not a ledger file (a folder): {path}")
    try:
        with path.open("rb") as fh:
            head = fh.read(len(_SQLITE_MAGIC))
    except OSError as exc:
        raise NotALedgerError(
            f"无法读取台账文件:{path}({exc.strerror})", f"cannot read {path}: {exc}"
        ) from exc
    if not head and not allow_empty:
        # An empty file is what a failed copy leaves behind; turning it into an empty ledger on a
        # mere "open" would hide the loss (and write to a file the clerk only meant to read).
        raise NotALedgerError(f"台账文件是空的(0 字节):{path}", f"the ledger file is empty (0 bytes): {path}")
    if head and head != _SQLITE_MAGIC:
        raise NotALedgerError(
            f"不是整改台账文件(文件格式不对):{path}", f"not a ledger (not an SQLite database): {path}"
        )


def _schema_state(conn: sqlite3.Connection) -> tuple[set[str], str | None, int]:
    tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    version = None
    if "alembic_version" in tables:
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        version = row[0] if row else None
    app_id = conn.execute("PRAGMA application_id").fetchone()[0]
    return tables, version, app_id


def known_revisions() -> list[str]:
    from alembic.script import ScriptDirectory

    script = ScriptDirectory(str(migrations_path()))
    return [rev.revision for rev in script.walk_revisions()]


def _upgrade(engine: Engine) -> None:
    from alembic import command
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(migrations_path()))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
        conn.exec_driver_sql(f"PRAGMA application_id={APPLICATION_ID}")


def open_ledger_engine(path: Path, *, create: bool = False) -> Engine:
    """An engine on an up-to-date ledger; creates or upgrades the schema as needed.

    Raises NotALedgerError for a missing file (unless ``create``), a file that is not SQLite or
    an SQLite file of another program, and NewerLedgerError for a ledger of a newer release.
    An upgrade first copies the ledger to a timestamped backup; a failed upgrade leaves the
    file as it was (the migration runs in one transaction).
    """
    path = Path(path)
    if create and not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
    else:
        _check_file(path, allow_empty=create)
    try:
        probe = sqlite3.connect(sqlite_uri(path, "rwc" if create else "ro"), uri=True)
        try:
            tables, version, app_id = _schema_state(probe)
        finally:
            probe.close()
    except sqlite3.DatabaseError as exc:
        raise NotALedgerError(
            f"台账文件已损坏或不是台账文件:{path}({exc})", f"damaged or not a ledger: {path} ({exc})"
        ) from exc

    if tables and version is None:
        raise NotALedgerError(
            f"这个数据库不是整改台账文件:{path}", f"an SQLite database, but not a ledger: {path}"
        )
    if version is not None and app_id not in (0, APPLICATION_ID):
        raise NotALedgerError(f"这个数据库不是整改台账文件:{path}", f"not a ledger: {path}")

    engine = make_engine(path)
    if version == SCHEMA_HEAD:
        return engine
    if version is not None:
        if version not in known_revisions():
            engine.dispose()
            raise NewerLedgerError(
                f"此台账由更新版本的软件创建(数据库版本 {version}),请升级本软件后再打开。",
                f"this ledger was made by a newer release (schema {version}); upgrade the app to open it.",
            )
        backup = backup_copy(path, f"before-upgrade-{version}")
        log.info("ledger %s upgraded from %s; backup at %s", path, version, backup)
    _upgrade(engine)
    return engine
