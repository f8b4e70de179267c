"""Which status changes a task may make, and why the others are refused."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .model import TaskStatus

S = TaskStatus

# (from, to) → the name of the step in the clerk's words. Anything else is refused.
TRANSITIONS: dict[tuple[TaskStatus, TaskStatus], str] = {
    (S.NOT_STARTED, S.IN_PROGRESS): "开始整改",
    (S.IN_PROGRESS, S.COMPLETED): "完成整改",
    (S.COMPLETED, S.ACCEPTED): "验收通过",
    (S.COMPLETED, S.IN_PROGRESS): "验收未通过,退回整改",
    (S.ACCEPTED, S.PUBLIC_NOTICE): "开始公示",
    (S.PUBLIC_NOTICE, S.CLOSED): "销号",
    (S.PUBLIC_NOTICE, S.IN_PROGRESS): "公示有异议,退回整改",
    (S.CLOSED, S.IN_PROGRESS): "回头看发现反弹,重新整改",
}


def next_steps(current: TaskStatus) -> list[tuple[TaskStatus, str]]:
    """The steps open to a task in ``current``, forward step first."""
    steps = [(to, name) for (frm, to), name in TRANSITIONS.items() if frm is current]
    return sorted(steps, key=lambda step: step[0].order <= current.order)


def refusal(current: TaskStatus, target: TaskStatus) -> str | None:
    """None when the step is allowed, else the reason in Chinese."""
    if current is target:
        return f"任务已经是「{target.label}」状态。"
    if (current, target) in TRANSITIONS:
        return None
    if target.order > current.order:
        skipped = [s.label for s in TaskStatus if current.order < s.order < target.order]
        if skipped:
            return (
                f"不能从「{current.label}」直接变为「{target.label}」:"
                f"须先经过{'、'.join(f'「{s}」' for s in skipped)}。"
            )
    if current is TaskStatus.CLOSED:
        return "已销号的任务只能在回头看发现反弹时重新整改。"
    return f"不能从「{current.label}」变为「{target.label}」。"


@dataclass(frozen=True, slots=True)
class StepFacts:
    """What the ledger knows about a task that the prerequisites of a step depend on."""

    has_acceptance: bool = False
    acceptance_date: date | None = None
    notice_start: date | None = None
    notice_end: date | None = None
    has_reason: bool = False


def prerequisite_refusal(target: TaskStatus, facts: StepFacts, on: date) -> str | None:
    """None when the records a step needs are there, else what is missing, in Chinese."""
    if target is TaskStatus.ACCEPTED and not facts.has_acceptance:
        return "验收前请先填写验收情况(验收日期、验收单位、评估结论)。"
    if target is TaskStatus.PUBLIC_NOTICE:
        if facts.notice_start is None or facts.notice_end is None:
            return "公示前请先填写公示期(开始和结束日期)。"
        if facts.notice_end < facts.notice_start:
            return "公示结束日期早于开始日期。"
        if facts.acceptance_date and facts.notice_start < facts.acceptance_date:
            return "公示开始日期早于验收日期。"
    if target is TaskStatus.CLOSED:
        if not facts.has_acceptance:
            return "未经验收的任务不能销号。"
        if facts.notice_end is None:
            return "未经公示的任务不能销号。"
        if on <= facts.notice_end:
            return f"公示期到{facts.notice_end.isoformat()}才结束,公示期满后才能销号。"
    return None
