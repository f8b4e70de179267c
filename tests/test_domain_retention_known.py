"""Backup retention at its edges (issue 24): keys that do not sort like times, a backup taken at the very
moment of the rotation, one dated in the future with no "last N" rule, months across years."""

from __future__ import annotations

from datetime import datetime

from ledger_app.domain.retention import RetentionPolicy, backups_to_keep

NOW = datetime(2026, 3, 20, 12)


def test_the_newest_is_decided_by_time_not_by_key() -> None:
    taken = [("a-newest", datetime(2026, 3, 20, 9)), ("b-older", datetime(2026, 3, 19, 9))]
    assert backups_to_keep(taken, NOW, RetentionPolicy(keep_last=1, keep_daily=0, keep_monthly=0)) == {
        "a-newest"
    }


def test_a_backup_dated_in_the_future_is_kept_without_any_last_rule() -> None:
    taken = [("future", datetime(2026, 6, 1)), ("old", datetime(2025, 1, 1))]
    assert backups_to_keep(taken, NOW, RetentionPolicy(keep_last=0, keep_daily=0, keep_monthly=0)) == {
        "future"
    }
    # It takes no day's or month's place either: the newest of today is still kept.
    taken = [("future", datetime(2026, 3, 20, 18)), ("today", datetime(2026, 3, 20, 8))]
    assert backups_to_keep(taken, NOW, RetentionPolicy(keep_last=0, keep_daily=1, keep_monthly=0)) == {
        "future",
        "today",
    }


def test_a_backup_taken_at_the_moment_of_the_rotation_counts_for_its_day() -> None:
    taken = [("now", NOW), ("earlier", datetime(2026, 3, 20, 8))]
    assert backups_to_keep(taken, NOW, RetentionPolicy(keep_last=0, keep_daily=1, keep_monthly=0)) == {"now"}


def test_months_are_counted_across_years() -> None:
    # One backup on the 15th of every month from January 2024 to March 2026.
    taken = [(f"{y}-{m:02d}", datetime(y, m, 15)) for y in (2024, 2025, 2026) for m in range(1, 13)]
    taken = [t for t in taken if t[1] <= NOW]
    policy = RetentionPolicy(keep_last=0, keep_daily=0, keep_monthly=3)
    assert backups_to_keep(taken, NOW, policy) == {"2026-01", "2026-02", "2026-03"}
    policy = RetentionPolicy(keep_last=0, keep_daily=0, keep_monthly=4)
    assert backups_to_keep(taken, NOW, policy) == {"2025-12", "2026-01", "2026-02", "2026-03"}
    # Thirteen months back from March 2026 reach March 2025, not March 2024.
    policy = RetentionPolicy(keep_last=0, keep_daily=0, keep_monthly=13)
    kept = backups_to_keep(taken, NOW, policy)
    assert len(kept) == 13 and min(kept) == "2025-03"


def test_the_daily_rule_counts_calendar_days_back_from_today() -> None:
    taken = [(f"d{d}", datetime(2026, 3, d, 9)) for d in range(1, 21)]
    policy = RetentionPolicy(keep_last=0, keep_daily=3, keep_monthly=0)
    assert backups_to_keep(taken, NOW, policy) == {"d18", "d19", "d20"}
    assert backups_to_keep(taken, NOW, RetentionPolicy(keep_last=0, keep_daily=0, keep_monthly=0)) == set()


def test_the_description_without_daily_or_monthly_parts() -> None:
    assert RetentionPolicy(keep_last=3, keep_daily=0, keep_monthly=0).describe() == "保留最近 3 份"
    assert (
        RetentionPolicy(keep_last=3, keep_daily=7, keep_monthly=0).describe()
        == "保留最近 3 份;7 天内每天 1 份"
    )
    assert (
        RetentionPolicy(keep_last=0, keep_daily=0, keep_monthly=2).describe()
        == "保留最近 0 份;2 个月内每月 1 份"
    )
