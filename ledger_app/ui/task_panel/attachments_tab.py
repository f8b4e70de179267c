"""佐证材料: the evidence files stored for a task, read-only for now (adding files is a later issue)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHeaderView, QLabel, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget

from ledger_app.domain.records import TaskRecord
from ledger_app.services import Ledger
from ledger_app.ui.forms import load_form

from .widgets import TaskTab, child, fit_rows, hint

COL_NAME, COL_SIZE, COL_ADDED, COL_BY, COL_DESCRIPTION = range(5)


def human_size(size: int) -> str:
    """1536 → "1.5 KB": what a clerk reads in Explorer."""
    value = float(size)
    for unit in ("B", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{int(value)} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    raise AssertionError("unreachable")


class AttachmentsTab(TaskTab):
    def __init__(self, ledger: Ledger, parent: QWidget | None = None) -> None:
        super().__init__(ledger, parent)
        self.form = load_form("task_attachments", self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.form)
        self.count_label = child(self.form, QLabel, "countLabel")
        self.table = child(self.form, QTableWidget, "attachmentsTable")
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(COL_DESCRIPTION, QHeaderView.ResizeMode.Stretch)
        for column, width in ((COL_NAME, 260), (COL_SIZE, 80), (COL_ADDED, 100), (COL_BY, 90)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            self.table.setColumnWidth(column, width)
        fit_rows(self.table)

    def load(self, record: TaskRecord | None) -> None:
        super().load(record)
        attachments = record.attachments if record else []
        self.table.setRowCount(len(attachments))
        for row, item in enumerate(attachments):
            size = QTableWidgetItem(human_size(item.size))
            size.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            size.setToolTip(f"{item.size:,} 字节")
            name = QTableWidgetItem(item.name)
            name.setToolTip(f"{item.name}\nSHA-256:{item.sha256}")
            added = QTableWidgetItem(item.added_at.strftime("%Y-%m-%d") if item.added_at else "")
            cells = (name, size, added, QTableWidgetItem(item.added_by), QTableWidgetItem(item.description))
            for column, cell in enumerate(cells):
                self.table.setItem(row, column, cell)
        self.table.resizeRowsToContents()
        if attachments:
            total = human_size(sum(a.size for a in attachments))
            hint(self.count_label, f"共 {len(attachments)} 个文件,合计 {total}。")
        else:
            hint(self.count_label, "暂无佐证材料。")
