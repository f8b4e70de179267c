"""The ledger's rows against what its audit log says they hold.

Replaying the log in id order gives, for every row it mentions, the value of each field after the
last logged change (a create's snapshot, then each update; a delete ends it). The row in the file
must hold exactly that. Undo writes ordinary log rows, so it replays like any other change.

What can be compared is what the log recorded; the rest is counted, not judged:
- rows the log has no create record of: the demo ledger (written with the log off, one summary row),
  an import's new units and, of the tasks an import adds in bulk, their unit links, measures (and
  theirs) and progress entries (the task itself is logged with all its fields). Fields of such rows
  that were changed later through the program are compared all the same.
- rows of a task's unit links or a setting changed before schema 0002, whose log rows do not say
  which row they changed.
- ``audit_log.undone`` is not data (undo sets it on the rows it undid); the log is not replayed
  against itself.

The database itself changes rows when their parent goes (ON DELETE CASCADE / SET NULL, e.g. a
measure deleted empties its progress entries' measure link) without a log row of their own; such a
difference is accepted when the parent row the log names is indeed gone.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import DateTime, Table, func, select
from sqlalchemy.orm import Session

from .audit import MODELS_BY_ENTITY
from .fastread import fetch_all

CHANGED, MISSING, BACK = "changed", "missing", "back"
_IN_CHUNK = 500
_FEW_KEYS = 2000  # below this many logged rows a table is read by id, above it whole


@dataclass(slots=True)
class _Logged:
    """One row as the log knows it."""

    exists: bool
    audit_id: int
    problem_id: int | None
    snapshot: str | None = None  # the create row's JSON, parsed only when compared
    snapshot_id: int = 0
    updates: dict[str, tuple[str | None, int]] = field(default_factory=dict)  # field → (value, log row)


class LogReplay:
    """Fed every log row in id order (``apply``): the last logged state of each row."""

    def __init__(self) -> None:
        self.rows: dict[str, dict[str, _Logged]] = {}  # entity → key (the primary key as JSON) → state

    def apply(self, row: tuple[Any, ...]) -> None:
        audit_id, action, entity, entity_id, entity_key, problem_id = (
            row[0], row[4], row[5], row[6], row[7], row[8],
        )  # fmt: skip
        if entity not in MODELS_BY_ENTITY:
            return  # e.g. the demo's one summary row
        if entity_key is None:
            if entity_id is None:
                return  # a keyed row changed before 0002: the log does not say which
            entity_key = json.dumps([str(entity_id)])
        rows = self.rows.setdefault(entity, {})
        if action == "create":
            rows[entity_key] = _Logged(True, audit_id, problem_id, row[11], audit_id)
        elif action == "delete":
            rows[entity_key] = _Logged(False, audit_id, problem_id)
        elif action == "update":
            known = rows.get(entity_key)
            if known is None or not known.exists:
                # Updated, so it existed then (created outside the log, e.g. by the demo or an import).
                known = rows[entity_key] = _Logged(True, audit_id, problem_id)
            known.updates[row[9]] = (_as_text(row[11]), audit_id)
            known.audit_id = audit_id


@dataclass(frozen=True, slots=True)
class StateDifference:
    what: str  # CHANGED, MISSING (logged as there, not in the file) or BACK (logged as deleted, still there)
    entity: str
    key_text: str  # "#12", or the parts of a composite key
    problem_id: int | None
    audit_id: int  # the log row that recorded the value (or the row's last log row)
    field: str = ""
    logged: str | None = None
    actual: str | None = None


def compare_state(session: Session, replay: LogReplay) -> tuple[list[StateDifference], int, int]:
    """(differences, rows compared, rows the log has no record of)."""
    differences: list[StateDifference] = []
    compared = unlogged = 0
    parents = _ParentIds(session)
    for entity, model in MODELS_BY_ENTITY.items():
        table: Table = model.__table__  # type: ignore[assignment]
        logged = replay.rows.get(entity, {})
        total = session.scalar(select(func.count()).select_from(table)) or 0
        if not logged:
            unlogged += total
            continue
        current = _current_rows(session, table, logged)
        present = 0
        for key, state in logged.items():
            row = current.get(key)
            if row is not None:
                present += 1
            if not state.exists:
                if row is not None:
                    differences.append(
                        StateDifference(BACK, entity, _key_text(key), state.problem_id, state.audit_id)
                    )
                continue
            if row is None:
                if not parents.cascaded(table, _values(state)):
                    differences.append(
                        StateDifference(MISSING, entity, _key_text(key), state.problem_id, state.audit_id)
                    )
                continue
            compared += 1
            differences += _field_differences(entity, key, table, state, row, parents)
        unlogged += total - present
    return differences, compared, unlogged


def _values(state: _Logged) -> dict[str, tuple[str | None, int]]:
    """Field → (logged value, log row): the create's snapshot with the later updates over it."""
    values: dict[str, tuple[str | None, int]] = {}
    if state.snapshot is not None:
        try:
            snapshot = json.loads(state.snapshot)
        except ValueError:
            snapshot = None
        if isinstance(snapshot, dict):
            values = {str(k): (_as_text(v), state.snapshot_id) for k, v in snapshot.items()}
    values.update(state.updates)
    return values


def _field_differences(
    entity: str, key: str, table: Table, state: _Logged, row: dict[str, Any], parents: _ParentIds
) -> list[StateDifference]:
    found = []
    for name, (logged, audit_id) in _values(state).items():
        if name not in row:
            continue  # a column dropped by a later schema
        actual = row[name]
        if actual == logged or parents.set_null(table, name, logged, actual):
            continue
        found.append(
            StateDifference(CHANGED, entity, _key_text(key), state.problem_id, audit_id, name, logged, actual)
        )
    return found


def _current_rows(session: Session, table: Table, logged: dict[str, _Logged]) -> dict[str, dict[str, Any]]:
    """The rows of ``table`` the log mentions, by key, every value as the log writes it (audit.to_text)."""
    pk = list(table.primary_key.columns)
    names = [c.name for c in table.columns]
    moments = {i for i, c in enumerate(table.columns) if isinstance(c.type, DateTime)}
    key_at = [names.index(c.name) for c in pk]
    queries = [select(table)]
    if len(pk) == 1 and len(logged) < _FEW_KEYS:
        ids = []
        for key in logged:
            try:
                ids.append(int(json.loads(key)[0]))
            except (ValueError, TypeError, IndexError):
                ids = []
                break
        if ids:
            queries = [
                select(table).where(pk[0].in_(ids[i : i + _IN_CHUNK])) for i in range(0, len(ids), _IN_CHUNK)
            ]
    found: dict[str, dict[str, Any]] = {}
    for query in queries:
        # Raw values, not SQLAlchemy's typed ones: a date typed into the file by another tool may
        # not parse, and the check must report it, not fail on it.
        for raw in fetch_all(session, query):
            texts = [_text(value, i in moments) for i, value in enumerate(raw)]
            key = json.dumps([texts[i] for i in key_at], ensure_ascii=False)
            if key in logged:
                found[key] = dict(zip(names, texts, strict=True))
    return found


def _as_text(value: Any) -> str | None:
    """A logged value as text: the program logs text or null; another tool may have put anything."""
    if value is None or isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


def _text(value: Any, moment: bool) -> str | None:
    """A stored value as audit.to_text writes the model's value (SQLite keeps a datetime as
    "2026-05-25 10:03:00.000000", the log as its isoformat)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, datetime | date):
        return value.isoformat()
    if moment and isinstance(value, str):
        try:
            return datetime.fromisoformat(value).isoformat()
        except ValueError:
            return value
    return str(value)


def _key_text(key: str) -> str:
    try:
        parts = json.loads(key)
    except ValueError:
        return key
    return "#" + "/".join(str(p) for p in parts) if isinstance(parts, list) else key


class _ParentIds:
    """Which parent rows exist, for differences the database's own ON DELETE actions explain."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.ids: dict[str, set[str]] = {}

    def _exists(self, column: Any, value: str | None) -> bool:
        name = f"{column.table.name}.{column.name}"
        if name not in self.ids:
            self.ids[name] = {str(v) for (v,) in fetch_all(self.session, select(column))}
        return value in self.ids[name]

    def cascaded(self, table: Table, values: dict[str, tuple[str | None, int]]) -> bool:
        """The row went with a parent that is gone too (ON DELETE CASCADE)."""
        for fk in table.foreign_keys:
            if fk.ondelete == "CASCADE":
                logged = values.get(fk.parent.name, (None, 0))[0]
                if logged is not None and not self._exists(fk.column, logged):
                    return True
        return False

    def set_null(self, table: Table, name: str, logged: str | None, actual: str | None) -> bool:
        """The column was emptied because the row it named is gone (ON DELETE SET NULL)."""
        if actual is not None or logged is None:
            return False
        column = table.columns[name]
        return any(
            fk.ondelete == "SET NULL" and not self._exists(fk.column, logged) for fk in column.foreign_keys
        )
