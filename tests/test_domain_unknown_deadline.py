"""Issue 18: the domain's one rule for unknown deadlines, with figures written out by hand."""

from __future__ import annotations

from datetime import date

import pytest

from ledger_app.domain.deadlines import Deadline, parse_deadline
from ledger_app.domain.model import ProblemKind, ScheduleFlag, TaskStatus
from ledger_app.domain.schedule import completion_label, schedule_flag
from ledger_app.domain.stats import StatItem, compute_stats, schedule_tally, summary_sentence

F, S, K = ScheduleFlag, TaskStatus, ProblemKind
TODAY = date(2026, 5, 1)


@pytest.mark.parametrize("text", ["明年春天", "", "   ", "尽快", "按省厅要求完成", "2202年底前"])
@pytest.mark.parametrize("status", [S.NOT_STARTED, S.IN_PROGRESS])
def test_no_readable_date_is_unknown_never_on_schedule(text: str, status: TaskStatus) -> None:
    flag = schedule_flag(status, parse_deadline(text), TODAY)
    assert flag is F.UNKNOWN_DEADLINE
    assert completion_label(status, flag) == "时限不明"


def test_long_term_stays_long_term_and_done_tasks_have_no_flag() -> None:
    assert schedule_flag(S.IN_PROGRESS, parse_deadline("立行立改、长期坚持"), TODAY) is F.LONG_TERM
    assert schedule_flag(S.COMPLETED, Deadline("明年春天"), TODAY) is None
    assert completion_label(S.CLOSED, None) == "已销号"


def test_the_flag_has_an_english_key_and_a_chinese_label() -> None:
    assert (F.UNKNOWN_DEADLINE.value, F.UNKNOWN_DEADLINE.label) == ("unknown-deadline", "时限不明")
    assert F.from_label("时限不明") is F.UNKNOWN_DEADLINE


def item(kind: ProblemKind, status: TaskStatus, flag: ScheduleFlag | None) -> StatItem:
    return StatItem("第二轮中央生态环境保护督察", kind, status, flag, ("区住建局",))


def test_schedule_tally_counts_like_compute_stats() -> None:
    pairs = [(S.IN_PROGRESS, F.LAGGING)] * 3 + [(S.NOT_STARTED, F.UNKNOWN_DEADLINE)] * 2
    pairs += [(S.IN_PROGRESS, F.DUE_SOON), (S.CLOSED, None), (S.IN_PROGRESS, F.ON_SCHEDULE)]
    tally = schedule_tally(pairs)
    assert (tally.total, tally.lagging, tally.unknown_deadline, tally.due_soon, tally.closed) == (
        8,
        3,
        2,
        1,
        1,
    )
    stats = compute_stats(item(K.SPECIFIC, status, flag) for status, flag in pairs)
    assert tally.as_dict() == stats.total.as_dict()


def test_summary_sentences_never_say_on_schedule_for_unknown_deadlines() -> None:
    feedback = [
        *[item(K.SPECIFIC, S.CLOSED, None)] * 9,
        item(K.SPECIFIC, S.IN_PROGRESS, F.ON_SCHEDULE),
        item(K.SPECIFIC, S.IN_PROGRESS, F.UNKNOWN_DEADLINE),
        item(K.COMMON, S.IN_PROGRESS, F.LAGGING),
    ]
    assert summary_sentence(compute_stats(feedback)) == (
        "反馈问题涉及我区的有12项,其中已完成整改并销号9项,其余3项正在推进整改中(其中1项滞后、1项时限不明),"
        "整改率75%、销号率75%。"
    )
    petitions = [*[item(K.PETITION, S.CLOSED, None)] * 3, item(K.PETITION, S.NOT_STARTED, F.UNKNOWN_DEADLINE)]
    assert summary_sentence(compute_stats(petitions)) == (
        "交办信访件4件,已完成整改3件,已验收销号3件,正在整改1件(其中1件时限不明),整改率75%、销号率75%。"
    )
