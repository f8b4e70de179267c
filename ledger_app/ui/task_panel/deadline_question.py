"""The question asked when a clerk types a 整改时限 the ledger cannot read over one it could.

The service refuses it (UnreadableDeadlineError) and keeps the readable deadline; only the clerk's
explicit choice makes the task 时限不明. The safe answer (keep the date) is the default button, so a
stray Enter never hides an overdue task.
"""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget

from ledger_app.domain.errors import UnreadableDeadlineError

KEEP_TEXT = "保留原时限"
UNKNOWN_TEXT = "改为时限不明"


def question_text(error: UnreadableDeadlineError) -> str:
    return f"无法识别的整改时限「{error.text}」。\n保留原时限 {error.previous},还是改为时限不明?"


def build_question(parent: QWidget | None, error: UnreadableDeadlineError) -> QMessageBox:
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle("整改时限")
    box.setText(question_text(error))
    box.setInformativeText("改为时限不明后,该任务不再显示为序时推进,在列表和月报中标为“时限不明”。")
    keep = box.addButton(KEEP_TEXT, QMessageBox.ButtonRole.RejectRole)
    box.addButton(UNKNOWN_TEXT, QMessageBox.ButtonRole.AcceptRole)
    box.setDefaultButton(keep)
    box.setEscapeButton(keep)
    return box


def ask_make_unknown(parent: QWidget | None, error: UnreadableDeadlineError) -> bool:
    """True when the clerk chooses 改为时限不明; False keeps the previous deadline."""
    box = build_question(parent, error)
    box.exec()
    clicked = box.clickedButton()
    return clicked is not None and clicked.text() == UNKNOWN_TEXT
