"""Background work: results come back on the main thread, the UI keeps running, Cancel stops the work."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QProgressDialog, QPushButton, QWidget

from ledger_app.domain.errors import CancelledError, ValidationError
from ledger_app.ui import workers
from tests.ui_support import Boxes


@pytest.fixture(autouse=True)
def no_work_left_behind() -> Any:
    yield
    assert workers.wait_for_all(10_000)


def test_result_arrives_on_the_main_thread_while_the_event_loop_keeps_running(qtbot: Any) -> None:
    main = threading.get_ident()
    seen: dict[str, Any] = {}
    ticks: list[int] = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start(10)

    def work(progress: Any, _cancelled: Any) -> int:
        seen["worker_thread"] = threading.get_ident()
        time.sleep(0.3)  # long enough for the timer to tick many times if the UI thread is free
        return 42

    def done(result: int) -> None:
        seen["result"] = result
        seen["done_thread"] = threading.get_ident()

    workers.run_task(None, work, on_done=done)
    qtbot.waitUntil(lambda: "result" in seen, timeout=5000)
    timer.stop()
    assert seen["result"] == 42
    assert seen["worker_thread"] != main and seen["done_thread"] == main
    assert len(ticks) >= 5  # the UI thread was not blocked


def test_exceptions_go_to_on_error(qtbot: Any) -> None:
    errors: list[BaseException] = []

    def work(_progress: Any, _cancelled: Any) -> None:
        raise ValidationError("坏数据", "bad")

    workers.run_task(None, work, on_done=lambda _r: pytest.fail("no result"), on_error=errors.append)
    qtbot.waitUntil(lambda: bool(errors), timeout=5000)
    assert isinstance(errors[0], ValidationError) and errors[0].message_zh == "坏数据"


def test_without_on_error_a_refusal_is_shown_in_chinese(qtbot: Any, boxes: Boxes) -> None:
    def work(_progress: Any, _cancelled: Any) -> None:
        raise ValidationError("导入的文件没有表头。", "no header")

    handle = workers.run_task(None, work)
    qtbot.waitUntil(lambda: not handle.is_running, timeout=5000)
    assert boxes.texts("warning") == ["导入的文件没有表头。"]


def test_short_work_never_shows_a_progress_dialog(qtbot: Any) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    handle = workers.run_task(parent, lambda _p, _c: "quick", progress_title="正在处理…")
    qtbot.waitUntil(lambda: not handle.is_running, timeout=5000)
    qtbot.wait(workers.DIALOG_DELAY_MS + 100)
    assert parent.findChildren(QProgressDialog) == []


def test_long_work_shows_progress_and_cancel_stops_it(qtbot: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(workers, "DIALOG_DELAY_MS", 50)
    parent = QWidget()
    qtbot.addWidget(parent)
    outcome: list[BaseException] = []
    steps: list[int] = []

    def work(progress: Any, cancelled: Any) -> None:
        for i in range(500):
            if cancelled():
                raise CancelledError()
            progress(i, 500, f"第 {i} 项")
            steps.append(i)
            time.sleep(0.01)

    handle = workers.run_task(parent, work, on_error=outcome.append, progress_title="正在导出…")
    qtbot.waitUntil(lambda: bool(parent.findChildren(QProgressDialog)), timeout=3000)
    dialog = parent.findChildren(QProgressDialog)[0]
    qtbot.waitUntil(lambda: dialog.value() > 0, timeout=3000)
    assert dialog.maximum() == 500
    qtbot.mouseClick(dialog.findChild(QPushButton), Qt.MouseButton.LeftButton)  # 取消
    qtbot.waitUntil(lambda: not handle.is_running, timeout=5000)
    assert isinstance(outcome[0], CancelledError)
    assert len(steps) < 500


def test_synchronous_switch_runs_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(workers, "SYNCHRONOUS", True)
    results: list[int] = []
    workers.run_task(None, lambda _p, _c: threading.get_ident(), on_done=results.append)
    assert results == [threading.get_ident()]
