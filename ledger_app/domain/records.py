"""Plain records of ledger content, handed from services to io/ writers and from io/ readers to services.

They carry no database identity beyond optional ids, so io/ never needs a session.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from .deadlines import Deadline
from .model import ProblemKind, RoundLevel, ScheduleFlag, TaskStatus


@dataclass(slots=True)
class MeasureRecord:
    seq: int
    text: str
    lead_units: list[str] = field(default_factory=list)
    cooperating_units: list[str] = field(default_factory=list)
    deadline: Deadline = field(default_factory=lambda: Deadline(""))
    id: int | None = None


@dataclass(slots=True)
class ProgressRecord:
    date: date
    text: str
    percent: int | None = None
    reporter: str = ""
    id: int | None = None


@dataclass(slots=True)
class AttachmentRecord:
    name: str
    size: int
    sha256: str
    description: str = ""
    added_at: datetime | None = None
    added_by: str = ""
    media_type: str = ""
    id: int | None = None


@dataclass(slots=True)
class AcceptanceRecord:
    accepted_on: date | None
    unit: str = ""
    conclusion: str = ""  # 评估结论, e.g. 符合销号条件
    opinion: str = ""


@dataclass(slots=True)
class PublicNoticeRecord:
    start: date | None
    end: date | None
    contact: str = ""
    phone: str = ""
    outcome: str = ""  # e.g. 公示期间未收到异议


@dataclass(slots=True)
class CloseOutRecord:
    closed_on: date | None
    approved_by: str = ""
    document_no: str = ""
    note: str = ""


@dataclass(slots=True)
class ReviewRecord:
    review_date: date
    result: str  # ReviewResult value
    text: str = ""
    reviewer: str = ""


@dataclass(slots=True)
class TaskRecord:
    """Everything about one task (整改任务), as the reports and forms need it."""

    seq: str
    kind: ProblemKind
    description: str
    round_name: str = ""
    lead_units: list[str] = field(default_factory=list)
    responsible_units: list[str] = field(default_factory=list)
    cooperating_units: list[str] = field(default_factory=list)
    supervising_units: list[str] = field(default_factory=list)
    leader: str = ""
    contact: str = ""
    contact_phone: str = ""
    deadline: Deadline = field(default_factory=lambda: Deadline(""))
    goal: str = ""
    status: TaskStatus = TaskStatus.NOT_STARTED
    schedule: ScheduleFlag | None = None
    batch: str = ""  # 交办信访件 batch (批次)
    case_no: str = ""  # 交办信访件 case number (受理编号)
    note: str = ""
    measures: list[MeasureRecord] = field(default_factory=list)
    progress: list[ProgressRecord] = field(default_factory=list)  # oldest first
    attachments: list[AttachmentRecord] = field(default_factory=list)
    acceptance: AcceptanceRecord | None = None
    public_notice: PublicNoticeRecord | None = None
    close_out: CloseOutRecord | None = None
    reviews: list[ReviewRecord] = field(default_factory=list)
    id: int | None = None

    @property
    def all_units(self) -> list[str]:
        """Lead, responsible and cooperating units, each once, in that order."""
        seen: dict[str, None] = {}
        for name in (*self.lead_units, *self.responsible_units, *self.cooperating_units):
            seen.setdefault(name, None)
        return list(seen)

    @property
    def main_units(self) -> list[str]:
        """The units that answer for the task: the lead units, else the responsible ones."""
        return self.lead_units or self.responsible_units


@dataclass(slots=True)
class RoundRecord:
    name: str
    level: RoundLevel
    on_site_start: date | None = None
    on_site_end: date | None = None
    feedback_date: date | None = None
    plan_document_no: str = ""
    tasks: list[TaskRecord] = field(default_factory=list)
    id: int | None = None
