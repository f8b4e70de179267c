"""Text for spreadsheet cells: what a cell can hold, and how tall a row must be to show it.

Excel, WPS and LibreOffice never size rows written by a library when they open a file (they only do
so when a cell is edited), so wrapped text would print clipped unless we set each row's height from
an estimate of its wrapped lines.
"""

from __future__ import annotations

import math
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

# Excel's limits: characters in one cell (counted in UTF-16 units) and the height of one row.
MAX_CELL_CHARS = 32_767
MAX_ROW_HEIGHT = 409.0

# What XML 1.0 cannot carry: openpyxl's own set of control characters, plus lone surrogates and the
# two non-characters, which would otherwise fail only at save time, or make Excel refuse the file.
_UNSAVEABLE_RE = re.compile(ILLEGAL_CHARACTERS_RE.pattern + "|[\ud800-\udfff\ufffe\uffff]")

# A text starting with one of these is a formula, or becomes one when a user edits the cell.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True, slots=True)
class CellText:
    text: str
    dropped: int = 0  # characters removed because a workbook cannot hold them
    cut_from: int = 0  # original length when the text was cut to Excel's limit, else 0


def clean_cell_text(value: str) -> CellText:
    """``value`` as a cell can hold it: unsaveable characters dropped, cut to Excel's cell limit."""
    dropped = 0
    if _UNSAVEABLE_RE.search(value):
        value, dropped = _UNSAVEABLE_RE.subn("", value)
    # Characters outside the BMP count twice in Excel's limit; only long texts need the exact count.
    if len(value) > MAX_CELL_CHARS // 2 and _utf16_len(value) > MAX_CELL_CHARS:
        original = len(value)
        value = _cut_utf16(value, MAX_CELL_CHARS)
        return CellText(value, dropped, original)
    return CellText(value, dropped)


def _utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _cut_utf16(text: str, limit: int) -> str:
    # Counted character by character: a text of fewer characters than ``limit`` can still exceed it
    # (e.g. 16,384 characters beyond the BMP), and cutting at an index computed from ``limit`` then
    # never shortened it (the export hung).
    units = 0
    for index, char in enumerate(text):
        units += 2 if ord(char) > 0xFFFF else 1
        if units > limit:
            return text[:index]
    return text


def needs_quote_prefix(text: str) -> bool:
    """True when a spreadsheet program would read the text as a formula if the user re-entered it."""
    return text.startswith(FORMULA_TRIGGERS)


def text_width(line: str) -> float:
    """Width of one line in Excel column units: CJK and full-width characters 2, ASCII 1.

    One ``encode`` instead of a loop over characters: UTF-8 spends 3 bytes on CJK and full-width
    punctuation and 1 on ASCII, so (bytes + chars) / 2 gives 2 and 1; the 2-byte characters (·, ×, °,
    Greek, Cyrillic) land at 1.5, between their widths in a Song face and in a Latin one.
    """
    return (len(line.encode("utf-8", "surrogatepass")) + len(line)) / 2


def wrapped_lines(text: str, column_width: float) -> int:
    """Lines a wrapped cell of ``column_width`` needs: explicit breaks, then wrapping at the width."""
    # A cell loses about one unit to its padding; wrapping at word and punctuation boundaries loses
    # a little more at each line end, which the 0.95 allows for.
    capacity = max(1.0, (column_width - 1.0) * 0.95)
    if "\n" not in text:
        if len(text) * 2.5 <= capacity:  # no character is wider than 2.5 units: one line, no need to measure
            return 1
        return math.ceil(text_width(text) / capacity)
    return sum(max(1, math.ceil(text_width(line) / capacity)) for line in text.split("\n"))


def height_for_lines(lines: int, line_height: float, padding: float = 4.0) -> float:
    """Height in points for ``lines`` lines, capped at Excel's 409 pt.

    A cell whose text needs more than the cap still holds all of it (select it to read it all);
    only the printed row is limited, which Excel and WPS would do as well.
    """
    return min(MAX_ROW_HEIGHT, lines * line_height + padding)


def keep_carriage_returns(path: Path) -> None:
    """Write carriage returns in the worksheets as ``&#13;`` so that they survive a reader.

    openpyxl writes a CR inside cell text as a raw byte, and every XML parser turns a raw CR into a
    line feed; the character reference keeps it. A raw CR can only come from text content (XML
    attributes escape it already), and ``&#13;`` means the same there, so the replacement is exact.
    The workbook is rewritten entry by entry into a sibling file, then swapped in. When that fails
    (a full disk: the copy needs as much room again), the sibling is removed before the error goes
    on, so that the caller, which removes ``path``, leaves nothing behind.
    """
    rewritten = path.with_name(path.name + ".cr")
    try:
        with zipfile.ZipFile(path) as src, zipfile.ZipFile(rewritten, "w", zipfile.ZIP_DEFLATED) as dst:
            for info in src.infolist():
                data = src.read(info)
                if info.filename.startswith("xl/worksheets/") and b"\r" in data:
                    data = data.replace(b"\r", b"&#13;")
                dst.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED)
        rewritten.replace(path)
    except BaseException:
        rewritten.unlink(missing_ok=True)
        raise
