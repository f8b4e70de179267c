"""整改进展 cells written as dated entries, as the monthly report writes them, read back into entries.

The report's 本月进展 holds either the month's entries, one "M月D日:text" each (an entry may run
over several lines), or the latest earlier entry as "(截至YYYY年M月D日)text". The year of "M月D日"
comes from the report's 报告期 line ("报告期:2026年10月"); a month after the report's month is
taken from the year before. Any other text is no dated entry: the caller keeps it as one entry on
the date the clerk gives.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date

_SINCE_RE = re.compile(r"[(（]截至\s*(\d{4})年(\d{1,2})月(\d{1,2})日[)）]")
# "M月D日:" as the report writes it; offices also write "2024年3月5日," and "2024.3.5:".
_ENTRY_RE = re.compile(
    r"(?:(?:(?P<y>\d{4})年)?(?P<m>\d{1,2})月(?P<d>\d{1,2})日[:：,，]"
    r"|(?P<y2>\d{4})(?P<sep>[./-])(?P<m2>\d{1,2})(?P=sep)(?P<d2>\d{1,2})日?[:：,，\s])"
)
_PERIOD_RE = re.compile(r"报告期\s*[:：]\s*(\d{4})\s*年\s*(\d{1,2})\s*月")

Period = tuple[int, int]  # (year, month) of the report


def report_period(lines: Iterable[str]) -> Period | None:
    """The (year, month) a report's "报告期:2026年10月" line names, if any."""
    for line in lines:
        match = _PERIOD_RE.search(line)
        if match is not None and 1 <= int(match[2]) <= 12:
            return int(match[1]), int(match[2])
    return None


def _day(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def dated_entries(text: str, period: Period | None) -> list[tuple[date, str]] | None:
    """The dated entries ``text`` holds, oldest first as written; None when it is not in that shape."""
    since = _SINCE_RE.match(text)
    if since is not None:
        day = _day(int(since[1]), int(since[2]), int(since[3]))
        rest = text[since.end() :].strip()
        return [(day, rest)] if day is not None and rest else None
    if _ENTRY_RE.match(text) is None:
        return None
    entries: list[tuple[date, list[str]]] = []
    for line in text.split("\n"):
        match = _ENTRY_RE.match(line)
        if match is None:
            if not entries:
                return None
            entries[-1][1].append(line)  # an entry over several lines
            continue
        if match["m"] is not None:
            given_year, month, day_of_month = match["y"], int(match["m"]), int(match["d"])
        else:
            given_year, month, day_of_month = match["y2"], int(match["m2"]), int(match["d2"])
        if given_year is not None:
            year = int(given_year)
        elif period is not None:
            year = period[0] if month <= period[1] else period[0] - 1
        else:
            return None  # no year anywhere: leave the text whole
        day = _day(year, month, day_of_month)
        if day is None:
            return None
        entries.append((day, [line[match.end() :]]))
    result = [(day, "\n".join(lines).strip()) for day, lines in entries]
    return result if all(text for _, text in result) else None
