"""Use cases of the ledger, one method per thing a clerk does, behind one ``Ledger`` facade. No Qt here."""

from __future__ import annotations

from .archive import ArchiveMixin
from .attachments import AttachmentsMixin
from .backups import BackupsMixin
from .directory import DirectoryMixin, RoundInfo, UnitInfo
from .forms import FormsMixin
from .history import HistoryEntry, HistoryMixin
from .importing import ImportMixin, ImportResult
from .ledger import default_actor, default_ledger_path
from .ledger_check import LedgerCheckMixin
from .ledger_copy import LedgerCopy, LedgerCopyMixin
from .monthly_replies import MonthlyRepliesMixin
from .overview import OverviewMixin
from .queries import TaskFilter, TaskRow
from .reports import ReportsMixin
from .settings import LedgerSettings


class Ledger(
    ReportsMixin,
    FormsMixin,
    ImportMixin,
    DirectoryMixin,
    HistoryMixin,
    AttachmentsMixin,
    LedgerCopyMixin,
    BackupsMixin,
    ArchiveMixin,
    LedgerCheckMixin,
    OverviewMixin,
    MonthlyRepliesMixin,
):
    """One open ledger file. ``Ledger.open(path, create=True)``; use as a context manager or ``close()``."""


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
