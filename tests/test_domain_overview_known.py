"""The overview's figures at their edges, on hand-made tasks: what each click filters to, the 30-day
window's ends, the order of petition batches, the JSON of ``ledger-cli stats``, the month series
without a feedback date (answers worked out by hand in the comments; issue 24)."""

from __future__ import annotations

from datetime import date

from ledger_app.domain.model import NoticeKind, ProblemKind, ScheduleFlag, Section, TaskStatus
from ledger_app.domain.overview import (
    KEY_ALL,
    KEY_CLOSED,
    KEY_COMPLETED,
    KEY_DUE_30,
    KEY_OPEN,
    MonthPoint,
    OverviewItem,
    TaskHistory,
    batch_key,
    build_overview,
    flag_key,
    month_ends,
    monthly_series,
    section_key,
    status_key,
    unit_key,
)
from ledger_app.domain.ranking import RANKING_RULE

S, F, K = TaskStatus, ScheduleFlag, ProblemKind
ROUND = "第三轮省生态环境保护督察"
TODAY = date(2026, 3, 10)


def item(
    task_id: int,
    status: TaskStatus,
    flag: ScheduleFlag | None,
    deadline: date | None,
    units: tuple[str, ...] = ("区水利局",),
    kind: ProblemKind = K.SPECIFIC,
    batch: str = "",
) -> OverviewItem:
    return OverviewItem(ROUND, kind, status, flag, units, task_id, deadline, batch)


# The 30-day window on 2026-03-10 runs to 2026-04-09, both days included.
WINDOW = [
    item(1, S.IN_PROGRESS, F.DUE_SOON, date(2026, 3, 10)),  # due today: in
    item(2, S.IN_PROGRESS, F.ON_SCHEDULE, date(2026, 4, 9)),  # the 30th day: in
    item(3, S.IN_PROGRESS, F.ON_SCHEDULE, date(2026, 4, 10)),  # the 31st day: out
    item(4, S.IN_PROGRESS, F.LAGGING, date(2026, 3, 9)),  # yesterday: out (lagging, not due)
    item(5, S.COMPLETED, None, date(2026, 3, 20)),  # done: out
    item(6, S.NOT_STARTED, F.UNKNOWN_DEADLINE, None),  # no date: out
    item(7, S.NOT_STARTED, F.ON_SCHEDULE, date(2026, 3, 11)),  # tomorrow: in
]


def test_the_30_day_window_includes_both_ends() -> None:
    ov = build_overview(WINDOW, today=TODAY, feedback_dates={ROUND: date(2026, 1, 1)})
    assert ov.due_30 == 3
    assert ov.task_ids(KEY_DUE_30) == [1, 2, 7]


# Every kind of key, on one set of tasks in three sections and two units.
MIXED = [
    item(1, S.CLOSED, None, date(2026, 1, 31), ("区水利局",)),
    item(2, S.ACCEPTED, None, date(2026, 2, 28), ("区水利局", "区住建局")),
    item(3, S.IN_PROGRESS, F.LAGGING, date(2026, 2, 1), ("区住建局",), K.COMMON),
    item(4, S.IN_PROGRESS, F.DUE_SOON, date(2026, 3, 20), ("区水利局",), K.PETITION, "第1批"),
    item(5, S.NOT_STARTED, F.ON_SCHEDULE, date(2026, 9, 30), ("区住建局",), K.PETITION, ""),
    item(6, S.IN_PROGRESS, F.LONG_TERM, None, ("区水利局",), K.SELF_CHECK),
]


def test_each_key_filters_to_exactly_its_tasks() -> None:
    ov = build_overview(MIXED, today=TODAY, feedback_dates={ROUND: date(2026, 1, 1)})
    assert ov.task_ids(KEY_ALL) == [1, 2, 3, 4, 5, 6]
    assert ov.task_ids(KEY_COMPLETED) == [1, 2]
    assert ov.task_ids(KEY_CLOSED) == [1]
    assert ov.task_ids(KEY_OPEN) == [3, 4, 5, 6]
    assert ov.task_ids(status_key(S.ACCEPTED)) == [2]
    assert ov.task_ids(status_key(S.IN_PROGRESS)) == [3, 4, 6]
    assert ov.task_ids(flag_key(F.DUE_SOON)) == [4]
    assert ov.task_ids(flag_key(F.LONG_TERM)) == [6]
    assert ov.task_ids(section_key(Section.FEEDBACK)) == [1, 2, 3]
    assert ov.task_ids(section_key(Section.PETITION)) == [4, 5]
    assert ov.task_ids(section_key(Section.SELF_CHECK)) == [6]
    assert ov.task_ids(batch_key("第1批")) == [4]
    assert ov.task_ids(batch_key("")) == [5]  # petitions without a batch, not every task with none
    assert ov.task_ids(unit_key("区住建局")) == [2, 3, 5]
    assert ov.task_ids(unit_key("区住建局", "completed")) == [2]
    assert ov.task_ids(unit_key("区住建局", "lagging")) == [3]
    assert ov.task_ids(unit_key("区住建局", "open")) == [5]  # open and not lagging
    assert ov.task_ids(unit_key("区水利局", "due-soon")) == [4]
    assert ov.task_ids(unit_key("区水利局", "something")) == []
    assert ov.task_ids(unit_key("区教育局")) == []
    assert ov.task_ids("what:ever") == []
    assert ov.task_ids("") == []
    # The keys as the page builds them.
    assert (KEY_ALL, KEY_COMPLETED, KEY_CLOSED, KEY_OPEN, KEY_DUE_30) == (
        "all",
        "completed",
        "closed",
        "open",
        "due-30",
    )
    assert status_key(S.CLOSED) == "status:closed"
    assert section_key(Section.PETITION) == "section:petition"
    assert flag_key(F.LAGGING) == "flag:lagging"
    assert batch_key("第1批") == "batch:第1批"
    assert unit_key("区水利局", "open") == "unit:open:区水利局"


def test_petition_batches_in_number_order_unbatched_last() -> None:
    """第2批 before 第10批; a batch without digits counts as 0; numbers of nine digits or more are not
    read (0); the ties go by the text ('0' < '1' < '一')."""
    names = ["第10批", "", "第12345678批", "第一批", "第2批", "第123456789批", "第0批", "第1批"]
    items = [
        item(i, S.IN_PROGRESS, F.ON_SCHEDULE, None, kind=K.PETITION, batch=b) for i, b in enumerate(names)
    ]
    ov = build_overview(items, today=TODAY, feedback_dates={})
    assert [b.label for b in ov.petition_batches] == [
        "第0批",
        "第123456789批",
        "第一批",
        "第1批",
        "第2批",
        "第10批",
        "第12345678批",
        "未填批次",
    ]
    assert [b.batch for b in ov.petition_batches][-1] == ""


def test_the_json_of_the_overview() -> None:
    histories = [TaskHistory(1, date(2026, 1, 31), ((date(2026, 1, 20), S.CLOSED),))]
    ov = build_overview(
        MIXED[:4],
        today=TODAY,
        feedback_dates={ROUND: date(2026, 1, 1)},
        histories=histories,
        round_name=ROUND,
    )
    ov.notices_month = {NoticeKind.REMINDER: 2}
    ov.notices_total = {NoticeKind.REMINDER: 3, NoticeKind.SUPERVISION_ORDER: 1}
    data = ov.as_dict()
    assert data["as_of"] == "2026-03-10"
    assert data["round"] == ROUND
    assert data["overdue"] == 1
    assert data["due_30_days"] == 1
    assert data["petition_batches"] == {
        "第1批": {
            "total": 1,
            "completed": 0,
            "closed": 0,
            "open": 1,
            "on_schedule": 0,
            "due_soon": 1,
            "lagging": 0,
            "long_term": 0,
            "unknown_deadline": 0,
            "rectification_rate": 0.0,
            "close_out_rate": 0.0,
        }
    }
    assert [(r["unit"], r["colour"]) for r in data["ranking"]] == [
        ("区住建局", "red"),
        ("区水利局", "yellow"),
    ]
    assert data["ranking_rule"] == RANKING_RULE
    assert data["notices_this_month"] == {"supervision-order": 0, "reminder": 2}
    assert data["notices_total"] == {"supervision-order": 1, "reminder": 3}
    assert data["months"] == [
        {"month": "2026-01", "completed": 1, "closed": 1, "lagging": 0},
        {"month": "2026-02", "completed": 1, "closed": 1, "lagging": 0},
        {"month": "2026-03", "completed": 1, "closed": 1, "lagging": 0},
    ]
    assert list(data) == [
        "as_of",
        "round",
        "overdue",
        "due_30_days",
        "petition_batches",
        "ranking",
        "ranking_rule",
        "notices_this_month",
        "notices_total",
        "months",
    ]


def test_month_labels_and_the_ten_year_cap() -> None:
    assert MonthPoint(date(2026, 11, 1), 0, 0, 0).label == "2026年11月"
    # 2016-01 … 2025-12 is 120 months; ten years and a month are still cut at 120.
    months = month_ends(date(2016, 1, 5), date(2026, 1, 31))
    assert len(months) == 120
    assert months[-1] == (date(2025, 12, 1), date(2025, 12, 31))
    assert len(month_ends(date(2016, 2, 1), date(2025, 12, 31))) == 119
    assert month_ends(date(2026, 3, 31), date(2026, 3, 31)) == [(date(2026, 3, 1), date(2026, 3, 31))]


def test_months_without_a_feedback_date_start_at_the_first_change() -> None:
    histories = (
        h
        for h in [
            TaskHistory(
                1, date(2026, 2, 15), ((date(2026, 3, 5), S.COMPLETED), (date(2026, 2, 10), S.IN_PROGRESS))
            ),
            TaskHistory(2, date(2026, 2, 28), ()),
        ]
    )  # a generator: read once, both for the first day and for the counts
    points = monthly_series(histories, start=None, today=date(2026, 4, 2))
    # From February (task 1's first change, 2-10): task 1 is lagging at the end of February (2-15
    # passed, not done), completed from March; task 2 is lagging from the end of March (2-28 is the
    # end of February itself, not passed yet on that day).
    assert [(p.month, p.completed, p.closed, p.lagging) for p in points] == [
        (date(2026, 2, 1), 0, 0, 1),
        (date(2026, 3, 1), 1, 0, 1),
        (date(2026, 4, 1), 1, 0, 1),
    ]
    assert monthly_series([TaskHistory(1, None, ())], start=None, today=TODAY) == []
    assert monthly_series([], start=None, today=TODAY) == []


def test_months_starting_today_or_later() -> None:
    history = [TaskHistory(1, date(2026, 3, 1), ())]
    # Starting today: one month, whose counted day is today; the deadline (3-1) has passed.
    assert monthly_series(history, start=TODAY, today=TODAY) == [MonthPoint(date(2026, 3, 1), 0, 0, 1)]
    assert monthly_series(history, start=date(2026, 3, 11), today=TODAY) == []


def test_a_status_changed_on_a_month_end_counts_in_that_month() -> None:
    history = [
        TaskHistory(
            1,
            None,
            (
                (date(2026, 1, 31), S.CLOSED),
                (date(2026, 2, 28), S.IN_PROGRESS),
                (date(2026, 3, 10), S.ACCEPTED),
            ),
        )
    ]
    points = monthly_series(history, start=date(2026, 1, 1), today=TODAY)
    assert [(p.completed, p.closed, p.lagging) for p in points] == [(1, 1, 0), (0, 0, 0), (1, 0, 0)]


def test_the_chart_starts_at_the_feedback_date_of_the_rounds_shown() -> None:
    """Another round's earlier feedback date, and a round of the list without one, change nothing."""
    items = [
        item(1, S.IN_PROGRESS, F.ON_SCHEDULE, date(2026, 12, 31)),
        OverviewItem("第四轮", K.SPECIFIC, S.IN_PROGRESS, F.ON_SCHEDULE, ("区水利局",), 2, None),
    ]
    feedback = {ROUND: date(2026, 2, 10), "另一轮": date(2025, 1, 1), "第四轮": None}
    histories = [TaskHistory(1, date(2026, 12, 31), ())]
    ov = build_overview(items, today=TODAY, feedback_dates=feedback, histories=histories)
    assert [p.month for p in ov.months] == [date(2026, 2, 1), date(2026, 3, 1)]


def test_notices_of_a_kind_never_sent_show_as_zero() -> None:
    ov = build_overview(MIXED, today=TODAY, feedback_dates={})
    ov.notices_total = {NoticeKind.SUPERVISION_ORDER: 4}
    assert ov.as_dict()["notices_total"] == {"supervision-order": 4, "reminder": 0}
    assert ov.as_dict()["notices_this_month"] == {"supervision-order": 0, "reminder": 0}


def test_a_task_open_before_its_first_change_lags_from_its_deadline() -> None:
    history = [TaskHistory(1, date(2026, 1, 10), ((date(2026, 3, 5), S.COMPLETED),))]
    points = monthly_series(history, start=date(2026, 1, 1), today=TODAY)
    assert [(p.completed, p.lagging) for p in points] == [(0, 1), (0, 1), (1, 0)]
