"""What opening a ledger needs before SQLAlchemy: where it lives, who the operator is, and its lock.

``Ledger.open`` (services/ledger.py) and the GUI's start-up read (first_read.py) both go through
these, so a ledger that is refused is refused with the same words whichever opened it.
"""

from __future__ import annotations

import getpass
from pathlib import Path

from platformdirs import user_data_dir

from ledger_app.domain.errors import ReadOnlyStorageError
from ledger_app.store.errors import storage_error
from ledger_app.store.fileops import make_dirs
from ledger_app.store.lock import LedgerLock

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


def acquire_lock(target: Path, who: str, *, create: bool) -> LedgerLock:
    """The ledger's lock file for this process (shared when it already holds it)."""
    try:
        if create:
            make_dirs(target.parent)
        return LedgerLock.acquire(target, user=who)
    except OSError as exc:
        known = storage_error(exc, target)
        raise (known or read_only_file(target)) from exc


def read_only_file(target: Path) -> ReadOnlyStorageError:
    return ReadOnlyStorageError(
        f"台账文件或所在文件夹是只读的(可能在光盘、写保护的U盘上,或没有写入权限):{target}。"
        "可以以只读方式打开查看;要修改,请把台账复制到可写的位置。",
        f"the ledger file or its folder is read-only: {target}",
    )
