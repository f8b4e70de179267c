"""A task's walk 未启动 → 整改中 → 已完成 → 已验收 → 公示中 → 已销号, its refusals, and reopening on 反弹."""

from __future__ import annotations

from datetime import date

import pytest

from ledger_app.domain.errors import TransitionRefused, ValidationError
from ledger_app.domain.model import ProblemKind, ReviewResult, RoundLevel, TaskStatus
from ledger_app.domain.records import AcceptanceRecord, CloseOutRecord, PublicNoticeRecord
from ledger_app.services import Ledger
from ledger_app.services.lifecycle import current_records

S = TaskStatus


@pytest.fixture
def task_id(ledger: Ledger) -> int:
    round_id = ledger.directory.create_round(name="第二轮中央生态环境保护督察", level=RoundLevel.CENTRAL)
    return ledger.tasks.create_task(
        round_id=round_id, kind=ProblemKind.SPECIFIC, description="污水直排", deadline="2026年6月底前"
    )


def status(ledger: Ledger, task_id: int) -> TaskStatus:
    return ledger.records.task_record(task_id).status


def walk_to_closed(ledger: Ledger, task_id: int) -> None:
    ledger.lifecycle.transition(task_id, S.IN_PROGRESS)
    ledger.lifecycle.transition(task_id, S.COMPLETED)
    ledger.lifecycle.record_acceptance(
        task_id, accepted_on=date(2026, 6, 10), unit="区生态环境局", opinion="经现场核查合格"
    )
    ledger.lifecycle.transition(task_id, S.ACCEPTED)
    ledger.lifecycle.record_public_notice(
        task_id, start=date(2026, 6, 11), end=date(2026, 6, 17), contact="李明", outcome="公示期间未收到异议"
    )
    ledger.lifecycle.transition(task_id, S.PUBLIC_NOTICE)
    ledger.lifecycle.close_out(
        task_id, closed_on=date(2026, 6, 18), approved_by="区委书记、区长", document_no="销〔2026〕3号"
    )


def test_the_whole_walk_with_its_records(ledger: Ledger, task_id: int) -> None:
    assert status(ledger, task_id) is S.NOT_STARTED
    walk_to_closed(ledger, task_id)
    record = ledger.records.task_record(task_id, today=date(2026, 7, 1))
    assert record.status is S.CLOSED
    assert record.schedule is None
    assert record.acceptance == AcceptanceRecord(
        date(2026, 6, 10), "区生态环境局", "符合销号条件", "经现场核查合格"
    )
    assert record.public_notice == PublicNoticeRecord(
        date(2026, 6, 11), date(2026, 6, 17), "李明", "", "公示期间未收到异议"
    )
    assert record.close_out == CloseOutRecord(date(2026, 6, 18), "区委书记、区长", "销〔2026〕3号", "")
    # The audit log names each step in the clerk's words.
    steps = [
        (h.old_value, h.new_value, h.reason)
        for h in reversed(ledger.history.for_task(task_id))
        if h.field == "status"
    ]
    assert steps == [
        ("not-started", "in-progress", "开始整改"),
        ("in-progress", "completed", "完成整改"),
        ("completed", "accepted", "验收通过"),
        ("accepted", "public-notice", "开始公示"),
        ("public-notice", "closed", "销号"),
    ]


@pytest.mark.parametrize(
    ("steps", "target", "reason"),
    [
        ([], S.COMPLETED, "不能从「未启动」直接变为「已完成」:须先经过「整改中」。"),
        ([S.IN_PROGRESS], S.ACCEPTED, "不能从「整改中」直接变为「已验收」:须先经过「已完成」。"),
        (
            [S.IN_PROGRESS, S.COMPLETED],
            S.PUBLIC_NOTICE,
            "不能从「已完成」直接变为「公示中」:须先经过「已验收」。",
        ),
        (
            [S.IN_PROGRESS],
            S.CLOSED,
            "不能从「整改中」直接变为「已销号」:须先经过「已完成」、「已验收」、「公示中」。",
        ),
        ([S.IN_PROGRESS], S.IN_PROGRESS, "任务已经是「整改中」状态。"),
        ([S.IN_PROGRESS], S.NOT_STARTED, "不能从「整改中」变为「未启动」。"),
    ],
)
def test_skipped_steps_are_refused_with_the_reason(
    ledger: Ledger, task_id: int, steps: list[TaskStatus], target: TaskStatus, reason: str
) -> None:
    for step in steps:
        ledger.lifecycle.transition(task_id, step)
    before = ledger.history.for_task(task_id)
    with pytest.raises(TransitionRefused) as refused:
        ledger.lifecycle.transition(task_id, target, reason="试试")
    assert refused.value.message_zh == reason
    assert status(ledger, task_id) is (steps[-1] if steps else S.NOT_STARTED)
    assert ledger.history.for_task(task_id) == before  # a refused step leaves no trace


def test_acceptance_needs_its_record(ledger: Ledger, task_id: int) -> None:
    ledger.lifecycle.transition(task_id, S.IN_PROGRESS)
    with pytest.raises(ValidationError, match="任务尚未完成整改,不能填写验收情况"):
        ledger.lifecycle.record_acceptance(task_id, accepted_on=date(2026, 6, 10), unit="区生态环境局")
    ledger.lifecycle.transition(task_id, S.COMPLETED)
    with pytest.raises(TransitionRefused) as refused:
        ledger.lifecycle.transition(task_id, S.ACCEPTED)
    assert refused.value.message_zh == "验收前请先填写验收情况(验收日期、验收单位、评估结论)。"
    with pytest.raises(ValidationError, match="请填写评估结论"):
        ledger.lifecycle.record_acceptance(task_id, accepted_on=date(2026, 6, 10), unit="x", conclusion=" ")
    ledger.lifecycle.record_acceptance(task_id, accepted_on=date(2026, 6, 10), unit="区生态环境局")
    # Filling it in again corrects the same record rather than adding a second one.
    ledger.lifecycle.record_acceptance(task_id, accepted_on=date(2026, 6, 12), unit="区住建局")
    with ledger.reading() as session:
        acceptance, notice, close = current_records(session, task_id)
        assert acceptance is not None and (acceptance.accepted_on, acceptance.unit) == (
            date(2026, 6, 12),
            "区住建局",
        )
        assert notice is None and close is None
    ledger.lifecycle.transition(task_id, S.ACCEPTED)
    assert status(ledger, task_id) is S.ACCEPTED


def test_public_notice_needs_a_period_after_the_acceptance(ledger: Ledger, task_id: int) -> None:
    ledger.lifecycle.transition(task_id, S.IN_PROGRESS)
    ledger.lifecycle.transition(task_id, S.COMPLETED)
    ledger.lifecycle.record_acceptance(task_id, accepted_on=date(2026, 6, 10), unit="区生态环境局")
    with pytest.raises(ValidationError, match="任务尚未验收,不能填写公示情况"):
        ledger.lifecycle.record_public_notice(task_id, start=date(2026, 6, 11), end=date(2026, 6, 17))
    ledger.lifecycle.transition(task_id, S.ACCEPTED)
    with pytest.raises(TransitionRefused, match="公示前请先填写公示期"):
        ledger.lifecycle.transition(task_id, S.PUBLIC_NOTICE)
    with pytest.raises(ValidationError, match="公示结束日期早于开始日期"):
        ledger.lifecycle.record_public_notice(task_id, start=date(2026, 6, 17), end=date(2026, 6, 11))
    ledger.lifecycle.record_public_notice(task_id, start=date(2026, 6, 5), end=date(2026, 6, 12))
    with pytest.raises(TransitionRefused) as refused:
        ledger.lifecycle.transition(task_id, S.PUBLIC_NOTICE)
    assert refused.value.message_zh == "公示开始日期早于验收日期。"
    ledger.lifecycle.record_public_notice(task_id, start=date(2026, 6, 10), end=date(2026, 6, 16))
    ledger.lifecycle.transition(task_id, S.PUBLIC_NOTICE)
    assert status(ledger, task_id) is S.PUBLIC_NOTICE


def test_closing_before_the_notice_period_ends_is_refused(ledger: Ledger, task_id: int) -> None:
    ledger.lifecycle.transition(task_id, S.IN_PROGRESS)
    ledger.lifecycle.transition(task_id, S.COMPLETED)
    ledger.lifecycle.record_acceptance(task_id, accepted_on=date(2026, 6, 10), unit="区生态环境局")
    ledger.lifecycle.transition(task_id, S.ACCEPTED)
    ledger.lifecycle.record_public_notice(task_id, start=date(2026, 6, 11), end=date(2026, 6, 17))
    ledger.lifecycle.transition(task_id, S.PUBLIC_NOTICE)
    for day in (date(2026, 6, 12), date(2026, 6, 17)):
        with pytest.raises(TransitionRefused) as refused:
            ledger.lifecycle.close_out(task_id, closed_on=day)
        assert refused.value.message_zh == "公示期到2026-06-17才结束,公示期满后才能销号。"
    assert status(ledger, task_id) is S.PUBLIC_NOTICE
    assert ledger.records.task_record(task_id).close_out is None  # no record of the refused attempt
    ledger.lifecycle.close_out(task_id, closed_on=date(2026, 6, 18))
    assert status(ledger, task_id) is S.CLOSED


def test_transition_to_closed_also_records_the_close_out(ledger: Ledger, task_id: int) -> None:
    ledger.lifecycle.transition(task_id, S.IN_PROGRESS)
    ledger.lifecycle.transition(task_id, S.COMPLETED)
    ledger.lifecycle.record_acceptance(task_id, accepted_on=date(2026, 6, 10), unit="区生态环境局")
    ledger.lifecycle.transition(task_id, S.ACCEPTED)
    ledger.lifecycle.record_public_notice(task_id, start=date(2026, 6, 11), end=date(2026, 6, 17))
    ledger.lifecycle.transition(task_id, S.PUBLIC_NOTICE)
    with pytest.raises(TransitionRefused, match="公示期满后才能销号"):
        ledger.lifecycle.transition(task_id, S.CLOSED, on=date(2026, 6, 17))
    ledger.lifecycle.transition(task_id, S.CLOSED, on=date(2026, 6, 20))
    record = ledger.records.task_record(task_id)
    assert record.status is S.CLOSED
    assert record.close_out is not None and record.close_out.closed_on == date(2026, 6, 20)


def test_backward_steps_need_a_reason(ledger: Ledger, task_id: int) -> None:
    ledger.lifecycle.transition(task_id, S.IN_PROGRESS)
    ledger.lifecycle.transition(task_id, S.COMPLETED)
    with pytest.raises(TransitionRefused) as refused:
        ledger.lifecycle.transition(task_id, S.IN_PROGRESS, reason="  ")
    assert refused.value.message_zh == "退回或重新整改时请说明原因。"
    assert status(ledger, task_id) is S.COMPLETED
    ledger.lifecycle.transition(task_id, S.IN_PROGRESS, reason="验收组发现仍有两处排口未封堵")
    assert status(ledger, task_id) is S.IN_PROGRESS
    latest = ledger.history.for_task(task_id)[0]
    assert (latest.field, latest.old_value, latest.new_value) == ("status", "completed", "in-progress")
    assert latest.reason == "验收组发现仍有两处排口未封堵"
    assert latest.actor == "测试员"


def test_objection_during_the_notice_sends_the_task_back(ledger: Ledger, task_id: int) -> None:
    ledger.lifecycle.transition(task_id, S.IN_PROGRESS)
    ledger.lifecycle.transition(task_id, S.COMPLETED)
    ledger.lifecycle.record_acceptance(task_id, accepted_on=date(2026, 6, 10), unit="区生态环境局")
    ledger.lifecycle.transition(task_id, S.ACCEPTED)
    ledger.lifecycle.record_public_notice(task_id, start=date(2026, 6, 11), end=date(2026, 6, 17))
    ledger.lifecycle.transition(task_id, S.PUBLIC_NOTICE)
    ledger.lifecycle.transition(task_id, S.IN_PROGRESS, reason="公示期间收到群众异议")
    assert status(ledger, task_id) is S.IN_PROGRESS


def test_reviews_only_for_closed_tasks(ledger: Ledger, task_id: int) -> None:
    with pytest.raises(ValidationError, match="只有已销号的任务才能进行回头看"):
        ledger.lifecycle.add_review(task_id, review_date=date(2026, 9, 1), result=ReviewResult.CONSOLIDATED)
    walk_to_closed(ledger, task_id)
    with pytest.raises(ValidationError, match="发现反弹时请写明具体情况"):
        ledger.lifecycle.add_review(
            task_id, review_date=date(2026, 9, 1), result=ReviewResult.RELAPSE, text=" "
        )
    ledger.lifecycle.add_review(
        task_id,
        review_date=date(2026, 9, 1),
        result=ReviewResult.CONSOLIDATED,
        text="未发现反弹",
        reviewer="彭红",
    )
    record = ledger.records.task_record(task_id)
    assert record.status is S.CLOSED
    assert [(r.review_date, r.result, r.text, r.reviewer) for r in record.reviews] == [
        (date(2026, 9, 1), "consolidated", "未发现反弹", "彭红")
    ]
    assert record.close_out is not None


def test_a_relapse_reopens_and_needs_a_new_acceptance(ledger: Ledger, task_id: int) -> None:
    walk_to_closed(ledger, task_id)
    ledger.lifecycle.add_review(
        task_id, review_date=date(2026, 10, 8), result=ReviewResult.RELAPSE, text="排口再次出现污水"
    )
    record = ledger.records.task_record(task_id, today=date(2026, 10, 9))
    assert record.status is S.IN_PROGRESS
    assert record.schedule is not None  # open again, so flagged again (its deadline has passed)
    # The earlier cycle's records stay in the history but are no longer the current ones.
    assert (record.acceptance, record.public_notice, record.close_out) == (None, None, None)
    with ledger.reading() as session:
        assert current_records(session, task_id) == (None, None, None)
    status_steps = [h.reason for h in ledger.history.for_task(task_id) if h.field == "status"]
    assert status_steps[0] == "回头看发现反弹:排口再次出现污水"
    assert len(status_steps) == 6

    ledger.lifecycle.transition(task_id, S.COMPLETED)
    with pytest.raises(TransitionRefused, match="验收前请先填写验收情况"):
        ledger.lifecycle.transition(task_id, S.ACCEPTED)
    ledger.lifecycle.record_acceptance(task_id, accepted_on=date(2026, 11, 2), unit="区住建局")
    ledger.lifecycle.transition(task_id, S.ACCEPTED)
    # The old notice (June) does not count for the new cycle.
    with pytest.raises(TransitionRefused, match="公示前请先填写公示期"):
        ledger.lifecycle.transition(task_id, S.PUBLIC_NOTICE)
    ledger.lifecycle.record_public_notice(task_id, start=date(2026, 11, 3), end=date(2026, 11, 9))
    ledger.lifecycle.transition(task_id, S.PUBLIC_NOTICE)
    ledger.lifecycle.close_out(task_id, closed_on=date(2026, 11, 10))
    record = ledger.records.task_record(task_id)
    assert record.status is S.CLOSED
    assert record.acceptance is not None and record.acceptance.accepted_on == date(2026, 11, 2)
    assert record.public_notice is not None and record.public_notice.start == date(2026, 11, 3)
    assert record.close_out is not None and record.close_out.closed_on == date(2026, 11, 10)
    assert [r.result for r in record.reviews] == ["relapse"]
