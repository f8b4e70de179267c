"""The main window's evidence features: 台账 → 导出佐证材料 (selected tasks / the current filter) as a
zip, 台账 → 检查台账… (the ledger check and the evidence store check), and files dropped on a row of
the task list added to that task.

    install(window)   # once, after the main window is built; returns the EvidenceActions

Everything goes through the window's public hooks (``add_action``, ``selected_task_ids``,
``current_filter``, ``table``, ``proxy``, ``model``, ``panel``), so main_window.py needs one call only.
"""

from __future__ import annotations

import zipfile
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QPoint, QRect
from PySide6.QtWidgets import QMessageBox, QRubberBand

from ledger_app.domain.progress import CancelFn, ProgressFn
from ledger_app.services import Ledger
from ledger_app.services.attachments import AddReport
from ledger_app.ui.attachments.adding import add_files, scaled
from ledger_app.ui.attachments.check_dialog import CheckDialog, CheckResult, run_check
from ledger_app.ui.attachments.drop import FileDropFilter
from ledger_app.ui.errors import show_error
from ledger_app.ui.exports.common import ResultBox, ask_save_path, safe_file_name, task_summary
from ledger_app.ui.workers import run_task

if TYPE_CHECKING:
    from ledger_app.ui.main_window import MainWindow

ZIP_FILTER = "ZIP 压缩包 (*.zip)"
EXPORT_TITLE = "导出佐证材料"


class EvidenceActions(QObject):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.check_dialog: CheckDialog | None = None
        self.result_box: ResultBox | None = None
        self.export_selected_action = window.add_action(
            "evidence_selected",
            "导出佐证材料(选中任务)…",
            self.export_selected,
            tip="把选中任务的佐证材料打包为 zip(序号-问题摘要/文件名),用于报送",
        )
        self.export_filtered_action = window.add_action(
            "evidence_filtered",
            "导出佐证材料(当前筛选)…",
            self.export_filtered,
            tip="把列表中当前显示的全部任务的佐证材料打包为 zip",
        )
        self.check_action = window.add_action(
            "check_ledger",
            "检查台账…",
            self.check_store,
            tip="检查台账文件是否完好、修改日志是否被改动、数据是否与日志一致,以及佐证材料是否缺失、损坏或多余",
        )
        viewport = window.table.viewport()
        self.drop_band = QRubberBand(QRubberBand.Shape.Rectangle, viewport)
        self.row_drop = FileDropFilter(
            viewport,
            self._dropped_on_row,
            accept_at=lambda pos: self._task_at(pos) is not None,
            on_hover=self._hover,
            enabled=lambda: window.ledger is not None,
        )

    # -- export ---------------------------------------------------------------------------------
    def export_selected(self) -> None:
        ids = self.window.selected_task_ids()
        if not ids:
            QMessageBox.information(self.window, EXPORT_TITLE, "请先在任务列表中选中要导出的任务。")
            return
        row = self.window.model.task(ids[0]) if len(ids) == 1 else None
        if row is not None:
            name = f"佐证材料-序号{row.seq}-{task_summary(row.description, 20)}"
        else:
            name = f"佐证材料-{len(ids)}项任务-{date.today():%Y%m%d}"
        self.export(ids, name)

    def export_filtered(self) -> None:
        ids = self.window.current_filter().task_ids
        if not ids:
            QMessageBox.information(self.window, EXPORT_TITLE, "当前筛选下没有任务。")
            return
        self.export(ids, f"佐证材料-当前筛选{len(ids)}项-{date.today():%Y%m%d}")

    def export(self, task_ids: list[int], default_name: str) -> None:
        ledger = self.window.ledger
        if ledger is None:
            return
        path = ask_save_path(
            self.window, EXPORT_TITLE, safe_file_name(default_name, ".zip"), ZIP_FILTER, ".zip"
        )
        if path is None:
            return

        def work(progress: ProgressFn, cancelled: CancelFn) -> tuple[Path, int, int]:
            out = ledger.attachments.export_evidence_zip(
                task_ids, path, progress=scaled(progress), cancelled=cancelled
            )
            with zipfile.ZipFile(out) as archive:
                names = archive.namelist()
            folders = {name.rsplit("/", 1)[0] for name in names}
            return out, len(names), len(folders)

        def done(result: tuple[Path, int, int]) -> None:
            out, files, folders = result
            text = f"已导出 {files} 个文件({folders} 项任务有佐证材料,共选 {len(task_ids)} 项):\n{out}"
            self.result_box = ResultBox(self.window, EXPORT_TITLE, text, out)
            self.result_box.open()

        run_task(
            self.window,
            work,
            on_done=done,
            on_error=lambda exc: show_error(self.window, exc, "无法导出佐证材料"),
            progress_title="正在导出佐证材料…",
        )

    # -- check ----------------------------------------------------------------------------------
    def check_store(self) -> None:
        ledger = self.window.ledger
        if ledger is not None:
            run_check(self.window, ledger, lambda report: self._show_check(ledger, report))

    def _show_check(self, ledger: Ledger, report: CheckResult) -> None:
        if self.check_dialog is not None:  # one at a time: a second check replaces the first
            self.check_dialog.close()
            self.check_dialog.deleteLater()
        self.check_dialog = CheckDialog(ledger, report, self.window)
        self.check_dialog.open()

    # -- files dropped on a row of the list -------------------------------------------------------
    def _task_at(self, pos: QPoint) -> int | None:
        index = self.window.table.indexAt(pos)
        return self.window.proxy.task_id_at(index.row()) if index.isValid() else None

    def _task_label(self, task_id: int) -> str:
        row = self.window.model.task(task_id)
        return f"序号 {row.seq}「{task_summary(row.description, 24)}」" if row else "该任务"

    def _hover(self, pos: QPoint | None, paths: list[Path]) -> None:
        """While files are dragged over the list: frame the row they would go to and say so."""
        task_id = self._task_at(pos) if pos is not None else None
        if pos is None or task_id is None:
            self.drop_band.hide()
            return
        table = self.window.table
        cell = table.visualRect(table.indexAt(pos))
        self.drop_band.setGeometry(QRect(0, cell.top(), table.viewport().width(), cell.height()))
        self.drop_band.show()
        what = f"{len(paths)} 个文件或文件夹" if len(paths) > 1 else f"“{paths[0].name}”"
        self.window.statusBar().showMessage(
            f"松开鼠标即把{what}添加为{self._task_label(task_id)}的佐证材料", 3000
        )

    def _dropped_on_row(self, paths: list[Path], pos: QPoint) -> None:
        window, ledger = self.window, self.window.ledger
        task_id = self._task_at(pos)
        if ledger is None or task_id is None:
            return
        what = f"{len(paths)} 个文件或文件夹" if len(paths) > 1 else f"“{paths[0].name}”"
        answer = QMessageBox.question(
            window,
            "添加佐证材料",
            f"把{what}添加为{self._task_label(task_id)}的佐证材料吗?\n\n文件会复制到台账的附件库,原文件不受影响。",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.Yes,
        )
        if answer == QMessageBox.StandardButton.Yes:
            add_files(window, ledger, task_id, paths, lambda report: self._added(task_id, report))

    def _added(self, task_id: int, report: AddReport) -> None:
        panel = self.window.panel
        if report.added and panel is not None:
            if panel.task_id == task_id:
                panel.refresh()
            panel.taskChanged.emit(task_id)  # the list re-reads that row, as after any edit in the panel
        self.window.statusBar().showMessage(f"{self._task_label(task_id)}:{report.summary()}", 10000)


def install(window: MainWindow) -> EvidenceActions:
    """Add the evidence actions to ``window``'s 台账 menu and take file drops on its task list."""
    return EvidenceActions(window)
