"""The feature packages that add their actions to the main window, installed in one place."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .main_window import MainWindow


def _exports(window: MainWindow) -> None:
    from . import exports  # 导出月报 and the PDF forms

    exports.install(window)


def _import_wizard(window: MainWindow) -> None:
    from . import import_wizard  # the Excel import wizard, and workbooks dropped on the window

    import_wizard.install(window)


def _plan_import(window: MainWindow) -> None:
    from . import plan_import  # 导入整改方案… (.txt / .docx)

    plan_import.install(window)


def _evidence(window: MainWindow) -> None:
    from .attachments.evidence_actions import install  # evidence zip, 检查台账, files dropped on a row

    install(window)


def _backups(window: MainWindow) -> None:
    from .backup_actions import install  # 备份与恢复…, automatic backups

    install(window)


def _overview(window: MainWindow) -> None:
    from .overview import install  # 挂图作战 tab; 导出整改落实情况报告…

    install(window)


def _monthly_round(window: MainWindow) -> None:
    from .monthly_round import install  # 发送月报表… / 收回月报表… / 月报表催报…

    install(window)


FEATURES: tuple[Callable[[MainWindow], None], ...] = (
    _exports,
    _import_wizard,
    _plan_import,
    _evidence,
    _backups,
    _overview,
    _monthly_round,
)


def install_features(window: MainWindow) -> None:
    """Every feature, now."""
    for install in FEATURES:
        install(window)


def install_features_after_first_paint(window: MainWindow) -> None:
    """Every feature right after the list's first paint, one per turn of the event loop."""
    from .first_paint import after_list_painted

    for install in FEATURES:
        after_list_painted(window, partial(install, window))
