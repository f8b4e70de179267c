"""Evidence files going out of the store: open in the system viewer, show in Explorer, save copies.

The stored object is named by its hash and has no extension, so Windows would not know which
program opens it; opening and "show in folder" use a read-only copy under the original name
(``Ledger.attachments.attachment_view_copy``), which also keeps a viewer from saving over the evidence.
Copying runs in a worker: a 200 MB scan takes a while from a slow disk.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from ledger_app.domain.progress import CancelFn, ProgressFn
from ledger_app.services import Ledger
from ledger_app.ui.errors import show_error
from ledger_app.ui.exports.common import export_folder, open_file, open_folder, remember_folder
from ledger_app.ui.workers import TaskHandle, run_task


def open_attachment(parent: QWidget, ledger: Ledger, att_id: int) -> TaskHandle:
    return _with_view_copy(parent, ledger, att_id, open_file, "无法打开")


def show_attachment_in_folder(parent: QWidget, ledger: Ledger, att_id: int) -> TaskHandle:
    """Explorer opens on the folder of the named copy with the file selected (other systems: the folder)."""
    return _with_view_copy(parent, ledger, att_id, open_folder, "无法显示")


def _with_view_copy(
    parent: QWidget,
    ledger: Ledger,
    att_id: int,
    then: Callable[[QWidget, Path], object],
    error_title: str,
) -> TaskHandle:
    """Make the attachment's named view copy in a worker, then hand it to ``then``."""
    return run_task(
        parent,
        lambda _p, _c: ledger.attachments.attachment_view_copy(att_id),
        on_done=lambda path: then(parent, path),
        on_error=lambda exc: show_error(parent, exc, error_title),
        progress_title="正在准备文件…",
        cancellable=False,
    )


def ask_target_folder(parent: QWidget) -> Path | None:
    chosen = QFileDialog.getExistingDirectory(parent, "另存为:选择保存到的文件夹", str(export_folder()))
    if not chosen:
        return None
    folder = Path(chosen)
    remember_folder(folder)
    return folder


def save_copies(parent: QWidget, ledger: Ledger, att_ids: Sequence[int], folder: Path) -> TaskHandle:
    """Copy each file into ``folder`` under its original name (made safe for Windows, never overwriting)."""
    ids = list(att_ids)

    def work(progress: ProgressFn, cancelled: CancelFn) -> list[Path]:
        saved: list[Path] = []
        for number, att_id in enumerate(ids):
            if cancelled():
                break
            progress(number, len(ids), f"正在保存第 {number + 1}/{len(ids)} 个文件…")
            saved.append(ledger.attachments.save_attachment_copy(att_id, folder))
        return saved

    def done(saved: list[Path]) -> None:
        if not saved:
            return
        names = "\n".join(f"· {p.name}" for p in saved[:10])
        more = f"\n……共 {len(saved)} 个" if len(saved) > 10 else ""
        box = QMessageBox.information(
            parent,
            "另存为",
            f"已保存 {len(saved)} 个文件到:\n{folder}\n\n{names}{more}\n\n需要打开该文件夹吗?",
            QMessageBox.StandardButton.Open | QMessageBox.StandardButton.Close,
            QMessageBox.StandardButton.Close,
        )
        if box == QMessageBox.StandardButton.Open:
            open_folder(parent, saved[0] if len(saved) == 1 else folder)

    return run_task(
        parent,
        work,
        on_done=done,
        on_error=lambda exc: show_error(parent, exc, "无法另存"),
        progress_title="正在保存文件…",
    )
