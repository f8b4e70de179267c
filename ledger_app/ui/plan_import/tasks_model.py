"""The tasks read from a plan, as an editable table: the clerk corrects a field in place."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from ledger_app.domain.deadlines import parse_deadline
from ledger_app.io.excel_in.units import split_plain_list
from ledger_app.io.import_plan import ParsedTask

Index = QModelIndex | QPersistentModelIndex

(
    COL_SEQ,
    COL_DESC,
    COL_LEAD,
    COL_RESP,
    COL_COOP,
    COL_SUPER,
    COL_LEADER,
    COL_DEADLINE,
    COL_GOAL,
    COL_MEASURES,
) = range(10)
HEADERS = (
    "序号",
    "问题描述",
    "牵头单位",
    "责任单位",
    "配合单位",
    "督导单位",
    "责任领导",
    "整改时限",
    "整改目标",
    "措施",
)
_UNIT_ATTRS = {COL_LEAD: "lead_units", COL_RESP: "responsible_units", COL_COOP: "cooperating_units",
               COL_SUPER: "supervising_units"}  # fmt: skip
_TEXT_ATTRS = {COL_SEQ: "seq", COL_DESC: "description", COL_LEADER: "leader", COL_GOAL: "goal"}
_DOUBT = QBrush(QColor("#fde2e1"))
TaskRole = Qt.ItemDataRole.UserRole + 1


class PlanTasksModel(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.tasks: list[ParsedTask] = []

    def set_tasks(self, tasks: list[ParsedTask]) -> None:
        self.beginResetModel()
        self.tasks = tasks  # shared with the reading: edits go straight into what is imported
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802 (Qt override)
        return 0 if parent.isValid() else len(self.tasks)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(  # noqa: N802 (Qt override)
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section]
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() != COL_MEASURES:
            base |= Qt.ItemFlag.ItemIsEditable
        return base

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        task = self.tasks[index.row()]
        column = index.column()
        if role == TaskRole:
            return task
        if role == Qt.ItemDataRole.EditRole:
            return self._edit_text(task, column)
        if role == Qt.ItemDataRole.DisplayRole:
            text = self._edit_text(task, column)
            if column == COL_MEASURES:
                return f"{len(task.measures)} 条"
            return " ".join(text.split())[:120]
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == COL_DEADLINE:
                return task.deadline.describe()
            if column == COL_MEASURES:
                return "\n".join(f"{m.seq}. {m.text}" for m in task.measures)[:2000]
            return self._edit_text(task, column)[:1000] or None
        if role == Qt.ItemDataRole.BackgroundRole:
            if column == COL_DEADLINE and not task.deadline.understood:
                return _DOUBT
            if column in (COL_LEAD, COL_RESP) and not (task.lead_units or task.responsible_units):
                return _DOUBT
        return None

    @staticmethod
    def _edit_text(task: ParsedTask, column: int) -> str:
        if column in _UNIT_ATTRS:
            return "、".join(getattr(task, _UNIT_ATTRS[column]))
        if column in _TEXT_ATTRS:
            return str(getattr(task, _TEXT_ATTRS[column]))
        if column == COL_DEADLINE:
            return task.deadline.text
        if column == COL_MEASURES:
            return "\n".join(m.text for m in task.measures)
        return ""

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802
        if not index.isValid() or role != Qt.ItemDataRole.EditRole:
            return False
        task = self.tasks[index.row()]
        column = index.column()
        text = str(value).strip()
        if column in _UNIT_ATTRS:
            setattr(
                task, _UNIT_ATTRS[column], split_plain_list(text.replace(",", "、").replace("\uff0c", "、"))
            )
        elif column in _TEXT_ATTRS:
            if column in (COL_SEQ, COL_DESC) and not text:
                return False  # a task keeps its 序号 and its description
            setattr(task, _TEXT_ATTRS[column], text)
            if column == COL_SEQ:
                task.seq_auto = False
        elif column == COL_DEADLINE:
            task.deadline = parse_deadline(text)
        else:
            return False
        self.dataChanged.emit(self.index(index.row(), 0), self.index(index.row(), len(HEADERS) - 1))
        return True
