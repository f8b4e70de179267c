"""domain.dates: one parser for every date a clerk types, and the rule for progress dated ahead."""

from __future__ import annotations

import time
from datetime import date, timedelta

import pytest

from ledger_app.domain.dates import (
    MAX_FUTURE_DAYS,
    Future,
    check_progress_day,
    parse_day,
    parse_optional_day,
)
from ledger_app.domain.errors import ValidationError

DAY = date(2025, 12, 20)

ACCEPTED = [
    "2025-12-20",
    "2025.12.20",
    "2025/12/20",
    "2025年12月20日",
    "2025年12月20号",
    "2025年12月20",
    "20251220",
    "２０２５－１２－２０",  # full-width digits and hyphen (Chinese IME)
    "２０２５．１２．２０",
    "２０２５／１２／２０",
    "２０２５年１２月２０日",
    " 2025-12-20 ",
    "2025 - 12 - 20",
    "2025\u3000年\u300012\u3000月20日",  # ideographic spaces
    "\ufeff2025-12-20",  # a byte-order mark pasted along
    "2025-12-20 00:00:00",  # a date cell copied out of Excel
    "2025/12/20 9:30",
    "２０２５－１２－２０　１０：３０",
    "2025–12–20",  # en dashes from a Word document
    "2025.12-20",  # mixed separators still name one day
    "2025-12-20\n",
]


@pytest.mark.parametrize("text", ACCEPTED)
def test_every_usual_form_gives_the_same_day(text: str) -> None:
    assert parse_day(text) == DAY


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("2025.1.5", date(2025, 1, 5)),
        ("2025-01-05", date(2025, 1, 5)),
        ("2025年1月5日", date(2025, 1, 5)),
        ("20240229", date(2024, 2, 29)),
        ("1990-01-01", date(1990, 1, 1)),
        ("2100-12-31", date(2100, 12, 31)),
        ("2027-01-15", date(2027, 1, 15)),  # the year typed is the year kept
        ("2022年11月30日", date(2022, 11, 30)),
    ],
)
def test_the_year_month_and_day_typed_are_kept(text: str, day: date) -> None:
    assert parse_day(text) == day


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("2025-13-01", "2025-13-01 不是有效日期:月份应为 1–12"),
        ("2025-00-10", "月份应为 1–12"),
        ("20251320", "月份应为 1–12"),
        ("2025-02-29", "2025年2月只有 28 天"),
        ("2025-04-31", "2025年4月只有 30 天"),
        ("2025-12-00", "2025年12月只有 31 天"),
        ("2202-12-20", "年份应在 1990–2100 之间"),  # 2022 mistyped
        ("1899-12-30", "年份应在 1990–2100 之间"),
        ("25-12-20", "年份请写全四位"),
        ("12/20/2025", "年份请写在最前面"),
        ("2025-12", "只有年和月"),
        ("2025年12月", "只有年和月"),
        ("明年春天", "请写成 2025-12-20"),
        ("2025-12-20x", "请写成"),
        ("x2025-12-20", "请写成"),
        ("2025--12-20", "请写成"),
        ("2025-12-20-1", "请写成"),
        ("202512201", "请写成"),
        ("٢٠٢٥-١٢-٢٠", "请写成"),  # Arabic-Indic digits are not read as a date
        ("2025-12-20; DROP TABLE", "请写成"),
        ("<b>2025-12-20</b>", "请写成"),
        ("-1", "请写成"),
        ("46000", "请写成"),  # an Excel serial number is no typed date
    ],
)
def test_refusals_say_why_in_chinese(text: str, why: str) -> None:
    with pytest.raises(ValidationError) as refused:
        parse_day(text)
    assert why in refused.value.message_zh
    assert refused.value.message_en  # the CLI prints both


@pytest.mark.parametrize("text", ["", "   ", "\u3000", "\n\t"])
def test_empty_is_refused_but_optional_empty_is_none(text: str) -> None:
    with pytest.raises(ValidationError, match="请填写日期"):
        parse_day(text)
    assert parse_optional_day(text) is None


def test_a_pasted_paragraph_is_not_repeated_back_whole() -> None:
    text = "整改进展" * 5000 + "2025-12-20"
    with pytest.raises(ValidationError) as refused:
        parse_day(text)
    assert len(refused.value.message_zh) < 120


@pytest.mark.parametrize(
    "text",
    [" " * 32767 + "x", "\u3000" * 32767 + "2025-12-20x", " 1" * 16000 + ":", "2025-12-20" + " 1:" * 10000],
)
def test_hostile_text_is_refused_at_once(text: str) -> None:
    started = time.perf_counter()
    with pytest.raises(ValidationError):
        parse_day(text)
    assert time.perf_counter() - started < 0.05  # once 17 s: a backtracking time-of-day pattern


def test_spaces_around_a_day_do_not_count_against_it() -> None:
    assert parse_day(" " * 5000 + "2025-12-20" + "\u3000" * 5000) == DAY


def test_every_day_of_a_leap_year_round_trips_in_each_form() -> None:
    day = date(2024, 1, 1)
    while day.year == 2024:
        for text in (
            day.isoformat(),
            f"{day.year}.{day.month}.{day.day}",
            f"{day.year}年{day.month}月{day.day}日",
            day.strftime("%Y%m%d"),
        ):
            assert parse_day(text) == day
        day += timedelta(days=1)


# -- progress dated after today --------------------------------------------------------------------
TODAY = date(2026, 12, 7)


@pytest.mark.parametrize(
    ("day", "verdict"),
    [
        (date(2022, 11, 30), Future.OK),
        (TODAY, Future.OK),
        (TODAY + timedelta(days=1), Future.CONFIRM),
        (TODAY + timedelta(days=14), Future.CONFIRM),
        (TODAY + timedelta(days=MAX_FUTURE_DAYS), Future.CONFIRM),
        (TODAY + timedelta(days=MAX_FUTURE_DAYS + 1), Future.REFUSE),
        (date(2027, 12, 7), Future.REFUSE),
    ],
)
def test_the_future_rule(day: date, verdict: Future) -> None:
    check = check_progress_day(day, TODAY)
    assert check.verdict is verdict
    assert check.days_ahead == (day - TODAY).days
    assert bool(check.message_zh) == (verdict is not Future.OK)


def test_the_future_messages_name_the_date_and_the_limit() -> None:
    ask = check_progress_day(date(2026, 12, 21), TODAY)
    assert "2026年12月21日" in ask.message_zh and "14 天后" in ask.message_zh
    refuse = check_progress_day(date(2027, 12, 7), TODAY)
    assert "晚 365 天" in refuse.message_zh and "最晚可填 2027年1月7日" in refuse.message_zh
