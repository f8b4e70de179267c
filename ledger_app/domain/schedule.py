"""The schedule flag (序时推进 / 临期 / 滞后 / 长期坚持 / 时限不明), computed from the data, never stored."""

from __future__ import annotations

from datetime import date

from .deadlines import Deadline
from .model import DEFAULT_WARNING_DAYS, ScheduleFlag, TaskStatus


def schedule_flag(
    status: TaskStatus,
    deadline: Deadline,
    today: date,
    warning_days: int = DEFAULT_WARNING_DAYS,
) -> ScheduleFlag | None:
    """The flag of an open task as of ``today``; None once the task is completed or further.

    The one rule for unknown deadlines: a task whose 整改时限 is empty or could not be read is
    时限不明, never 序时推进. Without a date we can call it neither late nor on time, and every
    surface (list, filters, banner, report, statistics, dump) shows it as what it is.
    """
    if status.is_done:
        return None
    if deadline.long_term:
        return ScheduleFlag.LONG_TERM
    if deadline.date is None:
        return ScheduleFlag.UNKNOWN_DEADLINE
    if today > deadline.date:
        return ScheduleFlag.LAGGING
    if (deadline.date - today).days <= warning_days:
        return ScheduleFlag.DUE_SOON
    return ScheduleFlag.ON_SCHEDULE


def completion_label(status: TaskStatus, flag: ScheduleFlag | None) -> str:
    """完成情况 as the monthly report writes it: 已销号 / 已完成 / the schedule flag."""
    if status is TaskStatus.CLOSED:
        return "已销号"
    if status.is_done:
        return "已完成"
    return flag.label if flag else ScheduleFlag.ON_SCHEDULE.label
