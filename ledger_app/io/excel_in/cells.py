"""Cell values as the importer needs them: clean text, identifiers, header keys, column letters."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta

# Excel's own limit on the characters in one cell; anything longer did not come from Excel.
MAX_CELL_CHARS = 32_767

# Control characters a workbook or the database should never carry (tab and newline are kept);
# they come from pasted text and would make the monthly export fail later, far from their source.
_CONTROL_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
_OUTER_SPACE = " \t\r\n\u3000\xa0\u2002\u2003\u2009\u200b\ufeff"

_FULLWIDTH = str.maketrans(
    {
        **{chr(0xFF10 + i): str(i) for i in range(10)},
        "（": "(",
        "）": ")",
        "：": ":",
        "．": ".",
    }
)
_HEADER_DROP_RE = re.compile(r"[\s\u3000\xa0*※★▲△●·]+")
_SEQ_TRAIL_RE = re.compile(r"[.、,，;；]+$")
_INT_FLOAT_RE = re.compile(r"\d+\.0+", re.ASCII)


def cell_text(value: object) -> str:
    """The text a clerk sees in the cell: numbers without ".0", dates as ISO, controls removed."""
    if value is None or value == "":
        return ""
    if type(value) is str:
        # isprintable() is a fast pre-check: only text with newlines or controls needs the regex.
        if not value.isprintable():
            if "\r" in value:
                value = value.replace("\r\n", "\n").replace("\r", "\n")
            # Line breaks and tabs make most cells "unprintable"; look for controls only past them.
            if not value.replace("\n", "").replace("\t", "").isprintable() and _CONTROL_RE.search(value):
                value = _CONTROL_RE.sub("", value)
        return value.strip(_OUTER_SPACE)
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, datetime):
        if value.time() == time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ", timespec="minutes")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return value.isoformat(timespec="minutes")
    if isinstance(value, timedelta):
        return str(value)
    return str(value).strip()


def identifier_text(value: object) -> str:
    """A 序号 or 编号: 1.0 from .xlsx and 1 from .xls are both "1"; "1、" and "１" are "1" too."""
    text = cell_text(value).translate(_FULLWIDTH)
    text = "".join(text.split())
    text = _SEQ_TRAIL_RE.sub("", text)
    if _INT_FLOAT_RE.fullmatch(text):
        text = text.split(".", 1)[0]
    return text


def header_key(text: str) -> str:
    """Header text compared the way a person reads it: "序 号", "整改\\n时限", "*责任单位:" match."""
    text = _HEADER_DROP_RE.sub("", text.translate(_FULLWIDTH))
    return text.rstrip(":")


def col_letter(index: int) -> str:
    """0 → "A", 27 → "AB"."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters
