"""Small pieces the task panel's tabs share: field helpers, unit-list and deadline editors, the tab base.

Forms come from Qt Designer files loaded with QUiLoader; apart from the app's one date entry
(ui/date_edit.DateEdit) they hold standard widgets, so the behaviour here is attached to them rather
than subclassing them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from datetime import date

from PySide6.QtCore import QEvent, QModelIndex, QObject, QStringListModel, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QSpinBox,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from ledger_app.domain.deadlines import parse_deadline
from ledger_app.domain.errors import LedgerError, StaleEditError
from ledger_app.domain.model import ScheduleFlag, TaskStatus
from ledger_app.domain.records import TaskRecord
from ledger_app.services import Ledger
from ledger_app.ui.ask import confirm as confirm
from ledger_app.ui.date_edit import DateEdit  # re-exported: the tabs and the panel ask through it

STATUS_COLOURS = {
    TaskStatus.NOT_STARTED: "#7a7a7a",
    TaskStatus.IN_PROGRESS: "#1f6fc5",
    TaskStatus.COMPLETED: "#0f8a8a",
    TaskStatus.ACCEPTED: "#2e8b57",
    TaskStatus.PUBLIC_NOTICE: "#7b4fb5",
    TaskStatus.CLOSED: "#1b5e20",
}
SCHEDULE_COLOURS = {
    ScheduleFlag.ON_SCHEDULE: "#2e7d32",
    ScheduleFlag.DUE_SOON: "#e08600",
    ScheduleFlag.LAGGING: "#c62828",
    ScheduleFlag.LONG_TERM: "#1565c0",
    ScheduleFlag.UNKNOWN_DEADLINE: "#6a1b9a",
}
WARNING_COLOUR = "#d35400"  # orange: kept, but not understood
ERROR_COLOUR = "#c62828"
HINT_COLOUR = "#666666"

# What clerks put between unit names: the enumeration comma mostly, but any comma or semicolon.
_UNIT_SEPARATORS = re.compile(r"[、,，;；\n]+")
UNIT_JOINER = "、"
_UNIT_OPENING = "(（[【〔"
_UNIT_CLOSING = ")）]】〕"


def set_style(widget: QWidget, css: str) -> None:
    """Only when it changes: each setStyleSheet re-polishes the widget (~1 ms), and reloads are frequent."""
    if widget.styleSheet() != css:
        widget.setStyleSheet(css)


def badge(label: QLabel, text: str, colour: str) -> None:
    """A coloured pill (status, schedule flag): colour carries meaning at a glance, text says it."""
    label.setText(text)
    set_style(
        label,
        f"QLabel {{ background: {colour}; color: white; border-radius: 4px; padding: 2px 8px; font-weight: bold; }}",
    )
    label.setVisible(bool(text))


def hint(label: QLabel, text: str, colour: str = HINT_COLOUR) -> None:
    label.setText(text)
    set_style(label, f"QLabel {{ color: {colour}; }}")


def show_error(parent: QWidget | None, error: LedgerError, title: str = "无法保存") -> None:
    QMessageBox.warning(parent, title, error.message_zh)


# -- plain values in and out of standard widgets -------------------------------------------------
def text_of(widget: QWidget) -> str:
    if isinstance(widget, QPlainTextEdit):
        return widget.toPlainText()
    if isinstance(widget, QComboBox):
        return widget.currentText()
    if isinstance(widget, QLineEdit):
        return widget.text()
    raise TypeError(f"no text in {type(widget).__name__}")


def set_text(widget: QWidget, text: str) -> None:
    """Set only when different, so a reload never moves the cursor of the field being typed in."""
    if text_of(widget) == text:
        return
    if isinstance(widget, QPlainTextEdit):
        widget.setPlainText(text)
    elif isinstance(widget, QComboBox):
        widget.setCurrentText(text)
    elif isinstance(widget, QLineEdit):
        widget.setText(text)
        widget.setCursorPosition(0)


class _FocusOutFilter(QObject):
    left = Signal()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        # A focus change into the widget's own popup (completer, context menu) is not leaving it.
        if event.type() == QEvent.Type.FocusOut and event.reason() != Qt.FocusReason.PopupFocusReason:
            self.left.emit()
        return False


def on_leave(widget: QWidget, slot: Callable[[], None]) -> None:
    """Call ``slot`` when the clerk is done with a field: Enter or focus out (multi-line: focus out)."""
    if isinstance(widget, QLineEdit | QAbstractSpinBox):
        widget.editingFinished.connect(slot)  # DateEdit emits it for a day picked in its calendar too
        return
    if isinstance(widget, QComboBox):
        widget.activated.connect(lambda _index: slot())
        if widget.isEditable():
            widget.lineEdit().editingFinished.connect(slot)
        return
    watcher = _FocusOutFilter(widget)
    watcher.left.connect(slot)
    widget.installEventFilter(watcher)


# -- optional values in spin boxes and date edits -----------------------------------------------
def setup_optional_date(edit: DateEdit) -> None:
    edit.setOptional(True)  # empty shows 未填写 and means no date


def date_value(edit: DateEdit) -> date | None:
    """The field's day (None: empty); raises ValidationError saying why for text that names no day."""
    return edit.day()


def set_date(edit: DateEdit, value: date | None) -> None:
    edit.setDate(value)  # only when different: a reload never moves the cursor of the field typed in


def setup_percent(spin: QSpinBox) -> None:
    spin.setRange(-1, 100)
    spin.setSpecialValueText("未填")
    spin.setSuffix("%")
    spin.setValue(-1)


def percent_value(spin: QSpinBox) -> int | None:
    return None if spin.value() < 0 else spin.value()


def set_percent(spin: QSpinBox, value: int | None) -> None:
    wanted = -1 if value is None else value
    if spin.value() != wanted:
        spin.setValue(wanted)


# -- units --------------------------------------------------------------------------------------
def split_units(text: str) -> list[str]:
    """Names between separators, never split inside brackets: 各县(市、区)人民政府 is one unit."""
    parts: list[str] = []
    current: list[str] = []
    depth = 0
    for char in text:
        if char in _UNIT_OPENING:
            depth += 1
        elif char in _UNIT_CLOSING:
            depth = max(0, depth - 1)
        elif depth == 0 and _UNIT_SEPARATORS.match(char):
            parts.append("".join(current))
            current = []
            continue
        current.append(char)
    parts.append("".join(current))
    names = (" ".join(part.split()) for part in parts)
    return list(dict.fromkeys(name for name in names if name))


def join_units(names: Iterable[str]) -> str:
    return UNIT_JOINER.join(names)


class _UnitListCompleter(QCompleter):
    """Completes the name being typed after the last separator, keeping the names before it."""

    def splitPath(self, path: str) -> list[str]:  # noqa: N802 (Qt override)
        return [_UNIT_SEPARATORS.split(path)[-1].lstrip()]

    def pathFromIndex(self, index: QModelIndex) -> str:  # noqa: N802 (Qt override)
        typed = self.widget().text() if isinstance(self.widget(), QLineEdit) else ""
        done = split_units(typed)
        last = _UNIT_SEPARATORS.split(typed)[-1].strip()
        if done and done[-1] == last:
            done = done[:-1]
        return join_units([*done, index.data()])


class UnitListEditor(QObject):
    """A line edit holding "、"-separated unit names, completed from the unit directory.

    An optional hint label tells which names are not yet in the directory (they are added on save).
    """

    def __init__(self, edit: QLineEdit, hint_label: QLabel | None = None, default_hint: str = "") -> None:
        super().__init__(edit)
        self.edit = edit
        self.hint_label = hint_label
        self.default_hint = default_hint
        self._known: set[str] = set()
        self._model = QStringListModel(self)
        completer = _UnitListCompleter(self._model, self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)  # "生态" finds 区生态环境局
        edit.setCompleter(completer)
        edit.setPlaceholderText("多个单位用“、”分隔")
        edit.textEdited.connect(self._show_new_names)
        edit.editingFinished.connect(self.reset_hint)

    def set_directory(self, names: Iterable[str]) -> None:
        names = list(names)
        if names != self._model.stringList():  # resetting the model closes an open completion list
            self._known = set(names)
            self._model.setStringList(names)

    def units(self) -> list[str]:
        return split_units(self.edit.text())

    def set_units(self, names: Iterable[str]) -> None:
        set_text(self.edit, join_units(names))

    def _show_new_names(self) -> None:
        if self.hint_label is None:
            return
        # The name still being typed is not "new" yet: only the finished ones before it count.
        finished = self.units()[:-1] if not _UNIT_SEPARATORS.search(self.edit.text()[-1:]) else self.units()
        new = [name for name in finished if name not in self._known]
        if new:
            hint(self.hint_label, f"新单位(保存时加入单位名录):{join_units(new)}", WARNING_COLOUR)
        else:
            self.reset_hint()

    def reset_hint(self) -> None:
        if self.hint_label is not None:
            hint(self.hint_label, self.default_hint)


class DeadlineEditor(QObject):
    """A line edit for 整改时限 as offices write it, parsed as you type; the label shows what was understood."""

    def __init__(self, edit: QLineEdit, understood_label: QLabel) -> None:
        super().__init__(edit)
        self.edit = edit
        self.label = understood_label
        edit.setPlaceholderText("如:2026年6月底前、立行立改")
        edit.textChanged.connect(self._show_understood)
        self._show_understood(edit.text())

    def text(self) -> str:
        return self.edit.text().strip()

    def set_text(self, text: str) -> None:
        set_text(self.edit, text)
        self._show_understood(self.edit.text())

    def _show_understood(self, text: str) -> None:
        deadline = parse_deadline(text)
        if deadline.understood:
            hint(self.label, f"识别为:{deadline.describe()}")
        else:
            hint(self.label, deadline.describe(), WARNING_COLOUR)


def fit_rows(table: QTableWidget) -> None:
    """Keep wrapped rows as tall as their text, also after the columns are resized (small tables only)."""
    timer = QTimer(table)
    timer.setSingleShot(True)
    timer.setInterval(0)
    timer.timeout.connect(table.resizeRowsToContents)
    table.horizontalHeader().sectionResized.connect(lambda *_args: timer.start())
    table.model().modelReset.connect(timer.start)
    table.model().rowsInserted.connect(timer.start)


# -- dialogs and the tab base -------------------------------------------------------------------
class FieldsDialog(QDialog):
    """A small dialog around a fields form; it closes only when ``submit`` succeeds."""

    def __init__(
        self, parent: QWidget, title: str, fields: QWidget, submit: Callable[[], bool], ok_text: str = "添加"
    ) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setWindowTitle(title)
        self.fields = fields
        self._submit = submit
        layout = QVBoxLayout(self)
        layout.addWidget(fields)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(ok_text)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.resize(640, self.sizeHint().height())

    def accept(self) -> None:
        if self._submit():
            super().accept()


class TaskTab(QWidget):
    """One tab of the task panel: shows a TaskRecord and commits the clerk's edits through the Ledger.

    ``committed`` carries a short status-bar message after a successful edit; the panel then reloads
    the record into every tab and tells the task list.
    """

    committed = Signal(str)

    def __init__(self, ledger: Ledger, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ledger = ledger
        self.record: TaskRecord | None = None
        # The unit directory's names, for completion; the panel reads it once per reload.
        self.unit_names: list[str] = []

    @property
    def task_id(self) -> int | None:
        return self.record.id if self.record is not None else None

    def set_ledger(self, ledger: Ledger) -> None:
        self.ledger = ledger
        self.record = None

    def load(self, record: TaskRecord | None) -> None:
        """Show ``record`` (None: nothing selected). Subclasses fill their widgets."""
        self.record = record

    def flush(self) -> None:
        """Commit any edit still sitting in a field (before switching task or closing)."""

    def attempt(
        self, action: Callable[[], object], message: str, on_refused: Callable[[], None] | None = None
    ) -> bool:
        """Run one ledger action; a refusal restores the stored values first, then says why."""
        try:
            action()
        except StaleEditError as error:
            # Another program changed this meanwhile: reload from the ledger (an empty message), so
            # the fresh value is what the clerk sees behind the explanation, not their stale copy.
            self.committed.emit("")
            show_error(self, error)
            return False
        except LedgerError as error:
            if on_refused is not None:
                on_refused()
            show_error(self, error)
            return False
        self.committed.emit(message)
        return True
