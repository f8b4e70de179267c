"""The banner counts 滞后 and 临期 after every change (issue 18, finding 9), on a ledger built by hand.

It said 139 滞后 while the status bar said 138 after a task was closed, and never showed 临期.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from ledger_app.domain.model import ProblemKind, RoundLevel, TaskStatus
from ledger_app.services import Ledger
from ledger_app.ui.main_window import MainWindow
from tests.ui_support import Boxes

pytestmark = pytest.mark.usefixtures("ui_settings", "sync_workers")


@pytest.fixture
def known(ledger: Ledger) -> dict[str, list[int]]:
    """3 lagging, 2 due soon (within the 15-day window), 1 on schedule, 1 long-term, 1 completed late."""
    today = date.today()
    rid = ledger.directory.create_round(name="第三轮省生态环境保护督察", level=RoundLevel.PROVINCIAL)
    ledger.settings.update(warning_days=15)

    def task(deadline: str, status: TaskStatus = TaskStatus.IN_PROGRESS) -> int:
        task_id = ledger.tasks.create_task(
            round_id=rid,
            kind=ProblemKind.SPECIFIC,
            description="河道整治",
            lead_units=["区水利局"],
            deadline=deadline,
        )
        ledger.lifecycle.transition(task_id, TaskStatus.IN_PROGRESS)
        if status is TaskStatus.COMPLETED:
            ledger.lifecycle.transition(task_id, TaskStatus.COMPLETED)
        return task_id

    def day(offset: int) -> str:
        return (today + timedelta(days=offset)).isoformat()

    return {
        "lagging": [task(day(-40)), task(day(-3)), task(day(-400))],
        "due_soon": [task(day(2)), task(day(14))],
        "on_schedule": [task(day(200))],
        "long_term": [task("立行立改、长期坚持")],
        "completed": [task(day(-30), TaskStatus.COMPLETED)],
    }


@pytest.fixture
def win(qtbot: Any, ledger: Ledger, known: dict[str, list[int]], boxes: Boxes) -> Iterator[MainWindow]:
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.set_ledger(ledger)
    yield window
    window.close()


def banner_text(window: MainWindow) -> str:
    return window.banner.message.text().replace("<b>", "").replace("</b>", "")


def test_the_banner_counts_lagging_and_due_soon(win: MainWindow) -> None:
    assert win.banner.isVisible()
    text = banner_text(win)
    assert "3 项任务已超过整改时限(滞后)" in text
    assert "2 项将在 15 天内到期(临期)" in text
    assert win.banner.due_soon_button.isVisible() and win.banner.lagging_button.isVisible()
    assert win.counts_label.text().startswith("共 8 项,滞后 3 项,临期 2 项")


def test_the_banner_follows_every_change(
    win: MainWindow, ledger: Ledger, known: dict[str, list[int]], qtbot: Any
) -> None:
    late = known["lagging"][0]
    assert win.select_task(late)
    win.panel.closeout.step_buttons[TaskStatus.COMPLETED].click()  # 完成整改 in the panel
    assert "2 项任务已超过整改时限(滞后)" in banner_text(win)
    assert win.counts_label.text().startswith("共 8 项,滞后 2 项")

    win.activateWindow()
    qtbot.waitActive(win)
    win.table.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is win.table)
    qtbot.keyClick(win.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # undo
    assert "3 项任务已超过整改时限(滞后)" in banner_text(win)
    qtbot.keyClick(win.table, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)  # redo
    assert "2 项任务已超过整改时限(滞后)" in banner_text(win)

    # Another window (or a colleague) moves a due-soon deadline out of the window; F5 reads it.
    ledger.tasks.update_task(known["due_soon"][0], deadline=(date.today() + timedelta(days=90)).isoformat())
    qtbot.keyClick(win.table, Qt.Key.Key_F5)
    assert "1 项将在 15 天内到期(临期)" in banner_text(win)

    # Deleting tasks counts too; with nothing left to remind of, the banner goes.
    for task_id in [*known["lagging"][1:], known["due_soon"][1]]:
        win.select_task(task_id)
        win.panel.delete_task()
    assert not win.banner.isVisible()
    assert win.counts_label.text().startswith("共 5 项,滞后 0 项")


def test_a_banner_closed_by_the_clerk_stays_closed_but_keeps_count(
    win: MainWindow, known: dict[str, list[int]]
) -> None:
    win.banner.close_button.click()
    assert not win.banner.isVisible()
    win.select_task(known["lagging"][0])
    win.panel.closeout.step_buttons[TaskStatus.COMPLETED].click()
    assert not win.banner.isVisible()
    assert "2 项任务已超过整改时限(滞后)" in banner_text(win)
