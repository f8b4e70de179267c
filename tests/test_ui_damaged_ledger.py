"""A ledger that cannot be read is offered its newest good backup, and nothing is thrown away."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QMessageBox

from ledger_app.store.backup import backup_copy


@pytest.fixture
def blank_window(qtbot: Any, ui_settings: Path, sync_workers: None, boxes: Any) -> Any:
    from ledger_app.ui.main_window import MainWindow

    win = MainWindow()
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    yield win
    win.close()


def wreck(path: Path) -> bytes:
    data = bytearray(path.read_bytes())
    data[100:4096] = b"\xff" * (4096 - 100)  # keep the magic, wreck the schema page
    path.write_bytes(bytes(data))
    return bytes(data)


def test_a_damaged_ledger_is_restored_from_its_newest_good_backup(
    blank_window: Any, boxes: Any, demo_template: Path, tmp_path: Path
) -> None:
    path = tmp_path / "台账.sqlite3"
    path.write_bytes(demo_template.read_bytes())
    backup_copy(path, "manual")
    wrecked = wreck(path)
    boxes.answer = QMessageBox.StandardButton.Yes
    assert blank_window.open_path(path)
    question = boxes.texts("question")[0]
    assert "完好备份" in question and "120 项任务" in question
    assert blank_window.ledger.tasks.count_tasks() == 120
    assert "已从备份" in boxes.texts("information")[0]
    # The damaged state is kept among the backups (before-restore) for inspection: its pages as they
    # were (SQLite's backup rewrites only the header's change counter).
    kept = [p for p in tmp_path.rglob("*.sqlite3") if "before-restore" in p.name or "damaged" in p.name]
    assert len(kept) == 1 and kept[0].read_bytes()[100:] == wrecked[100:]


def test_without_a_backup_the_clerk_is_offered_another_file(
    blank_window: Any, boxes: Any, demo_template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ledger_app.ui import ledger_files

    path = tmp_path / "台账.sqlite3"
    path.write_bytes(demo_template.read_bytes())
    wrecked = wreck(path)
    offered: list[str] = []
    monkeypatch.setattr(
        ledger_files, "ask_alternative", lambda _p, message: offered.append(message) or "cancel"
    )
    assert not blank_window.open_path(path)
    assert offered and "损坏" in offered[0]
    assert boxes.texts("question") == []
    assert path.read_bytes() == wrecked
