"""The one place that turns storage failures into words a clerk understands.

SQLite, SQLAlchemy and the operating system each report a full disk, a pulled USB stick or a
read-only folder in their own way (a result code, an errno, an English message with SQL in it).
Every layer that touches files or the database hands such an exception to ``storage_error`` and
raises what it returns, so the GUI and the CLI show the same Chinese sentence and never a traceback.
"""

from __future__ import annotations

import errno
import sqlite3
from pathlib import Path

from ledger_app.domain.errors import (
    DamagedLedgerError,
    DiskFullError,
    LedgerBusyError,
    LedgerError,
    ReadOnlyStorageError,
    StorageError,
    StorageGoneError,
)

# SQLite primary result codes (the low byte of the extended code).
_SQLITE_PERM = 3
_SQLITE_BUSY = 5
_SQLITE_LOCKED = 6
_SQLITE_READONLY = 8
_SQLITE_IOERR = 10
_SQLITE_CORRUPT = 11
_SQLITE_FULL = 13
_SQLITE_CANTOPEN = 14
_SQLITE_NOTADB = 26

_NOTHING_SAVED = "本次操作未保存任何内容,台账保持原样。"


def _where(path: Path | str | None) -> str:
    return f":{path}" if path else ""


def disk_full(path: Path | str | None = None) -> DiskFullError:
    return DiskFullError(
        f"磁盘空间不足{_where(path)}。{_NOTHING_SAVED}请清理磁盘或换一个位置后重试。",
        f"no space left on the disk{': ' + str(path) if path else ''}; nothing was saved",
    )


def read_only(path: Path | str | None = None) -> ReadOnlyStorageError:
    return ReadOnlyStorageError(
        f"文件或文件夹是只读的,不能写入{_where(path)}(可能在光盘、写保护的U盘上,或没有写入权限)。"
        f"{_NOTHING_SAVED}",
        f"the file or folder is read-only{': ' + str(path) if path else ''}; nothing was saved",
    )


def busy(path: Path | str | None = None) -> LedgerBusyError:
    return LedgerBusyError(
        f"台账正被另一个程序写入,等待后仍未轮到{_where(path)}。{_NOTHING_SAVED}请稍后再试。",
        "the ledger is busy: another program is writing to it; nothing was saved, try again",
    )


def gone(path: Path | str | None = None) -> StorageGoneError:
    return StorageGoneError(
        f"无法读写台账文件{_where(path)}:文件或所在的U盘、网络盘已不可用(是否已拔出或断开?)。"
        f"{_NOTHING_SAVED}请重新连接后再试。",
        "the ledger file or its drive is no longer reachable (USB stick pulled, network lost); nothing was saved",
    )


def damaged(path: Path | str | None, detail: str = "") -> DamagedLedgerError:
    return DamagedLedgerError(
        f"台账文件已损坏{_where(path)}{f'({detail})' if detail else ''}。请从备份恢复(文件 → 备份与恢复,或 ledger-cli restore)。",
        f"the ledger file is damaged{': ' + str(path) if path else ''} ({detail}); restore a backup",
    )


def _sqlite_code(exc: BaseException) -> int | None:
    code = getattr(exc, "sqlite_errorcode", None)
    return code & 0xFF if isinstance(code, int) else None


def _unwrap(exc: BaseException) -> BaseException:
    """SQLAlchemy wraps the driver's exception in ``.orig``."""
    orig = getattr(exc, "orig", None)
    return orig if isinstance(orig, BaseException) else exc


def storage_error(exc: BaseException, path: Path | str | None = None) -> StorageError | LedgerError | None:
    """The clerk's words for ``exc`` if it is a storage failure; None for anything else (a bug)."""
    if isinstance(exc, LedgerError):
        return exc
    inner = _unwrap(exc)
    if isinstance(inner, sqlite3.Error):
        return _from_sqlite(inner, path)
    if isinstance(inner, OSError):
        return _from_os(inner, path)
    return None


def _from_sqlite(exc: sqlite3.Error, path: Path | str | None) -> LedgerError | None:
    code = _sqlite_code(exc)
    text = str(exc).lower()
    if code == _SQLITE_FULL or "disk is full" in text:
        return disk_full(path)
    if code in (_SQLITE_BUSY, _SQLITE_LOCKED) or "database is locked" in text:
        return busy(path)
    if code in (_SQLITE_READONLY, _SQLITE_PERM) or "readonly database" in text:
        return read_only(path)
    if code in (_SQLITE_CORRUPT, _SQLITE_NOTADB) or "malformed" in text or "not a database" in text:
        return damaged(path, str(exc))
    if code in (_SQLITE_IOERR, _SQLITE_CANTOPEN) or "disk i/o error" in text or "unable to open" in text:
        return gone(path)
    return None


def _from_os(exc: OSError, path: Path | str | None) -> LedgerError | None:
    where = exc.filename or path
    if exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
        return disk_full(where)
    if exc.errno == errno.EROFS:
        return read_only(where)
    if isinstance(exc, PermissionError):
        return StorageError(
            f"没有权限写入{_where(where)}:文件可能正被其他程序(如 Excel、WPS、PDF 阅读器)打开,"
            f"或文件夹是只读的。{_NOTHING_SAVED}",
            f"permission denied{': ' + str(where) if where else ''}; the file may be open in another program",
        )
    if exc.errno in (errno.ENOENT, errno.ENODEV, errno.ENXIO, errno.EIO, errno.ESTALE):
        return gone(where)
    return StorageError(
        f"无法读写文件{_where(where)}({exc.strerror or exc})。{_NOTHING_SAVED}",
        f"I/O error{': ' + str(where) if where else ''}: {exc}",
    )
