"""Consistent copies of a ledger file, taken before anything risky (migration, import)."""

from __future__ import annotations

import sqlite3
from datetime import datetime
from pathlib import Path

from .sqlite_uri import sqlite_uri


def backups_dir(ledger_path: Path) -> Path:
    return ledger_path.parent / f"{ledger_path.stem}.backups"


def backup_copy(ledger_path: Path, reason: str, *, dest: Path | None = None) -> Path:
    """Copy the ledger with SQLite's online backup, so a copy taken while open is still whole.

    Returns the path of the copy: ``<ledger>.backups/<stem>-<YYYYmmdd-HHMMSS>-<reason>.sqlite3``
    unless ``dest`` is given.
    """
    if dest is None:
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
        folder = backups_dir(ledger_path)
        folder.mkdir(parents=True, exist_ok=True)
        dest = folder / f"{ledger_path.stem}-{stamp}-{reason}.sqlite3"
    tmp = dest.with_name(dest.name + ".part")
    source = sqlite3.connect(sqlite_uri(ledger_path, "ro"), uri=True)
    try:
        target = sqlite3.connect(tmp)
        try:
            source.backup(target)
        finally:
            target.close()
    except BaseException:
        # A half-written copy must not lie around looking like a backup.
        tmp.unlink(missing_ok=True)
        raise
    finally:
        source.close()
    # Only a complete copy gets the final name.
    tmp.replace(dest)
    return dest
