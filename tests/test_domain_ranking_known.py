"""The red / yellow / green ranking (红黄绿榜) at its edges, on hand-made tasks: the figures of each unit,
the reason shown beside its colour, the order within a colour, and the elapsed share of a round whose
span is one day or none (answers worked out by hand in the comments; issue 24)."""

from __future__ import annotations

from datetime import date

import pytest

from ledger_app.domain import ranking
from ledger_app.domain.model import NoticeKind, ScheduleFlag, TaskStatus
from ledger_app.domain.ranking import (
    RANKING_RULE,
    REMINDER_RULE,
    RankColour,
    RankItem,
    UnitRank,
    colour_of,
    elapsed_share,
    rank_units,
    reminder_plan,
    round_shares,
)

S, F = TaskStatus, ScheduleFlag
A, B = "第一轮", "第二轮"


def task(
    task_id: int,
    status: TaskStatus,
    flag: ScheduleFlag | None,
    deadline: date | None,
    *units: str,
    round_name: str = A,
) -> RankItem:
    return RankItem(task_id, round_name, status, flag, deadline, units)


def test_the_figures_of_one_unit_and_its_json() -> None:
    items = [
        task(1, S.CLOSED, None, date(2026, 3, 31), "区水利局"),
        task(2, S.PUBLIC_NOTICE, None, date(2026, 4, 30), "区水利局"),
        task(3, S.COMPLETED, None, None, "区水利局"),  # done, long-term: completed, not completed_dated
        task(4, S.IN_PROGRESS, F.DUE_SOON, date(2026, 7, 10), "区水利局"),
        task(5, S.NOT_STARTED, F.UNKNOWN_DEADLINE, None, "区水利局"),
        task(6, S.IN_PROGRESS, F.LONG_TERM, None, "区水利局"),
        task(7, S.IN_PROGRESS, F.ON_SCHEDULE, date(2026, 12, 31), "区水利局"),
    ]
    # Dated tasks: 1, 2, 4, 7 with share 0.8 each: 3.2 → expects 3; completed among them: 1 and 2.
    (rank,) = rank_units(items, {A: 0.8})
    assert (rank.tasks, rank.completed, rank.closed, rank.lagging) == (7, 3, 1, 0)
    assert (rank.due_soon, rank.unknown_deadline, rank.long_term) == (1, 1, 1)
    assert (rank.expected, rank.completed_dated) == (3, 2)
    assert (rank.open, rank.open_not_lagging) == (4, 4)
    assert rank.rectification_rate == pytest.approx(3 / 7)
    assert rank.behind_schedule
    assert rank.colour is RankColour.YELLOW
    assert rank.reason() == "临期1项、时限不明1项、应完成3项、已完成2项"
    assert rank.as_dict() == {
        "unit": "区水利局",
        "colour": "yellow",
        "tasks": 7,
        "completed": 3,
        "closed": 1,
        "lagging": 0,
        "due_soon": 1,
        "unknown_deadline": 1,
        "long_term": 1,
        "expected": 3,
        "completed_dated": 2,
        "reason": "临期1项、时限不明1项、应完成3项、已完成2项",
    }


def test_red_green_and_the_reasons() -> None:
    items = [
        task(1, S.IN_PROGRESS, F.LAGGING, date(2026, 1, 31), "区住建局"),
        task(2, S.IN_PROGRESS, F.LAGGING, date(2026, 2, 28), "区住建局"),
        task(3, S.IN_PROGRESS, F.DUE_SOON, date(2026, 7, 5), "区住建局"),
        task(4, S.ACCEPTED, None, date(2026, 2, 28), "区教育局"),
        task(5, S.IN_PROGRESS, F.ON_SCHEDULE, date(2026, 12, 31), "区教育局"),
    ]
    ranks = {r.unit: r for r in rank_units(items, {A: 0.3})}
    red = ranks["区住建局"]
    assert red.colour is RankColour.RED
    assert red.reason() == "滞后2项"  # red says only why it is red
    assert (red.open, red.open_not_lagging) == (3, 1)
    green = ranks["区教育局"]
    # Two dated tasks × 0.3 = 0.6 → expects 0; one completed: green.
    assert (green.expected, green.completed_dated) == (0, 1)
    assert green.colour is RankColour.GREEN
    assert green.reason() == "序时推进"
    assert green.as_dict()["colour"] == "green"
    assert red.as_dict()["colour"] == "red"
    assert [c.label for c in RankColour] == ["红", "黄", "绿"]


def test_order_within_a_colour_most_lagging_then_most_due_then_lowest_rate_then_name() -> None:
    d = date(2026, 12, 31)
    items = [
        # Red: 区乙 two lagging, 区甲 one lagging.
        task(1, S.IN_PROGRESS, F.LAGGING, d, "区甲"),
        task(2, S.IN_PROGRESS, F.LAGGING, d, "区乙"),
        task(3, S.IN_PROGRESS, F.LAGGING, d, "区乙"),
        # Yellow: 区丙 two due soon; 区丁 and 区戊 one due soon each, 区丁 at 50 %, 区戊 at 0 %.
        task(4, S.IN_PROGRESS, F.DUE_SOON, d, "区丙"),
        task(5, S.IN_PROGRESS, F.DUE_SOON, d, "区丙"),
        task(6, S.IN_PROGRESS, F.DUE_SOON, d, "区丁"),
        task(7, S.COMPLETED, None, d, "区丁"),
        task(8, S.IN_PROGRESS, F.DUE_SOON, d, "区戊"),
        # Green: 区己 and 区庚 alike (0 %): by name.
        task(9, S.IN_PROGRESS, F.ON_SCHEDULE, d, "区庚"),
        task(10, S.IN_PROGRESS, F.ON_SCHEDULE, d, "区己"),
    ]
    order = [r.unit for r in rank_units(items, {A: 0.0})]
    assert order == ["区乙", "区甲", "区丙", "区戊", "区丁", "区己", "区庚"]


def test_a_task_of_several_units_counts_for_each() -> None:
    items = [task(1, S.CLOSED, None, date(2026, 3, 1), "区甲", "区乙")]
    ranks = rank_units(items, {A: 1.0})
    assert [(r.unit, r.tasks, r.closed, r.expected, r.completed_dated) for r in ranks] == [
        ("区乙", 1, 1, 1, 1),  # alike: by name (乙 U+4E59 before 甲 U+7532)
        ("区甲", 1, 1, 1, 1),
    ]


def test_a_unit_without_tasks_has_a_zero_rate_and_the_defaults() -> None:
    rank = UnitRank("区甲")
    assert (rank.tasks, rank.completed, rank.closed, rank.lagging, rank.expected) == (0, 0, 0, 0, 0)
    assert rank.rectification_rate == 0.0
    assert not rank.behind_schedule
    assert rank.colour is RankColour.GREEN
    assert colour_of(rank) is RankColour.GREEN
    assert rank.reason() == "序时推进"
    rank.completed, rank.tasks = 2, 4
    assert rank.rectification_rate == 0.5


def test_elapsed_share_of_a_round_of_one_day_and_of_none() -> None:
    feedback = date(2026, 1, 1)
    # Latest deadline on the feedback day (span 0): nothing before it, everything from it on.
    assert elapsed_share(feedback, feedback, date(2025, 12, 31)) == 0.0
    assert elapsed_share(feedback, feedback, feedback) == 1.0
    # A deadline before the feedback date (span < 0): the same rule.
    assert elapsed_share(feedback, date(2025, 12, 1), date(2025, 11, 30)) == 0.0
    assert elapsed_share(feedback, date(2025, 12, 1), date(2025, 12, 1)) == 1.0
    # Span of one day.
    assert elapsed_share(feedback, date(2026, 1, 2), feedback) == 0.0
    assert elapsed_share(feedback, date(2026, 1, 2), date(2026, 1, 2)) == 1.0
    # Span of four days, half-way.
    assert elapsed_share(feedback, date(2026, 1, 5), date(2026, 1, 3)) == 0.5
    assert elapsed_share(feedback, None, date(2026, 1, 3)) == 0.0


def test_round_shares_take_each_rounds_latest_dated_deadline() -> None:
    items = [
        task(1, S.IN_PROGRESS, F.ON_SCHEDULE, date(2026, 1, 11), "区甲"),
        task(2, S.IN_PROGRESS, F.ON_SCHEDULE, date(2026, 1, 21), "区甲"),  # A's latest: 20 days
        task(3, S.IN_PROGRESS, F.ON_SCHEDULE, date(2026, 1, 6), "区甲"),
        task(4, S.IN_PROGRESS, F.LONG_TERM, None, "区甲"),
        task(5, S.IN_PROGRESS, F.ON_SCHEDULE, date(2026, 1, 11), "区甲", round_name=B),  # B: 10 days
        task(6, S.IN_PROGRESS, F.LONG_TERM, None, "区甲", round_name="第三轮"),  # no dated task: 0
    ]
    feedback = {A: date(2026, 1, 1), B: date(2026, 1, 1), "第三轮": date(2026, 1, 1)}
    shares = round_shares(items, feedback, date(2026, 1, 6))
    assert shares == {A: 0.25, B: 0.5, "第三轮": 0.0}


def test_expected_sums_the_shares_of_every_round_before_rounding_down() -> None:
    items = [
        task(1, S.IN_PROGRESS, F.ON_SCHEDULE, date(2026, 12, 31), "区甲"),
        task(2, S.IN_PROGRESS, F.ON_SCHEDULE, date(2026, 12, 31), "区甲", round_name=B),
        task(3, S.IN_PROGRESS, F.ON_SCHEDULE, date(2026, 12, 31), "区甲", round_name="第三轮"),
    ]
    # 0.1 + 0.2 + 0.7 = 1 (not 0.9999…); a round missing from the shares counts 0.
    (rank,) = rank_units(items, {A: 0.1, B: 0.2, "第三轮": 0.7})
    assert rank.expected == 1
    (rank,) = rank_units(items, {A: 0.6, B: 0.3})
    assert rank.expected == 0


def test_rules_as_the_page_shows_them() -> None:
    assert (
        RANKING_RULE
        == ranking.RANKING_RULE
        == (
            "红:有滞后(逾期未完成)的任务;"
            "黄:无滞后,但有临期或时限不明的任务,或已完成数少于按时间进度应完成数;"
            "绿:其余。"
            "应完成数 = 单位各项有明确时限任务所属批次已过时间比例(自反馈日期至该批次最晚整改时限)之和,向下取整;"
            "长期坚持、时限不明的任务不计入。单位按牵头单位统计,无牵头单位的按责任单位。"
        )
    )
    assert (
        REMINDER_RULE
        == ranking.REMINDER_RULE
        == (
            "有滞后任务的单位发督办单(列其滞后任务);无滞后但有临期任务的单位发提醒函(列其临期任务);每个单位一份。"
        )
    )


def test_reminders_follow_the_ranking_order() -> None:
    ranking = [
        UnitRank("区甲", lagging=1, due_soon=3),
        UnitRank("区乙", due_soon=1),
        UnitRank("区丙", unknown_deadline=2),
    ]
    assert reminder_plan(ranking) == [("区甲", NoticeKind.SUPERVISION_ORDER), ("区乙", NoticeKind.REMINDER)]
