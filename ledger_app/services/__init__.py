"""Use cases of the ledger behind one ``Ledger`` facade, in parts a reader can follow. No Qt here.

    with Ledger.open(path) as ledger:
        task_id = ledger.tasks.create_task(round_id=..., kind=..., description=...)
        ledger.lifecycle.transition(task_id, TaskStatus.IN_PROGRESS)
        rows = ledger.queries.list_tasks(TaskFilter(unit="区水利局"))

The core (services/ledger.py) holds the file, the operator, the lock and the transactions; each part is
a plain class in its own module, holding the ledger, and reaches the other parts through it
(``self.ledger.records.task_records(...)``). Parts are made on first use, so importing this package
loads none of them: the GUI paints its first list before the report and form code is imported.
"""

from __future__ import annotations

from functools import cached_property
from importlib import import_module
from typing import TYPE_CHECKING, Any

from .ledger import LedgerCore, default_actor, default_ledger_path

if TYPE_CHECKING:
    from .archive import Archive
    from .attachments import Attachments
    from .backups import Backups
    from .directory import Directory, RoundInfo, UnitInfo
    from .forms import Forms
    from .history import History, HistoryEntry
    from .importing import ImportResult, Imports
    from .ledger_check import LedgerCheck
    from .ledger_copy import Copies, LedgerCopy
    from .lifecycle import Lifecycle
    from .monthly_round import MonthlyRound
    from .overview import OverviewPart
    from .queries import Queries
    from .records import Records
    from .reports import Reports
    from .settings import LedgerSettings, Settings
    from .task_rows import TaskFilter, TaskRow
    from .tasks import Tasks


class Ledger(LedgerCore):
    """One open ledger file. ``Ledger.open(path, create=True)``; use as a context manager or ``close()``."""

    @cached_property
    def tasks(self) -> Tasks:
        """Tasks, their measures and progress entries: create, edit, delete (tasks.py)."""
        from .tasks import Tasks

        return Tasks(self)

    @cached_property
    def lifecycle(self) -> Lifecycle:
        """A task's steps: transition, acceptance, public notice, close-out, 回头看 (lifecycle.py)."""
        from .lifecycle import Lifecycle

        return Lifecycle(self)

    @cached_property
    def queries(self) -> Queries:
        """The task list with its filters, search texts, statistics, a task found by 序号 (queries.py)."""
        from .queries import Queries

        return Queries(self)

    @cached_property
    def records(self) -> Records:
        """Full records of tasks and rounds, for reports, forms, the dump and the panel (records.py)."""
        from .records import Records

        return Records(self)

    @cached_property
    def directory(self) -> Directory:
        """Inspection rounds and the unit directory (directory.py)."""
        from .directory import Directory

        return Directory(self)

    @cached_property
    def attachments(self) -> Attachments:
        """Evidence files: add, list, hand out, the store's check and repair, the evidence zip (attachments.py)."""
        from .attachments import Attachments

        return Attachments(self)

    @cached_property
    def imports(self) -> Imports:
        """Tasks read from offices' files, written all or nothing (importing.py)."""
        from .importing import Imports

        return Imports(self)

    @cached_property
    def history(self) -> History:
        """A task's audit trail; undo and redo (history.py)."""
        from .history import History

        return History(self)

    @cached_property
    def reports(self) -> Reports:
        """The monthly report (月报) and its workbook (reports.py)."""
        from .reports import Reports

        return Reports(self)

    @cached_property
    def forms(self) -> Forms:
        """Sign-off forms, evaluation reports, 督办单 and 提醒函 as PDF (forms.py)."""
        from .forms import Forms

        return Forms(self)

    @cached_property
    def overview(self) -> OverviewPart:
        """The overview's figures, reminders in one step, the progress report (overview.py)."""
        from .overview import OverviewPart

        return OverviewPart(self)

    @cached_property
    def monthly(self) -> MonthlyRound:
        """The monthly round with the units: send, who has not answered, read and collect (monthly_round.py)."""
        from .monthly_round import MonthlyRound

        return MonthlyRound(self)

    @cached_property
    def settings(self) -> Settings:
        """Business settings kept in the ledger file (settings.py)."""
        from .settings import Settings

        return Settings(self)

    @cached_property
    def backups(self) -> Backups:
        """This ledger's backups (backups.py)."""
        from .backups import Backups

        return Backups(self)

    @cached_property
    def copies(self) -> Copies:
        """另存副本: a separate copy of this ledger with its evidence (ledger_copy.py)."""
        from .ledger_copy import Copies

        return Copies(self)

    @cached_property
    def archive(self) -> Archive:
        """导出归档: this ledger and its evidence in one zip (archive.py)."""
        from .archive import Archive

        return Archive(self)

    @cached_property
    def check(self) -> LedgerCheck:
        """The full check of the file, the audit chain and the data (ledger_check.py)."""
        from .ledger_check import LedgerCheck

        return LedgerCheck(self)


# Names the GUI and the CLI import from here, loaded on first use like the parts.
_EXPORTS = {
    "HistoryEntry": "history",
    "ImportResult": "importing",
    "LedgerCopy": "ledger_copy",
    "LedgerSettings": "settings",
    "RoundInfo": "directory",
    "TaskFilter": "task_rows",  # no SQLAlchemy: the GUI's list uses them before it loads
    "TaskRow": "task_rows",
    "UnitInfo": "directory",
}


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


__all__ = [
    "HistoryEntry",
    "ImportResult",
    "Ledger",
    "LedgerCopy",
    "LedgerSettings",
    "RoundInfo",
    "TaskFilter",
    "TaskRow",
    "UnitInfo",
    "default_actor",
    "default_ledger_path",
]
