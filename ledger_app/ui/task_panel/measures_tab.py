"""整改措施: the ordered measures of a task; add, edit in place, reorder (Ctrl+↑/↓) and delete.

The list, the editor, adding and deleting are RecordListTab's; reordering is this tab's own.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import QLabel, QLineEdit, QPlainTextEdit, QPushButton, QTableWidgetItem, QWidget

from ledger_app.domain.records import MeasureRecord, TaskRecord
from ledger_app.services import Ledger
from ledger_app.ui.forms import form_child as child
from ledger_app.ui.forms import load_form

from .record_list import RecordListTab
from .widgets import WARNING_COLOUR, DeadlineEditor, UnitListEditor, join_units, set_text

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

    def stored_values(self, measure: MeasureRecord) -> dict[str, object]:
        """The measure as shown, by update_measure keyword (also what the edit expects to replace)."""
        return {
            "text": measure.text,
            "lead_units": measure.lead_units,
            "cooperating_units": measure.cooperating_units,
            "deadline": measure.deadline.text,
        }

    def changes(self, measure: MeasureRecord) -> dict[str, object]:
        """What differs from the stored measure, as update_measure keywords."""
        values = self.values()
        stored = self.stored_values(measure)
        changed = {}
        for key, value in values.items():
            same = value.strip() == stored[key].strip() if isinstance(value, str) else value == stored[key]  # type: ignore[union-attr]
            if not same:
                changed[key] = value
        return changed


class MeasuresTab(RecordListTab[MeasureRecord, MeasureFields]):
    FORM = "task_measures"
    TABLE = "measuresTable"
    STRETCH_COLUMN = COL_TEXT
    COLUMN_WIDTHS = ((COL_SEQ, 48), (COL_LEAD, 150), (COL_COOP, 150), (COL_DEADLINE, 130))
    ADD_TITLE = "新增整改措施"
    DELETE_TITLE = "删除整改措施"

    def __init__(self, ledger: Ledger, parent: QWidget | None = None) -> None:
        super().__init__(ledger, parent)
        self.up_button = child(self.form, QPushButton, "upButton")
        self.down_button = child(self.form, QPushButton, "downButton")
        self.up_button.clicked.connect(lambda: self.move_selected(-1))
        self.down_button.clicked.connect(lambda: self.move_selected(+1))
        context = Qt.ShortcutContext.WidgetWithChildrenShortcut
        QShortcut(QKeySequence("Ctrl+Up"), self, lambda: self.move_selected(-1), context=context)
        QShortcut(QKeySequence("Ctrl+Down"), self, lambda: self.move_selected(+1), context=context)

    # -- what makes the list a list of measures ------------------------------------------------
    def entries(self) -> list[MeasureRecord]:
        return self.record.measures if self.record else []

    def make_fields(self, parent: QWidget) -> MeasureFields:
        return MeasureFields(parent)

    def new_entry_fields(self) -> MeasureFields:
        fields = MeasureFields(self)
        fields.set_directory(self.unit_names)
        if self.record is not None:
            fields.lead.set_units(self.record.main_units)  # most measures are led by the task's own unit
        return fields

    def row_cells(self, measure: MeasureRecord) -> list[QTableWidgetItem]:
        deadline = QTableWidgetItem(measure.deadline.text)
        deadline.setToolTip(measure.deadline.describe())
        if not measure.deadline.understood:
            deadline.setForeground(QBrush(QColor(WARNING_COLOUR)))
        cells = [
            QTableWidgetItem(str(measure.seq)),
            QTableWidgetItem(measure.text),
            QTableWidgetItem(join_units(measure.lead_units)),
            QTableWidgetItem(join_units(measure.cooperating_units)),
            deadline,
        ]
        cells[COL_SEQ].setTextAlignment(Qt.AlignmentFlag.AlignCenter)
        cells[COL_TEXT].setToolTip(measure.text)
        return cells

    def count_text(self, measures: list[MeasureRecord]) -> str:
        return f"共 {len(measures)} 条措施" if measures else "尚无整改措施,点击“新增措施”添加"

    def add_entry(self, task_id: int, values: dict[str, object]) -> int:
        return self.ledger.tasks.add_measure(task_id, **values)  # type: ignore[arg-type]

    def update_entry(self, entry_id: int, changes: dict[str, object]) -> None:
        self.ledger.tasks.update_measure(entry_id, **changes)

    def delete_entry(self, entry_id: int) -> None:
        self.ledger.tasks.delete_measure(entry_id)

    def added_message(self, values: dict[str, object]) -> str:
        return f"已新增第 {len(self.entries()) + 1} 条整改措施"

    def saved_message(self, measure: MeasureRecord) -> str:
        return f"已保存:第 {measure.seq} 条整改措施"

    def delete_question(self, measure: MeasureRecord) -> str:
        gist = measure.text if len(measure.text) <= 40 else measure.text[:39] + "…"
        return f"确定删除第 {measure.seq} 条整改措施吗?\n\n{gist}"

    def deleted_message(self, measure: MeasureRecord) -> str:
        return f"已删除第 {measure.seq} 条整改措施"

    def enable_actions(self, measure: MeasureRecord | None) -> None:
        super().enable_actions(measure)
        count = len(self.entries())
        self.up_button.setEnabled(measure is not None and measure.seq > 1)
        self.down_button.setEnabled(measure is not None and measure.seq < count)

    def load(self, record: TaskRecord | None) -> None:
        self.fields.set_directory(self.unit_names)
        super().load(record)

    # -- reordering ---------------------------------------------------------------------------
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
            lambda: self.ledger.tasks.move_measure(measure_id, target),
            f"已将第 {measure.seq} 条措施移到第 {target} 条",
        ):
            self.select_entry(measure_id)
            self.table.setFocus()
