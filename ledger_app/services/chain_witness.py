"""The ledger's backups as witnesses of its audit chain: what the file alone cannot show.

The chain has no secret key, so deleting the newest log rows (and undoing their changes by hand)
leaves a shorter chain that verifies. Every backup, though, is a whole copy of the ledger with its
log: the newest row of a backup must still be in the ledger, with the same hash, unless the ledger
was restored from an older state since. A backup that disagrees therefore shows that the log was cut
short or rewritten after that backup was taken.

A restore explains disagreement with the backups taken before it: it puts back an older state
on purpose and leaves a ``before-restore`` backup (or a ``damaged`` copy of a file SQLite could not
read) behind. Backups taken before the newest such backup are not judged. Backups of releases before
the chain (schema 0003) and backups that cannot be read are skipped; the backup list reports the latter.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from ledger_app.store import backup as store_backup
from ledger_app.store.sqlite_uri import sqlite_uri

_RESTORE_REASONS = ("before-restore", "damaged")


@dataclass(frozen=True, slots=True)
class Witness:
    path: Path
    taken_at: datetime
    reason: str  # the reason key of the backup's name
    head_id: int  # the backup's newest audit row
    head_hash: str

    def label(self) -> str:
        return (
            f"备份 {self.path.name}({self.taken_at:%Y-%m-%d %H:%M},{store_backup.reason_label(self.reason)})"
        )


def witnesses(ledger_path: Path) -> tuple[list[Witness], int]:
    """The backups to compare the ledger's chain with, and how many were left out because a restore
    came after them."""
    found: list[Witness] = []
    restored_at: datetime | None = None
    folder = store_backup.backups_dir(ledger_path)
    try:
        names = sorted(p.name for p in folder.iterdir() if p.is_file())
    except OSError:
        return [], 0
    for name in names:
        parsed = store_backup.parse_backup_name(ledger_path, name)
        if parsed is None:
            continue
        taken_at, reason = parsed
        if reason.startswith(_RESTORE_REASONS):
            restored_at = max(restored_at or taken_at, taken_at)
        head = _head(folder / name)
        if head is not None:
            found.append(Witness(folder / name, taken_at, reason, *head))
    if restored_at is None:
        return found, 0
    judged = [w for w in found if w.taken_at > restored_at]
    return judged, len(found) - len(judged)


def _head(path: Path) -> tuple[int, str] | None:
    try:
        conn = sqlite3.connect(sqlite_uri(path, "ro"), uri=True)
        try:
            row = conn.execute("SELECT id, row_hash FROM audit_log ORDER BY id DESC LIMIT 1").fetchone()
        finally:
            conn.close()
    except sqlite3.Error:  # not readable, or a schema before the chain (no row_hash)
        return None
    if row is None or not row[1]:
        return None
    return int(row[0]), str(row[1])


# Not only tampering: a ledger file replaced by another copy of it (from a USB stick, another PC)
# disagrees with the backups of this one in the same way.
_OR_REPLACED = "(如果在程序之外用另一份台账文件替换过本文件,也会这样)"


def disagreement(witness: Witness, hashes: dict[int, str | None], head_id: int) -> str:
    """Why the ledger's log contradicts ``witness`` ("" when it does not). ``hashes``: the ledger's
    row hashes at the witnesses' head ids (absent: no such row)."""
    if witness.head_id not in hashes:
        if witness.head_id > head_id:
            return (
                f"{witness.label()}的修改日志已有 {witness.head_id} 条,台账中却只到第 {head_id} 条:"
                f"备份之后,台账的修改日志末尾被删除{_OR_REPLACED}"
            )
        return (
            f"{witness.label()}中的修改日志第 {witness.head_id} 条在台账中不存在:修改日志被删改{_OR_REPLACED}"
        )
    if hashes[witness.head_id] != witness.head_hash:
        return (
            f"{witness.label()}中的修改日志第 {witness.head_id} 条与台账中的不同:"
            f"备份之后,台账的修改日志被改写{_OR_REPLACED}"
        )
    return ""
