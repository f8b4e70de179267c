"""Issue 18, finding 8: the 督察批次 column where 序号 repeat, hideable columns, search highlighting
and the hint saying where a row matched.

The hand-built ledger: 序号 212 five times (three rounds; 反馈问题 and 交办信访件), and three tasks
where 污水 is in the description (visible), only in a measure, only in a progress entry.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from ledger_app.domain.model import ProblemKind, RoundLevel
from ledger_app.services import Ledger
from ledger_app.services.search_parts import (
    PART_SEP,
    SEARCH_PARTS,
    excerpt,
    own_fields_text,
    parts_of,
    task_text,
)
from ledger_app.ui import settings_store
from ledger_app.ui.list_columns import HIGHLIGHT, column_choices, highlight_spans
from ledger_app.ui.main_window import MainWindow
from ledger_app.ui.task_table import (
    COL_KIND,
    COL_LEADER,
    COL_PROGRESS,
    COL_ROUND,
    COL_SEQ,
    COL_SUMMARY,
    MatchHintRole,
)

pytestmark = pytest.mark.usefixtures("ui_settings")

ROUNDS = [
    ("第二轮中央生态环境保护督察", RoundLevel.CENTRAL),
    ("第二轮省生态环境保护督察", RoundLevel.PROVINCIAL),
    ("2024年市级生态环境保护督察回头看", RoundLevel.CITY),
]


@pytest.fixture
def ids(ledger: Ledger) -> dict[str, int]:
    rounds = [ledger.directory.create_round(name=name, level=level) for name, level in ROUNDS]
    made: dict[str, int] = {}
    for i, round_id in enumerate(rounds):
        made[f"212-{i}"] = ledger.tasks.create_task(
            round_id=round_id, kind=ProblemKind.SPECIFIC, seq="212", description=f"第{i}轮的212号问题"
        )
    for i, round_id in enumerate(rounds[:2]):
        made[f"212-petition-{i}"] = ledger.tasks.create_task(
            round_id=round_id, kind=ProblemKind.PETITION, seq="212", description=f"第{i}轮的212号信访件"
        )
    made["visible"] = ledger.tasks.create_task(
        round_id=rounds[0], kind=ProblemKind.SPECIFIC, seq="1", description="城区污水处理厂污水直排"
    )
    made["measure"] = ledger.tasks.create_task(
        round_id=rounds[0], kind=ProblemKind.SPECIFIC, seq="2", description="河道两岸垃圾堆放"
    )
    ledger.tasks.add_measure(made["measure"], text="清理垃圾并新建污水管网3公里")
    made["progress"] = ledger.tasks.create_task(
        round_id=rounds[0], kind=ProblemKind.SPECIFIC, seq="3", description="工业园区异味扰民"
    )
    ledger.tasks.add_progress(made["progress"], entry_date=date(2026, 3, 5), text="已关停两家企业的污水排口")
    ledger.tasks.add_measure(made["progress"], text="开展园区污水专项整治")
    return made


def open_window(qtbot: Any, ledger: Ledger) -> MainWindow:
    window = MainWindow()
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    window.set_ledger(ledger)
    return window


@pytest.fixture
def win(
    qtbot: Any, ledger: Ledger, ids: dict[str, int], sync_workers: None, boxes: Any
) -> Iterator[MainWindow]:
    window = open_window(qtbot, ledger)
    yield window
    window.close()


def cell(win: MainWindow, task_id: int, column: int, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
    row = win.proxy.proxy_row_of(task_id)
    assert row is not None
    return win.proxy.index(row, column).data(role)


def search(win: MainWindow, qtbot: Any, text: str) -> None:
    win.filter_bar.search_edit.setText(text)
    win.filter_bar.flush_search()
    qtbot.waitUntil(lambda: win.proxy.task_filter.text == text, timeout=2000)


# -- the round column -----------------------------------------------------------------------------
def test_repeated_seq_is_told_apart_by_round_and_kind(win: MainWindow, ids: dict[str, int]) -> None:
    header = win.table.horizontalHeader()
    assert not header.isSectionHidden(COL_ROUND)  # three rounds: shown by default
    assert header.visualIndex(COL_ROUND) < header.visualIndex(COL_SEQ)  # read before 序号
    assert win.model.headerData(COL_ROUND, Qt.Orientation.Horizontal) == "督察批次"
    seq_212 = [key for key in ids if key.startswith("212")]
    assert len(seq_212) == 5
    shown = {(cell(win, ids[k], COL_ROUND), cell(win, ids[k], COL_KIND)) for k in seq_212}
    assert shown == {
        ("第二轮中央", "个性问题"),
        ("第二轮省", "个性问题"),
        ("2024年市级回头看", "个性问题"),
        ("第二轮中央", "交办信访件"),
        ("第二轮省", "交办信访件"),
    }
    assert {cell(win, ids[k], COL_SEQ) for k in seq_212} == {"212"}
    # The full name in the tooltip.
    tip = cell(win, ids["212-2"], COL_ROUND, Qt.ItemDataRole.ToolTipRole)
    assert tip == "2024年市级生态环境保护督察回头看 · 反馈问题 第 212 项"


def test_one_round_hides_the_round_column_by_default(
    qtbot: Any, ledger: Ledger, sync_workers: None, boxes: Any
) -> None:
    round_id = ledger.directory.create_round(name="第二轮中央生态环境保护督察", level=RoundLevel.CENTRAL)
    ledger.tasks.create_task(round_id=round_id, kind=ProblemKind.SPECIFIC, seq="1", description="问题")
    window = open_window(qtbot, ledger)
    assert window.table.horizontalHeader().isSectionHidden(COL_ROUND)
    window.close()


def test_columns_are_hidden_from_the_header_menu_and_remembered(
    win: MainWindow, qtbot: Any, ledger: Ledger, boxes: Any
) -> None:
    header = win.table.horizontalHeader()
    menu = win.list_columns.build_menu()
    actions = {a.text(): a for a in menu.actions()}
    assert list(actions)[:2] == ["督察批次", "序号"]  # in the order shown
    assert not actions["序号"].isEnabled() and not actions["问题摘要"].isEnabled()
    assert actions["督察批次"].isChecked()
    actions["督察批次"].setChecked(False)
    actions["类型"].setChecked(False)
    assert header.isSectionHidden(COL_ROUND) and header.isSectionHidden(COL_KIND)
    assert column_choices() == {COL_KIND: False, COL_ROUND: False}
    assert "2:0" in str(settings_store.store().value(settings_store.TASK_TABLE_COLUMNS))
    win.close()
    # Another start on this PC: the clerk's choice wins over the several-rounds default.
    again = open_window(qtbot, ledger)
    header = again.table.horizontalHeader()
    assert header.isSectionHidden(COL_ROUND) and header.isSectionHidden(COL_KIND)
    assert not header.isSectionHidden(COL_SUMMARY)
    again.list_columns.set_shown(COL_ROUND, True)
    assert not header.isSectionHidden(COL_ROUND)
    again.list_columns.set_shown(COL_SEQ, False)  # refused: a row needs its 序号
    assert not header.isSectionHidden(COL_SEQ)
    again.close()


def test_a_narrow_screen_hides_leader_and_latest_progress_until_asked(
    win: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ledger_app.ui import list_columns

    header = win.table.horizontalHeader()
    monkeypatch.setattr(list_columns, "screen_width", lambda _w: 1366)
    win.list_columns.apply()
    assert header.isSectionHidden(COL_LEADER) and header.isSectionHidden(COL_PROGRESS)
    # 问题摘要 keeps room for a readable summary in the list's share of a 1366-wide window.
    monkeypatch.setattr(list_columns, "screen_width", lambda _w: 1920)
    win.list_columns.apply()
    assert not header.isSectionHidden(COL_LEADER) and not header.isSectionHidden(COL_PROGRESS)
    win.list_columns.set_shown(COL_LEADER, False)  # the clerk's own choice wins on any screen
    win.list_columns.apply()
    assert header.isSectionHidden(COL_LEADER)


# -- search: highlight and where it matched -------------------------------------------------------
def test_highlight_spans() -> None:
    assert highlight_spans("城区污水处理厂污水直排", ["污水"]) == [(2, 4), (7, 9)]
    assert highlight_spans("PM2.5 超标", ["pm2"]) == [(0, 3)]  # words come lower-cased
    assert highlight_spans("河道垃圾", ["污水"]) == []
    assert highlight_spans("污水处理", ["污水", "水处"]) == [(0, 3)]  # overlapping hits merge
    assert highlight_spans("污水处理污水", ["污水", "处理"]) == [(0, 6)]  # adjacent ones too
    assert highlight_spans("", ["污水"]) == [] and highlight_spans("污水", []) == []


def test_search_parts_say_where_a_word_is() -> None:
    own = own_fields_text(["12", "河道垃圾", None, "", "王建国", "", "", "", ""])
    text = task_text(own, ["区住建局"], ["1.清理垃圾", "2.新建污水管网"], ["已关停污水排口"])
    assert text.count(PART_SEP) == len(SEARCH_PARTS) - 1
    where = [SEARCH_PARTS[i] for i in parts_of(text, "污水")]
    assert where == ["整改措施", "进展情况"]
    assert [SEARCH_PARTS[i] for i in parts_of(text, "垃圾")] == ["问题描述", "整改措施"]
    assert excerpt(text, "污水", SEARCH_PARTS.index("整改措施")) == "2.新建污水管网"


def test_search_highlights_and_says_where_it_matched(
    win: MainWindow, ids: dict[str, int], qtbot: Any
) -> None:
    search(win, qtbot, "污水")
    assert set(win.current_filter().task_ids) == {ids["visible"], ids["measure"], ids["progress"]}
    delegate = win.list_columns.delegate
    row_of = win.proxy.proxy_row_of

    visible = win.proxy.index(row_of(ids["visible"]), COL_SUMMARY)
    assert delegate.spans(visible) == [(2, 4), (7, 9)]
    assert delegate.hint(visible) == ""  # the word is on screen: nothing to explain

    measure = win.proxy.index(row_of(ids["measure"]), COL_SUMMARY)
    assert delegate.spans(measure) == []
    assert measure.data(MatchHintRole) == "匹配:整改措施"
    assert delegate.hint(measure) == "匹配:整改措施"
    tip = measure.data(Qt.ItemDataRole.ToolTipRole)
    assert "「污水」在整改措施:清理垃圾并新建污水管网3公里" in tip

    progress = win.proxy.index(row_of(ids["progress"]), COL_SUMMARY)
    assert progress.data(MatchHintRole) == "匹配:整改措施、进展情况"
    # Only 问题摘要 carries the hint; other columns of the row get none.
    assert win.proxy.index(row_of(ids["progress"]), COL_SEQ).data(MatchHintRole) == ""

    # No search: no hint, nothing highlighted.
    search(win, qtbot, "")
    measure = win.proxy.index(row_of(ids["measure"]), COL_SUMMARY)
    assert measure.data(MatchHintRole) == ""
    assert delegate.hint(measure) == "" and delegate.spans(visible) == []


def test_the_delegate_paints_yellow_where_the_word_is(
    win: MainWindow, ids: dict[str, int], qtbot: Any
) -> None:
    def yellow_pixels() -> int:
        image = win.table.viewport().grab().toImage()
        wanted = HIGHLIGHT.rgb()
        return sum(
            1
            for y in range(0, image.height(), 2)
            for x in range(0, image.width(), 2)
            if image.pixel(x, y) == wanted
        )

    search(win, qtbot, "212")  # in the 序号 cells of five rows
    win.table.clearSelection()
    assert yellow_pixels() > 0
    search(win, qtbot, "")
    assert yellow_pixels() == 0
    assert QColor(HIGHLIGHT).name() == "#ffe066"
