"""The feature packages that add their actions to the main window, installed in one place."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .main_window import MainWindow


def install_features(window: MainWindow) -> None:
    """导出月报 and the PDF forms; the Excel import wizard (and workbooks dropped on the window);
    the evidence actions (zip, store check) and files dropped on a task row."""
    from . import exports, import_wizard
    from .attachments.evidence_actions import install as install_evidence_actions

    exports.install(window)
    import_wizard.install(window)
    install_evidence_actions(window)
