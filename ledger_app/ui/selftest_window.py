"""``ledger-app --self-test --window``: the self-test for the Start menu, in a window.

Group policy in many offices disables cmd.exe, so the Start-menu shortcut cannot open a console to
show ``ledger-cli self-test``. This runs the same checks (ledger_app/selftest.py) with the real
platform plugin (starting the window is itself the first proof that the GUI can start) and shows
each line as it comes, with a copy button for the clerk to send the result to whoever maintains it.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
)

from ledger_app.selftest import CheckResult, run


class SelfTestWindow(QDialog):
    def __init__(self) -> None:
        super().__init__()
        self.setWindowTitle("整改台账 自检")
        self.resize(760, 460)
        layout = QVBoxLayout(self)
        self.status = QLabel("正在检查本机能否正常使用整改台账,请稍候……")
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        self.text = QPlainTextEdit()
        self.text.setReadOnly(True)
        layout.addWidget(self.text)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("关闭")
        self.copy_button = QPushButton("复制结果")
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.copy_button.clicked.connect(lambda: QGuiApplication.clipboard().setText(self.text.toPlainText()))
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def add(self, result: CheckResult) -> None:
        self.text.appendPlainText(result.line())
        QApplication.processEvents()  # the checks run here, one by one: show each as it finishes

    def finish(self, ok: bool, failed: int) -> None:
        if ok:
            self.status.setText("自检通过:本机可以正常使用整改台账。")
        else:
            self.status.setText(
                f"自检发现 {failed} 项问题(标有 ×)。请点“复制结果”,把内容发给负责安装维护的同事。"
            )
            self.status.setStyleSheet("QLabel { color: #c0392b; font-weight: bold; }")


def run_in_window(argv: Sequence[str], *, exec_dialog: bool = True) -> int:
    app = QApplication.instance() or QApplication(list(argv) or [sys.argv[0]])
    window = SelfTestWindow()
    window.show()
    app.processEvents()
    report = run(None, qt=True, emit=window.add)
    window.finish(report.ok, len(report.failed()))
    if exec_dialog:
        window.exec()
    return 0 if report.ok else 1
