"""The main window driven as a clerk would: open, filter, search, sort, copy, delete, restore, undo."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QGuiApplication, QInputMethodEvent
from PySide6.QtWidgets import QApplication

from ledger_app.domain.model import ProblemKind, RoundLevel, ScheduleFlag, TaskStatus
from ledger_app.services import Ledger, TaskFilter
from ledger_app.ui import ledger_files, settings_store
from ledger_app.ui.main_window import MainWindow
from ledger_app.ui.task_table import COL_DEADLINE, COL_SEQ, COL_UNITS, HEADERS
from tests.ui_support import Boxes

pytestmark = pytest.mark.usefixtures("ui_settings")


def visible_ids(win: MainWindow) -> list[int]:
    return win.current_filter().task_ids


def focus_table(win: MainWindow, qtbot: Any) -> None:
    win.activateWindow()
    qtbot.waitActive(win)
    win.table.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is win.table)


def click_header(win: MainWindow, qtbot: Any, column: int) -> None:
    header = win.table.horizontalHeader()
    x = header.sectionViewportPosition(column) + header.sectionSize(column) // 2
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, header.height() // 2))


def type_search(win: MainWindow, qtbot: Any, text: str) -> None:
    """Type into the search box: Chinese arrives as an input method's commits, one character at a time."""
    edit = win.filter_bar.search_edit
    edit.clear()
    for char in text:
        if char.isascii():
            qtbot.keyClicks(edit, char)
        else:
            event = QInputMethodEvent()
            event.setCommitString(char)
            QApplication.sendEvent(edit, event)
    assert edit.text() == text
    # The list follows after the typing pauses (debounced), without pressing Enter.
    qtbot.waitUntil(lambda: win.proxy.task_filter.text == text.strip(), timeout=2000)


def test_opening_shows_the_ledger_its_counts_and_the_banner(window: MainWindow, demo_ledger: Ledger) -> None:
    rows = demo_ledger.queries.list_tasks()
    assert demo_ledger.path.name in window.windowTitle()
    assert str(demo_ledger.path.parent) in window.windowTitle()
    assert window.model.rowCount() == len(rows)
    lagging = sum(r.schedule is ScheduleFlag.LAGGING for r in rows)
    due_soon = sum(r.schedule is ScheduleFlag.DUE_SOON for r in rows)
    assert window.counts_label.text().startswith(f"共 {len(rows)} 项,滞后 {lagging} 项")
    assert window.banner.isVisible() == bool(lagging or due_soon)
    if lagging:
        assert f"{lagging}" in window.banner.message.text()
    assert settings_store.recent_ledgers()[0] == demo_ledger.path.resolve()
    # The first task is selected and shown in the task panel.
    assert window.panel is not None and window.panel.task_id == window.current_filter().task_ids[0]


def test_search_filters_as_you_type_over_measures_and_progress(
    ledger: Ledger, qtbot: Any, sync_workers: None, boxes: Boxes
) -> None:
    # A hand-made ledger, so the expected rows are known without asking the search itself.
    round_id = ledger.directory.create_round(name="第二轮中央生态环境保护督察", level=RoundLevel.CENTRAL)

    def add(seq: str, description: str, **fields: Any) -> int:
        return ledger.tasks.create_task(
            round_id=round_id, kind=ProblemKind.SPECIFIC, seq=seq, description=description, **fields
        )

    ids = {
        "1": add("1", "城区污水处理厂超负荷运行", leader="彭红(副区长)"),
        "2": add("2", "河道黑臭水体反弹", responsible_units=["城关镇"]),
        "3": add("3", "垃圾填埋场渗滤液外溢"),
        "4": add("4", "群众反映彭红村养殖污染"),
        "5": add("5", "餐饮油烟扰民"),
    }
    ledger.tasks.add_measure(ids["2"], text="每周开展河道巡查")
    ledger.tasks.add_progress(ids["3"], entry_date=date(2026, 3, 20), text="已安排专人巡查渗滤液")
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.set_ledger(ledger)
    assert window.model.rowCount() == 5

    type_search(window, qtbot, "彭红")  # a leader's name in one task, a village in another
    assert visible_ids(window) == [ids["1"], ids["4"]]
    assert window.counts_label.text().startswith("共 2 项")
    # A word found only in a measure and in a progress entry, not in the list's own columns.
    type_search(window, qtbot, "巡查")
    assert visible_ids(window) == [ids["2"], ids["3"]]
    assert window.counts_label.text().startswith("共 2 项")
    # The service's own SQL search finds the same two.
    assert {r.id for r in ledger.queries.list_tasks(TaskFilter(text="巡查"))} == {ids["2"], ids["3"]}
    type_search(window, qtbot, "没有这个词")
    assert visible_ids(window) == []
    window.filter_bar.search_edit.clear()
    qtbot.waitUntil(lambda: len(visible_ids(window)) == 5, timeout=2000)
    window.close()


def test_combos_combine_and_agree_with_the_ledger(
    window: MainWindow, demo_ledger: Ledger, qtbot: Any
) -> None:
    bar = window.filter_bar
    round_id = demo_ledger.directory.list_rounds()[-1].id
    bar.round_combo.setCurrentIndex(bar.round_combo.findData(round_id))
    assert visible_ids(window) == [
        r.id for r in demo_ledger.queries.list_tasks(TaskFilter(round_id=round_id))
    ]
    bar.kind_combo.setCurrentIndex(bar.kind_combo.findData(ProblemKind.PETITION))
    flt = TaskFilter(round_id=round_id, kind=ProblemKind.PETITION)
    assert visible_ids(window) == [r.id for r in demo_ledger.queries.list_tasks(flt)]
    bar.reset()
    busiest = max(demo_ledger.directory.list_units(), key=lambda u: u.task_count)
    bar.unit_combo.setCurrentIndex(bar.unit_combo.findData(busiest.name))
    bar.schedule_combo.setCurrentIndex(bar.schedule_combo.findData(ScheduleFlag.ON_SCHEDULE))
    flt = TaskFilter(unit=busiest.name, schedule=ScheduleFlag.ON_SCHEDULE)
    expected = [r.id for r in demo_ledger.queries.list_tasks(flt)]
    assert visible_ids(window) == expected
    bar.schedule_combo.setCurrentIndex(0)
    bar.status_combo.setCurrentIndex(bar.status_combo.findData(TaskStatus.CLOSED))
    expected = [
        r.id for r in demo_ledger.queries.list_tasks(TaskFilter(unit=busiest.name, status=TaskStatus.CLOSED))
    ]
    assert visible_ids(window) == expected
    assert window.counts_label.text().startswith(f"共 {len(expected)} 项,滞后 0 项")
    assert f"台账共 {window.model.rowCount()} 项" in window.counts_label.text()
    # Search and combos together.
    type_search(window, qtbot, "整改")
    flt = TaskFilter(unit=busiest.name, status=TaskStatus.CLOSED, text="整改")
    assert visible_ids(window) == [r.id for r in demo_ledger.queries.list_tasks(flt)]
    bar.reset_button.click()
    assert len(visible_ids(window)) == window.model.rowCount()


def test_clicking_the_seq_header_sorts_naturally(window: MainWindow, demo_ledger: Ledger, qtbot: Any) -> None:
    bar = window.filter_bar
    round_id = demo_ledger.directory.list_rounds()[0].id
    bar.round_combo.setCurrentIndex(bar.round_combo.findData(round_id))
    bar.kind_combo.setCurrentIndex(bar.kind_combo.findData(ProblemKind.PETITION))
    seqs = [window.proxy.index(r, COL_SEQ).data() for r in range(window.proxy.rowCount())]
    assert len(seqs) >= 10, "need two-digit 序号 to see a natural sort"
    click_header(window, qtbot, COL_SEQ)  # already ascending: the click makes it descending
    descending = [window.proxy.index(r, COL_SEQ).data() for r in range(window.proxy.rowCount())]
    assert descending == sorted(seqs, key=int, reverse=True)
    click_header(window, qtbot, COL_SEQ)
    ascending = [window.proxy.index(r, COL_SEQ).data() for r in range(window.proxy.rowCount())]
    assert ascending == sorted(seqs, key=int)
    assert ascending[:3] != sorted(seqs)[:3] or len(seqs) < 10  # not the text order 1, 10, 11


def test_sorting_by_deadline_orders_dates(window: MainWindow, qtbot: Any) -> None:
    click_header(window, qtbot, COL_DEADLINE)
    rows = [window.model.task(i) for i in visible_ids(window)]
    dates = [r.deadline.date for r in rows if r.deadline.date is not None]
    assert dates == sorted(dates)
    first_undated = next(i for i, r in enumerate(rows) if r.deadline.date is None)
    assert all(r.deadline.date is None for r in rows[first_undated:])


def test_ctrl_c_copies_rows_for_excel(window: MainWindow, demo_ledger: Ledger, qtbot: Any) -> None:
    round_id = demo_ledger.directory.list_rounds()[0].id
    tricky = '第一段\n第二段,含"引号"\t和制表符'
    task_id = demo_ledger.tasks.create_task(
        round_id=round_id, kind=ProblemKind.SELF_CHECK, description=tricky, lead_units=["区水利局"]
    )
    window.reload()
    window.select_task(task_id)
    ids = visible_ids(window)
    other = ids[0] if ids[0] != task_id else ids[1]
    window.select_task(other, clear=False)
    focus_table(window, qtbot)
    qtbot.keyClick(window.table, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    parsed = list(csv.reader(io.StringIO(QGuiApplication.clipboard().text()), dialect="excel-tab"))
    # Columns in the order shown: the demo has several rounds, so 督察批次 comes first (issue 18).
    assert parsed[0][:3] == ["督察批次", HEADERS[COL_SEQ], "问题描述"]
    assert len(parsed) == 3  # header + the two selected rows, in view order
    copied = {row[2] for row in parsed[1:]}
    assert tricky in copied
    assert window.model.task(other).description in copied


def test_delete_goes_to_the_trash_and_comes_back(
    window: MainWindow, demo_ledger: Ledger, qtbot: Any, boxes: Boxes, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = visible_ids(window)
    doomed = before[2:4]
    window.select_task(doomed[0])
    window.select_task(doomed[1], clear=False)
    focus_table(window, qtbot)
    boxes.answer = boxes.answer.No
    qtbot.keyClick(window.table, Qt.Key.Key_Delete)
    assert boxes.texts("question") and "2 项任务" in boxes.texts("question")[0]
    assert visible_ids(window) == before  # "No" keeps them
    boxes.answer = boxes.answer.Yes
    qtbot.keyClick(window.table, Qt.Key.Key_Delete)
    assert not set(doomed) & set(visible_ids(window))
    assert {r.id for r in demo_ledger.queries.list_tasks(deleted=True)} == set(doomed)
    assert window.counts_label.text().startswith(f"共 {len(before) - 2} 项")

    from ledger_app.ui.dialogs.trash_dialog import TrashDialog

    def restore_all(dialog: TrashDialog) -> int:
        dialog.table.selectAll()
        dialog.restore_button.click()
        return 0

    monkeypatch.setattr(TrashDialog, "exec", restore_all)
    window.trash_action.trigger()
    assert visible_ids(window) == before
    assert demo_ledger.queries.list_tasks(deleted=True) == []


def test_ctrl_z_undoes_a_delete_and_an_edit(
    window: MainWindow, demo_ledger: Ledger, qtbot: Any, boxes: Boxes
) -> None:
    # Nothing of this operator's to undo: 撤销 is greyed out, as in any Windows program.
    assert not window.undo_action.isEnabled() and window.undo_action.text() == "撤销"

    task_id = visible_ids(window)[5]
    old_leader = window.model.task(task_id).leader
    demo_ledger.tasks.update_task(task_id, leader="张三(副区长)")  # as the task panel would
    window.panel.taskChanged.emit(task_id)
    assert window.model.task(task_id).leader == "张三(副区长)"
    type_search(window, qtbot, "张三")
    assert visible_ids(window) == [task_id]  # the edited row's search text was refreshed
    window.filter_bar.reset()

    focus_table(window, qtbot)
    qtbot.keyClick(window.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert "已撤销" in window.statusBar().currentMessage()
    assert window.model.task(task_id).leader == old_leader

    window.select_task(task_id)
    focus_table(window, qtbot)
    qtbot.keyClick(window.table, Qt.Key.Key_Delete)
    assert window.model.task(task_id) is None
    qtbot.keyClick(window.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert window.model.task(task_id) is not None
    assert "删除任务" in window.statusBar().currentMessage()


def test_banner_click_filters_to_lagging_tasks(window: MainWindow, demo_ledger: Ledger, qtbot: Any) -> None:
    lagging = [r.id for r in demo_ledger.queries.list_tasks() if r.schedule is ScheduleFlag.LAGGING]
    assert lagging, "the demo ledger has lagging tasks"
    type_search(window, qtbot, "河")  # the banner shows all lagging tasks, whatever was typed
    qtbot.mouseClick(window.banner.lagging_button, Qt.MouseButton.LeftButton)
    assert visible_ids(window) == lagging
    assert window.current_filter().filter.schedule is ScheduleFlag.LAGGING
    assert window.filter_bar.search_edit.text() == ""
    assert window.counts_label.text().startswith(f"共 {len(lagging)} 项,滞后 {len(lagging)} 项")


def test_ctrl_n_creates_a_task_and_selects_it(
    window: MainWindow, demo_ledger: Ledger, qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ledger_app.ui.dialogs.new_task_dialog import NewTaskDialog

    def fill_and_accept(dialog: NewTaskDialog) -> int:
        dialog.description_edit.setPlainText("新发现的问题:某河段堆放建筑垃圾")
        dialog.lead_units_edit.setText("区城管局")
        dialog.deadline_edit.setText("2027年3月底前")
        dialog.accept()
        return dialog.result()

    monkeypatch.setattr(NewTaskDialog, "exec", fill_and_accept)
    window.filter_bar.kind_combo.setCurrentIndex(window.filter_bar.kind_combo.findData(ProblemKind.PETITION))
    focus_table(window, qtbot)
    qtbot.keyClick(window.table, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    created = [r for r in demo_ledger.queries.list_tasks() if r.description.startswith("新发现的问题")]
    assert len(created) == 1
    assert window.panel.task_id == created[0].id  # shown although the kind filter would have hidden it
    assert created[0].id in visible_ids(window)
    assert created[0].deadline.date is not None


def test_a_file_that_is_not_a_ledger_offers_another(
    window: MainWindow, demo_ledger: Ledger, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    junk = tmp_path / "notes.sqlite3"
    junk.write_text("这不是数据库", encoding="utf-8")
    asked: list[str] = []
    monkeypatch.setattr(
        ledger_files, "ask_alternative", lambda _parent, message: asked.append(message) or "cancel"
    )
    assert not window.open_path(junk)
    assert asked and "台账" in asked[0]
    assert window.ledger is demo_ledger  # still working on the ledger it had

    fresh = tmp_path / "新台账.sqlite3"
    monkeypatch.setattr(ledger_files, "ask_alternative", lambda _parent, _message: "new")
    monkeypatch.setattr(ledger_files, "ask_new_path", lambda _parent, _near=None: fresh)
    assert window.open_path(junk)
    assert window.ledger is not None and window.ledger.path == fresh
    assert fresh.name in window.windowTitle()
    assert window.model.rowCount() == 0
    assert not window.banner.isVisible()


def test_save_copy_writes_a_ledger_that_opens(
    window: MainWindow, demo_ledger: Ledger, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dest = tmp_path / "U盘" / "副本.sqlite3"
    dest.parent.mkdir()
    monkeypatch.setattr(ledger_files, "ask_copy_path", lambda _parent, _path: dest)
    window.save_copy_action.trigger()
    with Ledger.open(dest) as copy:
        assert copy.tasks.count_tasks() == demo_ledger.tasks.count_tasks()
    assert str(dest) in window.statusBar().currentMessage()


def test_window_layout_is_remembered(qtbot: Any, demo_ledger: Ledger, sync_workers: None) -> None:
    first = MainWindow()
    qtbot.addWidget(first)
    first.set_ledger(demo_ledger)
    first.table.horizontalHeader().resizeSection(COL_UNITS, 222)
    first.resize(700, 500)  # within the offscreen screen (800×600): Qt keeps a window on its screen
    first.close()
    second = MainWindow()
    qtbot.addWidget(second)
    assert second.table.horizontalHeader().sectionSize(COL_UNITS) == 222
    assert (second.width(), second.height()) == (700, 500)


def test_extension_hook_adds_a_working_file_action(window: MainWindow) -> None:
    calls: list[list[int]] = []
    action = window.add_action(
        "export_monthly", "导出月报…", lambda: calls.append(window.current_filter().task_ids)
    )
    titles = [a.text() for a in window.file_menu.actions()]
    assert titles.index("导出月报…") < titles.index("退出")
    action.trigger()
    assert calls == [visible_ids(window)]


def test_the_panels_task_stays_highlighted_when_filtering(
    window: MainWindow, demo_ledger: Ledger, qtbot: Any
) -> None:
    texts = demo_ledger.queries.search_texts()
    ids = visible_ids(window)
    word = "彭红"
    selected = next(i for i in ids if word not in texts[i])  # a task the search will hide
    window.select_task(selected)
    type_search(window, qtbot, word)
    assert selected not in visible_ids(window) and visible_ids(window)
    # The panel stays on the clerk's task (issue 18, finding 6); the list highlights no other task
    # and says above itself why the task is not in it.
    assert window.panel.task_id == selected and window.selected_task_ids() == []
    assert window.hidden_note.isVisible()
    # A task the search keeps stays highlighted, scrolled into view, not past the end of the list.
    kept = visible_ids(window)[-1]
    window.filter_bar.reset()
    window.select_task(kept)
    type_search(window, qtbot, word)
    assert window.selected_task_ids() == [kept] == [window.panel.task_id]
    current = window.table.visualRect(window.table.currentIndex())
    assert window.table.viewport().rect().intersects(current)


def test_f5_rereads_changes_made_elsewhere_and_ctrl_f_goes_to_search(
    window: MainWindow, demo_ledger: Ledger, qtbot: Any
) -> None:
    task_id = visible_ids(window)[0]
    demo_ledger.tasks.update_task(task_id, leader="另一台电脑改的")  # e.g. a colleague on a shared ledger
    assert window.model.task(task_id).leader != "另一台电脑改的"
    focus_table(window, qtbot)
    qtbot.keyClick(window.table, Qt.Key.Key_F5)
    assert window.model.task(task_id).leader == "另一台电脑改的"
    qtbot.keyClick(window.table, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.focusWidget() is window.filter_bar.search_edit


def test_a_recent_ledger_that_is_gone_is_dropped_from_the_list(
    window: MainWindow, tmp_path: Path, boxes: Boxes
) -> None:
    gone = tmp_path / "moved.sqlite3"
    settings_store.add_recent_ledger(gone)
    window._fill_recent_menu()
    assert any(gone.name in a.text() for a in window.recent_menu.actions())
    window.open_recent(gone.resolve())
    assert "已不存在" in boxes.texts("warning")[-1]
    assert gone.resolve() not in settings_store.recent_ledgers()


def test_start_up_asks_before_creating_a_missing_ledger(tmp_path: Path, boxes: Boxes) -> None:
    from ledger_app.ui.app import initial_ledger, parse_args

    wanted = tmp_path / "新台账.sqlite3"
    assert parse_args(["ledger-app", "--db", str(wanted)]).db == wanted
    boxes.answer = boxes.answer.No
    assert initial_ledger(wanted) is None
    boxes.answer = boxes.answer.Yes
    assert initial_ledger(wanted) == (wanted, True)
    assert "不存在" in boxes.texts("question")[0]


def test_an_empty_list_says_why(qtbot: Any, ledger: Ledger, sync_workers: None, boxes: Boxes) -> None:
    win = MainWindow()
    qtbot.addWidget(win)
    win.show()
    win.set_ledger(ledger)
    assert win.empty_hint.isVisible() and "还没有任务" in win.empty_hint.text()
    round_id = ledger.directory.create_round(name="第三轮中央生态环境保护督察", level="central")
    ledger.tasks.create_task(
        round_id=round_id, kind=ProblemKind.SPECIFIC, description="河道垃圾", lead_units=["区水利局"]
    )
    win.reload()
    assert not win.empty_hint.isVisible()
    win.filter_bar.search_edit.setText("不存在的词")
    win.filter_bar.flush_search()
    assert win.empty_hint.isVisible() and "没有符合筛选条件" in win.empty_hint.text()


def test_a_shorter_list_after_filtering_shows_its_current_row(
    window: MainWindow, demo_ledger: Ledger
) -> None:
    bar = window.filter_bar
    last_round = demo_ledger.directory.list_rounds()[-1]
    window.select_task(next(r.id for r in window.model.rows if r.round_id == last_round.id))
    window.table.scrollToBottom()
    bar.round_combo.setCurrentIndex(bar.round_combo.findData(last_round.id))
    current = window.table.currentIndex()
    assert current.isValid()
    assert window.table.viewport().rect().intersects(window.table.visualRect(current))
    # A round without the panel's task: the list starts at its top; the panel keeps its task.
    bar.round_combo.setCurrentIndex(bar.round_combo.findData(demo_ledger.directory.list_rounds()[0].id))
    assert not window.table.currentIndex().isValid() and window.hidden_note.isVisible()
    assert window.table.verticalScrollBar().value() == 0


def test_a_ledger_that_cannot_be_read_says_so(
    window: MainWindow, boxes: Boxes, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ledger_app.domain.errors import NotALedgerError

    def broken(*_args: object, **_kwargs: object) -> None:
        raise NotALedgerError("台账文件已损坏或不是台账文件:U盘已拔出", "gone")

    monkeypatch.setattr(window.ledger.queries, "list_tasks", broken)
    window.reload()
    assert boxes.texts("warning") == ["台账文件已损坏或不是台账文件:U盘已拔出"]
    assert window.counts_label.text() == "读取台账失败"
