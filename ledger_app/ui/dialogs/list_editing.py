"""The list half of the directory dialogs (督察批次管理, 单位名录): a table of ledger entries keyed by id,
a 关闭 button, and ledger actions whose refusal is shown to the clerk and whose success marks a change."""

from __future__ import annotations

from collections.abc import Callable, Collection

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHeaderView, QTableWidget, QWidget

from ledger_app.domain.errors import LedgerError
from ledger_app.services import Ledger
from ledger_app.ui.errors import show_error

from .base import FormDialog, compact_rows

COL_NAME = 0  # the name takes the room; its cell carries the entry's id (UserRole)


class ListEditingDialog(FormDialog):
    """The form holds the table ``table_name`` and a ``buttonBox`` with Close.

    ``changed`` tells the window to reload what it shows from this list.
    """

    def __init__(
        self, ledger: Ledger, form_name: str, title: str, table_name: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(form_name, title, parent)
        self.ledger = ledger
        self.changed = False
        self.table = self.child(QTableWidget, table_name)
        self.close_buttons()
        compact_rows(self.table)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(COL_NAME, QHeaderView.ResizeMode.Stretch)
        for column in range(COL_NAME + 1, self.table.columnCount()):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)

    def run(self, action: Callable[[], object], refused_title: str) -> bool:
        """One ledger action; a refusal is shown under ``refused_title`` and returns False."""
        try:
            action()
        except LedgerError as exc:
            show_error(self, exc, refused_title)
            return False
        self.changed = True
        return True

    def row_id(self, row: int) -> int:
        return self.table.item(row, COL_NAME).data(Qt.ItemDataRole.UserRole)

    def selected_ids(self) -> list[int]:
        return [self.row_id(index.row()) for index in self.table.selectionModel().selectedRows()]

    def select_ids(self, ids: Collection[int]) -> None:
        """Select the rows of these entries (by id: the table may be sorted differently from the list)."""
        for row in range(self.table.rowCount()):
            if self.row_id(row) in ids:
                self.table.selectRow(row)
