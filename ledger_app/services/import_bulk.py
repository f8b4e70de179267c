"""The bulk side of an import: the tasks already in the rounds, and inserting thousands of new ones.

An office's first import is thousands of tasks, and a re-import compares as many; both go around the
ORM. SQL is still built by SQLAlchemy for the ledger's dialect (portable); rows travel straight
through the DB-API cursor, because at 10,000 tasks SQLAlchemy's parameter and result processing took
longer than SQLite itself. Values are put in the driver's form with the column types' own bind
processors, so what is stored is what the ORM would store.
"""

from __future__ import annotations

import json
import queue
import sqlite3
import sys
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import Table, insert, select
from sqlalchemy.orm import Session

from ledger_app.domain.audit_chain import row_hash
from ledger_app.domain.model import ProblemKind, Section, TaskStatus, UnitRole
from ledger_app.domain.records import TaskRecord
from ledger_app.store import models as m

from .audit import chain_head
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
_CHUNK = 1000  # tasks built per hand-over to the writer thread
_QUEUED_JOBS = 64  # statements waiting for the writer (a chunk of tasks makes ~40)
_ROWS_PER_STATEMENT = 1000  # 500–1,000 rows a statement insert fastest (50: +20 %, 8,000: +20 %)
_SWITCH_INTERVAL = 0.0005  # seconds; see _Inserter
_LEAD, _COOPERATING = UnitRole.LEAD.value, UnitRole.COOPERATING.value
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
    contact: str
    contact_phone: str
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
            p.contact, p.contact_phone, p.deadline_text, p.status,
        ).where(*live),
    )  # fmt: skip
    for row in rows:
        task = CurrentTask(row[0], _KINDS[row[2]], *row[3:13], _STATUSES[row[13]])
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
class _Inserter:
    """INSERTs of rows already in the driver's form, run on a second thread while the caller builds
    the next rows.

    Rows go many to a statement ("VALUES (…), (…), …"): SQLite then works through each statement with
    the GIL released, so building and writing overlap, and it inserts faster than row by row
    (executemany: 0.97 s for a 10,000-task import's 120,000 rows, these statements: 0.68 s). Statements
    run in the order given, on the session's own connection (inside its transaction); the caller
    touches that connection only after ``finish``. The first failure stops the writing and is raised
    by ``finish``, in the caller's thread, so the transaction is rolled back as usual.

    While it writes, Python switches threads every 0.5 ms instead of 5 ms: after each statement the
    writer waits for the GIL, and at 5 ms those waits ate most of the overlap (10,000 tasks: 1.25 s
    with 5 ms, 1.07 s with 0.5 ms, 1.26 s with no thread at all).
    """

    def __init__(self, session: Session) -> None:
        conn = session.connection()
        self._dialect = conn.dialect
        self._dbapi: Any = conn.connection.driver_connection
        self._max_params = _max_params(self._dbapi)
        self._compiled: dict[tuple[str, tuple[str, ...]], Any] = {}
        self._jobs: queue.Queue[tuple[str, list[Any], bool] | None] = queue.Queue(maxsize=_QUEUED_JOBS)
        self._error: BaseException | None = None
        self._switch_interval = sys.getswitchinterval()
        sys.setswitchinterval(_SWITCH_INTERVAL)
        self._thread = threading.Thread(target=self._write, name="import-writer", daemon=True)
        self._thread.start()

    def insert(self, table: Table, columns: Sequence[str], values: list[Any]) -> None:
        """Queue INSERTs into ``table`` of rows given one after another in ``values`` (flat: the
        first row's values in ``columns`` order, then the second's, …)."""
        if not values:
            return
        width = len(columns)
        key = (table.name, tuple(columns))
        compiled = self._compiled.get(key)
        if compiled is None:
            compiled = self._compiled[key] = insert(table).compile(
                dialect=self._dialect, column_keys=list(columns)
            )
        sql = str(compiled)
        at = sql.rfind(" VALUES (")
        if compiled.positiontup != list(columns) or self._dialect.paramstyle != "qmark" or at < 0:
            # Another driver (named parameters, another order): row by row, as it takes them.
            rows = [values[i : i + width] for i in range(0, len(values), width)]
            if compiled.positiontup is None:
                self._jobs.put((sql, [dict(zip(columns, row, strict=True)) for row in rows], True))
            else:
                order = [list(columns).index(name) for name in compiled.positiontup]
                self._jobs.put((sql, [tuple(row[i] for i in order) for row in rows], True))
            return
        head, group = sql[: at + 8], sql[at + 8 :]
        per_statement = max(1, min(_ROWS_PER_STATEMENT, self._max_params // width))
        step = per_statement * width
        for begin in range(0, len(values), step):
            part = values[begin : begin + step]
            self._jobs.put((head + ", ".join([group] * (len(part) // width)), part, False))

    def _write(self) -> None:
        cursor = self._dbapi.cursor()
        try:
            while (job := self._jobs.get()) is not None:
                if self._error is None:
                    sql, params, many = job
                    try:
                        if many:
                            cursor.executemany(sql, params)
                        else:
                            cursor.execute(sql, params)
                    except BaseException as exc:  # handed to the caller's thread by finish()
                        self._error = exc
        finally:
            cursor.close()

    def finish(self) -> None:
        self._jobs.put(None)
        self._thread.join()
        sys.setswitchinterval(self._switch_interval)
        if self._error is not None:
            raise self._error

    def __enter__(self) -> _Inserter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.finish()


def _max_params(dbapi: Any) -> int:
    """How many parameters one statement may have (SQLite before 3.32 allowed 999)."""
    try:
        return int(dbapi.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER))
    except (AttributeError, TypeError, ValueError):
        return 999


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
    "id", "change_id", "at", "actor", "action", "entity", "entity_id", "entity_key", "problem_id", "field",
    "old_value", "reason", "undone", "new_value", "prev_hash", "row_hash",
)  # fmt: skip


_TABLES = (
    (m.Problem.__table__, _PROBLEM_COLUMNS),
    (m.ProblemUnit.__table__, ("problem_id", *_LINK_COLUMNS)),
    (m.Measure.__table__, _MEASURE_COLUMNS),
    (m.MeasureUnit.__table__, ("measure_id", *_LINK_COLUMNS)),
    (m.ProgressEntry.__table__, _ENTRY_COLUMNS),
    (m.AuditEntry.__table__, _AUDIT_COLUMNS),
)


def insert_tasks(
    session: Session, records: Sequence[TaskRecord], round_id: int, unit_ids: dict[str, int]
) -> None:
    """Insert new tasks with their unit links, measures (and theirs) and progress, one audit row each
    (the task as created, as the ORM's audit hook would write it)."""
    if not records:
        return
    rows = _TaskRows(session, round_id, unit_ids)
    with _Inserter(session) as writer:
        for begin in range(0, len(records), _CHUNK):
            for record in records[begin : begin + _CHUNK]:
                rows.add(record)
            for (table, columns), values in zip(_TABLES, rows.take(), strict=True):
                writer.insert(table, columns, values)


class _TaskRows:
    """The rows of new tasks, table by table (see _TABLES), in the driver's form."""

    def __init__(self, session: Session, round_id: int, unit_ids: dict[str, int]) -> None:
        info = session.info
        now = info["now"]
        problem, entry, audit = m.Problem.__table__, m.ProgressEntry.__table__, m.AuditEntry.__table__
        self._on_day = _Binder(session, problem.c.deadline_date)
        self._flag = _Binder(session, problem.c.deadline_long_term)
        self._stamp = _Binder(session, problem.c.created_at)(now)
        self._entry_day = _Binder(session, entry.c.entry_date)
        self._undone = _Binder(session, audit.c.undone)(False)
        self._now_text, self._round_id = now.isoformat(), round_id
        self._change, self._actor, self._reason = info["change_id"], info["actor"], info["reason"]
        self._unit_ids = unit_ids
        self._cleaned: dict[str, str] = {}
        self._pid, self._mid = _next_id(session, m.Problem.id), _next_id(session, m.Measure.id)
        # The audit rows continue the hash chain. Nothing flushes between here and the last insert
        # (the writer thread owns the connection until then), so the head read now stays the head.
        session.flush()
        self._audit_id, self._prev_hash = chain_head(session.connection())
        self._now = now
        self._tables: tuple[list[Any], ...] = ([], [], [], [], [], [])

    def take(self) -> tuple[list[Any], ...]:
        """The rows added since the last take, each table's flat (see _Inserter.insert)."""
        taken, self._tables = self._tables, ([], [], [], [], [], [])
        return taken

    def _unit(self, name: str) -> int | None:
        clean = self._cleaned.get(name)
        if clean is None:
            clean = self._cleaned[name] = clean_name(name)
        return self._unit_ids.get(clean) if clean else None

    def add(self, record: TaskRecord) -> None:
        problems, links, measures, measure_links, entries, audits = self._tables
        on_day, flag, stamp, unit = self._on_day, self._flag, self._stamp, self._unit
        pid, mid = self._pid, self._mid
        deadline = record.deadline
        day = deadline.date
        kind, status = _VALUE[record.kind], _VALUE[record.status]  # an enum's .value is a slow property
        problems.extend(
            (
                pid, self._round_id, record.seq, kind, record.description, record.leader, record.contact,
                record.contact_phone, deadline.text, on_day(day), flag(deadline.long_term), record.goal,
                status, record.batch, record.case_no, record.note, stamp, None,
            )
        )  # fmt: skip
        for role, attr in _ROLES:
            names = getattr(record, attr)
            if names:
                _links(links, pid, role, names, unit)
        for position, item in enumerate(record.measures, 1):
            due = item.deadline
            measures.extend((mid, pid, position, item.text, due.text, on_day(due.date), flag(due.long_term)))
            if item.lead_units:
                _links(measure_links, mid, _LEAD, item.lead_units, unit)
            if item.cooperating_units:
                _links(measure_links, mid, _COOPERATING, item.cooperating_units, unit)
            mid += 1
        for progress in record.progress:
            entries.extend(
                (pid, None, self._entry_day(progress.date), progress.text, progress.percent, progress.reporter, stamp)
            )  # fmt: skip
        created = _CREATED_JSON % tuple(
            map(
                _json_text,
                (
                    str(pid), str(self._round_id), record.seq, kind, record.description, record.leader, record.contact,
                    record.contact_phone, deadline.text, day.isoformat() if day else None,
                    "1" if deadline.long_term else "0", record.goal, status, record.batch, record.case_no,
                    record.note, self._now_text, None,
                ),
            )
        )  # fmt: skip
        aid, prev, key = self._audit_id + 1, self._prev_hash, f'["{pid}"]'
        digest = row_hash(
            prev, aid, self._change, self._now, self._actor, "create", "problem", pid, key, pid, "*", None,
            created, self._reason,
        )  # fmt: skip
        audits.extend(
            (
                aid, self._change, stamp, self._actor, "create", "problem", pid, key, pid, "*", None,
                self._reason, self._undone, created, prev, digest,
            )
        )  # fmt: skip
        self._pid, self._mid = pid + 1, mid
        self._audit_id, self._prev_hash = aid, digest


# The audit row of a created task: the JSON the audit hook writes (json.dumps of the task's column
# values, ensure_ascii=False), put together from a template: 10,000 dict builds and dumps cost 0.15 s.
_CREATED_KEYS = (
    "id", "round_id", "seq", "kind", "description", "leader", "contact", "contact_phone", "deadline_text",
    "deadline_date", "deadline_long_term", "goal", "status", "batch", "case_no", "note", "created_at",
    "deleted_at",
)  # fmt: skip
_CREATED_JSON = "{" + ", ".join(f"{json.dumps(key)}: %s" for key in _CREATED_KEYS) + "}"
_encode_text = json.encoder.encode_basestring  # type: ignore[attr-defined]


def _json_text(value: str | None) -> str:
    return "null" if value is None else _encode_text(value)


def _links(
    flat: list[Any], owner: int, role: str, names: Iterable[str], unit: Callable[[str], int | None]
) -> None:
    """Add the link rows of one role to ``flat``: in order, each unit once."""
    seen: list[int] = []
    for name in names:
        uid = unit(name)
        if uid is not None and uid not in seen:
            flat += (owner, uid, role, len(seen))
            seen.append(uid)
