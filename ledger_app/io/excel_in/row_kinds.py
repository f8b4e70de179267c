"""What each row under a ledger's header is, read top to bottom (the tasks are assembled in tasks.py).

- A blank row, or one whose cells are all merged into rows above, is no row at all.
- A footer row (填报人, 审核人, 联系电话, 单位负责人, 注:…, or "截至…" on its own) ends the table:
  later rows are footer lines too, unless they carry both a 序号 and a 问题描述.
- A row of 合计/小计/总计 is a total, no task.
- The header repeated (a printout's page header) is the header again.
- A section row ("一、反馈问题", "(二)共性问题", "二、交办信访件", "第一批", or one merged cell
  across the table) sets the kind (and batch) of the tasks under it. Prefixed by a round's name, as
  the monthly report writes it ("第二轮中央生态环境保护督察 一、反馈问题", merged across the table
  or, retyped, not), it also sets their round.
- A task starts at a row with its own 序号, or without one at a row with its own 问题描述. Rows
  whose 序号 / 问题描述 cell is merged with the task's, rows repeating the task's 序号 and 问题描述,
  and rows with neither (one measure per row) continue the task above.
- A row with content, neither 序号 nor 问题描述, and no task above it is stray.
A footer, a header repeated or a section row ends the task above: no row below continues it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from ledger_app.domain.dates import normalize_typed
from ledger_app.domain.model import ProblemKind, Section
from ledger_app.io.excel_in.cells import cell_text, header_key, identifier_text
from ledger_app.io.excel_in.header import Table
from ledger_app.io.excel_in.reader import STRIDE, SheetData
from ledger_app.io.excel_in.report_date import CUTOFF_LINE_RE

_TASK_FIELDS = ("seq", "description")
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


def kind_from_text(text: str) -> ProblemKind | None:
    for word, kind in _KIND_WORDS:
        if word in text:
            return kind
    return None


class RowKind(Enum):
    FOOTER = "footer"
    TOTAL = "total"
    HEADER = "header"  # the header again
    SECTION = "section"
    TASK = "task"  # the first row of a task
    CONTINUATION = "continuation"  # a further row of the task starting at SheetRow.task_row
    STRAY = "stray"


@dataclass(frozen=True, slots=True)
class Part:
    """The part of the table a row is in, as the section rows above it name it."""

    kind: ProblemKind
    batch: str = ""
    title: str = ""  # the section row's text
    round_name: str = ""

    def under(self, heading: str) -> Part:
        """The part a section row starts: what the row names replaces what it continues."""
        round_name, text = self.round_name, heading
        named = _ROUND_HEADING_RE.match(heading)
        if named is not None:
            round_name = "" if named["round"] == NO_ROUND else named["round"]
            text = named["section"]
        found = kind_from_text(text)
        batch_match = _BATCH_RE.search(text)
        if batch_match is not None:
            batch = batch_match.group(0).replace(" ", "")
        else:  # a new kind of problems starts without the batch of the ones above
            batch = "" if found is not None else self.batch
        return Part(self.kind if found is None else found, batch, heading, round_name)


@dataclass(slots=True)
class SheetRow:
    """A row that holds something, and what it is."""

    index: int  # 0-based sheet row
    kind: RowKind
    values: list[Any]  # raw values by column; a cell merged into from another row holds ""
    own: list[tuple[int, object]]  # (column, value) of the cells the row holds itself
    own_cols: set[int]
    seq: str  # its own 序号, "" without one
    description: str  # its own 问题描述
    part: Part  # a section row: the part it starts
    task_row: int = -1  # TASK, CONTINUATION: the task's first row
    # Each field's value and the key of the cell it comes from (a merged cell's anchor); None for a
    # task on one row with nothing merged, whose fields are its values by column.
    cells: dict[str, tuple[object, int]] | None = None

    @property
    def text(self) -> str:
        return " ".join(cell_text(value) for _, value in self.own)


@dataclass(slots=True)
class RowClassifier:
    """Tells the rows apart in sheet order: whether a row continues a task depends on the rows above."""

    sheet: SheetData
    table: Table
    part: Part
    cols: dict[str, int] = field(default_factory=dict, init=False)  # field → column
    _field_cols: list[tuple[str, int]] = field(default_factory=list, init=False)
    _header_keys: dict[int, str] = field(default_factory=dict, init=False)
    _leftmost: int = field(default=0, init=False)
    _merged_rows: set[int] = field(default_factory=set, init=False)
    _seq_col: int | None = field(default=None, init=False)
    _desc_col: int | None = field(default=None, init=False)
    _current: SheetRow | None = field(default=None, init=False)  # first row of the task rows may continue
    _task_of: dict[int, SheetRow] = field(default_factory=dict, init=False)  # row → its task's first row
    _in_footer: bool = field(default=False, init=False)

    def __post_init__(self) -> None:
        columns = self.table.columns
        self._field_cols = [(c.field, c.index) for c in columns if c.field]
        self.cols = dict(self._field_cols)
        self._seq_col, self._desc_col = self.cols.get("seq"), self.cols.get("description")
        self._header_keys = {c.index: header_key(c.header.split("/")[-1]) for c in columns if c.header}
        self._leftmost = min((c.index for c in columns if c.header), default=0)
        # Rows no merged range reaches (nearly all) need no look-up per cell.
        self._merged_rows = {key // STRIDE for key in self.sheet.covered}

    def rows(self) -> Iterator[SheetRow]:
        sheet = self.sheet
        for row in range(self.table.first_data_row, sheet.end):
            found = self._classify(row, sheet.rows[row - sheet.row0])
            if found is not None:
                yield found

    def _classify(self, row: int, values: list[Any]) -> SheetRow | None:
        if values.count("") == len(values):
            return None
        plain = row not in self._merged_rows
        if plain:
            own = [(col, value) for col, value in enumerate(values) if value != ""]
        else:
            covered = self.sheet.covered
            own = [
                (col, value)
                for col, value in enumerate(values)
                if value != "" and row * STRIDE + col not in covered
            ]
        if not own:
            return None
        own_cols = {col for col, _ in own}
        seq_col, desc_col = self._seq_col, self._desc_col
        seq = identifier_text(values[seq_col]) if seq_col in own_cols else ""
        desc = cell_text(values[desc_col]) if desc_col in own_cols else ""
        line = SheetRow(row, RowKind.FOOTER, values, own, own_cols, seq, desc, self.part)
        if self._in_footer and not (seq and desc):
            return line
        # Numbered, with a 问题描述: a task, whatever its first cell looks like.
        own_task = bool(seq and desc and seq[0].isdigit())
        if not own_task:
            kind = self._not_a_task(line)
            if kind is not None:
                line.kind = kind
                return line
        current = self._current
        if (
            plain
            and own_task
            and not (current is not None and current.seq == seq and current.description == desc)
        ):
            return self._start(line, None)  # the usual row: a task of its own, nothing merged
        return self._task_row(line, self._cells(row, values))

    def _not_a_task(self, line: SheetRow) -> RowKind | None:
        first = cell_text(line.own[0][1])
        if len(first) <= MAX_FOOTER_CHARS and (
            _FOOTER_RE.match(first)
            or (len(line.own) == 1 and CUTOFF_LINE_RE.fullmatch(normalize_typed(first)))
        ):
            self._in_footer = True
            self._current = None
            return RowKind.FOOTER
        if _TOTAL_RE.match((line.seq or first).replace(" ", "")):
            return RowKind.TOTAL
        if self._is_header_again(line.own):
            self._current = None
            return RowKind.HEADER
        heading = self._section_text(line.index, line.own)
        if heading is not None:
            self.part = line.part = self.part.under(heading)
            self._current = None
            return RowKind.SECTION
        return None

    def _start(self, line: SheetRow, cells: dict[str, tuple[object, int]] | None) -> SheetRow:
        line.kind = RowKind.TASK
        line.task_row = line.index
        line.cells = cells
        self._current = self._task_of[line.index] = line
        return line

    def _task_row(self, line: SheetRow, cells: dict[str, tuple[object, int]]) -> SheetRow:
        """A row that is part of a task: its first row, a further row, or stray."""
        start = self._continued(line, cells)
        if start is None:
            if self._current is None and line.seq == "" and line.description == "":
                line.kind = RowKind.STRAY
                return line
            return self._start(line, cells)
        line.kind = RowKind.CONTINUATION
        line.task_row = start.index
        line.cells = cells
        self._current = self._task_of[line.index] = start
        return line

    def _continued(self, line: SheetRow, cells: dict[str, tuple[object, int]]) -> SheetRow | None:
        """The first row of the task ``line`` continues, or None when it starts one."""
        current = self._current
        if line.seq:
            if (
                current is not None
                and current.seq == line.seq
                and current.part.kind is line.part.kind
                and (not line.description or line.description == current.description)
            ):
                return current  # 序号 and 问题描述 filled down on every measure row
            return None
        for name in _TASK_FIELDS:
            value_anchor = cells.get(name)
            if value_anchor is None:
                continue
            value, anchor = value_anchor
            anchor_row = anchor // STRIDE
            if value != "" and anchor_row != line.index:
                start = self._task_of.get(anchor_row)
                if start is not None:
                    return start
        if line.description:
            return None
        return current

    def _cells(self, row: int, values: list[Any]) -> dict[str, tuple[object, int]]:
        """Each mapped field's value in ``row`` and the key of the cell it comes from."""
        covered = self.sheet.covered
        cells: dict[str, tuple[object, int]] = {}
        for name, col in self._field_cols:
            key = row * STRIDE + col
            anchor = covered.get(key) if covered else None
            if anchor is None:
                cells[name] = (values[col] if col < len(values) else "", key)
            elif anchor % STRIDE == col:  # merged down from a row above: the same cell
                cells[name] = (self.sheet.raw(*divmod(anchor, STRIDE)), anchor)
            else:  # merged across from another column: that column's text, not this one's
                cells[name] = ("", key)
        return cells

    def _is_header_again(self, own: list[tuple[int, object]]) -> bool:
        # Header names are short: long texts are never compared (header_key is costly on them).
        keys = self._header_keys
        same = sum(
            1
            for col, value in own
            if isinstance(value, str) and len(value) <= 40 and keys.get(col) == header_key(value)
        )
        return same >= 2 and same * 2 >= len(own)

    def _section_text(self, row: int, own: list[tuple[int, object]]) -> str | None:
        if len(own) > 2:
            return None
        for col, _ in own:
            name = next((n for n, c in self.cols.items() if c == col), None)
            if name is not None and name not in _TASK_FIELDS:
                return None
        text = " ".join(cell_text(v) for _, v in own)
        if len(text) > 60:
            return None
        if len(own) == 1:
            col = own[0][0]
            span = self.sheet.spans.get(row * STRIDE + col)
            if span is not None and span[1] - col + 1 >= 3 and col <= self._leftmost:
                return text
        if _SECTION_RE.match(text) and (kind_from_text(text) or _BATCH_RE.search(text)):
            return text
        # The monthly report's section row when its merge was lost (retyped, pasted into another sheet):
        # the round's name in front hides the numbering from _SECTION_RE.
        if _ROUND_HEADING_RE.match(text):
            return text
        key = header_key(text)
        if kind_from_text(key) and len(key) <= 12 and not any(ch.isdigit() for ch in key[:1]):
            return text
        return None
