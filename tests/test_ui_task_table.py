"""The task list's model and filter proxy, without any window."""

from __future__ import annotations

import csv
import io
import random
from datetime import date

import pytest
from PySide6.QtCore import QPersistentModelIndex, Qt

from ledger_app.domain.deadlines import Deadline, parse_deadline
from ledger_app.domain.model import ProblemKind, ScheduleFlag, TaskStatus, UnitRole
from ledger_app.services import Ledger, TaskFilter, TaskRow
from ledger_app.ui.task_table import (
    COL_DEADLINE,
    COL_PROGRESS,
    COL_SCHEDULE,
    COL_SEQ,
    COL_SUMMARY,
    COL_UNITS,
    HEADERS,
    RowRole,
    TaskFilterProxy,
    TaskTableModel,
    rows_to_tsv,
)

ASC, DESC = Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder


def make_row(
    task_id: int,
    seq: str,
    *,
    round_id: int = 1,
    kind: ProblemKind = ProblemKind.SPECIFIC,
    description: str = "",
    deadline: str = "",
    status: TaskStatus = TaskStatus.IN_PROGRESS,
    schedule: ScheduleFlag | None = ScheduleFlag.ON_SCHEDULE,
    units: list[str] | None = None,
    leader: str = "",
    latest: date | None = None,
) -> TaskRow:
    return TaskRow(
        id=task_id, round_id=round_id, round_name=f"第{round_id}轮", seq=seq, kind=kind,
        description=description or f"问题{task_id}", leader=leader, deadline=parse_deadline(deadline),
        status=status, schedule=schedule if not status.is_done else None, latest_progress=latest,
        units={UnitRole.LEAD: units or ["区生态环境局"]},
    )  # fmt: skip


def column(model: TaskTableModel | TaskFilterProxy, col: int) -> list[str]:
    return [model.index(r, col).data() for r in range(model.rowCount())]


@pytest.fixture
def model() -> TaskTableModel:
    return TaskTableModel()


def test_seq_sorts_as_a_person_counts(model: TaskTableModel) -> None:
    seqs = ["10", "2", "1", "3-1", "3", "11", "20", "9"]
    model.set_rows(make_row(i, s) for i, s in enumerate(seqs, start=1))
    model.sort(COL_SEQ, ASC)
    assert column(model, COL_SEQ) == ["1", "2", "3", "3-1", "9", "10", "11", "20"]
    model.sort(COL_SEQ, DESC)
    assert column(model, COL_SEQ) == ["20", "11", "10", "9", "3-1", "3", "2", "1"]


def test_seq_order_keeps_rounds_and_sections_apart(model: TaskTableModel) -> None:
    rows = [
        make_row(1, "2", round_id=7),
        make_row(2, "1", round_id=7, kind=ProblemKind.PETITION),
        make_row(3, "1", round_id=7),
        make_row(4, "1", round_id=3),  # a later round (as the ledger lists it) than round 7
    ]
    model.set_rows(rows)
    model.sort(COL_SEQ, ASC)
    assert [model.row_at(i).id for i in range(4)] == [3, 1, 2, 4]


def test_deadline_sort_puts_dates_first_then_long_term_then_unreadable(model: TaskTableModel) -> None:
    deadlines = ["2026年底前", "立行立改、长期坚持", "2024年6月底前", "看情况", "", "2025-03-01"]
    model.set_rows(make_row(i, str(i), deadline=d) for i, d in enumerate(deadlines, start=1))
    model.sort(COL_DEADLINE, ASC)
    assert column(model, COL_DEADLINE) == [
        "2024年6月底前",
        "2025-03-01",
        "2026年底前",
        "立行立改、长期坚持",
        "看情况",
        "",
    ]


def test_latest_progress_sorts_by_date_with_empty_first(model: TaskTableModel) -> None:
    days = [date(2026, 3, 1), None, date(2025, 12, 31)]
    model.set_rows(make_row(i, str(i), latest=d) for i, d in enumerate(days, start=1))
    model.sort(COL_PROGRESS, ASC)
    assert column(model, COL_PROGRESS) == ["", "2025-12-31", "2026-03-01"]


def test_completion_column_words_and_colours(model: TaskTableModel) -> None:
    model.set_rows(
        [
            make_row(1, "1", schedule=ScheduleFlag.LAGGING),
            make_row(2, "2", schedule=ScheduleFlag.DUE_SOON),
            make_row(3, "3", status=TaskStatus.CLOSED),
            make_row(4, "4", status=TaskStatus.ACCEPTED),
            make_row(5, "5", schedule=ScheduleFlag.LONG_TERM),
        ]
    )
    assert column(model, COL_SCHEDULE) == ["滞后", "临期", "已销号", "已完成", "长期坚持"]
    lagging_bg = model.index(0, COL_SCHEDULE).data(Qt.ItemDataRole.BackgroundRole).color()
    due_bg = model.index(1, COL_SCHEDULE).data(Qt.ItemDataRole.BackgroundRole).color()
    # Red-ish for 滞后, orange for 临期: the red channel dominates, 临期 has more green than 滞后.
    assert lagging_bg.red() > lagging_bg.green() and lagging_bg.red() > lagging_bg.blue()
    assert due_bg.green() > lagging_bg.green()
    assert model.index(2, COL_SCHEDULE).data(Qt.ItemDataRole.BackgroundRole) is None


def test_headers_and_row_role(model: TaskTableModel) -> None:
    row = make_row(5, "5", units=["区水利局", "区农业农村局"])
    model.set_rows([row])
    assert [model.headerData(c, Qt.Orientation.Horizontal) for c in range(len(HEADERS))] == HEADERS
    assert model.index(0, COL_UNITS).data() == "区水利局、区农业农村局"
    assert model.index(0, 0).data(RowRole) is row


def test_update_keeps_selection_on_the_same_task_when_the_row_moves(model: TaskTableModel) -> None:
    model.set_rows(make_row(i, str(i), deadline=f"2026年{i}月底前") for i in range(1, 6))
    model.sort(COL_DEADLINE, ASC)
    tracked = QPersistentModelIndex(model.index(0, 0))  # task 1, due first
    model.update_rows([make_row(1, "1", deadline="2027年1月底前")])  # now due last
    assert model.row_at(4).id == 1
    assert tracked.row() == 4


def test_update_adds_new_and_remove_drops(model: TaskTableModel) -> None:
    model.set_rows([make_row(1, "1"), make_row(2, "2")])
    model.update_rows([make_row(9, "3")])
    assert column(model, COL_SEQ) == ["1", "2", "3"]
    model.remove_tasks([1, 42])
    assert [model.row_at(i).id for i in range(model.rowCount())] == [2, 9]
    assert model.position_of(9) == 1 and model.position_of(1) is None


# -- the filter proxy ----------------------------------------------------------------------------
@pytest.fixture
def proxy(model: TaskTableModel) -> TaskFilterProxy:
    rows = [
        make_row(
            1, "1", round_id=1, units=["区水利局"], description="河道垃圾清理", schedule=ScheduleFlag.LAGGING
        ),
        make_row(2, "2", round_id=1, units=["区林业局"], description="矿山修复", leader="彭红(副区长)"),
        make_row(3, "1", round_id=2, kind=ProblemKind.PETITION, units=["区水利局"], description="噪声扰民"),
        make_row(4, "2", round_id=2, status=TaskStatus.CLOSED, units=["马坪镇"], description="河道采砂"),
        make_row(
            5, "3", round_id=2, units=["区水利局"], schedule=ScheduleFlag.LAGGING, description="污水直排"
        ),
    ]
    model.set_rows(rows)
    p = TaskFilterProxy()
    p.setSourceModel(model)
    return p


def visible(proxy: TaskFilterProxy) -> list[int]:
    return [proxy.task_id_at(r) for r in range(proxy.rowCount())]


def test_filters_combine(proxy: TaskFilterProxy) -> None:
    # Ledger order: within a round the 反馈问题 come before the 交办信访件.
    proxy.set_task_filter(TaskFilter(round_id=2))
    assert visible(proxy) == [4, 5, 3]
    proxy.set_task_filter(TaskFilter(round_id=2, unit="区水利局"))
    assert visible(proxy) == [5, 3]
    proxy.set_task_filter(TaskFilter(round_id=2, unit="区水利局", kind=ProblemKind.PETITION))
    assert visible(proxy) == [3]
    proxy.set_task_filter(TaskFilter(schedule=ScheduleFlag.LAGGING))
    assert visible(proxy) == [1, 5]
    proxy.set_task_filter(TaskFilter(status=TaskStatus.CLOSED))
    assert visible(proxy) == [4]
    proxy.set_task_filter(TaskFilter())
    assert visible(proxy) == [1, 2, 4, 5, 3]


def test_search_uses_the_full_texts_once_built(proxy: TaskFilterProxy) -> None:
    proxy.set_search_text("河道")
    assert visible(proxy) == [1, 4]  # before the texts are built: the rows' own text
    proxy.set_search_text("彭红")
    assert visible(proxy) == [2]
    proxy.set_search_texts(
        {1: "河道垃圾清理\n措施:每周巡河", 2: "矿山修复", 3: "噪声扰民 巡河", 4: "河道采砂", 5: "x"}
    )
    proxy.set_search_text("巡河")
    assert visible(proxy) == [1, 3]  # found in a measure, not in the row's own columns
    proxy.set_search_text("河道  巡河")  # every word must match
    assert visible(proxy) == [1]
    proxy.update_search_texts({4: "河道采砂\n进展:已巡河"})
    proxy.set_search_text("巡河 河道")
    assert visible(proxy) == [1, 4]


def test_search_is_case_insensitive(proxy: TaskFilterProxy) -> None:
    proxy.set_search_texts({1: "cod排放超标", 2: "", 3: "", 4: "", 5: ""})
    proxy.set_search_text("COD")
    assert visible(proxy) == [1]


def test_counts_follow_the_filter(proxy: TaskFilterProxy) -> None:
    assert proxy.counts().text() == "共 5 项,滞后 2 项"
    proxy.set_task_filter(TaskFilter(round_id=1))
    counts = proxy.counts()
    assert (counts.total, counts.lagging, counts.due_soon) == (2, 1, 0)


def test_sorting_through_the_proxy_sorts_the_source(proxy: TaskFilterProxy) -> None:
    proxy.set_task_filter(TaskFilter(unit="区水利局"))
    proxy.sort(COL_SUMMARY, ASC)
    assert [proxy.index(r, COL_SUMMARY).data() for r in range(proxy.rowCount())] == sorted(
        ["河道垃圾清理", "噪声扰民", "污水直排"]
    )
    assert proxy.task_model().sort_column == COL_SUMMARY


def test_an_edited_row_leaves_the_filter_when_it_no_longer_matches(proxy: TaskFilterProxy) -> None:
    proxy.set_task_filter(TaskFilter(unit="区水利局"))
    assert visible(proxy) == [1, 5, 3]
    proxy.task_model().update_rows([make_row(5, "3", round_id=2, units=["区住建局"])])
    assert visible(proxy) == [1, 3]


def test_ten_thousand_rows_filter_like_the_ledger_would() -> None:
    """A big list still filters correctly (timings are in bench/bench_ui_list.py, not asserted here)."""
    rng = random.Random(3)
    units = [f"单位{i}" for i in range(40)]
    rows = [
        make_row(i, str(i), round_id=1 + i % 3, units=rng.sample(units, 2),
                 schedule=rng.choice(list(ScheduleFlag)), description=f"问题{i} " + rng.choice(["河道", "矿山"]))
        for i in range(1, 10_001)
    ]  # fmt: skip
    model = TaskTableModel()
    model.set_rows(rows)
    proxy = TaskFilterProxy()
    proxy.setSourceModel(model)
    proxy.set_search_texts({r.id: r.description.lower() for r in rows})
    proxy.set_task_filter(TaskFilter(round_id=2, unit="单位7", schedule=ScheduleFlag.LAGGING))
    proxy.set_search_text("河道")
    expected = [
        r.id for r in rows
        if r.round_id == 2 and "单位7" in r.all_units and r.schedule is ScheduleFlag.LAGGING and "河道" in r.description
    ]  # fmt: skip
    assert sorted(visible(proxy)) == expected
    assert proxy.counts().lagging == len(expected)


# -- copying -------------------------------------------------------------------------------------
def test_tsv_pastes_into_excel_with_quotes_where_needed() -> None:
    tricky = 'A "quoted" word\nsecond line\tand a tab'
    rows = [
        make_row(1, "1", description=tricky, units=["区水利局", "马坪镇"]),
        make_row(2, "2", description="plain"),
    ]
    text = rows_to_tsv(rows)
    parsed = list(csv.reader(io.StringIO(text), dialect="excel-tab"))
    assert parsed[0] == ["问题描述" if h == "问题摘要" else h for h in HEADERS]
    assert parsed[1][COL_SUMMARY] == tricky  # the full description, not the cut summary
    assert parsed[1][COL_UNITS] == "区水利局、马坪镇"
    assert parsed[2][COL_SUMMARY] == "plain"
    assert '"plain"' not in text  # only cells that need it are quoted
    assert len(parsed) == 3


def test_tsv_follows_the_column_order_given() -> None:
    text = rows_to_tsv([make_row(1, "7", deadline="2026年6月底前")], [COL_DEADLINE, COL_SEQ])
    assert text.splitlines() == ["整改时限\t序号", "2026年6月底前\t7"]


def test_model_rows_match_the_ledger(demo_ledger: Ledger) -> None:
    rows = demo_ledger.queries.list_tasks()
    model = TaskTableModel()
    model.set_rows(rows)
    assert model.rowCount() == len(rows) > 0
    first = rows[0]
    pos = model.position_of(first.id)
    assert model.index(pos, COL_SEQ).data() == first.seq
    assert model.index(pos, COL_DEADLINE).data() == first.deadline.text
    assert isinstance(first.deadline, Deadline)
