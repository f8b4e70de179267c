"""Adding files to a task in a worker: progress, 取消, and the report of what could not be added.

One path for the tab's buttons, a drop on the tab and a drop on a row of the task list.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtWidgets import QMessageBox, QWidget

from ledger_app.domain.errors import CancelledError
from ledger_app.domain.progress import CancelFn, ProgressFn
from ledger_app.services import Ledger
from ledger_app.services.attachments import AddReport
from ledger_app.ui.errors import show_error
from ledger_app.ui.workers import TaskHandle, run_task

SHOWN_REASONS = 12
PROGRESS_STEPS = 1000  # progress goes to the GUI in thousandths: byte counts overflow Qt's int past 2 GiB


def scaled(progress: ProgressFn) -> ProgressFn:
    """Pass byte progress on as thousandths of the whole."""

    def report(done: int, total: int, text: str) -> None:
        if total > 0:
            progress(min(done, total) * PROGRESS_STEPS // total, PROGRESS_STEPS, text)
        else:
            progress(0, 0, text)

    return report


def report_text(report: AddReport) -> str:
    """The summary and the reason for each file left out (the first few; a count for the rest)."""
    lines = [report.summary()]
    items = [*report.refused, *report.duplicates]
    lines += [f"· {item.reason}" for item in items[:SHOWN_REASONS]]
    if len(items) > SHOWN_REASONS:
        lines.append(f"……另有 {len(items) - SHOWN_REASONS} 个,原因同上。")
    return "\n".join(lines)


def tell_report(parent: QWidget | None, report: AddReport) -> None:
    """Say what was left out; a clean add needs no box (the status bar says it)."""
    if report.refused:
        QMessageBox.warning(parent, "部分文件未添加", report_text(report))
    elif report.duplicates:
        QMessageBox.information(parent, "添加佐证材料", report_text(report))
    elif not report.added:
        QMessageBox.information(parent, "添加佐证材料", "没有找到可以添加的文件。")


def add_files(
    parent: QWidget,
    ledger: Ledger,
    task_id: int,
    paths: Sequence[Path],
    on_added: Callable[[AddReport], None],
) -> TaskHandle:
    """Copy ``paths`` (files or folders) into the store and attach them to ``task_id`` off the UI thread.

    ``on_added(report)`` runs on the UI thread after the files are registered (also when some were
    refused); 取消 leaves nothing behind and nothing added (the service guarantees both).
    """
    files = [Path(p) for p in paths]

    def work(progress: ProgressFn, cancelled: CancelFn) -> AddReport:
        return ledger.attachments.add_attachments(
            task_id, files, progress=scaled(progress), cancelled=cancelled
        )

    def done(report: AddReport) -> None:
        on_added(report)
        tell_report(parent, report)

    def failed(exc: BaseException) -> None:
        if isinstance(exc, CancelledError):
            QMessageBox.information(parent, "添加佐证材料", "已取消,没有添加任何文件。")
        else:
            show_error(parent, exc, "无法添加佐证材料")

    return run_task(parent, work, on_done=done, on_error=failed, progress_title="正在添加佐证材料…")
