"""The feature packages that add their actions to the main window, installed in one place."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .main_window import MainWindow


def install_features(window: MainWindow) -> None:
    """导出月报 and the PDF forms; the Excel import wizard (and workbooks dropped on the window);
    导入整改方案; the evidence actions (zip, store check) and files dropped on a task row; backups and restore."""
    from . import exports, import_wizard, plan_import
    from .attachments.evidence_actions import install as install_evidence_actions
    from .backup_actions import install as install_backup_actions

    exports.install(window)
    import_wizard.install(window)
    plan_import.install(window)  # 导入整改方案… (.txt / .docx)
    install_evidence_actions(window)
    install_backup_actions(window)
    from .overview import install as install_overview  # 挂图作战 tab; 导出整改落实情况报告…

    install_overview(window)
    from .monthly_round import install as install_monthly_round  # 发送月报表… / 收回月报表…

    install_monthly_round(window)
