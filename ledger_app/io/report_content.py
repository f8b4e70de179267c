"""What the monthly report (月报) says, apart from how a workbook lays it out.

``build_monthly_report`` turns task records into plain rows and figures as of the END of a month;
``excel_out.export.write_monthly_report`` only lays them out. Keeping the two apart lets the same content
feed other layouts (PDF, preview) and lets the tests check content without opening a workbook.
"""

from __future__ import annotations

from calendar import monthrange
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from ledger_app.domain.model import ProblemKind, ScheduleFlag, Section, TaskStatus
from ledger_app.domain.ordering import natural_key
from ledger_app.domain.records import MeasureRecord, ProgressRecord, TaskRecord
from ledger_app.domain.schedule import completion_label, schedule_flag
from ledger_app.domain.stats import LedgerStats, StatItem, compute_stats, summary_sentence
from ledger_app.io.excel_in.measures import measure_details, strip_annotation
from ledger_app.io.excel_in.units import UnitReader

# The house style writes Chinese text with ASCII punctuation (see domain/stats.py); keep it in one place.
COLON = ":"
LIST_SEP = "、"
CHINESE_NUMERALS = "一二三四五六七八九十"
NO_ROUND = "(未填督察批次)"
# 完成情况 names a step the plain words (已完成 / the schedule flag) would hide; the importer reads it back.
STATUS_QUALIFIERS = {
    TaskStatus.NOT_STARTED: "未启动",
    TaskStatus.ACCEPTED: "已验收",
    TaskStatus.PUBLIC_NOTICE: "公示中",
}


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
    completion: str  # 已销号 / 已完成 / 序时推进 / 临期 / 滞后 / 长期坚持 / 时限不明, e.g. "已完成(已验收)", "滞后(未启动)"
    note: str
    lagging: bool = False


@dataclass(slots=True)
class ReportSection:
    heading: str  # "一、反馈问题"; prefixed by the round name unless the title names the only round
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
    task_ids: list[int] = field(default_factory=list)  # the tasks reported, in ledger order (for charts)

    @property
    def row_count(self) -> int:
        return sum(len(s.rows) for s in self.sections)


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
    反馈问题, 交办信访件, 自查问题, and the rows follow 序号 as a person counts. Section headings name
    their round ("第二轮中央生态环境保护督察 一、反馈问题") unless the report covers one round that
    its title names already: every row can then be put back into its round by the importer.
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
    only = next(iter(round_order), "") if len(round_order) == 1 else None
    named_by_title = only is not None and bool(only) and only in title

    sections: list[ReportSection] = []
    numeral_in_round: dict[str, int] = {}
    for round_name, section in sorted(groups, key=lambda k: (round_order[k[0]], section_order[k[1]])):
        number = numeral_in_round.get(round_name, 0)
        numeral_in_round[round_name] = number + 1
        heading = f"{CHINESE_NUMERALS[number]}、{section.label}"
        if not named_by_title:
            heading = f"{round_name or NO_ROUND} {heading}"
        members = sorted(groups[(round_name, section)], key=lambda pair: natural_key(pair[0].seq))
        sections += _kind_parts(heading, members, start, end)

    stats = compute_stats(items)
    summary = ReportSummary(stats, summary_sentence(stats, place), end)
    return MonthlyReport(title, reporting_unit, report_date, (year, month), sections, summary)


_KIND_PARTS = ((ProblemKind.SPECIFIC, "(一)个性问题"), (ProblemKind.COMMON, "(二)共性问题"))


def _kind_parts(
    heading: str, members: list[tuple[TaskRecord, StatItem]], start: date, end: date
) -> list[ReportSection]:
    """The section's rows; 反馈问题 with 共性问题 among them is split as offices lay it out, under
    "(一)个性问题" and "(二)共性问题", which also lets the importer give each task its kind back."""
    if not any(task.kind is ProblemKind.COMMON for task, _ in members):
        return [ReportSection(heading, [_row(t, i, start, end) for t, i in members])]
    parts = [ReportSection(heading)]
    for kind, part_heading in _KIND_PARTS:
        rows = [_row(t, i, start, end) for t, i in members if t.kind is kind]
        if rows:
            parts.append(ReportSection(part_heading, rows))
    return parts


def completion_text(status: TaskStatus, flag: ScheduleFlag | None) -> str:
    """完成情况: the office's word, with the step it hides in brackets ("已完成(已验收)", "序时推进(未启动)")."""
    label = completion_label(status, flag)
    qualifier = STATUS_QUALIFIERS.get(status)
    return f"{label}({qualifier})" if qualifier else label


def _row(task: TaskRecord, item: StatItem, start: date, end: date) -> ReportRow:
    completion = completion_text(item.status, item.schedule)
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
    """整改措施 cell: "1.…" per measure, and the measure's own units and deadline as
    "(牵头:…;配合:…;时限:…)" unless its text already says them in a way the importer reads back."""
    lines = []
    reader = UnitReader()
    for measure in sorted(measures, key=lambda m: m.seq):
        # "1.2号池…" would read as the number 1.2: a space keeps the item number apart.
        gap = " " if measure.text[:1].isdigit() or measure.text[:1] in ".．" else ""
        lines.append(f"{measure.seq}.{gap}{measure.text}{measure_annotation(measure, reader)}")
    return "\n".join(lines)


def measure_annotation(measure: MeasureRecord, reader: UnitReader | None = None) -> str:
    """The "(牵头:…;配合:…;时限:…)" that follows a measure's text in the report, or "".

    None when the text alone reads back as the measure's own units and deadline (the importer reads
    a text's "(县住建局牵头)" or "2023年底前完成" as offices write them). Otherwise the annotation
    says them; an empty "时限:" says "no deadline of its own" where the text would suggest one, and
    keeps a text that itself ends like an annotation from losing that ending.
    """
    lead, cooperating = measure.lead_units, measure.cooperating_units
    deadline = measure.deadline.text.strip()
    text = measure.text
    ends_like_one = strip_annotation(text) != text  # the importer would take it off: add one more
    said = measure_details(text, reader or UnitReader())  # what the importer reads from the text alone
    if (
        not ends_like_one
        and list(said.lead_units) == lead
        and list(said.cooperating_units) == cooperating
        and said.deadline.text.strip() == deadline
    ):
        return ""
    extras = []
    if lead:
        extras.append(f"牵头{COLON}{LIST_SEP.join(lead)}")
    if cooperating:
        extras.append(f"配合{COLON}{LIST_SEP.join(cooperating)}")
    if deadline or not extras or not said.deadline.is_empty:
        extras.append(f"时限{COLON}{deadline}")
    return f"({';'.join(extras)})"


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
