"""A dialog whose body is a Qt Designer form (forms/<name>.ui), with its widgets found by objectName."""

from __future__ import annotations

from datetime import date
from typing import TypeVar

from PySide6.QtWidgets import QDialog, QHeaderView, QTableView, QVBoxLayout, QWidget

from ledger_app.domain.errors import ValidationError
from ledger_app.ui.forms import form_child, load_form

W = TypeVar("W", bound=QWidget)


class FormDialog(QDialog):
    def __init__(self, form_name: str, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.form = load_form(form_name, self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.addWidget(self.form)

    def child(self, kind: type[W], name: str) -> W:
        return form_child(self.form, kind, name)


def compact_rows(table: QTableView) -> None:
    """One line of text per row, as in the main list (Qt's default rows are tall and uneven)."""
    header = table.verticalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    header.setDefaultSectionSize(table.fontMetrics().height() + 8)


def parse_day(text: str, what: str) -> date | None:
    """A date typed by a clerk: 2021-04-06, 2021/4/6, 2021.4.6 or 2021年4月6日; empty is None."""
    cleaned = text.strip()
    if not cleaned:
        return None
    for old in ("年", "月", "/", "."):
        cleaned = cleaned.replace(old, "-")
    cleaned = cleaned.replace("日", "").strip("-")
    parts = cleaned.split("-")
    try:
        if len(parts) != 3:
            raise ValueError(cleaned)
        return date(int(parts[0]), int(parts[1]), int(parts[2]))
    except ValueError:
        raise ValidationError(
            f"{what}“{text.strip()}”不是有效的日期,请写成 2025-09-01 这样的形式。",
            f"bad date for {what}: {text!r}",
        ) from None
