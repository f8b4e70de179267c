"""The panel stays on the task the clerk works on (issue 18, finding 6), and says so when a filter hides it.

With the 滞后 filter on, 完成整改 made the task leave the list and the panel switched to another task:
the next click (验收通过) would have acted on the wrong one.
"""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt

from ledger_app.domain.model import ScheduleFlag, TaskStatus
from ledger_app.services import Ledger
from ledger_app.ui.main_window import MainWindow

pytestmark = pytest.mark.usefixtures("ui_settings")


def visible_ids(win: MainWindow) -> list[int]:
    return win.current_filter().task_ids


def test_completing_a_lagging_task_under_the_lagging_filter_keeps_the_panel_on_it(
    window: MainWindow, demo_ledger: Ledger, qtbot: Any
) -> None:
    window.show_schedule(ScheduleFlag.LAGGING)
    lagging = [r for r in demo_ledger.queries.list_tasks() if r.schedule is ScheduleFlag.LAGGING]
    target = next(r for r in lagging if r.status is TaskStatus.IN_PROGRESS)
    assert window.select_task(target.id)
    panel = window.panel
    assert panel.task_id == target.id
    panel.tabs.setCurrentWidget(panel.closeout)

    panel.closeout.step_buttons[TaskStatus.COMPLETED].click()

    assert demo_ledger.records.task_record(target.id).status is TaskStatus.COMPLETED
    assert target.id not in visible_ids(window)  # it left the 滞后 list…
    assert panel.task_id == target.id  # …but the panel did not jump to another task
    assert panel.record is not None and panel.record.status is TaskStatus.COMPLETED
    # The list highlights no other task as if it were the one shown.
    assert window.selected_task_ids() == []
    note = window.hidden_note
    assert note is not None and note.isVisible()
    assert f"序号 {target.seq}" in note.label.text() and "已不符合筛选条件" in note.label.text()

    # 显示全部 clears the filter and shows the task in the list, current and selected.
    qtbot.mouseClick(note.show_all_button, Qt.MouseButton.LeftButton)
    assert not note.isVisible()
    assert target.id in visible_ids(window)
    assert window.selected_task_ids() == [target.id] and panel.task_id == target.id


def test_a_search_that_hides_the_task_keeps_the_panel_and_says_so(
    window: MainWindow, demo_ledger: Ledger
) -> None:
    texts = demo_ledger.queries.search_texts()
    word = "彭红"
    shown = next(i for i in visible_ids(window) if word not in texts[i])
    window.select_task(shown)
    window.filter_bar.search_edit.setText(word)
    window.filter_bar.flush_search()
    assert shown not in visible_ids(window) and visible_ids(window)
    assert window.panel.task_id == shown
    assert window.hidden_note.isVisible()
    # Clearing the search brings the task back into the list, highlighted; the note goes.
    window.filter_bar.search_edit.setText("")
    window.filter_bar.flush_search()
    assert window.selected_task_ids() == [shown]
    assert not window.hidden_note.isVisible()
    # Choosing another row is the clerk's choice: the panel follows it.
    other = visible_ids(window)[3]
    window.select_task(other)
    assert window.panel.task_id == other and not window.hidden_note.isVisible()
