"""The audit log: a row for every kind of change, written in the change's own transaction; undo through it."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import func, select, update

from ledger_app.domain.errors import TransitionRefused, ValidationError
from ledger_app.domain.model import ProblemKind, ReviewResult, RoundLevel, TaskStatus
from ledger_app.services import Ledger
from ledger_app.store import models as m

S = TaskStatus


def rows_since(ledger: Ledger, after: int) -> list[m.AuditEntry]:
    with ledger.reading() as session:
        return list(
            session.scalars(select(m.AuditEntry).where(m.AuditEntry.id > after).order_by(m.AuditEntry.id))
        )


def last_id(ledger: Ledger) -> int:
    with ledger.reading() as session:
        return session.scalar(select(func.max(m.AuditEntry.id))) or 0


def summary(rows: list[m.AuditEntry]) -> set[tuple[str, str, str]]:
    return {(r.action, r.entity, r.field) for r in rows}


class Recorder:
    """Runs one clerk action and returns the audit rows it wrote."""

    def __init__(self, ledger: Ledger) -> None:
        self.ledger = ledger

    def __call__(self, action: object) -> list[m.AuditEntry]:
        before = last_id(self.ledger)
        action()  # type: ignore[operator]
        rows = rows_since(self.ledger, before)
        assert rows, "the change wrote no audit row"
        assert len({r.change_id for r in rows}) == 1, "one action, one change id"
        assert {r.actor for r in rows} == {"测试员"}
        return rows


@pytest.fixture
def record(ledger: Ledger) -> Recorder:
    return Recorder(ledger)


@pytest.fixture
def round_id(ledger: Ledger) -> int:
    return ledger.directory.create_round(name="第二轮中央生态环境保护督察", level=RoundLevel.CENTRAL)


def test_task_create_update_delete_restore(ledger: Ledger, record: Recorder, round_id: int) -> None:
    ids: list[int] = []
    rows = record(
        lambda: ids.append(
            ledger.tasks.create_task(
                round_id=round_id,
                kind=ProblemKind.SPECIFIC,
                seq="1",
                description="污水直排",
                lead_units=["区住建局"],
            )
        )
    )
    (task_id,) = ids
    assert summary(rows) == {
        ("create", "problem", "*"),
        ("create", "unit", "*"),
        ("create", "problem_unit", "*"),
    }
    problem_row = next(r for r in rows if r.entity == "problem")
    snapshot = json.loads(problem_row.new_value or "")
    assert (problem_row.entity_id, problem_row.problem_id, problem_row.old_value) == (task_id, task_id, None)
    assert (snapshot["seq"], snapshot["description"], snapshot["status"]) == ("1", "污水直排", "not-started")
    assert {r.reason for r in rows} == {"新建任务"}
    assert all(r.problem_id == task_id for r in rows if r.entity != "unit")

    rows = record(lambda: ledger.tasks.update_task(task_id, description="污水直排入河", leader="王建国"))
    assert sorted((r.action, r.field, r.old_value, r.new_value) for r in rows) == [
        ("update", "description", "污水直排", "污水直排入河"),
        ("update", "leader", "", "王建国"),
    ]
    assert {(r.entity, r.entity_id, r.problem_id, r.reason) for r in rows} == {
        ("problem", task_id, task_id, "修改任务")
    }

    rows = record(lambda: ledger.tasks.update_task(task_id, deadline="2026年6月底前"))
    assert {(r.field, r.old_value, r.new_value) for r in rows} == {
        ("deadline_text", "", "2026年6月底前"),
        ("deadline_date", None, "2026-06-30"),
    }

    rows = record(lambda: ledger.tasks.delete_task(task_id))
    assert [(r.action, r.field, r.old_value, r.reason) for r in rows] == [
        ("update", "deleted_at", None, "删除任务")
    ]
    rows = record(lambda: ledger.tasks.restore_task(task_id))
    assert [(r.action, r.field, r.new_value, r.reason) for r in rows] == [
        ("update", "deleted_at", None, "从回收站恢复任务")
    ]


def test_unit_links(ledger: Ledger, record: Recorder, round_id: int) -> None:
    task_id = ledger.tasks.create_task(
        round_id=round_id, kind=ProblemKind.SPECIFIC, description="x", lead_units=["区住建局"]
    )
    rows = record(
        lambda: ledger.tasks.update_task(task_id, lead_units=["区水利局"], supervising_units=["区委督查室"])
    )
    assert sorted((r.action, r.entity) for r in rows) == [
        ("create", "problem_unit"),
        ("create", "problem_unit"),
        ("create", "unit"),
        ("create", "unit"),
        ("delete", "problem_unit"),
    ]
    deleted = next(r for r in rows if r.action == "delete")
    assert json.loads(deleted.old_value or "")["role"] == "lead"
    assert deleted.problem_id == task_id


def test_measures_and_progress(ledger: Ledger, record: Recorder, round_id: int) -> None:
    task_id = ledger.tasks.create_task(round_id=round_id, kind=ProblemKind.SPECIFIC, description="x")
    ids: list[int] = []
    rows = record(
        lambda: ids.append(ledger.tasks.add_measure(task_id, text="措施甲", lead_units=["区住建局"]))
    )
    assert summary(rows) == {
        ("create", "measure", "*"),
        ("create", "measure_unit", "*"),
        ("create", "unit", "*"),
    }
    assert all(r.problem_id == task_id for r in rows if r.entity != "unit")
    (mid,) = ids
    rows = record(lambda: ledger.tasks.update_measure(mid, text="措施甲(修订)"))
    assert [(r.entity, r.entity_id, r.field, r.old_value, r.new_value) for r in rows] == [
        ("measure", mid, "text", "措施甲", "措施甲(修订)")
    ]
    rows = record(lambda: ledger.tasks.delete_measure(mid))
    assert summary(rows) == {("delete", "measure", "*"), ("delete", "measure_unit", "*")}

    rows = record(
        lambda: ids.append(
            ledger.tasks.add_progress(task_id, entry_date=date(2026, 3, 25), text="完成30%", percent=30)
        )
    )
    assert [(r.action, r.entity, r.problem_id) for r in rows] == [("create", "progress", task_id)]
    pid = ids[-1]
    rows = record(lambda: ledger.tasks.update_progress(pid, percent=45))
    assert [(r.field, r.old_value, r.new_value) for r in rows] == [("percent", "30", "45")]
    rows = record(lambda: ledger.tasks.delete_progress(pid))
    assert [(r.action, r.entity, r.entity_id) for r in rows] == [("delete", "progress", pid)]
    assert json.loads(rows[0].old_value or "")["text"] == "完成30%"


def test_rounds_units_and_settings(ledger: Ledger, record: Recorder) -> None:
    ids: list[int] = []
    rows = record(
        lambda: ids.append(ledger.directory.create_round(name="区级督察", level=RoundLevel.DISTRICT))
    )
    assert [(r.action, r.entity, r.reason) for r in rows] == [("create", "round", "新建督察批次「区级督察」")]
    rows = record(lambda: ledger.directory.update_round(ids[0], plan_document_no="区委〔2026〕1号"))
    assert [(r.field, r.old_value, r.new_value) for r in rows] == [
        ("plan_document_no", "", "区委〔2026〕1号")
    ]
    rows = record(lambda: ledger.directory.delete_round(ids[0]))
    assert [(r.action, r.entity, r.entity_id) for r in rows] == [("delete", "round", ids[0])]

    rows = record(lambda: ids.append(ledger.directory.create_unit("区环保局")))
    assert [(r.action, r.entity) for r in rows] == [("create", "unit")]
    unit_id = ids[-1]
    rows = record(lambda: ledger.directory.rename_unit(unit_id, "区生态环境局"))
    assert [(r.field, r.old_value, r.new_value) for r in rows] == [("name", "区环保局", "区生态环境局")]
    target = ledger.directory.create_unit("区住建局")
    rows = record(lambda: ledger.directory.merge_units(unit_id, target))
    assert [(r.action, r.entity, r.reason) for r in rows] == [
        ("delete", "unit", "合并单位「区生态环境局」到「区住建局」")
    ]
    rows = record(lambda: ledger.directory.delete_unit(target))
    assert [(r.action, r.entity, r.entity_id) for r in rows] == [("delete", "unit", target)]

    rows = record(lambda: ledger.settings.update(organisation="青溪区"))
    assert [(r.action, r.entity, r.reason) for r in rows] == [("create", "setting", "修改设置")]
    rows = record(lambda: ledger.settings.update(organisation="白沙区", warning_days=20))
    assert sorted((r.action, r.entity, r.old_value or "", r.new_value or "") for r in rows)[0] == (
        "create",
        "setting",
        "",
        json.dumps({"key": "warning_days", "value": "20"}, ensure_ascii=False),
    )
    assert ("update", "setting", "青溪区", "白沙区") in {
        (r.action, r.entity, r.old_value, r.new_value) for r in rows
    }


def test_lifecycle_records(ledger: Ledger, record: Recorder, round_id: int) -> None:
    task_id = ledger.tasks.create_task(round_id=round_id, kind=ProblemKind.SPECIFIC, description="x")
    rows = record(lambda: ledger.lifecycle.transition(task_id, S.IN_PROGRESS))
    assert [(r.field, r.old_value, r.new_value, r.reason) for r in rows] == [
        ("status", "not-started", "in-progress", "开始整改")
    ]
    ledger.lifecycle.transition(task_id, S.COMPLETED)
    rows = record(
        lambda: ledger.lifecycle.record_acceptance(
            task_id, accepted_on=date(2026, 6, 10), unit="区生态环境局"
        )
    )
    assert [(r.action, r.entity, r.problem_id, r.reason) for r in rows] == [
        ("create", "acceptance", task_id, "填写验收情况")
    ]
    rows = record(
        lambda: ledger.lifecycle.record_acceptance(
            task_id, accepted_on=date(2026, 6, 11), unit="区生态环境局"
        )
    )
    assert [(r.action, r.field, r.old_value, r.new_value) for r in rows] == [
        ("update", "accepted_on", "2026-06-10", "2026-06-11")
    ]
    ledger.lifecycle.transition(task_id, S.ACCEPTED)
    rows = record(
        lambda: ledger.lifecycle.record_public_notice(task_id, start=date(2026, 6, 12), end=date(2026, 6, 18))
    )
    assert [(r.action, r.entity, r.problem_id) for r in rows] == [("create", "public_notice", task_id)]
    ledger.lifecycle.transition(task_id, S.PUBLIC_NOTICE)
    rows = record(
        lambda: ledger.lifecycle.close_out(task_id, closed_on=date(2026, 6, 19), approved_by="区委书记、区长")
    )
    assert sorted((r.action, r.entity, r.field, r.reason) for r in rows) == [
        ("create", "close_out", "*", "销号"),
        ("update", "problem", "status", "销号"),
    ]
    rows = record(
        lambda: ledger.lifecycle.add_review(
            task_id, review_date=date(2026, 9, 1), result=ReviewResult.RELAPSE, text="反弹"
        )
    )
    assert sorted((r.action, r.entity, r.field, r.new_value or "") for r in rows)[1:] == [
        ("update", "problem", "status", "in-progress")
    ]
    assert sorted((r.action, r.entity) for r in rows)[0] == ("create", "review")


def test_a_refused_change_leaves_no_trace(ledger: Ledger, round_id: int) -> None:
    task_id = ledger.tasks.create_task(round_id=round_id, kind=ProblemKind.SPECIFIC, description="x", seq="1")
    before = last_id(ledger)
    # update_round sets the fields, then finds the period backwards and refuses: all rolled back.
    with pytest.raises(ValidationError, match="进驻结束日期早于开始日期"):
        ledger.directory.update_round(
            round_id, on_site_start=date(2021, 5, 1), on_site_end=date(2021, 4, 1), name="新名字"
        )
    with pytest.raises(TransitionRefused):
        ledger.lifecycle.close_out(task_id, closed_on=date(2026, 1, 1))
    # An error after the session has already flushed rows (and so written their audit rows).
    with pytest.raises(RuntimeError), ledger.changing("试验") as session:
        session.get(m.Problem, task_id).description = "改了"  # type: ignore[union-attr]
        session.add(m.Unit(name="区水利局"))
        session.flush()
        raise RuntimeError("boom")
    assert last_id(ledger) == before
    assert ledger.records.task_record(task_id).description == "x"
    assert ledger.records.task_record(task_id).close_out is None
    (info,) = ledger.directory.list_rounds()
    assert (info.name, info.on_site_start) == ("第二轮中央生态环境保护督察", None)
    assert ledger.directory.list_units() == []


# -- undo ------------------------------------------------------------------------------------------------
def test_undo_an_update(ledger: Ledger, round_id: int) -> None:
    task_id = ledger.tasks.create_task(
        round_id=round_id, kind=ProblemKind.SPECIFIC, description="旧描述", goal="旧目标"
    )
    before = last_id(ledger)
    ledger.tasks.update_task(task_id, description="新描述", goal="新目标", deadline="2026年底前")
    assert ledger.history.undo_last() == "修改任务"
    record = ledger.records.task_record(task_id)
    assert (record.description, record.goal, record.deadline.text, record.deadline.date) == (
        "旧描述",
        "旧目标",
        "",
        None,
    )
    rows = rows_since(ledger, before)
    changed = [r for r in rows if r.reason == "修改任务"]
    undo = [r for r in rows if r.reason == "撤销:修改任务"]
    assert changed and all(r.undone for r in changed)
    assert {(r.field, r.old_value, r.new_value) for r in undo} == {
        (r.field, r.new_value, r.old_value) for r in changed
    }
    assert not any(r.undone for r in undo)
    # The undone change is not offered again; the one before it is next.
    assert ledger.history.last_undoable() is not None and ledger.history.last_undoable()[1] == "新建任务"  # type: ignore[index]


def test_undo_a_create(ledger: Ledger, round_id: int) -> None:
    ledger.directory.create_unit("区住建局")
    ledger.tasks.create_task(
        round_id=round_id, kind=ProblemKind.SPECIFIC, description="x", lead_units=["区住建局", "区水利局"]
    )
    assert ledger.history.undo_last() == "新建任务"
    assert ledger.tasks.count_tasks() == 0
    assert ledger.queries.list_tasks(deleted=True) == []
    # The unit the task brought into the directory goes with it; the one that was there stays.
    assert [u.name for u in ledger.directory.list_units()] == ["区住建局"]


def test_undo_a_deleted_measure_brings_back_its_units_and_place(ledger: Ledger, round_id: int) -> None:
    task_id = ledger.tasks.create_task(round_id=round_id, kind=ProblemKind.SPECIFIC, description="x")
    first = ledger.tasks.add_measure(
        task_id, text="甲", lead_units=["区住建局"], cooperating_units=["城关街道"]
    )
    ledger.tasks.add_measure(task_id, text="乙", lead_units=["区水利局"])
    before = ledger.records.task_record(task_id)
    ledger.tasks.delete_measure(first)
    assert [ms.text for ms in ledger.records.task_record(task_id).measures] == ["乙"]
    assert ledger.history.undo_last() == "删除整改措施"
    assert ledger.records.task_record(task_id) == before


def test_undo_a_merge_of_units(ledger: Ledger, round_id: int) -> None:
    both = ledger.tasks.create_task(
        round_id=round_id, kind=ProblemKind.SPECIFIC, description="a", lead_units=["区环保局", "区生态环境局"]
    )
    one = ledger.tasks.create_task(
        round_id=round_id, kind=ProblemKind.SPECIFIC, description="b", lead_units=["区环保局"]
    )
    ledger.tasks.add_measure(one, text="m", lead_units=["区环保局"])
    before = ledger.records.task_records()
    units = {u.name: u.id for u in ledger.directory.list_units()}
    ledger.directory.merge_units(units["区环保局"], units["区生态环境局"])
    assert ledger.records.task_record(both).lead_units == ["区生态环境局"]
    assert ledger.history.undo_last() == "合并单位「区环保局」到「区生态环境局」"
    assert ledger.records.task_records() == before
    assert {u.name: u.id for u in ledger.directory.list_units()} == units


def test_undo_a_deleted_task(ledger: Ledger, round_id: int) -> None:
    task_id = ledger.tasks.create_task(round_id=round_id, kind=ProblemKind.SPECIFIC, description="x")
    ledger.tasks.delete_task(task_id)
    ledger.history.undo_last()
    assert [t.id for t in ledger.queries.list_tasks()] == [task_id]


def test_undo_only_the_operators_own_changes(ledger: Ledger, round_id: int) -> None:
    task_id = ledger.tasks.create_task(round_id=round_id, kind=ProblemKind.SPECIFIC, description="甲写的")
    with Ledger.open(ledger.path, actor="乙") as other:
        with pytest.raises(ValidationError) as refused:
            other.history.undo_last()
        assert refused.value.message_zh == "没有可以撤销的操作。"
        other.tasks.update_task(task_id, description="乙改的")
    assert ledger.history.undo_last() == "新建任务"  # 甲's own last change, not 乙's edit
    assert ledger.tasks.count_tasks() == 0


def test_the_demo_cannot_be_undone(ledger: Ledger) -> None:
    from ledger_app.services.demo import generate_demo

    generate_demo(ledger, tasks=5, seed=1, today=date(2026, 11, 23))
    with pytest.raises(ValidationError) as refused:
        ledger.history.undo_last()
    assert refused.value.message_zh == "「生成演示台账」不能撤销。"
    assert ledger.tasks.count_tasks() == 5


def test_undo_a_change_of_unit_order(ledger: Ledger, round_id: int) -> None:
    task_id = ledger.tasks.create_task(
        round_id=round_id, kind=ProblemKind.SPECIFIC, description="x", lead_units=["区住建局", "区水利局"]
    )
    ledger.tasks.update_task(task_id, lead_units=["区水利局"])
    ledger.history.undo_last()
    assert ledger.records.task_record(task_id).lead_units == ["区住建局", "区水利局"]


def test_undo_a_settings_change(ledger: Ledger) -> None:
    ledger.settings.update(organisation="青溪区")
    ledger.settings.update(organisation="白沙区")
    ledger.history.undo_last()
    assert ledger.settings.current().organisation == "青溪区"


def test_undo_of_a_row_logged_without_its_key_says_so(ledger: Ledger) -> None:
    """Rows logged before schema 0002 have no entity_key: undo refuses clearly instead of guessing."""
    ledger.settings.update(organisation="青溪区")
    ledger.settings.update(organisation="白沙区")
    with ledger.changing() as session:
        session.info["audit_off"] = True
        session.execute(update(m.AuditEntry).where(m.AuditEntry.entity == "setting").values(entity_key=None))
    with pytest.raises(ValidationError) as refused:
        ledger.history.undo_last()
    assert refused.value.message_zh == "这项操作修改了设置,暂不能自动撤销,请手工改回。"
    assert ledger.settings.current().organisation == "白沙区"


# -- history -------------------------------------------------------------------------------------------
def test_history_reads_as_sentences(ledger: Ledger, round_id: int) -> None:
    task_id = ledger.tasks.create_task(
        round_id=round_id, kind=ProblemKind.SPECIFIC, description="污水直排", seq="1"
    )
    ledger.tasks.update_task(task_id, description="污水直排入河", deadline="2026年6月底前")
    mid = ledger.tasks.add_measure(task_id, text="雨污分流改造")
    ledger.tasks.add_progress(task_id, entry_date=date(2026, 3, 25), text="已完成管网排查")
    ledger.lifecycle.transition(task_id, S.IN_PROGRESS)
    ledger.tasks.delete_measure(mid)
    ledger.tasks.update_task(task_id, note="x" * 50)
    lines = [h.describe() for h in reversed(ledger.history.for_task(task_id))]
    assert lines == [
        "新增任务:污水直排",
        "任务的「问题描述」由 「污水直排」 改为 「污水直排入河」",
        "任务的「整改时限」由 (空) 改为 「2026年6月底前」",
        "新增整改措施:雨污分流改造",
        "新增整改进展:已完成管网排查",
        "任务的「状态」由 「未启动」 改为 「整改中」",
        "删除整改措施:雨污分流改造",
        f"任务的「备注」由 (空) 改为 「{'x' * 39}…」",
    ]
    newest = ledger.history.for_task(task_id)[0]
    assert (newest.actor, newest.reason, newest.undone) == ("测试员", "修改任务", False)
    assert len(ledger.history.for_task(task_id, limit=3)) == 3
