"""Schedule flags (序时推进 / 临期 / 滞后 / 长期坚持) around deadlines, and the 完成情况 column."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from ledger_app.domain.deadlines import Deadline, parse_deadline
from ledger_app.domain.model import DEFAULT_WARNING_DAYS, ScheduleFlag, TaskStatus
from ledger_app.domain.schedule import completion_label, schedule_flag

F = ScheduleFlag
JUNE_30 = parse_deadline("2026年6月底前")
OPEN = [TaskStatus.NOT_STARTED, TaskStatus.IN_PROGRESS]
DONE = [TaskStatus.COMPLETED, TaskStatus.ACCEPTED, TaskStatus.PUBLIC_NOTICE, TaskStatus.CLOSED]


def test_the_deadline_fixture_is_june_30() -> None:
    assert JUNE_30.date == date(2026, 6, 30)


@pytest.mark.parametrize("status", OPEN)
@pytest.mark.parametrize(
    ("today", "flag"),
    [
        (date(2026, 7, 1), F.LAGGING),  # the day after
        (date(2027, 1, 1), F.LAGGING),
        (date(2026, 6, 30), F.DUE_SOON),  # the day itself is not yet late
        (date(2026, 6, 29), F.DUE_SOON),  # the day before
        (date(2026, 6, 30) - timedelta(days=DEFAULT_WARNING_DAYS), F.DUE_SOON),  # the window's first day
        (date(2026, 6, 30) - timedelta(days=DEFAULT_WARNING_DAYS + 1), F.ON_SCHEDULE),  # one day before it
        (date(2026, 1, 1), F.ON_SCHEDULE),
    ],
)
def test_flag_around_the_deadline(status: TaskStatus, today: date, flag: ScheduleFlag) -> None:
    assert schedule_flag(status, JUNE_30, today) is flag


def test_the_default_warning_window_is_15_days() -> None:
    assert DEFAULT_WARNING_DAYS == 15
    assert schedule_flag(TaskStatus.IN_PROGRESS, JUNE_30, date(2026, 6, 15)) is F.DUE_SOON
    assert schedule_flag(TaskStatus.IN_PROGRESS, JUNE_30, date(2026, 6, 14)) is F.ON_SCHEDULE


@pytest.mark.parametrize(
    ("warning_days", "today", "flag"),
    [
        (30, date(2026, 5, 31), F.DUE_SOON),
        (30, date(2026, 5, 30), F.ON_SCHEDULE),
        (0, date(2026, 6, 30), F.DUE_SOON),
        (0, date(2026, 6, 29), F.ON_SCHEDULE),
        (0, date(2026, 7, 1), F.LAGGING),
    ],
)
def test_the_warning_window_is_a_parameter(warning_days: int, today: date, flag: ScheduleFlag) -> None:
    assert schedule_flag(TaskStatus.IN_PROGRESS, JUNE_30, today, warning_days) is flag


@pytest.mark.parametrize("text", ["立行立改、长期坚持", "长期坚持", "持续推进"])
@pytest.mark.parametrize("status", OPEN)
def test_long_term_tasks_are_never_late(text: str, status: TaskStatus) -> None:
    deadline = parse_deadline(text)
    assert deadline.long_term
    for today in (date(2000, 1, 1), date(2026, 6, 30), date(2099, 12, 31)):
        assert schedule_flag(status, deadline, today) is F.LONG_TERM


@pytest.mark.parametrize("deadline", [parse_deadline("等上级通知"), Deadline(""), Deadline("尽快")])
def test_unknown_or_missing_deadline_is_never_on_schedule(deadline: Deadline) -> None:
    # Issue 18: this test used to pin 序时推进 here, which is how 明年春天 hid an overdue task.
    assert deadline.date is None and not deadline.long_term
    assert schedule_flag(TaskStatus.IN_PROGRESS, deadline, date(2099, 1, 1)) is F.UNKNOWN_DEADLINE


@pytest.mark.parametrize("status", DONE)
@pytest.mark.parametrize("deadline", [JUNE_30, parse_deadline("长期坚持"), Deadline("尽快")])
def test_done_tasks_have_no_flag(status: TaskStatus, deadline: Deadline) -> None:
    assert schedule_flag(status, deadline, date(2027, 1, 1)) is None


@pytest.mark.parametrize(
    ("status", "flag", "label"),
    [
        (TaskStatus.CLOSED, None, "已销号"),
        (TaskStatus.COMPLETED, None, "已完成"),
        (TaskStatus.ACCEPTED, None, "已完成"),
        (TaskStatus.PUBLIC_NOTICE, None, "已完成"),
        (TaskStatus.IN_PROGRESS, F.LAGGING, "滞后"),
        (TaskStatus.IN_PROGRESS, F.DUE_SOON, "临期"),
        (TaskStatus.IN_PROGRESS, F.ON_SCHEDULE, "序时推进"),
        (TaskStatus.NOT_STARTED, F.LONG_TERM, "长期坚持"),
        (TaskStatus.NOT_STARTED, None, "序时推进"),
    ],
)
def test_completion_label(status: TaskStatus, flag: ScheduleFlag | None, label: str) -> None:
    assert completion_label(status, flag) == label


def test_completion_label_from_a_computed_flag() -> None:
    late = schedule_flag(TaskStatus.IN_PROGRESS, JUNE_30, date(2026, 8, 1))
    assert completion_label(TaskStatus.IN_PROGRESS, late) == "滞后"
