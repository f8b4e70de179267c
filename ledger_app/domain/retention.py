"""Which automatic backups to keep: the last few, one a day for a month, one a month for a year.

A pure decision over timestamps, so it can be tested over simulated months without touching a file.
The rules add up (a backup kept by any rule is kept):

* ``keep_last``: the newest N backups, whatever their age;
* ``keep_daily``: for each of the last N calendar days (today included), the newest backup of that day;
* ``keep_monthly``: for each of the last N calendar months (this month included), the newest of that month.

"The last N days" counts calendar days back from ``now``, not days that happen to have backups: a
ledger not opened for two months keeps one backup a month from that time, not thirty stale dailies.
A backup dated after ``now`` (a PC clock set wrong, then corrected) is always kept: its age is unknown.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import TypeVar

K = TypeVar("K", bound=Hashable)


@dataclass(frozen=True, slots=True)
class RetentionPolicy:
    keep_last: int = 10
    keep_daily: int = 30
    keep_monthly: int = 12

    def __post_init__(self) -> None:
        for name in ("keep_last", "keep_daily", "keep_monthly"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise ValueError(f"{name} must be a non-negative integer, not {value!r}")

    def describe(self) -> str:
        """For the clerk: "保留最近 10 份;30 天内每天 1 份;12 个月内每月 1 份"."""
        parts = [f"保留最近 {self.keep_last} 份"]
        if self.keep_daily:
            parts.append(f"{self.keep_daily} 天内每天 1 份")
        if self.keep_monthly:
            parts.append(f"{self.keep_monthly} 个月内每月 1 份")
        return ";".join(parts)


def _month_index(day: date) -> int:
    return day.year * 12 + day.month - 1


def backups_to_keep(backups: Iterable[tuple[K, datetime]], now: datetime, policy: RetentionPolicy) -> set[K]:
    """The keys of the backups ``policy`` keeps at ``now``; ``backups`` are (key, taken at) pairs.

    Ties (two backups with the same time) are broken by key so the answer never depends on order.
    """
    ordered = sorted(backups, key=lambda item: (item[1], item[0]), reverse=True)  # newest first
    keep: set[K] = {key for key, _when in ordered[: policy.keep_last]}
    keep |= {key for key, when in ordered if when > now}
    today = now.date()
    this_month = _month_index(today)
    seen_days: set[date] = set()
    seen_months: set[int] = set()
    for key, when in ordered:
        if when > now:
            continue
        day = when.date()
        if (today - day).days < policy.keep_daily and day not in seen_days:
            seen_days.add(day)
            keep.add(key)
        month = _month_index(day)
        if this_month - month < policy.keep_monthly and month not in seen_months:
            seen_months.add(month)
            keep.add(key)
    return keep
