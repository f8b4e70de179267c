"""Deadlines (整改时限) as offices write them: a date, "long-term", or text we did not understand."""

from __future__ import annotations

import math
import numbers
import re
from calendar import monthrange
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal


@dataclass(frozen=True, slots=True)
class Deadline:
    """A parsed 整改时限. ``text`` is always what the office wrote, unchanged."""

    text: str
    date: date | None = None
    long_term: bool = False

    @property
    def is_empty(self) -> bool:
        return not self.text.strip() and self.date is None and not self.long_term

    @property
    def understood(self) -> bool:
        """False for text that is neither a date nor a long-term form (kept, but reported)."""
        return self.is_empty or self.long_term or self.date is not None

    @property
    def key(self) -> str | None:
        """Stable form for the JSON dump: ``YYYY-MM-DD``, ``long-term`` or None."""
        if self.long_term:
            return "long-term"
        return self.date.isoformat() if self.date else None

    def describe(self) -> str:
        """What the parser understood, in Chinese, for the clerk to check."""
        if self.long_term:
            return "长期坚持(无截止日期)"
        if self.date is not None:
            return f"截止 {self.date.year}年{self.date.month}月{self.date.day}日"
        if self.is_empty:
            return "未填写"
        return "未能识别的时限,按原文保存"


# Accepting a year outside this window would hide typos such as "2202年" behind a valid-looking date.
MIN_YEAR = 1990
MAX_YEAR = 2100

# Excel's 1900 date system counts from 1899-12-30 (the epoch absorbs its fictitious 1900-02-29).
EXCEL_EPOCH = date(1899, 12, 30)
MIN_SERIAL = (date(MIN_YEAR, 1, 1) - EXCEL_EPOCH).days
MAX_SERIAL = (date(MAX_YEAR, 12, 31) - EXCEL_EPOCH).days

# Offices type on Chinese IMEs, so digits and punctuation arrive full-width as often as not, and
# spaces (ASCII, ideographic, non-breaking) land anywhere; one translate() pass undoes all of it.
_NORMALIZE = str.maketrans(
    {
        **{chr(0xFF10 + i): str(i) for i in range(10)},
        "．": ".",
        "／": "/",
        "－": "-",
        "‐": "-",
        "‑": "-",
        "‒": "-",
        "–": "-",
        "—": "-",
        "−": "-",
        "，": ",",
        "；": ";",
        "号": "日",
        **dict.fromkeys(" \t\r\n\f\v\u3000\xa0\u2002\u2003\u2009\u200b\ufeff"),
    }
)

# Longer words first so that "长期坚持" is not read as "长期" followed by stray text.
_LONG_TERM_WORD = "(?:立行立改|立查立改|即知即改|立即整改|长期坚持|长期推进|长效推进|持续推进|持续整改|常抓不懈|常态化推进|常态化|长期)"
_LONG_TERM_CHAIN = rf"{_LONG_TERM_WORD}(?:[,、;]?并?{_LONG_TERM_WORD})*"
_LONG_TERM_RE = re.compile(rf"{_LONG_TERM_CHAIN}[。.]?")

_DATE_RE = re.compile(
    rf"""
    (?:{_LONG_TERM_CHAIN}[,、;]?)?
    于?
    (?P<y>\d{{4}})
    (?:
        年(?:
            (?P<m>\d{{1,2}})月(?:(?P<d>\d{{1,2}})日?)?
          | (?P<half>[上下])半年
          | 第?(?P<q>[1-4一二三四])季度?
          | (?:度内?|内|年(?=[底末]))?
        )
      | (?P<sep>[./-])(?P<m2>\d{{1,2}})(?:(?P=sep)(?P<d2>\d{{1,2}})日?)?
      | (?P<m3>\d{{2}})(?P<d3>\d{{2}})
    )
    (?P<end>[底末])?
    (?:以前|之前|前)?
    (?:完成整改|完成)?
    (?:[,、;]?并?{_LONG_TERM_CHAIN})?
    [。.]?
    """,
    # ASCII: \d must not take Arabic-Indic or other digits that the normalizer never saw.
    re.VERBOSE | re.ASCII,
)

_SERIAL_RE = re.compile(r"\d{5}(?:\.\d+)?", re.ASCII)

_QUARTERS = {"1": 1, "2": 2, "3": 3, "4": 4, "一": 1, "二": 2, "三": 3, "四": 4}


def _month_end(year: int, month: int) -> date | None:
    if not 1 <= month <= 12:
        return None
    return date(year, month, monthrange(year, month)[1])


def _date_from_match(match: re.Match[str]) -> date | None:
    year = int(match["y"])
    if not MIN_YEAR <= year <= MAX_YEAR:
        return None
    day: str | None = None
    if match["m"] is not None:
        month, day = int(match["m"]), match["d"]
    elif match["m2"] is not None:
        month, day = int(match["m2"]), match["d2"]
    elif match["m3"] is not None:
        month, day = int(match["m3"]), match["d3"]
    elif match["half"] is not None:
        month = 6 if match["half"] == "上" else 12
    elif match["q"] is not None:
        month = 3 * _QUARTERS[match["q"]]
    else:
        month = 12
    if day is None:
        return _month_end(year, month)
    # "30日底" is not something anyone means; refuse it rather than pick a reading.
    if match["end"] is not None:
        return None
    try:
        return date(year, month, int(day))
    except ValueError:
        return None


def _date_from_serial(serial: float) -> date | None:
    if not math.isfinite(serial):
        return None
    # A fractional part is the time of day, which a deadline does not care about.
    days = math.floor(serial)
    if not MIN_SERIAL <= days <= MAX_SERIAL:
        return None
    return EXCEL_EPOCH + timedelta(days=days)


def _number_text(value: numbers.Real | Decimal) -> str:
    # Excel hands whole numbers back as floats; "2023" is what the clerk typed, not "2023.0".
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return str(value)


def _parse_text(text: str) -> Deadline:
    normalized = text.translate(_NORMALIZE)
    # isspace() catches the odd separator characters the table does not remove.
    if not normalized or normalized.isspace():
        return Deadline("")
    match = _DATE_RE.fullmatch(normalized)
    if match is not None:
        return Deadline(text, _date_from_match(match))
    if _LONG_TERM_RE.fullmatch(normalized):
        return Deadline(text, long_term=True)
    if _SERIAL_RE.fullmatch(normalized):
        return Deadline(text, _date_from_serial(float(normalized)))
    return Deadline(text)


def parse_deadline(value: object) -> Deadline:
    """Read a 整改时限 cell: text in any of the offices' usual forms, a date cell, or an Excel serial.

    Never guesses: whatever is not clearly a date or a long-term form comes back with
    ``understood`` False and the original text kept, so the clerk can be told about it.
    """
    if isinstance(value, str):
        return _parse_text(value)
    if value is None:
        return Deadline("")
    if isinstance(value, Deadline):
        return value
    if isinstance(value, datetime):
        day = value.date()
        return Deadline(day.isoformat(), day)
    if isinstance(value, date):
        return Deadline(value.isoformat(), value)
    # bool is an int, but True in a deadline column is no serial number. Decimal is no numbers.Real,
    # yet database drivers and some spreadsheet readers hand numbers over that way.
    if isinstance(value, numbers.Real | Decimal) and not isinstance(value, bool):
        try:
            serial = float(value)
        except ValueError:  # Decimal("sNaN") refuses to become a float.
            return Deadline(_number_text(value))
        serial_date = _date_from_serial(serial)
        if serial_date is None:
            return Deadline(_number_text(value))
        return Deadline(serial_date.isoformat(), serial_date)
    return Deadline(str(value))
