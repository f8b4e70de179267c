"""Dates as Chinese documents write them; kept apart from the PDF layout so light modules can use it."""

from __future__ import annotations

from datetime import date


def chinese_date(day: date | None, blank: str = "　　年　　月　　日") -> str:
    """2026年5月20日 (Arabic digits, no leading zeros, as GB/T 9704 writes 成文日期)."""
    if day is None:
        return blank
    return f"{day.year}年{day.month}月{day.day}日"
