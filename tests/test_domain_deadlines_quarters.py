"""Quarters (季度) as offices write them, with and without 度, 第 and an end word."""

from __future__ import annotations

from datetime import date

import pytest

from ledger_app.domain.deadlines import parse_deadline


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("2023年三季", date(2023, 9, 30)),  # 季度 without 度
        ("2023年第三季", date(2023, 9, 30)),
        ("2023年3季", date(2023, 9, 30)),
        ("2023年三季末", date(2023, 9, 30)),
        ("2023年第二季底前完成", date(2023, 6, 30)),
        ("2024年一季", date(2024, 3, 31)),
        ("2024年第四季", date(2024, 12, 31)),
        ("2024年4季度前", date(2024, 12, 31)),
        ("２０２４年第２季", date(2024, 6, 30)),  # full-width digits from an IME
    ],
)
def test_a_quarter_ends_on_its_last_day(text: str, day: date) -> None:
    deadline = parse_deadline(text)
    assert deadline.date == day
    assert deadline.text == text and deadline.understood and not deadline.long_term


@pytest.mark.parametrize("text", ["2023年五季", "2023年第0季度", "2023年季度", "2023年三四季"])
def test_a_quarter_that_does_not_exist_is_not_read(text: str) -> None:
    deadline = parse_deadline(text)
    assert deadline.date is None and not deadline.understood and deadline.text == text
