"""The red / yellow / green ranking of units (红黄绿榜), decided here once for the page, the CLI and reports.

The rule (``RANKING_RULE`` is the same text, shown on the overview page):

* a unit's tasks are those it answers for: the lead units of a task, or its responsible units when it
  has no lead unit (the same units as the by-unit figures of ``stats``);
* **red** (红): the unit has at least one lagging task (滞后: past its deadline and not completed);
* **yellow** (黄): not red, and any of: a task due soon (临期), a task of unknown deadline (时限不明),
  or fewer completed tasks than the time-proportional schedule expects;
* **green** (绿): all else.

The time-proportional schedule: each round runs from its feedback date (反馈日期) to the latest dated
deadline among its tasks; its elapsed share on a day is (day − feedback date) / (latest deadline −
feedback date), clamped to 0…1. A unit is expected to have completed ⌊Σ share⌋ of its tasks that have
a dated deadline (the sum over those tasks of their round's share, rounded down), and it is behind
when fewer of those tasks are completed. Long-term tasks (长期坚持) and tasks of unknown deadline take
no part in that count; a round without a feedback date expects nothing.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from .model import NoticeKind, ScheduleFlag, TaskStatus, _Labelled

RANKING_RULE = (
    "红:有滞后(逾期未完成)的任务;"
    "黄:无滞后,但有临期或时限不明的任务,或已完成数少于按时间进度应完成数;"
    "绿:其余。"
    "应完成数 = 单位各项有明确时限任务所属批次已过时间比例(自反馈日期至该批次最晚整改时限)之和,向下取整;"
    "长期坚持、时限不明的任务不计入。单位按牵头单位统计,无牵头单位的按责任单位。"
)


class RankColour(_Labelled):
    RED = "red", "红"
    YELLOW = "yellow", "黄"
    GREEN = "green", "绿"


_COLOUR_ORDER = {RankColour.RED: 0, RankColour.YELLOW: 1, RankColour.GREEN: 2}


class RankFacts(Protocol):
    """What the ranking needs to know of one task (``RankItem``, or the overview's ``OverviewItem``)."""

    @property
    def task_id(self) -> int: ...
    @property
    def round_name(self) -> str: ...
    @property
    def status(self) -> TaskStatus: ...
    @property
    def schedule(self) -> ScheduleFlag | None: ...
    @property
    def deadline(self) -> date | None: ...
    @property
    def units(self) -> tuple[str, ...]: ...


@dataclass(frozen=True, slots=True)
class RankItem:
    """The facts of one task for the ranking, on their own (tests, callers without an overview)."""

    task_id: int
    round_name: str
    status: TaskStatus
    schedule: ScheduleFlag | None
    deadline: date | None  # None for long-term and unknown deadlines
    units: tuple[str, ...]


@dataclass(slots=True)
class UnitRank:
    unit: str
    tasks: int = 0
    completed: int = 0
    closed: int = 0
    lagging: int = 0
    due_soon: int = 0
    unknown_deadline: int = 0
    long_term: int = 0
    expected: int = 0  # completed tasks the time-proportional schedule asks for
    completed_dated: int = 0  # completed among the tasks with a dated deadline (compared with expected)
    colour: RankColour = RankColour.GREEN

    @property
    def open(self) -> int:
        return self.tasks - self.completed

    @property
    def open_not_lagging(self) -> int:
        return self.tasks - self.completed - self.lagging

    @property
    def rectification_rate(self) -> float:
        return self.completed / self.tasks if self.tasks else 0.0

    @property
    def behind_schedule(self) -> bool:
        return self.completed_dated < self.expected

    def reason(self) -> str:
        """Why the unit has its colour, in a few words for the page and the CLI."""
        if self.colour is RankColour.RED:
            return f"滞后{self.lagging}项"
        parts = []
        if self.due_soon:
            parts.append(f"临期{self.due_soon}项")
        if self.unknown_deadline:
            parts.append(f"时限不明{self.unknown_deadline}项")
        if self.behind_schedule:
            parts.append(f"应完成{self.expected}项、已完成{self.completed_dated}项")
        return "、".join(parts) if parts else "序时推进"

    def as_dict(self) -> dict[str, object]:
        return {
            "unit": self.unit,
            "colour": self.colour.value,
            "tasks": self.tasks,
            "completed": self.completed,
            "closed": self.closed,
            "lagging": self.lagging,
            "due_soon": self.due_soon,
            "unknown_deadline": self.unknown_deadline,
            "long_term": self.long_term,
            "expected": self.expected,
            "completed_dated": self.completed_dated,
            "reason": self.reason(),
        }


def elapsed_share(feedback: date | None, latest_deadline: date | None, today: date) -> float:
    """How much of a round's time has passed on ``today``: 0 at its feedback date, 1 at its latest deadline."""
    if feedback is None or latest_deadline is None:
        return 0.0
    span = (latest_deadline - feedback).days
    if span <= 0:
        return 1.0 if today >= latest_deadline else 0.0
    return min(1.0, max(0.0, (today - feedback).days / span))


def round_shares(
    items: Iterable[RankFacts], feedback_dates: Mapping[str, date | None], today: date
) -> dict[str, float]:
    """The elapsed share of each round named in ``items`` (its span ends at its latest dated deadline)."""
    latest: dict[str, date] = {}
    names: set[str] = set()
    for item in items:
        names.add(item.round_name)
        if item.deadline is not None:
            known = latest.get(item.round_name)
            if known is None or item.deadline > known:
                latest[item.round_name] = item.deadline
    return {n: elapsed_share(feedback_dates.get(n), latest.get(n), today) for n in names}


def colour_of(rank: UnitRank) -> RankColour:
    if rank.lagging:
        return RankColour.RED
    if rank.due_soon or rank.unknown_deadline or rank.behind_schedule:
        return RankColour.YELLOW
    return RankColour.GREEN


def rank_units(items: Iterable[RankFacts], shares: Mapping[str, float]) -> list[UnitRank]:
    """Every unit with its figures and colour: red first, then yellow, then green; within a colour the
    most lagging, then the most due soon, then the lowest 整改率, then by name."""
    # 10,000 tasks fall into a few hundred (unit, round, status, flag, dated) combinations: count those
    # in C, then tally each combination once (as compute_stats does).
    combos = Counter(
        (unit, i.round_name, i.status, i.schedule, i.deadline is not None) for i in items for unit in i.units
    )
    ranks: dict[str, UnitRank] = {}
    expected: dict[str, float] = {}
    for (unit, round_name, status, flag, dated), n in combos.items():
        rank = ranks.get(unit)
        if rank is None:
            rank = ranks[unit] = UnitRank(unit)
            expected[unit] = 0.0
        rank.tasks += n
        done = status.is_done
        if done:
            rank.completed += n
            if status is TaskStatus.CLOSED:
                rank.closed += n
        if flag is ScheduleFlag.LAGGING:
            rank.lagging += n
        elif flag is ScheduleFlag.DUE_SOON:
            rank.due_soon += n
        elif flag is ScheduleFlag.UNKNOWN_DEADLINE:
            rank.unknown_deadline += n
        elif flag is ScheduleFlag.LONG_TERM:
            rank.long_term += n
        if dated:
            expected[unit] += n * shares.get(round_name, 0.0)
            if done:
                rank.completed_dated += n
    for unit, rank in ranks.items():
        # 1e-9: a sum of shares such as 0.1 + 0.2 + 0.7 must give 1, not 0.9999….
        rank.expected = math.floor(expected[unit] + 1e-9)
        rank.colour = colour_of(rank)
    return sorted(
        ranks.values(),
        key=lambda r: (_COLOUR_ORDER[r.colour], -r.lagging, -r.due_soon, r.rectification_rate, r.unit),
    )


REMINDER_RULE = (
    "有滞后任务的单位发督办单(列其滞后任务);无滞后但有临期任务的单位发提醒函(列其临期任务);每个单位一份。"
)


def reminder_plan(ranking: Iterable[UnitRank]) -> list[tuple[str, NoticeKind]]:
    """Reminders in one step: a 督办单 to every unit with lagging tasks, a 提醒函 to every other unit
    with tasks due soon; one letter per unit, in ranking order. A unit that is yellow only for an
    unknown deadline or for being behind the proportional schedule gets none: the letters list
    tasks by their deadline, and such a unit has none to list."""
    plan = []
    for rank in ranking:
        if rank.lagging:
            plan.append((rank.unit, NoticeKind.SUPERVISION_ORDER))
        elif rank.due_soon:
            plan.append((rank.unit, NoticeKind.REMINDER))
    return plan
