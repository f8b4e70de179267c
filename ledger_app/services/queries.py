"""The ``queries`` part: reading the ledger's task list with its filters, text search and statistics."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from ledger_app.domain.errors import NotFoundError, ValidationError
from ledger_app.domain.model import ProblemKind, Section, TaskStatus
from ledger_app.domain.stats import LedgerStats, StatItem, compute_stats
from ledger_app.gcpause import gc_paused
from ledger_app.store import models as m

from .fastread import fetch_all
from .search_parts import own_fields_text, task_text
from .task_rows import TaskFilter, TaskRow, attach_units, flag_schedules, rows_from_records

if TYPE_CHECKING:
    from . import Ledger


_RESTRICT_LIMIT = 900


def escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


class Queries:
    """``ledger.queries``: the task list, its search and statistics; nothing here writes."""

    def __init__(self, ledger: Ledger) -> None:
        self.ledger = ledger

    def list_tasks(
        self, flt: TaskFilter | None = None, *, today: date | None = None, deleted: bool = False
    ) -> list[TaskRow]:
        """Tasks in ledger order (round, section, 序号) with units, schedule flag and latest progress."""
        flt = flt or TaskFilter()
        today = today or date.today()
        warning_days = self.ledger.settings.current().warning_days
        with self.ledger.reading() as session, gc_paused():
            # Search first: loading only the matching rows is what makes a search fast.
            wanted = self._search_ids(session, flt.text) if flt.text.strip() else None
            if wanted is not None and len(wanted) > _RESTRICT_LIMIT:
                # Many hits: reading every row is cheaper than a long IN list (and stays under
                # SQLite's bound-parameter limit).
                rows = [r for r in self._load_rows(session, flt, deleted) if r.id in wanted]
            else:
                rows = self._load_rows(session, flt, deleted, wanted)
        flag_schedules(rows, today, warning_days)
        if flt.unit:
            rows = [r for r in rows if flt.unit in r.all_units]
        if flt.schedule is not None:
            rows = [r for r in rows if r.schedule is flt.schedule]
        if flt.task_ids is not None:
            rows = [r for r in rows if r.id in flt.task_ids]
        return rows

    def task_rows(self, task_ids: Iterable[int], *, today: date | None = None) -> list[TaskRow]:
        """The list rows of just these live tasks (missing or deleted ones are left out), in ledger order.

        The GUI's list edits one row at a time: reloading all 10,000 rows after every edit would
        cost half a second."""
        today = today or date.today()
        warning_days = self.ledger.settings.current().warning_days
        wanted = set(task_ids)
        if not wanted:
            return []
        with self.ledger.reading() as session:
            rows = self._load_rows(session, TaskFilter(), False, wanted)
        flag_schedules(rows, today, warning_days)
        return rows

    def deleted_times(self) -> dict[int, datetime]:
        """When each task in the trash (回收站) was deleted."""
        p = m.Problem
        with self.ledger.reading() as session:
            query = select(p.id, p.deleted_at).where(p.deleted_at.is_not(None))
            return dict(session.execute(query).all())

    def resolve_task(self, seq: str, *, round_name: str | None = None, section: Section | None = None) -> int:
        """The id of the task with 序号 ``seq``; says which round/section to name when it is ambiguous."""
        flt = TaskFilter(round_id=self.ledger.directory.round_by_name(round_name).id if round_name else None)
        seq = seq.strip()
        found = [
            row
            for row in self.list_tasks(flt)
            if row.seq == seq and (section is None or row.kind.section is section)
        ]
        if not found:
            where = f"督察批次「{round_name}」中" if round_name else "台账中"
            raise NotFoundError(f"{where}没有序号为 {seq} 的任务。", f"no task with seq {seq}")
        if len(found) > 1 and section is None:
            # 序号 alone names a feedback problem in the offices' usage; petitions are "信访件 N".
            feedback = [row for row in found if row.kind.section is Section.FEEDBACK]
            found = feedback if len(feedback) == 1 else found
        if len(found) > 1:
            options = ";".join(f"{r.round_name} {r.kind.section.label} {r.seq}" for r in found)
            raise ValidationError(
                f"序号 {seq} 对应多项任务({options}),请用 --round 和 --section 指明。",
                f"seq {seq} is ambiguous; give --round/--section",
            )
        return found[0].id

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
        # The columns of a task record (task_rows.py), as the start-up read has them too (store/list_read.py).
        rows = rows_from_records(fetch_all(session, query))
        self._attach_units(session, rows, restrict=ids is not None)
        return rows

    @staticmethod
    def _attach_units(session: Session, rows: list[TaskRow], *, restrict: bool = False) -> None:
        if not rows:
            return
        names = dict(fetch_all(session, select(m.Unit.id, m.Unit.name)))
        link = m.ProblemUnit
        # Ordered by the (problem_id, role, position) index: no sort in SQLite or here.
        query = select(link.problem_id, link.role, link.unit_id).order_by(
            link.problem_id, link.role, link.position
        )
        if restrict:
            query = query.where(link.problem_id.in_(sorted(row.id for row in rows)))
        attach_units(rows, fetch_all(session, query), names)

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
        with self.ledger.reading() as session:
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
