"""The bulk side of an import: the tasks already in the rounds, and inserting thousands of new ones.

An office's first import is thousands of tasks, and a re-import compares as many; both go around the
ORM. SQL is still built by SQLAlchemy for the ledger's dialect (portable); rows travel straight
through the DB-API cursor, because at 10,000 tasks SQLAlchemy's parameter and result processing took
longer than SQLite itself. Values are put in the driver's form with the column types' own bind
processors, so what is stored is what the ORM would store.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import Table, insert, select
from sqlalchemy.orm import Session

from ledger_app.domain.model import ProblemKind, Section, TaskStatus, UnitRole
from ledger_app.domain.records import TaskRecord
from ledger_app.store import models as m

from .directory import clean_name
from .fastread import as_date, fetch_all

TaskKey = tuple[Section, str]  # (section, 序号): a task's identity within its round

_ROLE_LISTS = {
    UnitRole.LEAD.value: "lead_units",
    UnitRole.RESPONSIBLE.value: "responsible_units",
    UnitRole.COOPERATING.value: "cooperating_units",
    UnitRole.SUPERVISING.value: "supervising_units",
}
_ROLES = [(role, attr) for role, attr in _ROLE_LISTS.items()]
_KINDS = {k.value: k for k in ProblemKind}
_STATUSES = {s.value: s for s in TaskStatus}
_BATCH = 5000
_VALUE: dict[Any, str] = {member: member.value for enum in (ProblemKind, TaskStatus) for member in enum}


# -- what the rounds hold ------------------------------------------------------------------------
@dataclass(slots=True)
class CurrentTask:
    """What an import compares of a task already in the ledger (see importing.differences)."""

    id: int
    kind: ProblemKind
    seq: str
    description: str
    leader: str
    goal: str
    note: str
    batch: str
    case_no: str
    deadline_text: str
    status: TaskStatus
    lead_units: list[str] = field(default_factory=list)
    responsible_units: list[str] = field(default_factory=list)
    cooperating_units: list[str] = field(default_factory=list)
    supervising_units: list[str] = field(default_factory=list)
    measure_texts: list[str] = field(default_factory=list)
    progress: set[tuple[date, str]] = field(default_factory=set)


def tasks_in_rounds(session: Session, round_ids: Sequence[int]) -> dict[int, dict[TaskKey, CurrentTask]]:
    """The live tasks of the rounds, by round and (section, 序号)."""
    found: dict[int, dict[TaskKey, CurrentTask]] = {rid: {} for rid in round_ids}
    if not round_ids:
        return found
    p = m.Problem
    live = (p.round_id.in_(list(round_ids)), p.deleted_at.is_(None))
    by_id: dict[int, CurrentTask] = {}
    rows = fetch_all(
        session,
        select(
            p.id, p.round_id, p.kind, p.seq, p.description, p.leader, p.goal, p.note, p.batch, p.case_no,
            p.deadline_text, p.status,
        ).where(*live),
    )  # fmt: skip
    for row in rows:
        task = CurrentTask(row[0], _KINDS[row[2]], *row[3:11], _STATUSES[row[11]])
        by_id[task.id] = task
        found[row[1]][(task.kind.section, task.seq)] = task
    if not by_id:
        return found
    links = (
        select(m.ProblemUnit.problem_id, m.ProblemUnit.role, m.Unit.name)
        .join(m.Unit, m.Unit.id == m.ProblemUnit.unit_id)
        .join(p, p.id == m.ProblemUnit.problem_id)
        .where(*live)
        .order_by(m.ProblemUnit.problem_id, m.ProblemUnit.position)
    )
    for pid, role, name in fetch_all(session, links):
        getattr(by_id[pid], _ROLE_LISTS[role]).append(name)
    measures = (
        select(m.Measure.problem_id, m.Measure.text)
        .join(p, p.id == m.Measure.problem_id)
        .where(*live)
        .order_by(m.Measure.problem_id, m.Measure.position, m.Measure.id)
    )
    for pid, text in fetch_all(session, measures):
        by_id[pid].measure_texts.append(text)
    entries = (
        select(m.ProgressEntry.problem_id, m.ProgressEntry.entry_date, m.ProgressEntry.text)
        .join(p, p.id == m.ProgressEntry.problem_id)
        .where(*live)
    )
    for pid, day, text in fetch_all(session, entries):
        by_id[pid].progress.add((as_date(day), text))  # type: ignore[arg-type]
    return found


# -- inserting new tasks -------------------------------------------------------------------------
def bulk_insert(session: Session, table: Table, columns: Sequence[str], rows: list[tuple[Any, ...]]) -> None:
    """INSERT ``rows`` (tuples in ``columns`` order, values in the driver's form) into ``table``."""
    if not rows:
        return
    conn = session.connection()
    compiled = insert(table).compile(dialect=conn.dialect, column_keys=list(columns))
    params: list[Any] = rows
    if compiled.positiontup is None:  # a driver with named parameters (PostgreSQL)
        params = [dict(zip(columns, row, strict=True)) for row in rows]
    elif list(compiled.positiontup) != list(columns):
        order = [list(columns).index(name) for name in compiled.positiontup]
        params = [tuple(row[i] for i in order) for row in rows]
    cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
    try:
        for begin in range(0, len(params), _BATCH):
            cursor.executemany(str(compiled), params[begin : begin + _BATCH])
    finally:
        cursor.close()


class _Binder:
    """A column type's bind processor for this session's dialect (e.g. date → "2024-06-30" for
    SQLite), remembered per value: a ledger repeats the same few dates thousands of times."""

    def __init__(self, session: Session, column: Any) -> None:
        dialect = session.connection().dialect
        self._process: Callable[[Any], Any] | None = column.type.dialect_impl(dialect).bind_processor(dialect)
        self._seen: dict[Any, Any] = {}

    def __call__(self, value: Any) -> Any:
        if value is None or self._process is None:
            return value
        found = self._seen.get(value)
        if found is None:
            found = self._seen[value] = self._process(value)
        return found


def _next_id(session: Session, column: Any) -> int:
    return (session.scalar(select(column).order_by(column.desc()).limit(1)) or 0) + 1


_PROBLEM_COLUMNS = (
    "id", "round_id", "seq", "kind", "description", "leader", "contact", "contact_phone", "deadline_text",
    "deadline_date", "deadline_long_term", "goal", "status", "batch", "case_no", "note", "created_at",
    "deleted_at",
)  # fmt: skip
_MEASURE_COLUMNS = (
    "id",
    "problem_id",
    "position",
    "text",
    "deadline_text",
    "deadline_date",
    "deadline_long_term",
)
_LINK_COLUMNS = ("unit_id", "role", "position")
_ENTRY_COLUMNS = ("problem_id", "measure_id", "entry_date", "text", "percent", "reporter", "created_at")
_AUDIT_COLUMNS = (
    "change_id", "at", "actor", "action", "entity", "entity_id", "entity_key", "problem_id", "field",
    "old_value", "reason", "undone", "new_value",
)  # fmt: skip


def insert_tasks(
    session: Session, records: Sequence[TaskRecord], round_id: int, unit_ids: dict[str, int]
) -> None:
    """Insert new tasks with their unit links, measures (and theirs) and progress, one audit row each
    (the task as created, as the ORM's audit hook would write it)."""
    if not records:
        return
    info = session.info
    now = info["now"]
    problem, measure, entry, audit = (
        m.Problem.__table__,
        m.Measure.__table__,
        m.ProgressEntry.__table__,
        m.AuditEntry.__table__,
    )
    on_day = _Binder(session, problem.c.deadline_date)
    flag = _Binder(session, problem.c.deadline_long_term)
    stamp = _Binder(session, problem.c.created_at)(now)
    entry_day = _Binder(session, entry.c.entry_date)
    undone = _Binder(session, audit.c.undone)(False)
    now_text, round_text = now.isoformat(), str(round_id)
    change, actor, reason = info["change_id"], info["actor"], info["reason"]
    encode = json.JSONEncoder(ensure_ascii=False).encode
    cleaned: dict[str, str] = {}
    lead, cooperating = UnitRole.LEAD.value, UnitRole.COOPERATING.value

    def unit(name: str) -> int | None:
        clean = cleaned.get(name)
        if clean is None:
            clean = cleaned[name] = clean_name(name)
        return unit_ids.get(clean) if clean else None

    pid, mid = _next_id(session, m.Problem.id), _next_id(session, m.Measure.id)
    problems, links, measures, measure_links, entries, audits = [], [], [], [], [], []
    for record in records:
        deadline = record.deadline
        day = deadline.date
        kind, status = _VALUE[record.kind], _VALUE[record.status]  # an enum's .value is a slow property
        row = (
            pid, round_id, record.seq, kind, record.description, record.leader, record.contact,
            record.contact_phone, deadline.text, on_day(day), flag(deadline.long_term), record.goal,
            status, record.batch, record.case_no, record.note, stamp, None,
        )  # fmt: skip
        problems.append(row)
        for role, attr in _ROLES:
            names = getattr(record, attr)
            if names:
                links += _links(pid, role, names, unit)
        for position, item in enumerate(record.measures, 1):
            due = item.deadline
            measures.append((mid, pid, position, item.text, due.text, on_day(due.date), flag(due.long_term)))
            if item.lead_units:
                measure_links += _links(mid, lead, item.lead_units, unit)
            if item.cooperating_units:
                measure_links += _links(mid, cooperating, item.cooperating_units, unit)
            mid += 1
        for progress in record.progress:
            entries.append(
                (
                    pid,
                    None,
                    entry_day(progress.date),
                    progress.text,
                    progress.percent,
                    progress.reporter,
                    stamp,
                )
            )
        created = {
            "round_id": round_text, "seq": record.seq, "kind": kind,
            "description": record.description, "leader": record.leader, "contact": record.contact,
            "contact_phone": record.contact_phone, "deadline_text": deadline.text,
            "deadline_date": day.isoformat() if day else None, "deadline_long_term": "1" if deadline.long_term else "0",
            "goal": record.goal, "status": status, "batch": record.batch, "case_no": record.case_no,
            "note": record.note, "created_at": now_text, "deleted_at": None, "id": str(pid),
        }  # fmt: skip
        audits.append(
            (
                change, stamp, actor, "create", "problem", pid, f'["{pid}"]', pid, "*", None, reason, undone,
                encode(created),
            )
        )  # fmt: skip
        pid += 1
    bulk_insert(session, problem, _PROBLEM_COLUMNS, problems)
    bulk_insert(session, m.ProblemUnit.__table__, ("problem_id", *_LINK_COLUMNS), links)
    bulk_insert(session, measure, _MEASURE_COLUMNS, measures)
    bulk_insert(session, m.MeasureUnit.__table__, ("measure_id", *_LINK_COLUMNS), measure_links)
    bulk_insert(session, entry, _ENTRY_COLUMNS, entries)
    bulk_insert(session, audit, _AUDIT_COLUMNS, audits)


def _links(
    owner: int, role: str, names: Iterable[str], unit: Callable[[str], int | None]
) -> list[tuple[int, int, str, int]]:
    """Link rows of one role, in order, each unit once."""
    rows: list[tuple[int, int, str, int]] = []
    seen: set[int] = set()
    for name in names:
        uid = unit(name)
        if uid is not None and uid not in seen:
            seen.add(uid)
            rows.append((owner, uid, role, len(rows)))
    return rows
