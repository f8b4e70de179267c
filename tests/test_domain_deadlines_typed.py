"""Deadlines as typed on a Chinese IME: every dash the normalizer knows, ASCII quarter digits,
full-width punctuation that is no digit, and numbers too large to be a date."""

from __future__ import annotations

from datetime import date

import pytest

from ledger_app.domain.deadlines import parse_deadline


@pytest.mark.parametrize("dash", ["-", "－", "‐", "‑", "‒", "–", "—", "−"])
def test_every_dash_separates_a_date(dash: str) -> None:
    text = f"2026{dash}6{dash}30"
    assert parse_deadline(text).date == date(2026, 6, 30)
    assert parse_deadline(text).text == text


@pytest.mark.parametrize(
    ("text", "day"), [("2026／6／30", date(2026, 6, 30)), ("2026．6．30", date(2026, 6, 30))]
)
def test_full_width_separators(text: str, day: date) -> None:
    assert parse_deadline(text).date == day


def test_ascii_quarter_digits() -> None:
    assert parse_deadline("2023年第1季度").date == date(2023, 3, 31)
    assert parse_deadline("2023年1季度末").date == date(2023, 3, 31)


def test_a_full_width_colon_is_no_digit() -> None:
    # U+FF1A follows the full-width digits ０-９ (U+FF10-FF19): it must not be read as "10".
    deadline = parse_deadline("2026０６：")
    assert deadline.date is None and not deadline.understood


def test_numbers_too_large_for_a_date_keep_their_text() -> None:
    assert parse_deadline(1e15).text == "1000000000000000.0"  # no longer written as a whole number
    assert parse_deadline(999999999999999.0).text == "999999999999999"
    assert parse_deadline(1e15).date is None
