"""基本信息: every field of a task, each committed as soon as the clerk leaves it."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QRegularExpression
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import QComboBox, QFormLayout, QLabel, QLineEdit, QPlainTextEdit, QVBoxLayout, QWidget

from ledger_app.domain.errors import LedgerError, UnreadableDeadlineError
from ledger_app.domain.model import ProblemKind
from ledger_app.domain.records import TaskRecord
from ledger_app.services import Ledger
from ledger_app.ui.forms import form_child as child
from ledger_app.ui.forms import load_form

from . import deadline_question
from .widgets import (
    DeadlineEditor,
    TaskTab,
    UnitListEditor,
    on_leave,
    set_text,
    show_error,
    text_of,
)

# objectName → (update_task keyword, the field's name in the status bar). The keyword is also the
# TaskRecord attribute holding the stored value.
TEXT_FIELDS: dict[str, tuple[str, str]] = {
    "seqEdit": ("seq", "序号"),
    "batchEdit": ("batch", "交办批次"),
    "caseNoEdit": ("case_no", "受理编号"),
    "descriptionEdit": ("description", "问题描述"),
    "leaderEdit": ("leader", "责任领导"),
    "contactEdit": ("contact", "责任人"),
    "phoneEdit": ("contact_phone", "联系电话"),
    "goalEdit": ("goal", "整改目标"),
    "noteEdit": ("note", "备注"),
}
UNIT_FIELDS: dict[str, tuple[str, str]] = {
    "leadUnitsEdit": ("lead_units", "牵头单位"),
    "responsibleUnitsEdit": ("responsible_units", "责任单位"),
    "cooperatingUnitsEdit": ("cooperating_units", "配合单位"),
    "supervisingUnitsEdit": ("supervising_units", "督导单位"),
}
UNITS_HINT = "多个单位用“、”分隔;输入单位名称的一部分即可从单位名录中选择。"
# Phone numbers as offices write them: 0571-87654321, 138 0000 1111, 87654321转8001, two numbers with 、.
PHONE_PATTERN = QRegularExpression(r"[0-9０-９+\-－—() （）、,，;；/转]*")


class BasicTab(TaskTab):
    def __init__(self, ledger: Ledger, parent: QWidget | None = None) -> None:
        super().__init__(ledger, parent)
        self.form = load_form("task_basic", self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.form)

        self.round_combo = child(self.form, QComboBox, "roundCombo")
        self.kind_combo = child(self.form, QComboBox, "kindCombo")
        for kind in ProblemKind:
            self.kind_combo.addItem(kind.label, kind.value)
        self.round_combo.activated.connect(lambda _i: self._commit_round())
        self.kind_combo.activated.connect(lambda _i: self._commit_kind())

        self.text_edits: dict[str, QLineEdit | QPlainTextEdit] = {}
        for name, (key, label) in TEXT_FIELDS.items():
            widget = self.form.findChild(QLineEdit, name) or child(self.form, QPlainTextEdit, name)
            self.text_edits[key] = widget
            on_leave(widget, self._text_committer(key, label))
        phone = self.text_edits["contact_phone"]
        assert isinstance(phone, QLineEdit)
        phone.setValidator(QRegularExpressionValidator(PHONE_PATTERN, phone))

        hint_label = child(self.form, QLabel, "unitsHintLabel")
        self.unit_editors: dict[str, UnitListEditor] = {}
        for name, (key, label) in UNIT_FIELDS.items():
            editor = UnitListEditor(child(self.form, QLineEdit, name), hint_label, UNITS_HINT)
            self.unit_editors[key] = editor
            on_leave(editor.edit, self._units_committer(key, label))
        editor.reset_hint()

        self.deadline = DeadlineEditor(
            child(self.form, QLineEdit, "deadlineEdit"), child(self.form, QLabel, "deadlineHintLabel")
        )
        on_leave(self.deadline.edit, self._commit_deadline)
        self._asking_deadline = False  # the question's dialog takes the focus: no second commit meanwhile
        self.petition_row = child(self.form, QWidget, "petitionRow")
        self.form_layout = child(self.form, QFormLayout, "formLayout")

    # -- showing ------------------------------------------------------------------------------
    def set_ledger(self, ledger: Ledger) -> None:
        super().set_ledger(ledger)
        self.round_combo.clear()

    def load(self, record: TaskRecord | None) -> None:
        super().load(record)
        if record is None:
            return
        self._fill_rounds(record.round_name)
        self.kind_combo.setCurrentIndex(self.kind_combo.findData(record.kind.value))
        self.form_layout.setRowVisible(self.petition_row, record.kind is ProblemKind.PETITION)
        for key, widget in self.text_edits.items():
            set_text(widget, getattr(record, key))
        for key, editor in self.unit_editors.items():
            editor.set_directory(self.unit_names)
            editor.set_units(getattr(record, key))
        self.deadline.set_text(record.deadline.text)

    def _fill_rounds(self, current: str) -> None:
        rounds = [(name, round_id) for round_id, name in self.ledger.directory.round_choices()]
        shown = [
            (self.round_combo.itemText(i), self.round_combo.itemData(i))
            for i in range(self.round_combo.count())
        ]
        if rounds != shown:
            self.round_combo.clear()
            for name, round_id in rounds:
                self.round_combo.addItem(name, round_id)
        self.round_combo.setCurrentIndex(self.round_combo.findText(current))

    # -- committing ---------------------------------------------------------------------------
    def _restore(self) -> None:
        self.load(self.record)

    def _commit(self, label: str, **change: object) -> None:
        if self.record is None:
            return
        task_id = self.record.id
        assert task_id is not None
        # What the clerk saw: another program's change meanwhile refuses this edit (no lost update).
        # (The record names its round but has no id: a round move is not compared.)
        expected = {key: self._shown(key) for key in change if key != "round_id"}
        self.attempt(
            lambda: self.ledger.tasks.update_task(task_id, expected=expected, **change),
            f"已保存:{label}",
            self._restore,
        )

    def _shown(self, key: str) -> object:
        assert self.record is not None
        if key == "deadline":
            return self.record.deadline.text
        return getattr(self.record, key)

    def _text_committer(self, key: str, label: str) -> Callable[[], None]:
        def commit() -> None:
            if self.record is None:
                return
            value = text_of(self.text_edits[key])
            # Compared stripped, as the ledger stores it: a trailing space is not an edit.
            if value.strip() != str(getattr(self.record, key)).strip():
                self._commit(label, **{key: value})

        return commit

    def _units_committer(self, key: str, label: str) -> Callable[[], None]:
        def commit() -> None:
            if self.record is None:
                return
            units = self.unit_editors[key].units()
            if units != getattr(self.record, key):
                self._commit(label, **{key: units})
            else:  # tidy what was typed ("A,B" → "A、B") even when nothing changed
                self.unit_editors[key].set_units(units)

        return commit

    def _commit_deadline(self) -> None:
        if self._asking_deadline or self.record is None or self.deadline.text() == self.record.deadline.text:
            return
        task_id = self.record.id
        assert task_id is not None
        text = self.deadline.text()
        expected = {"deadline": self.record.deadline.text}
        try:
            self.ledger.tasks.update_task(task_id, expected=expected, deadline=text)
        except UnreadableDeadlineError as error:
            self._asking_deadline = True
            try:
                make_unknown = deadline_question.ask_make_unknown(self, error)
            finally:
                self._asking_deadline = False
            if not make_unknown:  # nothing was saved: the field shows the kept deadline again
                self._restore()
                return
            self.attempt(
                lambda: self.ledger.tasks.update_task(
                    task_id, expected=expected, deadline=text, confirm_unknown_deadline=True
                ),
                "已保存:整改时限(时限不明)",
                self._restore,
            )
            return
        except LedgerError as error:
            self._restore()
            show_error(self, error)
            return
        self.committed.emit("已保存:整改时限")

    def _commit_round(self) -> None:
        round_id = self.round_combo.currentData()
        if (
            self.record is not None
            and round_id is not None
            and self.round_combo.currentText() != self.record.round_name
        ):
            self._commit("督察批次", round_id=round_id)

    def _commit_kind(self) -> None:
        kind = self.kind_combo.currentData()
        if self.record is not None and kind is not None and kind != self.record.kind.value:
            self._commit("问题类型", kind=kind)

    def flush(self) -> None:
        if self.record is None:
            return
        for key, label in TEXT_FIELDS.values():
            self._text_committer(key, label)()
        for key, label in UNIT_FIELDS.values():
            self._units_committer(key, label)()
        self._commit_deadline()
