"""备份与恢复: automatic and manual backups with rotation, and restoring one over the ledger.

Backups are taken (``store.backup``) and then rotated by the ledger's own policy (settings
``backup_keep_*``, ``domain.retention``); the backup just made is never the one deleted. When they are
taken is decided here, so the GUI and the CLI share it:

* ``open``: when the ledger is opened, if the newest backup is over a day old and the ledger changed since;
* ``periodic`` (every 30 minutes in the GUI) and ``close``: if the ledger changed since the newest backup;
* ``before-import`` / ``before-restore`` / ``bulk`` / ``manual``: always.

"Changed since" compares the ledger's newest audit row with the one inside the newest backup: every
change writes audit rows in its own transaction, so equal rows mean equal content.

Evidence files are not copied into backups: the store keeps every file under its hash and never removes
one a kept backup needs (``store.backup.needed_by_backups``, consulted by the store's repair and by a
failed add), so a restored backup finds its files where they were.

Restoring over the ledger (``restore_backup``) works on a *closed* ledger file: the caller closes its
``Ledger``, restores, and opens it again (the GUI does exactly that). The current state is backed up
first; then the backup is copied into the ledger file with SQLite's online backup API, which writes
the destination in one transaction: a crash half-way leaves the journal that rolls it back.
"""

from __future__ import annotations

import logging
import os
import shutil
import sqlite3
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from ledger_app.domain.errors import (
    CancelledError,
    LedgerBusyError,
    LedgerError,
    NewerLedgerError,
    NotALedgerError,
)
from ledger_app.domain.progress import CancelFn, ProgressFn
from ledger_app.domain.retention import RetentionPolicy
from ledger_app.store import backup as store_backup
from ledger_app.store.attachments import AttachmentStore
from ledger_app.store.backup import BackupInfo, ChangeMark
from ledger_app.store.database import APPLICATION_ID, known_revisions
from ledger_app.store.errors import busy, storage_error
from ledger_app.store.fileops import make_dirs
from ledger_app.store.lock import LedgerLock
from ledger_app.store.sqlite_uri import sqlite_uri

from .ledger import default_actor
from .ledger_copy import attachments_dir_for

if TYPE_CHECKING:
    from . import Ledger

log = logging.getLogger(__name__)

OPEN_INTERVAL = timedelta(days=1)
PERIODIC_MINUTES = 30
TRIGGERS = ("open", "periodic", "close")
NAMES_SHOWN = 10


@dataclass(frozen=True, slots=True)
class BackupResult:
    path: Path  # the backup just made
    removed: tuple[Path, ...] = ()  # older backups the rotation deleted


@dataclass(frozen=True, slots=True)
class RestoreResult:
    ledger: Path
    restored_from: Path
    before_restore: Path | None  # the backup of the state replaced (None: there was no ledger file)
    tasks: int
    missing: tuple[str, ...] = ()  # evidence files the restored ledger needs that the store lacks

    def summary(self) -> str:
        lines = [f"已从备份 {self.restored_from.name} 恢复台账({self.tasks} 项任务)。"]
        if self.before_restore is not None:
            lines.append(f"恢复前的台账已备份为 {self.before_restore.name}。")
        if self.missing:
            shown = "、".join(self.missing[:NAMES_SHOWN])
            more = f" 等 {len(self.missing)} 个" if len(self.missing) > NAMES_SHOWN else ""
            lines.append(
                f"附件库中缺少恢复后台账需要的佐证材料:{shown}{more};"
                "请运行“检查佐证材料库”,它能从库中找到的副本找回文件。"
            )
        return "\n".join(lines)


@dataclass(slots=True)
class BackupOverview:
    """What the 备份与恢复 dialog shows."""

    folder: Path
    backups: list[BackupInfo] = field(default_factory=list)
    total_size: int = 0
    policy: RetentionPolicy = field(default_factory=RetentionPolicy)


# -- policy --------------------------------------------------------------------------------------------
def policy_from_settings(values: Mapping[str, object]) -> RetentionPolicy:
    """The retention policy from settings values (as stored: text); a bad value falls back to the default."""
    default = RetentionPolicy()

    def number(key: str, fallback: int) -> int:
        try:
            value = int(str(values.get(key, fallback)))
        except ValueError:
            return fallback
        return value if value >= 0 else fallback

    return RetentionPolicy(
        keep_last=max(1, number("backup_keep_last", default.keep_last)),
        keep_daily=number("backup_keep_daily", default.keep_daily),
        keep_monthly=number("backup_keep_monthly", default.keep_monthly),
    )


def ledger_policy(ledger_path: Path) -> RetentionPolicy:
    """The policy stored in the ledger file, read directly (the ledger may be closed, as during a restore)."""
    try:
        conn = sqlite3.connect(sqlite_uri(ledger_path, "ro"), uri=True)
        try:
            rows = conn.execute("SELECT key, value FROM settings WHERE key LIKE 'backup_keep_%'").fetchall()
        finally:
            conn.close()
    except sqlite3.Error:
        return RetentionPolicy()
    return policy_from_settings(dict(rows))


# -- taking backups --------------------------------------------------------------------------------------
def _backup_error(ledger_path: Path, exc: BaseException) -> LedgerError:
    detail = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
    return LedgerError(
        f"无法备份台账 {ledger_path.name}:{detail}(磁盘可能已满、没有写入权限,或台账文件已损坏)",
        f"backup of {ledger_path} failed: {exc}",
    )


def take_backup(
    ledger_path: Path,
    reason: str,
    *,
    policy: RetentionPolicy | None = None,
    protect: Iterable[Path] = (),
    now: datetime | None = None,
) -> BackupResult:
    """A backup of the ledger file, then the rotation (never deleting it nor anything in ``protect``)."""
    try:
        made = store_backup.backup_copy(ledger_path, reason)
    except (sqlite3.Error, OSError) as exc:
        raise _backup_error(ledger_path, exc) from exc
    removed = store_backup.prune_backups(
        ledger_path, policy or ledger_policy(ledger_path), protect=[made, *protect], now=now
    )
    if removed:
        log.info("backup rotation removed %s", ", ".join(p.name for p in removed))
    return BackupResult(made, tuple(removed))


def _newest_readable(backups: list[BackupInfo]) -> BackupInfo | None:
    return next((b for b in backups if not b.damaged), None)


def backup_due(ledger_path: Path, trigger: str, *, now: datetime | None = None) -> bool:
    """Whether an automatic backup for ``trigger`` (open, periodic, close) should be taken now."""
    if trigger not in TRIGGERS:
        raise ValueError(f"unknown backup trigger {trigger!r}")
    newest = _newest_readable(store_backup.list_backups(ledger_path))
    if newest is None:
        return True
    try:
        mark: ChangeMark | None = store_backup.ledger_change_mark(ledger_path)
    except sqlite3.Error:
        return False  # the ledger itself cannot be read: a backup of it would fail too
    if mark == newest.last_change:
        return False
    if trigger == "open":
        return (now or datetime.now()) - newest.taken_at >= OPEN_INTERVAL
    return True


def backup_overview(ledger_path: Path) -> BackupOverview:
    """The backups of the ledger file, the folder's size and the policy (the ledger may be closed)."""
    return BackupOverview(
        store_backup.backups_dir(ledger_path),
        store_backup.list_backups(ledger_path),
        store_backup.folder_size(ledger_path),
        ledger_policy(ledger_path),
    )


class Backups:
    """``ledger.backups``: the automatic and manual backups of this ledger (restoring works on paths)."""

    def __init__(self, ledger: Ledger) -> None:
        self.ledger = ledger

    """Backups of this ledger (``restore_backup`` and the archive functions work on paths)."""

    @property
    def backups_dir(self) -> Path:
        return store_backup.backups_dir(self.ledger.path)

    def backup_policy(self) -> RetentionPolicy:
        return ledger_policy(self.ledger.path)

    def list_backups(self) -> list[BackupInfo]:
        """Newest first, each with its time, reason, size, tasks and last change (damaged ones marked)."""
        return store_backup.list_backups(self.ledger.path)

    def backup_overview(self) -> BackupOverview:
        return backup_overview(self.ledger.path)

    def backup_now(self, reason: str = "manual") -> BackupResult:
        """A backup now (立即备份, before an import, before a bulk operation), then the rotation."""
        return take_backup(self.ledger.path, reason)

    def backup_if_due(self, trigger: str, *, now: datetime | None = None) -> BackupResult | None:
        """The automatic backup of ``trigger`` (open, periodic, close) when it is due; None when not."""
        if not backup_due(self.ledger.path, trigger, now=now):
            return None
        return take_backup(self.ledger.path, trigger, now=now)

    def needed_by_backups(self) -> set[str]:
        """sha256 of the stored files the kept backups need (the store must never remove them)."""
        return store_backup.needed_by_backups(self.ledger.path)


# -- restoring a backup over the ledger -----------------------------------------------------------------
def check_ledger_file(path: Path) -> int:
    """Refuse a file that is not a whole ledger of a release we know; returns its number of live tasks."""
    if not path.is_file():
        raise NotALedgerError(f"找不到备份文件:{path}", f"no such backup: {path}")
    try:
        conn = sqlite3.connect(sqlite_uri(path, "ro"), uri=True)
        try:
            result = conn.execute("PRAGMA integrity_check").fetchall()
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            if "alembic_version" not in tables or "problems" not in tables:
                raise NotALedgerError(f"这不是整改台账文件:{path.name}", f"not a ledger: {path}")
            version = (conn.execute("SELECT version_num FROM alembic_version").fetchone() or [None])[0]
            app_id = conn.execute("PRAGMA application_id").fetchone()[0]
            tasks = conn.execute("SELECT count(*) FROM problems WHERE deleted_at IS NULL").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.Error as exc:
        raise NotALedgerError(
            f"文件已损坏或不是台账文件:{path.name}({exc})", f"damaged or not a ledger: {path} ({exc})"
        ) from exc
    if result != [("ok",)]:
        raise NotALedgerError(
            f"文件已损坏,未使用:{path.name}({'; '.join(str(r[0]) for r in result[:3])})",
            f"integrity check failed: {path}",
        )
    if app_id not in (0, APPLICATION_ID):
        raise NotALedgerError(f"这不是整改台账文件:{path.name}", f"not a ledger: {path}")
    if version not in known_revisions():
        raise NewerLedgerError(
            f"此文件由更新版本的软件创建(数据库版本 {version}),请升级本软件后再恢复。",
            f"made by a newer release (schema {version})",
        )
    return int(tasks)


def _backup_before_restore(ledger_path: Path, keep: Path) -> Path | None:
    """Back up what is about to be replaced; a damaged ledger (the reason for many a restore) is kept
    as a plain copy of its bytes, since SQLite cannot read it to make a proper backup."""
    if not ledger_path.exists():
        return None
    try:
        return take_backup(ledger_path, "before-restore", protect=[keep]).path
    except LedgerError as exc:
        cause = exc.__cause__
        if cause is not None and isinstance(storage_error(cause, ledger_path), LedgerBusyError):
            # Another program is writing: the file is not damaged, and it must not be replaced now.
            raise busy(ledger_path) from exc
        folder = store_backup.backups_dir(ledger_path)
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
        dest = folder / f"{ledger_path.stem}-{stamp}-damaged{store_backup.SUFFIX}"
        try:
            make_dirs(folder)
            shutil.copyfile(ledger_path, dest)
        except OSError as exc:
            raise _backup_error(ledger_path, exc) from exc
        log.warning("ledger %s unreadable; kept its bytes as %s before the restore", ledger_path, dest)
        return dest


def missing_evidence(ledger_path: Path) -> tuple[str, ...]:
    """Names of the evidence files the ledger file needs that its store lacks."""
    store = AttachmentStore(attachments_dir_for(ledger_path))
    conn = sqlite3.connect(sqlite_uri(ledger_path, "ro"), uri=True)
    try:
        rows = conn.execute("SELECT sha256, min(original_name) FROM attachments GROUP BY sha256").fetchall()
    finally:
        conn.close()
    missing = []
    for sha, name in rows:
        try:
            present = store.has(sha)
        except ValueError:  # not a checksum: a damaged row, no file can match it
            present = False
        if not present:
            missing.append(str(name))
    return tuple(sorted(missing))


def _replace_whole(backup: Path, ledger_path: Path) -> None:
    """For a ledger file SQLite cannot open (or that is gone): a whole new file put in its place."""
    tmp = ledger_path.with_name(f"{ledger_path.name}.restoring")
    store_backup.backup_copy(backup, "", dest=tmp)
    # A journal left beside the damaged file would be "rolled back" into the restored one.
    journal = ledger_path.with_name(ledger_path.name + "-journal")
    if journal.exists():
        journal.unlink()
    store_backup.replace_path(tmp, ledger_path)


def restore_backup(
    ledger_path: Path,
    backup: Path,
    *,
    progress: ProgressFn | None = None,
    cancelled: CancelFn | None = None,
    actor: str | None = None,
) -> RestoreResult:
    """Replace the content of the (closed) ledger file with ``backup``, after backing up the current state.

    Raises NotALedgerError / NewerLedgerError for a backup that is damaged, not a ledger, or from a newer
    release, and LedgerError when the ledger cannot be written; in each case the ledger is unchanged.
    Cancelling is possible until the copy starts (it takes a fraction of a second).
    """
    ledger_path, backup = Path(ledger_path), Path(backup)
    report = progress or (lambda done, total, text: None)
    is_cancelled = cancelled or (lambda: False)
    if ledger_path.exists() and backup.exists() and os.path.samefile(ledger_path, backup):
        raise LedgerError("不能用台账文件本身来恢复它。", "the backup is the ledger itself")
    report(0, 4, "正在检查备份文件…")
    tasks = check_ledger_file(backup)
    # Held for the restore: another program must not write into the ledger while it is replaced.
    lock = LedgerLock.acquire(ledger_path, user=actor or default_actor())
    try:
        return _restore(ledger_path, backup, tasks, report, is_cancelled)
    finally:
        lock.release()


def _restore(
    ledger_path: Path, backup: Path, tasks: int, report: ProgressFn, is_cancelled: CancelFn
) -> RestoreResult:
    if is_cancelled():
        raise CancelledError()
    report(1, 4, "正在备份当前台账…")
    before = _backup_before_restore(ledger_path, keep=backup)
    if is_cancelled():
        raise CancelledError()
    report(2, 4, "正在恢复…")
    try:
        if before is None or before.name.endswith(f"-damaged{store_backup.SUFFIX}"):
            _replace_whole(backup, ledger_path)
        else:
            source = sqlite3.connect(sqlite_uri(backup, "ro"), uri=True)
            try:
                target = sqlite3.connect(ledger_path, timeout=10)
                try:
                    # One transaction on the target: all of the backup or, after a crash, the old ledger.
                    source.backup(target, progress=store_backup.give_up_when_busy())
                finally:
                    target.close()
            finally:
                source.close()
    except (sqlite3.Error, OSError) as exc:
        raise LedgerError(
            f"无法恢复台账:{exc}(台账可能正被另一个程序使用、磁盘已满或没有写入权限);台账未改变。",
            f"restore failed: {exc}",
        ) from exc
    report(3, 4, "正在核对佐证材料…")
    missing = missing_evidence(ledger_path)
    report(4, 4, "")
    return RestoreResult(ledger_path, backup, before, tasks, missing)
