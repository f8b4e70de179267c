"""The feature packages that add their actions to the main window, installed in one place."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .main_window import MainWindow


def install_features(window: MainWindow) -> None:
    """导出月报 and the PDF forms (more features add their ``install`` here)."""
    from . import exports

    exports.install(window)
