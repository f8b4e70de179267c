"""The report page's table of refused rows and warnings: a plain table model, sortable by any column.

A model over the ImportIssue list rather than QStandardItems: 10,000 warnings (a column of deadlines
no one could read) fill in milliseconds instead of over a second on the UI thread.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from ledger_app.io.import_plan import ImportIssue

from .report_text import issue_cells

HEADERS = ["类别", "工作表", "行", "列", "原因"]
COL_SEVERITY, COL_SHEET, COL_ROW, COL_COLUMN, COL_REASON = range(5)
REFUSED_BRUSH = QBrush(QColor("#b3261e"))

Index = QModelIndex | QPersistentModelIndex


def _sort_key(issue: ImportIssue, column: int) -> tuple[Any, ...]:
    where = (issue.sheet, issue.row or 0, len(issue.column or ""), issue.column or "")
    first: Any = {
        COL_SEVERITY: 0 if issue.severity == "refused" else 1,
        COL_SHEET: issue.sheet,
        COL_ROW: issue.row or 0,
        COL_COLUMN: (len(issue.column or ""), issue.column or ""),  # B before AA, as Excel orders them
        COL_REASON: issue.reason_zh,
    }[column]
    return (first, *where)


class IssuesModel(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._issues: list[ImportIssue] = []
        self._cells: list[list[str]] = []

    def set_issues(self, issues: list[ImportIssue]) -> None:
        self.beginResetModel()
        self._issues = list(issues)
        self._cells = [issue_cells(i) for i in self._issues]
        self.endResetModel()

    def issue(self, row: int) -> ImportIssue:
        return self._issues[row]

    def cell(self, row: int, column: int) -> str:
        return self._cells[row][column]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008 (Qt override)
        return 0 if parent.isValid() else len(self._issues)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008 (Qt override)
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(  # noqa: N802 (Qt override)
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        issue = self._issues[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._cells[index.row()][index.column()]
        if role == Qt.ItemDataRole.ToolTipRole:
            return issue.reason_zh
        if role == Qt.ItemDataRole.ForegroundRole and issue.severity == "refused":
            return REFUSED_BRUSH
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() in (COL_ROW, COL_COLUMN):
            return int(Qt.AlignmentFlag.AlignCenter)
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(HEADERS):
            return
        self.layoutAboutToBeChanged.emit()
        pairs = sorted(
            zip(self._issues, self._cells, strict=True),
            key=lambda pair: _sort_key(pair[0], column),
            reverse=order == Qt.SortOrder.DescendingOrder,
        )
        self._issues = [issue for issue, _ in pairs]
        self._cells = [cells for _, cells in pairs]
        self.layoutChanged.emit()
