"""A dialog whose body is a Qt Designer form (forms/<name>.ui), with its widgets found by objectName."""

from __future__ import annotations

from datetime import date
from typing import TypeVar

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QHeaderView, QTableView, QVBoxLayout, QWidget

from ledger_app.domain.dates import parse_optional_day
from ledger_app.domain.errors import ValidationError
from ledger_app.ui.forms import form_child, load_form
from ledger_app.ui.layout_fit import FitOnShow

W = TypeVar("W", bound=QWidget)


class FormDialog(FitOnShow, QDialog):  # clamped to a small screen when first shown
    def __init__(self, form_name: str, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.form = load_form(form_name, self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.addWidget(self.form)

    def child(self, kind: type[W], name: str) -> W:
        return form_child(self.form, kind, name)

    def close_buttons(self, name: str = "buttonBox") -> QDialogButtonBox:
        """The form's button box with its 关闭 button (Qt's own text is English) closing the dialog."""
        buttons = self.child(QDialogButtonBox, name)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("关闭")
        buttons.rejected.connect(self.reject)
        return buttons


def compact_rows(table: QTableView) -> None:
    """One line of text per row, as in the main list (Qt's default rows are tall and uneven)."""
    header = table.verticalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    header.setDefaultSectionSize(table.fontMetrics().height() + 8)


def parse_day(text: str, what: str) -> date | None:
    """A date typed by a clerk, read by domain.dates (every form it accepts); empty is None.

    ``what`` names the field in the refusal ("反馈日期:2025年13月5日 不是有效日期:月份应为 1–12").
    """
    try:
        return parse_optional_day(text)
    except ValidationError as refused:
        raise ValidationError(f"{what}:{refused.message_zh}", f"bad date for {what}: {text!r}") from None
