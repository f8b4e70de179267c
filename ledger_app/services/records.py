"""Full records of tasks (domain.records) built from the database, for reports, forms, the dump and the GUI.

Built with plain Core queries, one per table, rather than ORM objects: a monthly report of 10,000
tasks needs ~150,000 rows, and ORM identity-map bookkeeping made that ten times slower.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from ledger_app.domain.deadlines import Deadline
from ledger_app.domain.errors import NotFoundError
from ledger_app.domain.model import ProblemKind, RoundLevel, Section, TaskStatus, UnitRole
from ledger_app.domain.ordering import natural_key
from ledger_app.domain.records import (
    AcceptanceRecord,
    AttachmentRecord,
    CloseOutRecord,
    MeasureRecord,
    ProgressRecord,
    PublicNoticeRecord,
    ReviewRecord,
    RoundRecord,
    TaskRecord,
)
from ledger_app.domain.schedule import schedule_flag
from ledger_app.gcpause import gc_paused
from ledger_app.store import models as m

from .fastread import as_date, fetch_all

if TYPE_CHECKING:
    from . import Ledger

_CHUNK = 900  # SQLite's bound-parameter limit is 999 on older builds


def _chunked(query: Select[Any], column: Any, ids: list[int] | None) -> Iterator[Select[Any]]:
    """The query for all rows, or once per chunk of task ids."""
    if ids is None:
        yield query
        return
    for start in range(0, len(ids), _CHUNK):
        yield query.where(column.in_(ids[start : start + _CHUNK]))


class Records:
    """``ledger.records``: full records of tasks (domain.records) for reports, forms, the dump and the panel."""

    def __init__(self, ledger: Ledger) -> None:
        self.ledger = ledger

    def task_records(
        self, task_ids: Sequence[int] | None = None, *, today: date | None = None
    ) -> list[TaskRecord]:
        """Full records in ledger order (round, section, 序号); all live tasks when ``task_ids`` is None."""
        today = today or date.today()
        warning_days = self.ledger.settings.current().warning_days
        ids = None if task_ids is None else sorted(set(task_ids))
        with self.ledger.reading() as session, gc_paused():
            return self.records_in(session, ids, today=today, warning_days=warning_days)

    def records_in(
        self, session: Session, ids: list[int] | None, *, today: date, warning_days: int
    ) -> list[TaskRecord]:
        """``task_records`` inside a session the caller holds (e.g. an import's transaction)."""
        records, order = self._problems(session, ids, today, warning_days)
        if records:
            self._fill_units(session, records, ids)
            self._fill_measures(session, records, ids)
            self._fill_children(session, records, ids)
        return [records[pid] for pid in sorted(records, key=order.__getitem__)]

    def task_record(self, task_id: int, *, today: date | None = None) -> TaskRecord:
        records = self.task_records([task_id], today=today)
        if not records:
            raise NotFoundError("任务不存在或已被删除。", f"no task {task_id}")
        return records[0]

    @staticmethod
    def _problems(
        session: Session, ids: list[int] | None, today: date, warning_days: int
    ) -> tuple[dict[int, TaskRecord], dict[int, tuple[Any, ...]]]:
        p, r = m.Problem, m.InspectionRound
        query = (
            select(
                p.id,
                p.seq,
                p.kind,
                p.description,
                r.name,
                p.leader,
                p.contact,
                p.contact_phone,
                p.deadline_text,
                p.deadline_date,
                p.deadline_long_term,
                p.goal,
                p.status,
                p.batch,
                p.case_no,
                p.note,
                r.position,
                r.id,
            )
            .join(r, r.id == p.round_id)
            .where(p.deleted_at.is_(None))
        )
        sections = {s: i for i, s in enumerate(Section)}
        kinds = {k.value: k for k in ProblemKind}
        statuses = {s.value: s for s in TaskStatus}
        records: dict[int, TaskRecord] = {}
        order: dict[int, tuple[Any, ...]] = {}
        for chunk in _chunked(query, p.id, ids):
            for row in fetch_all(session, chunk):
                kind, status = kinds[row[2]], statuses[row[12]]
                deadline = Deadline(row[8], as_date(row[9]), bool(row[10]))
                records[row[0]] = TaskRecord(
                    id=row[0],
                    seq=row[1],
                    kind=kind,
                    description=row[3],
                    round_name=row[4],
                    leader=row[5],
                    contact=row[6],
                    contact_phone=row[7],
                    deadline=deadline,
                    goal=row[11],
                    status=status,
                    schedule=schedule_flag(status, deadline, today, warning_days),
                    batch=row[13],
                    case_no=row[14],
                    note=row[15],
                )
                order[row[0]] = (row[16], row[17], sections[kind.section], natural_key(row[1]))
        return records, order

    @staticmethod
    def _fill_units(session: Session, records: dict[int, TaskRecord], ids: list[int] | None) -> None:
        lists = {
            UnitRole.LEAD.value: "lead_units",
            UnitRole.RESPONSIBLE.value: "responsible_units",
            UnitRole.COOPERATING.value: "cooperating_units",
            UnitRole.SUPERVISING.value: "supervising_units",
        }
        query = (
            select(m.ProblemUnit.problem_id, m.ProblemUnit.role, m.Unit.name)
            .join(m.Unit, m.Unit.id == m.ProblemUnit.unit_id)
            .order_by(m.ProblemUnit.problem_id, m.ProblemUnit.position)
        )
        for chunk in _chunked(query, m.ProblemUnit.problem_id, ids):
            for pid, role, name in fetch_all(session, chunk):
                record = records.get(pid)
                if record is not None:
                    getattr(record, lists[role]).append(name)

    @staticmethod
    def _fill_measures(session: Session, records: dict[int, TaskRecord], ids: list[int] | None) -> None:
        ms = m.Measure
        query = select(
            ms.id, ms.problem_id, ms.text, ms.deadline_text, ms.deadline_date, ms.deadline_long_term
        ).order_by(ms.problem_id, ms.position, ms.id)
        by_id: dict[int, MeasureRecord] = {}
        for chunk in _chunked(query, ms.problem_id, ids):
            for mid, pid, text, d_text, d_date, d_long in fetch_all(session, chunk):
                record = records.get(pid)
                if record is not None:
                    measure = MeasureRecord(
                        seq=len(record.measures) + 1,
                        text=text,
                        deadline=Deadline(d_text, as_date(d_date), bool(d_long)),
                        id=mid,
                    )
                    record.measures.append(measure)
                    by_id[mid] = measure
        links = (
            select(m.MeasureUnit.measure_id, m.MeasureUnit.role, m.Unit.name, ms.problem_id)
            .join(m.Unit, m.Unit.id == m.MeasureUnit.unit_id)
            .join(ms, ms.id == m.MeasureUnit.measure_id)
            .order_by(m.MeasureUnit.measure_id, m.MeasureUnit.position)
        )
        for chunk in _chunked(links, ms.problem_id, ids):
            for mid, role, name, _pid in fetch_all(session, chunk):
                measure = by_id.get(mid)
                if measure is None:
                    continue
                if role == UnitRole.COOPERATING.value:
                    measure.cooperating_units.append(name)
                else:
                    measure.lead_units.append(name)

    @staticmethod
    def _fill_children(session: Session, records: dict[int, TaskRecord], ids: list[int] | None) -> None:
        e = m.ProgressEntry
        query = select(e.problem_id, e.entry_date, e.text, e.percent, e.reporter, e.id).order_by(
            e.problem_id, e.entry_date, e.id
        )
        for chunk in _chunked(query, e.problem_id, ids):
            for pid, day, text, percent, reporter, eid in fetch_all(session, chunk):
                if pid in records:
                    records[pid].progress.append(ProgressRecord(as_date(day), text, percent, reporter, eid))
        a = m.Attachment
        query = (
            select(
                a.problem_id,
                a.original_name,
                a.size,
                a.sha256,
                a.description,
                a.added_at,
                a.added_by,
                a.media_type,
                a.id,
            )
            .where(a.deleted_at.is_(None))
            .order_by(a.problem_id, a.id)
        )
        for chunk in _chunked(query, a.problem_id, ids):
            for pid, *rest in session.connection().execute(chunk).all():
                if pid in records:
                    records[pid].attachments.append(AttachmentRecord(*rest))
        relapse: dict[int, Any] = {}
        rv = m.Review
        query = select(
            rv.problem_id, rv.review_date, rv.result, rv.text, rv.reviewer, rv.created_at
        ).order_by(rv.problem_id, rv.review_date, rv.id)
        for chunk in _chunked(query, rv.problem_id, ids):
            for pid, day, result, text, reviewer, created in session.connection().execute(chunk).all():
                if pid in records:
                    records[pid].reviews.append(ReviewRecord(day, result, text, reviewer))
                    if result == "relapse":
                        relapse[pid] = created
        # The acceptance, notice and close-out of the current cycle: the newest, unless a relapse
        # reopened the task after it.
        latest: dict[str, dict[int, tuple[Any, ...]]] = defaultdict(dict)
        for name, model, cols in (
            ("acceptance", m.Acceptance, ("accepted_on", "unit", "conclusion", "opinion")),
            ("notice", m.PublicNotice, ("start", "end", "contact", "phone", "outcome")),
            ("close", m.CloseOut, ("closed_on", "approved_by", "document_no", "note")),
        ):
            query = select(
                model.problem_id,
                model.created_at,
                *(getattr(model, c) for c in cols),  # type: ignore[attr-defined]
            ).order_by(model.id)  # type: ignore[attr-defined]
            for chunk in _chunked(query, model.problem_id, ids):  # type: ignore[attr-defined]
                for pid, created, *values in session.connection().execute(chunk).all():
                    reopened = relapse.get(pid)
                    if pid in records and (reopened is None or created >= reopened):
                        latest[name][pid] = tuple(values)
        for pid, values in latest["acceptance"].items():
            records[pid].acceptance = AcceptanceRecord(*values)
        for pid, values in latest["notice"].items():
            records[pid].public_notice = PublicNoticeRecord(*values)
        for pid, values in latest["close"].items():
            records[pid].close_out = CloseOutRecord(*values)

    def round_records(self, *, today: date | None = None) -> list[RoundRecord]:
        """Every round with its live tasks, in ledger order (the JSON dump's shape)."""
        tasks = self.task_records(today=today)
        by_name: dict[str, RoundRecord] = {
            r.name: RoundRecord(
                name=r.name,
                level=RoundLevel(r.level),
                on_site_start=r.on_site_start,
                on_site_end=r.on_site_end,
                feedback_date=r.feedback_date,
                plan_document_no=r.plan_document_no,
                id=r.id,
            )
            for r in self.ledger.directory.list_rounds()
        }
        for task in tasks:
            by_name[task.round_name].tasks.append(task)
        return list(by_name.values())
