"""The feature packages that add their actions to the main window, installed in one place."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .main_window import MainWindow


def install_features(window: MainWindow) -> None:
    """导出月报 and the PDF forms, the Excel import wizard (and workbooks dropped on the window)."""
    from . import exports, import_wizard

    exports.install(window)
    import_wizard.install(window)
