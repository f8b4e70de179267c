"""The PDF-form actions of the 台账 menu (and the list's context menu): sign-off forms and evaluation
reports for the selected tasks, the month's batch, and letters to units.

``print_signoff(parent, ledger, task_ids)`` and ``evaluation_reports(parent, ledger, task_ids)`` take no
window, so the task panel (验收销号 tab) can call them for the task it shows.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QMessageBox, QWidget

from ledger_app.domain.errors import CancelledError, LedgerError
from ledger_app.domain.progress import CancelFn, ProgressFn
from ledger_app.services import Ledger
from ledger_app.ui.errors import show_error
from ledger_app.ui.workers import run_task

from . import pdf_pages
from .batch_dialog import BatchChoice, BatchPrintDialog, per_task_names, write_per_task
from .common import (
    PDF_FILTER,
    ResultBox,
    ask_save_path,
    month_text,
    safe_file_name,
    task_summary,
    temp_pdf_path,
    write_in_worker,
)
from .notice_dialog import NoticeDialog
from .pdf_preview import show_pdf
from .signoff_dialog import SignoffDialog

if TYPE_CHECKING:
    from ledger_app.ui.main_window import MainWindow


def selected_tasks(window: MainWindow, what: str) -> list[int]:
    ids = window.selected_task_ids()
    if not ids:
        QMessageBox.information(
            window, what, f"请先在任务列表中选中要{what}的任务(可按住 Ctrl 或 Shift 多选)。"
        )
    return ids


def print_signoff(parent: QWidget, ledger: Ledger, task_ids: Sequence[int]) -> SignoffDialog | None:
    """The 销号审批表 dialog for these tasks (edit 整改落实情况, then preview, save or print)."""
    QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        records = ledger.records.task_records(task_ids)
    except LedgerError as exc:
        show_error(parent, exc, "无法打印销号审批表")
        return None
    finally:
        QGuiApplication.restoreOverrideCursor()
    if not records:
        QMessageBox.information(parent, "打印销号审批表", "选中的任务已不在台账中。")
        return None
    dialog = SignoffDialog(ledger, records, parent)
    dialog.exec()
    return dialog


def evaluation_reports(parent: QWidget, ledger: Ledger, task_ids: Sequence[int]) -> None:
    """销号评估报告 for these tasks, in one PDF: previewed in the app (save and print from there)."""
    ids = list(task_ids)
    rows = {row.id: row for row in ledger.queries.list_tasks() if row.id in set(ids)}
    if len(ids) == 1 and ids[0] in rows:
        row = rows[ids[0]]
        name = safe_file_name(f"销号评估报告-{row.seq}-{task_summary(row.description, 24)}", ".pdf")
    else:
        name = safe_file_name(f"销号评估报告({len(ids)}项)", ".pdf")
    if pdf_pages.AVAILABLE:
        out: Path | None = temp_pdf_path(name)
    else:  # no preview: save where the clerk says, then the system viewer shows it
        out = ask_save_path(parent, "保存销号评估报告", name, PDF_FILTER, ".pdf")
    if out is None:
        return
    target = out

    def work(progress: ProgressFn, cancelled: CancelFn) -> int:
        return ledger.forms.write_evaluation_reports(ids, target, progress=progress, cancelled=cancelled)

    write_in_worker(
        parent,
        work,
        progress_title="正在生成销号评估报告…",
        error_title="无法生成销号评估报告",
        on_done=lambda _count: show_pdf(parent, target, title="预览 - 销号评估报告", save_name=name),
    )


def batch_print(window: MainWindow, *, today: date | None = None) -> None:
    ledger = window.ledger
    if ledger is None:
        return
    dialog = BatchPrintDialog(ledger, window, today=today)
    if not dialog.exec() or dialog.choice is None:
        return
    choice = dialog.choice
    ids = [row.id for row in choice.rows]
    what = f"{month_text(choice.year, choice.month)}销号任务的{choice.form.value}"

    if choice.per_task:
        items = [(i, choice.out / n) for i, n in zip(ids, per_task_names(choice.rows), strict=True)]

        def work(progress: ProgressFn, cancelled: CancelFn) -> object:
            return write_per_task(ledger, items, choice.form, progress, cancelled)

    else:

        def work(progress: ProgressFn, cancelled: CancelFn) -> object:
            return choice.form.write(ledger, ids, choice.out, progress, cancelled)

    def done(_result: object) -> None:
        _batch_done(window, choice, what)

    def failed(exc: BaseException) -> None:
        if isinstance(exc, CancelledError):
            window.statusBar().showMessage(f"已取消生成{choice.form.value},没有留下文件。", 8000)
        else:
            show_error(window, exc, f"无法生成{choice.form.value}")

    run_task(window, work, on_done=done, on_error=failed, progress_title=f"正在生成{choice.form.value}…")


def _batch_done(window: MainWindow, choice: BatchChoice, what: str) -> None:
    count = len(choice.rows)
    if choice.per_task:
        text = f"已生成{what} {count} 个文件,保存在:\n{choice.out}"
        extra: list = []
    else:
        text = f"已生成{what}(共 {count} 份):\n{choice.out}"
        extra = [("预览", lambda: show_pdf(window, choice.out, title=f"预览 - {choice.form.value}"))]
    ResultBox(window, f"批量打印{choice.form.value}", text, choice.out, extra=extra).open()


def issue_notice(window: MainWindow, *, today: date | None = None) -> NoticeDialog | None:
    if window.ledger is None:
        return None
    units = window.ledger.directory.list_units()
    if not units:
        QMessageBox.information(window, "发督办单/提醒函", "单位名录中还没有单位。")
        return None
    dialog = NoticeDialog(window.ledger, window, today=today)
    dialog.exec()
    if dialog.issued:
        window.ledger_changed(None)  # each notice is logged: 撤销 names it, the overview counts it
    return dialog
