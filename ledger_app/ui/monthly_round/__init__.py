"""The monthly round with the units (每月报) in the GUI: 文件 → 发送月报表… and 文件 → 收回月报表….

``install(window)`` adds both actions through the window's public hook (``add_action``; ui/menus.py places them); the work
runs in the services (Ledger.monthly.distribute, read_replies, collect_replies) on the worker thread.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .remind import remind_action
from .review_dialog import ReviewDialog, collect_replies_action
from .send_dialog import SendDialog, send_sheets_action

if TYPE_CHECKING:
    from ledger_app.ui.main_window import MainWindow

__all__ = ["ReviewDialog", "SendDialog", "install"]


def install(window: MainWindow) -> None:
    window.add_action(
        "send_unit_sheets",
        "发送月报表…",
        lambda: send_sheets_action(window),
        tip="给各单位生成本单位未完成任务的月报填报表(每个单位一个 Excel 文件)",
    )
    window.add_action(
        "collect_unit_sheets",
        "收回月报表…",
        lambda: collect_replies_action(window),
        tip="读取各单位交回的月报表,逐单位、逐项核对后导入整改进展",
    )
    window.add_action(
        "remind_units",
        "月报表催报…",
        lambda: remind_action(window),
        tip="列出某月未交回月报表的单位,一步给它们各生成一份催报提醒函",
    )
