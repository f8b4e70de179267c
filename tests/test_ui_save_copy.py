"""文件 → 另存副本 in the main window: the copy takes the evidence along, shows progress, can be cancelled."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QProgressDialog, QPushButton

from ledger_app.services import Ledger, ledger_copy
from ledger_app.ui import ledger_files, workers
from ledger_app.ui.main_window import MainWindow
from tests.ui_support import Boxes

pytestmark = pytest.mark.usefixtures("ui_settings")


def write(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


@pytest.fixture
def evidence(demo_ledger: Ledger, tmp_path: Path) -> dict[str, bytes]:
    """Three evidence files on the first task of the demo ledger: name → content."""
    files = {"整改前.jpg": b"\xff\xd8 photo", "验收意见.pdf": b"%PDF signed", "台账.xlsx": b"PK sheet"}
    task_id = demo_ledger.queries.list_tasks()[0].id
    demo_ledger.attachments.add_attachments(
        task_id, [write(tmp_path / "U盘" / n, d) for n, d in files.items()]
    )
    return files


@pytest.fixture
def usb(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The file dialog answers with a file on a "USB stick" folder."""
    dest = tmp_path / "备份盘" / "台账-副本.sqlite3"
    dest.parent.mkdir()
    monkeypatch.setattr(ledger_files, "ask_copy_path", lambda _parent, _path: dest)
    return dest


def test_save_copy_takes_the_evidence_along(
    window: MainWindow, demo_ledger: Ledger, evidence: dict[str, bytes], usb: Path, boxes: Boxes
) -> None:
    window.save_copy_action.trigger()

    message = window.statusBar().currentMessage()
    assert str(usb) in message and "含佐证材料 3 个文件" in message
    assert boxes.shown == []
    with Ledger.open(usb) as copy:
        assert copy.tasks.count_tasks() == demo_ledger.tasks.count_tasks()
        task_id = copy.queries.list_tasks()[0].id
        got = {
            a.name: copy.attachments.attachment_file(a.id).read_bytes()
            for a in copy.attachments.list_attachments(task_id)
        }
        assert got == evidence
        assert copy.attachments_dir == usb.parent / "台账-副本.files"


def test_a_refused_destination_is_explained_and_nothing_is_written(
    window: MainWindow, evidence: dict[str, bytes], usb: Path, boxes: Boxes
) -> None:
    # Another ledger's evidence already sits where the copy's folder would go.
    write(usb.parent / "台账-副本.files" / "objects" / "ab" / "cd", b"not ours")
    window.save_copy_action.trigger()

    (text,) = boxes.texts("warning")
    assert "台账-副本.files" in text and "换一个文件名" in text
    assert sorted(p.name for p in usb.parent.iterdir()) == ["台账-副本.files"]
    assert (usb.parent / "台账-副本.files" / "objects" / "ab" / "cd").read_bytes() == b"not ours"


def test_evidence_missing_in_the_original_is_reported_after_saving(
    window: MainWindow, demo_ledger: Ledger, evidence: dict[str, bytes], usb: Path, boxes: Boxes
) -> None:
    task_id = demo_ledger.queries.list_tasks()[0].id
    pdf = next(a for a in demo_ledger.attachments.list_attachments(task_id) if a.name == "验收意见.pdf")
    lost = demo_ledger.attachments.store.object_path(pdf.sha256)
    os.chmod(lost, 0o644)
    lost.unlink()

    window.save_copy_action.trigger()

    (text,) = boxes.texts("warning")
    assert "验收意见.pdf" in text and "完整性检查" in text
    assert usb.exists() and "含佐证材料 2 个文件" in window.statusBar().currentMessage()


def test_cancel_in_the_synchronous_run_leaves_nothing(
    window: MainWindow, evidence: dict[str, bytes], usb: Path, boxes: Boxes, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(workers.TaskHandle, "cancelled", lambda _self: True)
    window.save_copy_action.trigger()
    assert list(usb.parent.iterdir()) == []
    assert "已取消另存副本" in window.statusBar().currentMessage()
    assert boxes.shown == []


# -- the real worker thread: progress dialog and its 取消 button ------------------------------------------
@pytest.fixture
def threaded_window(qtbot: Any, demo_ledger: Ledger, boxes: Boxes) -> Iterator[MainWindow]:
    win = MainWindow()
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    win.set_ledger(demo_ledger)
    yield win
    assert workers.wait_for_all(10_000)
    win.close()


def test_the_progress_dialog_cancels_a_slow_copy(
    threaded_window: MainWindow,
    demo_ledger: Ledger,
    usb: Path,
    tmp_path: Path,
    qtbot: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    task_id = demo_ledger.queries.list_tasks()[0].id
    demo_ledger.attachments.add_attachments(
        task_id, [write(tmp_path / "材料" / f"{i:03}.jpg", b"photo %d" % i) for i in range(60)]
    )
    real_stream = ledger_copy._Copier._stream

    def slow_stream(self: Any, *args: Any) -> Any:
        time.sleep(0.05)  # a slow USB stick: 60 files take 3 s
        return real_stream(self, *args)

    monkeypatch.setattr(ledger_copy._Copier, "_stream", slow_stream)
    monkeypatch.setattr(workers, "DIALOG_DELAY_MS", 50)
    window = threaded_window

    window.save_copy_action.trigger()
    qtbot.waitUntil(lambda: bool(window.findChildren(QProgressDialog)), timeout=3000)
    dialog = window.findChildren(QProgressDialog)[0]
    qtbot.waitUntil(lambda: "正在复制佐证材料" in dialog.labelText(), timeout=3000)
    qtbot.mouseClick(dialog.findChild(QPushButton), Qt.MouseButton.LeftButton)  # 取消
    qtbot.waitUntil(lambda: "已取消另存副本" in window.statusBar().currentMessage(), timeout=5000)
    assert list(usb.parent.iterdir()) == []
