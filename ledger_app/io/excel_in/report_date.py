"""The date a ledger sheet was filled in (填报时间 / 填报日期 / 截至…), found in its title lines or in
the lines under the table, so that undated progress text is dated as the sheet says, not "today".

Offices write it as "填报时间:2022年11月30日", "填报日期 2022.11.30", "报送日期:2022-11-30", or give the
cut-off instead: "(截至2022年11月30日)" in the title, "截至2022年11月底" under the table. A named
填报/报送 date wins over a cut-off; among equals the first line (top of the sheet first) wins. A
month without a day ("截至2022年11月", "11月底") is that month's last day. No year, no date.
"""

from __future__ import annotations

import re
from calendar import monthrange
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from ledger_app.domain.dates import normalize_typed
from ledger_app.domain.deadlines import MAX_YEAR, MIN_YEAR

# The keyword, then what offices put between it and the date: a colon, "为", "于", a bracket.
_FILLED = r"(?:填报|填表|报送|上报|统计|报告)(?:时间|日期)"
_CUTOFF = r"(?:数据)?截[至止](?:时间|日期)?"
_DATE = (
    r"(?P<y>\d{4})(?:年|[./-])(?P<m>\d{1,2})"
    r"(?:(?:月|[./-])(?:(?P<d>\d{1,2})[日号]?|(?P<end>[底末]))?|(?P<end2>[底末]))?"
)
_LINE_RE = re.compile(rf"(?P<word>{_FILLED}|{_CUTOFF})[:\uff1a(\uff08\[【]?(?:为|是|于|到)?{_DATE}", re.ASCII)
# A line under the table that is only a cut-off date ("截至2022年11月底"): the table's end, not a task.
CUTOFF_LINE_RE = re.compile(rf"{_CUTOFF}[:\uff1a]?{_DATE}[。.]?", re.ASCII)
_PRIORITY = {True: 0, False: 1}  # a named 填报 date (True) before a cut-off


@dataclass(frozen=True, slots=True)
class ReportDate:
    day: date
    line: str  # the line it was read from, as written (for the clerk to check)
    word: str  # 填报时间, 截至 …

    def describe(self) -> str:
        """ "表中填报时间:2022年11月30日" — what the wizard and the CLI say about it."""
        return f"表中{self.word}:{self.day.year}年{self.day.month}月{self.day.day}日"


def _day(match: re.Match[str]) -> date | None:
    year, month = int(match["y"]), int(match["m"])
    if not MIN_YEAR <= year <= MAX_YEAR or not 1 <= month <= 12:
        return None
    last = monthrange(year, month)[1]
    if match["d"] is None:
        return date(year, month, last)
    day = int(match["d"])
    return date(year, month, day) if 1 <= day <= last else None


def find_report_date(lines: Iterable[str]) -> ReportDate | None:
    """The sheet's 填报 date from its title lines and the lines under its table, or None."""
    best: tuple[int, int, ReportDate] | None = None
    for order, line in enumerate(lines):
        text = normalize_typed(line)
        for match in _LINE_RE.finditer(text):
            day = _day(match)
            if day is None:
                continue
            named = not match["word"].startswith(("截", "数据"))
            key = (_PRIORITY[named], order)
            word = match["word"] if named else "截至"
            if best is None or key < best[:2]:
                best = (*key, ReportDate(day, line.strip(), word))
    return best[2] if best is not None else None
