"""新建任务 (Ctrl+N): the few fields a task cannot exist without; the task panel takes the rest."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QWidget,
)

from ledger_app.domain.errors import LedgerError
from ledger_app.domain.model import ProblemKind
from ledger_app.services import Ledger
from ledger_app.ui.errors import show_error
from ledger_app.ui.task_panel.widgets import DeadlineEditor, UnitListEditor

from .base import FormDialog


class NewTaskDialog(FormDialog):
    """After ``exec()`` returns true, ``task_id`` is the new task."""

    def __init__(self, ledger: Ledger, parent: QWidget | None = None, *, round_id: int | None = None) -> None:
        super().__init__("new_task_dialog", "新建任务", parent)
        self.ledger = ledger
        self.task_id: int | None = None
        self.resize(560, 460)
        self.round_combo = self.child(QComboBox, "roundCombo")
        self.kind_combo = self.child(QComboBox, "kindCombo")
        self.seq_edit = self.child(QLineEdit, "seqEdit")
        self.description_edit = self.child(QPlainTextEdit, "descriptionEdit")
        self.lead_units_edit = self.child(QLineEdit, "leadUnitsEdit")
        self.deadline_edit = self.child(QLineEdit, "deadlineEdit")
        buttons = self.child(QDialogButtonBox, "buttonBox")
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("新建")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)

        for info in ledger.directory.list_rounds():
            self.round_combo.addItem(info.name, info.id)
        if round_id is not None:
            self.round_combo.setCurrentIndex(max(self.round_combo.findData(round_id), 0))
        elif self.round_combo.count():
            self.round_combo.setCurrentIndex(self.round_combo.count() - 1)  # the newest round
        for kind in ProblemKind:
            self.kind_combo.addItem(kind.label, kind)
        # Units with completion from the directory, deadline read back as understood: the panel's editors.
        self.units = UnitListEditor(
            self.lead_units_edit,
            self.child(QLabel, "leadUnitsHint"),
            "输入单位名称的一部分可从单位名录中选择。",
        )
        self.units.set_directory(u.name for u in ledger.directory.list_units())
        self.deadline = DeadlineEditor(self.deadline_edit, self.child(QLabel, "deadlineHint"))
        self.round_combo.currentIndexChanged.connect(self._suggest_seq)
        self.kind_combo.currentIndexChanged.connect(self._suggest_seq)
        self._suggest_seq()
        self.description_edit.setFocus()

    def _suggest_seq(self, *_args: object) -> None:
        round_id = self.round_combo.currentData()
        if round_id is not None:
            self.seq_edit.setPlaceholderText(f"自动:{self.ledger.tasks.next_seq(round_id, self.kind())}")

    def kind(self) -> ProblemKind:
        # The combo hands a StrEnum back as its plain string value.
        return ProblemKind(self.kind_combo.currentData())

    def accept(self) -> None:
        description = self.description_edit.toPlainText().strip()
        units = self.units.units()
        missing = []
        if not description:
            missing.append("问题描述")
        if not units:
            missing.append("牵头单位")
        if missing:
            QMessageBox.warning(self, "新建任务", f"请填写{'和'.join(missing)}。")
            return
        try:
            self.task_id = self.ledger.tasks.create_task(
                round_id=self.round_combo.currentData(),
                kind=self.kind(),
                description=description,
                seq=self.seq_edit.text().strip() or None,
                deadline=self.deadline.text(),
                lead_units=units,
            )
        except LedgerError as exc:
            show_error(self, exc, "无法新建任务")
            return
        super().accept()
