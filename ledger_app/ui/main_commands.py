"""What the main window's actions do: ledger files, new / delete / copy, and the dialogs (undo: view_sync.py)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QMessageBox

from ledger_app import __version__
from ledger_app.domain.errors import CancelledError, LedgerError
from ledger_app.domain.progress import CancelFn, ProgressFn
from ledger_app.store.fileops import exists_within

from . import ledger_files, settings_store
from .ask import confirm
from .errors import show_error
from .task_table import rows_to_tsv
from .workers import run_task

if TYPE_CHECKING:  # its module loads SQLAlchemy: not before the start-up list is painted
    from ledger_app.services import LedgerCopy


class CommandsMixin:
    """The slots behind the menus and toolbar; the window (a QMainWindow) provides the attributes used."""

    ledger: Any
    panel: Any
    model: Any
    proxy: Any
    table: Any
    filter_bar: Any
    recent_menu: Any
    ledger_changed: Any
    operator_label: Any

    def new_ledger_file(self) -> None:
        path = ledger_files.ask_new_path(self, self.ledger.path if self.ledger else None)
        if path is not None and self.open_path(path, create=True):
            self.statusBar().showMessage(f"已新建台账:{path}", 8000)

    def open_ledger_file(self) -> None:
        path = ledger_files.ask_open_path(self, self.ledger.path if self.ledger else None)
        if path is not None:
            self.open_path(path)

    def _fill_recent_menu(self) -> None:
        self.recent_menu.clear()
        paths = settings_store.recent_ledgers()
        if not paths:
            empty = self.recent_menu.addAction("(无)")
            empty.setEnabled(False)
            return
        for number, path in enumerate(paths, start=1):
            action = self.recent_menu.addAction(f"&{number} {path.name}  —  {path.parent}")
            action.setToolTip(str(path))
            action.triggered.connect(lambda _checked=False, p=path: self.open_recent(p))

    def open_recent(self, path: Path) -> None:
        found = exists_within(path, seconds=5.0)
        if found is None:  # a network share that does not answer: say so, keep it in the list
            QMessageBox.warning(self, "最近打开", f"台账所在的位置暂时无法访问(网络盘或U盘未连接?):\n{path}")
            return
        if not found:
            QMessageBox.warning(self, "最近打开", f"台账文件已不存在(可能被移动或删除):\n{path}")
            settings_store.remove_recent_ledger(path)
            return
        self.open_path(path)

    def save_copy(self) -> None:
        """另存副本: the ledger and its evidence files, in a worker with progress and 取消."""
        ledger = self.ledger
        if ledger is None:
            return
        dest = ledger_files.ask_copy_path(self, ledger.path)
        if dest is None:
            return

        def work(progress: ProgressFn, cancelled: CancelFn) -> LedgerCopy:
            # The file dialog already asked before replacing an existing file of that name.
            return ledger.copies.save_copy(dest, overwrite=True, progress=progress, cancelled=cancelled)

        run_task(
            self,
            work,
            on_done=self._copy_saved,
            on_error=self._copy_failed,
            progress_title="正在另存副本…",
        )

    def _copy_saved(self, copy: LedgerCopy) -> None:
        files = f"(含佐证材料 {copy.files} 个文件)" if copy.files else ""
        self.statusBar().showMessage(f"已另存副本:{copy.path}{files}", 10000)
        if not copy.ok:  # saved, but the original already lacked some evidence: the clerk must know
            QMessageBox.warning(self, "另存副本", copy.summary())

    def _copy_failed(self, exc: BaseException) -> None:
        if isinstance(exc, CancelledError):
            self.statusBar().showMessage("已取消另存副本,没有留下任何文件。", 8000)
        else:
            show_error(self, exc, "无法另存副本")

    # -- actions --------------------------------------------------------------------------
    def new_task(self) -> None:
        ledger = self.ledger
        if ledger is None:
            return
        from .dialogs.new_task_dialog import NewTaskDialog

        if not ledger.directory.list_rounds():
            QMessageBox.information(
                self, "新建任务", "台账中还没有督察批次。请先新建一个督察批次,再添加任务。"
            )
            self.show_rounds()
            if not ledger.directory.list_rounds():
                return
        dialog = NewTaskDialog(ledger, self, round_id=self.filter_bar.current_filter().round_id)
        if not dialog.exec() or dialog.task_id is None:
            return
        self._on_task_changed(dialog.task_id)
        if not self.select_task(dialog.task_id):
            self.filter_bar.reset()
            self.select_task(dialog.task_id)
        self.statusBar().showMessage("已新建任务。", 8000)

    def delete_selected(self) -> None:
        ledger = self.ledger
        ids = self.selected_task_ids()
        if ledger is None or not ids:
            return
        if len(ids) == 1:
            row = self.model.task(ids[0])
            what = f"任务「{row.seq}. {row.summary}」" if row else "这项任务"
        else:
            what = f"选中的 {len(ids)} 项任务"
        question = (
            f"确定要删除{what}吗?\n\n删除的任务移入回收站,可以在“台账 → 回收站”中恢复,也可以按 Ctrl+Z 撤销。"
        )
        if not confirm(self, "删除任务", question):
            return
        next_row = min(r.row() for r in self.table.selectionModel().selectedRows())
        try:
            ledger.tasks.delete_tasks(ids)
        except LedgerError as exc:
            show_error(self, exc, "无法删除")
            return
        self.ledger_changed(ids)
        if self.proxy.rowCount():
            self.select_task(self.proxy.task_id_at(min(next_row, self.proxy.rowCount() - 1)))
        self.statusBar().showMessage(f"已删除 {len(ids)} 项任务(已移入回收站)。", 8000)

    def copy_selected(self) -> None:
        rows = [self.model.task(i) for i in self.selected_task_ids()]
        rows = [r for r in rows if r is not None]
        if not rows:
            return
        header = self.table.horizontalHeader()
        columns = [
            header.logicalIndex(v)
            for v in range(header.count())
            if not header.isSectionHidden(header.logicalIndex(v))
        ]
        QGuiApplication.clipboard().setText(rows_to_tsv(rows, columns))
        self.statusBar().showMessage(f"已复制 {len(rows)} 行,可直接粘贴到 Excel。", 5000)

    def show_trash(self) -> None:
        from .dialogs.trash_dialog import TrashDialog

        if self.ledger is not None:
            dialog = TrashDialog(self.ledger, self)
            dialog.exec()
            if dialog.restored:
                self.reload()

    def show_rounds(self) -> None:
        from .dialogs.rounds_dialog import RoundsDialog

        if self.ledger is not None:
            dialog = RoundsDialog(self.ledger, self)
            dialog.exec()
            if dialog.changed:
                self.reload()

    def show_units(self) -> None:
        from .dialogs.units_dialog import UnitsDialog

        if self.ledger is not None:
            dialog = UnitsDialog(self.ledger, self)
            dialog.exec()
            if dialog.changed:
                self.refresh()

    def show_settings(self) -> None:
        from .dialogs.settings_dialog import SettingsDialog

        if self.ledger is None:
            return
        dialog = SettingsDialog(self.ledger, self)
        if dialog.exec():
            self.operator_label.setText(f"操作员:{self.ledger.actor}")
            self.reload()  # the 临期 window may have changed every schedule flag

    def show_guide(self) -> None:
        from .help_guide import show_guide  # late: the guide is read only when asked for

        show_guide(self)

    def show_about(self) -> None:
        where = f"<p>当前台账:{self.ledger.path}</p>" if self.ledger else ""
        QMessageBox.about(
            self,
            "关于整改台账",
            f"<h3>整改台账 {__version__}</h3>"
            "<p>生态环境保护督察反馈问题整改台账:任务、措施、进展、验收销号与回头看,离线使用。</p>"
            f"{where}<p>操作员:{settings_store.operator_name()}</p>",
        )
