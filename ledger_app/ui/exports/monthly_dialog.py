"""文件 → 导出月报…: pick the month (the one just ended by default), the round, optionally only the
tasks the list shows; choose the file; the workbook is written in a worker with progress and 取消."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QComboBox, QDateEdit, QDialogButtonBox, QLabel, QWidget

from ledger_app.domain.errors import CancelledError
from ledger_app.domain.progress import CancelFn, ProgressFn
from ledger_app.services import Ledger
from ledger_app.services.reports import previous_month
from ledger_app.ui.dialogs.base import FormDialog
from ledger_app.ui.errors import show_error
from ledger_app.ui.overview.charts import save_charts
from ledger_app.ui.workers import run_task

from .common import (
    XLSX_FILTER,
    ResultBox,
    ask_save_path,
    month_of,
    month_text,
    safe_file_name,
    setup_month_edit,
)

if TYPE_CHECKING:
    from ledger_app.ui.main_window import CurrentView, MainWindow

ALL_ROUNDS = "全部督察批次"
ROUND_ID_ROLE = Qt.ItemDataRole.UserRole + 1  # the combo's data is the round name; its id for counting


@dataclass(frozen=True, slots=True)
class MonthlyExportChoice:
    year: int
    month: int
    round_name: str | None
    task_ids: list[int] | None  # None: every task (of the round)
    out: Path


class MonthlyExportDialog(FormDialog):
    """Asks what to export and where; ``choice`` is set when the clerk pressed 导出… and chose a file."""

    def __init__(
        self,
        ledger: Ledger,
        parent: QWidget | None = None,
        *,
        view: CurrentView | None = None,
        today: date | None = None,
    ) -> None:
        super().__init__("monthly_export_dialog", "导出月报", parent)
        self.ledger = ledger
        self.choice: MonthlyExportChoice | None = None
        self._visible = list(view.task_ids) if view is not None else None
        rows = ledger.queries.list_tasks()
        self._round_of = {row.id: row.round_id for row in rows}
        self._organisation = ledger.settings.current().organisation

        self.month_edit = self.child(QDateEdit, "monthEdit")
        self.round_combo = self.child(QComboBox, "roundCombo")
        self.only_filter = self.child(QCheckBox, "onlyFilterCheck")
        self.count_label = self.child(QLabel, "countLabel")
        buttons = self.child(QDialogButtonBox, "buttonBox")
        self.export_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.export_button.setText("导出…")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)

        setup_month_edit(self.month_edit, *previous_month(today or date.today()))
        self.round_combo.addItem(ALL_ROUNDS, None)
        for info in ledger.directory.list_rounds():
            self.round_combo.addItem(f"{info.name}({info.task_count} 项)", info.name)
            self.round_combo.setItemData(self.round_combo.count() - 1, info.id, ROUND_ID_ROLE)
        if self._visible is None:
            self.only_filter.setEnabled(False)
        else:
            self.only_filter.setText(f"只导出当前列表筛选出的任务({len(self._visible)} 项)")
        self.round_combo.currentIndexChanged.connect(lambda _i: self._update_count())
        self.only_filter.toggled.connect(lambda _on: self._update_count())
        self._update_count()
        self.resize(max(self.sizeHint().width(), 480), self.sizeHint().height())

    def _round_id(self) -> int | None:
        return self.round_combo.currentData(ROUND_ID_ROLE)

    def task_ids(self) -> list[int] | None:
        return list(self._visible) if self.only_filter.isChecked() and self._visible is not None else None

    def task_count(self) -> int:
        round_id = self._round_id()
        ids = self.task_ids()
        pool = ids if ids is not None else list(self._round_of)
        return sum(1 for i in pool if round_id is None or self._round_of.get(i) == round_id)

    def _update_count(self) -> None:
        count = self.task_count()
        if count:
            self.count_label.setText(f"将导出 {count} 项任务。")
        else:
            self.count_label.setText("没有符合条件的任务:月报中只有表头和统计表。")

    def default_file_name(self) -> str:
        year, month = month_of(self.month_edit)
        return safe_file_name(f"{self._organisation}{month_text(year, month)}整改台账", ".xlsx")

    def accept(self) -> None:
        out = ask_save_path(self, "导出月报", self.default_file_name(), XLSX_FILTER, ".xlsx")
        if out is None:
            return  # the clerk closed the file dialog: stay here
        year, month = month_of(self.month_edit)
        self.choice = MonthlyExportChoice(year, month, self.round_combo.currentData(), self.task_ids(), out)
        super().accept()


def export_monthly(window: MainWindow, *, today: date | None = None) -> None:
    """The 导出月报… action: ask, write in a worker, then offer to open the file or its folder."""
    ledger = window.ledger
    if ledger is None:
        return
    dialog = MonthlyExportDialog(ledger, window, view=window.current_filter(), today=today)
    if not dialog.exec() or dialog.choice is None:
        return
    choice = dialog.choice

    def work(progress: ProgressFn, cancelled: CancelFn) -> list[str]:
        return ledger.reports.export_monthly_report(
            choice.out,
            year=choice.year,
            month=choice.month,
            round_name=choice.round_name,
            task_ids=choice.task_ids,
            progress=progress,
            cancelled=cancelled,
            chart_images=save_charts,  # the 挂图作战 charts go into the 统计 sheet
        )

    def done(warnings: list[str]) -> None:
        box = ResultBox(
            window,
            "导出月报",
            f"已导出{month_text(choice.year, choice.month)}月报:\n{choice.out}",
            choice.out,
            warnings=warnings,
        )
        box.open()

    def failed(exc: BaseException) -> None:
        if isinstance(exc, CancelledError):
            window.statusBar().showMessage("已取消导出月报,没有生成文件。", 8000)
        else:
            show_error(window, exc, "无法导出月报")

    run_task(window, work, on_done=done, on_error=failed, progress_title="正在导出月报…")
