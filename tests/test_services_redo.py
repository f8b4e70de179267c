"""Redo: the undone change comes back, audited; the stack lives in the ledger; a new edit empties it."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from ledger_app.domain.errors import ValidationError
from ledger_app.domain.model import ProblemKind, RoundLevel, TaskStatus
from ledger_app.io.dump import ledger_to_dict
from ledger_app.services import Ledger
from ledger_app.store import models as m
from tests.xlsx_factory import K, layout_county, sample_tasks

TODAY = date(2026, 11, 23)


def dump(ledger: Ledger) -> dict[str, Any]:
    return ledger_to_dict(ledger.records.round_records(today=TODAY), today=TODAY)


@pytest.fixture
def round_id(ledger: Ledger) -> int:
    return ledger.directory.create_round(name="第二轮中央生态环境保护督察", level=RoundLevel.CENTRAL)


def test_redo_brings_back_an_undone_edit_and_is_audited(ledger: Ledger, round_id: int) -> None:
    task_id = ledger.tasks.create_task(round_id=round_id, kind=ProblemKind.SPECIFIC, description="旧描述")
    assert ledger.history.next_redoable() is None and ledger.history.redo_label() is None
    ledger.tasks.update_task(task_id, description="新描述", deadline="2026年12月底前")
    after = dump(ledger)
    seq = ledger.records.task_record(task_id).seq
    assert ledger.history.undo_label() == f"修改任务 {seq} 的问题描述、整改时限"
    ledger.history.undo_last()
    assert ledger.records.task_record(task_id).description == "旧描述"
    assert ledger.history.redo_label() == f"修改任务 {seq} 的问题描述、整改时限"
    assert ledger.history.undo_label() == f"新建任务(任务 {seq})"

    assert ledger.history.redo_last() == "修改任务"
    assert dump(ledger) == after
    assert ledger.history.next_redoable() is None
    # The redo is in the log as a change of its own, and the edit can be undone again.
    reasons = [e.reason for e in ledger.history.for_task(task_id)]
    assert reasons[0] == "重做:修改任务"
    assert ledger.history.undo_last() == "修改任务"
    assert ledger.records.task_record(task_id).description == "旧描述"


def test_redo_walks_back_up_the_stack_in_order(ledger: Ledger, round_id: int) -> None:
    states = [dump(ledger)]
    task_id = ledger.tasks.create_task(round_id=round_id, kind=ProblemKind.SPECIFIC, description="a")
    states.append(dump(ledger))
    measure = ledger.tasks.add_measure(task_id, text="措施一", lead_units=["区住建局"])
    states.append(dump(ledger))
    ledger.tasks.add_progress(task_id, entry_date=date(2026, 11, 1), text="已开工", percent=30)
    states.append(dump(ledger))
    ledger.tasks.delete_measure(measure)
    states.append(dump(ledger))
    ledger.lifecycle.transition(task_id, TaskStatus.IN_PROGRESS)
    states.append(dump(ledger))
    ledger.tasks.delete_task(task_id)
    states.append(dump(ledger))

    for expected in reversed(states[:-1]):
        ledger.history.undo_last()
        assert dump(ledger) == expected
    for expected in states[1:]:
        ledger.history.redo_last()
        assert dump(ledger) == expected
    with pytest.raises(ValidationError) as refused:
        ledger.history.redo_last()
    assert refused.value.message_zh == "没有可以重做的操作。"


def test_a_new_edit_after_undo_empties_the_redo_stack(ledger: Ledger, round_id: int) -> None:
    a = ledger.tasks.create_task(round_id=round_id, kind=ProblemKind.SPECIFIC, description="a")
    ledger.tasks.update_task(a, goal="目标一")
    ledger.tasks.update_task(a, goal="目标二")
    ledger.history.undo_last()
    ledger.history.undo_last()
    assert ledger.history.next_redoable() is not None
    ledger.tasks.update_task(a, leader="新领导")  # a new edit: what was undone can no longer come back
    assert ledger.history.next_redoable() is None
    with pytest.raises(ValidationError):
        ledger.history.redo_last()
    # Undoing the new edit offers only that edit for redo, never the changes dropped before it.
    ledger.history.undo_last()
    ledger.history.undo_last()  # 新建任务
    assert ledger.tasks.count_tasks() == 0
    ledger.history.redo_last()
    ledger.history.redo_last()
    assert ledger.records.task_record(a).leader == "新领导" and ledger.records.task_record(a).goal == ""
    assert ledger.history.next_redoable() is None


def test_the_redo_stack_is_in_the_ledger_and_each_operators_own(ledger_path: Path) -> None:
    with Ledger.open(ledger_path, actor="甲") as first:
        rid = first.directory.create_round(name="第二轮中央生态环境保护督察", level=RoundLevel.CENTRAL)
        task_id = first.tasks.create_task(round_id=rid, kind=ProblemKind.SPECIFIC, description="甲写的")
        first.tasks.update_task(task_id, goal="甲的目标")
        first.history.undo_last()
    with Ledger.open(ledger_path, actor="乙") as other:
        assert other.history.next_redoable() is None  # 甲's undo is not 乙's to redo
        other.tasks.update_task(task_id, leader="乙改的")  # nor does 乙's edit empty 甲's stack
    with Ledger.open(ledger_path, actor="甲") as again:  # a later session (the CLI, another window)
        assert again.history.redo_last() == "修改任务"
        assert again.records.task_record(task_id).goal == "甲的目标"


def test_redo_of_an_excel_import_brings_back_everything_it_brought(ledger: Ledger, tmp_path: Path) -> None:
    """A bulk import logs one row per task; the undo logs every row it removed, so redo has them all."""
    from ledger_app.io.excel_in.workbook import read_ledger_workbook

    before = dump(ledger)
    path = layout_county(sample_tasks(5, seed=2, kinds=(K.SPECIFIC, K.PETITION), max_measures=3)).write(
        tmp_path
    )
    plan = read_ledger_workbook(path)
    records = plan.records(progress_date=date(2026, 11, 1))
    ledger.imports.import_records(
        records, new_round=("第二轮省生态环境保护督察", RoundLevel.PROVINCIAL), source=str(path)
    )
    after = dump(ledger)
    assert sum(len(r["tasks"]) for r in after["rounds"]) == 5
    ledger.history.undo_last()
    assert dump(ledger) == before
    ledger.history.redo_last()
    assert dump(ledger) == after
    ledger.history.undo_last()
    assert dump(ledger) == before


def test_redo_refuses_cleanly_when_the_ledger_changed_in_between(ledger: Ledger, round_id: int) -> None:
    task_id = ledger.tasks.create_task(round_id=round_id, kind=ProblemKind.SPECIFIC, description="x")
    entry = ledger.tasks.add_progress(task_id, entry_date=date(2026, 11, 1), text="甲填的")
    ledger.history.undo_last()
    # Someone else's row took the id the undone entry had (a colleague on the same ledger).
    with Ledger.open(ledger.path, actor="乙") as other, other.changing("乙的进展") as session:
        session.add(
            m.ProgressEntry(
                id=entry,
                problem_id=task_id,
                entry_date=date(2026, 11, 2),
                text="乙填的",
                created_at=datetime(2026, 11, 2, 9, 0),
            )
        )
    before = dump(ledger)
    with pytest.raises(ValidationError) as refused:
        ledger.history.redo_last()
    assert "无法重做" in refused.value.message_zh
    assert dump(ledger) == before
    with ledger.reading() as session:
        assert session.scalar(select(m.ProgressEntry.text).where(m.ProgressEntry.id == entry)) == "乙填的"


def test_undo_and_redo_of_a_reimport_that_replaces_measures(ledger: Ledger, tmp_path: Path) -> None:
    """A re-import deletes the task's measures and creates the sheet's: SQLite gives a new measure the
    id a deleted one had, so undo must take the new row away before the old one can come back."""
    from ledger_app.io.excel_in.workbook import read_ledger_workbook

    path = layout_county(sample_tasks(3, seed=9, kinds=(K.SPECIFIC,), max_measures=2)).write(tmp_path)

    def import_sheet(**target: Any) -> None:
        plan = read_ledger_workbook(path, known_units=[u.name for u in ledger.directory.list_units()])
        ledger.imports.import_records(
            plan.records(progress_date=date(2026, 11, 1)), source=str(path), **target
        )

    import_sheet(new_round=("第二轮省生态环境保护督察", RoundLevel.PROVINCIAL))
    task = ledger.queries.list_tasks()[0]
    ledger.tasks.add_measure(task.id, text="河道清淤")  # the clerk's own measure, not in the sheet
    ledger.tasks.update_task(task.id, leader="另一位领导")
    states = [dump(ledger)]
    import_sheet(
        round_id=ledger.directory.list_rounds()[0].id
    )  # the sheet again: leader and measures as it says
    states.append(dump(ledger))
    assert states[0] != states[1]
    ledger.history.undo_last()
    assert dump(ledger) == states[0]
    ledger.history.redo_last()
    assert dump(ledger) == states[1]
