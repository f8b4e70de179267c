"""store.backup beyond the copy itself: names, labels, listing, what backups need, rotation on disk."""

from __future__ import annotations

import shutil
import sqlite3
from datetime import datetime
from pathlib import Path

from ledger_app.domain.retention import RetentionPolicy
from ledger_app.services import Ledger
from ledger_app.store.backup import (
    backup_copy,
    backups_dir,
    folder_size,
    list_backups,
    needed_by_backups,
    parse_backup_name,
    prune_backups,
    reason_label,
)


def test_names_are_parsed_only_for_this_ledger() -> None:
    ledger = Path("/x/第2轮-台账.sqlite3")
    assert parse_backup_name(ledger, "第2轮-台账-20261201-093000-123456-before-import.sqlite3") == (
        datetime(2026, 12, 1, 9, 30, 0, 123456),
        "before-import",
    )
    # Older releases wrote no microseconds; the upgrade backup carries the schema version.
    assert parse_backup_name(ledger, "第2轮-台账-20261201-093000-before-upgrade-0001.sqlite3") == (
        datetime(2026, 12, 1, 9, 30),
        "before-upgrade-0001",
    )
    for other in (
        "台账-20261201-093000-123456-manual.sqlite3",  # another ledger's
        "第2轮-台账-20261301-093000-123456-manual.sqlite3",  # no 13th month
        "第2轮-台账-20261201-093000-123456-manual.sqlite3.part",  # unfinished
        "第2轮-台账-手工.sqlite3",
    ):
        assert parse_backup_name(ledger, other) is None


def test_reason_labels() -> None:
    assert [reason_label(k) for k in ("open", "periodic", "close", "before-restore", "bulk", "manual")] == [
        "打开时",
        "定时",
        "关闭时",
        "恢复前",
        "批量操作前",
        "手动",
    ]
    assert reason_label("before-upgrade-0001") == "升级前(0001)"
    assert reason_label("something-else") == "something-else"


def test_listing_reads_each_backup_read_only(ledger: Ledger) -> None:
    ledger.directory.create_unit("区住建局")
    copy = backup_copy(ledger.path, "manual")
    before = copy.read_bytes()
    (info,) = list_backups(ledger.path)
    assert info.tasks == 0 and info.last_change is not None and info.last_change.at is not None
    assert copy.read_bytes() == before  # not written to, not even a journal
    assert sorted(p.name for p in copy.parent.iterdir()) == [copy.name]
    assert folder_size(ledger.path) == len(before)


def test_what_backups_need_is_every_sha_in_their_attachment_rows(ledger: Ledger, tmp_path: Path) -> None:
    copy = backup_copy(ledger.path, "manual")
    with sqlite3.connect(copy) as conn:
        conn.execute(
            "INSERT INTO rounds (id, name, level, plan_document_no, position) VALUES (1, 'r', 'central', '', 0)"
        )
        conn.execute(
            "INSERT INTO problems (id, round_id, seq, kind, description, leader, contact, contact_phone,"
            " deadline_text, deadline_long_term, goal, status, batch, case_no, note, created_at)"
            " VALUES (1, 1, '1', 'specific', '', '', '', '', '', 0, '', 'not-started', '', '', '', '2026-01-01')"
        )
        for n, sha in enumerate(("a" * 64, "b" * 64, "a" * 64)):
            conn.execute(
                "INSERT INTO attachments (problem_id, sha256, original_name, size, media_type, description,"
                " added_at, added_by, deleted_at) VALUES (1, ?, ?, 1, '', '', '2026-01-01', '', ?)",
                (sha, f"f{n}", "2026-02-01" if n == 1 else None),  # a removed attachment is still needed
            )
    broken = backups_dir(ledger.path) / "ledger-20260101-000000-000000-manual.sqlite3"
    broken.write_bytes(b"garbage" * 100)
    assert needed_by_backups(ledger.path) == {"a" * 64, "b" * 64}


def test_prune_keeps_the_protected_and_what_is_not_ours(ledger: Ledger) -> None:
    folder = backups_dir(ledger.path)
    folder.mkdir()
    names = [f"ledger-202601{d:02}-120000-000000-periodic.sqlite3" for d in range(1, 6)]
    for name in names:
        shutil.copyfile(ledger.path, folder / name)
    (folder / "readme.txt").write_text("kept")
    policy = RetentionPolicy(keep_last=1, keep_daily=0, keep_monthly=0)
    removed = prune_backups(ledger.path, policy, protect=[folder / names[0]], now=datetime(2026, 2, 1))
    assert sorted(p.name for p in removed) == names[1:4]
    assert sorted(p.name for p in folder.iterdir()) == sorted([names[0], names[4], "readme.txt"])
    assert prune_backups(ledger.path.with_name("none.sqlite3"), policy) == []  # no folder: nothing to do
