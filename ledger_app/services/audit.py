"""The audit log: every change to the ledger writes who/when/what rows in the same transaction.

A ``after_flush`` hook on the ledger's sessions looks at what the flush wrote and inserts the
audit rows on the same connection, so no code path can change the ledger without a trace,
and a rolled-back change leaves no audit row behind.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from sqlalchemy import insert, inspect, select
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from ledger_app.domain.audit_chain import GENESIS, HASHED_COLUMNS, row_hash
from ledger_app.store import models as m

# Entity name in the log for each audited model.
ENTITY_NAMES: dict[type[m.Base], str] = {
    m.InspectionRound: "round",
    m.Unit: "unit",
    m.Problem: "problem",
    m.ProblemUnit: "problem_unit",
    m.Measure: "measure",
    m.MeasureUnit: "measure_unit",
    m.ProgressEntry: "progress",
    m.Attachment: "attachment",
    m.Acceptance: "acceptance",
    m.PublicNotice: "public_notice",
    m.CloseOut: "close_out",
    m.Review: "review",
    m.NoticeDocument: "notice_document",
    m.Setting: "setting",
}
MODELS_BY_ENTITY = {name: model for model, name in ENTITY_NAMES.items()}


def to_text(value: Any) -> str | None:
    """How a value is written into the log (and read back by undo)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


def snapshot(obj: m.Base) -> dict[str, Any]:
    """All column values of a row, JSON-ready."""
    mapper = inspect(obj).mapper
    return {col.key: to_text(getattr(obj, col.key)) for col in mapper.column_attrs}


def _problem_id(obj: m.Base) -> int | None:
    if isinstance(obj, m.Problem):
        return obj.id
    if isinstance(obj, m.MeasureUnit):
        measure = obj.measure
        return measure.problem_id if measure is not None else None
    return getattr(obj, "problem_id", None)


def _entity_key(obj: m.Base) -> str:
    """The row's whole primary key, so undo finds rows that have no single integer id."""
    mapper = inspect(obj).mapper
    return json.dumps([to_text(getattr(obj, col.key)) for col in mapper.primary_key], ensure_ascii=False)


def _entity_id(obj: m.Base) -> int | None:
    value = getattr(obj, "id", None)
    return value if isinstance(value, int) else None


def _after_flush(session: Session, _flush_context: Any) -> None:
    info = session.info
    if info.get("audit_off"):
        return
    base = {
        "change_id": info.get("change_id", ""),
        "at": info.get("now") or datetime.now(),
        "actor": info.get("actor", ""),
        "reason": info.get("reason", ""),
        "undone": False,
    }
    rows: list[dict[str, Any]] = []

    def add(obj: m.Base, action: str, field: str, old: str | None, new: str | None) -> None:
        rows.append(
            {
                **base,
                "action": action,
                "entity": ENTITY_NAMES[type(obj)],
                "entity_id": _entity_id(obj),
                "entity_key": _entity_key(obj),
                "problem_id": _problem_id(obj),
                "field": field,
                "old_value": old,
                "new_value": new,
            }
        )

    for obj in session.new:
        if type(obj) in ENTITY_NAMES:
            add(obj, "create", "*", None, json.dumps(snapshot(obj), ensure_ascii=False))
    for obj in session.deleted:
        if type(obj) in ENTITY_NAMES:
            add(obj, "delete", "*", json.dumps(snapshot(obj), ensure_ascii=False), None)
    for obj in session.dirty:
        if type(obj) not in ENTITY_NAMES or not session.is_modified(obj, include_collections=False):
            continue
        state = inspect(obj)
        for attr in state.mapper.column_attrs:
            hist = state.attrs[attr.key].history
            if not hist.has_changes():
                continue
            old = hist.deleted[0] if hist.deleted else None
            new = hist.added[0] if hist.added else None
            if to_text(old) != to_text(new):
                add(obj, "update", attr.key, to_text(old), to_text(new))
    if rows:
        append_rows(session.connection(), rows)


def chain_head(conn: Connection) -> tuple[int, str]:
    """(id, row hash) of the newest audit row; (0, GENESIS) for an empty log.

    Read inside the writing transaction: SQLite lets one writer at a time commit, and this one has
    written (or is about to) before it commits, so no other row can land between this read and its
    own insert. (A database with concurrent writers would need a lock on audit_log here.)
    """
    audit = m.AuditEntry
    row = conn.execute(select(audit.id, audit.row_hash).order_by(audit.id.desc()).limit(1)).first()
    if row is None:
        return 0, GENESIS
    # A last row without a hash (written by another tool) still gets a successor: the ledger check
    # reports that row; the chain goes on from a fixed value rather than stopping every later write.
    return row[0], row[1] or GENESIS


def chained(rows: list[dict[str, Any]], head: tuple[int, str]) -> list[dict[str, Any]]:
    """``rows`` (audit_log columns, without id) numbered after ``head`` and linked into the chain."""
    last_id, prev = head
    for offset, row in enumerate(rows, 1):
        row_id = last_id + offset
        digest = row_hash(prev, row_id, *(row[name] for name in HASHED_COLUMNS[1:]))
        row.update(id=row_id, prev_hash=prev, row_hash=digest)
        prev = digest
    return rows


def append_rows(conn: Connection, rows: list[dict[str, Any]]) -> None:
    """Insert audit rows at the end of the chain, on ``conn`` (in its transaction)."""
    conn.execute(insert(m.AuditEntry), chained(rows, chain_head(conn)))


def install(session_factory: Any) -> None:
    """Attach the audit hook to every session the factory makes."""
    from sqlalchemy import event

    event.listen(session_factory, "after_flush", _after_flush)
