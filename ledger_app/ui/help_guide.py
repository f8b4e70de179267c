"""帮助 → 使用说明 (F1): the offline user guide, an HTML page with screenshots under resources/guide/.

Clerks' PCs have no internet, so the guide ships inside the program and opens in a QTextBrowser;
links inside it (#sections) scroll the page, links to files outside it are not followed.
"""

from __future__ import annotations

from PySide6.QtCore import QUrl
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

from ledger_app.resources import resource_path
from ledger_app.ui.layout_fit import FitOnShow

TITLE = "整改台账 使用说明"
# The headings the guide must have (tests/test_ui_help_guide.py checks them against the page).
SECTIONS = (
    "一、开始使用",
    "二、导入Excel台账",
    "三、每月的工作",
    "四、任务销号",
    "五、备份与恢复",
    "六、常见问题",
)


def guide_path() -> str:
    return str(resource_path("guide", "guide.html"))


class GuideDialog(FitOnShow, QDialog):
    """Non-modal: the clerk reads the steps while doing them in the main window."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(TITLE)
        self.resize(900, 700)  # FitOnShow shrinks it on a small screen
        self.browser = QTextBrowser(self)
        self.browser.setOpenExternalLinks(False)
        self.browser.setOpenLinks(True)
        self.browser.setSearchPaths([str(resource_path("guide"))])
        self.browser.setSource(QUrl.fromLocalFile(guide_path()))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser)
        layout.addWidget(buttons)


_open: GuideDialog | None = None


def show_guide(parent: QWidget | None = None) -> GuideDialog:
    """Open the guide, or bring the open one to the front."""
    global _open
    if _open is None or not _open.isVisible():
        _open = GuideDialog(parent)
    _open.show()
    _open.raise_()
    _open.activateWindow()
    return _open
