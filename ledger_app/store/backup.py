"""Backups of a ledger file: consistent copies in ``<stem>.backups/``, what each holds, and their rotation.

A backup is taken with SQLite's online backup API, so a copy made while the ledger is in use is still
one consistent state, and is written under a ``.part`` name renamed only when whole. Its file name
says when and why it was taken: ``<stem>-<YYYYmmdd-HHMMSS-ffffff>-<reason>.sqlite3``, the reason an
English key (``before-import``) shown to the clerk by its Chinese label (导入前). Only files named
like that are ours: rotation never touches anything else in the folder.

What a backup holds is read from the backup itself, opened read-only: its number of tasks, its newest
audit row (when the ledger was last changed, and a key to tell whether the ledger changed since) and
the evidence files it needs (the sha256 of its attachment rows). A backup that cannot be read is
listed as damaged, never a crash.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import sqlite3
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from ledger_app.domain.retention import RetentionPolicy, backups_to_keep

from .fileops import make_dirs, replace_file
from .sqlite_uri import sqlite_uri

log = logging.getLogger(__name__)

SUFFIX = ".sqlite3"
# Stable keys in file names; the labels are what the clerk reads.
REASON_LABELS = {
    "open": "打开时",
    "periodic": "定时",
    "close": "关闭时",
    "before-import": "导入前",
    "before-upgrade": "升级前",
    "before-restore": "恢复前",
    "bulk": "批量操作前",
    "manual": "手动",
}
_STAMP = "%Y%m%d-%H%M%S-%f"


def backups_dir(ledger_path: Path) -> Path:
    return ledger_path.parent / f"{ledger_path.stem}.backups"


def reason_label(reason: str) -> str:
    """The Chinese label of a reason key; "before-upgrade-0001" (an upgrade from schema 0001) keeps its version."""
    if reason in REASON_LABELS:
        return REASON_LABELS[reason]
    for key, label in REASON_LABELS.items():
        if reason.startswith(key + "-"):
            return f"{label}({reason[len(key) + 1 :]})"
    return reason


def replace_path(src: Path, dst: Path) -> None:
    """Put a finished file in place, retrying while Windows briefly holds it (``fileops``)."""
    replace_file(src, dst)


def backup_copy(ledger_path: Path, reason: str, *, dest: Path | None = None) -> Path:
    """Copy the ledger with SQLite's online backup, so a copy taken while open is still whole.

    Returns the path of the copy: ``<ledger>.backups/<stem>-<YYYYmmdd-HHMMSS-ffffff>-<reason>.sqlite3``
    unless ``dest`` is given. No rotation here: ``services.backups`` takes backups *and* rotates them.
    """
    if dest is None:
        stamp = datetime.now().strftime(_STAMP)
        folder = backups_dir(ledger_path)
        make_dirs(folder)
        sweep_leftovers(folder)
        dest = folder / f"{ledger_path.stem}-{stamp}-{reason}{SUFFIX}"
    tmp = dest.with_name(dest.name + ".part")
    source = sqlite3.connect(sqlite_uri(ledger_path, "ro"), uri=True)
    try:
        target = sqlite3.connect(tmp)
        try:
            source.backup(target, progress=give_up_when_busy())
        finally:
            target.close()
    except BaseException:
        # A half-written copy must not lie around looking like a backup.
        tmp.unlink(missing_ok=True)
        raise
    finally:
        source.close()
    # Only a complete copy gets the final name.
    replace_path(tmp, dest)
    return dest


BUSY_LIMIT = 10.0  # seconds another program may keep a ledger locked before a copy gives up


def give_up_when_busy(limit: float | None = None) -> Callable[[int, int, int], None]:
    """A progress callback for ``Connection.backup``: the copy retries without end while another program
    holds a lock on either file, so it is stopped (SQLITE_BUSY as an error) once ``limit`` has passed."""
    deadline = time.monotonic() + (BUSY_LIMIT if limit is None else limit)

    def progress(status: int, _remaining: int, _total: int) -> None:
        if status in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED) and time.monotonic() > deadline:
            raise sqlite3.OperationalError("database is locked")

    return progress


LEFTOVER_AGE = 600.0  # seconds: no copy in flight takes this long to write its .part file


def sweep_leftovers(folder: Path, *, now: float | None = None) -> list[Path]:
    """Remove the ``.part`` copies (and their journals) of backups cut off by a killed process.

    Only the writer takes backups, so nobody else writes here; the age guard still leaves alone a copy
    this very program may be writing in a worker at the moment."""
    now = time.time() if now is None else now
    removed: list[Path] = []
    for path in folder.glob(f"*{SUFFIX}.part*"):
        if not path.name.endswith((".part", ".part-journal", ".part-wal", ".part-shm")):
            continue
        try:
            if now - path.stat().st_mtime > LEFTOVER_AGE:
                path.unlink()
                removed.append(path)
        except OSError:
            continue  # held by an antivirus scan or already gone: the next backup tries again
    return removed


def parse_backup_name(ledger_path: Path, name: str) -> tuple[datetime, str] | None:
    """(taken at, reason key) of one of our backup file names; None for any other file."""
    pattern = rf"{re.escape(ledger_path.stem)}-(\d{{8}}-\d{{6}})(?:-(\d{{6}}))?-([^/\\]+){re.escape(SUFFIX)}"
    found = re.fullmatch(pattern, name)
    if found is None:
        return None
    try:
        taken = datetime.strptime(f"{found[1]}-{found[2] or '000000'}", _STAMP)
    except ValueError:
        return None
    return taken, found[3]


@dataclass(frozen=True, slots=True)
class ChangeMark:
    """The newest audit row of a ledger: equal marks mean no change was committed in between.

    The change id (a uuid per clerk action) tells apart two ledgers whose logs reached the same row
    number by different edits (after a restore of an older backup, say)."""

    row_id: int
    change_id: str
    at: datetime | None


@dataclass(frozen=True, slots=True)
class BackupInfo:
    path: Path
    taken_at: datetime
    reason: str  # the key in the file name
    size: int  # bytes
    tasks: int | None = None  # live tasks; None when the file cannot be read
    last_change: ChangeMark | None = None  # None: no audit row (or unreadable)
    error: str = ""  # why the file cannot be read as a ledger ("" when it can)

    @property
    def damaged(self) -> bool:
        return bool(self.error)

    @property
    def reason_label(self) -> str:
        return reason_label(self.reason)


def _parse_time(value: object) -> datetime | None:
    if isinstance(value, str):
        with contextlib.suppress(ValueError):
            return datetime.fromisoformat(value)
    return None


def change_mark(conn: sqlite3.Connection) -> ChangeMark | None:
    row = conn.execute("SELECT id, change_id, at FROM audit_log ORDER BY id DESC LIMIT 1").fetchone()
    if row is None:
        return None
    return ChangeMark(int(row[0]), str(row[1] or ""), _parse_time(row[2]))


def _connect_ro(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(sqlite_uri(path, "ro"), uri=True)


def ledger_change_mark(path: Path) -> ChangeMark | None:
    """The newest audit row of the ledger file ``path`` (None when its log is empty)."""
    conn = _connect_ro(path)
    try:
        return change_mark(conn)
    finally:
        conn.close()


def read_backup(path: Path, taken_at: datetime, reason: str) -> BackupInfo:
    """What the backup file holds; an unreadable file comes back with ``error`` set."""
    try:
        size = os.stat(path).st_size
    except OSError as exc:
        return BackupInfo(path, taken_at, reason, 0, error=f"无法读取:{exc.strerror or exc}")
    try:
        conn = _connect_ro(path)
        try:
            tasks = conn.execute("SELECT count(*) FROM problems WHERE deleted_at IS NULL").fetchone()[0]
            mark = change_mark(conn)
        finally:
            conn.close()
    except sqlite3.Error as exc:
        return BackupInfo(path, taken_at, reason, size, error=f"已损坏或不是台账文件({exc})")
    return BackupInfo(path, taken_at, reason, size, int(tasks), mark)


def list_backups(ledger_path: Path) -> list[BackupInfo]:
    """The ledger's backups, newest first (files of other names in the folder are not ours: skipped)."""
    folder = backups_dir(ledger_path)
    try:
        names = os.listdir(folder)
    except OSError:  # no folder yet, or unreadable: no backups to show
        return []
    found = []
    for name in names:
        parsed = parse_backup_name(ledger_path, name)
        if parsed is not None and os.path.isfile(folder / name):
            found.append(read_backup(folder / name, *parsed))
    found.sort(key=lambda b: (b.taken_at, b.path.name), reverse=True)
    return found


def folder_size(ledger_path: Path) -> int:
    """Bytes in the backups folder (everything in it, ours or not: that is what the disk holds)."""
    total = 0
    with contextlib.suppress(OSError):
        for entry in os.scandir(backups_dir(ledger_path)):
            with contextlib.suppress(OSError):
                if entry.is_file():
                    total += entry.stat().st_size
    return total


def needed_hashes(paths: Iterable[Path]) -> set[str]:
    """The sha256 of every stored file these ledger files refer to (removed attachments included).

    A file that cannot be read adds nothing: a damaged backup cannot be restored, so it needs nothing.
    """
    needed: set[str] = set()
    for path in paths:
        try:
            conn = _connect_ro(path)
            try:
                needed.update(row[0] for row in conn.execute("SELECT DISTINCT sha256 FROM attachments"))
            finally:
                conn.close()
        except sqlite3.Error as exc:
            log.warning("backup %s unreadable, its evidence needs unknown: %s", path, exc)
    return needed


def needed_by_backups(ledger_path: Path) -> set[str]:
    """Evidence files the kept backups of ``ledger_path`` need: never to be removed from the store."""
    return needed_hashes(b.path for b in list_backups(ledger_path) if not b.damaged)


def prune_backups(
    ledger_path: Path,
    policy: RetentionPolicy,
    *,
    protect: Iterable[Path] = (),
    now: datetime | None = None,
) -> list[Path]:
    """Delete the backups ``policy`` does not keep, never one in ``protect``; returns what was deleted.

    A file that cannot be deleted (held open on Windows) is logged and left for the next rotation.
    """
    now = now or datetime.now()
    folder = backups_dir(ledger_path)
    try:
        names = os.listdir(folder)
    except OSError:
        return []
    dated = {}
    for name in names:
        parsed = parse_backup_name(ledger_path, name)
        if parsed is not None:
            dated[name] = parsed[0]
    keep = backups_to_keep(dated.items(), now, policy)
    keep |= {Path(p).name for p in protect}
    removed = []
    for name in sorted(set(dated) - keep):
        try:
            (folder / name).unlink()
        except OSError as exc:
            log.warning("could not remove old backup %s: %s", name, exc)
            continue
        removed.append(folder / name)
    return removed
