"""Bulk reads that skip SQLAlchemy's per-row result processing.

The queries are still built with SQLAlchemy (portable SQL); only the rows are fetched straight from
the DB-API cursor. Listing 10,000 tasks spent more time in result processing (dates, tuples) than
in SQLite itself. Dates arrive as ISO text from SQLite and as ``date`` from other drivers:
``as_date`` takes both.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # as_date serves the start-up read too, before SQLAlchemy has loaded (task_rows.py)
    from sqlalchemy import Select
    from sqlalchemy.orm import Session


def fetch_all(session: Session, query: Select[Any]) -> list[tuple[Any, ...]]:
    """All rows of ``query`` as plain tuples, inside the session's transaction."""
    conn = session.connection()
    compiled = query.compile(dialect=conn.dialect, compile_kwargs={"render_postcompile": True})
    params = compiled.construct_params()
    if compiled.positiontup is not None:
        bound: Any = [params[name] for name in compiled.positiontup]
    else:
        bound = params
    cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.execute(str(compiled), bound)
        return cursor.fetchall()
    finally:
        cursor.close()


def as_date(value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(value[:10])
