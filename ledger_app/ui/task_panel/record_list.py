"""A task tab holding a list of one kind of record (措施, 进展) with an editor for the selected one.

The list keeps its selection by id across reloads (the panel reloads every tab after each commit),
the editor commits when the clerk leaves a field, 新增 opens a FieldsDialog and 删除 asks first.
A subclass says only what is its own: the form, its cells, the service calls and the words.
"""

from __future__ import annotations

from typing import Any, ClassVar, Generic, Protocol, TypeVar

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ledger_app.domain.errors import LedgerError
from ledger_app.domain.records import TaskRecord
from ledger_app.services import Ledger
from ledger_app.ui.forms import form_child as child
from ledger_app.ui.forms import load_form
from ledger_app.ui.layout_fit import ShareColumns, reflow_box

from .widgets import FieldsDialog, TaskTab, confirm, fit_rows, on_leave, show_error

COL_ID = 0  # the column whose cell carries the record's id (UserRole)


class Entry(Protocol):
    @property
    def id(self) -> int | None: ...


class EntryFields(Protocol):
    """The editor of one record (forms/task_*_fields.ui), used under the list and in the add dialog."""

    form: QWidget
    text_edit: QPlainTextEdit

    def fields(self) -> list[QWidget]: ...
    def values(self) -> dict[str, object]: ...
    def show(self, entry: Any) -> None: ...
    def changes(self, entry: Any) -> dict[str, object]: ...


E = TypeVar("E", bound=Entry)
F = TypeVar("F", bound=EntryFields)


class RecordListTab(TaskTab, Generic[E, F]):
    """The form must hold the table ``TABLE``, ``splitter``, ``editorBox``, ``addButton``,
    ``deleteButton`` and ``countLabel``."""

    FORM: ClassVar[str]
    TABLE: ClassVar[str]
    STRETCH_COLUMN: ClassVar[int]
    COLUMN_WIDTHS: ClassVar[tuple[tuple[int, int], ...]]  # (column, width) of the interactive columns
    ADD_TITLE: ClassVar[str]
    DELETE_TITLE: ClassVar[str]

    def __init__(self, ledger: Ledger, parent: QWidget | None = None) -> None:
        super().__init__(ledger, parent)
        self.form = load_form(self.FORM, self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.form)
        self.table = child(self.form, QTableWidget, self.TABLE)
        # The text column keeps most of the width; the toolbar wraps rather than widening the panel.
        self.columns = ShareColumns(self.table, self.STRETCH_COLUMN, self.COLUMN_WIDTHS)
        reflow_box(self.form.layout(), child(self.form, QHBoxLayout, "toolbarLayout"))
        self.table.itemSelectionChanged.connect(self._show_selected)
        fit_rows(self.table)
        splitter = child(self.form, QSplitter, "splitter")
        splitter.setStretchFactor(0, 1)  # the list takes the room; the editor keeps its natural height
        splitter.setStretchFactor(1, 0)

        self.editor_box = child(self.form, QGroupBox, "editorBox")
        self.fields: F = self.make_fields(self.editor_box)
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

    # -- what a subclass says -----------------------------------------------------------------
    def entries(self) -> list[E]:
        """The task's records in the order the list shows them."""
        raise NotImplementedError

    def make_fields(self, parent: QWidget) -> F:
        raise NotImplementedError

    def new_entry_fields(self) -> F:
        """Fields for the add dialog, filled with what a new record most likely holds."""
        raise NotImplementedError

    def row_cells(self, entry: E) -> list[QTableWidgetItem]:
        raise NotImplementedError

    def count_text(self, entries: list[E]) -> str:
        raise NotImplementedError

    def add_entry(self, task_id: int, values: dict[str, object]) -> int:
        raise NotImplementedError

    def update_entry(self, entry_id: int, changes: dict[str, object]) -> None:
        raise NotImplementedError

    def delete_entry(self, entry_id: int) -> None:
        raise NotImplementedError

    def added_message(self, values: dict[str, object]) -> str:
        raise NotImplementedError

    def saved_message(self, entry: E) -> str:
        raise NotImplementedError

    def delete_question(self, entry: E) -> str:
        raise NotImplementedError

    def deleted_message(self, entry: E) -> str:
        raise NotImplementedError

    def confirm_values(self, values: dict[str, object]) -> dict[str, object] | None:
        """Values about to be saved, with what the clerk confirmed added; None when they said no."""
        return values

    def enable_actions(self, entry: E | None) -> None:
        """Enable the buttons for the selected record (None: nothing selected); extend for more buttons."""
        self.delete_button.setEnabled(entry is not None)
        self.add_button.setEnabled(self.record is not None)

    # -- showing ------------------------------------------------------------------------------
    def load(self, record: TaskRecord | None) -> None:
        super().load(record)
        entries = self.entries()
        self.table.blockSignals(True)
        self.table.setRowCount(len(entries))
        for row, entry in enumerate(entries):
            cells = self.row_cells(entry)
            cells[COL_ID].setData(Qt.ItemDataRole.UserRole, entry.id)
            for column, cell in enumerate(cells):
                self.table.setItem(row, column, cell)
        ids = [e.id for e in entries]
        if self._selected_id in ids:
            self.table.selectRow(ids.index(self._selected_id))
        elif ids:
            self.table.selectRow(0)
        else:
            self.table.clearSelection()
        self.table.blockSignals(False)
        self.table.resizeRowsToContents()
        self.count_label.setText(self.count_text(entries))
        self._show_selected()

    def selected(self) -> E | None:
        rows = self.table.selectionModel().selectedRows()
        if self.record is None or not rows:
            return None
        entry_id = self.table.item(rows[0].row(), COL_ID).data(Qt.ItemDataRole.UserRole)
        return next((e for e in self.entries() if e.id == entry_id), None)

    def select_entry(self, entry_id: int) -> None:
        self._selected_id = entry_id
        for row in range(self.table.rowCount()):
            if self.table.item(row, COL_ID).data(Qt.ItemDataRole.UserRole) == entry_id:
                self.table.selectRow(row)

    def _show_selected(self) -> None:
        entry = self.selected()
        self._selected_id = entry.id if entry else None
        self.fields.show(entry)
        self.editor_box.setEnabled(entry is not None)
        self.enable_actions(entry)

    # -- editing ------------------------------------------------------------------------------
    def _commit_selected(self) -> None:
        entry = self.selected()
        if entry is None or entry.id is None:
            return
        try:
            changes = self.fields.changes(entry)
        except LedgerError as error:
            show_error(self, error)  # e.g. a date it cannot read: the field keeps the text, in red
            return
        if changes:
            confirmed = self.confirm_values(changes)
            if confirmed is None:
                self.fields.show(entry)  # the clerk said no: back to what is stored
                return
            changes = confirmed
            entry_id = entry.id
            # What the clerk saw: another program's change meanwhile refuses this edit (no lost update).
            shown = self.fields.stored_values(entry)
            expected = {key: shown[key] for key in changes if key in shown}
            self.attempt(
                lambda: self.update_entry(entry_id, {**changes, "expected": expected}),
                self.saved_message(entry),
                lambda: self.fields.show(entry),
            )

    def flush(self) -> None:
        self._commit_selected()

    def open_add_dialog(self) -> None:
        if self.record is None:
            return
        self.flush()
        fields = self.new_entry_fields()
        self.add_dialog = FieldsDialog(self, self.ADD_TITLE, fields.form, lambda: self._add(fields))
        self.add_dialog.open()
        fields.text_edit.setFocus()

    def _add(self, fields: F) -> bool:
        task_id = self.task_id
        if task_id is None:
            return False
        try:
            values = fields.values()
        except LedgerError as error:
            show_error(self, error)  # the dialog stays open with what was typed
            return False
        confirmed = self.confirm_values(values)
        if confirmed is None:
            return False
        values = confirmed
        new_ids: list[int] = []
        if not self.attempt(
            lambda: new_ids.append(self.add_entry(task_id, values)), self.added_message(values)
        ):
            return False
        self.select_entry(new_ids[0])  # the panel has reloaded the list: show the new record
        return True

    def delete_selected(self) -> None:
        entry = self.selected()
        if entry is None or entry.id is None:
            return
        if not confirm(self, self.DELETE_TITLE, self.delete_question(entry)):
            return
        entry_id = entry.id
        self._selected_id = None
        self.attempt(lambda: self.delete_entry(entry_id), self.deleted_message(entry))
