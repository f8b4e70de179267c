"""Counts, rates and the summary sentence, on hand-made tasks whose answers are known."""

from __future__ import annotations

from ledger_app.domain.model import ProblemKind, ScheduleFlag, Section, TaskStatus
from ledger_app.domain.stats import StatItem, Tally, compute_stats, percent, summary_sentence

K, S, F = ProblemKind, TaskStatus, ScheduleFlag
R1, R2 = "第二轮中央生态环境保护督察", "第二轮省生态环境保护督察"


def items(
    n: int, kind: ProblemKind, status: TaskStatus, flag: ScheduleFlag | None = None, **kw: object
) -> list[StatItem]:
    if flag is None and not status.is_done:
        flag = F.ON_SCHEDULE
    return [StatItem(kw.get("round_name", R1), kind, status, flag, kw.get("units", ())) for _ in range(n)]  # type: ignore[arg-type]


def domain_example() -> list[StatItem]:
    """shared/domain.md: 12 feedback problems (9 closed, 3 on schedule) and 54 petitions, all closed."""
    return [
        *items(6, K.SPECIFIC, S.CLOSED),
        *items(3, K.COMMON, S.CLOSED),
        *items(2, K.SPECIFIC, S.IN_PROGRESS),
        *items(1, K.COMMON, S.NOT_STARTED),
        *items(54, K.PETITION, S.CLOSED),
    ]


def test_domain_md_example_sentence() -> None:
    stats = compute_stats(domain_example())
    assert summary_sentence(stats) == (
        "反馈问题涉及我区的有12项,其中已完成整改并销号9项,其余3项均按序时进度推进整改中;"
        "交办信访件54件,均已完成整改并验收销号,整改率、销号率均为100%。"
    )


def test_domain_md_example_figures() -> None:
    stats = compute_stats(domain_example())
    assert (stats.total.total, stats.total.completed, stats.total.closed, stats.total.open) == (66, 63, 63, 3)
    assert stats.total.on_schedule == 3
    assert stats.by_status[S.CLOSED] == 63
    assert stats.by_status[S.IN_PROGRESS] == 2
    assert stats.by_status[S.NOT_STARTED] == 1
    assert stats.by_schedule[F.ON_SCHEDULE] == 3
    assert list(stats.by_section) == [Section.FEEDBACK, Section.PETITION]
    assert stats.by_section[Section.FEEDBACK].total == 12
    assert stats.by_section[Section.FEEDBACK].closed == 9
    assert stats.by_section[Section.PETITION].closed == 54
    assert percent(stats.total.rectification_rate) == "95.5%"


def test_place_name_is_used() -> None:
    stats = compute_stats(items(2, K.SPECIFIC, S.CLOSED))
    assert (
        summary_sentence(stats, "我县")
        == "反馈问题涉及我县的有2项,其中已完成整改并销号2项,整改率、销号率均为100%。"
    )


def test_no_tasks() -> None:
    stats = compute_stats([])
    assert stats.total.total == 0
    assert stats.total.rectification_rate == 0.0
    assert stats.total.close_out_rate == 0.0
    assert summary_sentence(stats) == "台账中暂无整改任务。"
    assert stats.as_dict()["total"] == {
        "total": 0,
        "completed": 0,
        "closed": 0,
        "open": 0,
        "on_schedule": 0,
        "due_soon": 0,
        "lagging": 0,
        "long_term": 0,
        "unknown_deadline": 0,
        "rectification_rate": 0.0,
        "close_out_rate": 0.0,
    }


def test_feedback_only_with_lagging_tasks() -> None:
    stats = compute_stats(
        [
            *items(2, K.SPECIFIC, S.CLOSED),
            *items(1, K.SPECIFIC, S.COMPLETED),
            *items(3, K.SPECIFIC, S.IN_PROGRESS, F.LAGGING),
            *items(2, K.COMMON, S.IN_PROGRESS, F.DUE_SOON),
        ]
    )
    assert stats.total.lagging == 3
    assert stats.total.due_soon == 2
    assert summary_sentence(stats) == (
        "反馈问题涉及我区的有8项,其中已完成整改并销号2项,已完成整改待销号1项,"
        "其余5项正在推进整改中(其中3项滞后),整改率37.5%、销号率25%。"
    )


def test_feedback_nothing_done_yet() -> None:
    lagging = compute_stats(
        [*items(4, K.SPECIFIC, S.IN_PROGRESS), *items(1, K.SPECIFIC, S.NOT_STARTED, F.LAGGING)]
    )
    assert (
        summary_sentence(lagging)
        == "反馈问题涉及我区的有5项,均正在推进整改中(其中1项滞后),整改率0%、销号率0%。"
    )
    on_time = compute_stats(items(3, K.COMMON, S.IN_PROGRESS))
    assert summary_sentence(on_time) == "反馈问题涉及我区的有3项,均按序时进度推进整改中,整改率0%、销号率0%。"


def test_feedback_done_but_none_closed() -> None:
    stats = compute_stats([*items(2, K.SPECIFIC, S.ACCEPTED), *items(1, K.SPECIFIC, S.IN_PROGRESS)])
    assert summary_sentence(stats) == (
        "反馈问题涉及我区的有3项,其中已完成整改待销号2项,其余1项均按序时进度推进整改中,整改率66.7%、销号率0%。"
    )


def test_petitions_and_self_check_not_all_closed() -> None:
    stats = compute_stats(
        [
            *items(1, K.SPECIFIC, S.CLOSED),
            *items(40, K.PETITION, S.CLOSED),
            *items(10, K.PETITION, S.PUBLIC_NOTICE),
            *items(3, K.PETITION, S.IN_PROGRESS),
            *items(1, K.PETITION, S.IN_PROGRESS, F.LAGGING),
            *items(2, K.SELF_CHECK, S.IN_PROGRESS),
        ]
    )
    assert summary_sentence(stats) == (
        "反馈问题涉及我区的有1项,其中已完成整改并销号1项;"
        "交办信访件54件,已完成整改50件,已验收销号40件,正在整改4件(其中1件滞后),整改率92.6%、销号率74.1%;"
        "自查问题2项,正在整改2项,整改率0%、销号率0%。"
    )


def test_petitions_only() -> None:
    stats = compute_stats(items(7, K.PETITION, S.CLOSED))
    assert summary_sentence(stats) == "交办信访件7件,均已完成整改并验收销号,整改率、销号率均为100%。"


def test_by_round_and_by_unit() -> None:
    stats = compute_stats(
        [
            *items(2, K.SPECIFIC, S.CLOSED, round_name=R1, units=("区住建局",)),
            *items(1, K.SPECIFIC, S.IN_PROGRESS, F.LAGGING, round_name=R1, units=("区住建局", "区水利局")),
            *items(3, K.PETITION, S.COMPLETED, round_name=R2, units=("区水利局",)),
            *items(1, K.PETITION, S.IN_PROGRESS, round_name=R2, units=("区城管局",)),
        ]
    )
    assert list(stats.by_round) == [R1, R2]
    assert (stats.by_round[R1].total, stats.by_round[R1].closed, stats.by_round[R1].lagging) == (3, 2, 1)
    assert (stats.by_round[R2].total, stats.by_round[R2].completed, stats.by_round[R2].closed) == (4, 3, 0)
    # A task with two units counts for each; units are sorted by their number of tasks, then by name.
    assert list(stats.by_unit) == ["区水利局", "区住建局", "区城管局"]
    assert stats.by_unit["区水利局"].total == 4
    assert stats.by_unit["区住建局"].total == 3
    assert stats.by_unit["区住建局"].lagging == 1
    assert stats.total.total == 7  # but only once in the total


def test_as_dict_uses_english_keys_and_rounded_rates() -> None:
    stats = compute_stats([*items(1, K.SPECIFIC, S.CLOSED), *items(2, K.PETITION, S.IN_PROGRESS, F.LAGGING)])
    data = stats.as_dict()
    assert data["by_status"] == {
        "not-started": 0,
        "in-progress": 2,
        "completed": 0,
        "accepted": 0,
        "public-notice": 0,
        "closed": 1,
    }
    assert data["by_schedule"] == {
        "on-schedule": 0,
        "due-soon": 0,
        "lagging": 2,
        "long-term": 0,
        "unknown-deadline": 0,
    }
    assert list(data["by_section"]) == ["feedback", "petition"]  # type: ignore[arg-type]
    assert data["total"]["rectification_rate"] == 0.3333  # type: ignore[index]
    assert data["total"]["close_out_rate"] == 0.3333  # type: ignore[index]


def test_tally_counts_long_term_and_done() -> None:
    tally = Tally()
    for item in [
        *items(2, K.SPECIFIC, S.IN_PROGRESS, F.LONG_TERM),
        *items(1, K.SPECIFIC, S.ACCEPTED),
        *items(1, K.SPECIFIC, S.NOT_STARTED, F.DUE_SOON),
    ]:
        tally.add(item)
    assert (tally.total, tally.completed, tally.closed, tally.open) == (4, 1, 0, 3)
    assert (tally.long_term, tally.due_soon, tally.on_schedule, tally.lagging) == (2, 1, 0, 0)
    assert tally.rectification_rate == 0.25


def test_percent_formatting() -> None:
    assert percent(1.0) == "100%"
    assert percent(0.75) == "75%"
    assert percent(2 / 3) == "66.7%"
    assert percent(1 / 3) == "33.3%"
    assert percent(0.0) == "0%"
    assert percent(63 / 66) == "95.5%"
    assert percent(0.996) == "99.6%"
    assert percent(0.9996) == "99.9%"  # not all done: never "100%"
    assert percent(0.0004) == "0.1%"  # something done: never "0%"
    assert percent(0.001) == "0.1%"
