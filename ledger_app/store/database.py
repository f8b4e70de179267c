"""Opening a ledger file: SQLite settings for safety, identification, and migrations.

Everything up to the schema check (is it a ledger, crash recovery, is it at the newest schema) is
done with sqlite3 alone (``inspect_ledger_file``); SQLAlchemy is imported only when an engine is
made, so the GUI can read its first list of tasks before SQLAlchemy has loaded (services/first_read.py).
"""

from __future__ import annotations

import logging
import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ledger_app.domain.errors import LedgerError, NewerLedgerError, NotALedgerError
from ledger_app.resources import migrations_path

from .backup import backup_copy
from .errors import damaged, read_only, storage_error
from .fileops import make_dirs
from .sqlite_uri import sqlite_uri

if TYPE_CHECKING:
    from sqlalchemy import Engine
    from sqlalchemy.engine import Connection

log = logging.getLogger(__name__)

# The newest migration this release knows. Kept here so opening an up-to-date ledger does not
# have to import alembic and parse the scripts (tests check it equals alembic's head).
SCHEMA_HEAD = "0003"
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


# Execution option marking a connection that only reads: its transactions start deferred.
READ_ONLY_OPTION = "ledger_read_only"


def _on_begin(conn: Connection) -> None:
    # Writers start as writers. A deferred transaction that reads first and then writes gets
    # SQLITE_BUSY at once when another connection holds the write lock (SQLite will not wait there,
    # to avoid deadlock), so busy_timeout never helps it; BEGIN IMMEDIATE waits its turn instead.
    read_only = conn.get_execution_options().get(READ_ONLY_OPTION, False)
    conn.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")


def make_engine(path: Path, *, read_only: bool = False) -> Engine:
    """An engine on ``path``; ``read_only`` opens the file with ``mode=ro`` (read-only media, a
    ledger another program holds), where every transaction is a reader."""
    # NullPool: every session gets a fresh connection; nothing holds the file open between uses,
    # which matters on Windows where an open file cannot be replaced or moved.
    from sqlalchemy import URL, create_engine, event
    from sqlalchemy.pool import NullPool

    # URL.create, not an "sqlite:///…" string: a "?" or "%25" in a folder name would be parsed as URL syntax.
    if read_only:
        url = URL.create("sqlite", database=sqlite_uri(path, "ro"), query={"uri": "true"})
    else:
        url = URL.create("sqlite", database=str(path))
    engine = create_engine(url, poolclass=NullPool)
    event.listen(engine, "connect", _on_connect)
    event.listen(engine, "begin", _on_begin)
    if read_only:
        engine = engine.execution_options(**{READ_ONLY_OPTION: True})
    return engine


def reader(engine: Engine) -> Engine:
    """The same engine for transactions that only read (they start deferred, sharing the file)."""
    return engine.execution_options(**{READ_ONLY_OPTION: True})


def is_writable(path: Path) -> bool:
    """Can this program write the ledger and create its journal beside it?"""
    return os.access(path, os.W_OK) and os.access(path.parent, os.W_OK | os.X_OK)


def _journal(path: Path) -> Path:
    return path.with_name(path.name + "-journal")


def has_hot_journal(path: Path) -> bool:
    """A rollback journal left by a program that stopped mid-save (a crash, a power cut)."""
    try:
        return _journal(path).stat().st_size > 0
    except OSError:
        return False


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


def _probe(path: Path, *, create: bool, read_only: bool) -> tuple[set[str], str | None, int]:
    """Read the schema state. The probe opens read-write whenever it may: a read-write connection
    rolls back the hot journal a crash left behind (silently, as SQLite promises), while a read-only
    one cannot and fails with "attempt to write a readonly database" on a perfectly healthy file."""
    if create:
        mode = "rwc"
    elif read_only or not is_writable(path):
        mode = "ro"
        if has_hot_journal(path) and not is_writable(path):
            raise read_only_error_for_crash(path)
    else:
        mode = "rw"
    try:
        probe = sqlite3.connect(sqlite_uri(path, mode), uri=True)
        try:
            return _schema_state(probe)
        finally:
            probe.close()
    except sqlite3.DatabaseError as exc:
        known = storage_error(exc, path)
        if known is not None and not isinstance(known, NotALedgerError):
            raise known from exc  # locked, vanished, read-only: not a damaged file
        raise NotALedgerError(
            f"台账文件已损坏或不是台账文件:{path}({exc})", f"damaged or not a ledger: {path} ({exc})"
        ) from exc


def read_only_error_for_crash(path: Path) -> LedgerError:
    error = read_only(path)
    return type(error)(
        f"台账上次没有正常关闭,需要先恢复,但文件或所在位置是只读的:{path}。"
        "请把台账文件(连同旁边的 -journal 文件)复制到可写的位置后再打开。",
        f"the ledger was not closed properly and needs recovery, but it is read-only: {path}",
    )


def quick_check(path: Path, *, read_only: bool = False) -> None:
    """Refuse a ledger whose pages are damaged (PRAGMA quick_check): only a backup helps then."""
    try:
        conn = sqlite3.connect(sqlite_uri(path, "ro" if read_only else "rw"), uri=True)
        try:
            rows = [row[0] for row in conn.execute("PRAGMA quick_check").fetchall()]
        finally:
            conn.close()
    except Exception as exc:
        known = storage_error(exc, path)
        if known is None:
            raise
        raise known from exc
    if rows != ["ok"]:
        raise damaged(path, "; ".join(str(r) for r in rows[:3]))


@dataclass(frozen=True, slots=True)
class LedgerFileState:
    """What ``inspect_ledger_file`` found: the schema version (None: a new, empty file)."""

    version: str | None

    @property
    def at_head(self) -> bool:
        """Readable as it is: no migration (and so no alembic, no backup) is needed."""
        return self.version == SCHEMA_HEAD


def inspect_ledger_file(path: Path, *, create: bool = False, read_only: bool = False) -> LedgerFileState:
    """Every check ``open_ledger_engine`` makes before it needs SQLAlchemy, with the same errors.

    A hot journal left by a crash is rolled back here (by the read-write probe), and the file is
    then checked for damage, so whoever reads next (an engine, or the plain sqlite3 first read of the
    GUI) sees the last committed state.
    """
    path = Path(path)
    if create and not path.exists():
        make_dirs(path.parent)
    else:
        _check_file(path, allow_empty=create)
    crashed = has_hot_journal(path)
    tables, version, app_id = _probe(path, create=create, read_only=read_only)

    if tables and version is None:
        raise NotALedgerError(
            f"这个数据库不是整改台账文件:{path}", f"an SQLite database, but not a ledger: {path}"
        )
    if version is not None and app_id not in (0, APPLICATION_ID):
        raise NotALedgerError(f"这个数据库不是整改台账文件:{path}", f"not a ledger: {path}")
    if crashed:
        # The probe rolled back what a crash left half-done; make sure nothing else is amiss.
        log.warning("ledger %s was not closed properly; recovered from its journal", path)
        quick_check(path, read_only=read_only)
    return LedgerFileState(version)


def open_ledger_engine(path: Path, *, create: bool = False, read_only: bool = False) -> Engine:
    """An engine on an up-to-date ledger; creates or upgrades the schema as needed.

    Raises NotALedgerError for a missing file (unless ``create``), a file that is not SQLite or
    an SQLite file of another program, and NewerLedgerError for a ledger of a newer release.
    An upgrade first copies the ledger to a timestamped backup; a failed upgrade leaves the
    file as it was (the migration runs in one transaction). ``read_only`` never writes the file
    (and so refuses a ledger that would need an upgrade).
    """
    path = Path(path)
    version = inspect_ledger_file(path, create=create, read_only=read_only).version
    engine = make_engine(path, read_only=read_only)
    if version == SCHEMA_HEAD:
        return engine
    if read_only:
        engine.dispose()
        raise read_only_upgrade_error(path)
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


def read_only_upgrade_error(path: Path) -> LedgerError:
    error = read_only(path)
    return type(error)(
        f"这个台账由旧版本软件创建,需要升级后才能打开,但现在只能以只读方式打开:{path}。"
        "请在没有其他程序打开它、且文件可写时再打开一次(会先自动备份再升级)。",
        f"this ledger needs an upgrade but is opened read-only: {path}",
    )
