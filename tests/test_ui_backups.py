"""文件 → 备份与恢复 in the main window: the list, restoring over the open ledger, archives, automatic backups."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QFileDialog, QMessageBox

from ledger_app.services import Ledger
from ledger_app.store.backup import list_backups
from ledger_app.ui import backup_actions
from ledger_app.ui.dialogs import backups_dialog
from ledger_app.ui.dialogs.backups_dialog import BackupsDialog
from ledger_app.ui.main_window import MainWindow
from tests.ui_support import Boxes


@pytest.fixture
def actions(window: MainWindow) -> backup_actions.BackupActions:
    return backup_actions.install(window)


def _cells(dialog: BackupsDialog, row: int) -> list[str]:
    return [dialog.table.item(row, c).text() for c in range(dialog.table.columnCount())]


def test_the_menu_item_is_in_the_file_menu(window: MainWindow, actions: backup_actions.BackupActions) -> None:
    assert actions.action in window.file_menu.actions()
    assert actions.action.text() == "备份与恢复…" and actions.action.isEnabled()


def test_the_dialog_lists_backups_and_backs_up_now(
    window: MainWindow, actions: backup_actions.BackupActions, demo_ledger: Ledger, qtbot: Any
) -> None:
    demo_ledger.backups.backup_now("before-import")
    dialog = BackupsDialog(actions, window)
    qtbot.addWidget(dialog)
    assert dialog.table.rowCount() == 1
    when, reason, size, tasks, _last = _cells(dialog, 0)
    assert when.startswith("20")
    assert reason == "导入前" and tasks == "120" and ("KB" in size or "MB" in size)
    assert "共 1 份备份" in dialog.summary_label.text() and "保留最近 10 份" in dialog.summary_label.text()
    dialog.backup_button.click()
    assert dialog.table.rowCount() == 2 and _cells(dialog, 0)[1] == "手动"
    assert dialog.selected_backup() is not None and dialog.selected_backup().reason == "manual"
    assert "已备份" in window.statusBar().currentMessage()


def test_restore_over_the_open_ledger_shows_the_restored_data(
    window: MainWindow, actions: backup_actions.BackupActions, demo_ledger: Ledger, boxes: Boxes, qtbot: Any
) -> None:
    backup = demo_ledger.backups.backup_now().path
    first = window.ledger.queries.list_tasks()[0].id
    window.ledger.tasks.delete_task(first)
    window.reload()
    assert window.model.rowCount() == 119
    dialog = BackupsDialog(actions, window)
    qtbot.addWidget(dialog)
    dialog.select_backup(backup)
    boxes.answer = QMessageBox.StandardButton.Yes
    dialog.restore_button.click()
    assert boxes.texts("question") and "替换当前台账" in boxes.texts("question")[0]
    assert any("已从备份" in text for text in boxes.texts("information"))
    # The window closed the old ledger, restored, and shows the ledger reopened.
    assert window.ledger is not demo_ledger and window.ledger.path == demo_ledger.path
    assert window.model.rowCount() == 120 and window.model.task(first) is not None
    assert dialog.restored and [b.reason for b in dialog.overview.backups][:2] == ["before-restore", "manual"]


def test_a_refused_restore_keeps_the_ledger_open(
    window: MainWindow, actions: backup_actions.BackupActions, demo_ledger: Ledger, boxes: Boxes, qtbot: Any
) -> None:
    backup = demo_ledger.backups.backup_now().path
    dialog = BackupsDialog(actions, window)
    qtbot.addWidget(dialog)
    backup.write_bytes(b"SQLite format 3\x00" + b"\x01" * 5000)  # damaged after it was listed
    dialog.restore_button.click()
    assert any("损坏" in text for text in boxes.texts("warning") + boxes.texts("critical"))
    assert window.ledger is not None and window.model.rowCount() == 120
    window.ledger.directory.create_unit("仍然可以编辑")  # reopened, writable


def test_cancelling_the_question_changes_nothing(
    window: MainWindow, actions: backup_actions.BackupActions, demo_ledger: Ledger, boxes: Boxes, qtbot: Any
) -> None:
    demo_ledger.backups.backup_now()
    dialog = BackupsDialog(actions, window)
    qtbot.addWidget(dialog)
    boxes.answer = QMessageBox.StandardButton.No
    dialog.restore_button.click()
    assert window.ledger is demo_ledger and len(list_backups(demo_ledger.path)) == 1


def test_export_an_archive_and_restore_it_into_a_new_folder(
    window: MainWindow,
    actions: backup_actions.BackupActions,
    demo_ledger: Ledger,
    boxes: Boxes,
    qtbot: Any,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    out = tmp_path / "归档.zip"
    monkeypatch.setattr(backups_dialog, "ask_save_path", lambda *_args: out)
    dialog = BackupsDialog(actions, window)
    qtbot.addWidget(dialog)
    dialog.export_button.click()
    assert out.exists() and any("已导出归档" in t for t in boxes.texts("information"))
    target = tmp_path / "新文件夹"
    target.mkdir()
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *_a, **_k: (str(out), "")))
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", staticmethod(lambda *_a, **_k: str(target)))
    boxes.answer = QMessageBox.StandardButton.Yes
    dialog.import_button.click()
    assert dialog.archive_restored is not None
    restored = target / demo_ledger.path.name
    assert window.ledger.path == restored and window.model.rowCount() == 120


def test_automatic_backups_on_open_when_changed_and_on_close(
    qtbot: Any, demo_template: Path, tmp_path: Path, ui_settings: Path, sync_workers: None, boxes: Boxes
) -> None:
    path = tmp_path / "台账.sqlite3"
    shutil.copyfile(demo_template, path)
    win = MainWindow()
    qtbot.addWidget(win)
    actions = backup_actions.install(win)
    assert win.open_path(path)
    assert [b.reason for b in list_backups(path)] == ["open"]  # none existed: one is taken on open
    assert actions.timer.isActive() and actions.timer.interval() == 30 * 60 * 1000
    actions.timer.timeout.emit()
    assert len(list_backups(path)) == 1  # nothing changed since
    win.ledger.directory.create_unit("测试单位甲")
    actions.timer.timeout.emit()
    assert [b.reason for b in list_backups(path)] == ["periodic", "open"]
    win.ledger.directory.create_unit("测试单位乙")
    win.close()
    assert [b.reason for b in list_backups(path)] == ["close", "periodic", "open"]
    assert not actions.timer.isActive()
