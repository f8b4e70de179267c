"""How the GUI tells a clerk something went wrong: a LedgerError's Chinese message, or, for a bug,
a dialog with the details and a copy button (the traceback goes to the log, never to a console).

The error dialog is built in code, not from forms/: it must still work when loading forms is what broke.
"""

from __future__ import annotations

import logging
import traceback

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from ledger_app.domain.errors import CancelledError, LedgerError
from ledger_app.store.errors import storage_error

log = logging.getLogger(__name__)


def show_error(parent: QWidget | None, exc: BaseException, title: str = "无法完成操作") -> None:
    """A refused action shows its reason; anything else is a bug: log it and show the details."""
    if isinstance(exc, CancelledError):
        return
    known = storage_error(exc)  # a full disk, a pulled USB stick: words, not a bug report
    if known is not None:
        QMessageBox.warning(parent, title, known.message_zh)
        return
    details = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    log.error("unexpected error\n%s", details)
    ErrorDialog(parent, details).exec()


class ErrorDialog(QDialog):
    """程序出错: what happened in plain words, the details folded in a text box, 复制 for the IT helper."""

    def __init__(self, parent: QWidget | None, details: str) -> None:
        super().__init__(parent)
        self.setWindowTitle("程序出错")
        self.resize(640, 420)
        layout = QVBoxLayout(self)
        intro = QLabel(
            "程序遇到了一个意外错误。已保存的数据不受影响;刚才的操作可能没有完成。\n"
            "如果问题反复出现,请点击“复制错误信息”,把内容发给技术支持人员。"
        )
        intro.setWordWrap(True)
        icon = QLabel()
        icon.setPixmap(self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxCritical).pixmap(32, 32))
        layout.addWidget(icon)
        layout.addWidget(intro)
        self.details = QPlainTextEdit(details)
        self.details.setReadOnly(True)
        self.details.setObjectName("errorDetails")
        layout.addWidget(self.details, 1)
        buttons = QDialogButtonBox()
        self.copy_button = QPushButton("复制错误信息")
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        close = buttons.addButton("关闭", QDialogButtonBox.ButtonRole.AcceptRole)
        close.setDefault(True)
        buttons.accepted.connect(self.accept)
        # ActionRole buttons do not close the dialog: the clerk can copy, then read on.
        self.copy_button.clicked.connect(self._copy)
        layout.addWidget(buttons)

    def _copy(self) -> None:
        QGuiApplication.clipboard().setText(self.details.toPlainText())
        self.copy_button.setText("已复制")


def install_excepthook() -> None:
    """Uncaught exceptions (in slots, mostly) are logged and shown instead of killing the program."""
    import sys

    def hook(kind: type[BaseException], exc: BaseException, tb: object) -> None:
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, exc, tb)  # type: ignore[arg-type]
            return
        if isinstance(exc, LedgerError):
            log.warning("refused: %s", exc.one_line())
        if QApplication.instance() is None:
            log.critical("uncaught exception", exc_info=(kind, exc, tb))  # type: ignore[arg-type]
            sys.__excepthook__(kind, exc, tb)  # type: ignore[arg-type]
            return
        try:
            show_error(QApplication.activeWindow(), exc)  # logs the traceback of a bug
        except Exception:  # the dialog itself failed: the log has it, do not recurse
            log.exception("could not show the error dialog")

    sys.excepthook = hook
