"""The task list's first read with sqlite3 alone, for the GUI's start-up.

Importing SQLAlchemy and the models costs more than reading 10,000 tasks, so the GUI paints its
first list from these few plain statements and loads SQLAlchemy after that paint
(services/first_read.py). They are the SQLite spelling of the default list query
(``services.queries.list_tasks`` without a filter) and of what the filter bar needs; the rest of
the program keeps its portable SQLAlchemy queries. Call only on a ledger that
``database.inspect_ledger_file`` found at the newest schema: the column names are those of
``SCHEMA_HEAD``.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import storage_error
from .sqlite_uri import sqlite_uri

# One record a live task, in the column order services.task_rows.rows_from_records reads.
# The correlated subquery uses the (problem_id, entry_date) index (a grouped join was 5× slower).
TASKS_SQL = """
SELECT p.id, p.round_id, r.name, p.seq, p.kind, p.description, p.leader,
       p.deadline_text, p.deadline_date, p.deadline_long_term, p.status,
       (SELECT max(e.entry_date) FROM progress_entries AS e WHERE e.problem_id = p.id),
       r.position
FROM problems AS p JOIN rounds AS r ON r.id = p.round_id
WHERE p.deleted_at IS NULL
"""
# The (problem_id, role, position) index gives this order without a sort.
UNIT_LINKS_SQL = "SELECT problem_id, role, unit_id FROM problem_units ORDER BY problem_id, role, position"
UNITS_SQL = "SELECT id, name FROM units ORDER BY name"
ROUNDS_SQL = "SELECT id, name FROM rounds ORDER BY position, id"
SETTINGS_SQL = 'SELECT "key", value FROM settings'


@dataclass(slots=True)
class TaskListRecords:
    """The plain rows of one consistent read."""

    tasks: list[tuple[Any, ...]]
    unit_links: list[tuple[int, str, int]]  # (task id, role key, unit id) in each task's order
    units: dict[int, str]  # id → name, by name (the filter bar's order)
    rounds: list[tuple[int, str]]  # (id, name) in round order
    settings: dict[str, str]  # the stored business settings, as text


def read_task_list(path: Path) -> TaskListRecords:
    """Every live task's list record, its units, the rounds and the settings, in one read transaction.

    Storage failures leave as the clerk's words (store/errors.py), as from the engine.
    """
    try:
        # Read-write, though it only reads: a read-only connection fails outright on a hot journal,
        # where this one recovers it as any other connection of the program would.
        conn = sqlite3.connect(sqlite_uri(path, "rw"), uri=True, isolation_level=None)
        try:
            conn.execute("PRAGMA busy_timeout=5000")
            conn.execute("BEGIN")  # one snapshot for all five reads; close() ends it
            return TaskListRecords(
                tasks=conn.execute(TASKS_SQL).fetchall(),
                unit_links=conn.execute(UNIT_LINKS_SQL).fetchall(),
                units=dict(conn.execute(UNITS_SQL).fetchall()),
                rounds=conn.execute(ROUNDS_SQL).fetchall(),
                settings=dict(conn.execute(SETTINGS_SQL).fetchall()),
            )
        finally:
            conn.close()
    except (sqlite3.Error, OSError) as exc:
        known = storage_error(exc, path)
        if known is None:
            raise
        raise known from exc
