"""The state at a glance (挂图作战): every figure of the overview page, computed once from plain facts.

The page, ``ledger-cli stats`` and the progress report all read an ``Overview``; nothing is counted
in a widget. Every figure the page shows has the ids of its tasks under a key (``Overview.ids``), so
a click on it filters the task list to exactly those tasks.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from calendar import monthrange
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import NamedTuple, cast

from .model import NoticeKind, ProblemKind, ScheduleFlag, Section, TaskStatus
from .ranking import RANKING_RULE, UnitRank, rank_units, round_shares
from .stats import LedgerStats, StatItem, Tally, compute_stats, summary_sentence

DUE_WINDOW_DAYS = 30  # "due in the next 30 days" on the page, apart from the 临期 warning window
MAX_MONTHS = 120  # a round's life on the chart: ten years is more than any rectification runs


class OverviewItem(NamedTuple):
    """The facts of one task the overview needs. The first five are a ``StatItem``'s, so the figures
    are counted by ``compute_stats`` itself; a tuple because 10,000 of them are made on every refresh
    (a frozen dataclass took four times as long to build)."""

    round_name: str
    kind: ProblemKind
    status: TaskStatus
    schedule: ScheduleFlag | None
    units: tuple[str, ...]  # the units that answer for it (lead, else responsible)
    task_id: int
    deadline: date | None  # a dated deadline; None for long-term and unknown ones
    batch: str = ""  # 批次 of a petition


@dataclass(frozen=True, slots=True)
class TaskHistory:
    """When a task changed status, as far as the ledger knows: ``events`` are (day, status) pairs in
    any order; the task was open (未启动) before the first one."""

    task_id: int
    deadline: date | None
    events: tuple[tuple[date, TaskStatus], ...]


@dataclass(frozen=True, slots=True)
class MonthPoint:
    month: date  # the first day of the month
    completed: int  # completed or further at the month's end (or on the overview's day, this month)
    closed: int
    lagging: int

    @property
    def label(self) -> str:
        return f"{self.month.year}年{self.month.month}月"


@dataclass(slots=True)
class BatchTally:
    batch: str  # "" for petitions without a batch
    tally: Tally

    @property
    def label(self) -> str:
        return self.batch or "未填批次"


@dataclass(slots=True)
class Overview:
    as_of: date
    round_name: str | None  # None: all rounds
    stats: LedgerStats
    summary: str
    due_30: int
    petition_batches: list[BatchTally]
    ranking: list[UnitRank]
    months: list[MonthPoint]
    items: Sequence[OverviewItem] = ()
    rule: str = RANKING_RULE
    # 督办单 / 提醒函 sent about these tasks: this month (of as_of) and in all.
    notices_month: dict[NoticeKind, int] = field(default_factory=dict)
    notices_total: dict[NoticeKind, int] = field(default_factory=dict)

    def task_ids(self, key: str) -> list[int]:
        """The tasks behind a figure (keys: KEY_*, status_key, flag_key, section_key, batch_key,
        unit_key): worked out on a click, not on every refresh."""
        return [i.task_id for i in self.items if _matches(i, key, self.as_of)]

    @property
    def total(self) -> Tally:
        return self.stats.total

    def as_dict(self) -> dict[str, object]:
        """Stable JSON shape (``ledger-cli stats --json`` adds it under ``overview``)."""
        return {
            "as_of": self.as_of.isoformat(),
            "round": self.round_name,
            "overdue": self.total.lagging,
            "due_30_days": self.due_30,
            "petition_batches": {b.label: b.tally.as_dict() for b in self.petition_batches},
            "ranking": [r.as_dict() for r in self.ranking],
            "ranking_rule": self.rule,
            "notices_this_month": {k.value: self.notices_month.get(k, 0) for k in NoticeKind},
            "notices_total": {k.value: self.notices_total.get(k, 0) for k in NoticeKind},
            "months": [
                {
                    "month": p.month.strftime("%Y-%m"),
                    "completed": p.completed,
                    "closed": p.closed,
                    "lagging": p.lagging,
                }
                for p in self.months
            ],
        }


# Keys of Overview.ids: what a click on each figure filters to.
KEY_ALL = "all"
KEY_COMPLETED = "completed"
KEY_CLOSED = "closed"
KEY_OPEN = "open"
KEY_DUE_30 = "due-30"


def status_key(status: TaskStatus) -> str:
    return f"status:{status.value}"


def flag_key(flag: ScheduleFlag) -> str:
    return f"flag:{flag.value}"


def section_key(section: Section) -> str:
    return f"section:{section.value}"


def batch_key(batch: str) -> str:
    return f"batch:{batch}"


def unit_key(unit: str, part: str = "") -> str:
    """A unit's tasks; ``part``: "completed", "open" (not lagging) or "lagging" (the chart's segments)."""
    return f"unit:{part}:{unit}"


def _matches(item: OverviewItem, key: str, today: date) -> bool:
    kind, _, rest = key.partition(":")
    done = item.status.is_done
    if key == KEY_ALL:
        return True
    if key == KEY_COMPLETED:
        return done
    if key == KEY_CLOSED:
        return item.status is TaskStatus.CLOSED
    if key == KEY_OPEN:
        return not done
    if key == KEY_DUE_30:
        return _due_within(item, today)
    if kind == "status":
        return item.status.value == rest
    if kind == "flag":
        return item.schedule is not None and item.schedule.value == rest
    if kind == "section":
        return item.kind.section.value == rest
    if kind == "batch":
        return item.kind is ProblemKind.PETITION and item.batch == rest
    if kind == "unit":
        part, _, unit = rest.partition(":")
        if unit not in item.units:
            return False
        lagging = item.schedule is ScheduleFlag.LAGGING
        return {
            "": True,
            "completed": done,
            "lagging": lagging,
            "due-soon": item.schedule is ScheduleFlag.DUE_SOON,
            "open": not done and not lagging,
        }.get(part, False)
    return False


def _due_within(item: OverviewItem, today: date) -> bool:
    """Open, with a dated deadline in the next DUE_WINDOW_DAYS days (today included)."""
    deadline = item.deadline
    return (
        deadline is not None and not item.status.is_done and 0 <= (deadline - today).days <= DUE_WINDOW_DAYS
    )


def build_overview(
    items: Sequence[OverviewItem],
    *,
    today: date,
    feedback_dates: Mapping[str, date | None],
    histories: Iterable[TaskHistory] = (),
    round_name: str | None = None,
    place: str = "我区",
) -> Overview:
    stats = compute_stats(cast("Sequence[StatItem]", items))  # an OverviewItem starts as a StatItem does
    horizon = today + timedelta(days=DUE_WINDOW_DAYS)
    due_30 = sum(
        1 for i in items if i.deadline is not None and today <= i.deadline <= horizon and not i.status.is_done
    )
    petitions = Counter((i.batch, i.status, i.schedule) for i in items if i.kind is ProblemKind.PETITION)
    batches: dict[str, Tally] = {}
    for (batch, status, schedule), n in petitions.items():
        batches.setdefault(batch, Tally()).add_many(status, schedule, n)
    ranking = rank_units(items, round_shares(items, feedback_dates, today))
    names = {i.round_name for i in items}
    starts = [d for n, d in feedback_dates.items() if n in names and d is not None]
    months = monthly_series(histories, start=min(starts) if starts else None, today=today)
    return Overview(
        as_of=today,
        round_name=round_name,
        stats=stats,
        summary=summary_sentence(stats, place),
        due_30=due_30,
        petition_batches=[
            BatchTally(b, t) for b, t in sorted(batches.items(), key=lambda kv: _batch_order(kv[0]))
        ],
        ranking=ranking,
        months=months,
        items=items,
    )


def _batch_order(batch: str) -> tuple[int, int, str]:
    """第2批 before 第10批; petitions without a batch last."""
    digits = "".join(c for c in batch if c.isdigit())
    return (1 if not batch else 0, int(digits) if digits and len(digits) < 9 else 0, batch)


def _day(event: tuple[date, TaskStatus]) -> date:
    return event[0]


def _count_interval(
    status: TaskStatus,
    lo: int,
    hi: int,
    lag_from: int,
    completed: list[int],
    closed: list[int],
    lagging: list[int],
) -> None:
    """Add a task holding ``status`` at the month ends ``lo`` to ``hi - 1`` to the difference arrays."""
    if status.is_done:
        if lo < hi:
            completed[lo] += 1
            completed[hi] -= 1
            if status is TaskStatus.CLOSED:
                closed[lo] += 1
                closed[hi] -= 1
    else:
        lo = max(lo, lag_from)
        if lo < hi:
            lagging[lo] += 1
            lagging[hi] -= 1


def month_ends(start: date, today: date) -> list[tuple[date, date]]:
    """(first day, day counted) of each month from ``start`` to ``today``; the last month counts ``today``."""
    months: list[tuple[date, date]] = []
    year, month = start.year, start.month
    while (year, month) <= (today.year, today.month) and len(months) < MAX_MONTHS:
        first = date(year, month, 1)
        end = date(year, month, monthrange(year, month)[1])
        months.append((first, min(end, today)))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def monthly_series(histories: Iterable[TaskHistory], *, start: date | None, today: date) -> list[MonthPoint]:
    """Completed, closed and lagging tasks at the end of each month from ``start`` (the feedback date)
    to ``today``: a task counts as completed in a month when its status at the month's end is 已完成 or
    further, as lagging when it is not and its dated deadline has passed by then. A reopened task
    (回头看 反弹) counts as completed only in the months before it was reopened."""
    histories = list(histories)
    if start is None:  # no feedback date: the chart starts with the first recorded change
        dates = [d for h in histories for d, _ in h.events]
        if not dates:
            return []
        start = min(dates)
    if start > today:
        return []
    spans = month_ends(start, today)
    ends = [end for _, end in spans]
    n = len(ends)
    completed = [0] * (n + 1)
    closed = [0] * (n + 1)
    lagging = [0] * (n + 1)

    def add(diff: list[int], lo: int, hi: int) -> None:
        if lo < hi:
            diff[lo] += 1
            diff[hi] -= 1

    # Thousands of tasks share a few hundred days: find each day's month once.
    first_end_from: dict[date, int] = {}  # day → first month whose counted day is on or after it
    first_end_after: dict[date, int] = {}  # deadline → first month whose counted day is after it
    for history in histories:
        deadline = history.deadline
        if deadline is None:
            lag_from = n
        else:
            lag_from = first_end_after.get(deadline, -1)
            if lag_from < 0:
                lag_from = first_end_after[deadline] = bisect_right(ends, deadline)
        if not history.events:  # most open tasks: never changed status, lagging once past the deadline
            add(lagging, lag_from, n)
            continue
        # Status intervals [since, until): the task holds `status` at every month end inside one.
        since_index = 0
        status = TaskStatus.NOT_STARTED
        for day, next_status in sorted(history.events, key=_day):
            until_index = first_end_from.get(day, -1)
            if until_index < 0:
                until_index = first_end_from[day] = bisect_left(ends, day)
            _count_interval(status, since_index, until_index, lag_from, completed, closed, lagging)
            since_index = max(since_index, until_index)
            status = next_status
        _count_interval(status, since_index, n, lag_from, completed, closed, lagging)
    points = []
    c = cl = lg = 0
    for i, (first, _) in enumerate(spans):
        c += completed[i]
        cl += closed[i]
        lg += lagging[i]
        points.append(MonthPoint(first, c, cl, lg))
    return points


@dataclass(frozen=True, slots=True)
class SentNotice:
    kind: NoticeKind
    issued_on: date
    task_ids: frozenset[int]


def count_notices(
    notices: Iterable[SentNotice], task_ids: Iterable[int], today: date
) -> tuple[dict[NoticeKind, int], dict[NoticeKind, int]]:
    """Letters that list at least one of ``task_ids``, issued in the month of ``today`` and in all
    (up to ``today``)."""
    wanted = set(task_ids)
    month: dict[NoticeKind, int] = dict.fromkeys(NoticeKind, 0)
    total: dict[NoticeKind, int] = dict.fromkeys(NoticeKind, 0)
    for notice in notices:
        if notice.issued_on > today or not (notice.task_ids & wanted):
            continue
        total[notice.kind] += 1
        if (notice.issued_on.year, notice.issued_on.month) == (today.year, today.month):
            month[notice.kind] += 1
    return month, total
