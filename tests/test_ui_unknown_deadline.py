"""Issue 18, finding 2: 明年春天 typed over the deadline of a 滞后 task, through the real window.

The hand-built ledger (today is whatever day the test runs; every date below is long past or far ahead):

    round A  1  2022年6月30日      滞后
             2  2099年底前         序时推进
             3  (empty)           时限不明
    round B  1  2021年12月31日     滞后
             2  立行立改、长期坚持  长期坚持

so the window opens with 共 5 项,滞后 2 项,时限不明 1 项.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton, QWidget

from ledger_app.domain.errors import UnreadableDeadlineError
from ledger_app.domain.model import ProblemKind, RoundLevel, ScheduleFlag
from ledger_app.services import Ledger
from ledger_app.ui.main_window import MainWindow
from ledger_app.ui.task_panel import deadline_question
from ledger_app.ui.task_table import COL_SCHEDULE

pytestmark = pytest.mark.usefixtures("ui_settings")

TASKS = {
    ("A", "1"): "2022年6月30日",
    ("A", "2"): "2099年底前",
    ("A", "3"): "",
    ("B", "1"): "2021年12月31日",
    ("B", "2"): "立行立改、长期坚持",
}


@pytest.fixture
def ids(ledger: Ledger) -> dict[tuple[str, str], int]:
    rounds = {
        "A": ledger.directory.create_round(name="第二轮中央生态环境保护督察", level=RoundLevel.CENTRAL),
        "B": ledger.directory.create_round(name="第二轮省生态环境保护督察", level=RoundLevel.PROVINCIAL),
    }
    return {
        (r, seq): ledger.tasks.create_task(
            round_id=rounds[r],
            kind=ProblemKind.SPECIFIC,
            seq=seq,
            description=f"{r}问题{seq}",
            deadline=deadline,
        )
        for (r, seq), deadline in TASKS.items()
    }


@pytest.fixture
def win(
    qtbot: Any, ledger: Ledger, ids: dict[tuple[str, str], int], sync_workers: None, boxes: Any
) -> Iterator[MainWindow]:
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.set_ledger(ledger)
    yield window
    window.close()


def type_over(qtbot: Any, widget: Any, text: str) -> None:
    widget.setFocus()
    widget.selectAll()
    for run in re.findall(r"[\x20-\x7e]+|[^\x20-\x7e]+", text):
        if run.isascii():
            qtbot.keyClicks(widget, run)
        else:  # Chinese arrives as the input method commits it
            event = QInputMethodEvent()
            event.setCommitString(run)
            QApplication.sendEvent(widget, event)


def leave(widget: QWidget) -> None:
    QApplication.processEvents()
    widget.window().setFocus()
    widget.clearFocus()
    QApplication.processEvents()


def progress_cell(win: MainWindow, task_id: int) -> str:
    row = win.proxy.proxy_row_of(task_id)
    assert row is not None
    return win.proxy.index(row, COL_SCHEDULE).data()


def test_the_window_counts_unknown_deadlines(win: MainWindow, ids: dict[tuple[str, str], int]) -> None:
    assert win.counts_label.text() == "共 5 项,滞后 2 项,时限不明 1 项"
    assert win.banner.isVisibleTo(win)
    assert "<b>2</b> 项任务已超过整改时限" in win.banner.message.text()
    assert "<b>1</b> 项整改时限不明" in win.banner.message.text()
    assert win.banner.unknown_button.isVisibleTo(win)
    assert progress_cell(win, ids[("A", "3")]) == "时限不明"


def test_mingnian_chuntian_over_a_lagging_task_asks_and_keeps_the_date_until_confirmed(
    win: MainWindow,
    ledger: Ledger,
    ids: dict[tuple[str, str], int],
    qtbot: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    task_id = ids[("A", "1")]
    assert win.select_task(task_id)
    panel = win.panel
    assert panel is not None and panel.task_id == task_id
    edit = panel.basic.deadline.edit
    questions: list[str] = []
    answer = {"make_unknown": False}

    def ask(_parent: object, error: UnreadableDeadlineError) -> bool:
        questions.append(deadline_question.question_text(error))
        # While asking, nothing is saved yet: the task is still 滞后 in the ledger.
        assert ledger.records.task_record(task_id).deadline.text == "2022年6月30日"
        return answer["make_unknown"]

    monkeypatch.setattr(deadline_question, "ask_make_unknown", ask)

    # 1. The clerk keeps the date.
    type_over(qtbot, edit, "明年春天")
    leave(edit)
    assert questions == [
        "无法识别的整改时限「明年春天」。\n保留原时限 2022-06-30(2022年6月30日),还是改为时限不明?"
    ]
    assert edit.text() == "2022年6月30日"
    assert ledger.records.task_record(task_id).deadline.text == "2022年6月30日"
    assert progress_cell(win, task_id) == "滞后"
    assert win.counts_label.text() == "共 5 项,滞后 2 项,时限不明 1 项"
    assert panel.schedule_badge.text() == "滞后"
    assert "<b>2</b> 项任务已超过整改时限" in win.banner.message.text()

    # 2. The clerk confirms: stored as text without a date, 时限不明 everywhere, never 序时推进.
    answer["make_unknown"] = True
    type_over(qtbot, edit, "明年春天")
    leave(edit)
    assert len(questions) == 2
    record = ledger.records.task_record(task_id)
    assert (record.deadline.text, record.deadline.date) == ("明年春天", None)
    qtbot.waitUntil(lambda: progress_cell(win, task_id) == "时限不明", timeout=2000)
    assert win.counts_label.text() == "共 5 项,滞后 1 项,时限不明 2 项"
    assert panel.schedule_badge.text() == "时限不明"
    # The banner follows every change (its refresh: ui/view_sync.py) with the domain's counts.
    qtbot.waitUntil(lambda: "<b>2</b> 项整改时限不明" in win.banner.message.text(), timeout=2000)
    assert "<b>1</b> 项任务已超过整改时限" in win.banner.message.text()


def test_the_filter_option_shows_only_unknown_deadlines(
    win: MainWindow, ids: dict[tuple[str, str], int], qtbot: Any
) -> None:
    combo = win.filter_bar.schedule_combo
    index = combo.findText("时限不明")
    assert index > 0
    combo.setCurrentIndex(index)
    assert win.current_filter().task_ids == [ids[("A", "3")]]
    assert win.counts_label.text().startswith("共 1 项,滞后 0 项,时限不明 1 项")
    # The banner's link filters the same way.
    win.filter_bar.reset()
    win.banner.unknown_button.click()
    assert win.current_filter().task_ids == [ids[("A", "3")]]
    assert win.proxy.task_filter.schedule is ScheduleFlag.UNKNOWN_DEADLINE


def test_the_question_itself_defaults_to_keeping_the_date(qtbot: Any) -> None:
    error = UnreadableDeadlineError("明年春天", "2022-06-30")
    box = deadline_question.build_question(None, error)
    qtbot.addWidget(box)
    assert box.text() == "无法识别的整改时限「明年春天」。\n保留原时限 2022-06-30,还是改为时限不明?"
    assert box.defaultButton().text() == deadline_question.KEEP_TEXT
    assert box.escapeButton().text() == deadline_question.KEEP_TEXT
    assert sorted(b.text() for b in box.buttons()) == sorted(
        [deadline_question.KEEP_TEXT, deadline_question.UNKNOWN_TEXT]
    )


@pytest.mark.parametrize(("button", "expected"), [("改为时限不明", True), ("保留原时限", False)])
def test_the_real_dialog_answers(qtbot: Any, button: str, expected: bool) -> None:
    error = UnreadableDeadlineError("明年春天", "2022-06-30")
    clicked: list[str] = []

    def press() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):  # not shown yet: try again on the next turn of the loop
            QTimer.singleShot(10, press)
            return
        target = next(b for b in box.findChildren(QPushButton) if b.text() == button)
        clicked.append(target.text())
        target.click()

    QTimer.singleShot(0, press)
    assert deadline_question.ask_make_unknown(None, error) is expected
    assert clicked == [button]
