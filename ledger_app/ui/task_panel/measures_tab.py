"""整改措施: the ordered measures of a task; add, edit in place, reorder (Ctrl+↑/↓) and delete."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QGroupBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ledger_app.domain.records import MeasureRecord, TaskRecord
from ledger_app.services import Ledger
from ledger_app.ui.forms import load_form

from .widgets import (
    WARNING_COLOUR,
    DeadlineEditor,
    FieldsDialog,
    TaskTab,
    UnitListEditor,
    child,
    confirm,
    fit_rows,
    join_units,
    on_leave,
    set_text,
)

COL_SEQ, COL_TEXT, COL_LEAD, COL_COOP, COL_DEADLINE = range(5)
UNITS_HINT = "多个单位用“、”分隔,可从单位名录中选择;不填则以任务的牵头单位为准。"


class MeasureFields:
    """The fields of one measure (forms/task_measure_fields.ui): used in the tab and in the add dialog."""

    def __init__(self, parent: QWidget) -> None:
        self.form = load_form("task_measure_fields", parent)
        self.text_edit = child(self.form, QPlainTextEdit, "textEdit")
        hint_label = child(self.form, QLabel, "unitsHintLabel")
        self.lead = UnitListEditor(child(self.form, QLineEdit, "leadUnitsEdit"), hint_label, UNITS_HINT)
        self.cooperating = UnitListEditor(
            child(self.form, QLineEdit, "cooperatingUnitsEdit"), hint_label, UNITS_HINT
        )
        self.lead.reset_hint()
        self.deadline = DeadlineEditor(
            child(self.form, QLineEdit, "deadlineEdit"), child(self.form, QLabel, "deadlineHintLabel")
        )

    def fields(self) -> list[QWidget]:
        return [self.text_edit, self.lead.edit, self.cooperating.edit, self.deadline.edit]

    def set_directory(self, names: list[str]) -> None:
        self.lead.set_directory(names)
        self.cooperating.set_directory(names)

    def values(self) -> dict[str, object]:
        return {
            "text": self.text_edit.toPlainText(),
            "lead_units": self.lead.units(),
            "cooperating_units": self.cooperating.units(),
            "deadline": self.deadline.text(),
        }

    def show(self, measure: MeasureRecord | None) -> None:
        set_text(self.text_edit, measure.text if measure else "")
        self.lead.set_units(measure.lead_units if measure else [])
        self.cooperating.set_units(measure.cooperating_units if measure else [])
        self.deadline.set_text(measure.deadline.text if measure else "")

    def changes(self, measure: MeasureRecord) -> dict[str, object]:
        """What differs from the stored measure, as update_measure keywords."""
        values = self.values()
        stored = {
            "text": measure.text,
            "lead_units": measure.lead_units,
            "cooperating_units": measure.cooperating_units,
            "deadline": measure.deadline.text,
        }
        changed = {}
        for key, value in values.items():
            same = value.strip() == stored[key].strip() if isinstance(value, str) else value == stored[key]  # type: ignore[union-attr]
            if not same:
                changed[key] = value
        return changed


class MeasuresTab(TaskTab):
    def __init__(self, ledger: Ledger, parent: QWidget | None = None) -> None:
        super().__init__(ledger, parent)
        self.form = load_form("task_measures", self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.form)
        self.table = child(self.form, QTableWidget, "measuresTable")
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(COL_TEXT, QHeaderView.ResizeMode.Stretch)
        for column, width in ((COL_SEQ, 48), (COL_LEAD, 150), (COL_COOP, 150), (COL_DEADLINE, 130)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            self.table.setColumnWidth(column, width)
        self.table.itemSelectionChanged.connect(self._show_selected)
        fit_rows(self.table)
        splitter = child(self.form, QSplitter, "splitter")
        splitter.setStretchFactor(0, 1)  # the list takes the room; the editor keeps its natural height
        splitter.setStretchFactor(1, 0)

        self.editor_box = child(self.form, QGroupBox, "editorBox")
        self.fields = MeasureFields(self.editor_box)
        self.editor_box.layout().addWidget(self.fields.form)
        for widget in self.fields.fields():
            on_leave(widget, self._commit_selected)

        self.add_button = child(self.form, QPushButton, "addButton")
        self.up_button = child(self.form, QPushButton, "upButton")
        self.down_button = child(self.form, QPushButton, "downButton")
        self.delete_button = child(self.form, QPushButton, "deleteButton")
        self.count_label = child(self.form, QLabel, "countLabel")
        self.add_button.clicked.connect(self.open_add_dialog)
        self.up_button.clicked.connect(lambda: self.move_selected(-1))
        self.down_button.clicked.connect(lambda: self.move_selected(+1))
        self.delete_button.clicked.connect(self.delete_selected)
        context = Qt.ShortcutContext.WidgetWithChildrenShortcut
        QShortcut(QKeySequence("Ctrl+Up"), self, lambda: self.move_selected(-1), context=context)
        QShortcut(QKeySequence("Ctrl+Down"), self, lambda: self.move_selected(+1), context=context)
        self.add_dialog: FieldsDialog | None = None
        self._selected_id: int | None = None

    # -- showing ------------------------------------------------------------------------------
    def load(self, record: TaskRecord | None) -> None:
        super().load(record)
        measures = record.measures if record else []
        self.fields.set_directory(self.unit_names)
        self.table.blockSignals(True)
        self.table.setRowCount(len(measures))
        for row, measure in enumerate(measures):
            deadline = QTableWidgetItem(measure.deadline.text)
            deadline.setToolTip(measure.deadline.describe())
            if not measure.deadline.understood:
                deadline.setForeground(QBrush(QColor(WARNING_COLOUR)))
            items = [
                QTableWidgetItem(str(measure.seq)),
                QTableWidgetItem(measure.text),
                QTableWidgetItem(join_units(measure.lead_units)),
                QTableWidgetItem(join_units(measure.cooperating_units)),
                deadline,
            ]
            items[COL_SEQ].setTextAlignment(Qt.AlignmentFlag.AlignCenter)
            items[COL_SEQ].setData(Qt.ItemDataRole.UserRole, measure.id)
            items[COL_TEXT].setToolTip(measure.text)
            for column, item in enumerate(items):
                self.table.setItem(row, column, item)
        ids = [m.id for m in measures]
        row = ids.index(self._selected_id) if self._selected_id in ids else (0 if ids else -1)
        if row >= 0:
            self.table.selectRow(row)
        else:
            self.table.clearSelection()
        self.table.blockSignals(False)
        self.table.resizeRowsToContents()
        self.count_label.setText(
            f"共 {len(measures)} 条措施" if measures else "尚无整改措施,点击“新增措施”添加"
        )
        self._show_selected()

    def selected(self) -> MeasureRecord | None:
        if self.record is None:
            return None
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        measure_id = self.table.item(rows[0].row(), COL_SEQ).data(Qt.ItemDataRole.UserRole)
        return next((m for m in self.record.measures if m.id == measure_id), None)

    def _show_selected(self) -> None:
        measure = self.selected()
        self._selected_id = measure.id if measure else None
        self.fields.show(measure)
        self.editor_box.setEnabled(measure is not None)
        count = len(self.record.measures) if self.record else 0
        self.up_button.setEnabled(measure is not None and measure.seq > 1)
        self.down_button.setEnabled(measure is not None and measure.seq < count)
        self.delete_button.setEnabled(measure is not None)
        self.add_button.setEnabled(self.record is not None)

    # -- editing ------------------------------------------------------------------------------
    def _commit_selected(self) -> None:
        measure = self.selected()
        if measure is None or measure.id is None:
            return
        changes = self.fields.changes(measure)
        if changes:
            measure_id = measure.id
            self.attempt(
                lambda: self.ledger.update_measure(measure_id, **changes),
                f"已保存:第 {measure.seq} 条整改措施",
                lambda: self.fields.show(measure),
            )

    def flush(self) -> None:
        self._commit_selected()

    def open_add_dialog(self) -> None:
        if self.record is None:
            return
        self.flush()
        fields = MeasureFields(self)
        fields.set_directory(self.unit_names)
        fields.lead.set_units(self.record.main_units)  # most measures are led by the task's own unit
        self.add_dialog = FieldsDialog(self, "新增整改措施", fields.form, lambda: self._add(fields))
        self.add_dialog.open()
        fields.text_edit.setFocus()

    def _add(self, fields: MeasureFields) -> bool:
        task_id = self.task_id
        if task_id is None:
            return False
        values = fields.values()
        new_ids: list[int] = []

        def add() -> None:
            new_ids.append(self.ledger.add_measure(task_id, **values))  # type: ignore[arg-type]

        count = len(self.record.measures) if self.record else 0
        self._selected_id = None
        ok = self.attempt(add, f"已新增第 {count + 1} 条整改措施")
        if ok:
            self._select(new_ids[0])
        return ok

    def _select(self, measure_id: int) -> None:
        self._selected_id = measure_id
        for row in range(self.table.rowCount()):
            if self.table.item(row, COL_SEQ).data(Qt.ItemDataRole.UserRole) == measure_id:
                self.table.selectRow(row)

    def move_selected(self, step: int) -> None:
        self.flush()
        measure = self.selected()
        if measure is None or measure.id is None or self.record is None:
            return
        target = measure.seq + step
        if not 1 <= target <= len(self.record.measures):
            return
        measure_id = measure.id
        if self.attempt(
            lambda: self.ledger.move_measure(measure_id, target),
            f"已将第 {measure.seq} 条措施移到第 {target} 条",
        ):
            self._select(measure_id)
            self.table.setFocus()

    def delete_selected(self) -> None:
        measure = self.selected()
        if measure is None or measure.id is None:
            return
        gist = measure.text if len(measure.text) <= 40 else measure.text[:39] + "…"
        if not confirm(self, "删除整改措施", f"确定删除第 {measure.seq} 条整改措施吗?\n\n{gist}"):
            return
        measure_id = measure.id
        self._selected_id = None
        self.attempt(lambda: self.ledger.delete_measure(measure_id), f"已删除第 {measure.seq} 条整改措施")
