"""The GUI's start-up read: the first task list of a ledger, before SQLAlchemy has loaded.

Opening a ledger the ordinary way (``Ledger.open``, then ``list_tasks``) first imports SQLAlchemy,
the models and every service: at 10,000 tasks that was about 40 % of the time from process start to
the painted list. So start-up takes the ledger's lock, checks the file (crash recovery included) and
reads the list with sqlite3 alone (store/database.py, store/list_read.py), paints it, and only then
opens the ``Ledger`` (``FirstRead.open_ledger``), which shares the lock this read took.

Anything unusual takes the ordinary path: ``first_read`` returns None for a file that does not exist
yet or needs an upgrade, and raises what ``Ledger.open`` raises for a file it refuses (held by
another program, read-only, damaged, not a ledger, from a newer release), so the GUI asks the same
questions either way.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from ledger_app.gcpause import gc_paused
from ledger_app.store.database import inspect_ledger_file, is_writable
from ledger_app.store.list_read import read_task_list
from ledger_app.store.lock import LedgerLock

from .ledger_open import acquire_lock, read_only_file
from .settings import LedgerSettings
from .task_rows import TaskRow, attach_units, flag_schedules, rows_from_records

if TYPE_CHECKING:
    from . import Ledger


class RoundName(NamedTuple):
    """A round as the filter bar lists it (``RoundInfo`` has these two fields too)."""

    id: int
    name: str


@dataclass(slots=True)
class FirstRead:
    """The list as ``list_tasks(today=today)`` gives it, with what the filter bar shows; holds the lock."""

    path: Path
    actor: str
    today: date
    rows: list[TaskRow]
    rounds: list[RoundName]
    unit_names: list[str]  # by name, as ``list_units``
    warning_days: int
    _lock: LedgerLock | None = field(default=None, repr=False)

    def open_ledger(self) -> Ledger:
        """The ``Ledger`` on the same file (this is where SQLAlchemy loads); it takes over the lock.

        Raises what ``Ledger.open`` raises, should the file have changed since the read.
        """
        from . import Ledger

        try:
            return Ledger.open(self.path, actor=self.actor)
        finally:
            self.release()

    def release(self) -> None:
        """Give back this read's share of the lock (the Ledger, once open, holds its own)."""
        lock, self._lock = self._lock, None
        if lock is not None:
            lock.release()


def first_read(path: Path | str, *, actor: str, today: date | None = None) -> FirstRead | None:
    """Lock, check and read the ledger at ``path`` for writing, without SQLAlchemy.

    None: take the ordinary path (``Ledger.open``), for a file that does not exist or needs an upgrade.
    """
    target = Path(path)
    if not target.exists():
        return None
    if not is_writable(target):
        raise read_only_file(target)  # as Ledger.open: the GUI offers to open it read-only
    lock = acquire_lock(target, actor, create=False)
    try:
        if not inspect_ledger_file(target).at_head:
            lock.release()
            return None
        # Tens of thousands of small objects and no cycles: the collector's passes only cost (gcpause.py).
        with gc_paused():
            records = read_task_list(target)
            today = today or date.today()
            warning_days = LedgerSettings.from_stored(records.settings).warning_days
            rows = rows_from_records(records.tasks)
            attach_units(rows, records.unit_links, records.units)
            flag_schedules(rows, today, warning_days)
    except BaseException:
        lock.release()
        raise
    return FirstRead(
        path=target,
        actor=actor,
        today=today,
        rows=rows,
        rounds=[RoundName(*r) for r in records.rounds],
        unit_names=list(records.units.values()),
        warning_days=warning_days,
        _lock=lock,
    )
