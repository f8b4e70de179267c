"""The main window's backups: 文件 → 备份与恢复…, the automatic backups, and restoring over the open ledger.

    install(window)   # once, after the main window is built; returns the BackupActions

Automatic backups (``services.backups`` decides whether one is due):

* when a ledger is opened: in the background worker, if the newest backup is over a day old;
* every 30 minutes while one is open: in the worker, only if the ledger changed since the last backup;
* when it is closed (the window closes or another ledger is opened): on the UI thread, after the last
  edits are committed, only if it changed. An online backup of a 10,000-task ledger takes about 0.1 s
  (bench/bench_backups.py), too short to be worth handing to a worker the window is about to wait for.

A failed automatic backup never interrupts the clerk with a dialog: it goes to the status bar and the log.
A ledger opened read-only is another program's to back up.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer

from ledger_app.domain.errors import LedgerError
from ledger_app.domain.progress import CancelFn, ProgressFn
from ledger_app.services import Ledger
from ledger_app.services.backups import PERIODIC_MINUTES, BackupResult, RestoreResult, restore_backup

from .errors import show_error
from .workers import run_task, wait_for_all

if TYPE_CHECKING:
    from .main_window import MainWindow

log = logging.getLogger(__name__)


class BackupActions(QObject):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.dialog = None
        self._restoring = False  # the ledger is being replaced: no automatic backup of either state
        self.action = window.add_action(
            "backups", "备份与恢复…", self.show_dialog, tip="查看自动备份、立即备份、恢复备份,导出或恢复归档"
        )
        self.timer = QTimer(self)
        self.timer.setInterval(PERIODIC_MINUTES * 60 * 1000)
        self.timer.timeout.connect(lambda: self.backup_in_background("periodic"))
        window.ledgerOpened.connect(self._opened)
        window.ledgerClosing.connect(self._closing)

    # -- what the dialog asks ---------------------------------------------------------------------------
    def ledger_path(self) -> Path:
        assert self.window.ledger is not None
        return Path(self.window.ledger.path)

    def read_only(self) -> bool:
        ledger = self.window.ledger
        return ledger is None or bool(getattr(ledger, "read_only", False))

    def status(self, text: str) -> None:
        self.window.statusBar().showMessage(text, 10000)

    def show_dialog(self) -> None:
        from .dialogs.backups_dialog import BackupsDialog

        if self.window.ledger is None:
            return
        self.dialog = BackupsDialog(self, self.window)
        self.dialog.exec()
        self.dialog = None

    # -- automatic backups ----------------------------------------------------------------------------
    def _opened(self, ledger: Ledger) -> None:
        self.timer.start()
        self.backup_in_background("open")

    def backup_in_background(self, trigger: str) -> None:
        ledger = self.window.ledger
        if ledger is None or self._restoring or getattr(ledger, "read_only", False):
            return

        def done(result: BackupResult | None) -> None:
            if result is not None:
                log.info("automatic backup (%s): %s", trigger, result.path)

        run_task(
            self.window,
            lambda _p, _c: ledger.backups.backup_if_due(trigger),
            on_done=done,
            on_error=self._auto_failed,
        )

    def _closing(self, ledger: Ledger) -> None:
        self.timer.stop()
        if self._restoring or getattr(ledger, "read_only", False):
            return
        try:
            ledger.backups.backup_if_due("close")
        except LedgerError as exc:
            log.warning("backup on close failed: %s", exc.message_en or exc.message_zh)

    def _auto_failed(self, exc: BaseException) -> None:
        log.warning("automatic backup failed", exc_info=exc)
        text = exc.message_zh if isinstance(exc, LedgerError) else str(exc)
        self.status(f"自动备份失败:{text}")

    # -- restoring over the open ledger -----------------------------------------------------------------
    def restore_backup(self, backup: Path, *, on_finished: Callable[[RestoreResult | None], None]) -> None:
        """Close the ledger, restore ``backup`` over it in the worker, open it again and show it.

        ``on_finished`` gets the result, or None when the restore was refused or failed (already shown).
        """
        window = self.window
        ledger = window.ledger
        if ledger is None:
            return
        path, actor = Path(ledger.path), ledger.actor
        window.flush_panel()  # the field being typed in is committed before the file is replaced
        wait_for_all()
        self._restoring = True
        self.timer.stop()
        ledger.close()

        def work(progress: ProgressFn, cancelled: CancelFn) -> RestoreResult:
            return restore_backup(path, backup, progress=progress, cancelled=cancelled, actor=actor)

        def done(result: RestoreResult) -> None:
            self._reopen(path)
            self.status(f"已从备份恢复台账:{backup.name}")
            on_finished(result)

        def failed(exc: BaseException) -> None:
            self._reopen(path)  # the ledger is unchanged: show it again as it was
            show_error(window, exc, "无法恢复备份")
            on_finished(None)

        run_task(window, work, on_done=done, on_error=failed, progress_title="正在恢复备份…")

    def _reopen(self, path: Path) -> None:
        try:
            if not self.window.open_path(path):
                log.warning("ledger %s not reopened after a restore", path)
        finally:
            self._restoring = False


def install(window: MainWindow) -> BackupActions:
    actions = BackupActions(window)
    window.backup_actions = actions  # type: ignore[attr-defined]
    return actions
