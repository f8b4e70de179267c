"""What the monthly report (月报) says, apart from how a workbook lays it out.

``build_monthly_report`` turns task records into plain rows and figures as of the END of a month;
``excel_export.write_monthly_report`` only lays them out. Keeping the two apart lets the same content
feed other layouts (PDF, preview) and lets the tests check content without opening a workbook.
"""

from __future__ import annotations

import re
from calendar import monthrange
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from ledger_app.domain.model import ScheduleFlag, Section, TaskStatus
from ledger_app.domain.records import MeasureRecord, ProgressRecord, TaskRecord
from ledger_app.domain.schedule import completion_label, schedule_flag
from ledger_app.domain.stats import LedgerStats, StatItem, compute_stats, summary_sentence

# The house style writes Chinese text with ASCII punctuation (see domain/stats.py); keep it in one place.
COLON = ":"
LIST_SEP = "、"
CHINESE_NUMERALS = "一二三四五六七八九十"


@dataclass(slots=True)
class ReportRow:
    """One task as the 台账 sheet shows it; every field is ready-to-print text."""

    seq: str
    description: str
    units_text: str  # e.g. "牵头:县住建局\n配合:县水利局、各乡镇"
    leader: str
    deadline_text: str
    goal: str
    measures_text: str  # "1.…\n2.…"
    progress_text: str  # this month's entries, or "(截至2026年9月12日)…", the latest before the month
    completion: str  # 已销号 / 已完成 / 序时推进 / 临期 / 滞后 / 长期坚持
    note: str
    lagging: bool = False


@dataclass(slots=True)
class ReportSection:
    heading: str  # "一、反馈问题"; prefixed by the round name when the report covers several rounds
    rows: list[ReportRow] = field(default_factory=list)


@dataclass(slots=True)
class ReportSummary:
    """The 统计 sheet: the ledger's figures as of the report's month end, and the summary sentence."""

    stats: LedgerStats
    sentence: str
    as_of: date


@dataclass(slots=True)
class MonthlyReport:
    title: str
    reporting_unit: str
    report_date: date
    month: tuple[int, int]  # (year, month)
    sections: list[ReportSection]
    summary: ReportSummary

    @property
    def row_count(self) -> int:
        return sum(len(s.rows) for s in self.sections)


def natural_key(seq: str) -> tuple[tuple[int, int, str], ...]:
    """序号 in the order a person counts: 1, 2, … 10, not 1, 10, 2; "3-1" right after "3"."""
    parts = []
    for chunk in re.split(r"(\d+)", seq.strip()):
        if chunk.isdigit():
            parts.append((0, int(chunk), ""))
        elif chunk:
            parts.append((1, 0, chunk))
    return tuple(parts)


def month_end(year: int, month: int) -> date:
    return date(year, month, monthrange(year, month)[1])


def status_at(task: TaskRecord, day: date) -> TaskStatus:
    """The task's status as it stood on ``day``, stepping back over the dated steps taken after it.

    Only acceptance (验收), public notice (公示) and close-out (销号) carry dates in a TaskRecord, so
    only those steps can be undone: a task closed after ``day`` counts as accepted (已完成) if its
    acceptance is dated on or before ``day``, else as still in progress (then its schedule flag
    decides 完成情况). A step without a date is trusted as it is now. Reopenings after ``day``
    (回头看 finding a relapse) cannot be seen and are not undone.
    """
    status = task.status
    if status is TaskStatus.CLOSED and _after(task.close_out and task.close_out.closed_on, day):
        status = TaskStatus.PUBLIC_NOTICE if task.public_notice else TaskStatus.ACCEPTED
    if status is TaskStatus.PUBLIC_NOTICE and _after(task.public_notice and task.public_notice.start, day):
        status = TaskStatus.ACCEPTED
    if status is TaskStatus.ACCEPTED and _after(task.acceptance and task.acceptance.accepted_on, day):
        status = TaskStatus.IN_PROGRESS
    return status


def _after(when: date | None, day: date) -> bool:
    return when is not None and when > day


def stat_item(task: TaskRecord, *, as_of: date, warning_days: int) -> StatItem:
    """The facts domain.stats counts for one task as of ``as_of``: one builder for reports and `stats`."""
    status = status_at(task, as_of)
    flag = schedule_flag(status, task.deadline, today=as_of, warning_days=warning_days)
    return StatItem(task.round_name, task.kind, status, flag, tuple(task.main_units))


def build_monthly_report(
    tasks: Sequence[TaskRecord],
    *,
    year: int,
    month: int,
    title: str,
    reporting_unit: str,
    report_date: date,
    warning_days: int,
    place: str,
) -> MonthlyReport:
    """The content of the monthly report for ``year``-``month``, every figure as of that month's end.

    Rounds keep the order in which ``tasks`` first name them; within a round the sections follow
    反馈问题, 交办信访件, 自查问题, and the rows follow 序号 as a person counts.
    """
    end = month_end(year, month)
    start = date(year, month, 1)
    items = [stat_item(t, as_of=end, warning_days=warning_days) for t in tasks]

    groups: dict[tuple[str, Section], list[tuple[TaskRecord, StatItem]]] = {}
    round_order: dict[str, int] = {}
    for task, item in zip(tasks, items, strict=True):
        round_order.setdefault(task.round_name, len(round_order))
        groups.setdefault((task.round_name, task.kind.section), []).append((task, item))
    section_order = {s: i for i, s in enumerate(Section)}
    several_rounds = len(round_order) > 1

    sections: list[ReportSection] = []
    numeral_in_round: dict[str, int] = {}
    for round_name, section in sorted(groups, key=lambda k: (round_order[k[0]], section_order[k[1]])):
        number = numeral_in_round.get(round_name, 0)
        numeral_in_round[round_name] = number + 1
        heading = f"{CHINESE_NUMERALS[number]}、{section.label}"
        if several_rounds:
            heading = f"{round_name or '(未填督察批次)'} {heading}"
        members = sorted(groups[(round_name, section)], key=lambda pair: natural_key(pair[0].seq))
        sections.append(ReportSection(heading, [_row(t, i, start, end) for t, i in members]))

    stats = compute_stats(items)
    summary = ReportSummary(stats, summary_sentence(stats, place), end)
    return MonthlyReport(title, reporting_unit, report_date, (year, month), sections, summary)


def _row(task: TaskRecord, item: StatItem, start: date, end: date) -> ReportRow:
    completion = completion_label(item.status, item.schedule)
    return ReportRow(
        seq=task.seq,
        description=task.description,
        units_text=units_text(task),
        leader=task.leader,
        deadline_text=_deadline_text(task),
        goal=task.goal,
        measures_text=measures_text(task.measures),
        progress_text=progress_text(task.progress, start, end),
        completion=completion,
        note=_note(task),
        lagging=item.schedule is ScheduleFlag.LAGGING,
    )


def _deadline_text(task: TaskRecord) -> str:
    deadline = task.deadline
    if deadline.text.strip():
        return deadline.text
    if deadline.long_term:
        return "立行立改、长期坚持"
    return _cn_date(deadline.date) if deadline.date else ""


def units_text(task: TaskRecord) -> str:
    """责任单位 cell: the units by role, one line per role; a bare list when there is one plain role."""
    lead = task.lead_units
    responsible = [u for u in task.responsible_units if u not in lead]
    cooperating = [u for u in task.cooperating_units if u not in lead and u not in responsible]
    lines = []
    if lead:
        lines.append(("牵头", lead))
    if responsible:
        lines.append(("责任", responsible))
    if cooperating:
        lines.append(("配合", cooperating))
    if task.supervising_units:
        lines.append(("督导", task.supervising_units))
    if len(lines) == 1 and lines[0][0] == "责任":
        return LIST_SEP.join(responsible)
    return "\n".join(f"{role}{COLON}{LIST_SEP.join(names)}" for role, names in lines)


def measures_text(measures: Sequence[MeasureRecord]) -> str:
    """整改措施 cell: "1.…" per measure, with the measure's own units or deadline when its text lacks them."""
    lines = []
    for measure in sorted(measures, key=lambda m: m.seq):
        extras = []
        if measure.lead_units and not all(u in measure.text for u in measure.lead_units):
            extras.append(f"牵头{COLON}{LIST_SEP.join(measure.lead_units)}")
        if measure.cooperating_units and not all(u in measure.text for u in measure.cooperating_units):
            extras.append(f"配合{COLON}{LIST_SEP.join(measure.cooperating_units)}")
        deadline = measure.deadline.text.strip()
        if deadline and deadline not in measure.text:
            extras.append(f"时限{COLON}{deadline}")
        suffix = f"({';'.join(extras)})" if extras else ""
        lines.append(f"{measure.seq}.{measure.text}{suffix}")
    return "\n".join(lines)


def progress_text(progress: Sequence[ProgressRecord], start: date, end: date) -> str:
    """本月进展: the month's entries oldest first, "M月D日:…" each; else the latest earlier one, dated.

    Entries dated after the month are ignored: the report shows the month as it stood.
    """
    in_month = sorted((p for p in progress if start <= p.date <= end), key=lambda p: p.date)
    if in_month:
        return "\n".join(f"{p.date.month}月{p.date.day}日{COLON}{p.text}" for p in in_month)
    earlier = [p for p in progress if p.date < start]
    if not earlier:
        return ""
    latest = max(earlier, key=lambda p: p.date)
    return f"(截至{_cn_date(latest.date)}){latest.text}"


def _note(task: TaskRecord) -> str:
    # Petition ledgers identify a case by its batch and number; the fixed columns have no room else.
    parts = []
    if task.batch:
        parts.append(f"批次{COLON}{task.batch}")
    if task.case_no:
        parts.append(f"编号{COLON}{task.case_no}")
    if task.note:
        parts.append(task.note)
    return "\n".join(parts)


def _cn_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"
