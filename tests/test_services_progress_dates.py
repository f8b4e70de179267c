"""Editing a progress entry (整改进展) checks its date and percentage as adding one does."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from ledger_app.domain.dates import FutureDateUnconfirmed
from ledger_app.domain.errors import ValidationError
from ledger_app.domain.model import ProblemKind, RoundLevel
from ledger_app.services import Ledger


@pytest.fixture
def entry(ledger: Ledger) -> tuple[int, int]:
    """(task id, progress entry id) of one entry dated 2026-03-20."""
    round_id = ledger.directory.create_round(name="第二轮中央生态环境保护督察", level=RoundLevel.CENTRAL)
    task_id = ledger.tasks.create_task(round_id=round_id, kind=ProblemKind.SPECIFIC, description="河道黑臭")
    entry_id = ledger.tasks.add_progress(task_id, entry_date=date(2026, 3, 20), text="已完成清淤", percent=40)
    return task_id, entry_id


def saved(ledger: Ledger, task_id: int) -> list[tuple[date | None, str, int | None]]:
    return [(p.date, p.text, p.percent) for p in ledger.records.task_record(task_id).progress]


BAD_DATES = [
    (date.today() + timedelta(days=400), "进展日期太靠后"),
    (date.today() + timedelta(days=32), "进展日期太靠后"),
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
        ledger.tasks.update_progress(entry_id, entry_date=bad, text="改过的内容")
    assert refused.value.message_zh.startswith(message)
    assert saved(ledger, task_id) == before  # the text given along was not saved either


@pytest.mark.parametrize(("bad", "message"), BAD_DATES)
def test_adding_and_editing_refuse_the_same_dates(
    ledger: Ledger, entry: tuple[int, int], bad: object, message: str
) -> None:
    task_id, entry_id = entry
    with pytest.raises(ValidationError) as on_add:
        ledger.tasks.add_progress(task_id, entry_date=bad, text="x")  # type: ignore[arg-type]
    with pytest.raises(ValidationError) as on_edit:
        ledger.tasks.update_progress(entry_id, entry_date=bad)
    assert on_add.value.message_zh == on_edit.value.message_zh
    assert message in on_add.value.message_zh


def test_editing_within_the_window_is_saved(ledger: Ledger, entry: tuple[int, int]) -> None:
    task_id, entry_id = entry
    soon = date.today() + timedelta(days=30)  # a planned date a month ahead, once confirmed, is fine
    ledger.tasks.update_progress(entry_id, entry_date=soon, confirm_future=True)
    assert saved(ledger, task_id) == [(soon, "已完成清淤", 40)]
    # A date-time (as some callers hand over) keeps only its day.
    ledger.tasks.update_progress(entry_id, entry_date=datetime(2026, 4, 2, 15, 30))
    assert saved(ledger, task_id) == [(date(2026, 4, 2), "已完成清淤", 40)]


def test_editing_without_a_date_leaves_the_date_alone(ledger: Ledger, entry: tuple[int, int]) -> None:
    task_id, entry_id = entry
    ledger.tasks.update_progress(entry_id, text="清淤完成,正在验收", percent=90)
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
    ledger.tasks.update_progress(entry_id, entry_date=date(2028, 3, 31), confirm_future=True)  # 31 days on
    with pytest.raises(ValidationError, match="进展日期太靠后"):
        ledger.tasks.update_progress(entry_id, entry_date=date(2028, 4, 1), confirm_future=True)
    assert saved(ledger, task_id)[0][0] == date(2028, 3, 31)


@pytest.mark.parametrize("bad", ["50", 50.5, True])
def test_a_percentage_that_is_no_whole_number_is_refused_in_chinese(
    ledger: Ledger, entry: tuple[int, int], bad: object
) -> None:
    task_id, entry_id = entry
    with pytest.raises(ValidationError) as refused:
        ledger.tasks.update_progress(entry_id, percent=bad)
    assert "完成百分比" in refused.value.message_zh
    with pytest.raises(ValidationError):
        ledger.tasks.add_progress(task_id, entry_date=date(2026, 3, 21), text="x", percent=bad)  # type: ignore[arg-type]
    assert saved(ledger, task_id) == [(date(2026, 3, 20), "已完成清淤", 40)]


# -- progress dated after today: confirm 1..31 days ahead, refuse later ----------------------------
@pytest.mark.parametrize("ahead", [1, 14, 31])
def test_a_near_future_date_needs_the_clerks_confirmation(
    ledger: Ledger, entry: tuple[int, int], ahead: int
) -> None:
    task_id, entry_id = entry
    day = date.today() + timedelta(days=ahead)
    with pytest.raises(FutureDateUnconfirmed) as refused:
        ledger.tasks.add_progress(task_id, entry_date=day, text="计划下周完成")
    assert "晚于今天" in refused.value.message_zh and "确认" in refused.value.message_zh
    with pytest.raises(FutureDateUnconfirmed):
        ledger.tasks.update_progress(entry_id, entry_date=day)
    assert saved(ledger, task_id) == [(date(2026, 3, 20), "已完成清淤", 40)]
    new_id = ledger.tasks.add_progress(task_id, entry_date=day, text="计划下周完成", confirm_future=True)
    ledger.tasks.update_progress(entry_id, entry_date=day, confirm_future=True)
    assert sorted(saved(ledger, task_id)) == sorted([(day, "已完成清淤", 40), (day, "计划下周完成", None)])
    assert new_id


@pytest.mark.parametrize("ahead", [32, 45, 366])
def test_more_than_a_month_ahead_is_refused_even_when_confirmed(
    ledger: Ledger, entry: tuple[int, int], ahead: int
) -> None:
    task_id, entry_id = entry
    day = date.today() + timedelta(days=ahead)
    for confirmed in (False, True):
        with pytest.raises(ValidationError) as refused:
            ledger.tasks.add_progress(task_id, entry_date=day, text="x", confirm_future=confirmed)
        assert not isinstance(refused.value, FutureDateUnconfirmed)
        assert "超过一个月" in refused.value.message_zh and f"晚 {ahead} 天" in refused.value.message_zh
        with pytest.raises(ValidationError, match="超过一个月"):
            ledger.tasks.update_progress(entry_id, entry_date=day, confirm_future=confirmed)
    assert saved(ledger, task_id) == [(date(2026, 3, 20), "已完成清淤", 40)]


def test_today_and_the_past_need_no_confirmation(ledger: Ledger, entry: tuple[int, int]) -> None:
    task_id, entry_id = entry
    ledger.tasks.add_progress(task_id, entry_date=date.today(), text="今日填报")
    ledger.tasks.update_progress(entry_id, entry_date=date(2022, 11, 30))
    assert {p[0] for p in saved(ledger, task_id)} == {date.today(), date(2022, 11, 30)}


def test_editing_only_the_text_of_a_confirmed_future_entry_asks_nothing(
    ledger: Ledger, entry: tuple[int, int]
) -> None:
    task_id, entry_id = entry
    day = date.today() + timedelta(days=5)
    ledger.tasks.update_progress(entry_id, entry_date=day, confirm_future=True)
    ledger.tasks.update_progress(entry_id, text="清淤完成")
    assert saved(ledger, task_id) == [(day, "清淤完成", 40)]
