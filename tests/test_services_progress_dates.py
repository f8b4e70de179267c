"""Editing a progress entry (整改进展) checks its date and percentage as adding one does."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from ledger_app.domain.errors import ValidationError
from ledger_app.domain.model import ProblemKind, RoundLevel
from ledger_app.services import Ledger


@pytest.fixture
def entry(ledger: Ledger) -> tuple[int, int]:
    """(task id, progress entry id) of one entry dated 2026-03-20."""
    round_id = ledger.create_round(name="第二轮中央生态环境保护督察", level=RoundLevel.CENTRAL)
    task_id = ledger.create_task(round_id=round_id, kind=ProblemKind.SPECIFIC, description="河道黑臭")
    entry_id = ledger.add_progress(task_id, entry_date=date(2026, 3, 20), text="已完成清淤", percent=40)
    return task_id, entry_id


def saved(ledger: Ledger, task_id: int) -> list[tuple[date | None, str, int | None]]:
    return [(p.date, p.text, p.percent) for p in ledger.task_record(task_id).progress]


BAD_DATES = [
    (date.today() + timedelta(days=400), "进展日期太靠后"),
    (date(2062, 3, 20), "进展日期太靠后"),  # 2026 typed as 2062
    (date(1926, 3, 20), "进展日期太靠前"),
    ("2026-03-20", "进展日期无效"),
    (None, "进展日期无效"),
    (20260320, "进展日期无效"),
]


@pytest.mark.parametrize(("bad", "message"), BAD_DATES)
def test_editing_to_a_bad_date_is_refused_and_changes_nothing(
    ledger: Ledger, entry: tuple[int, int], bad: object, message: str
) -> None:
    task_id, entry_id = entry
    before = saved(ledger, task_id)
    with pytest.raises(ValidationError) as refused:
        ledger.update_progress(entry_id, entry_date=bad, text="改过的内容")
    assert refused.value.message_zh.startswith(message)
    assert saved(ledger, task_id) == before  # the text given along was not saved either


@pytest.mark.parametrize(("bad", "message"), BAD_DATES)
def test_adding_and_editing_refuse_the_same_dates(
    ledger: Ledger, entry: tuple[int, int], bad: object, message: str
) -> None:
    task_id, entry_id = entry
    with pytest.raises(ValidationError) as on_add:
        ledger.add_progress(task_id, entry_date=bad, text="x")  # type: ignore[arg-type]
    with pytest.raises(ValidationError) as on_edit:
        ledger.update_progress(entry_id, entry_date=bad)
    assert on_add.value.message_zh == on_edit.value.message_zh
    assert message in on_add.value.message_zh


def test_editing_within_the_window_is_saved(ledger: Ledger, entry: tuple[int, int]) -> None:
    task_id, entry_id = entry
    soon = date.today() + timedelta(days=30)  # a planned date a month ahead is fine
    ledger.update_progress(entry_id, entry_date=soon)
    assert saved(ledger, task_id) == [(soon, "已完成清淤", 40)]
    # A date-time (as some callers hand over) keeps only its day.
    ledger.update_progress(entry_id, entry_date=datetime(2026, 4, 2, 15, 30))
    assert saved(ledger, task_id) == [(date(2026, 4, 2), "已完成清淤", 40)]


def test_editing_without_a_date_leaves_the_date_alone(ledger: Ledger, entry: tuple[int, int]) -> None:
    task_id, entry_id = entry
    ledger.update_progress(entry_id, text="清淤完成,正在验收", percent=90)
    assert saved(ledger, task_id) == [(date(2026, 3, 20), "清淤完成,正在验收", 90)]


def test_the_edit_check_moves_with_today(
    ledger: Ledger, entry: tuple[int, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    import ledger_app.services.tasks as tasks

    class LeapDay(date):
        @classmethod
        def today(cls) -> date:  # type: ignore[override]
            return date(2028, 2, 29)

    monkeypatch.setattr(tasks, "date", LeapDay)
    task_id, entry_id = entry
    ledger.update_progress(entry_id, entry_date=date(2029, 2, 28))
    with pytest.raises(ValidationError, match="进展日期太靠后"):
        ledger.update_progress(entry_id, entry_date=date(2029, 3, 2))
    assert saved(ledger, task_id)[0][0] == date(2029, 2, 28)


@pytest.mark.parametrize("bad", ["50", 50.5, True])
def test_a_percentage_that_is_no_whole_number_is_refused_in_chinese(
    ledger: Ledger, entry: tuple[int, int], bad: object
) -> None:
    task_id, entry_id = entry
    with pytest.raises(ValidationError) as refused:
        ledger.update_progress(entry_id, percent=bad)
    assert "完成百分比" in refused.value.message_zh
    with pytest.raises(ValidationError):
        ledger.add_progress(task_id, entry_date=date(2026, 3, 21), text="x", percent=bad)  # type: ignore[arg-type]
    assert saved(ledger, task_id) == [(date(2026, 3, 20), "已完成清淤", 40)]
