"""Reading the ledger: the task list with its filters, text search and statistics."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from ledger_app.domain.deadlines import Deadline
from ledger_app.domain.model import ProblemKind, ScheduleFlag, Section, TaskStatus, UnitRole
from ledger_app.domain.ordering import natural_key
from ledger_app.domain.schedule import schedule_flag
from ledger_app.domain.stats import LedgerStats, StatItem, compute_stats
from ledger_app.gcpause import gc_paused
from ledger_app.store import models as m

from .fastread import as_date, fetch_all
from .search_parts import own_fields_text, task_text
from .settings import SettingsMixin


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


_RESTRICT_LIMIT = 900


def escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


class QueriesMixin(SettingsMixin):
    def list_tasks(
        self, flt: TaskFilter | None = None, *, today: date | None = None, deleted: bool = False
    ) -> list[TaskRow]:
        """Tasks in ledger order (round, section, 序号) with units, schedule flag and latest progress."""
        flt = flt or TaskFilter()
        today = today or date.today()
        warning_days = self.settings().warning_days
        with self._read() as session, gc_paused():
            # Search first: loading only the matching rows is what makes a search fast.
            wanted = self._search_ids(session, flt.text) if flt.text.strip() else None
            if wanted is not None and len(wanted) > _RESTRICT_LIMIT:
                # Many hits: reading every row is cheaper than a long IN list (and stays under
                # SQLite's bound-parameter limit).
                rows = [r for r in self._load_rows(session, flt, deleted) if r.id in wanted]
            else:
                rows = self._load_rows(session, flt, deleted, wanted)
        for row in rows:
            row.schedule = schedule_flag(row.status, row.deadline, today, warning_days)
        if flt.unit:
            rows = [r for r in rows if flt.unit in r.all_units]
        if flt.schedule is not None:
            rows = [r for r in rows if r.schedule is flt.schedule]
        if flt.task_ids is not None:
            rows = [r for r in rows if r.id in flt.task_ids]
        return rows

    def _load_rows(
        self, session: Session, flt: TaskFilter, deleted: bool, ids: set[int] | None = None
    ) -> list[TaskRow]:
        p = m.Problem
        # A correlated subquery uses the (problem_id, entry_date) index; a grouped join was 5× slower.
        latest = (
            select(func.max(m.ProgressEntry.entry_date))
            .where(m.ProgressEntry.problem_id == p.id)
            .correlate(p)
            .scalar_subquery()
        )
        query = (
            select(
                p.id,
                p.round_id,
                m.InspectionRound.name,
                p.seq,
                p.kind,
                p.description,
                p.leader,
                p.deadline_text,
                p.deadline_date,
                p.deadline_long_term,
                p.status,
                latest,
                m.InspectionRound.position,
            )
            .join(m.InspectionRound, m.InspectionRound.id == p.round_id)
            .where(p.deleted_at.is_not(None) if deleted else p.deleted_at.is_(None))
        )
        if ids is not None:
            if not ids:
                return []
            query = query.where(p.id.in_(sorted(ids)))
        if flt.round_id is not None:
            query = query.where(p.round_id == flt.round_id)
        if flt.kind is not None:
            query = query.where(p.kind == ProblemKind(flt.kind).value)
        if flt.status is not None:
            query = query.where(p.status == TaskStatus(flt.status).value)
        kinds = {k.value: k for k in ProblemKind}
        statuses = {s.value: s for s in TaskStatus}
        sections = {s: i for i, s in enumerate(Section)}
        ordered = []
        for r in fetch_all(session, query):
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
        rows = [row for _, row in ordered]
        self._attach_units(session, rows, restrict=ids is not None)
        return rows

    @staticmethod
    def _attach_units(session: Session, rows: list[TaskRow], *, restrict: bool = False) -> None:
        if not rows:
            return
        by_id = {row.id: row.units for row in rows}
        roles = {r.value: r for r in UnitRole}
        names = dict(fetch_all(session, select(m.Unit.id, m.Unit.name)))
        link = m.ProblemUnit
        # Ordered by the (problem_id, role, position) index: no sort in SQLite or here.
        query = select(link.problem_id, link.role, link.unit_id).order_by(
            link.problem_id, link.role, link.position
        )
        if restrict:
            query = query.where(link.problem_id.in_(sorted(by_id)))
        for problem_id, role, unit_id in fetch_all(session, query):
            units = by_id.get(problem_id)
            if units is not None:
                units.setdefault(roles[role], []).append(names[unit_id])

    @staticmethod
    def _search_ids(session: Session, text: str) -> set[int]:
        """Tasks whose own text, measures or progress contain every word of ``text``."""
        result: set[int] | None = None
        for word in text.split():
            pattern = f"%{escape_like(word)}%"
            p = m.Problem

            def like(col: object, pattern: str = pattern) -> object:
                return col.like(pattern, escape="\\")  # type: ignore[attr-defined]

            own = select(p.id).where(
                or_(
                    like(p.description),
                    like(p.goal),
                    like(p.note),
                    like(p.leader),
                    like(p.seq),
                    like(p.deadline_text),
                    like(p.contact),
                    like(p.case_no),
                    like(p.batch),
                )
            )
            units = (
                select(m.ProblemUnit.problem_id)
                .join(m.Unit, m.Unit.id == m.ProblemUnit.unit_id)
                .where(like(m.Unit.name))
            )
            measures = select(m.Measure.problem_id).where(like(m.Measure.text))
            progress = select(m.ProgressEntry.problem_id).where(like(m.ProgressEntry.text))
            found = set(session.scalars(own.union(units, measures, progress)).all())
            result = found if result is None else result & found
            if not result:
                break
        return result or set()

    def search_texts(self, task_ids: Iterable[int] | None = None) -> dict[int, str]:
        """One lower-cased text per live task (its fields, units, measures, progress) for search-as-you-type.

        ``task_ids`` limits it to those tasks (the GUI refreshes one after an edit): same fields, same join.
        """
        p = m.Problem
        # Per task: its own fields already joined, then the texts of its units, measures and progress.
        # The parts stay apart (search_parts.PART_SEP), so the list can tell later which part a word
        # was found in; building 12 lists per task instead cost 0.2 s more at 10,000 tasks.
        own: dict[int, str] = {}
        linked_texts: dict[int, tuple[list[str], list[str], list[str]]] = {}
        ids = None if task_ids is None else sorted(set(task_ids))
        fields = select(  # in search_parts.FIELD_PARTS order
            p.id,
            p.seq,
            p.description,
            p.goal,
            p.note,
            p.leader,
            p.deadline_text,
            p.contact,
            p.case_no,
            p.batch,
        ).where(p.deleted_at.is_(None))
        linked = (
            (
                select(m.ProblemUnit.problem_id, m.Unit.name).join(
                    m.Unit, m.Unit.id == m.ProblemUnit.unit_id
                ),
                m.ProblemUnit.problem_id,
            ),
            (select(m.Measure.problem_id, m.Measure.text), m.Measure.problem_id),
            (select(m.ProgressEntry.problem_id, m.ProgressEntry.text), m.ProgressEntry.problem_id),
        )
        with self._read() as session:
            for start in range(0, len(ids), 900) if ids is not None else [None]:
                chunk = None if start is None else ids[start : start + 900]  # type: ignore[index]
                query = fields if chunk is None else fields.where(p.id.in_(chunk))
                for row in session.execute(query):
                    own[row[0]] = own_fields_text(row[1:])
                    linked_texts[row[0]] = ([], [], [])
                for offset, (linked_query, owner) in enumerate(linked):
                    query = linked_query if chunk is None else linked_query.where(owner.in_(chunk))
                    for pid, text in session.execute(query):
                        chunks = linked_texts.get(pid)
                        if chunks is not None:  # None: a task in the trash
                            chunks[offset].append(text)
        return {pid: task_text(own[pid], *linked) for pid, linked in linked_texts.items()}

    def stats(self, flt: TaskFilter | None = None, *, today: date | None = None) -> LedgerStats:
        return compute_stats(stat_items(self.list_tasks(flt, today=today)))


def stat_items(rows: Iterable[TaskRow]) -> list[StatItem]:
    return [StatItem(r.round_name, r.kind, r.status, r.schedule, tuple(r.main_units)) for r in rows]
