"""导入Excel台账: the wizard, its menu action (文件 → 导入Excel台账…, Ctrl+I) and workbook drops.

At start-up, after the main window is made: ``install(window)``. It needs nothing else from the
window than its public hooks (``add_action``, ``ledger``, ``refresh``), and takes
dropped workbooks through an event filter, so main_window.py is not edited for it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QMimeData, QObject
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QMessageBox, QWidget

from ledger_app.ui.main_actions import action_icon

from .file_page import WORKBOOK_SUFFIXES
from .wizard import ImportWizard

__all__ = ["ImportLauncher", "ImportWizard", "install", "workbook_in"]

ACTION_TEXT = "导入Excel台账…"


def workbook_in(mime: QMimeData) -> Path | None:
    """The first local .xlsx/.xlsm/.xls file among dropped URLs (None: not a drop for us)."""
    if not mime.hasUrls():
        return None
    for url in mime.urls():
        if url.isLocalFile():
            path = Path(url.toLocalFile())
            if path.suffix.lower() in WORKBOOK_SUFFIXES:
                return path
    return None


class ImportLauncher(QObject):
    """Opens the wizard on the window's ledger; ``wizard`` is the open one (None when none is)."""

    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self.window = window
        self.wizard: ImportWizard | None = None
        self.action = window.add_action(
            "import_excel",
            ACTION_TEXT,
            self.open_wizard,
            "Ctrl+I",
            tip="从各单位已有的Excel台账导入任务(也可以把Excel文件拖到窗口上)",
        )
        self.action.setIcon(action_icon("import-excel"))
        window.setAcceptDrops(True)
        window.installEventFilter(self)

    def open_wizard(self, path: Path | None = None) -> ImportWizard | None:
        window = self.window
        ledger = window.ledger
        if ledger is None:
            QMessageBox.information(window, "导入Excel台账", "请先打开或新建一个台账,再导入Excel。")
            return None
        if self.wizard is not None:
            self.wizard.raise_()
            self.wizard.activateWindow()
            if path is not None and not self.wizard.busy and self.wizard.currentId() == 0:
                self.wizard.file_page.set_path(path)
            return self.wizard
        wizard = ImportWizard(ledger, window, path=path)
        wizard.imported.connect(self._imported)
        wizard.finished.connect(lambda _code, w=wizard: self._closed(w))
        self.wizard = wizard
        wizard.open()  # window-modal, without a nested event loop (it may start from a drop)
        return wizard

    def _closed(self, wizard: ImportWizard) -> None:
        if self.wizard is wizard:
            self.wizard = None

    def _imported(self, result: Any) -> None:
        window = self.window
        # refresh() also re-reads the task shown in the panel, which the import may have changed.
        window.refresh()
        window.statusBar().showMessage(
            f"已从Excel导入:新增 {len(result.created)} 项,更新 {len(result.changed)} 项。", 10000
        )

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        if watched is self.window and isinstance(event, QDropEvent):
            # QDragEnterEvent and QDragMoveEvent are QDropEvents too.
            path = workbook_in(event.mimeData())
            if path is None:
                return False
            event.acceptProposedAction()
            if event.type() == QEvent.Type.Drop:
                self.open_wizard(path)
            return True
        return False


def install(window: QWidget) -> ImportLauncher:
    """Add 文件 → 导入Excel台账… (Ctrl+I, also on the toolbar) and accept workbooks dropped on ``window``."""
    launcher = ImportLauncher(window)
    # Keep the Python side of the event filter alive as long as the window.
    window._import_launcher = launcher  # type: ignore[attr-defined]
    return launcher
