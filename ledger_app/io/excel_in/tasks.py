"""From the rows under the header to tasks: rows classified (row_kinds), gathered into drafts (drafts),
then each draft checked and assembled into a ParsedTask here.

- 序号 are unique per round and section (反馈问题 / 交办信访件 / 自查问题). A part that numbers from 1
  again (共性 after 个性 problems, a second batch of petitions) has its 序号 prefixed ("共性-1",
  "第二批-1") instead of refused; a section where no task has a 序号 is numbered 1, 2, 3 … in order.
- A row with only a 序号 is an empty template row: skipped with a warning.
- Units come from the unit columns (task_units), or else from what the measures name; the
  deadline and status from task_state; 备注 "批次:…\\n编号:…" (the monthly report's) gives a
  petition's batch and case number; "联系人及电话" in one cell is split into the name and the phone.
- Progress dated after today is kept with a warning, or as undated text when it is no believable date.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from ledger_app.domain.dates import Future, check_progress_day
from ledger_app.domain.model import ProblemKind, Section
from ledger_app.io.excel_in.cells import MAX_CELL_CHARS, identifier_text
from ledger_app.io.excel_in.drafts import DraftGatherer, TaskDraft
from ledger_app.io.excel_in.header import Table
from ledger_app.io.excel_in.progress import Period, dated_entries, report_period
from ledger_app.io.excel_in.reader import SheetData
from ledger_app.io.excel_in.row_kinds import Part, RowClassifier, kind_from_text
from ledger_app.io.excel_in.sheet_issues import SheetIssues
from ledger_app.io.excel_in.task_state import TaskState
from ledger_app.io.excel_in.task_units import MAX_UNIT_CELL_CHARS, TaskUnits, UnitCellTooLong
from ledger_app.io.excel_in.units import UnitReader
from ledger_app.io.import_plan import ImportIssue, ParsedTask

_KIND_SHORT = {
    ProblemKind.SPECIFIC: "个性",
    ProblemKind.COMMON: "共性",
    ProblemKind.PETITION: "信访",
    ProblemKind.SELF_CHECK: "自查",
}
# 备注 lines the monthly report writes for a petition's batch and case number, before the note itself.
_NOTE_FIELDS = {"批次:": "batch", "编号:": "case_no"}
_PHONE_RE = re.compile(
    r"[\s/,，;；、:\uff1a(（]*((?:\+?86[-\s]?)?(?:1\d{10}|0\d{2,3}-?\d{7,8}(?:-\d{1,6})?))[)）]?\s*$"
)


@dataclass(slots=True)
class SheetTasks:
    tasks: list[ParsedTask]
    footer_lines: list[str]  # the lines under the table (填报人, 填报时间:…): where a report date may be


def read_tasks(
    sheet: SheetData, table: Table, units: UnitReader, default_kind: ProblemKind, issues: list[ImportIssue]
) -> SheetTasks:
    """The tasks of the rows under ``table``'s header; what was refused or doubtful goes to ``issues``."""
    log = SheetIssues(sheet.name, issues)
    classifier = RowClassifier(sheet, table, Part(default_kind))
    note_cols = [(c.index, c.header) for c in table.columns if c.field is None and c.reason != "ignored"]
    gatherer = DraftGatherer(classifier.cols, note_cols, log)
    for line in classifier.rows():
        gatherer.add(line)
    assembler = TaskAssembler(classifier.cols, units, log, report_period(table.title_lines))
    return SheetTasks(assembler.tasks(list(gatherer.drafts.values())), gatherer.footer_lines)


@dataclass(slots=True)
class TaskAssembler:
    cols: dict[str, int]  # field → column
    units: UnitReader
    issues: SheetIssues
    period: Period | None  # the report's 报告期, for the year of dated progress
    _state: TaskState = field(init=False)
    _units: TaskUnits = field(init=False)

    def __post_init__(self) -> None:
        self._state = TaskState(self.cols, self.issues)
        self._units = TaskUnits(self.cols, self.units, self._state, self.issues)

    def tasks(self, drafts: list[TaskDraft]) -> list[ParsedTask]:
        groups: dict[tuple[str, Section], list[TaskDraft]] = {}
        template_rows = []
        for draft in drafts:
            if draft.seq and not _has_content(draft):
                template_rows.append(draft.first_row)  # a numbered row of an empty template
                continue
            groups.setdefault((draft.part.round_name, _kind_of(draft).section), []).append(draft)
        self._report_template_rows(template_rows)
        tasks: list[ParsedTask] = []
        for (_round, section), members in groups.items():
            numbered = [d for d in members if d.seq]
            if not numbered:
                for number, draft in enumerate(members, start=1):
                    draft.seq = str(number)
                self.issues.add(
                    members[0].first_row,
                    self.cols.get("seq"),
                    f"「{section.label}」部分的任务都没有序号,已按顺序编为1–{len(members)}。",
                )
            else:
                self._qualify_restarts(members, section)
            seen: dict[str, TaskDraft] = {}
            for draft in members:
                task = self._task(draft, seen, auto=not numbered)
                if task is not None:
                    tasks.append(task)
        tasks.sort(key=lambda t: t.rows[0])
        return tasks

    def _report_template_rows(self, rows: list[int]) -> None:
        if not rows:
            return
        runs: list[list[int]] = [[rows[0], rows[0]]]
        for row in rows[1:]:
            if row == runs[-1][1] + 1:
                runs[-1][1] = row
            else:
                runs.append([row, row])
        for start, end in runs:
            where = f"第{start + 1}行" if start == end else f"第{start + 1}–{end + 1}行"
            self.issues.add(start, None, f"{where}只有序号、没有内容(空白模板行),已跳过。")

    def _qualify_restarts(self, members: list[TaskDraft], section: Section) -> None:
        """个性 and 共性 problems numbered each from 1, or petitions each batch from 1: the later part's
        序号 become "共性-1", "第二批-1", … so that they stay apart (and stay the same on re-import).

        Only a part that starts again at 1 and meets numbers already used is renamed: a ledger
        numbered straight through, or a single mistyped 序号, keeps its numbers (and the duplicate is
        refused as any other)."""
        parts: dict[tuple[ProblemKind, str], list[TaskDraft]] = {}
        for draft in members:
            if draft.seq:
                key = (_kind_of(draft), draft.text("batch") or draft.part.batch)
                parts.setdefault(key, []).append(draft)
        if len(parts) < 2:
            return
        used: set[str] = set()
        for (kind, batch), drafts in parts.items():
            seqs = {d.seq for d in drafts}
            if drafts[0].seq == "1" and used & seqs:
                prefix = batch or _KIND_SHORT[kind]
                for draft in drafts:
                    draft.seq = f"{prefix}-{draft.seq}"
                self.issues.add(
                    drafts[0].first_row,
                    self.cols.get("seq"),
                    f"「{section.label}」中{batch or kind.label}的序号从1重新编起,与前面的序号重复:"
                    f"已记为「{prefix}-1」「{prefix}-2」…以免混淆(共{len(drafts)}项)。",
                )
                seqs = {d.seq for d in drafts}
            used |= seqs

    def _refuse(self, draft: TaskDraft, col: int | None, reason: str) -> None:
        rows = draft.rows
        span = f"(第{rows[0] + 1}–{rows[-1] + 1}行)" if len(rows) > 1 else ""
        self.issues.add(draft.first_row, col, reason + span, "refused")

    def _admitted(self, draft: TaskDraft, description: str, seen: dict[str, TaskDraft]) -> ProblemKind | None:
        """The task's kind, when nothing refuses it: a cell at Excel's limit, no 问题描述, no 序号,
        or a 序号 already used in its section (``seen``, to which it is added)."""
        cols = self.cols
        if draft.too_long:
            self._refuse(
                draft,
                None,
                f"单元格{'、'.join(draft.too_long)}达到Excel单元格的字数上限({MAX_CELL_CHARS}字),"
                "内容可能已被截断或不是正常填写的内容,该任务未导入。",
            )
            return None
        if not description:
            self._refuse(
                draft, cols.get("description"), f"有序号「{draft.seq}」但没有问题描述,该任务未导入。"
            )
            return None
        if not draft.seq:
            self._refuse(
                draft,
                cols.get("seq"),
                "有问题描述但没有序号(同一部分的其他任务有序号,无法确定它的编号),该任务未导入。",
            )
            return None
        kind = _kind_of(draft)
        raw_kind = draft.text("kind")
        if raw_kind and kind_from_text(raw_kind) is None:
            self.issues.add(
                draft.first_row, cols.get("kind"), f"问题类型「{raw_kind}」未能识别,按「{kind.label}」导入。"
            )
        first = seen.get(draft.seq)
        if first is not None:
            self._refuse(
                draft,
                cols.get("seq"),
                f"序号「{draft.seq}」与第{first.first_row + 1}行的任务重复"
                f"(「{kind.section.label}」部分内序号不能重复),该任务未导入。",
            )
            return None
        seen[draft.seq] = draft
        return kind

    def _task(self, draft: TaskDraft, seen: dict[str, TaskDraft], *, auto: bool) -> ParsedTask | None:
        description = draft.text("description")
        kind = self._admitted(draft, description, seen)
        if kind is None:
            return None
        roles = self._units.roles(draft)
        if isinstance(roles, UnitCellTooLong):
            self._refuse(
                draft,
                self.cols.get(roles.field),
                f"单位一栏有{roles.chars}个字,不像单位名单(最多{MAX_UNIT_CELL_CHARS}字),该任务未导入。",
            )
            return None
        measures = self._units.measures(draft)
        roles = self._units.checked(draft, roles, measures)
        deadline = self._state.deadline(draft)
        if not deadline.understood:
            self.issues.add(
                draft.first_row,
                self.cols.get("deadline"),
                f"整改时限「{deadline.text[:40]}」未能识别为日期,按原文保存。",
            )
        status, status_raw, status_note = self._state.status(draft)
        fields, note = _note_fields(draft.text("note"))
        progress = draft.text("progress")
        entries = dated_entries(progress, self.period) if progress else None
        if entries:
            entries = self._future_entries(draft.first_row, self.cols.get("progress"), entries)
        contact, phone = self._contact(draft)
        return ParsedTask(
            rows=[r + 1 for r in draft.rows],
            kind=kind,
            seq=draft.seq,
            description=description,
            seq_auto=auto,
            lead_units=list(roles.lead),
            responsible_units=list(roles.responsible),
            cooperating_units=list(roles.cooperating),
            supervising_units=list(roles.supervising),
            leader=draft.text("leader").replace("\n", "、"),
            contact=contact.replace("\n", "、"),
            contact_phone=phone.replace("\n", "、"),
            deadline=deadline,
            goal=draft.text("goal"),
            measures=measures,
            progress=progress,
            progress_entries=entries or [],
            status=status,
            status_raw=status_raw,
            status_note=status_note,
            note="\n".join(p for p in [note, *dict.fromkeys(draft.notes)] if p),
            batch=draft.text("batch") or fields.get("batch") or draft.part.batch,
            case_no="、".join(dict.fromkeys(identifier_text(v) for v in draft.cell_values("case_no")))
            or fields.get("case_no", ""),
            section=draft.part.title,
            round_name=draft.part.round_name,
        )

    def _contact(self, draft: TaskDraft) -> tuple[str, str]:
        if "contact" not in self.cols and "contact_phone" not in self.cols:
            return "", ""
        contact, phone = draft.text("contact"), draft.text("contact_phone")
        if contact and not phone:  # "联系人及电话": "张三 13900001111"
            return _split_phone(contact)
        return contact, phone

    def _future_entries(
        self, row: int, col: int | None, entries: list[tuple[date, str]]
    ) -> list[tuple[date, str]] | None:
        """Progress the cell dates after today (domain.dates' rule): a month or less ahead is kept
        with a warning (the import asks the clerk to confirm it); further ahead is no believable date,
        so the cell is kept whole as undated text (dated as the import's progress date), with a warning."""
        today = date.today()
        for day, _text in entries:
            if day <= today:  # nearly all of them: no need to ask the rule
                continue
            check = check_progress_day(day, today)
            if check.verdict is Future.REFUSE:
                self.issues.add(
                    row,
                    col,
                    f"整改进展写的日期 {day.isoformat()} 比今天晚 {check.days_ahead} 天,超过一个月,"
                    "不像真实日期:整段文字按进展日期记为一条进展,请核对。",
                )
                return None
        ahead = [day for day, _text in entries if day > today]
        if ahead:
            self.issues.add(
                row,
                col,
                f"整改进展写的日期 {max(ahead).isoformat()} 晚于今天,导入前会请您确认。",
            )
        return entries


def _has_content(draft: TaskDraft) -> bool:
    if draft.plain is not None:
        return True  # a row of its own is a task only with its 序号 and 问题描述
    return any(name != "seq" for name in draft.values) or bool(draft.notes)


def _kind_of(draft: TaskDraft) -> ProblemKind:
    """The kind its 问题类型 cell names, else its section's."""
    if not draft.count("kind"):
        return draft.part.kind
    raw = draft.text("kind")
    if raw:
        found = kind_from_text(raw)
        if found is not None:
            return found
    return draft.part.kind


def _split_phone(text: str) -> tuple[str, str]:
    """ "张三 13900001111" / "李四(0731-88888888)" → the name and the phone; else the text, ""."""
    if len(text) > 60 or not any(ch.isdigit() for ch in text):
        return text, ""
    match = _PHONE_RE.search(text)
    if match is None:
        return text, ""
    return text[: match.start()].strip(), match.group(1)


def _note_fields(note: str) -> tuple[dict[str, str], str]:
    """The batch and case number the monthly report writes at the top of 备注, and the rest of it."""
    if not note.startswith(("批次", "编号")):
        return {}, note
    found: dict[str, str] = {}
    rest = note
    while rest:
        line, _, tail = rest.partition("\n")
        key = _NOTE_FIELDS.get(line[:3].replace("：", ":"))
        value = line[3:].strip()
        if key is None or key in found or not value:
            break
        found[key] = value
        rest = tail
    return found, rest
