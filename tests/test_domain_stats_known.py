"""domain/stats.py on hand-counted items: the 时限不明 count and clause, the tallies the banner uses,
the order of units and sections, and the JSON shape."""

from __future__ import annotations

from ledger_app.domain.model import ProblemKind, ScheduleFlag, Section, TaskStatus
from ledger_app.domain.stats import StatItem, compute_stats, schedule_tally, summary_sentence

K, S, F = ProblemKind, TaskStatus, ScheduleFlag
R = "第二轮中央生态环境保护督察"


def item(kind: ProblemKind, status: TaskStatus, flag: ScheduleFlag | None, *units: str) -> StatItem:
    return StatItem(R, kind, status, flag, units)


ITEMS = [
    item(K.PETITION, S.CLOSED, None, "城关镇"),
    item(K.SPECIFIC, S.IN_PROGRESS, F.LAGGING, "县住建局"),
    item(K.SPECIFIC, S.IN_PROGRESS, F.UNKNOWN_DEADLINE, "县水利局"),
    item(K.COMMON, S.NOT_STARTED, F.UNKNOWN_DEADLINE, "县住建局"),
    item(K.SPECIFIC, S.CLOSED, None, "县水利局"),
    item(K.SPECIFIC, S.IN_PROGRESS, F.ON_SCHEDULE, "城关镇"),
]


def test_unknown_deadlines_are_counted_and_said() -> None:
    stats = compute_stats(iter(ITEMS))  # a generator: the items are walked twice
    assert stats.total.unknown_deadline == 2
    assert stats.by_section[Section.FEEDBACK].unknown_deadline == 2
    assert stats.by_unit["县住建局"].unknown_deadline == 1
    assert stats.by_schedule == {F.LAGGING: 1, F.UNKNOWN_DEADLINE: 2, F.ON_SCHEDULE: 1}
    assert summary_sentence(stats, "我县") == (
        "反馈问题涉及我县的有5项,其中已完成整改并销号1项,其余4项正在推进整改中(其中1项滞后、2项时限不明);"
        "交办信访件1件,均已完成整改并验收销号,整改率、销号率均为100%。"
    )


def test_sections_come_in_ledger_order_and_units_by_count_then_name() -> None:
    stats = compute_stats(ITEMS)
    assert list(stats.by_section) == [Section.FEEDBACK, Section.PETITION]  # petitions came first
    assert list(stats.by_unit) == ["县住建局", "县水利局", "城关镇"]  # 2, 2, 2 tasks: by name
    assert [t.total for t in stats.by_unit.values()] == [2, 2, 2]
    shape = stats.as_dict()
    assert list(shape) == ["total", "by_status", "by_schedule", "by_section", "by_unit", "by_round"]
    assert shape["by_unit"]["城关镇"]["closed"] == 1  # type: ignore[index]
    assert shape["by_round"][R]["total"] == 6  # type: ignore[index]


def test_the_banner_tally() -> None:
    tally = schedule_tally([(i.status, i.schedule) for i in ITEMS])
    assert (tally.total, tally.completed, tally.closed, tally.lagging, tally.unknown_deadline) == (
        6,
        2,
        2,
        1,
        2,
    )
    assert (tally.on_schedule, tally.due_soon, tally.long_term, tally.open) == (1, 0, 0, 4)
