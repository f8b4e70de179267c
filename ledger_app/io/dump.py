"""The whole ledger as JSON (``ledger-cli dump``): a stable shape, documented in the README."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from ledger_app.domain.deadlines import Deadline
from ledger_app.domain.records import RoundRecord, TaskRecord

DUMP_FORMAT_VERSION = 1


def _day(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _deadline(deadline: Deadline) -> dict[str, Any]:
    return {"deadline": deadline.key, "deadline_text": deadline.text}


def task_to_dict(task: TaskRecord) -> dict[str, Any]:
    acceptance, notice, close = task.acceptance, task.public_notice, task.close_out
    return {
        "seq": task.seq,
        "kind": task.kind.value,
        "description": task.description,
        "lead_units": task.lead_units,
        "responsible_units": task.responsible_units,
        "cooperating_units": task.cooperating_units,
        "supervising_units": task.supervising_units,
        "leader": task.leader,
        "contact": task.contact,
        "contact_phone": task.contact_phone,
        **_deadline(task.deadline),
        "goal": task.goal,
        "status": task.status.value,
        "schedule": task.schedule.value if task.schedule else None,
        "batch": task.batch,
        "case_no": task.case_no,
        "measures": [
            {
                "seq": ms.seq,
                "text": ms.text,
                "lead_units": ms.lead_units,
                "cooperating_units": ms.cooperating_units,
                **_deadline(ms.deadline),
            }
            for ms in task.measures
        ],
        "progress": [{"date": _day(p.date), "text": p.text, "percent": p.percent} for p in task.progress],
        "attachments": [
            {"name": a.name, "size": a.size, "sha256": a.sha256, "description": a.description}
            for a in task.attachments
        ],
        "acceptance": {
            "date": _day(acceptance.accepted_on),
            "unit": acceptance.unit,
            "conclusion": acceptance.conclusion,
        }
        if acceptance
        else None,
        "public_notice": {"start": _day(notice.start), "end": _day(notice.end), "outcome": notice.outcome}
        if notice
        else None,
        "close_out": {"date": _day(close.closed_on)} if close else None,
        "reviews": [{"date": _day(r.review_date), "result": r.result, "text": r.text} for r in task.reviews],
        "note": task.note,
    }


def ledger_to_dict(rounds: Sequence[RoundRecord], *, today: date) -> dict[str, Any]:
    """``today`` is the day the schedule flags were computed for; it is part of the dump."""
    return {
        "format": DUMP_FORMAT_VERSION,
        "as_of": today.isoformat(),
        "rounds": [
            {
                "name": r.name,
                "level": r.level.value,
                "on_site_start": _day(r.on_site_start),
                "on_site_end": _day(r.on_site_end),
                "feedback_date": _day(r.feedback_date),
                "plan_document_no": r.plan_document_no,
                "tasks": [task_to_dict(t) for t in r.tasks],
            }
            for r in rounds
        ],
    }
