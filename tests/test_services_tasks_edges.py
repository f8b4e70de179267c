"""Edges of services/tasks.py that a wrong figure or a lost edit would hide behind: the order of a
task's units, the first year a progress entry may carry, blank progress text on editing."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from ledger_app.domain.errors import ValidationError
from ledger_app.domain.model import ProblemKind, RoundLevel, UnitRole
from ledger_app.services import Ledger
from ledger_app.store import models as m


@pytest.fixture
def task_id(ledger: Ledger) -> int:
    round_id = ledger.directory.create_round(name="第二轮中央生态环境保护督察", level=RoundLevel.CENTRAL)
    return ledger.tasks.create_task(
        round_id=round_id,
        kind=ProblemKind.SPECIFIC,
        seq="1",
        description="河道黑臭",
        lead_units=["县住建局", "县水利局", "城关镇"],
        responsible_units=["东城街道", "西城街道"],
    )


def stored_positions(ledger: Ledger, task_id: int, role: UnitRole) -> list[tuple[str, int]]:
    with ledger.reading() as session:
        rows = session.execute(
            select(m.Unit.name, m.ProblemUnit.position)
            .join(m.ProblemUnit, m.ProblemUnit.unit_id == m.Unit.id)
            .where(m.ProblemUnit.problem_id == task_id, m.ProblemUnit.role == role.value)
            .order_by(m.ProblemUnit.position)
        ).all()
    return [(name, position) for name, position in rows]


def test_reordering_a_tasks_units_is_saved(ledger: Ledger, task_id: int) -> None:
    ledger.tasks.update_task(task_id, lead_units=["城关镇", "县住建局", "县水利局"])
    assert stored_positions(ledger, task_id, UnitRole.LEAD) == [
        ("城关镇", 0),
        ("县住建局", 1),
        ("县水利局", 2),
    ]
    assert ledger.records.task_record(task_id).lead_units == ["城关镇", "县住建局", "县水利局"]
    (row,) = ledger.queries.list_tasks()
    assert row.units[UnitRole.LEAD] == ["城关镇", "县住建局", "县水利局"]
    # Reversing two units only, and dropping the first while adding one at the end.
    ledger.tasks.update_task(task_id, responsible_units=["西城街道", "东城街道"])
    assert ledger.records.task_record(task_id).responsible_units == ["西城街道", "东城街道"]
    ledger.tasks.update_task(task_id, lead_units=["县水利局", "县住建局", "县城管局"])
    assert stored_positions(ledger, task_id, UnitRole.LEAD) == [
        ("县水利局", 0),
        ("县住建局", 1),
        ("县城管局", 2),
    ]
    assert ledger.records.task_record(task_id).lead_units == ["县水利局", "县住建局", "县城管局"]
    # The other role was not touched by either edit.
    assert ledger.records.task_record(task_id).responsible_units == ["西城街道", "东城街道"]


def test_reordering_a_measures_units_is_saved(ledger: Ledger, task_id: int) -> None:
    measure_id = ledger.tasks.add_measure(task_id, text="完成管网改造", lead_units=["县住建局", "县水利局"])
    ledger.tasks.update_measure(measure_id, lead_units=["县水利局", "县住建局"])
    (measure,) = ledger.records.task_record(task_id).measures
    assert measure.lead_units == ["县水利局", "县住建局"]


@pytest.fixture
def entry_id(ledger: Ledger, task_id: int) -> int:
    return ledger.tasks.add_progress(task_id, entry_date=date(2026, 3, 20), text="已完成清淤", percent=40)


def test_the_first_allowed_progress_date_is_1_january_1990(
    ledger: Ledger, task_id: int, entry_id: int
) -> None:
    ledger.tasks.add_progress(task_id, entry_date=date(1990, 1, 1), text="最早的进展")
    with pytest.raises(ValidationError, match="进展日期太靠前"):
        ledger.tasks.add_progress(task_id, entry_date=date(1989, 12, 31), text="太早")
    with pytest.raises(ValidationError, match="进展日期太靠前"):
        ledger.tasks.update_progress(entry_id, entry_date=date(1989, 12, 31))
    ledger.tasks.update_progress(entry_id, entry_date=date(1990, 1, 1))
    assert [p.date for p in ledger.records.task_record(task_id).progress] == [
        date(1990, 1, 1),
        date(1990, 1, 1),
    ]


@pytest.mark.parametrize("blank", ["", "   ", "\u3000\n", None])
def test_editing_progress_to_blank_text_is_refused(
    ledger: Ledger, task_id: int, entry_id: int, blank: str | None
) -> None:
    with pytest.raises(ValidationError, match="进展内容不能为空"):
        ledger.tasks.update_progress(entry_id, text=blank)
    with pytest.raises(ValidationError, match="进展内容不能为空"):
        ledger.tasks.update_progress(entry_id, text=blank, percent=60)
    (entry,) = ledger.records.task_record(task_id).progress
    assert (entry.text, entry.percent) == ("已完成清淤", 40)
    ledger.tasks.update_progress(entry_id, text=" 清淤完成 ")
    (entry,) = ledger.records.task_record(task_id).progress
    assert entry.text == "清淤完成"


def test_a_datetime_progress_date_keeps_only_its_day(ledger: Ledger, task_id: int, entry_id: int) -> None:
    from datetime import datetime

    ledger.tasks.update_progress(entry_id, entry_date=datetime(2026, 3, 21, 15, 30))
    (entry,) = ledger.records.task_record(task_id).progress
    assert entry.date == date(2026, 3, 21) and type(entry.date) is date


# -- what the clerk reads in the 编辑 menu: each change names itself ----------------------------------
def test_each_change_is_named_for_undo(ledger: Ledger, task_id: int) -> None:
    def reason() -> str:
        last = ledger.history.last_undoable()
        assert last is not None
        return last[1]

    assert reason() == "新建任务"
    ledger.tasks.update_task(task_id, leader="王建国")
    assert reason() == "修改任务"
    a = ledger.tasks.add_measure(task_id, text="完成管网改造")
    assert reason() == "新增整改措施"
    b = ledger.tasks.add_measure(task_id, text="完成清淤")
    ledger.tasks.update_measure(a, text="完成管网改造(二期)")
    assert reason() == "修改整改措施"
    ledger.tasks.move_measure(b, 1)
    assert reason() == "调整整改措施顺序"
    ledger.tasks.delete_measure(a)
    assert reason() == "删除整改措施"
    entry = ledger.tasks.add_progress(task_id, entry_date=date(2026, 3, 20), text="已完成清淤")
    assert reason() == "新增整改进展"
    ledger.tasks.update_progress(entry, text="清淤完成")
    assert reason() == "修改整改进展"
    ledger.tasks.delete_progress(entry)
    assert reason() == "删除整改进展"
    ledger.tasks.delete_task(task_id)
    assert reason() == "删除任务"
    ledger.tasks.restore_task(task_id)
    assert reason() == "从回收站恢复任务"


def test_removing_a_unit_can_be_undone(ledger: Ledger, task_id: int) -> None:
    ledger.tasks.update_task(task_id, lead_units=["县水利局"])
    assert ledger.records.task_record(task_id).lead_units == ["县水利局"]
    ledger.history.undo_last()
    assert ledger.records.task_record(task_id).lead_units == ["县住建局", "县水利局", "城关镇"]


# -- fields that only some tasks use --------------------------------------------------------------------
def test_petition_fields_supervising_units_and_round_can_be_set(ledger: Ledger, task_id: int) -> None:
    other_round = ledger.directory.create_round(name="省生态环境保护督察", level=RoundLevel.PROVINCIAL)
    petition = ledger.tasks.create_task(
        round_id=other_round, kind="petition", description="信访件", batch="第3批", case_no="X2026-01"
    )
    record = ledger.records.task_record(petition)
    assert (record.kind, record.batch, record.case_no) == (ProblemKind.PETITION, "第3批", "X2026-01")
    ledger.tasks.update_task(petition, batch="第4批", case_no="X2026-02", supervising_units=["县委督查室"])
    record = ledger.records.task_record(petition)
    assert (record.batch, record.case_no, record.supervising_units) == ("第4批", "X2026-02", ["县委督查室"])
    ledger.tasks.update_task(task_id, round_id=other_round)
    assert ledger.records.task_record(task_id).round_name == "省生态环境保护督察"


def test_a_blank_seq_is_refused_on_editing(ledger: Ledger, task_id: int) -> None:
    with pytest.raises(ValidationError, match="序号不能为空"):
        ledger.tasks.update_task(task_id, seq="  ")
    assert ledger.records.task_record(task_id).seq == "1"


def test_measure_edits_refuse_unknown_fields_and_change_the_deadline(ledger: Ledger, task_id: int) -> None:
    measure_id = ledger.tasks.add_measure(task_id, text="完成管网改造", deadline="2026年底前")
    with pytest.raises(ValidationError, match="未知的字段"):
        ledger.tasks.update_measure(measure_id, position=3)
    ledger.tasks.update_measure(measure_id, deadline="2027年6月底前")
    (measure,) = ledger.records.task_record(task_id).measures
    assert (measure.deadline.text, measure.deadline.date) == ("2027年6月底前", date(2027, 6, 30))


def test_progress_edits_refuse_unknown_fields_and_missing_entries(
    ledger: Ledger, task_id: int, entry_id: int
) -> None:
    from ledger_app.domain.errors import NotFoundError

    with pytest.raises(ValidationError, match="未知的字段"):
        ledger.tasks.update_progress(entry_id, measure_id=1)
    with pytest.raises(NotFoundError, match="整改进展不存在"):
        ledger.tasks.update_progress(entry_id + 100, text="x")
    ledger.tasks.update_progress(entry_id, reporter=" 李明 ")
    (entry,) = ledger.records.task_record(task_id).progress
    assert entry.reporter == "李明"


def test_a_measure_inserted_before_the_first_goes_first(ledger: Ledger, task_id: int) -> None:
    ledger.tasks.add_measure(task_id, text="甲")
    ledger.tasks.add_measure(task_id, text="乙")
    ledger.tasks.add_measure(task_id, text="丙", position=-5)
    assert [(ms.seq, ms.text) for ms in ledger.records.task_record(task_id).measures] == [
        (1, "丙"),
        (2, "甲"),
        (3, "乙"),
    ]
    last = ledger.records.task_record(task_id).measures[2].id
    assert last is not None
    ledger.tasks.move_measure(last, -3)  # before the first
    assert [ms.text for ms in ledger.records.task_record(task_id).measures] == ["乙", "丙", "甲"]


def test_the_deadline_named_when_unreadable_text_is_refused(ledger: Ledger, task_id: int) -> None:
    from ledger_app.domain.deadlines import Deadline
    from ledger_app.domain.errors import UnreadableDeadlineError

    ledger.tasks.update_task(task_id, deadline=date(2026, 6, 30))
    with pytest.raises(UnreadableDeadlineError) as refused:
        ledger.tasks.update_task(task_id, deadline="明年春天")
    assert refused.value.previous == "2026-06-30"
    ledger.tasks.update_task(task_id, deadline="2026年6月底前")
    with pytest.raises(UnreadableDeadlineError) as refused:
        ledger.tasks.update_task(task_id, deadline="明年春天")
    assert refused.value.previous == "2026-06-30(2026年6月底前)"
    ledger.tasks.update_task(task_id, deadline=Deadline("", long_term=True))
    with pytest.raises(UnreadableDeadlineError) as refused:
        ledger.tasks.update_task(task_id, deadline="明年春天")
    assert refused.value.previous == "长期坚持"


def test_count_tasks_counts_the_live_ones(ledger: Ledger, task_id: int) -> None:
    assert ledger.tasks.count_tasks() == 1
    round_id = ledger.directory.list_rounds()[0].id
    other = ledger.tasks.create_task(round_id=round_id, kind=ProblemKind.SPECIFIC, description="另一个")
    assert ledger.tasks.count_tasks() == 2
    ledger.tasks.delete_task(other)
    assert ledger.tasks.count_tasks() == 1
