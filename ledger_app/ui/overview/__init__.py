"""挂图作战 (the overview page) beside the task list, and 文件 → 导出整改落实情况报告….

``install(window)`` puts the list (the window's splitter) and the overview in two tabs, using only the
window's public parts (``central``, ``splitter``, ``model``, ``filter_bar``, ``rowsLoaded``), so
main_window.py is not edited for it. A click on a figure, a unit or a bar shows the list tab filtered
to exactly those tasks (``FilterBar.show_task_ids``).
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QFileDialog, QMessageBox, QTabWidget, QWidget

from ledger_app.domain.ranking import REMINDER_RULE, reminder_plan
from ledger_app.ui.errors import show_error
from ledger_app.ui.exports.common import ResultBox
from ledger_app.ui.forms import form_child
from ledger_app.ui.workers import run_task

from .page import OverviewPage

if TYPE_CHECKING:
    from ledger_app.ui.main_window import MainWindow

log = logging.getLogger(__name__)

LIST_TAB, OVERVIEW_TAB = 0, 1


@dataclass(eq=False)  # no slots: Qt connects to its methods through weak references
class OverviewTab:
    window: MainWindow
    tabs: QTabWidget
    page: OverviewPage

    def refresh(self) -> None:
        """Recompute from the rows the list holds (no second read of every task), when it is in view."""
        window = self.window
        if window.ledger is None or self.tabs.currentIndex() != OVERVIEW_TAB:
            return
        combo = window.filter_bar.round_combo
        self.page.set_rounds([(combo.itemData(i), combo.itemText(i)) for i in range(1, combo.count())])
        started = time.perf_counter()
        try:
            overview = window.ledger.overview.build(
                round_id=self.page.round_id(), today=self.page.today(), rows=window.model.rows
            )
        except Exception as exc:  # shown to the clerk (and logged) by show_error
            show_error(window, exc, "无法统计台账")
            return
        self.page.show_overview(overview, time.perf_counter() - started)
        log.debug("overview refreshed in %.3f s", self.page.refresh_seconds())

    def show_tasks(self, task_ids: list[int], label: str) -> None:
        self.window.filter_bar.show_task_ids(task_ids, label)
        self.tabs.setCurrentIndex(LIST_TAB)

    def send_reminders(self, *, folder: Path | None = None) -> None:
        """一键发督办单/提醒函: say to whom, ask for a folder, issue them in a worker, refresh."""
        window, overview = self.window, self.page.overview
        ledger = window.ledger
        if ledger is None or overview is None:
            return
        plan = reminder_plan(overview.ranking)
        if not plan:
            QMessageBox.information(window, "发督办单/提醒函", "没有滞后或临期的任务,无需发督办单或提醒函。")
            return
        listing = "\n".join(f"{kind.label}:{unit}" for unit, kind in plan)
        asked = QMessageBox.question(
            window,
            "一键发督办单/提醒函",
            f"将按今天的进度生成并编号 {len(plan)} 份文书:\n\n{listing}\n\n{REMINDER_RULE}\n\n继续吗?",
        )
        if asked != QMessageBox.StandardButton.Yes:
            return
        if folder is None:
            chosen = QFileDialog.getExistingDirectory(window, "督办单/提醒函保存到")
            if not chosen:
                return
            folder = Path(chosen)
        round_name = overview.round_name
        target = folder

        def work(progress: Any, cancelled: Any) -> list[Any]:
            return ledger.overview.issue_reminders(
                target, round_name=round_name, progress=progress, cancelled=cancelled
            )

        def done(issued: list[Any]) -> None:
            lines = "\n".join(f"{n.number}:{n.unit}({n.task_count} 项)" for n in issued)
            ResultBox(window, "一键发督办单/提醒函", f"已生成 {len(issued)} 份:\n{lines}", target).open()
            window.refresh()

        run_task(
            window,
            work,
            on_done=done,
            on_error=lambda exc: show_error(window, exc, "无法生成督办单/提醒函"),
            progress_title="正在生成督办单/提醒函…",
        )

    def tab_changed(self, index: int) -> None:
        # The filter bar filters the list; above the overview it would only confuse.
        form_child(self.window.central, QWidget, "filterBarHost").setVisible(index == LIST_TAB)
        self.refresh()


def install(window: MainWindow) -> OverviewTab:
    layout = window.central.layout()
    tabs = QTabWidget(window.central)
    tabs.setObjectName("mainTabs")
    tabs.setDocumentMode(True)
    layout.replaceWidget(window.splitter, tabs)
    tabs.addTab(window.splitter, "任务列表")
    page = OverviewPage(tabs)
    tabs.addTab(page, "挂图作战")
    tabs.setTabToolTip(OVERVIEW_TAB, "总体情况、红黄绿榜和图表;点击数字、单位或图中的条形查看对应任务")
    tab = OverviewTab(window, tabs, page)
    tabs.currentChanged.connect(tab.tab_changed)
    page.filterRequested.connect(tab.show_tasks)
    page.roundChanged.connect(tab.refresh)
    page.reminders_button.clicked.connect(lambda _checked=False: tab.send_reminders())
    window.rowsLoaded.connect(tab.refresh)
    window.overview_tab = tab  # type: ignore[attr-defined]

    from .report_dialog import export_progress_report

    window.add_action(
        "export_progress_report",
        "导出整改落实情况报告…",
        lambda: export_progress_report(window),
        tip="按督察批次和日期生成整改落实情况报告(Word)",
    )
    return tab
