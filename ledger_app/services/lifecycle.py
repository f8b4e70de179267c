"""The ``lifecycle`` part: walking a task through its statuses, with acceptance, public notice, close-out and
follow-up reviews."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from ledger_app.domain.errors import TransitionRefused, ValidationError
from ledger_app.domain.model import ReviewResult, TaskStatus
from ledger_app.domain.rules import TRANSITIONS, StepFacts, prerequisite_refusal, refusal
from ledger_app.store import models as m

from .tasks import live_task

if TYPE_CHECKING:
    from . import Ledger


def _latest(session: Session, model: type[m.Base], task_id: int, since: object) -> m.Base | None:
    query = select(model).where(model.problem_id == task_id)  # type: ignore[attr-defined]
    if since is not None:
        query = query.where(model.created_at >= since)  # type: ignore[attr-defined]
    return session.scalars(query.order_by(model.id.desc()).limit(1)).first()  # type: ignore[attr-defined]


def current_cycle_start(session: Session, task_id: int) -> object:
    """When the task was last reopened by a relapse; records before that belong to an earlier round."""
    return session.scalar(
        select(m.Review.created_at)
        .where(m.Review.problem_id == task_id, m.Review.result == ReviewResult.RELAPSE.value)
        .order_by(m.Review.id.desc())
        .limit(1)
    )


def current_records(
    session: Session, task_id: int
) -> tuple[m.Acceptance | None, m.PublicNotice | None, m.CloseOut | None]:
    since = current_cycle_start(session, task_id)
    return (
        _latest(session, m.Acceptance, task_id, since),  # type: ignore[return-value]
        _latest(session, m.PublicNotice, task_id, since),
        _latest(session, m.CloseOut, task_id, since),
    )


class Lifecycle:
    """``ledger.lifecycle``: every step of a task's status, refused with the reason when not allowed."""

    def __init__(self, ledger: Ledger) -> None:
        self.ledger = ledger

    def _step(self, session: Session, task: m.Problem, target: TaskStatus, on: date, reason: str) -> None:
        current = TaskStatus(task.status)
        why = refusal(current, target)
        if why:
            raise TransitionRefused(why, f"step {current.value} → {target.value} refused")
        if target.order < current.order and not reason.strip():
            raise TransitionRefused("退回或重新整改时请说明原因。", "a step back needs a reason")
        acceptance, notice, _ = current_records(session, task.id)
        facts = StepFacts(
            has_acceptance=acceptance is not None and bool(acceptance.conclusion.strip()),
            acceptance_date=acceptance.accepted_on if acceptance else None,
            notice_start=notice.start if notice else None,
            notice_end=notice.end if notice else None,
        )
        missing = prerequisite_refusal(target, facts, on)
        if missing:
            raise TransitionRefused(missing, f"prerequisites of {target.value} missing")
        session.info["reason"] = reason.strip() or TRANSITIONS[(current, target)]
        task.status = target.value

    def transition(
        self, task_id: int, target: TaskStatus, *, reason: str = "", on: date | None = None
    ) -> None:
        """Move a task one step; a skipped or backward step without a reason is refused with why."""
        if TaskStatus(target) is TaskStatus.CLOSED:
            # A closed task always has its close-out record (the date the forms print), however asked.
            self.close_out(task_id, closed_on=on or date.today())
            return
        with self.ledger.changing() as session:
            task = live_task(session, task_id)
            self._step(session, task, TaskStatus(target), on or date.today(), reason)

    def record_acceptance(
        self,
        task_id: int,
        *,
        accepted_on: date,
        unit: str,
        conclusion: str = "符合销号条件",
        opinion: str = "",
    ) -> None:
        """验收情况; with ``advance`` semantics left to the caller (``transition`` to 已验收)."""
        if not conclusion.strip():
            raise ValidationError("请填写评估结论。", "conclusion is empty")
        with self.ledger.changing("填写验收情况") as session:
            task = live_task(session, task_id)
            if TaskStatus(task.status).order < TaskStatus.COMPLETED.order:
                raise ValidationError("任务尚未完成整改,不能填写验收情况。", "task not completed yet")
            acceptance, _, _ = current_records(session, task_id)
            if acceptance is None:
                acceptance = m.Acceptance(problem_id=task_id, created_at=session.info["now"])
                session.add(acceptance)
            acceptance.accepted_on = accepted_on
            acceptance.unit = unit.strip()
            acceptance.conclusion = conclusion.strip()
            acceptance.opinion = opinion.strip()

    def record_public_notice(
        self, task_id: int, *, start: date, end: date, contact: str = "", phone: str = "", outcome: str = ""
    ) -> None:
        if end < start:
            raise ValidationError("公示结束日期早于开始日期。", "notice ends before it starts")
        with self.ledger.changing("填写公示情况") as session:
            task = live_task(session, task_id)
            if TaskStatus(task.status).order < TaskStatus.ACCEPTED.order:
                raise ValidationError("任务尚未验收,不能填写公示情况。", "task not accepted yet")
            _, notice, _ = current_records(session, task_id)
            if notice is None:
                notice = m.PublicNotice(problem_id=task_id, created_at=session.info["now"])
                session.add(notice)
            notice.start, notice.end = start, end
            notice.contact, notice.phone, notice.outcome = contact.strip(), phone.strip(), outcome.strip()

    def close_out(
        self, task_id: int, *, closed_on: date, approved_by: str = "", document_no: str = "", note: str = ""
    ) -> None:
        """销号: the step to 已销号 and its record, in one transaction."""
        with self.ledger.changing() as session:
            task = live_task(session, task_id)
            self._step(session, task, TaskStatus.CLOSED, closed_on, "")
            session.add(
                m.CloseOut(
                    problem_id=task_id,
                    closed_on=closed_on,
                    approved_by=approved_by.strip(),
                    document_no=document_no.strip(),
                    note=note.strip(),
                    created_at=session.info["now"],
                )
            )

    def add_review(
        self, task_id: int, *, review_date: date, result: ReviewResult, text: str = "", reviewer: str = ""
    ) -> int:
        """回头看 of a closed task; a relapse (反弹) reopens it, keeping its history."""
        result = ReviewResult(result)
        if result is ReviewResult.RELAPSE and not text.strip():
            raise ValidationError("发现反弹时请写明具体情况。", "describe the relapse")
        with self.ledger.changing("回头看") as session:
            task = live_task(session, task_id)
            if TaskStatus(task.status) is not TaskStatus.CLOSED:
                raise ValidationError("只有已销号的任务才能进行回头看。", "only closed tasks are reviewed")
            review = m.Review(
                problem_id=task_id,
                review_date=review_date,
                result=result.value,
                text=text.strip(),
                reviewer=reviewer.strip(),
                created_at=session.info["now"],
            )
            session.add(review)
            if result is ReviewResult.RELAPSE:
                self._step(
                    session, task, TaskStatus.IN_PROGRESS, review_date, f"回头看发现反弹:{text.strip()}"
                )
            session.flush()
            return review.id
