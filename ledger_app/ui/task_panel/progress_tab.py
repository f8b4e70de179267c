"""进展情况: dated progress reports, newest first; add (today by default), edit in place, delete."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QDateEdit,
    QGroupBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ledger_app.domain.records import ProgressRecord, TaskRecord
from ledger_app.services import Ledger
from ledger_app.ui.forms import load_form

from .widgets import (
    HINT_COLOUR,
    FieldsDialog,
    TaskTab,
    child,
    confirm,
    fit_rows,
    on_leave,
    percent_value,
    set_percent,
    set_text,
    setup_percent,
)

COL_DATE, COL_PERCENT, COL_REPORTER, COL_TEXT = range(4)


def newest_first(entries: list[ProgressRecord]) -> list[ProgressRecord]:
    return sorted(entries, key=lambda e: (e.date, e.id or 0), reverse=True)


class ProgressFields:
    """The fields of one progress entry (forms/task_progress_fields.ui): in the tab and the add dialog."""

    def __init__(self, parent: QWidget) -> None:
        self.form = load_form("task_progress_fields", parent)
        self.date_edit = child(self.form, QDateEdit, "dateEdit")
        self.percent_spin = child(self.form, QSpinBox, "percentSpin")
        setup_percent(self.percent_spin)
        self.reporter_edit = child(self.form, QLineEdit, "reporterEdit")
        self.text_edit = child(self.form, QPlainTextEdit, "textEdit")

    def fields(self) -> list[QWidget]:
        return [self.date_edit, self.percent_spin, self.reporter_edit, self.text_edit]

    def values(self) -> dict[str, object]:
        return {
            "entry_date": self.date_edit.date().toPython(),
            "percent": percent_value(self.percent_spin),
            "reporter": self.reporter_edit.text(),
            "text": self.text_edit.toPlainText(),
        }

    def show(self, entry: ProgressRecord | None, *, reporter: str = "") -> None:
        wanted = QDate(entry.date if entry else date.today())
        if self.date_edit.date() != wanted:
            self.date_edit.setDate(wanted)
        set_percent(self.percent_spin, entry.percent if entry else None)
        set_text(self.reporter_edit, entry.reporter if entry else reporter)
        set_text(self.text_edit, entry.text if entry else "")

    def changes(self, entry: ProgressRecord) -> dict[str, object]:
        values = self.values()
        stored = {
            "entry_date": entry.date,
            "percent": entry.percent,
            "reporter": entry.reporter,
            "text": entry.text,
        }
        changed = {}
        for key, value in values.items():
            old = stored[key]
            same = value.strip() == str(old).strip() if isinstance(value, str) else value == old
            if not same:
                changed[key] = value
        return changed


class ProgressTab(TaskTab):
    def __init__(self, ledger: Ledger, parent: QWidget | None = None) -> None:
        super().__init__(ledger, parent)
        self.form = load_form("task_progress", self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.form)
        self.table = child(self.form, QTableWidget, "progressTable")
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(COL_TEXT, QHeaderView.ResizeMode.Stretch)
        for column, width in ((COL_DATE, 100), (COL_PERCENT, 80), (COL_REPORTER, 90)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            self.table.setColumnWidth(column, width)
        self.table.itemSelectionChanged.connect(self._show_selected)
        fit_rows(self.table)
        splitter = child(self.form, QSplitter, "splitter")
        splitter.setStretchFactor(0, 1)  # the list takes the room; the editor keeps its natural height
        splitter.setStretchFactor(1, 0)

        self.editor_box = child(self.form, QGroupBox, "editorBox")
        self.fields = ProgressFields(self.editor_box)
        self.editor_box.layout().addWidget(self.fields.form)
        for widget in self.fields.fields():
            on_leave(widget, self._commit_selected)

        self.add_button = child(self.form, QPushButton, "addButton")
        self.delete_button = child(self.form, QPushButton, "deleteButton")
        self.count_label = child(self.form, QLabel, "countLabel")
        self.add_button.clicked.connect(self.open_add_dialog)
        self.delete_button.clicked.connect(self.delete_selected)
        self.add_dialog: FieldsDialog | None = None
        self._selected_id: int | None = None

    def entries(self) -> list[ProgressRecord]:
        return newest_first(self.record.progress) if self.record else []

    # -- showing ------------------------------------------------------------------------------
    def load(self, record: TaskRecord | None) -> None:
        super().load(record)
        entries = self.entries()
        self.table.blockSignals(True)
        self.table.setRowCount(len(entries))
        for row, entry in enumerate(entries):
            percent = QTableWidgetItem("未填" if entry.percent is None else f"{entry.percent}%")
            if entry.percent is None:
                percent.setForeground(QBrush(QColor(HINT_COLOUR)))
            percent.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
            day = QTableWidgetItem(entry.date.isoformat())
            day.setData(Qt.ItemDataRole.UserRole, entry.id)
            text = QTableWidgetItem(entry.text)
            text.setToolTip(entry.text)
            for column, item in enumerate((day, percent, QTableWidgetItem(entry.reporter), text)):
                self.table.setItem(row, column, item)
        ids = [e.id for e in entries]
        if self._selected_id in ids:
            self.table.selectRow(ids.index(self._selected_id))
        elif ids:
            self.table.selectRow(0)
        else:
            self.table.clearSelection()
        self.table.blockSignals(False)
        self.table.resizeRowsToContents()
        self.count_label.setText(
            f"共 {len(entries)} 条进展,最新 {entries[0].date.isoformat()}"
            if entries
            else "尚无进展,点击“新增进展”填报"
        )
        self._show_selected()

    def selected(self) -> ProgressRecord | None:
        rows = self.table.selectionModel().selectedRows()
        if self.record is None or not rows:
            return None
        entry_id = self.table.item(rows[0].row(), COL_DATE).data(Qt.ItemDataRole.UserRole)
        return next((e for e in self.record.progress if e.id == entry_id), None)

    def _show_selected(self) -> None:
        entry = self.selected()
        self._selected_id = entry.id if entry else None
        self.fields.show(entry)
        self.editor_box.setEnabled(entry is not None)
        self.delete_button.setEnabled(entry is not None)
        self.add_button.setEnabled(self.record is not None)

    # -- editing ------------------------------------------------------------------------------
    def _commit_selected(self) -> None:
        entry = self.selected()
        if entry is None or entry.id is None:
            return
        changes = self.fields.changes(entry)
        if changes:
            entry_id = entry.id
            self.attempt(
                lambda: self.ledger.update_progress(entry_id, **changes),
                f"已保存:{entry.date.isoformat()} 的整改进展",
                lambda: self.fields.show(entry),
            )

    def flush(self) -> None:
        self._commit_selected()

    def open_add_dialog(self) -> None:
        if self.record is None:
            return
        self.flush()
        fields = ProgressFields(self)
        fields.show(None, reporter=self.ledger.actor)
        self.add_dialog = FieldsDialog(self, "新增整改进展", fields.form, lambda: self._add(fields))
        self.add_dialog.open()
        fields.text_edit.setFocus()

    def _add(self, fields: ProgressFields) -> bool:
        task_id = self.task_id
        if task_id is None:
            return False
        values = fields.values()
        new_ids: list[int] = []

        def add() -> None:
            new_ids.append(self.ledger.add_progress(task_id, **values))  # type: ignore[arg-type]

        ok = self.attempt(add, f"已新增 {values['entry_date']} 的整改进展")
        if ok:
            self._selected_id = new_ids[0]
            self.load(self.record)
        return ok

    def delete_selected(self) -> None:
        entry = self.selected()
        if entry is None or entry.id is None:
            return
        if not confirm(self, "删除整改进展", f"确定删除 {entry.date.isoformat()} 的整改进展吗?"):
            return
        entry_id = entry.id
        self._selected_id = None
        self.attempt(
            lambda: self.ledger.delete_progress(entry_id), f"已删除 {entry.date.isoformat()} 的整改进展"
        )
