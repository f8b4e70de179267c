"""What the PDF forms are made from: plain dataclasses around domain records, and their wording."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Protocol

from ledger_app.domain.errors import ValidationError
from ledger_app.domain.model import NoticeKind, ProblemKind
from ledger_app.domain.records import MeasureRecord, ProgressRecord, TaskRecord
from ledger_app.io.cn_dates import chinese_date


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
    (None: worded from the progress entries as ``progress`` says, see ``default_implementation_text``)."""

    task: TaskRecord
    implementation_text: str | None = None
    progress: ProgressChoice | str = "all"  # what the default text says (see default_implementation_text)


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


class ProgressChoice(StrEnum):
    """What 整改落实情况 says before the clerk edits it (CLI ``--progress``, a choice in the GUI)."""

    ALL = "all"  # every dated report in order, condensed to fit
    LATEST = "latest"  # the latest report only

    @property
    def label(self) -> str:
        return {"all": "全部进展汇总(按日期)", "latest": "仅最新一次进展"}[self.value]


# About a quarter of a 五号 form page (some 20 lines of its text column): a year of monthly reports
# condensed, so the summary alone never pushes the signatures onto a further page.
SUMMARY_LIMIT = 600
_SENTENCE_END = re.compile(r"(?<=[。；;！!？?])")
_CLAUSE_ENDS = ("，", ",", "、", "：", ":")


def _month_labels(entries: Sequence[ProgressRecord]) -> list[str]:
    """2022年3月; with the day (2022年3月5日) when a month holds more than one report."""
    per_month: dict[tuple[int, int], int] = {}
    for e in entries:
        per_month[(e.date.year, e.date.month)] = per_month.get((e.date.year, e.date.month), 0) + 1
    return [
        chinese_date(e.date)
        if per_month[(e.date.year, e.date.month)] > 1
        else f"{e.date.year}年{e.date.month}月"
        for e in entries
    ]


def _shortened(text: str, limit: int) -> str:
    """Whole sentences up to ``limit`` characters; a first sentence longer than that is cut with ……"""
    flat = re.sub(r"\s*\n\s*", "", text.strip())
    if len(flat) <= limit:
        return flat
    kept = ""
    for sentence in _SENTENCE_END.split(flat):
        if len(kept) + len(sentence) > limit:
            break
        kept += sentence
    if kept:
        return kept
    # No whole sentence fits: end at the last comma that keeps at least half, so no word is cut.
    head = flat[: max(1, limit - 2)]
    comma = max(head.rfind(c) for c in _CLAUSE_ENDS)
    return (head[:comma] if comma >= limit // 2 else head) + "……"


def progress_summary(task: TaskRecord, limit: int = SUMMARY_LIMIT) -> str:
    """Every progress report, oldest first, one dated line each: "2022年3月：…"; when the whole would
    be longer than ``limit`` characters each report is cut to its first sentences so all dates stay."""
    entries = sorted((e for e in task.progress if e.text.strip()), key=lambda e: e.date)
    if not entries:
        return ""
    labels = _month_labels(entries)
    texts = [re.sub(r"\s*\n\s*", "", e.text.strip()) for e in entries]
    overhead = sum(len(label) + 2 for label in labels)
    if overhead + sum(len(t) for t in texts) > limit:
        # The same share for each report; what a short one leaves over goes to the longer ones.
        room = max(12, limit - overhead)
        share = room // len(texts)
        spare = sum(max(0, share - len(t)) for t in texts)
        longer = sum(1 for t in texts if len(t) > share) or 1
        texts = [_shortened(t, share + spare // longer) for t in texts]
    return "\n".join(f"{label}：{text}" for label, text in zip(labels, texts, strict=True))


def latest_progress_text(task: TaskRecord) -> str:
    for entry in sorted(task.progress, key=lambda e: e.date, reverse=True):
        if entry.text.strip():
            return entry.text.strip()
    return ""


def default_implementation_text(task: TaskRecord, choice: ProgressChoice | str = ProgressChoice.ALL) -> str:
    """整改落实情况 before the clerk edits it: all progress summarised (default) or the latest report."""
    if ProgressChoice(choice) is ProgressChoice.LATEST:
        return latest_progress_text(task)
    return progress_summary(task)


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
