"""回收站: deleted tasks, newest first; restoring puts them back with everything they had."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtWidgets import (
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from ledger_app.domain.errors import LedgerError
from ledger_app.services import Ledger, TaskRow
from ledger_app.ui.errors import show_error

from .base import FormDialog, compact_rows


class TrashDialog(FormDialog):
    """``restored`` holds the ids of the tasks brought back."""

    def __init__(self, ledger: Ledger, parent: QWidget | None = None) -> None:
        super().__init__("trash_dialog", "回收站", parent)
        self.ledger = ledger
        self.restored: list[int] = []
        self._rows: list[TaskRow] = []
        self.resize(900, 480)
        self.table = self.child(QTableWidget, "trashTable")
        self.count_label = self.child(QLabel, "countLabel")
        self.restore_button = self.child(QPushButton, "restoreButton")
        self.close_buttons()
        compact_rows(self.table)
        header = self.table.horizontalHeader()
        for column in range(4):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.restore_button.clicked.connect(self.restore_selected)
        self.table.itemSelectionChanged.connect(
            lambda: self.restore_button.setEnabled(bool(self.table.selectionModel().selectedRows()))
        )
        self._load()

    def _load(self) -> None:
        when = self.ledger.queries.deleted_times()
        self._rows = sorted(
            self.ledger.queries.list_tasks(deleted=True),
            key=lambda r: when.get(r.id, datetime.min),
            reverse=True,
        )
        self.table.setRowCount(len(self._rows))
        for row, task in enumerate(self._rows):
            deleted = when.get(task.id)
            cells = [
                deleted.strftime("%Y-%m-%d %H:%M") if deleted else "",
                task.round_name,
                task.seq,
                "、".join(task.main_units),
                task.summary,
            ]
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column == 4:
                    item.setToolTip(task.description[:600])
                self.table.setItem(row, column, item)
        self.count_label.setText(f"回收站中有 {len(self._rows)} 项任务" if self._rows else "回收站是空的")
        self.restore_button.setEnabled(False)

    def select_task(self, task_id: int) -> None:
        for row, task in enumerate(self._rows):
            if task.id == task_id:
                self.table.selectRow(row)

    def restore_selected(self) -> None:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        for row in rows:
            task = self._rows[row]
            try:
                self.ledger.tasks.restore_task(task.id)
            except LedgerError as exc:
                show_error(self, exc, f"无法恢复任务 {task.seq}")
                continue
            self.restored.append(task.id)
        self._load()
        if self.restored:
            self.count_label.setText(f"已恢复 {len(self.restored)} 项任务;" + self.count_label.text())
