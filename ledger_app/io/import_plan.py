"""What the Excel ledger importer understood: the plan the import service turns into tasks.

Plain data, no behaviour beyond conversion: io/excel_in/workbook.py fills it, the service writes it,
the GUI wizard shows it, ``ledger-cli import --json`` prints ``ImportPlan.to_json()``.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

from ledger_app.domain.deadlines import Deadline
from ledger_app.domain.errors import LedgerError
from ledger_app.domain.model import ProblemKind, TaskStatus
from ledger_app.domain.records import MeasureRecord, ProgressRecord, TaskRecord
from ledger_app.gcpause import gc_paused
from ledger_app.io.excel_in.report_date import ReportDate


class WorkbookRefused(LedgerError):
    """The file cannot be read as a ledger workbook (broken, hostile, encrypted, no ledger sheet)."""


# Field keys a column can be mapped to, with the words the wizard shows for them.
FIELD_LABELS: dict[str, str] = {
    "seq": "序号",
    "description": "问题描述",
    "units": "责任单位(牵头/配合同列)",
    "lead_units": "牵头单位",
    "responsible_units": "责任单位",
    "cooperating_units": "配合单位",
    "supervising_units": "督导单位",
    "leader": "责任领导",
    "contact": "责任人(联系人)",
    "contact_phone": "联系电话",
    "deadline": "整改时限",
    "goal": "整改目标",
    "measures": "整改措施",
    "progress": "整改进展",
    "status": "完成状态",
    "closed_flag": "是否销号",
    "done_flag": "是否完成整改",
    "note": "备注",
    "kind": "问题类型",
    "batch": "批次",
    "case_no": "受理编号",
}
FIELD_KEYS = tuple(FIELD_LABELS)
# column_overrides may also say "ignore" (the column is dropped on purpose, its text kept nowhere) or
# "" (no field: its text goes to 备注 as "列名:值", as for a column the reader did not understand).
IGNORE = "ignore"
AS_NOTE = ""
OVERRIDE_KEYS = (*FIELD_KEYS, IGNORE, AS_NOTE)

Severity = Literal["refused", "warning"]


@dataclass(frozen=True, slots=True)
class ImportIssue:
    """One thing the clerk must know: a refused row, or a warning about what was assumed."""

    sheet: str
    row: int | None  # 1-based, as Excel shows it; None for the workbook as a whole
    column: str | None  # a letter such as "C"; None for the row or the workbook
    reason_zh: str
    severity: Severity = "warning"

    def where(self) -> str:
        if self.row is None:
            return f"工作表「{self.sheet}」" if self.sheet else "工作簿"
        cell = f"{self.column}{self.row}" if self.column else f"第{self.row}行"
        return f"「{self.sheet}」{cell}"

    def to_json(self) -> dict[str, Any]:
        return {
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "reason_zh": self.reason_zh,
            "severity": self.severity,
        }


@dataclass(frozen=True, slots=True)
class SheetScore:
    """How ledger-like one sheet looked: the fields its best header row names."""

    name: str
    score: int
    fields: tuple[str, ...] = ()
    header_row: int | None = None  # 1-based
    visible: bool = True
    note: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "score": self.score,
            "fields": list(self.fields),
            "header_row": self.header_row,
            "visible": self.visible,
            "note": self.note,
        }


@dataclass(frozen=True, slots=True)
class ColumnMapping:
    index: int  # 0-based
    letter: str
    header: str  # the header text as the office wrote it ("责任单位/牵头单位" for two rows)
    field: str  # a FIELD_KEYS key
    source: Literal["auto", "override"] = "auto"

    def to_json(self) -> dict[str, Any]:
        return {
            "index": self.index,
            "letter": self.letter,
            "header": self.header,
            "field": self.field,
            "field_label": FIELD_LABELS[self.field],
            "source": self.source,
        }


@dataclass(frozen=True, slots=True)
class UnmappedColumn:
    """A column the importer did not understand: its text goes to 备注 as "列名:值"."""

    index: int
    letter: str
    header: str
    reason: str
    ignored: bool = False  # the wizard said "ignore": its text is dropped, not noted

    def to_json(self) -> dict[str, Any]:
        return {
            "index": self.index,
            "letter": self.letter,
            "header": self.header,
            "reason": self.reason,
            "ignored": self.ignored,
        }


def _deadline_json(deadline: Deadline) -> dict[str, Any]:
    return {
        "text": deadline.text,
        "date": deadline.date.isoformat() if deadline.date else None,
        "long_term": deadline.long_term,
        "understood": deadline.understood,
    }


@dataclass(slots=True)
class ParsedMeasure:
    seq: int
    text: str
    row: int  # 1-based row the measure was read from
    lead_units: list[str] = field(default_factory=list)  # units answering for it (牵头 or 负责)
    cooperating_units: list[str] = field(default_factory=list)
    deadline: Deadline = field(default_factory=lambda: Deadline(""))

    def to_record(self) -> MeasureRecord:
        # The record shares the unit lists: neither the plan nor the import service changes them.
        return MeasureRecord(self.seq, self.text, self.lead_units, self.cooperating_units, self.deadline)

    def to_json(self) -> dict[str, Any]:
        return {
            "seq": self.seq,
            "text": self.text,
            "row": self.row,
            "lead_units": self.lead_units,
            "cooperating_units": self.cooperating_units,
            "deadline": _deadline_json(self.deadline),
        }


@dataclass(slots=True)
class ParsedTask:
    rows: list[int]  # 1-based source rows, first row first
    kind: ProblemKind
    seq: str
    description: str
    seq_auto: bool = False  # numbered by the importer (the section had no 序号 at all)
    lead_units: list[str] = field(default_factory=list)
    responsible_units: list[str] = field(default_factory=list)
    cooperating_units: list[str] = field(default_factory=list)
    supervising_units: list[str] = field(default_factory=list)
    leader: str = ""
    contact: str = ""  # 责任人 / 联系人: who reports for the task
    contact_phone: str = ""
    deadline: Deadline = field(default_factory=lambda: Deadline(""))
    goal: str = ""
    measures: list[ParsedMeasure] = field(default_factory=list)
    progress: str = ""  # the progress column's text, as written
    # The same as dated entries, when it is written as the monthly report writes them ("10月3日:…").
    progress_entries: list[tuple[date, str]] = field(default_factory=list)
    status: TaskStatus = TaskStatus.NOT_STARTED
    status_raw: str = ""  # what the status / 是否销号 columns said, unchanged
    status_note: str = ""  # why the status is what it is, when the raw words said more (滞后)
    note: str = ""
    batch: str = ""
    case_no: str = ""
    section: str = ""  # the section row the task was under ("一、反馈问题"), if any
    round_name: str = ""  # the round a section row named ("第二轮中央生态环境保护督察 一、反馈问题")

    @property
    def all_units(self) -> list[str]:
        seen: dict[str, None] = {}
        for name in (
            *self.lead_units,
            *self.responsible_units,
            *self.cooperating_units,
            *self.supervising_units,
        ):
            seen.setdefault(name, None)
        return list(seen)

    def to_record(self, *, round_name: str = "", progress_date: date | None = None) -> TaskRecord:
        """The task as the services take it. ``round_name`` is for a task no section row put in a round.

        Dated progress entries keep their dates; other progress text becomes one entry on
        ``progress_date`` (none without it).
        """
        progress = [ProgressRecord(date=day, text=text) for day, text in self.progress_entries]
        if not progress and self.progress and progress_date is not None:
            progress.append(ProgressRecord(date=progress_date, text=self.progress))
        return TaskRecord(
            seq=self.seq,
            kind=self.kind,
            description=self.description,
            round_name=self.round_name or round_name,
            # Lists are shared, not copied: neither the plan nor the import service changes them.
            lead_units=self.lead_units,
            responsible_units=self.responsible_units,
            cooperating_units=self.cooperating_units,
            supervising_units=self.supervising_units,
            leader=self.leader,
            contact=self.contact,
            contact_phone=self.contact_phone,
            deadline=self.deadline,
            goal=self.goal,
            status=self.status,
            batch=self.batch,
            case_no=self.case_no,
            note=self.note,
            measures=[m.to_record() for m in self.measures],
            progress=progress,
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "rows": self.rows,
            "kind": self.kind.value,
            "seq": self.seq,
            "seq_auto": self.seq_auto,
            "description": self.description,
            "lead_units": self.lead_units,
            "responsible_units": self.responsible_units,
            "cooperating_units": self.cooperating_units,
            "supervising_units": self.supervising_units,
            "leader": self.leader,
            "contact": self.contact,
            "contact_phone": self.contact_phone,
            "deadline": _deadline_json(self.deadline),
            "goal": self.goal,
            "measures": [m.to_json() for m in self.measures],
            "progress": self.progress,
            "progress_entries": [
                {"date": day.isoformat(), "text": text} for day, text in self.progress_entries
            ],
            "status": self.status.value,
            "status_raw": self.status_raw,
            "status_note": self.status_note,
            "note": self.note,
            "batch": self.batch,
            "case_no": self.case_no,
            "section": self.section,
            "round_name": self.round_name,
        }


@dataclass(frozen=True, slots=True)
class StatusCount:
    raw: str  # "" when the task had no status written
    status: TaskStatus
    count: int

    def to_json(self) -> dict[str, Any]:
        return {"raw": self.raw, "status": self.status.value, "label": self.status.label, "count": self.count}


@dataclass(frozen=True, slots=True)
class ImportSummary:
    tasks: int
    measures: int
    units: int  # distinct unit names over all roles
    deadlines_parsed: int
    deadlines_not_understood: int
    deadlines_empty: int
    refused_rows: int
    warnings: int
    status_map: tuple[StatusCount, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "tasks": self.tasks,
            "measures": self.measures,
            "units": self.units,
            "deadlines_parsed": self.deadlines_parsed,
            "deadlines_not_understood": self.deadlines_not_understood,
            "deadlines_empty": self.deadlines_empty,
            "refused_rows": self.refused_rows,
            "warnings": self.warnings,
            "status_map": [s.to_json() for s in self.status_map],
        }


def count_tasks(tasks: list[ParsedTask]) -> dict[str, int]:
    """The counts of an ImportSummary that come from the tasks alone (for every reader: Excel, plan)."""
    units: set[str] = set()
    parsed = not_understood = empty = 0
    for task in tasks:
        units.update(task.all_units)
        for measure in task.measures:
            units.update(measure.lead_units)
            units.update(measure.cooperating_units)
        if task.deadline.is_empty:
            empty += 1
        elif task.deadline.understood:
            parsed += 1
        else:
            not_understood += 1
    return {
        "tasks": len(tasks),
        "measures": sum(len(t.measures) for t in tasks),
        "units": len(units),
        "deadlines_parsed": parsed,
        "deadlines_not_understood": not_understood,
        "deadlines_empty": empty,
    }


@dataclass(slots=True)
class ImportPlan:
    path: str
    format: str  # "xlsx" (also .xlsm) or "xls"
    sheet: str
    sheets: list[SheetScore]
    header_rows: list[int]  # 1-based
    columns: list[ColumnMapping]
    unmapped: list[UnmappedColumn]
    tasks: list[ParsedTask]
    issues: list[ImportIssue]
    title: str = ""  # the first line above the header, e.g. "XX区…整改落实情况台账"
    preamble: list[str] = field(default_factory=list)  # every line above the header (填报单位 …)
    # The date the sheet says it was filled in (填报时间 / 截至 …, above or under the table): the
    # default date of progress text that carries no date of its own.
    report_date: ReportDate | None = None

    def records(self, *, round_name: str = "", progress_date: date | None = None) -> list[TaskRecord]:
        """Every task as the import service takes it (see ParsedTask.to_record)."""
        with gc_paused():
            return [t.to_record(round_name=round_name, progress_date=progress_date) for t in self.tasks]

    @property
    def refused(self) -> list[ImportIssue]:
        return [i for i in self.issues if i.severity == "refused"]

    @property
    def warnings(self) -> list[ImportIssue]:
        return [i for i in self.issues if i.severity == "warning"]

    @property
    def summary(self) -> ImportSummary:
        counts = count_tasks(self.tasks)
        statuses: Counter[tuple[str, TaskStatus]] = Counter(
            (task.status_raw, task.status) for task in self.tasks
        )
        status_map = tuple(
            StatusCount(raw, status, count)
            for (raw, status), count in sorted(statuses.items(), key=lambda kv: (-kv[1], kv[0][0]))
        )
        refused_rows = {(i.sheet, i.row) for i in self.issues if i.severity == "refused"}
        return ImportSummary(
            **counts,
            refused_rows=len(refused_rows),
            warnings=len(self.warnings),
            status_map=status_map,
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "format": self.format,
            "sheet": self.sheet,
            "sheets": [s.to_json() for s in self.sheets],
            "title": self.title,
            "preamble": self.preamble,
            "report_date": self.report_date.day.isoformat() if self.report_date else None,
            "report_date_line": self.report_date.line if self.report_date else "",
            "header_rows": self.header_rows,
            "columns": [c.to_json() for c in self.columns],
            "unmapped": [u.to_json() for u in self.unmapped],
            "tasks": [t.to_json() for t in self.tasks],
            "issues": [i.to_json() for i in self.issues],
            "summary": self.summary.to_json(),
        }
