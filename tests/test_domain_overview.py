"""The overview's figures, the red/yellow/green ranking and the month-by-month series, on hand-made
tasks whose answers are worked out by hand in the comments."""

from __future__ import annotations

from datetime import date

import pytest

from ledger_app.domain.model import NoticeKind, ProblemKind, ScheduleFlag, TaskStatus
from ledger_app.domain.overview import (
    KEY_DUE_30,
    OverviewItem,
    SentNotice,
    TaskHistory,
    batch_key,
    build_overview,
    count_notices,
    flag_key,
    month_ends,
    monthly_series,
    unit_key,
)
from ledger_app.domain.progress_report import official_punctuation
from ledger_app.domain.ranking import (
    RankColour,
    RankItem,
    elapsed_share,
    rank_units,
    reminder_plan,
    round_shares,
)

S, F, K = TaskStatus, ScheduleFlag, ProblemKind
TODAY = date(2026, 7, 1)
ROUND = "第二轮中央生态环境保护督察"


def item(
    task_id: int,
    status: TaskStatus,
    flag: ScheduleFlag | None,
    deadline: date | None,
    units: tuple[str, ...],
    kind: ProblemKind = K.SPECIFIC,
    batch: str = "",
) -> OverviewItem:
    return OverviewItem(ROUND, kind, status, flag, units, task_id, deadline, batch)


# Round: feedback 2026-01-01, latest dated deadline 2026-12-31 (364 days); on 2026-07-01 181 days
# have passed: share 181/364 = 0.4973.
ITEMS = [
    item(1, S.CLOSED, None, date(2026, 3, 31), ("区水利局",)),
    item(2, S.IN_PROGRESS, F.LAGGING, date(2026, 6, 30), ("区水利局",)),
    item(3, S.IN_PROGRESS, F.LONG_TERM, None, ("区水利局",)),
    item(4, S.COMPLETED, None, date(2026, 12, 31), ("区住建局",)),
    item(5, S.NOT_STARTED, F.UNKNOWN_DEADLINE, None, ("区住建局",)),
    item(6, S.IN_PROGRESS, F.DUE_SOON, date(2026, 7, 10), ("区教育局",)),
    item(7, S.IN_PROGRESS, F.ON_SCHEDULE, date(2026, 12, 31), ("区林业局",)),
    item(8, S.IN_PROGRESS, F.ON_SCHEDULE, date(2026, 12, 31), ("区林业局",)),
    item(9, S.IN_PROGRESS, F.ON_SCHEDULE, date(2026, 12, 31), ("区林业局",)),
    item(10, S.CLOSED, None, date(2026, 5, 31), ("区财政局",), K.PETITION, "第1批"),
    item(11, S.ACCEPTED, None, date(2026, 5, 31), ("区财政局",), K.PETITION, "第1批"),
    item(12, S.IN_PROGRESS, F.ON_SCHEDULE, date(2026, 11, 30), ("区财政局",), K.PETITION, "第2批"),
    item(13, S.IN_PROGRESS, F.ON_SCHEDULE, date(2026, 7, 20), ("区财政局",), K.PETITION, "第10批"),
]
FEEDBACK = {ROUND: date(2026, 1, 1)}


def test_elapsed_share_runs_from_feedback_to_latest_deadline() -> None:
    assert elapsed_share(date(2026, 1, 1), date(2026, 12, 31), date(2026, 7, 1)) == pytest.approx(181 / 364)
    assert elapsed_share(date(2026, 1, 1), date(2026, 12, 31), date(2025, 6, 1)) == 0.0
    assert elapsed_share(date(2026, 1, 1), date(2026, 12, 31), date(2027, 6, 1)) == 1.0
    assert (
        elapsed_share(None, date(2026, 12, 31), date(2026, 7, 1)) == 0.0
    )  # no feedback date: nothing expected
    assert round_shares(ITEMS, FEEDBACK, TODAY) == {ROUND: pytest.approx(181 / 364)}


def test_ranking_colours_and_order() -> None:
    shares = round_shares(ITEMS, FEEDBACK, TODAY)
    ranks = {r.unit: r for r in rank_units(ITEMS, shares)}
    # 区水利局: one lagging task → red, whatever else.
    assert ranks["区水利局"].colour is RankColour.RED
    assert (ranks["区水利局"].tasks, ranks["区水利局"].completed, ranks["区水利局"].lagging) == (3, 1, 1)
    assert ranks["区水利局"].long_term == 1
    # 区住建局: a task of unknown deadline → yellow (though its one dated task is done).
    assert ranks["区住建局"].colour is RankColour.YELLOW
    assert ranks["区住建局"].unknown_deadline == 1
    # 区教育局: due soon → yellow.
    assert ranks["区教育局"].colour is RankColour.YELLOW
    # 区林业局: 3 dated tasks × 0.4973 = 1.49 → expects 1 completed, has 0 → behind → yellow.
    assert ranks["区林业局"].expected == 1
    assert ranks["区林业局"].behind_schedule
    assert ranks["区林业局"].colour is RankColour.YELLOW
    assert "应完成1项" in ranks["区林业局"].reason()
    # 区财政局: 4 dated × 0.4973 = 1.99 → expects 1, has 2 completed → green.
    assert ranks["区财政局"].expected == 1
    assert ranks["区财政局"].colour is RankColour.GREEN
    order = [r.unit for r in rank_units(ITEMS, shares)]
    assert order[0] == "区水利局" and order[-1] == "区财政局"


def test_a_unit_with_one_task_is_not_behind_before_its_share_makes_a_whole_task() -> None:
    one = [RankItem(1, ROUND, S.IN_PROGRESS, F.ON_SCHEDULE, date(2026, 12, 31), ("区林业局",))]
    (rank,) = rank_units(one, {ROUND: 0.9})
    assert rank.expected == 0 and rank.colour is RankColour.GREEN
    (rank,) = rank_units(one, {ROUND: 1.0})
    assert rank.expected == 1 and rank.colour is RankColour.YELLOW


def test_figures_and_their_task_ids() -> None:
    ov = build_overview(ITEMS, today=TODAY, feedback_dates=FEEDBACK, round_name=ROUND)
    t = ov.total
    assert (t.total, t.completed, t.closed, t.lagging, t.long_term, t.unknown_deadline) == (13, 4, 2, 1, 1, 1)
    # Due in the next 30 days (to 2026-07-31), open: tasks 6 and 13, not the completed ones.
    assert ov.due_30 == 2
    assert sorted(ov.task_ids(KEY_DUE_30)) == [6, 13]
    assert ov.task_ids(flag_key(F.LAGGING)) == [2]
    assert sorted(ov.task_ids(unit_key("区水利局"))) == [1, 2, 3]
    assert ov.task_ids(unit_key("区水利局", "completed")) == [1]
    assert ov.task_ids(unit_key("区水利局", "open")) == [3]
    # Petitions apart, by batch, 第2批 before 第10批.
    assert [(b.label, b.tally.total, b.tally.completed, b.tally.closed) for b in ov.petition_batches] == [
        ("第1批", 2, 2, 1),
        ("第2批", 1, 0, 0),
        ("第10批", 1, 0, 0),
    ]
    assert sorted(ov.task_ids(batch_key("第1批"))) == [10, 11]
    assert ov.summary.startswith("反馈问题涉及我区的有9项")
    assert "交办信访件4件" in ov.summary


def test_months_of_a_reopened_task_and_a_lagging_one() -> None:
    histories = [
        # Closed in March, reopened by a relapse in May, completed again in June.
        TaskHistory(
            1,
            date(2026, 3, 31),
            (
                (date(2026, 3, 20), S.CLOSED),
                (date(2026, 5, 10), S.IN_PROGRESS),
                (date(2026, 6, 5), S.COMPLETED),
            ),
        ),
        TaskHistory(2, date(2026, 2, 28), ()),  # never moved: lagging from March on
        TaskHistory(3, None, ()),  # long-term: never lagging
    ]
    points = monthly_series(histories, start=date(2026, 1, 15), today=date(2026, 6, 20))
    assert [p.label for p in points] == [
        "2026年1月",
        "2026年2月",
        "2026年3月",
        "2026年4月",
        "2026年5月",
        "2026年6月",
    ]
    assert [p.completed for p in points] == [0, 0, 1, 1, 0, 1]
    assert [p.closed for p in points] == [0, 0, 1, 1, 0, 0]
    # Task 1 is past its deadline (3-31) and open at the end of May: lagging then.
    assert [p.lagging for p in points] == [0, 0, 1, 1, 2, 1]


def test_month_ends_count_today_in_the_last_month() -> None:
    assert month_ends(date(2026, 11, 20), date(2027, 1, 5)) == [
        (date(2026, 11, 1), date(2026, 11, 30)),
        (date(2026, 12, 1), date(2026, 12, 31)),
        (date(2027, 1, 1), date(2027, 1, 5)),
    ]


def test_official_punctuation_turns_chinese_commas_full_width_only() -> None:
    assert official_punctuation("有12项,其中(2项滞后);整改率57.3%,12:30") == (
        "有12项\uff0c其中\uff082项滞后\uff09\uff1b整改率57.3%\uff0c12:30"
    )


def test_reminder_plan_one_letter_per_unit() -> None:
    ranking = rank_units(ITEMS, round_shares(ITEMS, FEEDBACK, TODAY))
    # 区水利局 lags: 督办单. 区教育局 has a task due soon: 提醒函. 区住建局 (unknown deadline) and
    # 区林业局 (behind the proportional schedule) are yellow but have no dated task to list: none.
    assert reminder_plan(ranking) == [
        ("区水利局", NoticeKind.SUPERVISION_ORDER),
        ("区教育局", NoticeKind.REMINDER),
    ]


def test_notices_counted_in_the_month_and_in_all() -> None:
    notices = [
        SentNotice(NoticeKind.SUPERVISION_ORDER, date(2026, 5, 3), frozenset({2})),
        SentNotice(NoticeKind.SUPERVISION_ORDER, date(2026, 7, 1), frozenset({2, 99})),
        SentNotice(NoticeKind.REMINDER, date(2026, 7, 1), frozenset({6})),
        SentNotice(NoticeKind.REMINDER, date(2026, 7, 1), frozenset({99})),  # another round's task
        SentNotice(NoticeKind.REMINDER, date(2026, 8, 1), frozenset({6})),  # after the day counted
    ]
    month, total = count_notices(notices, [2, 6], TODAY)
    assert month == {NoticeKind.SUPERVISION_ORDER: 1, NoticeKind.REMINDER: 1}
    assert total == {NoticeKind.SUPERVISION_ORDER: 2, NoticeKind.REMINDER: 1}
