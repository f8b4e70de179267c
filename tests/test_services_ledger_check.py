"""检查台账: the file, the audit log's hash chain, and the data against the log.

Every tampering here is done with plain sqlite3, as someone with another SQLite tool would.
"""

from __future__ import annotations

import importlib.util
import json
import shutil
import sqlite3
from datetime import date, datetime
from pathlib import Path

import pytest

from ledger_app.cli.common import EXIT_OK, EXIT_PROBLEM_FOUND
from ledger_app.cli.main import main
from ledger_app.domain import audit_chain
from ledger_app.domain.errors import CancelledError
from ledger_app.domain.model import ProblemKind, ReviewResult, RoundLevel, TaskStatus
from ledger_app.resources import migrations_path
from ledger_app.services import Ledger, default_actor
from ledger_app.services.ledger_check import BACKUP, CHAIN, FOREIGN_KEY, STATE, LedgerCheckReport
from ledger_app.store import database
from tests.xlsx_factory import layout_county, sample_tasks

ROUND = "第二轮中央生态环境保护督察"
TASK = f"{ROUND} 反馈问题 序号 1"


def sql(path: Path, statement: str, params: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(path)
    try:
        rows = conn.execute(statement, params).fetchall()
        conn.commit()
        return rows
    finally:
        conn.close()


def check(path: Path) -> LedgerCheckReport:
    with Ledger.open(path, actor="检查员") as ledger:
        return ledger.check.check_ledger()


def findings(report: LedgerCheckReport, kind: str) -> list[str]:
    return [f.describe() for f in report.findings if f.kind == kind]


@pytest.fixture
def busy(ledger: Ledger) -> dict[str, int]:
    """A ledger that went through most kinds of change, undo included."""
    round_id = ledger.directory.create_round(name=ROUND, level=RoundLevel.CENTRAL)
    task = ledger.tasks.create_task(
        round_id=round_id,
        kind=ProblemKind.SPECIFIC,
        description="污水直排",
        lead_units=["区住建局"],
        cooperating_units=["区水务局"],
        deadline="2026年6月底前",
    )
    other = ledger.tasks.create_task(round_id=round_id, kind=ProblemKind.SPECIFIC, description="扬尘污染")
    measure = ledger.tasks.add_measure(task, text="雨污分流改造", lead_units=["区水务局"])
    second = ledger.tasks.add_measure(task, text="截污纳管", deadline="长期坚持")
    entry = ledger.tasks.add_progress(
        task, entry_date=date(2026, 5, 25), text="已完成30%", percent=30, measure_id=second
    )
    ledger.tasks.update_task(task, description="污水直排问题", cooperating_units=["区城管局"])
    ledger.tasks.update_progress(entry, percent=40)
    ledger.settings.update(organisation="青溪区", warning_days=20)
    ledger.tasks.move_measure(second, 1)
    ledger.tasks.delete_measure(second)  # the database empties the progress entry's measure link
    ledger.tasks.delete_measure(measure)
    ledger.history.undo_last()
    ledger.tasks.delete_task(other)
    ledger.history.undo_last()
    ledger.tasks.delete_task(other)
    ledger.lifecycle.transition(task, TaskStatus.IN_PROGRESS)
    return {"task": task, "entry": entry, "measure": measure}


def test_a_ledger_changed_only_through_the_program_passes(ledger: Ledger, busy: dict[str, int]) -> None:
    report = ledger.check.check_ledger()
    assert report.ok, report.lines()
    assert report.lines()[1] == "台账未发现问题。"
    (count,) = sql(ledger.path, "SELECT count(*) FROM audit_log")[0]
    assert report.audit_rows == count > 20
    assert report.compared_rows > 5
    (head,) = sql(ledger.path, "SELECT id, row_hash FROM audit_log ORDER BY id DESC LIMIT 1")
    assert (report.head_id, report.head_hash) == head


def test_every_row_is_chained_to_the_one_before(ledger: Ledger, busy: dict[str, int]) -> None:
    rows = sql(
        ledger.path,
        f"SELECT {', '.join(audit_chain.HASHED_COLUMNS)}, prev_hash, row_hash FROM audit_log ORDER BY id",
    )
    prev = audit_chain.GENESIS
    for row in rows:
        assert row[-2] == prev
        assert audit_chain.row_hash(prev, *row[:-2]) == row[-1]
        prev = row[-1]


def test_a_task_description_changed_with_sqlite_is_named(ledger: Ledger, busy: dict[str, int]) -> None:
    sql(ledger.path, "UPDATE problems SET description = '已整改完毕' WHERE id = ?", (busy["task"],))
    report = check(ledger.path)
    assert not report.ok
    (finding,) = report.findings
    assert finding.kind == STATE and finding.task_id == busy["task"] and finding.field == "description"
    assert (finding.logged, finding.actual) == ("污水直排问题", "已整改完毕")
    assert finding.describe().startswith(
        f"{TASK}:「问题描述」在修改日志中为「污水直排问题」,文件中却是「已整改完毕」"
    )


def test_a_progress_date_changed_with_sqlite_is_named(ledger: Ledger, busy: dict[str, int]) -> None:
    sql(ledger.path, "UPDATE progress_entries SET entry_date = '2026-04-30' WHERE id = ?", (busy["entry"],))
    report = check(ledger.path)
    (finding,) = report.findings
    assert finding.kind == STATE and finding.field == "entry_date"
    assert (finding.logged, finding.actual) == ("2026-05-25", "2026-04-30")
    assert finding.where == f"{TASK} 的整改进展 #{busy['entry']}"
    assert "「日期」" in finding.detail


def test_a_value_no_date_parser_accepts_is_reported_not_crashed_on(
    ledger: Ledger, busy: dict[str, int]
) -> None:
    sql(ledger.path, "UPDATE progress_entries SET entry_date = '2026年5月' WHERE id = ?", (busy["entry"],))
    report = check(ledger.path)
    assert [(f.field, f.actual) for f in report.findings] == [("entry_date", "2026年5月")]


def test_a_row_deleted_with_sqlite_is_named(ledger: Ledger, busy: dict[str, int]) -> None:
    sql(ledger.path, "DELETE FROM progress_entries WHERE id = ?", (busy["entry"],))
    report = check(ledger.path)
    assert findings(report, STATE) == [
        f"{TASK} 的整改进展 #{busy['entry']}:修改日志记录它存在,文件中却没有(在程序之外被删除;"
        f"日志第 {report.findings[0].audit_id} 条)"
    ]


def test_a_deleted_audit_row_breaks_the_chain_there(ledger: Ledger, busy: dict[str, int]) -> None:
    (count,) = sql(ledger.path, "SELECT count(*) FROM audit_log")[0]
    victim = count // 2
    sql(ledger.path, "DELETE FROM audit_log WHERE id = ?", (victim,))
    report = check(ledger.path)
    chain = [f for f in report.findings if f.kind == CHAIN]
    assert [f.audit_id for f in chain] == [victim + 1]
    assert f"第 {victim - 1} 条与第 {victim + 1} 条之间的链条断开" in chain[0].detail
    assert f"修改日志从第 {victim + 1} 条起不可信" in report.verdict()


def test_an_audit_value_altered_with_sqlite_is_found(ledger: Ledger, busy: dict[str, int]) -> None:
    # Someone edits the log to match an edit of the data: the data then agrees, the chain does not.
    (audit_id,) = sql(
        ledger.path, "SELECT id FROM audit_log WHERE entity = 'problem' AND field = 'description'"
    )[0]
    sql(ledger.path, "UPDATE audit_log SET new_value = '已整改完毕' WHERE id = ?", (audit_id,))
    sql(ledger.path, "UPDATE problems SET description = '已整改完毕' WHERE id = ?", (busy["task"],))
    report = check(ledger.path)
    assert findings(report, STATE) == []
    (finding,) = report.findings
    assert finding.kind == CHAIN and finding.audit_id == audit_id and finding.task_id == busy["task"]
    assert finding.describe().startswith(f"修改日志第 {audit_id} 条(")
    assert f"修改任务「问题描述」,{TASK})" in finding.where
    assert "内容与它的校验值不符" in finding.detail


def test_a_fake_audit_row_is_found(ledger: Ledger, busy: dict[str, int]) -> None:
    sql(
        ledger.path,
        "INSERT INTO audit_log (change_id, at, actor, action, entity, entity_id, entity_key, problem_id,"
        " field, old_value, new_value, reason, undone)"
        " VALUES ('x', '2026-06-01 09:00:00.000000', '张三', 'update', 'problem', ?, ?, ?, 'status',"
        " 'in-progress', 'closed', '修改任务', 0)",
        (busy["task"], json.dumps([str(busy["task"])]), busy["task"]),
    )
    report = check(ledger.path)
    chain = [f for f in report.findings if f.kind == CHAIN]
    assert len(chain) == 1 and "没有校验值" in chain[0].detail
    # …and the log it forged no longer agrees with the data either.
    assert [(f.field, f.logged, f.actual) for f in report.findings if f.kind == STATE] == [
        ("status", "closed", "in-progress")
    ]


def test_log_values_no_program_writes_are_reported_not_crashed_on(
    ledger: Ledger, busy: dict[str, int]
) -> None:
    (audit_id,) = sql(
        ledger.path, "SELECT id FROM audit_log WHERE entity = 'problem' AND field = 'description'"
    )[0]
    sql(ledger.path, "UPDATE audit_log SET at = '昨天', new_value = 42 WHERE id = ?", (audit_id,))
    report = check(ledger.path)
    assert [f.audit_id for f in report.findings if f.kind == CHAIN] == [audit_id]
    assert [(f.field, f.logged) for f in report.findings if f.kind == STATE] == [("description", "42")]


def test_rows_swapped_in_the_log_are_found(ledger: Ledger, busy: dict[str, int]) -> None:
    sql(ledger.path, "UPDATE audit_log SET id = -id WHERE id IN (5, 6)")
    sql(ledger.path, "UPDATE audit_log SET id = 6 WHERE id = -5")
    sql(ledger.path, "UPDATE audit_log SET id = 5 WHERE id = -6")
    assert {f.audit_id for f in check(ledger.path).findings if f.kind == CHAIN} >= {5, 6}


def test_what_the_chain_cannot_prove(ledger: Ledger, busy: dict[str, int]) -> None:
    """No secret key: the newest rows can be cut off (and their change undone by hand) without a trace
    in the file itself; only a backup or a noted head shows it (README: what the audit chain can and
    cannot prove). Here there is no backup."""
    before = check(ledger.path)
    last, prev = sql(ledger.path, "SELECT id, prev_hash FROM audit_log ORDER BY id DESC LIMIT 1")[0]
    row = sql(ledger.path, "SELECT field, old_value FROM audit_log WHERE id = ?", (last,))[0]
    assert row[0] == "status"
    sql(ledger.path, "DELETE FROM audit_log WHERE id = ?", (last,))
    sql(ledger.path, "UPDATE problems SET status = ? WHERE id = ?", (row[1], busy["task"]))
    after = check(ledger.path)
    assert after.ok
    # What reveals it is the head noted before: it is no longer the head.
    assert (after.head_id, after.head_hash) != (before.head_id, before.head_hash)
    assert after.head_hash == prev


def test_a_backup_shows_the_newest_log_rows_were_cut_off(ledger: Ledger, busy: dict[str, int]) -> None:
    from ledger_app.store.backup import backup_copy

    backup_copy(ledger.path, "close")
    (last,) = sql(ledger.path, "SELECT id FROM audit_log ORDER BY id DESC LIMIT 1")[0]
    (old,) = sql(ledger.path, "SELECT old_value FROM audit_log WHERE id = ?", (last,))[0]
    sql(ledger.path, "DELETE FROM audit_log WHERE id = ?", (last,))
    sql(ledger.path, "UPDATE problems SET status = ? WHERE id = ?", (old, busy["task"]))
    report = check(ledger.path)
    assert report.backups_compared == 1
    (finding,) = report.findings
    assert finding.kind == BACKUP and finding.audit_id == last
    assert f"的修改日志已有 {last} 条,台账中却只到第 {last - 1} 条" in finding.detail
    assert "(20" in finding.detail and "关闭时)" in finding.detail


def test_a_restored_older_backup_is_not_taken_for_tampering(ledger: Ledger, busy: dict[str, int]) -> None:
    from ledger_app.services.backups import restore_backup
    from ledger_app.store.backup import backup_copy

    older = backup_copy(ledger.path, "manual")
    ledger.tasks.update_task(busy["task"], note="恢复之前的修改")
    backup_copy(ledger.path, "close")
    path = ledger.path
    ledger.close()
    restore_backup(path, older)
    report = check(path)
    assert report.ok, report.lines()
    assert report.backups_before_restore >= 2
    with Ledger.open(path, actor="测试员") as again:
        again.tasks.update_task(busy["task"], note="恢复之后的修改")
    backup_copy(path, "close")
    assert check(path).backups_compared == 1


def test_a_log_table_altered_by_another_tool_is_reported_not_crashed_on(
    ledger: Ledger, busy: dict[str, int], capsys: pytest.CaptureFixture[str]
) -> None:
    path = ledger.path
    ledger.close()
    sql(path, "ALTER TABLE audit_log DROP COLUMN row_hash")
    assert main(["check", "--db", str(path)]) == EXIT_PROBLEM_FOUND
    out = capsys.readouterr().out
    assert "数据库文件损坏" in out and "台账文件无法读完,检查中止" in out and "row_hash" in out


def test_a_link_to_a_missing_record_is_found(ledger: Ledger, busy: dict[str, int]) -> None:
    conn = sqlite3.connect(ledger.path)  # plain sqlite3 does not enforce foreign keys unless told
    conn.execute(
        "INSERT INTO measures (problem_id, position, text, deadline_text, deadline_long_term) VALUES (999, 1, 'x', '', 0)"
    )
    conn.commit()
    conn.close()
    report = check(ledger.path)
    assert findings(report, FOREIGN_KEY) and "表 measures" in findings(report, FOREIGN_KEY)[0]


def test_undo_and_settings_keep_the_ledger_consistent(ledger: Ledger, busy: dict[str, int]) -> None:
    ledger.tasks.update_task(busy["task"], note="备注一", leader="王五")
    ledger.history.undo_last()
    ledger.settings.update(organisation="东湖区")
    ledger.history.undo_last()
    assert ledger.check.check_ledger().ok


def test_unit_directory_changes_keep_the_ledger_consistent(ledger: Ledger, busy: dict[str, int]) -> None:
    units = {u.name: u.id for u in ledger.directory.list_units()}
    ledger.directory.rename_unit(units["区城管局"], "区城市管理局")
    ledger.directory.merge_units(units["区水务局"], units["区住建局"])
    assert ledger.check.check_ledger().ok
    ledger.history.undo_last()
    report = ledger.check.check_ledger()
    assert report.ok, report.lines()


def test_a_whole_task_life_keeps_the_ledger_consistent(ledger: Ledger, busy: dict[str, int]) -> None:
    task = busy["task"]
    ledger.lifecycle.transition(task, TaskStatus.COMPLETED)
    ledger.lifecycle.record_acceptance(task, accepted_on=date(2026, 6, 10), unit="区生态环境局")
    ledger.lifecycle.record_acceptance(task, accepted_on=date(2026, 6, 11), unit="区生态环境局")
    ledger.lifecycle.transition(task, TaskStatus.ACCEPTED)
    ledger.lifecycle.record_public_notice(
        task, start=date(2026, 6, 12), end=date(2026, 6, 18), contact="李四"
    )
    ledger.lifecycle.transition(task, TaskStatus.PUBLIC_NOTICE)
    ledger.lifecycle.close_out(task, closed_on=date(2026, 6, 19), approved_by="区委书记、区长")
    ledger.lifecycle.add_review(task, review_date=date(2026, 9, 1), result=ReviewResult.RELAPSE, text="反弹")
    assert ledger.check.check_ledger().ok
    sql(ledger.path, "UPDATE public_notices SET \"end\" = '2026-06-13'")
    (finding,) = check(ledger.path).findings
    assert finding.where == f"{TASK} 的公示情况 #1" and "「公示结束」" in finding.detail
    assert (finding.logged, finding.actual) == ("2026-06-18", "2026-06-13")


def test_undo_and_redo_of_an_excel_import_keep_the_ledger_consistent(
    ledger_path: Path, tmp_path: Path
) -> None:
    workbook = layout_county(sample_tasks(12, seed=5)).write(tmp_path)
    assert (
        main(["import-excel", "--db", str(ledger_path), "--progress-date", "2026-05-31", str(workbook)]) == 0
    )
    with Ledger.open(ledger_path, actor=default_actor()) as ledger:  # the actor the command recorded
        ledger.history.undo_last()
        assert ledger.queries.list_tasks() == []
        assert ledger.check.check_ledger().ok, ledger.check.check_ledger().lines()
        ledger.history.redo_last()
        assert len(ledger.queries.list_tasks()) == 12
        report = ledger.check.check_ledger()
        assert report.ok, report.lines()


def test_attachments_added_and_removed_keep_the_ledger_consistent(
    ledger: Ledger, busy: dict[str, int], tmp_path: Path
) -> None:
    photo = tmp_path / "现场照片.jpg"
    photo.write_bytes(b"\xff\xd8 not really a jpeg")
    ledger.attachments.add_attachments(busy["task"], [photo], description="整改后")
    (att_id,) = sql(ledger.path, "SELECT id FROM attachments")[0]
    ledger.attachments.remove_attachment(int(att_id))  # type: ignore[call-overload]
    assert ledger.check.check_ledger().ok
    sql(ledger.path, "UPDATE attachments SET deleted_at = NULL")
    (finding,) = check(ledger.path).findings
    assert finding.field == "deleted_at" and "佐证材料" in finding.where


def test_an_excel_import_then_edits_and_undo_keep_the_chain(ledger_path: Path, tmp_path: Path) -> None:
    first = layout_county(sample_tasks(30, seed=3)).write(tmp_path)
    assert main(["import-excel", "--db", str(ledger_path), "--progress-date", "2026-05-31", str(first)]) == 0
    with Ledger.open(ledger_path, actor="测试员") as ledger:
        task_id = ledger.queries.list_tasks()[0].id
        ledger.tasks.update_task(task_id, description="改写后的问题描述")
        ledger.tasks.add_progress(task_id, entry_date=date(2026, 6, 1), text="已完成")
        ledger.history.undo_last()
        report = ledger.check.check_ledger()
        assert report.ok, report.lines()
        assert report.compared_rows >= 30
    # A second import that updates the tasks through the ORM (and adds none in bulk) keeps it too.
    folder = tmp_path / "v2"
    folder.mkdir()
    second = layout_county(sample_tasks(30, seed=4)).write(folder)
    assert main(["import-excel", "--db", str(ledger_path), "--progress-date", "2026-06-30", str(second)]) == 0
    assert check(ledger_path).ok
    (seq,) = sql(ledger_path, "SELECT seq FROM problems WHERE id = ?", (task_id,))[0]
    sql(ledger_path, "UPDATE problems SET leader = '李四' WHERE id = ?", (task_id,))
    (finding,) = check(ledger_path).findings
    assert finding.field == "leader" and f"序号 {seq}" in finding.where


def test_a_demo_ledger_passes_and_a_later_edit_is_guarded(demo_ledger: Ledger) -> None:
    report = demo_ledger.check.check_ledger()
    assert report.ok and report.unlogged_rows > 1000  # the demo is written with the log off
    task = demo_ledger.queries.list_tasks()[0]
    demo_ledger.tasks.update_task(task.id, goal="全面完成整改")
    assert demo_ledger.check.check_ledger().ok
    sql(demo_ledger.path, "UPDATE problems SET goal = '' WHERE id = ?", (task.id,))
    (finding,) = demo_ledger.check.check_ledger().findings
    assert (finding.field, finding.logged, finding.actual) == ("goal", "全面完成整改", "")


def test_progress_is_reported_and_cancel_stops(ledger: Ledger, busy: dict[str, int]) -> None:
    seen: list[tuple[int, int, str]] = []
    ledger.check.check_ledger(progress=lambda done, total, text: seen.append((done, total, text)))
    assert seen and seen[-1][0] == seen[-1][1] and all(d <= t for d, t, _ in seen)
    with pytest.raises(CancelledError):
        ledger.check.check_ledger(cancelled=lambda: True)


# -- the migration ------------------------------------------------------------------------------------
def _frozen_migration() -> object:
    path = migrations_path() / "versions" / "0003_audit_hash_chain.py"
    spec = importlib.util.spec_from_file_location("migration_0003", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize(
    "row",
    [
        (1, "c1", datetime(2026, 5, 25, 10, 3, 0, 123456), "张三", "create", "problem", 1, '["1"]', 1, "*", None,
         '{"id": "1", "description": "污水直排\\n第二段"}', "新建任务"),
        (2, "c2", datetime(2026, 5, 25, 10, 3), "", "update", "setting", None, '["organisation"]', None, "value",
         "XX区", "青溪区", ""),
        (3, "c3", "2026-05-25 10:03:00.000001", "a\u3000b", "delete", "ledger", None, None, None, "*", "旧", None, "撤销:x"),
        (4, "c4", "昨天", "", "update", "problem", 1, '["1"]', 1, "note", None, "", ""),
    ],
)  # fmt: skip
def test_the_migrations_frozen_hash_agrees_with_the_apps(row: tuple[object, ...]) -> None:
    frozen = _frozen_migration()
    for prev in (audit_chain.GENESIS, "ab" * 32):
        assert frozen.row_hash(prev, row) == audit_chain.row_hash(prev, *row)  # type: ignore[attr-defined]
    if isinstance(row[2], datetime):  # SQLite's stored text of a moment hashes as the moment itself
        stored = row[2].isoformat(sep=" ", timespec="microseconds")
        assert audit_chain.row_hash("", *row[:2], stored, *row[3:]) == audit_chain.row_hash("", *row)  # type: ignore[arg-type]


def test_upgrading_a_0002_ledger_builds_a_chain_that_verifies(ledger: Ledger, busy: dict[str, int]) -> None:
    from alembic import command
    from alembic.config import Config

    path = ledger.path
    ledger.close()
    written = sql(path, "SELECT id, prev_hash, row_hash FROM audit_log ORDER BY id")
    cfg = Config()
    cfg.set_main_option("script_location", str(migrations_path()))
    engine = database.make_engine(path)
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0002")
    engine.dispose()
    columns = {row[1] for row in sql(path, "PRAGMA table_info(audit_log)")}
    assert "row_hash" not in columns and sql(path, "SELECT version_num FROM alembic_version") == [("0002",)]

    report = check(path)  # opening upgrades it
    assert sql(path, "SELECT version_num FROM alembic_version") == [(database.SCHEMA_HEAD,)]
    # The migration chained the old rows exactly as the program had when it wrote them.
    assert sql(path, "SELECT id, prev_hash, row_hash FROM audit_log ORDER BY id") == written
    assert report.ok, report.lines()
    with Ledger.open(path, actor="测试员") as again:
        again.tasks.update_task(busy["task"], note="升级之后")
        assert again.check.check_ledger().ok


# -- the command line -----------------------------------------------------------------------------------
def test_cli_check_exits_1_and_says_where(
    ledger: Ledger, busy: dict[str, int], capsys: pytest.CaptureFixture[str]
) -> None:
    path = ledger.path
    ledger.close()
    assert main(["check", "--db", str(path)]) == EXIT_OK
    assert "台账未发现问题。" in capsys.readouterr().out
    sql(path, "UPDATE problems SET description = '已整改完毕' WHERE id = ?", (busy["task"],))
    assert main(["check", "--db", str(path)]) == EXIT_PROBLEM_FOUND
    out = capsys.readouterr().out
    assert "台账发现问题:数据与修改日志不符 1 处。" in out
    assert f"{TASK}:「问题描述」在修改日志中为「污水直排问题」,文件中却是「已整改完毕」" in out
    assert main(["check", "--db", str(path), "--json"]) == EXIT_PROBLEM_FOUND
    data = json.loads(capsys.readouterr().out)
    assert data["ok"] is False and data["check"]["ok"] is True
    (finding,) = data["ledger"]["findings"]
    assert finding["kind"] == "state" and finding["task_id"] == busy["task"]
    assert finding["actual"] == "已整改完毕"


def test_a_backup_copy_verifies_like_the_original(
    ledger: Ledger, busy: dict[str, int], tmp_path: Path
) -> None:
    copy = tmp_path / "copy.sqlite3"
    shutil.copyfile(ledger.path, copy)
    assert check(copy).head_hash == ledger.check.check_ledger().head_hash
