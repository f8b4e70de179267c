"""What the PDF forms are made from: plain dataclasses around domain records, and their wording."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from ledger_app.domain.errors import ValidationError
from ledger_app.domain.model import NoticeKind, ProblemKind
from ledger_app.domain.records import MeasureRecord, TaskRecord

from .cn_dates import chinese_date


class _SettingsLike(Protocol):
    organisation: str
    rectification_office: str
    notice_contact: str
    notice_phone: str


@dataclass(frozen=True, slots=True)
class FormContext:
    """Who issues the forms; from the ledger's settings (services.settings.LedgerSettings)."""

    organisation: str = "XX区"
    rectification_office: str = "XX区生态环境保护督察整改工作领导小组办公室"
    area_word: str = "县（区）"  # how the leaders' titles name the area: 县(区), 区, 县, 市
    notice_contact: str = ""  # 公示 and letter contact person
    notice_phone: str = ""

    @classmethod
    def from_settings(cls, settings: _SettingsLike, *, area_word: str | None = None) -> FormContext:
        """Take the names from the ledger settings; the area word defaults to the last character
        of the organisation when that is 区, 县 or 市 (XX区 → 区委主要负责同志)."""
        org = settings.organisation.strip()
        word = area_word or (org[-1] if org[-1:] in ("区", "县", "市") else "县（区）")
        return cls(
            organisation=org,
            rectification_office=settings.rectification_office.strip(),
            area_word=word,
            notice_contact=settings.notice_contact.strip(),
            notice_phone=settings.notice_phone.strip(),
        )

    @property
    def party_leader(self) -> str:
        # 区委, 县委 — but 县(区)党委, as the provincial templates write it.
        committee = f"{self.area_word}委" if len(self.area_word) == 1 else f"{self.area_word}党委"
        return f"{committee}主要负责同志"

    @property
    def government_leader(self) -> str:
        return f"{self.area_word}政府主要负责同志"


@dataclass(slots=True)
class SignoffInput:
    """One 整改任务销号审批表. ``implementation_text`` is the clerk's edited 整改落实情况
    (None: taken from the latest progress entry, see ``default_implementation_text``)."""

    task: TaskRecord
    implementation_text: str | None = None


@dataclass(slots=True)
class EvaluationInput:
    """One 整改任务销号评估报告; every text left None is worded from the task."""

    task: TaskRecord
    goal_completion_text: str | None = None  # 二(一) 整改目标完成情况
    measures_text: str | None = None  # 二(二) 整改措施落实情况
    conclusion_text: str | None = None  # 三、评估结论
    issuers: Sequence[str] | None = None  # 署名; None: the responsible and supervising units
    issued_on: date | None = None  # 成文日期; None: the acceptance date, else blank to fill in


@dataclass(slots=True)
class UnitNoticeInput:
    """One 督办单 or 提醒函 to a unit about its lagging (or due-soon) tasks.

    ``number`` is allocated by the service layer (督办〔2026〕3号). ``tasks`` carry their
    ``schedule`` flag. ``summary_chars`` shortens each problem in the table (None: in full).
    """

    kind: NoticeKind
    number: str
    unit: str
    issued_on: date
    reply_by: date
    tasks: Sequence[TaskRecord]
    issuing_office: str = ""  # empty: FormContext.rectification_office
    body_text: str | None = None  # replaces the standard opening paragraph
    summary_chars: int | None = 100

    def validate(self) -> None:
        what = self.kind.label
        if not self.unit.strip():
            raise ValidationError(f"{what}缺少收文单位。", f"{self.kind.value}: no unit")
        if not self.number.strip():
            raise ValidationError(f"{what}缺少文号。", f"{self.kind.value}: no number")
        if not self.tasks:
            raise ValidationError(
                f"{self.unit}没有需要{what}的整改任务。", f"{self.kind.value}: no tasks for {self.unit}"
            )
        if self.reply_by < self.issued_on:
            raise ValidationError(
                f"{what}的回复期限（{chinese_date(self.reply_by)}）早于发文日期（{chinese_date(self.issued_on)}）。",
                f"{self.kind.value}: reply date before issue date",
            )


PROBLEM_LABEL = {
    ProblemKind.SPECIFIC: "反馈问题",
    ProblemKind.COMMON: "反馈问题",
    ProblemKind.PETITION: "信访问题",
    ProblemKind.SELF_CHECK: "自查问题",
}

_NUMBERED = re.compile(r"^\s*(?:[(（]?[0-9一二三四五六七八九十]+[)）、.．]|[①-⑳])")


def joined(names: Sequence[str]) -> str:
    return "、".join(n.strip() for n in names if n.strip())


def units_text(task: TaskRecord) -> str:
    """责任单位 as the forms print it: the lead units, then the others by role."""
    lead = joined(task.lead_units)
    others = joined([u for u in task.responsible_units if u not in task.lead_units])
    coop = joined(task.cooperating_units)
    if lead and (others or coop):
        parts = [f"牵头单位：{lead}"]
        if others:
            parts.append(f"责任单位：{others}")
        if coop:
            parts.append(f"配合单位：{coop}")
        return "\n".join(parts)
    main = lead or others
    return f"{main}\n配合单位：{coop}" if main and coop else main or coop


def measure_text(measure: MeasureRecord, position: int, task: TaskRecord | None = None) -> str:
    """One measure, numbered unless the office already numbered it. Its own units and deadline are
    added when they differ from the task's and the text does not already name them."""
    text = measure.text.strip()
    if not _NUMBERED.match(text):
        text = f"{measure.seq or position}.{text}"
    task_lead = set(task.main_units) if task else set()
    task_coop = set(task.cooperating_units) if task else set()
    task_deadline = task.deadline.text.strip() if task else ""
    extra = []
    if set(measure.lead_units) != task_lead:
        lead = [u for u in measure.lead_units if u not in text]
        if lead:
            extra.append(f"牵头单位：{joined(lead)}")
    if set(measure.cooperating_units) != task_coop:
        coop = [u for u in measure.cooperating_units if u not in text]
        if coop:
            extra.append(f"配合单位：{joined(coop)}")
    deadline = measure.deadline.text.strip()
    if deadline and deadline != task_deadline and deadline not in text:
        extra.append(f"完成时限：{deadline}")
    return f"{text}（{'；'.join(extra)}）" if extra else text


def measures_text(task: TaskRecord) -> str:
    return "\n".join(measure_text(m, i, task) for i, m in enumerate(task.measures, start=1))


def default_implementation_text(task: TaskRecord) -> str:
    """整改落实情况 before the clerk edits it: the latest progress report (progress is oldest first)."""
    for entry in reversed(task.progress):
        if entry.text.strip():
            return entry.text.strip()
    return ""


def attachments_text(task: TaskRecord) -> str:
    lines = []
    for i, a in enumerate(task.attachments, start=1):
        note = f"（{a.description.strip()}）" if a.description.strip() else ""
        lines.append(f"{i}.{a.name}{note}")
    return "\n".join(lines) or "无"


def acceptance_text(task: TaskRecord) -> str:
    a = task.acceptance
    if a is None:
        return f"验收日期：{chinese_date(None)}\u3000验收单位：\n评估结论："
    lines = [f"验收日期：{chinese_date(a.accepted_on)}\u3000验收单位：{a.unit.strip()}"]
    lines.append(f"评估结论：{a.conclusion.strip()}")
    if a.opinion.strip():
        lines.append(f"验收意见：{a.opinion.strip()}")
    return "\n".join(lines)


def notice_period(task: TaskRecord) -> str:
    n = task.public_notice
    if n is None or (n.start is None and n.end is None):
        return f"{chinese_date(None)}至{chinese_date(None)}"
    return f"{chinese_date(n.start)}至{chinese_date(n.end)}"


def public_notice_text(task: TaskRecord) -> str:
    n = task.public_notice
    outcome = n.outcome.strip() if n is not None else ""
    return f"公示期：{notice_period(task)}\u3000公示结果：{outcome}"


def task_heading(task: TaskRecord) -> str:
    """第二轮中央生态环境保护督察 序号12 (for running heads and progress)."""
    return f"{task.round_name} 序号{task.seq}".strip()
