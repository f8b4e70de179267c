"""文件 → 备份与恢复: the ledger's backups, backing up now, restoring one, archives, and the retention policy.

Restoring over the open ledger needs the main window (it closes the ledger, restores, reopens): the
dialog asks ``BackupActions`` (ui/backup_actions.py) to do that and reloads its list afterwards.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFileDialog,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from ledger_app.domain.errors import CancelledError, LedgerError
from ledger_app.domain.progress import CancelFn, ProgressFn
from ledger_app.services.archive import ArchiveRestore, ArchiveResult, restore_archive
from ledger_app.services.backups import BackupOverview, BackupResult, RestoreResult, backup_overview
from ledger_app.store.attachments import format_size
from ledger_app.store.backup import BackupInfo
from ledger_app.ui.ask import confirm
from ledger_app.ui.errors import show_error
from ledger_app.ui.exports.common import ask_save_path, open_folder
from ledger_app.ui.workers import run_task

from .base import FormDialog, compact_rows

if TYPE_CHECKING:
    from ledger_app.ui.backup_actions import BackupActions

TITLE = "备份与恢复"
ZIP_FILTER = "整改台账归档 (*.zip)"


def _when(value: object) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if value is not None else "—"  # type: ignore[attr-defined]


class BackupsDialog(FormDialog):
    """``restored`` is True once a backup was restored over the ledger (the window has reloaded it)."""

    def __init__(self, actions: BackupActions, parent: QWidget | None = None) -> None:
        super().__init__("backups_dialog", TITLE, parent)
        self.actions = actions
        self.restored = False
        self.archive_restored: ArchiveRestore | None = None
        self.overview: BackupOverview | None = None
        self.resize(900, 560)
        self.table = self.child(QTableWidget, "backupsTable")
        self.summary_label = self.child(QLabel, "summaryLabel")
        self.backup_button = self.child(QPushButton, "backupNowButton")
        self.restore_button = self.child(QPushButton, "restoreButton")
        self.export_button = self.child(QPushButton, "exportArchiveButton")
        self.import_button = self.child(QPushButton, "restoreArchiveButton")
        self.folder_button = self.child(QPushButton, "openFolderButton")
        self.keep_last = self.child(QSpinBox, "keepLastSpin")
        self.keep_daily = self.child(QSpinBox, "keepDailySpin")
        self.keep_monthly = self.child(QSpinBox, "keepMonthlySpin")
        self.policy_button = self.child(QPushButton, "applyPolicyButton")
        self.close_buttons()
        compact_rows(self.table)
        header = self.table.horizontalHeader()
        for column in range(4):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.backup_button.clicked.connect(self.backup_now)
        self.restore_button.clicked.connect(self.restore_selected)
        self.export_button.clicked.connect(self.export_archive)
        self.import_button.clicked.connect(self.restore_from_archive)
        self.folder_button.clicked.connect(self.open_backups_folder)
        self.policy_button.clicked.connect(self.save_policy)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.table.doubleClicked.connect(lambda _index: self.restore_selected())
        self.reload()

    # -- the list -----------------------------------------------------------------------------------
    @property
    def ledger_path(self) -> Path:
        return self.actions.ledger_path()

    def reload(self) -> None:
        self.overview = overview = backup_overview(self.ledger_path)
        self.table.setRowCount(len(overview.backups))
        for row, info in enumerate(overview.backups):
            damaged = "(已损坏)" if info.damaged else ""
            cells = [
                info.taken_at.strftime("%Y-%m-%d %H:%M:%S"),
                info.reason_label + damaged,
                format_size(info.size),
                "—" if info.tasks is None else str(info.tasks),
                _when(info.last_change.at if info.last_change else None),
            ]
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(info.error or str(info.path))
                if column in (2, 3):
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(row, column, item)
        policy = overview.policy
        for spin, value in (
            (self.keep_last, policy.keep_last),
            (self.keep_daily, policy.keep_daily),
            (self.keep_monthly, policy.keep_monthly),
        ):
            spin.setValue(value)
        count = f"共 {len(overview.backups)} 份备份" if overview.backups else "还没有备份"
        self.summary_label.setText(
            f"{count},备份文件夹 {overview.folder} 共占 {format_size(overview.total_size)}。"
            f"保留规则:{policy.describe()}(超出规则的自动备份会被删除)。"
        )
        if overview.backups:
            self.table.selectRow(0)
        self._update_buttons()

    def selected_backup(self) -> BackupInfo | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows or self.overview is None:
            return None
        return self.overview.backups[rows[0].row()]

    def select_backup(self, path: Path) -> None:
        for row, info in enumerate(self.overview.backups if self.overview else []):
            if info.path == path:
                self.table.selectRow(row)

    def _update_buttons(self) -> None:
        chosen = self.selected_backup()
        # A ledger opened read-only (another program has it) is that program's to back up or restore.
        writable = not self.actions.read_only()
        self.restore_button.setEnabled(writable and chosen is not None and not chosen.damaged)
        for button in (self.backup_button, self.policy_button):
            button.setEnabled(writable)

    # -- actions ------------------------------------------------------------------------------------
    def backup_now(self) -> None:
        ledger = self.actions.window.ledger
        if ledger is None:
            return

        def done(result: BackupResult) -> None:
            self.reload()
            self.select_backup(result.path)
            removed = f"按保留规则删除了 {len(result.removed)} 份较早的备份。" if result.removed else ""
            self.actions.status(f"已备份:{result.path.name}。{removed}")

        run_task(
            self, lambda _p, _c: ledger.backups.backup_now("manual"), on_done=done, progress_title="正在备份…"
        )

    def restore_selected(self) -> None:
        chosen = self.selected_backup()
        if chosen is None or chosen.damaged or self.actions.read_only():
            return
        question = (
            f"用 {chosen.taken_at:%Y-%m-%d %H:%M} 的备份({chosen.reason_label},{chosen.tasks} 项任务)"
            "替换当前台账的内容吗?\n\n恢复前会先备份当前台账;如有需要,可以再从那份“恢复前”的备份恢复回来。"
        )
        if not confirm(self, "恢复备份", question):
            return
        self.actions.restore_backup(chosen.path, on_finished=self._restored)

    def _restored(self, result: RestoreResult | None) -> None:
        self.reload()
        if result is None:
            return
        self.restored = True
        if result.before_restore is not None:
            self.select_backup(result.before_restore)
        if result.missing:
            QMessageBox.warning(self, "恢复备份", result.summary())
        else:
            QMessageBox.information(self, "恢复备份", result.summary())

    def export_archive(self) -> None:
        ledger = self.actions.window.ledger
        if ledger is None:
            return
        name = f"{ledger.path.stem}-归档-{date.today():%Y%m%d}.zip"
        dest = ask_save_path(self, "导出归档", name, ZIP_FILTER, ".zip")
        if dest is None:
            return

        def work(progress: ProgressFn, cancelled: CancelFn) -> ArchiveResult:
            # The save dialog already asked before replacing an existing file.
            return ledger.archive.save_archive(dest, overwrite=True, progress=progress, cancelled=cancelled)

        def done(result: ArchiveResult) -> None:
            if result.missing or result.damaged:
                QMessageBox.warning(self, "导出归档", result.summary())
            else:
                QMessageBox.information(self, "导出归档", result.summary())

        run_task(
            self, work, on_done=done, on_error=self._failed("无法导出归档"), progress_title="正在导出归档…"
        )

    def restore_from_archive(self) -> None:
        archive, _filter = QFileDialog.getOpenFileName(self, "选择归档文件", str(Path.home()), ZIP_FILTER)
        if not archive:
            return
        folder = QFileDialog.getExistingDirectory(
            self, "选择恢复到的新文件夹(须为空文件夹,可在此新建)", str(Path(archive).parent)
        )
        if not folder:
            return

        def work(progress: ProgressFn, cancelled: CancelFn) -> ArchiveRestore:
            return restore_archive(Path(archive), Path(folder), progress=progress, cancelled=cancelled)

        def done(result: ArchiveRestore) -> None:
            self.archive_restored = result
            answer = QMessageBox.question(
                self,
                "从归档恢复",
                f"{result.summary()}\n\n现在打开恢复的台账吗?(当前台账会被关闭)",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.Yes,
            )
            if answer == QMessageBox.StandardButton.Yes:
                self.accept()
                self.actions.window.open_path(result.ledger)

        run_task(
            self,
            work,
            on_done=done,
            on_error=self._failed("无法从归档恢复"),
            progress_title="正在从归档恢复…",
        )

    def _failed(self, title: str) -> Callable[[BaseException], None]:
        def failed(exc: BaseException) -> None:
            if isinstance(exc, CancelledError):
                self.actions.status("已取消,没有留下任何文件。")
            else:
                show_error(self, exc, title)

        return failed

    def open_backups_folder(self) -> None:
        folder = self.overview.folder if self.overview else self.ledger_path.parent
        folder.mkdir(parents=True, exist_ok=True)
        open_folder(self, folder)

    def save_policy(self) -> None:
        ledger = self.actions.window.ledger
        if ledger is None:
            return
        try:
            ledger.settings.update(
                backup_keep_last=self.keep_last.value(),
                backup_keep_daily=self.keep_daily.value(),
                backup_keep_monthly=self.keep_monthly.value(),
            )
        except LedgerError as exc:
            show_error(self, exc, "无法保存保留规则")
            return
        self.reload()
        self.actions.status("已保存备份保留规则,下次备份时按新规则整理。")
