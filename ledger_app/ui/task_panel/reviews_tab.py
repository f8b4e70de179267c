"""回头看: follow-up reviews of a closed task; a relapse (反弹) reopens it after the clerk confirms."""

from __future__ import annotations

from datetime import date

from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QComboBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ledger_app.domain.errors import LedgerError
from ledger_app.domain.model import ReviewResult, ScheduleFlag, TaskStatus
from ledger_app.domain.records import TaskRecord
from ledger_app.services import Ledger
from ledger_app.ui.date_edit import DateEdit
from ledger_app.ui.forms import form_child as child
from ledger_app.ui.forms import load_form

from .widgets import (
    ERROR_COLOUR,
    SCHEDULE_COLOURS,
    FieldsDialog,
    TaskTab,
    confirm,
    fit_rows,
    hint,
    show_error,
)

COL_DATE, COL_RESULT, COL_TEXT, COL_REVIEWER = range(4)
RESULT_COLOURS = {
    ReviewResult.CONSOLIDATED.value: SCHEDULE_COLOURS[ScheduleFlag.ON_SCHEDULE],
    ReviewResult.RELAPSE.value: ERROR_COLOUR,
}


class ReviewFields:
    """forms/task_review_fields.ui: date, conclusion, text and reviewer of one 回头看."""

    def __init__(self, parent: QWidget, reviewer: str) -> None:
        self.form = load_form("task_review_fields", parent)
        self.date_edit = child(self.form, DateEdit, "dateEdit")
        self.date_edit.setDate(date.today())
        self.result_combo = child(self.form, QComboBox, "resultCombo")
        for result in ReviewResult:
            self.result_combo.addItem(result.label, result.value)
        self.text_edit = child(self.form, QPlainTextEdit, "textEdit")
        self.reviewer_edit = child(self.form, QLineEdit, "reviewerEdit")
        self.reviewer_edit.setText(reviewer)
        self.relapse_hint = child(self.form, QLabel, "relapseHintLabel")
        self.result_combo.currentIndexChanged.connect(self._show_consequence)
        self._show_consequence()

    def result(self) -> ReviewResult:
        return ReviewResult(self.result_combo.currentData())

    def _show_consequence(self) -> None:
        if self.result() is ReviewResult.RELAPSE:
            hint(self.relapse_hint, "发现反弹:任务将重新变为「整改中」,须写明具体情况。", ERROR_COLOUR)
        else:
            hint(self.relapse_hint, "整改成效巩固:任务保持「已销号」。")


class ReviewsTab(TaskTab):
    def __init__(self, ledger: Ledger, parent: QWidget | None = None) -> None:
        super().__init__(ledger, parent)
        self.form = load_form("task_reviews", self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.form)
        self.add_button = child(self.form, QPushButton, "addButton")
        self.add_button.clicked.connect(self.open_add_dialog)
        self.hint_label = child(self.form, QLabel, "hintLabel")
        self.table = child(self.form, QTableWidget, "reviewsTable")
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(COL_TEXT, QHeaderView.ResizeMode.Stretch)
        for column, width in ((COL_DATE, 100), (COL_RESULT, 110), (COL_REVIEWER, 90)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            self.table.setColumnWidth(column, width)
        fit_rows(self.table)
        self.add_dialog: FieldsDialog | None = None

    def load(self, record: TaskRecord | None) -> None:
        super().load(record)
        # Newest first; of two on one day, the later recorded first (sorted() keeps ties in input order).
        reviews = (
            sorted(reversed(record.reviews), key=lambda r: r.review_date, reverse=True) if record else []
        )
        self.table.setRowCount(len(reviews))
        for row, review in enumerate(reviews):
            try:
                label = ReviewResult(review.result).label
            except ValueError:
                label = review.result
            result = QTableWidgetItem(label)
            result.setForeground(QBrush(QColor(RESULT_COLOURS.get(review.result, "#000000"))))
            text = QTableWidgetItem(review.text)
            text.setToolTip(review.text)
            cells = (
                QTableWidgetItem(review.review_date.isoformat()),
                result,
                text,
                QTableWidgetItem(review.reviewer),
            )
            for column, cell in enumerate(cells):
                self.table.setItem(row, column, cell)
        self.table.resizeRowsToContents()
        closed = record is not None and record.status is TaskStatus.CLOSED
        self.add_button.setEnabled(closed)
        if closed:
            hint(self.hint_label, "对已销号任务的复查;发现反弹时任务将重新进入「整改中」,原记录保留。")
        elif record is not None:
            hint(self.hint_label, f"任务当前为「{record.status.label}」,销号后才能进行回头看。")
        else:
            hint(self.hint_label, "")

    def open_add_dialog(self) -> None:
        if self.record is None:
            return
        fields = ReviewFields(self, self.ledger.actor)
        self.add_dialog = FieldsDialog(self, "新增回头看", fields.form, lambda: self._add(fields), "记录")
        self.add_dialog.open()

    def _add(self, fields: ReviewFields) -> bool:
        task_id = self.task_id
        if task_id is None:
            return False
        try:
            review_date = fields.date_edit.day()
        except LedgerError as error:
            show_error(self, error)  # the dialog stays open with what was typed
            return False
        result = fields.result()
        text = fields.text_edit.toPlainText()
        if result is ReviewResult.RELAPSE and text.strip():
            question = "记录“反弹”后,该任务将从「已销号」重新变为「整改中」,以往的验收、公示和销号记录保留在操作记录中。\n\n确定记录反弹并重新整改吗?"
            if not confirm(self, "回头看发现反弹", question):
                return False
        message = (
            "已记录回头看:发现反弹,任务已重新进入整改"
            if result is ReviewResult.RELAPSE
            else "已记录回头看:整改成效巩固"
        )
        return self.attempt(
            lambda: self.ledger.lifecycle.add_review(
                task_id,
                review_date=review_date,
                result=result,
                text=text,
                reviewer=fields.reviewer_edit.text(),
            ),
            message,
        )
