"""督察批次管理: the inspection rounds of the ledger; pick one to edit it, or 新建批次."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QGroupBox, QLineEdit, QPushButton, QTableWidgetItem, QWidget

from ledger_app.domain.model import RoundLevel
from ledger_app.services import Ledger, RoundInfo
from ledger_app.ui.ask import confirm
from ledger_app.ui.date_edit import DateEdit

from .base import parse_day
from .list_editing import ListEditingDialog


def _day(value: date | None) -> str:
    return value.isoformat() if value else ""


class RoundsDialog(ListEditingDialog):
    """``changed`` tells the window to reload the list (round names show in the filter)."""

    def __init__(self, ledger: Ledger, parent: QWidget | None = None) -> None:
        super().__init__(ledger, "rounds_dialog", "督察批次管理", "roundsTable", parent)
        self._editing: int | None = None  # round id, None: a new round
        self._rounds: list[RoundInfo] = []
        self.resize(820, 540)
        self.details = self.child(QGroupBox, "detailsBox")
        self.name_edit = self.child(QLineEdit, "nameEdit")
        self.level_combo = self.child(QComboBox, "levelCombo")
        self.start_edit = self.child(DateEdit, "onSiteStartEdit")
        self.end_edit = self.child(DateEdit, "onSiteEndEdit")
        self.feedback_edit = self.child(DateEdit, "feedbackDateEdit")
        for edit in (self.start_edit, self.end_edit, self.feedback_edit):
            edit.setOptional(True)
        self.plan_no_edit = self.child(QLineEdit, "planNoEdit")
        self.new_button = self.child(QPushButton, "newButton")
        self.save_button = self.child(QPushButton, "saveButton")
        self.delete_button = self.child(QPushButton, "deleteButton")
        for level in RoundLevel:
            self.level_combo.addItem(level.label, level)

        self.table.itemSelectionChanged.connect(self._on_selection)
        self.new_button.clicked.connect(self.start_new)
        self.save_button.clicked.connect(self.save)
        self.delete_button.clicked.connect(self.delete_selected)
        self._load()
        if self._rounds:
            self.table.selectRow(0)
        else:
            self.start_new()

    def _load(self, select_id: int | None = None) -> None:
        self._rounds = self.ledger.directory.list_rounds()
        self.table.blockSignals(True)
        self.table.setRowCount(len(self._rounds))
        for row, info in enumerate(self._rounds):
            on_site = f"{_day(info.on_site_start)} 至 {_day(info.on_site_end)}" if info.on_site_start else ""
            cells = [
                info.name,
                info.level.label,
                on_site,
                _day(info.feedback_date),
                info.plan_document_no,
                str(info.task_count),
            ]
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, info.id)
                if column == 5:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                self.table.setItem(row, column, item)
        self.table.blockSignals(False)
        if select_id is not None:
            self.select_ids({select_id})

    def _selected(self) -> RoundInfo | None:
        rows = self.table.selectionModel().selectedRows()
        return self._rounds[rows[0].row()] if rows else None

    def _on_selection(self) -> None:
        info = self._selected()
        if info is None:
            return
        self._editing = info.id
        self.details.setTitle(f"批次信息:{info.name}")
        self.name_edit.setText(info.name)
        self.level_combo.setCurrentIndex(max(self.level_combo.findData(info.level), 0))
        self.start_edit.setText(_day(info.on_site_start))
        self.end_edit.setText(_day(info.on_site_end))
        self.feedback_edit.setText(_day(info.feedback_date))
        self.plan_no_edit.setText(info.plan_document_no)
        self.delete_button.setEnabled(True)
        self.save_button.setText("保存修改")

    def start_new(self) -> None:
        self._editing = None
        self.table.clearSelection()
        self.details.setTitle("新建批次")
        for edit in (self.name_edit, self.start_edit, self.end_edit, self.feedback_edit, self.plan_no_edit):
            edit.clear()
        self.level_combo.setCurrentIndex(0)
        self.delete_button.setEnabled(False)
        self.save_button.setText("保存新批次")
        self.name_edit.setFocus()

    def save(self) -> None:
        editing = self._editing
        saved: list[int] = []

        def save() -> None:
            fields = {
                "name": self.name_edit.text(),
                "level": self.level_combo.currentData(),
                "on_site_start": parse_day(self.start_edit.text(), "进驻开始日期"),
                "on_site_end": parse_day(self.end_edit.text(), "进驻结束日期"),
                "feedback_date": parse_day(self.feedback_edit.text(), "反馈日期"),
                "plan_document_no": self.plan_no_edit.text(),
            }
            if editing is None:
                saved.append(self.ledger.directory.create_round(**fields))
            else:
                self.ledger.directory.update_round(editing, **fields)
                saved.append(editing)

        if self.run(save, "无法保存督察批次"):
            self._load(select_id=saved[0])

    def delete_selected(self) -> None:
        info = self._selected()
        if info is None or not confirm(self, "删除批次", f"确定要删除督察批次「{info.name}」吗?"):
            return
        if not self.run(lambda: self.ledger.directory.delete_round(info.id), "无法删除督察批次"):
            return
        self._load()
        if self._rounds:
            self.table.selectRow(0)
        else:
            self.start_new()
