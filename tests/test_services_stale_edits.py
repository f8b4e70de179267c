"""No lost updates: an edit carries what the clerk saw, and a value changed meanwhile refuses it."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from ledger_app.domain.errors import StaleEditError
from ledger_app.domain.model import ProblemKind, RoundLevel
from ledger_app.services import Ledger


@pytest.fixture
def two(ledger_path: Path) -> tuple[Ledger, Ledger, int]:
    """Two programs' views of one ledger (the lock is shared in one process, as if bypassed)."""
    first = Ledger.open(ledger_path, actor="张三")
    second = Ledger.open(ledger_path, actor="李四")
    round_id = first.directory.create_round(name="第二轮中央生态环境保护督察", level=RoundLevel.CENTRAL)
    task_id = first.tasks.create_task(
        round_id=round_id,
        seq="3",
        kind=ProblemKind.SPECIFIC,
        description="某河段黑臭水体",
        responsible_units=["区水务局"],
        deadline="2027年6月底前",
        note="原备注",
    )
    yield first, second, task_id
    first.close()
    second.close()


def test_an_edit_from_a_stale_view_is_refused_with_the_fresh_value(two: tuple[Ledger, Ledger, int]) -> None:
    first, second, task_id = two
    seen = first.records.task_record(task_id).note
    second.tasks.update_task(task_id, expected={"note": "原备注"}, note="李四改的")
    with pytest.raises(StaleEditError) as refused:
        first.tasks.update_task(task_id, expected={"note": seen}, note="张三改的")
    assert refused.value.field == "note"
    assert refused.value.current == "李四改的"
    assert "李四改的" in refused.value.message_zh and "没有保存" in refused.value.message_zh
    assert first.records.task_record(task_id).note == "李四改的"


def test_a_change_to_another_field_does_not_refuse(two: tuple[Ledger, Ledger, int]) -> None:
    first, second, task_id = two
    second.tasks.update_task(task_id, goal="年底前消除黑臭")
    first.tasks.update_task(task_id, expected={"note": "原备注"}, note="张三改的")
    record = first.records.task_record(task_id)
    assert (record.note, record.goal) == ("张三改的", "年底前消除黑臭")


def test_whitespace_the_ledger_strips_is_not_a_difference(two: tuple[Ledger, Ledger, int]) -> None:
    first, _second, task_id = two
    first.tasks.update_task(task_id, expected={"note": " 原备注 "}, note="新")
    assert first.records.task_record(task_id).note == "新"


def test_unit_lists_and_deadlines_are_compared_as_shown(two: tuple[Ledger, Ledger, int]) -> None:
    first, second, task_id = two
    second.tasks.update_task(task_id, responsible_units=["区水务局", "区住建局"])
    with pytest.raises(StaleEditError, match="区水务局、区住建局"):
        first.tasks.update_task(
            task_id, expected={"responsible_units": ["区水务局"]}, responsible_units=["区城管局"]
        )
    second.tasks.update_task(task_id, deadline="2027年12月底前")
    with pytest.raises(StaleEditError, match="整改时限"):
        first.tasks.update_task(task_id, expected={"deadline": "2027年6月底前"}, deadline="2027年9月底前")
    assert first.records.task_record(task_id).deadline.text == "2027年12月底前"


def test_measures_and_progress_entries_are_guarded_too(two: tuple[Ledger, Ledger, int]) -> None:
    first, second, task_id = two
    measure_id = first.tasks.add_measure(task_id, text="截污纳管")
    entry_id = first.tasks.add_progress(task_id, entry_date=date(2026, 10, 31), text="已完成排查")
    second.tasks.update_measure(measure_id, text="截污纳管、清淤疏浚")
    with pytest.raises(StaleEditError):
        first.tasks.update_measure(measure_id, expected={"text": "截污纳管"}, text="截污纳管(改)")
    second.tasks.update_progress(entry_id, entry_date=date(2026, 11, 1))
    with pytest.raises(StaleEditError, match="2026-11-01"):
        first.tasks.update_progress(
            entry_id, expected={"entry_date": date(2026, 10, 31)}, text="已完成排查和整治"
        )
    record = first.records.task_record(task_id)
    assert record.measures[0].text == "截污纳管、清淤疏浚"
    assert record.progress[0].text == "已完成排查"


def test_a_refused_edit_leaves_no_audit_row(two: tuple[Ledger, Ledger, int]) -> None:
    first, second, task_id = two
    before = len(first.history.for_task(task_id))
    second.tasks.update_task(task_id, note="李四改的")
    with pytest.raises(StaleEditError):
        first.tasks.update_task(task_id, expected={"note": "原备注"}, note="张三改的")
    assert len(first.history.for_task(task_id)) == before + 1  # only 李四's change
