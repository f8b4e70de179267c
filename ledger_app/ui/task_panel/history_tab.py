"""操作记录: the audit history of a task, newest first: when, who, what changed, and why."""

from __future__ import annotations

import json

from PySide6.QtGui import QBrush, QColor, QShowEvent
from PySide6.QtWidgets import QHeaderView, QLabel, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget

from ledger_app.domain.model import UnitRole
from ledger_app.domain.records import TaskRecord
from ledger_app.services import HistoryEntry, Ledger
from ledger_app.ui.forms import form_child as child
from ledger_app.ui.forms import load_form

from .widgets import HINT_COLOUR, TaskTab, hint

COL_AT, COL_ACTOR, COL_WHAT, COL_REASON = range(4)
_LINKS = {"problem_unit": "", "measure_unit": "措施的"}


def describe(entry: HistoryEntry, unit_names: dict[int, str]) -> str:
    """entry.describe(), except that unit links name the unit and its role instead of ids."""
    if entry.entity in _LINKS and entry.action in ("create", "delete"):
        try:
            data = json.loads((entry.new_value if entry.action == "create" else entry.old_value) or "{}")
            role = UnitRole(data["role"]).label
            name = unit_names.get(int(data["unit_id"]), "(已删除的单位)")
        except (ValueError, KeyError, TypeError):
            return entry.describe()
        verb = "新增" if entry.action == "create" else "移除"
        return f"{_LINKS[entry.entity]}{role}{verb}「{name}」"
    return entry.describe()


class HistoryTab(TaskTab):
    def __init__(self, ledger: Ledger, parent: QWidget | None = None) -> None:
        super().__init__(ledger, parent)
        self.form = load_form("task_history", self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.form)
        self.count_label = child(self.form, QLabel, "countLabel")
        self.table = child(self.form, QTableWidget, "historyTable")
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(COL_WHAT, QHeaderView.ResizeMode.Stretch)
        for column, width in ((COL_AT, 140), (COL_ACTOR, 90), (COL_REASON, 190)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            self.table.setColumnWidth(column, width)
        self._stale = True

    def load(self, record: TaskRecord | None) -> None:
        super().load(record)
        # Reading the audit log costs a query: done when the tab is looked at, not on every edit.
        self._stale = True
        if self.isVisible():
            self._fill()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt override)
        super().showEvent(event)
        if self._stale:
            self._fill()

    def _fill(self) -> None:
        self._stale = False
        entries = (
            self.ledger.history.for_task(self.record.id) if self.record and self.record.id is not None else []
        )
        unit_names = self.ledger.directory.unit_names_by_id() if entries else {}
        grey = QBrush(QColor(HINT_COLOUR))
        self.table.setRowCount(len(entries))
        for row, entry in enumerate(entries):
            reason = entry.reason + ("(已撤销)" if entry.undone else "")
            what = describe(entry, unit_names)
            cells = [
                QTableWidgetItem(entry.at.strftime("%Y-%m-%d %H:%M")),
                QTableWidgetItem(entry.actor),
                QTableWidgetItem(what),
                QTableWidgetItem(reason),
            ]
            cells[COL_WHAT].setToolTip(what)
            cells[COL_REASON].setToolTip(reason)
            for column, cell in enumerate(cells):
                if entry.undone:
                    cell.setForeground(grey)
                self.table.setItem(row, column, cell)
        if entries:
            changes = len({e.change_id for e in entries})
            hint(self.count_label, f"共 {changes} 次操作、{len(entries)} 项变更,最新的在最上面。")
        else:
            hint(self.count_label, "暂无操作记录。")
