"""store.backup on hand-made folders (issue 24): file names and labels, what a backup holds, the listing
order, the folder's size, the evidence backups need, and the rotation on disk, with every expected
name, number and message written out."""

from __future__ import annotations

import os
import shutil
import sqlite3
from datetime import datetime
from pathlib import Path

import pytest

from ledger_app.domain.model import ProblemKind, RoundLevel
from ledger_app.domain.retention import RetentionPolicy
from ledger_app.services import Ledger
from ledger_app.store import backup as sb


def test_every_reason_label() -> None:
    assert {key: sb.reason_label(key) for key in sb.REASON_LABELS} == {
        "open": "打开时",
        "periodic": "定时",
        "close": "关闭时",
        "before-import": "导入前",
        "before-upgrade": "升级前",
        "before-restore": "恢复前",
        "bulk": "批量操作前",
        "manual": "手动",
    }
    assert sb.reason_label("manual-2") == "手动(2)"
    assert sb.reason_label("before-import-x-y") == "导入前(x-y)"
    assert sb.reason_label("openly") == "openly"  # not "open" and a suffix
    assert sb.reason_label("") == ""


def test_names_of_backups() -> None:
    ledger = Path("/data/台账.2026.sqlite3")
    assert sb.backups_dir(ledger) == Path("/data/台账.2026.backups")
    assert sb.parse_backup_name(ledger, "台账.2026-20260102-030405-000006-bulk.sqlite3") == (
        datetime(2026, 1, 2, 3, 4, 5, 6),
        "bulk",
    )
    assert sb.parse_backup_name(ledger, "台账.2026-20260102-030405-a-b-c.sqlite3") == (
        datetime(2026, 1, 2, 3, 4, 5),
        "a-b-c",
    )
    for other in (
        "台账X2026-20260102-030405-000006-bulk.sqlite3",  # the stem's dot is a dot, not any character
        "台账.2026-20260230-030405-000006-bulk.sqlite3",  # no 30 February
        "台账.2026-20260102-030405-000006-bulk.sqlite",
        "台账.2026-20260102-030405-000006-a\\b.sqlite3",
        "前缀台账.2026-20260102-030405-000006-bulk.sqlite3",
    ):
        assert sb.parse_backup_name(ledger, other) is None, other
    info = sb.BackupInfo(Path("x"), datetime(2026, 1, 1), "before-upgrade-0003", 10)
    assert (info.reason_label, info.damaged, info.tasks, info.last_change, info.error) == (
        "升级前(0003)",
        False,
        None,
        None,
        "",
    )
    assert sb.BackupInfo(Path("x"), datetime(2026, 1, 1), "open", 0, error="坏了").damaged


def _tasks(ledger: Ledger, n: int) -> list[int]:
    round_id = ledger.directory.create_round(name="第二轮", level=RoundLevel.CENTRAL)
    return [
        ledger.tasks.create_task(
            round_id=round_id, kind=ProblemKind.SPECIFIC, description=f"问题{i}", lead_units=["甲局"]
        )
        for i in range(n)
    ]


def test_a_backup_holds_its_live_tasks_and_its_newest_audit_row(ledger: Ledger) -> None:
    ids = _tasks(ledger, 3)
    ledger.tasks.delete_task(ids[0])
    before = datetime.now()
    made = sb.backup_copy(ledger.path, "manual")
    taken, reason = sb.parse_backup_name(ledger.path, made.name) or (None, "")
    assert reason == "manual" and taken is not None
    assert before.replace(microsecond=0) <= taken <= datetime.now()
    (info,) = sb.list_backups(ledger.path)
    assert (info.path, info.taken_at, info.reason, info.size) == (made, taken, "manual", made.stat().st_size)
    assert info.tasks == 2 and info.error == ""
    with sqlite3.connect(ledger.path) as conn:
        row_id, change_id, at = conn.execute(
            "SELECT id, change_id, at FROM audit_log ORDER BY id DESC"
        ).fetchone()
    assert info.last_change == sb.ChangeMark(row_id, change_id, datetime.fromisoformat(at))
    assert sb.ledger_change_mark(ledger.path) == info.last_change


def test_an_empty_log_has_no_change_mark_and_odd_times_none(ledger_path: Path, tmp_path: Path) -> None:
    copy = tmp_path / "empty.sqlite3"
    shutil.copyfile(ledger_path, copy)
    with sqlite3.connect(copy) as conn:
        conn.execute("DELETE FROM audit_log")
    assert sb.ledger_change_mark(copy) is None
    with sqlite3.connect(copy) as conn:
        conn.execute(
            "INSERT INTO audit_log (id, change_id, at, actor, action, entity, field, reason, undone)"
            " VALUES (7, 'c1', 'gestern', '', 'update', 'x', 'y', '', 0)"
        )
    assert sb.ledger_change_mark(copy) == sb.ChangeMark(7, "c1", None)  # a time that is no time: None
    assert sb._parse_time(20260101) is None


def test_the_listing_newest_first_damaged_ones_marked_others_skipped(ledger: Ledger) -> None:
    folder = sb.backups_dir(ledger.path)
    folder.mkdir()
    names = [
        "ledger-20260301-090000-000000-open.sqlite3",
        "ledger-20260301-090000-000000-close.sqlite3",  # the same time: by name, descending
        "ledger-20260302-090000-000000-manual.sqlite3",
        "ledger-20260228-090000-000000-bulk.sqlite3",
    ]
    for name in names:
        shutil.copyfile(ledger.path, folder / name)
    (folder / "ledger-20260303-090000-000000-broken.sqlite3").write_bytes(b"not a ledger" * 100)
    (folder / "ledger-20260304-090000-000000-folder.sqlite3").mkdir()  # named like one, but a folder
    (folder / "other-20260305-090000-000000-manual.sqlite3").write_bytes(b"x")
    (folder / "readme.txt").write_text("x")
    listed = sb.list_backups(ledger.path)
    assert [b.path.name for b in listed] == [
        "ledger-20260303-090000-000000-broken.sqlite3",
        "ledger-20260302-090000-000000-manual.sqlite3",
        "ledger-20260301-090000-000000-open.sqlite3",
        "ledger-20260301-090000-000000-close.sqlite3",
        "ledger-20260228-090000-000000-bulk.sqlite3",
    ]
    broken = listed[0]
    assert broken.damaged and broken.tasks is None and broken.last_change is None
    assert broken.size == 1200
    assert broken.error.startswith("已损坏或不是台账文件(")
    assert [b.tasks for b in listed[1:]] == [0, 0, 0, 0]
    # The folder's size: every file in it, ours or not (not the folder named like a backup).
    size = ledger.path.stat().st_size
    assert sb.folder_size(ledger.path) == 4 * size + 1200 + 1 + 1
    assert sb.folder_size(ledger.path.with_name("none.sqlite3")) == 0
    assert sb.list_backups(ledger.path.with_name("none.sqlite3")) == []


def test_a_backup_that_cannot_be_read_at_all(tmp_path: Path) -> None:
    info = sb.read_backup(tmp_path / "gone.sqlite3", datetime(2026, 1, 1), "open")
    assert (info.size, info.tasks, info.damaged) == (0, None, True)
    assert info.error.startswith("无法读取:")


def test_what_backups_need(ledger: Ledger, tmp_path: Path) -> None:
    def with_rows(name: str, shas: list[str]) -> Path:
        path = tmp_path / name
        shutil.copyfile(ledger.path, path)
        with sqlite3.connect(path) as conn:
            conn.execute(
                "INSERT INTO rounds (id, name, level, plan_document_no, position) VALUES (1, 'r', 'central', '', 0)"
            )
            conn.execute(
                "INSERT INTO problems (id, round_id, seq, kind, description, leader, contact, contact_phone,"
                " deadline_text, deadline_long_term, goal, status, batch, case_no, note, created_at)"
                " VALUES (1, 1, '1', 'specific', '', '', '', '', '', 0, '', 'not-started', '', '', '', '2026-01-01')"
            )
            for n, sha in enumerate(shas):
                conn.execute(
                    "INSERT INTO attachments (problem_id, sha256, original_name, size, media_type, description,"
                    " added_at, added_by, deleted_at) VALUES (1, ?, ?, 1, '', '', '2026-01-01', '', NULL)",
                    (sha, f"f{n}"),
                )
        return path

    a = with_rows("a.sqlite3", ["1" * 64, "2" * 64, "1" * 64])
    b = with_rows("b.sqlite3", ["3" * 64])
    broken = tmp_path / "broken.sqlite3"
    broken.write_bytes(b"x" * 4096)
    assert sb.needed_hashes([a, broken, b]) == {"1" * 64, "2" * 64, "3" * 64}
    assert sb.needed_hashes([]) == set()
    folder = sb.backups_dir(ledger.path)
    folder.mkdir()
    shutil.copyfile(b, folder / "ledger-20260101-000000-000000-manual.sqlite3")
    shutil.copyfile(broken, folder / "ledger-20260102-000000-000000-manual.sqlite3")
    assert sb.needed_by_backups(ledger.path) == {"3" * 64}


def test_rotation_on_disk(ledger: Ledger) -> None:
    folder = sb.backups_dir(ledger.path)
    folder.mkdir()
    names = [f"ledger-202603{d:02}-120000-000000-periodic.sqlite3" for d in range(1, 7)]
    for name in names:
        (folder / name).write_bytes(b"x")
    (folder / "ledger-20260101-120000-000000-stuck.sqlite3").mkdir()  # cannot be unlinked: left, not listed
    (folder / "notes.txt").write_text("x")
    policy = RetentionPolicy(keep_last=2, keep_daily=0, keep_monthly=0)
    removed = sb.prune_backups(
        ledger.path,
        policy,
        protect=[Path("/elsewhere") / names[0], str(folder / names[1])],
        now=datetime(2026, 3, 7),
    )
    # Kept: the two newest (5th, 6th) and the protected 1st and 2nd, by name wherever the path points.
    assert [p.name for p in removed] == names[2:4]
    assert all(p.parent == folder for p in removed)
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        [*names[:2], *names[4:], "ledger-20260101-120000-000000-stuck.sqlite3", "notes.txt"]
    )
    # Without "now": the present; the ones left are all kept by the last-two rule or protected.
    assert sb.prune_backups(ledger.path, RetentionPolicy(keep_last=4, keep_daily=0, keep_monthly=0)) == []


def test_the_copy_replaces_a_file_at_its_destination_whole(ledger: Ledger, tmp_path: Path) -> None:
    _tasks(ledger, 1)
    dest = tmp_path / "copy.sqlite3"
    dest.write_bytes(b"old")
    assert sb.backup_copy(ledger.path, "ignored", dest=dest) == dest
    with sqlite3.connect(dest) as conn:
        assert conn.execute("SELECT count(*) FROM problems").fetchone() == (1,)
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("copy")) == ["copy.sqlite3"]
    assert not sb.backups_dir(ledger.path).exists()  # a given destination makes no backups folder


@pytest.mark.skipif(os.name != "posix", reason="a read-only folder")
def test_a_copy_into_a_folder_it_cannot_write(ledger: Ledger, tmp_path: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root writes anywhere")
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        with pytest.raises(sqlite3.Error):
            sb.backup_copy(ledger.path, "x", dest=folder / "c.sqlite3")
        assert list(folder.iterdir()) == []
    finally:
        folder.chmod(0o700)


def test_leftover_part_files_older_than_ten_minutes_are_swept(tmp_path: Path) -> None:
    now = 1_000_000.0
    names = {
        "l-20260101-000000-000000-open.sqlite3.part": now - 601,  # old: removed
        "l-20260101-000000-000000-open.sqlite3.part-journal": now - 700,
        "l-20260101-000000-000000-open.sqlite3.part-wal": now - 601,
        "l-20260101-000000-000000-open.sqlite3.part-shm": now - 601,
        "l-20260101-000000-000001-open.sqlite3.part": now - 600,  # exactly ten minutes: still in flight
        "l-20260101-000000-000002-open.sqlite3.part-other": now - 9999,  # not one of ours
        "l-20260101-000000-000003-open.sqlite3": now - 9999,  # a backup
    }
    for name, mtime in names.items():
        (tmp_path / name).write_bytes(b"x")
        os.utime(tmp_path / name, (mtime, mtime))
    removed = sb.sweep_leftovers(tmp_path, now=now)
    assert sorted(p.name for p in removed) == sorted(list(names)[:4])
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(list(names)[4:])
    # Without "now": the present, when the one left (its time set in 1970 above) is old too.
    assert [p.name for p in sb.sweep_leftovers(tmp_path)] == [list(names)[4]]


def test_the_copy_is_closed_before_it_is_put_in_place(
    ledger: Ledger, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Windows cannot rename a file still open: no handle on the .part file when it is renamed."""
    seen: list[list[str]] = []
    original = sb.replace_path

    def check(src: Path, dst: Path) -> None:
        fds = Path("/proc/self/fd")
        if fds.is_dir():
            seen.append([os.readlink(fds / fd) for fd in os.listdir(fds) if _points_to(fds / fd, src)])
        original(src, dst)

    monkeypatch.setattr(sb, "replace_path", check)
    sb.backup_copy(ledger.path, "manual")
    assert seen in ([[]], [])


def _points_to(fd: Path, target: Path) -> bool:
    try:
        return os.readlink(fd) == str(target)
    except OSError:
        return False


def test_a_copy_of_a_ledger_that_is_not_there(tmp_path: Path) -> None:
    with pytest.raises(sqlite3.OperationalError):
        sb.backup_copy(tmp_path / "none.sqlite3", "manual")
    assert list(sb.backups_dir(tmp_path / "none.sqlite3").iterdir()) == []


def test_exact_messages_of_unreadable_backups(tmp_path: Path) -> None:
    info = sb.read_backup(tmp_path / "gone.sqlite3", datetime(2026, 1, 1), "open")
    assert info.error == "无法读取:No such file or directory"
    broken = tmp_path / "broken.sqlite3"
    broken.write_bytes(b"garbage" * 1000)
    info = sb.read_backup(broken, datetime(2026, 1, 1), "open")
    assert info.error == "已损坏或不是台账文件(file is not a database)"


def test_what_cannot_be_read_or_removed_is_logged(
    ledger: Ledger, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    broken = tmp_path / "broken.sqlite3"
    broken.write_bytes(b"x" * 4096)
    with caplog.at_level("WARNING", logger="ledger_app.store.backup"):
        assert sb.needed_hashes([broken]) == set()
        folder = sb.backups_dir(ledger.path)
        folder.mkdir()
        (folder / "ledger-20200101-000000-000000-periodic.sqlite3").mkdir()  # cannot be unlinked
        (folder / "ledger-20200102-000000-000000-periodic.sqlite3").write_bytes(b"x")
        removed = sb.prune_backups(ledger.path, RetentionPolicy(keep_last=0, keep_daily=0, keep_monthly=0))
    assert [p.name for p in removed] == ["ledger-20200102-000000-000000-periodic.sqlite3"]
    messages = [r.getMessage() for r in caplog.records]
    assert any(m.startswith(f"backup {broken} unreadable, its evidence needs unknown:") for m in messages)
    assert any(
        m.startswith("could not remove old backup ledger-20200101-000000-000000-periodic.sqlite3:")
        for m in messages
    )


def test_a_copy_into_a_folder_that_is_not_there(ledger: Ledger, tmp_path: Path) -> None:
    with pytest.raises(sqlite3.OperationalError):
        sb.backup_copy(ledger.path, "x", dest=tmp_path / "missing" / "c.sqlite3")
    assert not (tmp_path / "missing").exists()
