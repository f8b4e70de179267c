"""文件 → 月报表催报…: who has not answered a month's sheet, and their 提醒函 in one step.

The month offered is the latest one sheets were sent for; the units still missing are listed before
anything is written, and the letters are made by the same service as ``ledger-cli collect --remind``.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox, QWidget

from ledger_app.ui.ask import confirm
from ledger_app.ui.workers import run_task

if TYPE_CHECKING:
    from ledger_app.services import Ledger
    from ledger_app.ui.main_window import MainWindow

TITLE = "月报表催报"


def sent_months(ledger: Ledger) -> list[str]:
    """Months sheets were sent for, newest first ("2026-11")."""
    return sorted({entry.month for entry in ledger.monthly.send_log()}, reverse=True)


def remind_action(window: MainWindow) -> None:
    ledger = window.ledger
    if ledger is None:
        return
    months = sent_months(ledger)
    if not months:
        QMessageBox.information(window, TITLE, "还没有发送过月报表(文件 → 发送月报表…)。")
        return
    chosen, ok = QInputDialog.getItem(window, TITLE, "月份:", months, 0, False)
    if not ok:
        return
    year, month = (int(part) for part in chosen.split("-"))
    missing = ledger.monthly.missing_replies((year, month))
    if not missing:
        QMessageBox.information(window, TITLE, f"{year}年{month}月的月报表都已收回。")
        return
    names = "、".join(s.unit for s in missing)
    if not confirm(
        window,
        TITLE,
        f"{year}年{month}月未交回月报表的单位({len(missing)} 个):{names}\n\n"
        "是否给这些单位各生成一份催报提醒函(编号登记)?",
    ):
        return
    folder = QFileDialog.getExistingDirectory(window, "提醒函保存到", str(ledger.path.parent))
    if folder:
        start_reminders(window, ledger, (year, month), Path(folder))


def start_reminders(window: QWidget, ledger: Ledger, month: tuple[int, int], folder: Path) -> None:
    def work(_progress, _cancelled):  # type: ignore[no-untyped-def]
        return ledger.monthly.remind_missing(month, folder)

    def done(issued) -> None:  # type: ignore[no-untyped-def]
        lines = [f"已生成催报提醒函 {len(issued)} 份,保存在:\n{folder}"]
        lines += [f"{n.number} {n.unit}({n.task_count} 项任务)" for n in issued[:15]]
        QMessageBox.information(window, TITLE, "\n".join(lines))

    run_task(window, work, on_done=done, progress_title="正在生成催报提醒函…")
