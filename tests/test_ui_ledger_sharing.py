"""The GUI with two programs on one ledger: the lock message, read-only opening, stale edits."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QLabel, QMessageBox

from ledger_app.services import Ledger
from ledger_app.store.lock import lock_path
from tests.test_ui_task_panel import keys, leave


def lock_by_another_pc(path: Path) -> None:
    now = datetime.now().strftime("%Y-%m-%dT%H:%M:%S")
    data = {
        "user": "李四",
        "host": "PC-办公室2",
        "pid": 4242,
        "pid_started": 0.0,
        "since": now,
        "refreshed": now,
        "token": "other",
    }
    lock_path(path).write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


@pytest.fixture
def blank_window(qtbot: Any, ui_settings: Path, sync_workers: None, boxes: Any) -> Any:
    from ledger_app.ui.main_window import MainWindow

    win = MainWindow()
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    yield win
    win.close()


def test_a_ledger_held_elsewhere_is_offered_read_only_and_says_so(
    qtbot: Any, blank_window: Any, boxes: Any, demo_template: Path, tmp_path: Path
) -> None:
    path = tmp_path / "共用台账.sqlite3"
    path.write_bytes(demo_template.read_bytes())
    lock_by_another_pc(path)
    boxes.answer = QMessageBox.StandardButton.Yes
    assert blank_window.open_path(path)
    question = boxes.texts("question")[-1]
    assert "李四" in question and "PC-办公室2" in question and "只读" in question
    assert blank_window.ledger.read_only
    assert blank_window.windowTitle().startswith("[只读]")
    label = blank_window.findChild(QLabel, "readOnlyLabel")
    assert label is not None and label.isVisible()
    # An edit is refused in words, and the other program's lock is left alone.
    blank_window.select_task(blank_window.proxy.task_id_at(0))
    panel = blank_window.panel
    edit = panel.basic.text_edits["note"]
    edit.setFocus()
    keys(qtbot, edit, "想改")
    leave(edit)
    assert any("只读" in text for text in boxes.texts("warning"))
    assert json.loads(lock_path(path).read_text(encoding="utf-8"))["token"] == "other"


def test_declining_read_only_opens_nothing(
    blank_window: Any, boxes: Any, demo_template: Path, tmp_path: Path
) -> None:
    path = tmp_path / "共用台账.sqlite3"
    path.write_bytes(demo_template.read_bytes())
    lock_by_another_pc(path)
    boxes.answer = QMessageBox.StandardButton.No
    assert not blank_window.open_path(path)
    assert blank_window.ledger is None


def test_an_edit_over_another_programs_change_is_refused_and_the_fresh_value_shown(
    qtbot: Any, window: Any, boxes: Any, demo_ledger: Ledger
) -> None:
    task_id = window.proxy.task_id_at(0)
    window.select_task(task_id)
    panel = window.panel
    edit = panel.basic.text_edits["leader"]
    # Another program (the lock bypassed) changes the same field after the panel showed it.
    with Ledger.open(demo_ledger.path, actor="李四", lock=False) as other:
        other.tasks.update_task(task_id, leader="李副区长")
    edit.setFocus()
    edit.selectAll()
    keys(qtbot, edit, "王副区长")
    leave(edit)
    warning = boxes.texts("warning")[-1]
    assert "李副区长" in warning and "没有保存" in warning
    assert demo_ledger.records.task_record(task_id).leader == "李副区长"
    assert edit.text() == "李副区长"  # the fresh value, not the clerk's stale copy
