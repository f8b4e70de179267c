"""What goes out of the office: 导出月报 (Excel) and the PDF forms, with an in-app preview and printing.

At start-up, after the main window is made: ``install(window)``. It uses only the window's public hooks
(``add_action``, ``current_filter``, ``selected_task_ids``, ``ledger``, ``table``),
so main_window.py is not edited for it:

* 文件 → 导出月报… (Ctrl+E, also on the toolbar)
* 台账 → 打印销号审批表… / 生成销号评估报告… (also in the task list's context menu),
  本月销号任务批量打印…, 发督办单/提醒函…

Others may call ``print_signoff(parent, ledger, task_ids)``, ``evaluation_reports(parent, ledger, task_ids)``
and ``show_pdf(parent, path)`` directly (e.g. from the task panel's 验收销号 tab).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QStyle

from .forms_actions import batch_print, evaluation_reports, issue_notice, print_signoff, selected_tasks
from .monthly_dialog import export_monthly
from .pdf_preview import show_pdf

if TYPE_CHECKING:
    from ledger_app.ui.main_window import MainWindow

__all__ = ["ExportActions", "evaluation_reports", "install", "print_signoff", "show_pdf"]


@dataclass(frozen=True, slots=True)
class ExportActions:
    monthly: QAction
    signoff: QAction
    evaluation: QAction
    batch: QAction
    notice: QAction


def _signoff(window: MainWindow) -> None:
    ids = selected_tasks(window, "打印销号审批表")
    if ids and window.ledger is not None:
        print_signoff(window, window.ledger, ids)


def _evaluation(window: MainWindow) -> None:
    ids = selected_tasks(window, "生成销号评估报告")
    if ids and window.ledger is not None:
        evaluation_reports(window, window.ledger, ids)


def install(window: MainWindow) -> ExportActions:
    """Add the export and form actions to the window's menus, toolbar and list context menu."""
    monthly = window.add_action(
        "export_monthly",
        "导出月报…",
        lambda: export_monthly(window),
        "Ctrl+E",
        tip="导出某月的整改台账 Excel(默认上个月),可直接打印上报(Ctrl+E)",
    )
    monthly.setIcon(window.style().standardIcon(QStyle.StandardPixmap.SP_DialogSaveButton))
    signoff = window.add_action(
        "print_signoff",
        "打印销号审批表…",
        lambda: _signoff(window),
        tip="为选中的任务打印整改任务销号审批表(可先修改整改落实情况)",
    )
    evaluation = window.add_action(
        "evaluation_report",
        "生成销号评估报告…",
        lambda: _evaluation(window),
        tip="为选中的任务生成整改任务销号评估报告",
    )
    batch = window.add_action(
        "batch_print",
        "本月销号任务批量打印…",
        lambda: batch_print(window),
        tip="把某月销号的全部任务的审批表或评估报告合成一个 PDF,或每项一个文件",
    )
    notice = window.add_action(
        "unit_notice",
        "发督办单/提醒函…",
        lambda: issue_notice(window),
        tip="给有滞后或临期任务的单位发督办单或提醒函(自动编号)",
    )
    # The list's context menu shows the table's own actions (ui/list_menu.py orders them).
    separator = QAction(window.table)
    separator.setSeparator(True)
    window.table.addActions([separator, signoff, evaluation])
    return ExportActions(monthly, signoff, evaluation, batch, notice)
