"""Edges of services/lifecycle.py: a one-day public notice, each step's name for undo, reviews."""

from __future__ import annotations

from datetime import date

import pytest

from ledger_app.domain.model import ProblemKind, ReviewResult, RoundLevel, TaskStatus
from ledger_app.services import Ledger

S = TaskStatus


@pytest.fixture
def task_id(ledger: Ledger) -> int:
    round_id = ledger.directory.create_round(name="第二轮中央生态环境保护督察", level=RoundLevel.CENTRAL)
    task = ledger.tasks.create_task(
        round_id=round_id, kind=ProblemKind.SPECIFIC, description="污水直排", deadline="2026年6月底前"
    )
    ledger.lifecycle.transition(task, S.IN_PROGRESS)
    ledger.lifecycle.transition(task, S.COMPLETED)
    return task


def reason(ledger: Ledger) -> str:
    last = ledger.history.last_undoable()
    assert last is not None
    return last[1]


def test_a_one_day_notice_and_the_names_of_the_steps(ledger: Ledger, task_id: int) -> None:
    ledger.lifecycle.record_acceptance(task_id, accepted_on=date(2026, 6, 10), unit="县生态环境局")
    assert reason(ledger) == "填写验收情况"
    ledger.lifecycle.transition(task_id, S.ACCEPTED)
    ledger.lifecycle.record_public_notice(task_id, start=date(2026, 6, 11), end=date(2026, 6, 11))  # one day
    assert reason(ledger) == "填写公示情况"
    notice = ledger.records.task_record(task_id).public_notice
    assert notice is not None and (notice.start, notice.end) == (date(2026, 6, 11), date(2026, 6, 11))
    ledger.lifecycle.transition(task_id, S.PUBLIC_NOTICE)
    ledger.lifecycle.close_out(task_id, closed_on=date(2026, 6, 12))
    review_id = ledger.lifecycle.add_review(
        task_id, review_date=date(2026, 9, 1), result="consolidated", text="巩固"
    )
    assert reason(ledger) == "回头看"
    assert isinstance(review_id, int) and review_id > 0
    (review,) = ledger.records.task_record(task_id).reviews
    assert (review.result, review.text) == (ReviewResult.CONSOLIDATED.value, "巩固")
    relapse_id = ledger.lifecycle.add_review(
        task_id, review_date=date(2026, 10, 1), result=ReviewResult.RELAPSE, text="反弹"
    )
    assert relapse_id == review_id + 1
    assert ledger.records.task_record(task_id).status is S.IN_PROGRESS
