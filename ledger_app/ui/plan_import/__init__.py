"""导入整改方案: the dialog and its menu action (文件 → 导入整改方案…).

``install(window)`` at start-up (ui/features.py); it uses only the window's public hooks
(``add_action``, ``ledger``, ``refresh``), so main_window.py is not edited for it.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QMessageBox, QWidget

from .dialog import PlanImportDialog

__all__ = ["PlanImportDialog", "PlanImportLauncher", "install"]

ACTION_TEXT = "导入整改方案…"


class PlanImportLauncher(QObject):
    """Opens the dialog on the window's ledger; ``dialog`` is the open one (None when none is)."""

    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self.window = window
        self.dialog: PlanImportDialog | None = None
        self.action = window.add_action(
            "import_plan",
            ACTION_TEXT,
            self.open_dialog,
            tip="读取整改方案或整改措施清单(Word或文本),核对后导入为台账任务",
        )

    def open_dialog(self) -> PlanImportDialog | None:
        window = self.window
        if window.ledger is None:
            QMessageBox.information(window, "导入整改方案", "请先打开或新建一个台账,再导入整改方案。")
            return None
        if self.dialog is not None:
            self.dialog.raise_()
            self.dialog.activateWindow()
            return self.dialog
        dialog = PlanImportDialog(window.ledger, window)
        dialog.imported.connect(self._imported)
        dialog.finished.connect(lambda _code, d=dialog: self._closed(d))
        self.dialog = dialog
        dialog.open()
        return dialog

    def _closed(self, dialog: PlanImportDialog) -> None:
        if self.dialog is dialog:
            self.dialog = None
        dialog.deleteLater()

    def _imported(self, result: Any) -> None:
        window = self.window
        window.refresh()
        window.statusBar().showMessage(
            f"已导入整改方案:新增 {len(result.created)} 项,更新 {len(result.changed)} 项。", 10000
        )


def install(window: QWidget) -> PlanImportLauncher:
    launcher = PlanImportLauncher(window)
    window._plan_import_launcher = launcher  # type: ignore[attr-defined]  # keep the Python side alive
    return launcher
