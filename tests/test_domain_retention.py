"""Backup rotation over simulated months: exactly the promised set is kept (expected sets worked out by hand)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from ledger_app.domain.retention import RetentionPolicy, backups_to_keep


def _days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute)


def test_one_backup_a_day_for_half_a_year_in_one_pass() -> None:
    taken = [_at(d, 9) for d in _days(date(2026, 1, 1), date(2026, 6, 30))]
    kept = backups_to_keep(((t, t) for t in taken), datetime(2026, 6, 30, 12), RetentionPolicy())
    # Daily: 1–30 June (30 calendar days back from the 30th); the last 10 fall inside them.
    # Monthly: the newest of January to May; June's is the 30th, already kept.
    expected = {_at(d, 9) for d in _days(date(2026, 6, 1), date(2026, 6, 30))} | {
        datetime(2026, 1, 31, 9),
        datetime(2026, 2, 28, 9),
        datetime(2026, 3, 31, 9),
        datetime(2026, 4, 30, 9),
        datetime(2026, 5, 31, 9),
    }
    assert kept == expected
    assert len(kept) == 35


def test_rotation_applied_after_every_backup_three_a_day_for_fourteen_months() -> None:
    """What the program does: rotate after each new backup, with the backup's own time as 'now'."""
    policy = RetentionPolicy()
    present: set[datetime] = set()
    for day in _days(date(2025, 1, 1), date(2026, 3, 15)):
        for hour in (9, 13, 17):
            now = _at(day, hour)
            present.add(now)
            keep = backups_to_keep(((t, t) for t in present), now, policy)
            assert now in keep  # the one just made is never the one deleted
            present &= keep
    # At 2026-03-15 17:00:
    # last 10: 15th 17/13/9, 14th 17/13/9, 13th 17/13/9, 12th 17;
    # daily: the 17:00 of 14 Feb … 15 Mar (30 calendar days; February 2026 has 28);
    # monthly: April 2025 … March 2026 (12 months), the newest of each = the month's last day at 17:00;
    # January–March 2025 fell out of the twelve months.
    expected = {
        datetime(2026, 3, 15, 9),
        datetime(2026, 3, 15, 13),
        datetime(2026, 3, 14, 9),
        datetime(2026, 3, 14, 13),
        datetime(2026, 3, 13, 9),
        datetime(2026, 3, 13, 13),
    }
    expected |= {_at(d, 17) for d in _days(date(2026, 2, 14), date(2026, 3, 15))}
    expected |= {
        datetime(2025, 4, 30, 17),
        datetime(2025, 5, 31, 17),
        datetime(2025, 6, 30, 17),
        datetime(2025, 7, 31, 17),
        datetime(2025, 8, 31, 17),
        datetime(2025, 9, 30, 17),
        datetime(2025, 10, 31, 17),
        datetime(2025, 11, 30, 17),
        datetime(2025, 12, 31, 17),
        datetime(2026, 1, 31, 17),
    }
    assert present == expected
    assert len(present) == 46


def test_a_ledger_left_alone_for_two_months() -> None:
    taken = [_at(d, 10) for d in _days(date(2025, 12, 1), date(2026, 1, 10))] + [datetime(2026, 3, 20, 10)]
    kept = backups_to_keep(((t, t) for t in taken), datetime(2026, 3, 20, 10), RetentionPolicy())
    # last 10: 20 March and 2–10 January; daily: only 20 March is within 30 days;
    # monthly: December's newest (the 31st), January's (the 10th), March's (the 20th).
    expected = {datetime(2026, 3, 20, 10), datetime(2025, 12, 31, 10)} | {
        _at(d, 10) for d in _days(date(2026, 1, 2), date(2026, 1, 10))
    }
    assert kept == expected


def test_a_smaller_policy() -> None:
    policy = RetentionPolicy(keep_last=3, keep_daily=7, keep_monthly=2)
    taken = [_at(d, h) for d in _days(date(2026, 4, 20), date(2026, 5, 12)) for h in (8, 18)]
    kept = backups_to_keep(((t, t) for t in taken), datetime(2026, 5, 12, 20), policy)
    # last 3: 12th 18/8, 11th 18; daily: 6–12 May at 18:00; monthly: April 30 18:00 (May's is the 12th).
    expected = {datetime(2026, 5, 12, 8), datetime(2026, 4, 30, 18)} | {
        _at(d, 18) for d in _days(date(2026, 5, 6), date(2026, 5, 12))
    }
    assert kept == expected


def test_backups_dated_in_the_future_are_kept_and_zero_rules_keep_only_the_last() -> None:
    now = datetime(2026, 5, 1, 12)
    taken = {
        "a": datetime(2026, 4, 1, 9),
        "b": datetime(2026, 4, 30, 9),
        "future": datetime(2027, 1, 1, 9),  # the PC's clock was wrong when it was taken
    }
    policy = RetentionPolicy(keep_last=1, keep_daily=0, keep_monthly=0)
    assert backups_to_keep(taken.items(), now, policy) == {"future"}
    policy = RetentionPolicy(keep_last=2, keep_daily=0, keep_monthly=0)
    assert backups_to_keep(taken.items(), now, policy) == {"future", "b"}


def test_same_time_is_decided_by_key_not_by_order() -> None:
    when = datetime(2026, 5, 1, 9)
    policy = RetentionPolicy(keep_last=1, keep_daily=0, keep_monthly=0)
    assert backups_to_keep([("x", when), ("y", when)], when, policy) == {"y"}
    assert backups_to_keep([("y", when), ("x", when)], when, policy) == {"y"}


@pytest.mark.parametrize("bad", [-1, 1.5, True, "3"])
def test_policy_numbers_are_checked(bad: object) -> None:
    with pytest.raises(ValueError):
        RetentionPolicy(keep_last=bad)  # type: ignore[arg-type]


def test_policy_description() -> None:
    assert RetentionPolicy().describe() == "保留最近 10 份;30 天内每天 1 份;12 个月内每月 1 份"
