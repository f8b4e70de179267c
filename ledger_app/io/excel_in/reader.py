"""Reading a workbook's sheets with python-calamine, after excel_in.safety has vetted the file.

In this process, not a child one: excel_in.safety says why (measured).

One reader for .xlsx, .xlsm and .xls: values and merged ranges of both. A sheet is read row by row
and reading stops after a long run of empty rows, so a sheet formatted down to row 1,048,576 costs
no more than its content.
"""

from __future__ import annotations

import contextlib
import io
from dataclasses import dataclass, field
from typing import Any

import python_calamine

from ledger_app.io.excel_in.cells import cell_text
from ledger_app.io.excel_in.safety import SafetyReport, UnsafeWorkbook, check_workbook
from ledger_app.io.import_plan import WorkbookRefused

MAX_EMPTY_RUN = 2_000  # consecutive empty rows after which the rest of a sheet is not read
MAX_COLS = 256  # no ledger is wider; columns beyond are not read (and the clerk is told)
MAX_ROWS = 200_000  # rows read per sheet: ten times the longest ledger (10,000 tasks, ~5 rows each)
MAX_COVERED_CELLS = 1_000_000  # cells inside merged ranges, within what is read
STRIDE = 1 << 14  # key of a cell in the merge map: row * STRIDE + column


@dataclass(slots=True)
class SheetData:
    """The read part of one sheet: rows of raw values, 0-based, columns padded to their real index."""

    name: str
    visible: bool
    rows: list[list[Any]]  # rows[i] is sheet row row0 + i
    row0: int
    width: int
    merges: list[tuple[int, int, int, int]]  # (r0, c0, r1, c1), 0-based, inclusive, clipped
    stopped_at: int | None = None  # 0-based row where a long empty run stopped the reading…
    resumes_at: int | None = None  # …and the 0-based row where content follows it, not read
    cut_columns: bool = False  # content beyond MAX_COLS was left out
    cut_rows: bool = False  # rows beyond MAX_ROWS were left out
    covered: dict[int, int] = field(default_factory=dict)  # merged cell key → its anchor's key
    spans: dict[int, tuple[int, int]] = field(default_factory=dict)  # anchor key → (last row, last col)

    @property
    def end(self) -> int:
        """0-based row after the last row read."""
        return self.row0 + len(self.rows)

    def raw(self, row: int, col: int) -> Any:
        index = row - self.row0
        if 0 <= index < len(self.rows):
            values = self.rows[index]
            if col < len(values):
                return values[col]
        return ""

    def anchor(self, row: int, col: int) -> tuple[int, int] | None:
        """The top-left cell of the merged range covering (row, col), if it is covered and not the anchor."""
        key = self.covered.get(row * STRIDE + col)
        return None if key is None else divmod(key, STRIDE)

    def shown(self, row: int, col: int) -> Any:
        """What the cell shows: its own value, or its merged range's value."""
        key = self.covered.get(row * STRIDE + col)
        if key is None:
            return self.raw(row, col)
        return self.raw(*divmod(key, STRIDE))

    def shown_text(self, row: int, col: int) -> str:
        return cell_text(self.shown(row, col))


@dataclass(slots=True)
class Workbook:
    format: str
    safety: SafetyReport
    sheet_names: list[str]
    visible: dict[str, bool]
    _book: Any = None

    def read_sheet(self, name: str) -> SheetData:
        try:
            sheet = self._book.get_sheet_by_name(name)
            return _read_sheet(sheet, name, self.visible.get(name, True))
        except WorkbookRefused:
            raise
        except BaseException as exc:  # the Rust reader's panics arrive as BaseException
            if isinstance(exc, KeyboardInterrupt | SystemExit):
                raise
            raise _corrupt(f"工作表「{name}」无法读取,文件可能已损坏。") from exc

    def close(self) -> None:
        # Closing twice, or after a failure, changes nothing.
        with contextlib.suppress(Exception):
            self._book.close()


def _corrupt(message_zh: str) -> WorkbookRefused:
    return WorkbookRefused(message_zh, "The workbook is damaged and cannot be read.")


def open_workbook(data: bytes) -> Workbook:
    """Vet and open a workbook held in memory. Raises WorkbookRefused with the reason."""
    try:
        safety = check_workbook(data)
    except UnsafeWorkbook as exc:
        raise WorkbookRefused(exc.message_zh, exc.message_en) from exc
    try:
        book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        metadata = book.sheets_metadata
    except python_calamine.PasswordError as exc:
        raise WorkbookRefused(
            "工作簿设置了密码,无法读取。请取消密码后再导入。", "The workbook is password-protected."
        ) from exc
    except BaseException as exc:  # see Workbook.read_sheet
        if isinstance(exc, KeyboardInterrupt | SystemExit):
            raise
        raise _corrupt("文件已损坏或不是有效的Excel工作簿,无法读取。") from exc
    names, visible = [], {}
    for meta in metadata:
        if meta.typ != python_calamine.SheetTypeEnum.WorkSheet:
            continue  # chart and macro sheets hold no table
        names.append(meta.name)
        visible[meta.name] = meta.visible == python_calamine.SheetVisibleEnum.Visible
    return Workbook(format=safety.format, safety=safety, sheet_names=names, visible=visible, _book=book)


def _read_sheet(sheet: Any, name: str, visible: bool) -> SheetData:
    start = sheet.start
    if start is None:  # an empty sheet: iter_rows would fail on it
        return SheetData(name, visible, [], 0, 0, [])
    row0, col0 = start
    end_col = sheet.end[1]
    keep = max(0, MAX_COLS - col0)
    pad = [""] * col0
    rows: list[list[Any]] = []
    cut = cut_rows = False
    empty_run = 0
    iterator = iter(sheet.iter_rows())
    for _ in range(row0):  # the reader yields the empty rows above the data first
        next(iterator, None)
    for index, values in enumerate(iterator):
        if len(values) > keep:
            if not cut and values[keep:].count("") != len(values) - keep:
                cut = True
            values = values[:keep]
        if values.count("") == len(values):
            empty_run += 1
            if empty_run >= MAX_EMPTY_RUN:
                break
        else:
            empty_run = 0
        if index >= MAX_ROWS:
            cut_rows = True
            break
        rows.append(pad + values if col0 else values)
    # Past a long empty run only look for more content (rows of empty strings cost no memory then).
    stopped_at = resumes_at = None
    if empty_run >= MAX_EMPTY_RUN:
        for index, values in enumerate(iterator, start=row0 + len(rows) + 1):
            if values.count("") != len(values):
                stopped_at, resumes_at = row0 + len(rows), index
                break
    # Trailing empty rows carry nothing; drop them so that row counts mean content.
    while rows and rows[-1].count("") == len(rows[-1]):
        rows.pop()
    width = min(MAX_COLS, end_col + 1)
    data = SheetData(name, visible, rows, row0, width, [], stopped_at, resumes_at, cut, cut_rows)
    _add_merges(data, sheet.merged_cell_ranges or [])
    return data


def _add_merges(data: SheetData, ranges: list[tuple[tuple[int, int], tuple[int, int]]]) -> None:
    last = data.end - 1
    clipped = []
    total = 0
    for (ra, ca), (rb, cb) in ranges:
        r0, r1 = min(ra, rb), max(ra, rb)
        c0, c1 = min(ca, cb), max(ca, cb)
        if r0 > last or c0 >= data.width or (r0 == r1 and c0 == c1):
            continue
        r1, c1 = min(r1, last), min(c1, data.width - 1)
        clipped.append((r0, c0, r1, c1))
        total += (r1 - r0 + 1) * (c1 - c0 + 1)
    if total > MAX_COVERED_CELLS:
        raise _corrupt("工作表中的合并单元格范围异常(覆盖的单元格过多),文件已损坏或被篡改。")
    covered = data.covered
    for r0, c0, r1, c1 in clipped:
        anchor = r0 * STRIDE + c0
        data.spans.setdefault(anchor, (r1, c1))
        for row in range(r0, r1 + 1):
            base = row * STRIDE
            for col in range(c0, c1 + 1):
                key = base + col
                if key != anchor:
                    # Overlapping ranges are invalid in Excel; the first one read wins.
                    covered.setdefault(key, anchor)
    data.merges = clipped
