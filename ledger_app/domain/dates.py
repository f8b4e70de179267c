"""Days as clerks type them (2025-12-20, 2025.12.20, 2025年12月20日, 20251220, full-width digits),
and the rule for progress dated after today.

One parser for every date field of the app (the GUI's date entry, the dialogs, the CLI), so that a
form accepted in one place is accepted everywhere and a refusal always says why. Deadlines
(整改时限) have their own, looser reader in deadlines.py: "2026年底" is a deadline, not a day.
"""

from __future__ import annotations

import re
from calendar import monthrange
from dataclasses import dataclass
from datetime import date, timedelta
from enum import Enum

from .deadlines import _NORMALIZE, MAX_YEAR, MIN_YEAR
from .errors import ValidationError

MAX_SHOWN = 30
MAX_TEXT = 60  # "２０２５ 年 １２ 月 ２０ 日 ００：００：００" with spaces is well under it
EXAMPLES = "2025-12-20、2025.12.20、2025/12/20、2025年12月20日 或 20251220"

# A time of day pasted along from Excel ("2025-12-20 00:00:00") says nothing more about the day.
# (Unicode \d and \s on purpose: it runs before full-width digits and spaces are normalized.)
_TIME_RE = re.compile(r"\s+\d{1,2}[:：]\d{2}(?:[:：]\d{2}(?:\.\d+)?)?\s*$")
_DAY_RE = re.compile(
    r"""
    (?P<y>\d{4})
    (?:
        [-./](?P<m>\d{1,2})[-./](?P<d>\d{1,2})日?
      | 年(?P<m2>\d{1,2})月(?P<d2>\d{1,2})日?
      | (?P<m3>\d{2})(?P<d3>\d{2})
    )
    """,
    re.VERBOSE | re.ASCII,
)
# Digits with something else: enough to tell the clerk which part is wrong rather than "not a date".
_PARTS_RE = re.compile(r"\d+", re.ASCII)


def _refuse(shown: str, why: str) -> ValidationError:
    return ValidationError(f"{shown} 不是有效日期:{why}", f"{shown!r} is not a valid date: {why}")


def normalize_typed(text: str) -> str:
    """Full-width digits and separators as ASCII, every kind of space removed (what IMEs type)."""
    return text.translate(_NORMALIZE)


def parse_day(text: str) -> date:
    """The day ``text`` names; raises ValidationError saying why in Chinese when it names none.

    Accepts 2025-12-20, 2025.12.20, 2025/12/20, 2025年12月20日 (日 or 号 optional), 20251220, with
    full-width digits and separators and spaces anywhere; years outside 1990–2100 are refused (a
    typo such as 2202 must not pass as a date).
    """
    shown = " ".join(str(text).split())
    if len(shown) > MAX_SHOWN:  # a paragraph pasted into a date field is not repeated back whole
        shown = shown[:MAX_SHOWN] + "…"
    if not shown:
        raise ValidationError("请填写日期。", "date is empty")
    stripped = str(text).strip()
    if len(stripped) > MAX_TEXT:  # no way of writing a day is this long; and the regexes stay linear
        raise _refuse(shown, f"请写成 {EXAMPLES}")
    normalized = _TIME_RE.sub("", stripped).translate(_NORMALIZE)
    match = _DAY_RE.fullmatch(normalized)
    if match is None:
        parts = _PARTS_RE.findall(normalized)
        if len(parts) == 3 and len(parts[0]) <= 2 and len(parts[2]) == 4:
            why = "年份请写在最前面,如 2025-12-20"
        elif len(parts) == 3 and len(parts[0]) <= 2 and len(parts[2]) <= 2:
            why = "年份请写全四位,如 2025"
        elif len(parts) == 2 and len(parts[0]) == 4 and len(parts[1]) <= 2:
            why = "只有年和月,请写出是哪一天"
        else:
            why = f"请写成 {EXAMPLES}"
        raise _refuse(shown, why)
    year = int(match["y"])
    month = int(match["m"] or match["m2"] or match["m3"])
    day = int(match["d"] or match["d2"] or match["d3"])
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise _refuse(shown, f"年份应在 {MIN_YEAR}–{MAX_YEAR} 之间")
    if not 1 <= month <= 12:
        raise _refuse(shown, "月份应为 1–12")
    last = monthrange(year, month)[1]
    if not 1 <= day <= last:
        raise _refuse(shown, f"{year}年{month}月只有 {last} 天")
    return date(year, month, day)


def parse_optional_day(text: str) -> date | None:
    """As ``parse_day``, but empty text (an optional field left blank) is None."""
    return parse_day(text) if str(text).strip() else None


# -- progress dated after today ------------------------------------------------------------------
MAX_FUTURE_DAYS = 31  # a progress report planned for the coming month is plausible; later is a typo


class Future(Enum):
    """What to do with a progress entry's date, compared with today."""

    OK = "ok"  # today or earlier
    CONFIRM = "confirm"  # 1..31 days ahead: the clerk must say it is meant
    REFUSE = "refuse"  # more than a month ahead


class FutureDateUnconfirmed(ValidationError):
    """A progress date 1..31 days ahead given without the clerk's confirmation (``confirm_future``)."""


@dataclass(frozen=True, slots=True)
class FutureCheck:
    verdict: Future
    days_ahead: int
    message_zh: str = ""


def check_progress_day(day: date, today: date) -> FutureCheck:
    """The one rule for progress dated after today, followed by the GUI, the CLI and imports."""
    ahead = (day - today).days
    if ahead <= 0:
        return FutureCheck(Future.OK, ahead)
    shown = f"{day.year}年{day.month}月{day.day}日"
    if ahead > MAX_FUTURE_DAYS:
        latest = today + timedelta(days=MAX_FUTURE_DAYS)
        return FutureCheck(
            Future.REFUSE,
            ahead,
            f"进展日期太靠后:{shown} 比今天晚 {ahead} 天,超过一个月,不予保存"
            f"(最晚可填 {latest.year}年{latest.month}月{latest.day}日)。请检查年份和月份。",
        )
    return FutureCheck(
        Future.CONFIRM, ahead, f"进展日期 {shown} 晚于今天({ahead} 天后)。确定按这个日期填报吗?"
    )
