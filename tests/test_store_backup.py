"""Backups of a ledger file: complete, consistent, and never a half-written copy left behind."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

import pytest

from ledger_app.domain.model import ProblemKind, RoundLevel
from ledger_app.services import Ledger
from ledger_app.store.backup import backup_copy, backups_dir


def _fill(ledger: Ledger, n: int) -> list[int]:
    round_id = ledger.directory.create_round(name="第二轮省生态环境保护督察", level=RoundLevel.PROVINCIAL)
    ids = []
    for i in range(n):
        task_id = ledger.tasks.create_task(
            round_id=round_id,
            kind=ProblemKind.PETITION,
            description=f"群众反映噪声扰民{i}",
            lead_units=["区城管局"],
        )
        ledger.tasks.add_progress(task_id, entry_date=date(2026, 3, 20), text="已约谈", percent=40)
        ids.append(task_id)
    return ids


def test_backup_is_a_complete_ledger(ledger: Ledger) -> None:
    ids = _fill(ledger, 3)
    copy = backup_copy(ledger.path, "manual")
    assert copy.parent == backups_dir(ledger.path)
    assert copy.parent.name == "ledger.backups"
    assert copy.name.startswith("ledger-") and copy.name.endswith("-manual.sqlite3")
    assert [p.name for p in copy.parent.iterdir()] == [copy.name]  # no .part left
    with sqlite3.connect(copy) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    with Ledger.open(copy) as restored:
        assert [t.id for t in restored.queries.list_tasks()] == ids
        assert restored.records.task_records(today=date(2026, 4, 1)) == ledger.records.task_records(
            today=date(2026, 4, 1)
        )


def test_backup_to_a_given_destination_while_the_ledger_is_in_use(ledger: Ledger, tmp_path: Path) -> None:
    _fill(ledger, 2)
    dest = tmp_path / "usb" / "copy.sqlite3"
    dest.parent.mkdir()
    # An open read transaction elsewhere does not stop the online backup, nor make it inconsistent.
    reader = sqlite3.connect(ledger.path)
    reader.execute("BEGIN")
    reader.execute("SELECT count(*) FROM problems").fetchone()
    try:
        assert backup_copy(ledger.path, "ignored", dest=dest) == dest
    finally:
        reader.close()
    assert sorted(p.name for p in dest.parent.iterdir()) == ["copy.sqlite3"]
    with Ledger.open(dest) as copy:
        assert copy.tasks.count_tasks() == 2


def test_two_backups_in_one_second_do_not_overwrite_each_other(ledger: Ledger) -> None:
    first = backup_copy(ledger.path, "a")
    second = backup_copy(ledger.path, "a")
    assert first != second
    assert first.exists() and second.exists()


def test_a_failed_backup_leaves_no_part_file(tmp_path: Path) -> None:
    broken = tmp_path / "broken.sqlite3"
    broken.write_bytes(b"x" * 8192)
    with pytest.raises(sqlite3.DatabaseError):
        backup_copy(broken, "before-import")
    assert list(backups_dir(broken).iterdir()) == []
    dest = tmp_path / "out.sqlite3"
    with pytest.raises(sqlite3.DatabaseError):
        backup_copy(broken, "x", dest=dest)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["broken.backups", "broken.sqlite3"]


@pytest.mark.parametrize("folder", ["第2轮#督察", "50%25 进度", "问号?台账", "a b&c"])
def test_paths_that_look_like_uri_syntax(tmp_path: Path, folder: str) -> None:
    """'#', '?', '%' in a folder name once made SQLite open (and create) another file."""
    from ledger_app.services import Ledger

    path = tmp_path / folder / "台账.sqlite3"
    with Ledger.open(path, create=True) as ledger:
        ledger.directory.create_unit("区住建局")
    copy = backup_copy(path, "test")
    with Ledger.open(copy) as restored:
        assert [u.name for u in restored.directory.list_units()] == ["区住建局"]
    assert sorted(p.name for p in tmp_path.iterdir()) == [folder]


def test_copies_cut_off_by_a_killed_process_are_swept_by_the_next_backup(ledger: Ledger) -> None:
    import os
    import time

    folder = backups_dir(ledger.path)
    folder.mkdir()
    stale = [
        folder / "ledger-20261207-101010-000001-auto.sqlite3.part",
        folder / "ledger-x.sqlite3.part-journal",
    ]
    fresh = folder / "ledger-20261207-111111-000001-auto.sqlite3.part"  # another backup in flight
    other = folder / "notes.part"  # not one of ours
    for path in [*stale, fresh, other]:
        path.write_bytes(b"half")
    hour_ago = time.time() - 3600
    for path in [*stale, other]:
        os.utime(path, (hour_ago, hour_ago))

    copy = backup_copy(ledger.path, "manual")

    assert sorted(p.name for p in folder.iterdir()) == sorted([copy.name, fresh.name, other.name])
