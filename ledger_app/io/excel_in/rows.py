"""From the rows under the header to tasks: sections, footers, tasks spread over merged rows.

How rows are read (the module docstring of excel_in.workbook lists the refusal rules):
- A blank row is skipped. A row of 合计/小计/总计 is skipped.
- A section row ("一、反馈问题", "(二)共性问题", "二、交办信访件", "第一批", or one merged cell
  across the table) sets the kind (and batch) of the tasks under it. Prefixed by a round's name, as
  the monthly report writes it ("第二轮中央生态环境保护督察 一、反馈问题"), it also sets their round;
  序号 are then unique per round and section.
- A footer row (填报人, 审核人, 联系电话, 单位负责人, 注:…) ends the table: later rows are read only
  if they carry both a 序号 and a 问题描述.
- The header repeated (a printout's page header) is skipped.
- A task starts at a row with its own 序号, or without one at a row with its own 问题描述. Rows
  whose 序号 / 问题描述 cell is merged with the task's, rows repeating the task's 序号 and 问题描述,
  and rows with neither (one measure per row) continue the task above.
- 序号 are unique per round and section. A part that numbers from 1 again (共性 after 个性 problems,
  a second batch of petitions) has its 序号 prefixed ("共性-1", "第二批-1") instead of refused.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ledger_app.domain.dates import Future, check_progress_day, normalize_typed
from ledger_app.domain.deadlines import Deadline, parse_deadline
from ledger_app.domain.model import ProblemKind, Section, TaskStatus
from ledger_app.io.excel_in.cells import MAX_CELL_CHARS, cell_text, col_letter, header_key, identifier_text
from ledger_app.io.excel_in.header import Table
from ledger_app.io.excel_in.measures import read_measures
from ledger_app.io.excel_in.progress import Period, dated_entries, report_period
from ledger_app.io.excel_in.reader import STRIDE, SheetData
from ledger_app.io.excel_in.report_date import CUTOFF_LINE_RE
from ledger_app.io.excel_in.status import StatusReading, read_closed_flag, read_status
from ledger_app.io.excel_in.units import MAX_UNIT_CHARS, UnitReader, UnitRoles
from ledger_app.io.import_plan import ImportIssue, ParsedMeasure, ParsedTask, Severity

UNIT_FIELDS = {
    "units": "responsible",
    "lead_units": "lead",
    "responsible_units": "responsible",
    "cooperating_units": "cooperating",
    "supervising_units": "supervising",
}
_TASK_FIELDS = ("seq", "description")
_NO_DEADLINE = Deadline("")
MAX_UNIT_CELL_CHARS = 2_000  # a unit list longer than this is a paragraph pasted in the wrong column
MAX_DEADLINE_CHARS = 200
# Footer lines name who filled in the table: the word, then a colon, a space or nothing ("审核发现…"
# in a description is no footer).
_FOOTER_RE = re.compile(
    r"^(?:(?:填报人|填表人|审核人|审核|联系电话|联系人|单位负责人|负责人|制表人|填报日期|填报时间|报送日期"
    r"|主要负责人|分管领导|签字|签发)(?:[:：\s]|$)|(?:注|说明|备注|填表说明|填报说明|附注)[:：]|[(（]盖章[)）])"
)
MAX_FOOTER_CHARS = 120
_TOTAL_RE = re.compile(r"^(合计|总计|小计|共计)")
_SECTION_RE = re.compile(
    r"^(?:[一二三四五六七八九十]+[、.．]|[(（][一二三四五六七八九十]+[)）]|第[一二三四五六七八九十\d]+(?:部分|批|类))"
)
_BATCH_RE = re.compile(r"第\s*[一二三四五六七八九十百\d]+\s*批(?:次)?")
# "第二轮中央生态环境保护督察 一、反馈问题": a round's name, then one of the ledger's sections.
_ROUND_HEADING_RE = re.compile(
    rf"^(?P<round>\S.*?)\s+(?P<section>[一二三四五六七八九十]+、(?:{'|'.join(s.label for s in Section)}))$"
)
NO_ROUND = "(未填督察批次)"  # what the monthly report writes for tasks of no round
# 备注 lines the monthly report writes for a petition's batch and case number, before the note itself.
_NOTE_FIELDS = {"批次:": "batch", "编号:": "case_no"}
_KIND_WORDS: tuple[tuple[str, ProblemKind], ...] = (
    ("共性", ProblemKind.COMMON),
    ("个性", ProblemKind.SPECIFIC),
    ("信访", ProblemKind.PETITION),
    ("交办件", ProblemKind.PETITION),
    ("投诉", ProblemKind.PETITION),
    ("举报", ProblemKind.PETITION),
    ("自查", ProblemKind.SELF_CHECK),
    ("举一反三", ProblemKind.SELF_CHECK),
    ("自行排查", ProblemKind.SELF_CHECK),
    ("反馈", ProblemKind.SPECIFIC),
)


_KIND_SHORT = {
    ProblemKind.SPECIFIC: "个性",
    ProblemKind.COMMON: "共性",
    ProblemKind.PETITION: "信访",
    ProblemKind.SELF_CHECK: "自查",
}


def kind_from_text(text: str) -> ProblemKind | None:
    for word, kind in _KIND_WORDS:
        if word in text:
            return kind
    return None


@dataclass(slots=True)
class _Draft:
    """A task while its rows are read: the cells of each field, by the cell they come from.

    Most tasks are one row with nothing merged. Such a draft only keeps that row (``plain``) and
    reads its fields from it; it becomes a spread draft (``values``, ``row_anchor``) when a row below
    turns out to continue it.
    """

    first_row: int
    kind: ProblemKind
    batch: str
    section: str
    round_name: str
    seq: str
    description: str  # the first row's own 问题描述, to recognise the rows repeating it
    rows: list[int] = field(default_factory=list)
    # field → anchor key → raw value, in the order met; field → row → anchor key
    values: dict[str, dict[int, object]] = field(default_factory=dict)
    row_anchor: dict[str, dict[int, int]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    too_long: list[str] = field(default_factory=list)  # cell names
    plain: list[Any] | None = None  # the task's one row, nothing merged: values and row_anchor unused
    cols: dict[str, int] = field(default_factory=dict)  # field → column, for ``plain``
    _texts: dict[str, str] = field(default_factory=dict)

    def spread(self) -> None:
        """Turn a one-row draft into a spread one, before a second row joins it."""
        row = self.plain
        if row is None:
            return
        base, width = self.first_row * STRIDE, len(row)
        self.values = {
            name: {base + col: row[col]} for name, col in self.cols.items() if col < width and row[col] != ""
        }
        self.row_anchor = {name: {self.first_row: base + self.cols[name]} for name in self.values}
        self.plain = None
        self._texts.clear()

    def cell_values(self, name: str) -> list[object]:
        """The field's raw values, one for each cell that has one, in the order met."""
        row = self.plain
        if row is None:
            found = self.values.get(name)
            return list(found.values()) if found else []
        col = self.cols.get(name)
        return [row[col]] if col is not None and col < len(row) and row[col] != "" else []

    def count(self, name: str) -> int:
        """How many cells hold a value for the field."""
        row = self.plain
        if row is None:
            return len(self.values.get(name, ()))
        col = self.cols.get(name)
        return 1 if col is not None and col < len(row) and row[col] != "" else 0

    def text(self, name: str) -> str:
        """The field's distinct texts joined by newlines (called once all rows are in)."""
        row = self.plain
        if row is not None:  # one cell: cheaper to read again than to remember
            col = self.cols.get(name)
            return cell_text(row[col]) if col is not None and col < len(row) else ""
        found = self._texts.get(name)
        if found is None:
            values = self.values.get(name)
            if not values:
                found = ""
            elif len(values) == 1:
                found = cell_text(next(iter(values.values())))
            else:
                found = "\n".join(dict.fromkeys(t for t in map(cell_text, values.values()) if t))
            self._texts[name] = found
        return found


def _add_own_cells(
    target: _Draft,
    row: int,
    values: list[Any],
    own: list[tuple[int, object]],
    own_cols: set[int],
    note_cols: list[tuple[int, str]],
) -> None:
    """What a row's own cells add to its task beyond the mapped fields: texts cut at Excel's limit
    (the reader cuts longer ones: reaching it means text was lost) and unmapped columns for 备注."""
    for col, value in own:
        if type(value) is str and len(value) >= MAX_CELL_CHARS:
            target.too_long.append(f"{col_letter(col)}{row + 1}({len(value)}字)")
    for col, header in note_cols:
        if col in own_cols:
            text = cell_text(values[col])
            if text:
                target.notes.append(f"{header}:{text}" if header else text)


@dataclass(slots=True)
class RowReader:
    sheet: SheetData
    table: Table
    units: UnitReader
    default_kind: ProblemKind
    issues: list[ImportIssue]
    _cols: dict[str, int] = field(default_factory=dict, init=False)  # field → column
    _unit_cols: list[tuple[str, str]] = field(default_factory=list, init=False)  # (field, default role)
    # Offices write the same deadlines and status words over and over: parse each once.
    _deadlines: dict[tuple[type, object], Deadline] = field(default_factory=dict, init=False)
    _statuses: dict[str, StatusReading] = field(default_factory=dict, init=False)
    _period: Period | None = field(default=None, init=False)  # the report's 报告期, for dated progress
    # The lines under the table (填报人, 填报时间:…), where the sheet's report date may be written.
    footer_lines: list[str] = field(default_factory=list, init=False)

    def _issue(self, row: int | None, col: int | None, reason: str, severity: Severity = "warning") -> None:
        self.issues.append(
            ImportIssue(
                self.sheet.name,
                None if row is None else row + 1,
                None if col is None else col_letter(col),
                reason,
                severity,
            )
        )

    # -- pass 1: rows into drafts ---------------------------------------------------------------
    def read(self) -> list[ParsedTask]:
        sheet, table = self.sheet, self.table
        field_cols = [(c.field, c.index) for c in self.table.columns if c.field]
        self._cols = dict(field_cols)
        self._unit_cols = [(name, role) for name, role in UNIT_FIELDS.items() if name in self._cols]
        note_cols = [(c.index, c.header) for c in table.columns if c.field is None and c.reason != "ignored"]
        header_keys = {c.index: header_key(c.header.split("/")[-1]) for c in table.columns if c.header}
        leftmost = min((c.index for c in table.columns if c.header), default=0)
        seq_col, desc_col = self._cols.get("seq"), self._cols.get("description")
        covered = sheet.covered
        # Rows no merged range reaches (nearly all) need no look-up per cell.
        merged_rows = {key // STRIDE for key in covered}

        kind, batch, section, round_name = self.default_kind, "", "", ""
        drafts: list[_Draft] = []
        current: _Draft | None = None
        owner: dict[int, _Draft] = {}  # row → draft
        in_footer = False

        for row in range(table.first_data_row, sheet.end):
            values = sheet.rows[row - sheet.row0]
            if values.count("") == len(values):
                continue
            plain_row = row not in merged_rows
            if plain_row:
                own = [(col, value) for col, value in enumerate(values) if value != ""]
            else:
                own = [
                    (col, value)
                    for col, value in enumerate(values)
                    if value != "" and row * STRIDE + col not in covered
                ]
            if not own:
                continue
            own_cols = {col for col, _ in own}
            first_text = cell_text(own[0][1])
            seq_own = identifier_text(values[seq_col]) if seq_col in own_cols else ""
            desc_own = cell_text(values[desc_col]) if desc_col in own_cols else ""
            plain_task = bool(seq_own and desc_own and seq_own[0].isdigit())
            if in_footer and not (seq_own and desc_own):
                self.footer_lines.append(" ".join(cell_text(value) for _, value in own))
                continue
            if (
                not plain_task
                and len(first_text) <= MAX_FOOTER_CHARS
                and (
                    _FOOTER_RE.match(first_text)
                    or (len(own) == 1 and CUTOFF_LINE_RE.fullmatch(normalize_typed(first_text)))
                )
            ):
                in_footer = True
                current = None
                self.footer_lines.append(" ".join(cell_text(value) for _, value in own))
                continue
            if not plain_task and _TOTAL_RE.match((seq_own or first_text).replace(" ", "")):
                self._issue(row, None, f"合计行「{first_text[:20]}」不是任务,已跳过。")
                continue
            if not plain_task and self._is_header_again(own, header_keys):
                current = None
                continue
            heading = None if plain_task else self._section_text(row, own, leftmost)
            if heading is not None:
                named = _ROUND_HEADING_RE.match(heading)
                if named is not None:
                    round_name = "" if named["round"] == NO_ROUND else named["round"]
                    part = named["section"]
                else:
                    part = heading
                found = kind_from_text(part)
                if found is not None:
                    kind = found
                batch_match = _BATCH_RE.search(part)
                if batch_match is not None:
                    batch = batch_match.group(0).replace(" ", "")
                elif found is not None:
                    batch = ""
                section = heading
                current = None
                continue

            if (
                plain_row
                and plain_task
                and not (current is not None and current.seq == seq_own and current.description == desc_own)
            ):
                # The usual row: a task of its own on one row, no merged cells. The same as below,
                # without the look-ups a task spread over several rows needs.
                target = _Draft(
                    row,
                    kind,
                    batch,
                    section,
                    round_name,
                    seq_own,
                    desc_own,
                    [row],
                    plain=values,
                    cols=self._cols,
                )
                drafts.append(target)
                current = owner[row] = target
                _add_own_cells(target, row, values, own, own_cols, note_cols)
                continue
            cells = self._cells(row, values, field_cols)
            target = self._task_for(row, cells, current, owner, seq_own, desc_own, kind)
            if target is None:
                if current is None and seq_own == "" and desc_own == "":
                    self._issue(
                        row,
                        None,
                        "该行有内容,但找不到所属的任务(没有序号和问题描述,上方也没有任务)。",
                        "refused",
                    )
                    continue
                target = _Draft(row, kind, batch, section, round_name, seq_own, desc_own)
                drafts.append(target)
            current = target
            owner[row] = target
            target.spread()  # a task met as one plain row, now spread over more
            target.rows.append(row)
            draft_values, draft_rows = target.values, target.row_anchor
            for name, (value, anchor) in cells.items():
                if value != "":
                    found = draft_values.get(name)
                    if found is None:
                        draft_values[name] = {anchor: value}
                        draft_rows[name] = {row: anchor}
                    else:
                        found.setdefault(anchor, value)
                        draft_rows[name][row] = anchor
            _add_own_cells(target, row, values, own, own_cols, note_cols)
        return self._finish(drafts)

    def _cells(
        self, row: int, values: list, field_cols: list[tuple[str, int]]
    ) -> dict[str, tuple[object, int]]:
        """Each mapped field's value in ``row`` and the key of the cell it comes from."""
        covered = self.sheet.covered
        cells: dict[str, tuple[object, int]] = {}
        for name, col in field_cols:
            key = row * STRIDE + col
            anchor = covered.get(key) if covered else None
            if anchor is None:
                cells[name] = (values[col] if col < len(values) else "", key)
            elif anchor % STRIDE == col:  # merged down from a row above: the same cell
                cells[name] = (self.sheet.raw(*divmod(anchor, STRIDE)), anchor)
            else:  # merged across from another column: that column's text, not this one's
                cells[name] = ("", key)
        return cells

    def _task_for(
        self,
        row: int,
        cells: dict[str, tuple[object, int]],
        current: _Draft | None,
        owner: dict[int, _Draft],
        seq_own: str,
        desc_own: str,
        kind: ProblemKind,
    ) -> _Draft | None:
        """The draft this row continues, or None when it starts a task."""
        if seq_own:
            if (
                current is not None
                and current.seq == seq_own
                and current.kind is kind
                and (not desc_own or desc_own == current.description)
            ):
                return current  # 序号 and 问题描述 filled down on every measure row
            return None
        for name in _TASK_FIELDS:
            value_anchor = cells.get(name)
            if value_anchor is None:
                continue
            value, anchor = value_anchor
            anchor_row = anchor // STRIDE
            if value != "" and anchor_row != row:
                draft = owner.get(anchor_row)
                if draft is not None:
                    return draft
        if desc_own:
            return None
        return current

    def _is_header_again(self, own: list[tuple[int, object]], header_keys: dict[int, str]) -> bool:
        # Header names are short: long texts are never compared (header_key is costly on them).
        same = sum(
            1
            for col, value in own
            if isinstance(value, str) and len(value) <= 40 and header_keys.get(col) == header_key(value)
        )
        return same >= 2 and same * 2 >= len(own)

    def _section_text(self, row: int, own: list[tuple[int, object]], leftmost: int) -> str | None:
        if len(own) > 2:
            return None
        for col, _ in own:
            name = next((n for n, c in self._cols.items() if c == col), None)
            if name is not None and name not in _TASK_FIELDS:
                return None
        text = " ".join(cell_text(v) for _, v in own)
        if len(text) > 60:
            return None
        if len(own) == 1:
            col = own[0][0]
            span = self.sheet.spans.get(row * STRIDE + col)
            if span is not None and span[1] - col + 1 >= 3 and col <= leftmost:
                return text
        if _SECTION_RE.match(text) and (kind_from_text(text) or _BATCH_RE.search(text)):
            return text
        key = header_key(text)
        if kind_from_text(key) and len(key) <= 12 and not any(ch.isdigit() for ch in key[:1]):
            return text
        return None

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
            self._issue(start, None, f"{where}只有序号、没有内容(空白模板行),已跳过。")

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
                self._issue(
                    row,
                    col,
                    f"整改进展写的日期 {day.isoformat()} 比今天晚 {check.days_ahead} 天,超过一个月,"
                    "不像真实日期:整段文字按进展日期记为一条进展,请核对。",
                )
                return None
        ahead = [day for day, _text in entries if day > today]
        if ahead:
            self._issue(
                row,
                col,
                f"整改进展写的日期 {max(ahead).isoformat()} 晚于今天,导入前会请您确认。",
            )
        return entries

    # -- pass 2: drafts into tasks ----------------------------------------------------------------
    def _finish(self, drafts: list[_Draft]) -> list[ParsedTask]:
        groups: dict[tuple[str, Section], list[_Draft]] = {}
        template_rows = []
        for draft in drafts:
            if draft.seq and not self._has_content(draft):
                template_rows.append(draft.first_row)  # a numbered row of an empty template
                continue
            groups.setdefault((draft.round_name, self._kind_of(draft).section), []).append(draft)
        self._report_template_rows(template_rows)
        self._period = report_period(self.table.title_lines)
        tasks: list[ParsedTask] = []
        for (_round, section), members in groups.items():
            numbered = [d for d in members if d.seq]
            if not numbered:
                for number, draft in enumerate(members, start=1):
                    draft.seq = str(number)
                self._issue(
                    members[0].first_row,
                    self._cols.get("seq"),
                    f"「{section.label}」部分的任务都没有序号,已按顺序编为1–{len(members)}。",
                )
            else:
                self._qualify_restarts(members, section)
            seen: dict[str, _Draft] = {}
            for draft in members:
                task = self._task(draft, seen, auto=not numbered)
                if task is not None:
                    tasks.append(task)
        tasks.sort(key=lambda t: t.rows[0])
        return tasks

    def _qualify_restarts(self, members: list[_Draft], section: Section) -> None:
        """个性 and 共性 problems numbered each from 1, or petitions each batch from 1: the later part's
        序号 become "共性-1", "第二批-1", … so that they stay apart (and stay the same on re-import).

        Only a part that starts again at 1 and meets numbers already used is renamed: a ledger
        numbered straight through, or a single mistyped 序号, keeps its numbers (and the duplicate is
        refused as any other)."""
        parts: dict[tuple[ProblemKind, str], list[_Draft]] = {}
        for draft in members:
            if draft.seq:
                key = (self._kind_of(draft), draft.text("batch") or draft.batch)
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
                self._issue(
                    drafts[0].first_row,
                    self._cols.get("seq"),
                    f"「{section.label}」中{batch or kind.label}的序号从1重新编起,与前面的序号重复:"
                    f"已记为「{prefix}-1」「{prefix}-2」…以免混淆(共{len(drafts)}项)。",
                )
                seqs = {d.seq for d in drafts}
            used |= seqs

    def _has_content(self, draft: _Draft) -> bool:
        if draft.plain is not None:
            return True  # a row of its own is a task only with its 序号 and 问题描述
        return any(name != "seq" for name in draft.values) or bool(draft.notes)

    def _kind_of(self, draft: _Draft) -> ProblemKind:
        if not draft.count("kind"):
            return draft.kind
        raw = draft.text("kind")
        if raw:
            found = kind_from_text(raw)
            if found is not None:
                return found
        return draft.kind

    def _refuse(self, draft: _Draft, col: int | None, reason: str) -> None:
        rows = draft.rows
        span = f"(第{rows[0] + 1}–{rows[-1] + 1}行)" if len(rows) > 1 else ""
        self._issue(draft.first_row, col, reason + span, "refused")

    def _task(self, draft: _Draft, seen: dict[str, _Draft], *, auto: bool) -> ParsedTask | None:
        cols = self._cols
        description = draft.text("description")
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
        kind = self._kind_of(draft)
        raw_kind = draft.text("kind")
        if raw_kind and kind_from_text(raw_kind) is None:
            self._issue(
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

        found: list[UnitRoles] = []
        for name, role in self._unit_cols:
            cells = draft.count(name)
            if not cells:
                continue
            for text in [draft.text(name)] if cells == 1 else map(cell_text, draft.cell_values(name)):
                if len(text) > MAX_UNIT_CELL_CHARS:
                    self._refuse(
                        draft,
                        cols.get(name),
                        f"单位一栏有{len(text)}个字,不像单位名单(最多{MAX_UNIT_CELL_CHARS}字),该任务未导入。",
                    )
                    return None
                found.append(self.units.roles(text, role))
        if len(found) == 1:
            roles = found[0]  # shared with the reader's cache: read, never changed
        else:
            roles = UnitRoles()
            for part in found:
                roles.merge(part)
        measures = self._measures(draft)
        if roles.empty:
            roles = UnitRoles()
            for measure in measures:
                roles.add("lead", measure.lead_units)
                roles.add("cooperating", measure.cooperating_units)
        if not (roles.lead or roles.responsible):
            self._issue(draft.first_row, None, "该任务没有填写责任单位(或牵头单位)。")
        for names in (roles.lead, roles.responsible, roles.cooperating, roles.supervising):
            for name in names:
                if len(name) > MAX_UNIT_CHARS:
                    self._issue(
                        draft.first_row, None, f"责任单位「{name[:20]}…」过长,可能不是单位名称,请核对。"
                    )

        deadline = self._deadline(draft)
        if not deadline.understood:
            self._issue(
                draft.first_row,
                cols.get("deadline"),
                f"整改时限「{deadline.text[:40]}」未能识别为日期,按原文保存。",
            )
        status, status_raw, status_note = self._status(draft)
        fields, note = _note_fields(draft.text("note"))
        note_parts = [note, *dict.fromkeys(draft.notes)]
        progress = draft.text("progress")
        entries = dated_entries(progress, self._period) if progress else None
        if entries:
            entries = self._future_entries(draft.first_row, cols.get("progress"), entries)
        contact = phone = ""
        if "contact" in cols or "contact_phone" in cols:
            contact, phone = draft.text("contact"), draft.text("contact_phone")
            if contact and not phone:  # "联系人及电话": "张三 13900001111"
                contact, phone = _split_phone(contact)
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
            note="\n".join(p for p in note_parts if p),
            batch=draft.text("batch") or fields.get("batch") or draft.batch,
            case_no="、".join(dict.fromkeys(identifier_text(v) for v in draft.cell_values("case_no")))
            or fields.get("case_no", ""),
            section=draft.section,
            round_name=draft.round_name,
        )

    def _parse_deadline(self, value: object) -> Deadline:
        key = (type(value), value)
        found = self._deadlines.get(key)
        if found is None:
            # A paragraph in the deadline column is no date: keep it as text, unparsed.
            text = cell_text(value) if isinstance(value, str) else ""
            found = Deadline(text) if len(text) > MAX_DEADLINE_CHARS else parse_deadline(value)
            self._deadlines[key] = found
        return found

    def _read_status(self, raw: str) -> StatusReading:
        found = self._statuses.get(raw)
        if found is None:
            found = self._statuses[raw] = read_status(raw)
        return found

    def _deadline(self, draft: _Draft) -> Deadline:
        values = draft.cell_values("deadline")
        if not values:
            return _NO_DEADLINE
        if len(values) == 1:
            return self._parse_deadline(values[0])
        parsed = [self._parse_deadline(v) for v in values]
        parsed = [d for d in parsed if not d.is_empty]
        if not parsed:
            return Deadline("")
        if len(parsed) == 1:
            return parsed[0]
        # One deadline per measure row: the task is due when its last measure is.
        dated = [d for d in parsed if d.date is not None]
        if dated:
            return max(dated, key=lambda d: d.date)
        return next((d for d in parsed if d.long_term), parsed[0])

    def _status(self, draft: _Draft) -> tuple[TaskStatus, str, str]:
        if draft.count("status") == 1 and "closed_flag" not in self._cols and "done_flag" not in self._cols:
            # The usual row: one status word, no 是否销号 column.
            raw = draft.text("status")
            reading = self._read_status(raw) if raw else None
            if reading is not None and reading.status is not None:
                return reading.status, raw, reading.note
        raws = [cell_text(v) for v in draft.cell_values("status")]
        raws = [r for r in raws if r]
        readings = [self._read_status(r) for r in raws]
        understood = [r for r in readings if r.status is not None]
        flag_raw = draft.text("closed_flag")
        closed = read_closed_flag(flag_raw) if flag_raw else None
        raw_text = "、".join(dict.fromkeys(raws))
        if flag_raw:
            raw_text = f"{raw_text};是否销号:{flag_raw}" if raw_text else f"是否销号:{flag_raw}"
        notes = [r.note for r in understood if r.note]
        if flag_raw and closed is None:
            self._issue(
                draft.first_row, self._cols.get("closed_flag"), f"是否销号「{flag_raw}」未能识别,已忽略。"
            )
        if closed:
            before = min((r.status for r in understood), key=lambda s: s.order, default=None)
            if before is not None and before is not TaskStatus.CLOSED:
                self._issue(
                    draft.first_row,
                    self._cols.get("closed_flag"),
                    f"是否销号为「{flag_raw}」,完成状态为「{'、'.join(raws)}」:按「已销号」导入。",
                )
            return TaskStatus.CLOSED, raw_text, ""
        done_raw = draft.text("done_flag")
        done = None
        if done_raw:
            raw_text = f"{raw_text};是否完成整改:{done_raw}" if raw_text else f"是否完成整改:{done_raw}"
            # 是否完成整改 holds 是 / 否, or status words ("已完成", "正在整改") of its own.
            reading = self._read_status(done_raw)
            if reading.status is not None:
                understood.append(reading)
            else:
                done = read_closed_flag(done_raw)
                if done is None:
                    self._issue(
                        draft.first_row,
                        self._cols.get("done_flag"),
                        f"是否完成整改「{done_raw}」未能识别,已忽略。",
                    )
        if understood:
            # Several measure rows with their own status: the task is as far as its slowest measure.
            status = min((r.status for r in understood), key=lambda s: s.order)
            if done and status.order < TaskStatus.COMPLETED.order:
                status = TaskStatus.COMPLETED
            return status, raw_text, " ".join(dict.fromkeys(notes))
        if done:
            return TaskStatus.COMPLETED, raw_text, ""
        if raws:
            self._issue(
                draft.first_row,
                self._cols.get("status"),
                f"完成状态「{raw_text[:30]}」未能识别,按「{TaskStatus.IN_PROGRESS.label}」导入。",
            )
            return TaskStatus.IN_PROGRESS, raw_text, ""
        if draft.text("progress"):
            return TaskStatus.IN_PROGRESS, raw_text, "未填写状态,已有整改进展,按「整改中」导入。"
        return TaskStatus.NOT_STARTED, raw_text, ""

    def _measures(self, draft: _Draft) -> list[ParsedMeasure]:
        if not draft.count("measures"):
            return []
        if len(draft.rows) == 1:  # the usual task of one row: no units or deadlines per measure row
            row = (
                draft.first_row if draft.plain is not None else next(iter(draft.values["measures"])) // STRIDE
            ) + 1
            return [
                ParsedMeasure(number, item, row, list(d.lead_units), list(d.cooperating_units), d.deadline)
                for number, (item, d) in enumerate(read_measures(draft.text("measures"), self.units), 1)
            ]
        per_row_units = {
            name: role
            for name, role in self._unit_cols
            if name != "supervising_units" and len(draft.values.get(name, {})) > 1
        }
        per_row_deadline = len(draft.values.get("deadline", {})) > 1
        measures: list[ParsedMeasure] = []
        for anchor, value in draft.values["measures"].items():
            row = anchor // STRIDE  # the measure cell's own row (the top row of a merged one)
            for item, details in read_measures(cell_text(value), self.units):
                lead, cooperating, deadline = details.lead_units, details.cooperating_units, details.deadline
                if per_row_units and not (lead or cooperating):
                    roles = UnitRoles()
                    for name, role in per_row_units.items():
                        cell_anchor = draft.row_anchor.get(name, {}).get(row)
                        if cell_anchor is not None:
                            roles.merge(self.units.roles(cell_text(draft.values[name][cell_anchor]), role))
                    lead = list({**roles.lead, **roles.responsible})
                    cooperating = list(roles.cooperating)
                if per_row_deadline and deadline.is_empty:
                    cell_anchor = draft.row_anchor.get("deadline", {}).get(row)
                    if cell_anchor is not None:
                        deadline = self._parse_deadline(draft.values["deadline"][cell_anchor])
                measures.append(
                    ParsedMeasure(len(measures) + 1, item, row + 1, list(lead), list(cooperating), deadline)
                )
        return measures


_PHONE_RE = re.compile(
    r"[\s/,，;；、:\uff1a(（]*((?:\+?86[-\s]?)?(?:1\d{10}|0\d{2,3}-?\d{7,8}(?:-\d{1,6})?))[)）]?\s*$"
)


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
