"""Loading Qt Designer forms (forms/*.ui) at run time with QUiLoader.

Run-time loading (not pyside6-uic) keeps one code path for source, tests and the PyInstaller
bundle, which ships forms/ as data: no generated modules to keep in step with their .ui files.
"""

from __future__ import annotations

from typing import TypeVar

from PySide6.QtCore import QFile, QIODevice, QObject
from PySide6.QtUiTools import QUiLoader
from PySide6.QtWidgets import QWidget

from ledger_app.resources import form_path
from ledger_app.ui.date_edit import DateEdit

W = TypeVar("W", bound=QObject)


class FormError(RuntimeError):
    """A form file is missing or broken: a packaging bug, not a user error."""


def form_child(root: QObject, kind: type[W], name: str) -> W:
    """The named child of a loaded form; a missing one is a broken form, not a user error."""
    found = root.findChild(kind, name)
    if found is None:
        raise FormError(f"form {root.objectName()!r} has no {kind.__name__} named {name!r}")
    return found


def load_form(name: str, parent: QWidget | None = None) -> QWidget:
    """Build the widget tree of ``forms/<name>.ui``; child widgets are reachable by objectName.

    Typical use inside a QWidget subclass::

        self.ui = load_form("task_dialog", self)
        layout = QVBoxLayout(self); layout.setContentsMargins(0, 0, 0, 0); layout.addWidget(self.ui)
        self.ui.findChild(QLineEdit, "seqEdit")
    """
    path = form_path(f"{name}.ui")
    file = QFile(str(path))
    if not file.open(QIODevice.OpenModeFlag.ReadOnly):
        raise FormError(f"form {path} cannot be opened: {file.errorString()}")
    loader = QUiLoader()
    # The app's own widgets a form may name as custom widgets (<customwidget> in the .ui).
    loader.registerCustomWidget(DateEdit)
    try:
        widget = loader.load(file, parent)
    finally:
        file.close()
    if widget is None:
        raise FormError(f"form {path} could not be loaded")
    return widget
