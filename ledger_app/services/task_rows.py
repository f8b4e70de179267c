"""The task list's rows, and how they are made from plain records. No SQLAlchemy here.

The same records come from two reads: ``list_tasks`` (queries.py, SQLAlchemy Core, any filter) and
the GUI's start-up read (first_read.py, plain sqlite3 before SQLAlchemy has loaded). Building the
rows in one place keeps the two lists equal (tests/test_services_first_read.py).

A task record is, in this order: id, round id, round name, 序号, kind key, description, leader,
deadline text, deadline date, deadline long-term, status key, latest progress date, round position.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ledger_app.domain.deadlines import Deadline
from ledger_app.domain.model import ProblemKind, ScheduleFlag, Section, TaskStatus, UnitRole
from ledger_app.domain.ordering import natural_key
from ledger_app.domain.schedule import schedule_flag

from .fastread import as_date


@dataclass(slots=True)
class TaskRow:
    """One line of the task list: what the list, its filters and the statistics need."""

    id: int
    round_id: int
    round_name: str
    seq: str
    kind: ProblemKind
    description: str
    leader: str
    deadline: Deadline
    status: TaskStatus
    schedule: ScheduleFlag | None
    latest_progress: date | None
    units: dict[UnitRole, list[str]] = field(default_factory=dict)

    @property
    def main_units(self) -> list[str]:
        return self.units.get(UnitRole.LEAD) or self.units.get(UnitRole.RESPONSIBLE) or []

    @property
    def all_units(self) -> list[str]:
        seen: dict[str, None] = {}
        for role in (UnitRole.LEAD, UnitRole.RESPONSIBLE, UnitRole.COOPERATING):
            for name in self.units.get(role, []):
                seen.setdefault(name, None)
        return list(seen)

    @property
    def summary(self) -> str:
        """问题摘要: the first line of the description, cut to a readable length."""
        first = self.description.strip().splitlines()[0] if self.description.strip() else ""
        return first if len(first) <= 60 else first[:59] + "…"


@dataclass(slots=True)
class TaskFilter:
    """Filters combine with AND; None or empty means "any"."""

    round_id: int | None = None
    unit: str | None = None  # any role except 督导
    kind: ProblemKind | None = None
    status: TaskStatus | None = None
    schedule: ScheduleFlag | None = None
    text: str = ""
    include_done_in_schedule: bool = False
    # Exactly these tasks (a click on a figure of the overview); None: no such limit.
    task_ids: frozenset[int] | None = None


def rows_from_records(records: Iterable[Sequence[Any]]) -> list[TaskRow]:
    """Rows in ledger order (round, section, 序号), without units and schedule flags yet."""
    kinds = {k.value: k for k in ProblemKind}
    statuses = {s.value: s for s in TaskStatus}
    sections = {s: i for i, s in enumerate(Section)}
    ordered = []
    for r in records:
        kind = kinds[r[4]]
        row = TaskRow(
            id=r[0],
            round_id=r[1],
            round_name=r[2],
            seq=r[3],
            kind=kind,
            description=r[5],
            leader=r[6],
            deadline=Deadline(r[7], as_date(r[8]), bool(r[9])),
            status=statuses[r[10]],
            schedule=None,
            latest_progress=as_date(r[11]),
        )
        ordered.append(((r[12], r[1], sections[kind.section], natural_key(r[3])), row))
    ordered.sort(key=lambda pair: pair[0])
    return [row for _, row in ordered]


def attach_units(rows: Iterable[TaskRow], links: Iterable[Sequence[Any]], unit_names: dict[int, str]) -> None:
    """Each row's units by role, from (task id, role key, unit id) links in each task's order."""
    by_id = {row.id: row.units for row in rows}
    roles = {r.value: r for r in UnitRole}
    for problem_id, role, unit_id in links:
        units = by_id.get(problem_id)
        if units is not None:  # a task in the trash, or one the read left out
            units.setdefault(roles[role], []).append(unit_names[unit_id])


def flag_schedules(rows: Iterable[TaskRow], today: date, warning_days: int) -> None:
    """序时推进 / 临期 / 滞后 as of ``today``: computed, never stored."""
    for row in rows:
        row.schedule = schedule_flag(row.status, row.deadline, today, warning_days)
