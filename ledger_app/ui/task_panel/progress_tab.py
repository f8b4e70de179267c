"""进展情况: dated progress reports, newest first; add (today by default), edit in place, delete.

The list, the editor, adding and deleting are RecordListTab's; this module says what a progress entry is.
"""

from __future__ import annotations

import datetime as dt
from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QLineEdit, QPlainTextEdit, QSpinBox, QTableWidgetItem, QWidget

from ledger_app.domain.dates import Future, check_progress_day
from ledger_app.domain.records import ProgressRecord
from ledger_app.ui.date_edit import DateEdit
from ledger_app.ui.forms import form_child as child
from ledger_app.ui.forms import load_form

from .record_list import RecordListTab
from .widgets import HINT_COLOUR, confirm, percent_value, set_percent, set_text, setup_percent

COL_DATE, COL_PERCENT, COL_REPORTER, COL_TEXT = range(4)


def newest_first(entries: list[ProgressRecord]) -> list[ProgressRecord]:
    return sorted(entries, key=lambda e: (e.date, e.id or 0), reverse=True)


class ProgressFields:
    """The fields of one progress entry (forms/task_progress_fields.ui): in the tab and the add dialog."""

    def __init__(self, parent: QWidget) -> None:
        self.form = load_form("task_progress_fields", parent)
        self.date_edit = child(self.form, DateEdit, "dateEdit")
        self.percent_spin = child(self.form, QSpinBox, "percentSpin")
        setup_percent(self.percent_spin)
        self.reporter_edit = child(self.form, QLineEdit, "reporterEdit")
        self.text_edit = child(self.form, QPlainTextEdit, "textEdit")

    def fields(self) -> list[QWidget]:
        return [self.date_edit, self.percent_spin, self.reporter_edit, self.text_edit]

    def values(self) -> dict[str, object]:
        """Raises ValidationError (why, in Chinese) when the date field holds no readable day."""
        return {
            "entry_date": self.date_edit.day(),
            "percent": percent_value(self.percent_spin),
            "reporter": self.reporter_edit.text(),
            "text": self.text_edit.toPlainText(),
        }

    def show(self, entry: ProgressRecord | None, *, reporter: str = "") -> None:
        self.date_edit.setDate(entry.date if entry else date.today())
        set_percent(self.percent_spin, entry.percent if entry else None)
        set_text(self.reporter_edit, entry.reporter if entry else reporter)
        set_text(self.text_edit, entry.text if entry else "")

    def stored_values(self, entry: ProgressRecord) -> dict[str, object]:
        """The entry as shown, by update_progress keyword (also what the edit expects to replace)."""
        return {
            "entry_date": entry.date,
            "percent": entry.percent,
            "reporter": entry.reporter,
            "text": entry.text,
        }

    def changes(self, entry: ProgressRecord) -> dict[str, object]:
        values = self.values()
        stored = self.stored_values(entry)
        changed = {}
        for key, value in values.items():
            old = stored[key]
            same = value.strip() == str(old).strip() if isinstance(value, str) else value == old
            if not same:
                changed[key] = value
        return changed


class ProgressTab(RecordListTab[ProgressRecord, ProgressFields]):
    FORM = "task_progress"
    TABLE = "progressTable"
    STRETCH_COLUMN = COL_TEXT
    COLUMN_WIDTHS = ((COL_DATE, 100), (COL_PERCENT, 80), (COL_REPORTER, 90))
    ADD_TITLE = "新增整改进展"
    DELETE_TITLE = "删除整改进展"

    def entries(self) -> list[ProgressRecord]:
        return newest_first(self.record.progress) if self.record else []

    def make_fields(self, parent: QWidget) -> ProgressFields:
        return ProgressFields(parent)

    def new_entry_fields(self) -> ProgressFields:
        fields = ProgressFields(self)
        fields.show(None, reporter=self.ledger.actor)
        return fields

    def row_cells(self, entry: ProgressRecord) -> list[QTableWidgetItem]:
        percent = QTableWidgetItem("未填" if entry.percent is None else f"{entry.percent}%")
        if entry.percent is None:
            percent.setForeground(QBrush(QColor(HINT_COLOUR)))
        percent.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
        text = QTableWidgetItem(entry.text)
        text.setToolTip(entry.text)
        return [QTableWidgetItem(entry.date.isoformat()), percent, QTableWidgetItem(entry.reporter), text]

    def count_text(self, entries: list[ProgressRecord]) -> str:
        if not entries:
            return "尚无进展,点击“新增进展”填报"
        return f"共 {len(entries)} 条进展,最新 {entries[0].date.isoformat()}"

    def confirm_values(self, values: dict[str, object]) -> dict[str, object] | None:
        """A date after today is saved only once the clerk confirms it (over a month ahead the
        service refuses it, with the reason); the service is told so explicitly."""
        day = values.get("entry_date")
        if not isinstance(day, dt.date):  # dt.date: tests replace this module's ``date`` to move today
            return values
        check = check_progress_day(day, date.today())
        if check.verdict is not Future.CONFIRM:
            return values
        if not confirm(self, "进展日期晚于今天", check.message_zh):
            return None
        return {**values, "confirm_future": True}

    def add_entry(self, task_id: int, values: dict[str, object]) -> int:
        return self.ledger.tasks.add_progress(task_id, **values)  # type: ignore[arg-type]

    def update_entry(self, entry_id: int, changes: dict[str, object]) -> None:
        self.ledger.tasks.update_progress(entry_id, **changes)

    def delete_entry(self, entry_id: int) -> None:
        self.ledger.tasks.delete_progress(entry_id)

    def added_message(self, values: dict[str, object]) -> str:
        return f"已新增 {values['entry_date']} 的整改进展"

    def saved_message(self, entry: ProgressRecord) -> str:
        return f"已保存:{entry.date.isoformat()} 的整改进展"

    def delete_question(self, entry: ProgressRecord) -> str:
        return f"确定删除 {entry.date.isoformat()} 的整改进展吗?"

    def deleted_message(self, entry: ProgressRecord) -> str:
        return f"已删除 {entry.date.isoformat()} 的整改进展"
