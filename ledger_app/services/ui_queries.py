"""Small reads and one batch action the GUI needs beside the facade: no Qt here.

The task list edits one row at a time; reloading all 10,000 rows after every edit would cost half
a second, so these read the list row and the search text of just the tasks that changed.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from sqlalchemy import select

from ledger_app.domain.errors import NotFoundError
from ledger_app.domain.schedule import schedule_flag
from ledger_app.store import models as m

from . import Ledger, TaskFilter, TaskRow

_CHUNK = 900  # SQLite's bound-parameter limit is 999 on older builds


def task_rows(ledger: Ledger, task_ids: Iterable[int], *, today: date | None = None) -> list[TaskRow]:
    """The task-list rows of the given live tasks (missing or deleted ones are left out), in ledger order."""
    today = today or date.today()
    warning_days = ledger.settings().warning_days
    wanted = set(task_ids)
    if not wanted:
        return []
    with ledger._read() as session:
        rows = ledger._load_rows(session, TaskFilter(), False, wanted)
    for row in rows:
        row.schedule = schedule_flag(row.status, row.deadline, today, warning_days)
    return rows


def search_texts_for(ledger: Ledger, task_ids: Iterable[int]) -> dict[int, str]:
    """``Ledger.search_texts()`` for just these live tasks (after an edit of one of them)."""
    return ledger.search_texts(task_ids)


def delete_tasks(ledger: Ledger, task_ids: Iterable[int]) -> int:
    """Move several tasks to the trash in ONE change, so one undo brings them all back."""
    ids = sorted(set(task_ids))
    if not ids:
        return 0
    reason = "删除任务" if len(ids) == 1 else f"删除任务({len(ids)} 项)"
    if len(ids) > 1 and not getattr(ledger, "read_only", False):
        ledger.backup_now("bulk")  # many tasks at once: a backup first, as before an import
    with ledger._change(reason) as session:
        for task_id in ids:
            task = session.get(m.Problem, task_id)
            if task is None or task.deleted_at is not None:
                raise NotFoundError("任务不存在或已被删除。", f"no task {task_id}")
            task.deleted_at = session.info["now"]
    return len(ids)


def deleted_times(ledger: Ledger) -> dict[int, datetime]:
    """When each task in the trash (回收站) was deleted."""
    p = m.Problem
    with ledger._read() as session:
        query = select(p.id, p.deleted_at).where(p.deleted_at.is_not(None))
        return dict(session.execute(query).all())
