"""Property: whatever a clerk does in the main window, with undo and redo in between, nothing breaks,
every view shows the ledger as it is, undoing everything gives back the ledger from before and
redoing it all gives back the ledger after (issue 18, finding 1 and the redo of finding 11).

Driven through the GUI offscreen (panel fields, the add dialogs, the step buttons, Del, the import
wizard, 撤销/重做); one window for all examples, a fresh copy of a small ledger for each.
"""

from __future__ import annotations

import itertools
import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PySide6.QtWidgets import QDialogButtonBox, QPlainTextEdit, QWidget

from ledger_app.domain.model import ProblemKind, RoundLevel, ScheduleFlag, TaskStatus
from ledger_app.domain.stats import schedule_tally
from ledger_app.io.dump import ledger_to_dict
from ledger_app.services import Ledger
from ledger_app.ui.import_wizard import install as install_import
from ledger_app.ui.main_window import MainWindow
from tests.test_ui_undo_redo import import_workbook
from tests.ui_support import Boxes
from tests.xlsx_factory import K, layout_county, sample_tasks

pytestmark = pytest.mark.usefixtures("ui_settings", "sync_workers")

TODAY = date.today()  # the window computes schedule flags for today; the dumps use the same day
WORDS = st.sampled_from(["河道清淤", "张三", "已完成80%", "督导检查", "污水管网", "整改到位"])
TASK = st.integers(min_value=0, max_value=9)  # an index into the visible list (modulo its length)

ACTIONS = st.one_of(
    st.tuples(st.just("edit"), TASK, st.sampled_from(["leader", "goal", "note", "contact"]), WORDS),
    st.tuples(st.just("progress"), TASK, WORDS, st.one_of(st.none(), st.integers(0, 100))),
    st.tuples(st.just("measure"), TASK, WORDS),
    st.tuples(st.just("attach"), TASK, st.binary(min_size=1, max_size=64)),
    st.tuples(st.just("step"), TASK),
    st.tuples(st.just("delete"), TASK),
    st.tuples(st.just("import")),
    st.tuples(st.just("filter"), st.sampled_from(["lagging", "search", "none"])),
    st.tuples(st.just("undo")),
    st.tuples(st.just("redo")),
)


def dump(ledger: Ledger) -> dict[str, Any]:
    return ledger_to_dict(ledger.records.round_records(today=TODAY), today=TODAY)


@pytest.fixture(scope="module")
def base_ledger(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Three tasks (one overdue) written by another operator: not this clerk's to undo."""
    path = tmp_path_factory.mktemp("base") / "base.sqlite3"
    with Ledger.open(path, create=True, actor="准备") as ledger:
        rid = ledger.directory.create_round(name="第三轮中央生态环境保护督察", level=RoundLevel.CENTRAL)
        for description, deadline in [
            ("河道垃圾", "2025年6月底前"),
            ("扬尘污染", "2030年底前"),
            ("噪声扰民", ""),
        ]:
            ledger.tasks.create_task(
                round_id=rid,
                kind=ProblemKind.SPECIFIC,
                description=description,
                lead_units=["区住建局", "各县(市、区)人民政府"],
                deadline=deadline,
            )
    return path


@pytest.fixture(scope="module")
def workbook(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return layout_county(sample_tasks(3, seed=9, kinds=(K.SPECIFIC,), max_measures=2)).write(
        tmp_path_factory.mktemp("book")
    )


@pytest.fixture
def win(qtbot: Any, boxes: Boxes) -> Iterator[MainWindow]:
    window = MainWindow()
    qtbot.addWidget(window)
    install_import(window)
    window.show()
    qtbot.waitExposed(window)
    yield window
    window.close()


class Clerk:
    """Does one action as a clerk would, in the window."""

    def __init__(self, win: MainWindow, workbook: Path, files: Path) -> None:
        self.win, self.workbook, self.files = win, workbook, files
        self.counter = itertools.count()

    def pick(self, index: int) -> bool:
        """Click a task of the list (False when the list is empty)."""
        count = self.win.proxy.rowCount()
        if not count:
            return False
        return self.win.select_task(self.win.proxy.task_id_at(index % count))

    def run(self, action: tuple[Any, ...]) -> None:
        getattr(self, f"do_{action[0]}")(*action[1:])

    def do_edit(self, index: int, field: str, text: str) -> None:
        if not self.pick(index):
            return
        widget = self.win.panel.basic.text_edits[field]
        if isinstance(widget, QPlainTextEdit):
            widget.setPlainText(text)
        else:
            widget.setText(text)
        self.win.panel.basic.flush()  # what leaving the field does

    def _add_in_dialog(self, tab: Any, text: str, percent: int | None = None) -> None:
        tab.add_button.click()
        dialog = tab.add_dialog
        assert dialog is not None and dialog.isVisible()
        dialog.fields.findChild(QPlainTextEdit, "textEdit").setPlainText(text)
        if percent is not None:
            dialog.fields.findChild(QWidget, "percentSpin").setValue(percent)
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()

    def do_progress(self, index: int, text: str, percent: int | None) -> None:
        if self.pick(index):
            self._add_in_dialog(self.win.panel.progress, text, percent)

    def do_measure(self, index: int, text: str) -> None:
        if self.pick(index):
            self._add_in_dialog(self.win.panel.measures, text)

    def do_attach(self, index: int, content: bytes) -> None:
        if not self.pick(index):
            return
        path = self.files / f"现场照片{next(self.counter)}.txt"
        path.write_bytes(content)
        self.win.panel.attachments.add_paths([path])

    def do_step(self, index: int) -> None:
        """开始整改 or 完成整改, whichever the task is at (the later steps need forms filled in)."""
        if not self.pick(index):
            return
        panel = self.win.panel
        panel.tabs.setCurrentWidget(panel.closeout)  # the 验收销号 tab, where the step buttons are
        buttons = panel.closeout.step_buttons
        for target in (TaskStatus.IN_PROGRESS, TaskStatus.COMPLETED):
            if buttons[target].isEnabled() and not buttons[target].isHidden():
                buttons[target].click()
                return

    def do_delete(self, index: int) -> None:
        if self.pick(index):
            self.win.delete_action.trigger()  # Del; the confirmation is answered 是

    def do_import(self) -> None:
        import_workbook(self.win, self.workbook)

    def do_filter(self, which: str) -> None:
        bar = self.win.filter_bar
        if which == "lagging":
            self.win.show_schedule(ScheduleFlag.LAGGING)
        elif which == "search":
            bar.search_edit.setText("河")
            bar.flush_search()
        else:
            bar.reset()

    def do_undo(self) -> None:
        self.win.undo_action.trigger()  # Ctrl+Z; nothing happens when it is greyed out

    def do_redo(self) -> None:
        self.win.redo_action.trigger()


def check_views(win: MainWindow, ledger: Ledger) -> None:
    """Every view agrees with the ledger."""
    rows = ledger.queries.list_tasks(today=TODAY)

    def shown(row: Any) -> tuple[Any, ...]:
        return row.id, row.status, row.schedule, row.leader, row.description, row.deadline

    assert sorted(map(shown, win.model.rows)) == sorted(map(shown, rows))
    tally = schedule_tally((r.status, r.schedule) for r in rows)
    if win.banner.isVisible():
        assert f"<b>{tally.lagging}</b> 项任务已超过" in win.banner.message.text() or not tally.lagging
    else:
        assert not (tally.lagging or tally.due_soon) or win.banner.dismissed
    panel = win.panel
    if panel.task_id is not None:
        assert panel.record is not None and panel.record.id == panel.task_id
        assert panel.record == ledger.records.task_record(panel.task_id)  # not a stale copy
        assert panel.task_id in {r.id for r in rows}
        row = win.proxy.proxy_row_of(panel.task_id)
        if row is not None:  # in the list: the current, highlighted row
            assert win.table.currentIndex().row() == row
        else:  # filtered out: said so above the list
            assert win.hidden_note.isVisible()
    assert win.undo_action.isEnabled() == (ledger.history.undo_label() is not None)
    assert win.redo_action.isEnabled() == (ledger.history.redo_label() is not None)


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(actions=st.lists(ACTIONS, min_size=1, max_size=6))
def test_any_clerk_session_undoes_and_redoes_cleanly(
    actions: list[tuple[Any, ...]],
    win: MainWindow,
    base_ledger: Path,
    workbook: Path,
    tmp_path: Path,
    boxes: Boxes,
    qtbot: Any,
) -> None:
    run = tmp_path / f"run{next(_runs)}"
    run.mkdir()
    path = run / "ledger.sqlite3"
    shutil.copyfile(base_ledger, path)
    ledger = Ledger.open(path, actor="测试员")
    win.filter_bar.reset()
    win.set_ledger(ledger)  # the window closes it with the next one
    boxes.shown.clear()
    clerk = Clerk(win, workbook, run)
    before = dump(ledger)

    with qtbot.captureExceptions() as exceptions:
        for action in actions:
            clerk.run(action)
            check_views(win, ledger)
        after = dump(ledger)
        undone = 0
        while win.undo_action.isEnabled():
            clerk.do_undo()
            undone += 1
            check_views(win, ledger)
            assert undone < 50
        assert dump(ledger) == before
        for _ in range(undone):
            clerk.do_redo()
            check_views(win, ledger)
        assert dump(ledger) == after
    assert not exceptions, exceptions
    # No error box: no 无法撤销 / 无法重做, no crash dialog.
    assert [text for kind, _title, text in boxes.shown if kind in ("critical", "warning")] == []


_runs = itertools.count()
