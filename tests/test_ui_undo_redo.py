"""Undo and redo in the main window: every view stays calm and correct whatever a change removes.

Finding 1 of issue 18: Ctrl+Z right after an Excel import crashed the program (the panel re-read
the task the undo had just removed, its handler reloaded again, and so on).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWizard

from ledger_app.services import Ledger, TaskFilter
from ledger_app.ui.import_wizard import install
from ledger_app.ui.import_wizard.wizard import PAGE_REPORT, PAGE_RESULT
from ledger_app.ui.main_window import MainWindow
from tests.ui_support import Boxes
from tests.xlsx_factory import K, layout_county, sample_tasks

pytestmark = pytest.mark.usefixtures("ui_settings", "sync_workers")


@pytest.fixture
def empty_window(qtbot: Any, ledger: Ledger, boxes: Boxes) -> Iterator[MainWindow]:
    """The main window on a new, empty ledger (as after 文件 → 新建台账)."""
    win = MainWindow()
    qtbot.addWidget(win)
    install(win)
    win.show()
    qtbot.waitExposed(win)
    win.set_ledger(ledger)
    yield win
    win.close()


def next_page(wizard: QWizard) -> None:
    which = (
        QWizard.WizardButton.CommitButton
        if wizard.currentPage().isCommitPage()
        else QWizard.WizardButton.NextButton
    )
    button = wizard.button(which)
    assert button.isEnabled(), wizard.currentPage().title()
    button.click()


def import_workbook(win: MainWindow, path: Path) -> None:
    """文件 → 导入Excel台账 → 下一步 … 导入 → 完成."""
    launcher = win._import_launcher  # type: ignore[attr-defined]
    wizard = launcher.open_wizard(path)
    assert wizard is not None
    while wizard.currentId() != PAGE_REPORT:
        next_page(wizard)
    next_page(wizard)
    assert wizard.currentId() == PAGE_RESULT
    wizard.button(QWizard.WizardButton.FinishButton).click()


def click_row(win: MainWindow, qtbot: Any, row: int) -> None:
    rect = win.table.visualRect(win.proxy.index(row, 1))
    qtbot.mouseClick(win.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def ctrl(win: MainWindow, qtbot: Any, key: Qt.Key, shift: bool = False) -> None:
    win.activateWindow()
    qtbot.waitActive(win)
    win.table.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is win.table)
    modifiers = Qt.KeyboardModifier.ControlModifier
    if shift:
        modifiers |= Qt.KeyboardModifier.ShiftModifier
    qtbot.keyClick(win.table, key, modifiers)


def test_ctrl_z_right_after_an_import_leaves_the_window_calm(
    empty_window: MainWindow, ledger: Ledger, qtbot: Any, tmp_path: Path, boxes: Boxes
) -> None:
    win = empty_window
    path = layout_county(sample_tasks(4, seed=3, kinds=(K.SPECIFIC,), max_measures=2)).write(tmp_path)
    import_workbook(win, path)
    assert win.model.rowCount() == 4
    click_row(win, qtbot, 2)
    shown = win.panel.task_id
    assert shown is not None and win.panel.record is not None

    ctrl(win, qtbot, Qt.Key.Key_Z)

    assert ledger.queries.list_tasks(TaskFilter()) == []
    assert win.model.rowCount() == 0
    assert win.panel.record is None
    assert "已不在台账中" in win.panel.empty_label.text()
    assert not [t for t in boxes.texts() if "无法" in t]
    assert "已撤销" in win.statusBar().currentMessage()


def test_ctrl_z_after_an_import_with_the_first_task_shown(
    empty_window: MainWindow, ledger: Ledger, qtbot: Any, tmp_path: Path, boxes: Boxes
) -> None:
    """The same without a click: the panel shows the first imported task when Ctrl+Z removes it."""
    win = empty_window
    path = layout_county(sample_tasks(3, seed=5, kinds=(K.SPECIFIC,), max_measures=2)).write(tmp_path)
    import_workbook(win, path)
    assert win.panel.record is not None
    ctrl(win, qtbot, Qt.Key.Key_Z)
    assert ledger.tasks.count_tasks() == 0 and win.model.rowCount() == 0
    assert win.panel.record is None and "已不在台账中" in win.panel.empty_label.text()
    assert boxes.shown == []


def test_looking_at_imported_tasks_changes_nothing(
    empty_window: MainWindow, ledger: Ledger, qtbot: Any, tmp_path: Path
) -> None:
    """Clicking through the list must not save anything: 各县(市、区)人民政府 is one unit, not two."""
    win = empty_window
    path = layout_county(sample_tasks(4, seed=3, kinds=(K.SPECIFIC,), max_measures=2)).write(tmp_path)
    import_workbook(win, path)
    before = ledger.records.round_records()
    for row in range(win.proxy.rowCount()):
        click_row(win, qtbot, row)
    click_row(win, qtbot, 0)
    assert ledger.records.round_records() == before
    assert ledger.history.undo_label() == f"从Excel导入:{path.name}"


def test_redo_brings_the_import_back_and_the_panel_with_it(
    empty_window: MainWindow, ledger: Ledger, qtbot: Any, tmp_path: Path, boxes: Boxes
) -> None:
    win = empty_window
    path = layout_county(sample_tasks(4, seed=3, kinds=(K.SPECIFIC,), max_measures=2)).write(tmp_path)
    import_workbook(win, path)
    click_row(win, qtbot, 2)
    shown = win.panel.task_id
    after = ledger.records.round_records()
    assert win.undo_action.isEnabled() and win.undo_action.text() == f"撤销:从Excel导入:{path.name}"
    assert not win.redo_action.isEnabled() and win.redo_action.text() == "重做"

    ctrl(win, qtbot, Qt.Key.Key_Z)
    assert ledger.tasks.count_tasks() == 0
    assert win.redo_action.isEnabled() and win.redo_action.text() == f"重做:从Excel导入:{path.name}"
    assert win.redo_action.iconText() == "重做"  # the toolbar keeps its short name

    ctrl(win, qtbot, Qt.Key.Key_Y)
    assert ledger.records.round_records() == after
    assert win.model.rowCount() == 4
    # The task that vanished with the undo is back in the panel, and highlighted in the list.
    assert win.panel.task_id == shown and win.panel.record is not None
    assert win.selected_task_ids() == [shown]
    assert "已重做" in win.statusBar().currentMessage()
    assert not win.redo_action.isEnabled()

    ctrl(win, qtbot, Qt.Key.Key_Z)
    ctrl(win, qtbot, Qt.Key.Key_Z, shift=True)  # Ctrl+Shift+Z redoes too
    assert ledger.records.round_records() == after
    assert boxes.shown == []


def test_menu_names_the_change_and_a_new_edit_empties_redo(
    window: MainWindow, demo_ledger: Ledger, qtbot: Any
) -> None:
    task_id = window.current_filter().task_ids[4]
    window.select_task(task_id)
    seq = window.model.task(task_id).seq
    basic = window.panel.basic
    edit = basic.findChild(type(window.filter_bar.search_edit), "leaderEdit")
    assert edit is not None
    edit.setText("王五(副区长)")
    basic.flush()
    assert window.undo_action.text() == f"撤销:修改任务 {seq} 的责任领导"
    assert window.model.task(task_id).leader == "王五(副区长)"
    actions = window.edit_menu.actions()
    assert actions.index(window.undo_action) + 1 == actions.index(window.redo_action)

    window.undo_action.trigger()
    assert window.model.task(task_id).leader != "王五(副区长)"
    assert window.panel.basic.findChild(type(edit), "leaderEdit").text() != "王五(副区长)"
    assert window.redo_action.text() == f"重做:修改任务 {seq} 的责任领导"
    edit.setText("赵六")
    basic.flush()  # a new edit: nothing to redo any more
    assert not window.redo_action.isEnabled() and window.redo_action.text() == "重做"
