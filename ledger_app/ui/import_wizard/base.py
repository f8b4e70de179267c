"""A wizard page whose body is a Qt Designer form (forms/import_*.ui), with its widgets found by name."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

from PySide6.QtWidgets import QVBoxLayout, QWidget, QWizardPage

from ledger_app.ui.forms import form_child, load_form

if TYPE_CHECKING:
    from .wizard import ImportWizard

W = TypeVar("W", bound=QWidget)

ERROR_STYLE = "color: #b3261e;"
OK_STYLE = "color: #1b5e20;"


class FormPage(QWizardPage):
    def __init__(self, form_name: str, title: str, subtitle: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(title)
        self.setSubTitle(subtitle)
        self.form = load_form(form_name, self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.form)

    def child(self, kind: type[W], name: str) -> W:
        return form_child(self.form, kind, name)

    @property
    def import_wizard(self) -> ImportWizard:
        wizard: Any = self.wizard()
        return wizard
