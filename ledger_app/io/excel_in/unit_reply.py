"""Reading a unit's reply to its monthly sheet (unit_sheet), whatever the unit did to it.

Only reads, and knows nothing of the ledger: it returns each row's cells by meaning and the row's
identity (hidden column) if it kept one; services/monthly_round matches rows to tasks.

The file goes through the importer's safety checks (excel_in.reader.open_workbook: excel_in.safety, excel_in.extent,
excel_in.cfb) before python-calamine reads it, .xlsx and .xls alike. Columns are found by their header
text, so inserted, moved or deleted columns are read as what they are; a renamed sheet is found by
its header; merged cells are read as what they show, with a note.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ledger_app.gcpause import gc_paused
from ledger_app.io.excel_in.cells import cell_text
from ledger_app.io.excel_in.safety import MAX_FILE_BYTES
from ledger_app.io.excel_out.unit_sheet import IDENTITY_SHEET
from ledger_app.io.import_plan import WorkbookRefused

if TYPE_CHECKING:
    from ledger_app.io.excel_in.reader import SheetData

HEADER_SCAN_ROWS = 30
IDENTITY_RE = re.compile(r"^\s*(\d{1,12})-([0-9a-fA-F]{8})\s*$")
TITLE_RE = re.compile(r"^\s*(?P<unit>.+?)\s*(?P<y>\d{4})\s*年\s*(?P<m>\d{1,2})\s*月\s*整改进展月报表")
FILE_RE = re.compile(
    r"(?P<y>\d{4})\s*年\s*(?P<m>\d{1,2})\s*月\s*[-_—\s]\s*(?P<unit>.+?)\s*[-_—\s]\s*整改进展月报表"
)

ANSWER_FIELDS = ("progress", "status", "difficulties", "next_steps", "evidence", "filler", "phone")
FIXED_FIELDS = ("seq", "description", "measures", "deadline", "goal")

# Header text (spaces, stars and a bracketed hint removed) → field.
_HEADERS = {
    "序号": "seq",
    "问题": "description",
    "问题描述": "description",
    "反馈问题": "description",
    "存在问题": "description",
    "整改任务": "description",
    "整改措施": "measures",
    "整改时限": "deadline",
    "完成时限": "deadline",
    "整改目标": "goal",
    "本月进展": "progress",
    "本月整改进展": "progress",
    "整改进展": "progress",
    "进展情况": "progress",
    "整改进展情况": "progress",
    "完成情况": "status",
    "存在困难": "difficulties",
    "存在困难和问题": "difficulties",
    "困难和问题": "difficulties",
    "下步计划": "next_steps",
    "下一步计划": "next_steps",
    "下一步工作计划": "next_steps",
    "佐证材料清单": "evidence",
    "佐证材料": "evidence",
    "填报人": "filler",
    "联系电话": "phone",
    "电话": "phone",
}
_HINT_RE = re.compile(r"[(（][^)）]*[)）]\s*$")
_DROP_RE = re.compile(r"[\s\u3000\xa0*※★]+")


def header_field(text: str) -> str | None:
    key = _DROP_RE.sub("", text)
    if "标识" in key:
        return "identity"
    key = _HINT_RE.sub("", key)
    return _HEADERS.get(key)


@dataclass(slots=True)
class ReplyRow:
    row: int  # 1-based sheet row
    group: str  # the heading row above it (round and section), "" when there is none
    identity: str = ""
    cells: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def get(self, name: str) -> str:
        return self.cells.get(name, "")

    @property
    def has_answer(self) -> bool:
        return any(self.cells.get(f) for f in ANSWER_FIELDS)

    def parsed_identity(self) -> tuple[int, str] | None:
        match = IDENTITY_RE.match(self.identity)
        return (int(match.group(1)), match.group(2).lower()) if match else None


@dataclass(slots=True)
class ParsedReply:
    path: str
    format: str
    sheet: str = ""
    stamp: dict[str, str] = field(default_factory=dict)  # the hidden sheet: 台账标识, 月份, 单位 …
    title: str = ""
    title_unit: str = ""
    title_month: tuple[int, int] | None = None
    name_unit: str = ""
    name_month: tuple[int, int] | None = None
    has_identity_column: bool = False
    rows: list[ReplyRow] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def stamp_month(self) -> tuple[int, int] | None:
        return _month(self.stamp.get("月份", ""))


def _month(text: str) -> tuple[int, int] | None:
    match = re.fullmatch(r"\s*(\d{4})-(\d{1,2})\s*", text)
    if not match:
        return None
    y, m = int(match.group(1)), int(match.group(2))
    return (y, m) if 1 <= m <= 12 else None


def _read_bytes(path: Path) -> bytes:
    try:
        if path.is_dir():
            raise WorkbookRefused(f"「{path.name}」是文件夹,不是Excel文件。", "The path is a folder.")
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise WorkbookRefused(f"文件过大({size // (1024 * 1024)} MB),不像是月报表。", "File too large.")
        return path.read_bytes()
    except FileNotFoundError as exc:
        raise WorkbookRefused(f"找不到文件「{path}」。", "File not found.") from exc
    except OSError as exc:
        raise WorkbookRefused(f"无法读取「{path.name}」:{exc.strerror or exc}", "Cannot read.") from exc


def read_unit_reply(path: Path) -> ParsedReply:
    """Read one reply. Raises WorkbookRefused (Chinese reason) for a hostile or unusable file."""
    # python-calamine loads only when a reply is read: not at start-up, where services are imported.
    from ledger_app.io.excel_in.reader import open_workbook

    path = Path(path)
    data = _read_bytes(path)
    with gc_paused():
        book = open_workbook(data)
        try:
            reply = ParsedReply(str(path), book.format)
            reply.notes.extend(book.safety.warnings)
            name_match = FILE_RE.search(path.stem)
            if name_match:
                reply.name_unit = name_match.group("unit").strip()
                reply.name_month = _valid(int(name_match.group("y")), int(name_match.group("m")))
            best: tuple[int, SheetData, int, dict[int, str]] | None = None
            for name in book.sheet_names:
                sheet = book.read_sheet(name)
                if name == IDENTITY_SHEET:
                    reply.stamp = _stamp(sheet)
                    continue
                found = _header(sheet)
                if found is None:
                    continue
                header_row, columns = found
                score = len(set(columns.values()))
                if best is None or score > best[0]:
                    best = (score, sheet, header_row, columns)
            if best is None:
                raise WorkbookRefused(
                    "没有找到月报表:没有哪个工作表有“本月进展”等填报列的表头。",
                    "No sheet has the reply's header.",
                )
            _, sheet, header_row, columns = best
            reply.sheet = sheet.name
            if book.safety.formula_counts.get(sheet.name):
                reply.notes.append("表中有公式:按Excel最后一次保存的计算结果读取。")
            _read_rows(reply, sheet, header_row, columns)
            return reply
        finally:
            book.close()


def _valid(y: int, m: int) -> tuple[int, int] | None:
    return (y, m) if 1 <= m <= 12 and 1990 <= y <= 2100 else None


def _stamp(sheet: SheetData) -> dict[str, str]:
    stamp: dict[str, str] = {}
    for values in sheet.rows[:20]:
        if len(values) >= 2:
            key, value = cell_text(values[0]).strip(), cell_text(values[1]).strip()
            if key and len(key) < 20:
                stamp[key] = value[:500]
    return stamp


def _header(sheet: SheetData) -> tuple[int, dict[int, str]] | None:
    """(0-based header row, column → field) of the row naming most fields; needs 本月进展 or the like."""
    best: tuple[int, dict[int, str]] | None = None
    for index, values in enumerate(sheet.rows[:HEADER_SCAN_ROWS]):
        columns: dict[int, str] = {}
        for col, value in enumerate(values):
            if value == "" or not isinstance(value, str) or len(value) > 40:
                continue
            name = header_field(value)
            if name and name not in columns.values():
                columns[col] = name
        if "progress" not in columns.values() or len(columns) < 2:
            continue
        if best is None or len(columns) > len(best[1]):
            best = (sheet.row0 + index, columns)
    return best


def _read_rows(reply: ParsedReply, sheet: SheetData, header_row: int, columns: dict[int, str]) -> None:
    from ledger_app.io.excel_in.reader import STRIDE

    reply.has_identity_column = "identity" in columns.values()
    # The title: the first text above the header.
    for r in range(sheet.row0, header_row):
        text = sheet.shown_text(r, 0).strip() or next(
            (cell_text(v).strip() for v in sheet.rows[r - sheet.row0] if cell_text(v).strip()), ""
        )
        if text:
            reply.title = text[:300]
            match = TITLE_RE.match(text)
            if match:
                reply.title_unit = match.group("unit").strip()
                reply.title_month = _valid(int(match.group("y")), int(match.group("m")))
            break
    seq_col = next((c for c, f in columns.items() if f == "seq"), None)
    group = ""
    for r in range(header_row + 1, sheet.end):
        row = ReplyRow(r + 1, group)
        merged_answers = False
        for col, name in columns.items():
            key = r * STRIDE + col
            anchor = sheet.covered.get(key)
            if anchor is not None and name in ANSWER_FIELDS:
                a_row, a_col = divmod(anchor, STRIDE)
                if a_col != col:
                    continue  # merged across columns: the text belongs to the column it starts in
                merged_answers = merged_answers or a_row != r
            text = sheet.shown_text(r, col).strip()
            if name == "identity":
                row.identity = text
            elif text:
                row.cells[name] = text
        if _is_group_row(sheet, r, seq_col, row):
            group = row.get("seq") or row.get("description")
            continue
        if not row.cells and not row.identity:
            continue
        if merged_answers:
            row.notes.append("填报列有跨行合并的单元格:合并格的内容按这一行也填写了读取")
        reply.rows.append(row)


def _is_group_row(sheet: SheetData, r: int, seq_col: int | None, row: ReplyRow) -> bool:
    from ledger_app.io.excel_in.reader import STRIDE

    """A heading row ("第二轮…督察 反馈问题"): one text merged across the row, or alone in the 序号 column."""
    if seq_col is None or row.identity:
        return False
    span = sheet.spans.get(r * STRIDE + seq_col)
    seq = row.get("seq")
    if span is not None and span[0] == r and span[1] - seq_col >= 3:
        return bool(seq)
    others = [k for k in row.cells if k != "seq"]
    return bool(seq) and not others and not re.fullmatch(r"[\d.、\-()()]+", seq)
