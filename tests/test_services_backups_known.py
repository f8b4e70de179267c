"""services.backups at its edges (issue 24): the policy from the settings, when an automatic backup is
due, the refusals of a file that is not a ledger, the restore's steps and messages, and the summary
the clerk reads, each with its expected values written out."""

from __future__ import annotations

import shutil
import sqlite3
from datetime import timedelta
from pathlib import Path

import pytest

from ledger_app.domain.errors import CancelledError, LedgerError, NewerLedgerError, NotALedgerError
from ledger_app.domain.model import ProblemKind, RoundLevel
from ledger_app.domain.retention import RetentionPolicy
from ledger_app.services import Ledger
from ledger_app.services import backups as sbk
from ledger_app.store import backup as store_backup


def test_the_summary_of_a_restore() -> None:
    base = sbk.RestoreResult(Path("/d/ledger.sqlite3"), Path("/d/b/ledger-20260101-manual.sqlite3"), None, 12)
    assert base.summary() == "已从备份 ledger-20260101-manual.sqlite3 恢复台账(12 项任务)。"
    before = Path("/d/b/ledger-20260102-before-restore.sqlite3")
    ten = tuple(f"f{n}.jpg" for n in range(10))
    full = sbk.RestoreResult(base.ledger, base.restored_from, before, 3, ten)
    assert full.summary().splitlines() == [
        "已从备份 ledger-20260101-manual.sqlite3 恢复台账(3 项任务)。",
        "恢复前的台账已备份为 ledger-20260102-before-restore.sqlite3。",
        "附件库中缺少恢复后台账需要的佐证材料:"
        + "、".join(ten)
        + ";请运行“检查佐证材料库”,它能从库中找到的副本找回文件。",
    ]
    eleven = sbk.RestoreResult(base.ledger, base.restored_from, None, 3, (*ten, "f10.jpg"))
    assert eleven.summary().splitlines()[1] == (
        "附件库中缺少恢复后台账需要的佐证材料:"
        + "、".join(ten)
        + " 等 11 个;请运行“检查佐证材料库”,它能从库中找到的副本找回文件。"
    )


def test_the_policy_from_the_settings() -> None:
    assert sbk.policy_from_settings({}) == RetentionPolicy(10, 30, 12)
    assert sbk.policy_from_settings(
        {"backup_keep_last": "3", "backup_keep_daily": "0", "backup_keep_monthly": "5"}
    ) == RetentionPolicy(3, 0, 5)
    # The newest is always kept; a bad or negative value falls back to the default.
    assert sbk.policy_from_settings({"backup_keep_last": "0"}).keep_last == 1
    assert sbk.policy_from_settings(
        {"backup_keep_last": "-2", "backup_keep_daily": "x", "backup_keep_monthly": "-1"}
    ) == RetentionPolicy(10, 30, 12)
    assert sbk.policy_from_settings({"backup_keep_daily": 7}).keep_daily == 7


def test_the_policy_stored_in_a_ledger_file(ledger: Ledger, tmp_path: Path) -> None:
    ledger.settings.update(backup_keep_last=4, backup_keep_daily=6, backup_keep_monthly=2)
    assert sbk.ledger_policy(ledger.path) == RetentionPolicy(4, 6, 2)
    assert ledger.backups.backup_policy() == RetentionPolicy(4, 6, 2)
    broken = tmp_path / "broken.sqlite3"
    broken.write_bytes(b"x" * 1000)
    assert sbk.ledger_policy(broken) == RetentionPolicy()


def test_a_backup_taken_then_rotated_by_the_ledgers_policy(ledger: Ledger) -> None:
    ledger.settings.update(backup_keep_last=2, backup_keep_daily=0, backup_keep_monthly=0)
    folder = store_backup.backups_dir(ledger.path)
    folder.mkdir()
    old = [folder / f"ledger-2020010{d}-120000-000000-periodic.sqlite3" for d in (1, 2, 3)]
    for path in old:
        shutil.copyfile(ledger.path, path)
    result = ledger.backups.backup_now("bulk")
    assert result.path.name.endswith("-bulk.sqlite3") and result.path.parent == folder
    # Kept: the two newest, the one just made and 2020-01-03; the two older are removed.
    assert sorted(p.name for p in result.removed) == [old[0].name, old[1].name]
    # protect= keeps a backup the rotation would remove.
    again = sbk.take_backup(ledger.path, "manual", protect=[old[2]])
    assert again.removed == ()
    third = sbk.take_backup(ledger.path, "manual", policy=RetentionPolicy(1, 0, 0))
    assert {p.name for p in third.removed} == {old[2].name, result.path.name, again.path.name}
    assert [b.path for b in ledger.backups.list_backups()] == [third.path]
    overview = ledger.backups.backup_overview()
    assert (overview.folder, overview.backups[0].path, overview.policy) == (
        folder,
        third.path,
        RetentionPolicy(2, 0, 0),
    )
    assert overview.total_size == third.path.stat().st_size
    assert ledger.backups.backups_dir == folder


def test_a_backup_of_an_unreadable_ledger_is_a_clear_error(tmp_path: Path) -> None:
    broken = tmp_path / "台账.sqlite3"
    broken.write_bytes(b"x" * 4096)
    with pytest.raises(LedgerError) as caught:
        sbk.take_backup(broken, "manual")
    assert caught.value.message_zh.startswith("无法备份台账 台账.sqlite3:")
    assert caught.value.message_zh.endswith("(磁盘可能已满、没有写入权限,或台账文件已损坏)")
    assert caught.value.message_en.startswith(f"backup of {broken} failed: ")
    error = sbk._backup_error(broken, OSError(28, "No space left on device"))
    assert (
        error.message_zh
        == "无法备份台账 台账.sqlite3:No space left on device(磁盘可能已满、没有写入权限,或台账文件已损坏)"
    )
    assert sbk._backup_error(broken, OSError("odd")).message_zh.startswith("无法备份台账 台账.sqlite3:odd(")


def test_when_an_automatic_backup_is_due(ledger: Ledger) -> None:
    with pytest.raises(ValueError):
        sbk.backup_due(ledger.path, "hourly")
    folder = store_backup.backups_dir(ledger.path)
    folder.mkdir()
    (folder / "ledger-20300101-000000-000000-manual.sqlite3").write_bytes(b"damaged")  # not readable: no help
    assert sbk.backup_due(ledger.path, "periodic")
    made = ledger.backups.backup_now()
    taken = store_backup.parse_backup_name(ledger.path, made.path.name)
    assert taken is not None
    # Unchanged since the newest readable backup: never due.
    assert sbk.backup_due(ledger.path, "close") is False
    ledger.directory.create_unit("区住建局")
    assert sbk.backup_due(ledger.path, "periodic") and sbk.backup_due(ledger.path, "close")
    # "open": only when the newest is a day old or more.
    assert not sbk.backup_due(ledger.path, "open", now=taken[0] + timedelta(hours=23, minutes=59))
    assert sbk.backup_due(ledger.path, "open", now=taken[0] + timedelta(days=1))
    assert ledger.backups.backup_if_due("open", now=taken[0] + timedelta(hours=1)) is None
    due = ledger.backups.backup_if_due("open", now=taken[0] + timedelta(days=2))
    assert due is not None and due.path.name.endswith("-open.sqlite3")


def test_a_ledger_that_cannot_be_read_is_never_due(tmp_path: Path, ledger: Ledger) -> None:
    ledger.backups.backup_now()
    copy_dir = tmp_path / "c"
    copy_dir.mkdir()
    path = copy_dir / "ledger.sqlite3"
    shutil.copytree(store_backup.backups_dir(ledger.path), store_backup.backups_dir(path))
    path.write_bytes(b"x" * 4096)
    assert sbk.backup_due(path, "periodic") is False


def _ledger_file(tmp_path: Path, template: Path, name: str = "l.sqlite3") -> Path:
    path = tmp_path / name
    shutil.copyfile(template, path)
    return path


def test_files_that_are_not_a_ledger(tmp_path: Path, template_ledger: Path) -> None:
    with pytest.raises(NotALedgerError) as caught:
        sbk.check_ledger_file(tmp_path / "none.sqlite3")
    assert caught.value.message_zh == f"找不到备份文件:{tmp_path / 'none.sqlite3'}"
    garbage = tmp_path / "g.sqlite3"
    garbage.write_bytes(b"garbage" * 1000)
    with pytest.raises(NotALedgerError) as caught:
        sbk.check_ledger_file(garbage)
    assert caught.value.message_zh.startswith("文件已损坏或不是台账文件:g.sqlite3(")
    other = tmp_path / "other.sqlite3"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE problems (x)")
    with pytest.raises(NotALedgerError) as caught:
        sbk.check_ledger_file(other)
    assert caught.value.message_zh == "这不是整改台账文件:other.sqlite3"
    versions_only = tmp_path / "v.sqlite3"
    with sqlite3.connect(versions_only) as conn:
        conn.execute("CREATE TABLE alembic_version (version_num)")
    with pytest.raises(NotALedgerError) as caught:
        sbk.check_ledger_file(versions_only)
    assert caught.value.message_zh == "这不是整改台账文件:v.sqlite3"
    foreign = _ledger_file(tmp_path, template_ledger, "foreign.sqlite3")
    with sqlite3.connect(foreign) as conn:
        conn.execute("PRAGMA application_id = 12345")
    with pytest.raises(NotALedgerError) as caught:
        sbk.check_ledger_file(foreign)
    assert caught.value.message_zh == "这不是整改台账文件:foreign.sqlite3"
    newer = _ledger_file(tmp_path, template_ledger, "newer.sqlite3")
    with sqlite3.connect(newer) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999'")
    with pytest.raises(NewerLedgerError) as caught:
        sbk.check_ledger_file(newer)
    assert caught.value.message_zh == "此文件由更新版本的软件创建(数据库版本 9999),请升级本软件后再恢复。"
    zero = _ledger_file(tmp_path, template_ledger, "zero.sqlite3")
    with sqlite3.connect(zero) as conn:
        conn.execute("PRAGMA application_id = 0")  # made before the id was written: still ours
    assert sbk.check_ledger_file(zero) == 0


def test_a_damaged_page_fails_the_integrity_check(tmp_path: Path, ledger: Ledger) -> None:
    round_id = ledger.directory.create_round(name="第一轮", level=RoundLevel.CENTRAL)
    for n in range(300):
        ledger.tasks.create_task(
            round_id=round_id, kind=ProblemKind.SPECIFIC, description=f"问题{n}" * 20, lead_units=["甲局"]
        )
    copy = ledger.backups.backup_now().path
    assert sbk.check_ledger_file(copy) == 300
    with sqlite3.connect(copy) as conn:
        index_page = conn.execute(
            "SELECT rootpage FROM sqlite_master WHERE type = 'index' AND tbl_name = 'problems' ORDER BY rootpage DESC"
        ).fetchone()[0]
        page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    data = bytearray(copy.read_bytes())
    start = (index_page - 1) * page_size
    data[start + 8 : start + 200] = b"\x00" * 192  # an index page's cells: the table is still readable
    copy.write_bytes(bytes(data))
    with pytest.raises(NotALedgerError) as caught:
        sbk.check_ledger_file(copy)
    assert caught.value.message_zh.startswith(f"文件已损坏,未使用:{copy.name}(")


def test_the_steps_of_a_restore(ledger: Ledger) -> None:
    ledger.directory.create_unit("甲")
    backup = ledger.backups.backup_now().path
    path = ledger.path
    ledger.close()
    steps: list[tuple[int, int, str]] = []
    result = sbk.restore_backup(path, backup, progress=lambda d, t, text: steps.append((d, t, text)))
    assert steps == [
        (0, 4, "正在检查备份文件…"),
        (1, 4, "正在备份当前台账…"),
        (2, 4, "正在恢复…"),
        (3, 4, "正在核对佐证材料…"),
        (4, 4, ""),
    ]
    assert (result.ledger, result.restored_from, result.tasks, result.missing) == (path, backup, 0, ())
    assert result.before_restore is not None and result.before_restore.name.endswith(
        "-before-restore.sqlite3"
    )
    # The backup restored is kept by the rotation that followed the before-restore backup.
    assert backup.exists()
    with pytest.raises(
        LedgerError
    ) as caught:  # refused before any step (copying a file onto itself would hang)
        sbk.restore_backup(path, path, progress=lambda *step: pytest.fail(f"went on: {step}"))
    assert caught.value.message_zh == "不能用台账文件本身来恢复它。"


def test_a_restore_cancelled_after_the_before_restore_backup(ledger: Ledger) -> None:
    ledger.directory.create_unit("甲")
    backup = ledger.backups.backup_now().path
    ledger.directory.create_unit("乙")
    path = ledger.path
    ledger.close()
    answers = iter([False, True])
    with pytest.raises(CancelledError):
        sbk.restore_backup(path, backup, cancelled=lambda: next(answers))
    # The current state was backed up, the ledger left as it was.
    assert [b.reason for b in store_backup.list_backups(path)] == ["before-restore", "manual"]
    with Ledger.open(path) as again:
        assert {u.name for u in again.directory.list_units()} == {"甲", "乙"}


def test_restoring_into_a_ledger_file_that_is_not_there(ledger: Ledger, tmp_path: Path) -> None:
    ledger.directory.create_unit("甲")
    backup = ledger.backups.backup_now().path
    target = tmp_path / "new" / "恢复.sqlite3"
    target.parent.mkdir()
    (target.parent / "恢复.sqlite3-journal").write_bytes(b"stale")  # never rolled into the new file
    result = sbk.restore_backup(target, backup)
    assert result.before_restore is None
    assert sorted(p.name for p in target.parent.iterdir()) == ["恢复.sqlite3"]
    with Ledger.open(target) as restored:
        assert [u.name for u in restored.directory.list_units()] == ["甲"]


def test_missing_evidence_is_listed_by_name(ledger: Ledger, tmp_path: Path) -> None:
    round_id = ledger.directory.create_round(name="第一轮", level=RoundLevel.CENTRAL)
    task = ledger.tasks.create_task(
        round_id=round_id, kind=ProblemKind.SPECIFIC, description="问题", lead_units=["甲局"]
    )
    (tmp_path / "有.jpg").write_bytes(b"present")
    ledger.attachments.add_attachments(task, [tmp_path / "有.jpg"])
    with sqlite3.connect(ledger.path) as conn:
        # By checksum: the missing "0…0" first, then the file present, then the row that is no checksum.
        for sha, name in (("0" * 64, "乙.pdf"), ("0" * 64, "甲.pdf"), ("not-a-sha", "丙.doc")):
            conn.execute(
                "INSERT INTO attachments (problem_id, sha256, original_name, size, media_type, description,"
                " added_at, added_by, deleted_at) VALUES (?, ?, ?, 1, '', '', '2026-01-01', '', NULL)",
                (task, sha, name),
            )
    # One name per missing file (the least: 乙 U+4E59 before 甲 U+7532), sorted; the file present is not listed.
    assert sbk.missing_evidence(ledger.path) == ("丙.doc", "乙.pdf")


def test_the_rotation_is_logged_and_the_evidence_backups_need(
    ledger: Ledger, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    assert sbk.PERIODIC_MINUTES == 30  # the GUI's timer
    assert sbk.BackupOverview(tmp_path).total_size == 0
    ledger.settings.update(backup_keep_last=1, backup_keep_daily=0, backup_keep_monthly=0)
    first = ledger.backups.backup_now().path
    with caplog.at_level("INFO", logger="ledger_app.services.backups"):
        ledger.backups.backup_now()
    assert [r.getMessage() for r in caplog.records] == [f"backup rotation removed {first.name}"]
    assert ledger.backups.needed_by_backups() == set()
    round_id = ledger.directory.create_round(name="第一轮", level=RoundLevel.CENTRAL)
    task = ledger.tasks.create_task(
        round_id=round_id, kind=ProblemKind.SPECIFIC, description="问题", lead_units=["甲局"]
    )
    (tmp_path / "证.jpg").write_bytes(b"evidence")
    (added,) = ledger.attachments.add_attachments(task, [tmp_path / "证.jpg"]).added
    ledger.backups.backup_now()
    assert ledger.backups.needed_by_backups() == {added.sha256}


def test_a_restore_puts_back_the_content_in_the_same_file_and_holds_the_lock(ledger: Ledger) -> None:
    from ledger_app.store.lock import read_holder

    ledger.directory.create_unit("甲")
    backup = ledger.backups.backup_now().path
    ledger.directory.create_unit("乙")
    path = ledger.path
    ledger.close()
    inode = path.stat().st_ino
    holders: list[str] = []

    def step(done: int, total: int, text: str) -> None:
        holder = read_holder(path)
        holders.append(holder.user if holder else "")

    sbk.restore_backup(str(path), str(backup), progress=step, actor="张三")  # type: ignore[arg-type]
    assert holders == ["", "张三", "张三", "张三", "张三"]  # checked first, then locked for the restore
    assert read_holder(path) is None  # released
    assert path.stat().st_ino == inode  # written into the ledger file itself, not a new file put there
    with Ledger.open(path) as again:
        assert [u.name for u in again.directory.list_units()] == ["甲"]


def test_a_damaged_ledger_is_kept_as_bytes_before_the_restore(
    ledger: Ledger, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    ledger.directory.create_unit("甲")
    backup = tmp_path / "elsewhere.sqlite3"
    shutil.copyfile(ledger.backups.backup_now().path, backup)
    path = ledger.path
    ledger.close()
    shutil.rmtree(store_backup.backups_dir(path))  # the folder is made again for the damaged bytes
    damaged = b"SQLite format 3\x00" + b"\xff" * 4000
    path.write_bytes(damaged)
    with caplog.at_level("WARNING", logger="ledger_app.services.backups"):
        result = sbk.restore_backup(path, backup)
    assert result.before_restore is not None
    taken = store_backup.parse_backup_name(path, result.before_restore.name)
    assert taken is not None and taken[1] == "damaged"
    assert result.before_restore.parent == store_backup.backups_dir(path)
    assert result.before_restore.read_bytes() == damaged
    assert [r.getMessage() for r in caplog.records] == [
        f"ledger {path} unreadable; kept its bytes as {result.before_restore} before the restore"
    ]
    with Ledger.open(path) as again:
        assert [u.name for u in again.directory.list_units()] == ["甲"]


def test_a_damaged_ledger_whose_bytes_cannot_be_kept(ledger: Ledger, tmp_path: Path) -> None:
    ledger.directory.create_unit("甲")
    backup = tmp_path / "elsewhere.sqlite3"
    shutil.copyfile(ledger.backups.backup_now().path, backup)
    path = ledger.path
    ledger.close()
    shutil.rmtree(store_backup.backups_dir(path))
    store_backup.backups_dir(path).write_text("a file where the backups folder should be")
    path.write_bytes(b"SQLite format 3\x00" + b"\xff" * 4000)
    with pytest.raises(LedgerError) as caught:
        sbk.restore_backup(path, backup)
    assert caught.value.message_zh.startswith(f"无法备份台账 {path.name}:")
    assert path.read_bytes().startswith(b"SQLite format 3\x00\xff")  # unchanged


def test_a_restore_cancelled_at_once_writes_nothing(ledger: Ledger) -> None:
    ledger.directory.create_unit("甲")
    backup = ledger.backups.backup_now().path
    path = ledger.path
    ledger.close()
    with pytest.raises(CancelledError):
        sbk.restore_backup(path, backup, cancelled=lambda: True)
    assert [b.reason for b in store_backup.list_backups(path)] == ["manual"]  # no before-restore backup
