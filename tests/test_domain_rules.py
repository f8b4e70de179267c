"""Status transitions: which steps a task may take, and the reason each refused one gets."""

from __future__ import annotations

from datetime import date

import pytest

from ledger_app.domain.model import TaskStatus
from ledger_app.domain.rules import TRANSITIONS, StepFacts, next_steps, prerequisite_refusal, refusal

S = TaskStatus

ALLOWED = {
    (S.NOT_STARTED, S.IN_PROGRESS),
    (S.IN_PROGRESS, S.COMPLETED),
    (S.COMPLETED, S.ACCEPTED),
    (S.COMPLETED, S.IN_PROGRESS),
    (S.ACCEPTED, S.PUBLIC_NOTICE),
    (S.PUBLIC_NOTICE, S.CLOSED),
    (S.PUBLIC_NOTICE, S.IN_PROGRESS),
    (S.CLOSED, S.IN_PROGRESS),
}


def test_the_allowed_steps_are_exactly_the_lifecycle_of_domain_md() -> None:
    assert set(TRANSITIONS) == ALLOWED


@pytest.mark.parametrize(("current", "target"), sorted(ALLOWED))
def test_allowed_steps_have_no_refusal(current: TaskStatus, target: TaskStatus) -> None:
    assert refusal(current, target) is None


@pytest.mark.parametrize(
    ("current", "target"),
    [(a, b) for a in TaskStatus for b in TaskStatus if (a, b) not in ALLOWED],
)
def test_every_other_step_is_refused_with_a_chinese_reason(current: TaskStatus, target: TaskStatus) -> None:
    reason = refusal(current, target)
    assert reason is not None
    assert reason.endswith("。")
    assert target.label in reason or current is S.CLOSED


@pytest.mark.parametrize(
    ("current", "target", "reason"),
    [
        (S.NOT_STARTED, S.COMPLETED, "不能从「未启动」直接变为「已完成」:须先经过「整改中」。"),
        (S.IN_PROGRESS, S.ACCEPTED, "不能从「整改中」直接变为「已验收」:须先经过「已完成」。"),
        (
            S.IN_PROGRESS,
            S.CLOSED,
            "不能从「整改中」直接变为「已销号」:须先经过「已完成」、「已验收」、「公示中」。",
        ),
        (S.COMPLETED, S.CLOSED, "不能从「已完成」直接变为「已销号」:须先经过「已验收」、「公示中」。"),
        (S.ACCEPTED, S.CLOSED, "不能从「已验收」直接变为「已销号」:须先经过「公示中」。"),
        (S.IN_PROGRESS, S.IN_PROGRESS, "任务已经是「整改中」状态。"),
        (S.CLOSED, S.CLOSED, "任务已经是「已销号」状态。"),
        (S.CLOSED, S.NOT_STARTED, "已销号的任务只能在回头看发现反弹时重新整改。"),
        (S.CLOSED, S.COMPLETED, "已销号的任务只能在回头看发现反弹时重新整改。"),
        (S.IN_PROGRESS, S.NOT_STARTED, "不能从「整改中」变为「未启动」。"),
        (S.ACCEPTED, S.IN_PROGRESS, "不能从「已验收」变为「整改中」。"),
        (S.PUBLIC_NOTICE, S.ACCEPTED, "不能从「公示中」变为「已验收」。"),
    ],
)
def test_refusal_text(current: TaskStatus, target: TaskStatus, reason: str) -> None:
    assert refusal(current, target) == reason


def test_next_steps_lists_the_forward_step_first() -> None:
    assert next_steps(S.NOT_STARTED) == [(S.IN_PROGRESS, "开始整改")]
    assert next_steps(S.IN_PROGRESS) == [(S.COMPLETED, "完成整改")]
    assert next_steps(S.COMPLETED) == [(S.ACCEPTED, "验收通过"), (S.IN_PROGRESS, "验收未通过,退回整改")]
    assert next_steps(S.ACCEPTED) == [(S.PUBLIC_NOTICE, "开始公示")]
    assert next_steps(S.PUBLIC_NOTICE) == [(S.CLOSED, "销号"), (S.IN_PROGRESS, "公示有异议,退回整改")]
    assert next_steps(S.CLOSED) == [(S.IN_PROGRESS, "回头看发现反弹,重新整改")]


def test_every_status_has_a_way_on() -> None:
    # No dead end: a clerk can always do something with a task.
    for status in TaskStatus:
        assert next_steps(status), status


# -- prerequisites ------------------------------------------------------------------------------
JULY_1 = date(2026, 7, 1)
ACCEPTED = StepFacts(has_acceptance=True, acceptance_date=date(2026, 6, 20))
NOTICED = StepFacts(
    has_acceptance=True,
    acceptance_date=date(2026, 6, 20),
    notice_start=date(2026, 6, 22),
    notice_end=date(2026, 6, 28),
)


def test_acceptance_needs_the_acceptance_record() -> None:
    assert prerequisite_refusal(S.ACCEPTED, StepFacts(), JULY_1) == (
        "验收前请先填写验收情况(验收日期、验收单位、评估结论)。"
    )
    assert prerequisite_refusal(S.ACCEPTED, ACCEPTED, JULY_1) is None


def test_public_notice_needs_a_whole_notice_period_after_the_acceptance() -> None:
    assert prerequisite_refusal(S.PUBLIC_NOTICE, ACCEPTED, JULY_1) == "公示前请先填写公示期(开始和结束日期)。"
    only_start = StepFacts(has_acceptance=True, notice_start=date(2026, 6, 22))
    assert (
        prerequisite_refusal(S.PUBLIC_NOTICE, only_start, JULY_1) == "公示前请先填写公示期(开始和结束日期)。"
    )
    backwards = StepFacts(has_acceptance=True, notice_start=date(2026, 6, 28), notice_end=date(2026, 6, 22))
    assert prerequisite_refusal(S.PUBLIC_NOTICE, backwards, JULY_1) == "公示结束日期早于开始日期。"
    before_acceptance = StepFacts(
        has_acceptance=True,
        acceptance_date=date(2026, 6, 20),
        notice_start=date(2026, 6, 19),
        notice_end=date(2026, 6, 25),
    )
    assert prerequisite_refusal(S.PUBLIC_NOTICE, before_acceptance, JULY_1) == "公示开始日期早于验收日期。"
    same_day = StepFacts(
        has_acceptance=True,
        acceptance_date=date(2026, 6, 20),
        notice_start=date(2026, 6, 20),
        notice_end=date(2026, 6, 20),
    )
    assert prerequisite_refusal(S.PUBLIC_NOTICE, same_day, JULY_1) is None
    assert prerequisite_refusal(S.PUBLIC_NOTICE, NOTICED, JULY_1) is None


def test_close_out_needs_acceptance_and_a_finished_notice_period() -> None:
    no_acceptance = StepFacts(notice_start=date(2026, 6, 22), notice_end=date(2026, 6, 28))
    assert prerequisite_refusal(S.CLOSED, no_acceptance, JULY_1) == "未经验收的任务不能销号。"
    assert prerequisite_refusal(S.CLOSED, ACCEPTED, JULY_1) == "未经公示的任务不能销号。"
    # The notice period ends on the 28th: closing on the 28th is refused, on the 29th allowed.
    on_last_day = prerequisite_refusal(S.CLOSED, NOTICED, date(2026, 6, 28))
    assert on_last_day == "公示期到2026-06-28才结束,公示期满后才能销号。"
    assert prerequisite_refusal(S.CLOSED, NOTICED, date(2026, 6, 25)) == on_last_day
    assert prerequisite_refusal(S.CLOSED, NOTICED, date(2026, 6, 29)) is None


@pytest.mark.parametrize("target", [S.IN_PROGRESS, S.COMPLETED, S.NOT_STARTED])
def test_steps_without_records_need_nothing(target: TaskStatus) -> None:
    assert prerequisite_refusal(target, StepFacts(), JULY_1) is None
