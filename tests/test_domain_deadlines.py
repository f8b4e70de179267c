"""Tests for parse_deadline: every form offices write, and the refusal to guess at anything else."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ledger_app.domain.deadlines import (
    EXCEL_EPOCH,
    MAX_SERIAL,
    MIN_SERIAL,
    Deadline,
    parse_deadline,
)

D = date


def _assert_date(text: str, expected: date) -> None:
    result = parse_deadline(text)
    assert result == Deadline(text, expected, False), text
    assert result.understood


def _assert_unknown(value: object, text: str | None = None) -> None:
    result = parse_deadline(value)
    expected_text = value if text is None else text
    assert result == Deadline(expected_text), value  # type: ignore[arg-type]
    assert not result.understood
    assert result.key is None


# --- dates ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A day, in the Chinese form.
        ("2022年6月30日", D(2022, 6, 30)),
        ("2022年6月30号", D(2022, 6, 30)),
        ("2022年06月30日", D(2022, 6, 30)),
        ("2022年6月30", D(2022, 6, 30)),
        ("2022年6月30日前", D(2022, 6, 30)),
        ("2022年6月30日以前", D(2022, 6, 30)),
        ("2022年6月30日之前", D(2022, 6, 30)),
        ("2022年6月30日前完成", D(2022, 6, 30)),
        ("2022年6月30日完成", D(2022, 6, 30)),
        ("2022年1月1日", D(2022, 1, 1)),
        # A day, in numeric forms.
        ("2022.6.30", D(2022, 6, 30)),
        ("2022/6/30", D(2022, 6, 30)),
        ("2022-06-30", D(2022, 6, 30)),
        ("2022-6-30", D(2022, 6, 30)),
        ("2022.06.30前", D(2022, 6, 30)),
        ("20220630", D(2022, 6, 30)),
        ("20220630前完成", D(2022, 6, 30)),
        # End of a month.
        ("2022年6月底前", D(2022, 6, 30)),
        ("2022年6月底", D(2022, 6, 30)),
        ("2022年6月末", D(2022, 6, 30)),
        ("2022年6月前", D(2022, 6, 30)),
        ("2022年6月底前完成", D(2022, 6, 30)),
        ("2022年6月完成", D(2022, 6, 30)),
        ("2022年6月以前", D(2022, 6, 30)),
        ("2022年12月底", D(2022, 12, 31)),
        ("2022年12月底前", D(2022, 12, 31)),
        ("2023年6月", D(2023, 6, 30)),
        ("2023年06月", D(2023, 6, 30)),
        ("2023年1月底", D(2023, 1, 31)),
        ("2023年4月底", D(2023, 4, 30)),
        ("2023年11月末", D(2023, 11, 30)),
        ("2023.6", D(2023, 6, 30)),
        ("2023-06", D(2023, 6, 30)),
        ("2023/6", D(2023, 6, 30)),
        ("2023.6底前", D(2023, 6, 30)),
        # End of a year.
        ("2022年底前", D(2022, 12, 31)),
        ("2022年底", D(2022, 12, 31)),
        ("2022年年底前", D(2022, 12, 31)),
        ("2022年年底", D(2022, 12, 31)),
        ("2022年末", D(2022, 12, 31)),
        ("2022年年末", D(2022, 12, 31)),
        ("2022年底前完成", D(2022, 12, 31)),
        ("2023年", D(2023, 12, 31)),
        ("2023年内", D(2023, 12, 31)),
        ("2023年度", D(2023, 12, 31)),
        ("2023年度内", D(2023, 12, 31)),
        ("2023年内完成", D(2023, 12, 31)),
        ("2023年前", D(2023, 12, 31)),
        # Half years.
        ("2023年上半年", D(2023, 6, 30)),
        ("2023年下半年", D(2023, 12, 31)),
        ("2023年上半年前", D(2023, 6, 30)),
        ("2023年上半年底前", D(2023, 6, 30)),
        ("2023年下半年完成", D(2023, 12, 31)),
        # Quarters.
        ("2023年第三季度", D(2023, 9, 30)),
        ("2023年三季度", D(2023, 9, 30)),
        ("2023年3季度", D(2023, 9, 30)),
        ("2023年第3季度", D(2023, 9, 30)),
        ("2023年第三季度底", D(2023, 9, 30)),
        ("2023年三季度末", D(2023, 9, 30)),
        ("2023年第3季度前", D(2023, 9, 30)),
        ("2023年第三季度底前完成", D(2023, 9, 30)),
        ("2023年第一季度", D(2023, 3, 31)),
        ("2023年一季度末", D(2023, 3, 31)),
        ("2023年第二季度", D(2023, 6, 30)),
        ("2023年2季度", D(2023, 6, 30)),
        ("2023年第四季度", D(2023, 12, 31)),
        ("2023年四季度末", D(2023, 12, 31)),
        ("2023年第4季度", D(2023, 12, 31)),
        # The leading "于" and the final full stop.
        ("于2022年6月30日", D(2022, 6, 30)),
        ("于2022年6月底前完成。", D(2022, 6, 30)),
        ("2022年底前。", D(2022, 12, 31)),
        ("2022.6.30.", D(2022, 6, 30)),
        # Leap years.
        ("2024年2月底", D(2024, 2, 29)),
        ("2024年2月底前", D(2024, 2, 29)),
        ("2024年2月29日", D(2024, 2, 29)),
        ("2023年2月底", D(2023, 2, 28)),
        ("2000年2月底", D(2000, 2, 29)),
        ("2100年2月底", D(2100, 2, 28)),
        ("2024.2", D(2024, 2, 29)),
        # The edges of the accepted years.
        ("1990年1月1日", D(1990, 1, 1)),
        ("2100年12月31日", D(2100, 12, 31)),
    ],
)
def test_date_forms(text: str, expected: date) -> None:
    _assert_date(text, expected)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("２０２２年６月３０日", D(2022, 6, 30)),
        ("２０２２年６月底前", D(2022, 6, 30)),
        ("２０２２．６．３０", D(2022, 6, 30)),
        ("２０２２／６／３０", D(2022, 6, 30)),
        ("２０２２－０６－３０", D(2022, 6, 30)),
        ("２０２３年第３季度", D(2023, 9, 30)),
        ("２０２２０６３０", D(2022, 6, 30)),
        ("2022年６月30日", D(2022, 6, 30)),
        ("2022—6—30", D(2022, 6, 30)),
    ],
)
def test_full_width_digits_and_punctuation(text: str, expected: date) -> None:
    _assert_date(text, expected)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2022 年 6 月底前", D(2022, 6, 30)),
        ("2022年 6月 30日", D(2022, 6, 30)),
        (" 2022年6月30日 ", D(2022, 6, 30)),
        ("2022\u3000年\u30006\u3000月底前", D(2022, 6, 30)),
        ("2022年6月\n底前", D(2022, 6, 30)),
        ("2022年6月\xa030日", D(2022, 6, 30)),
        ("2022 . 6 . 30", D(2022, 6, 30)),
        ("\t2023年 第 三 季度\t", D(2023, 9, 30)),
        ("于 2022 年 6 月 30 日 前 完 成 。", D(2022, 6, 30)),
    ],
)
def test_whitespace_anywhere(text: str, expected: date) -> None:
    _assert_date(text, expected)


def test_text_is_kept_verbatim() -> None:
    text = "  ２０２２ 年 6 月底前完成。 "
    result = parse_deadline(text)
    assert result.text == text
    assert result.date == D(2022, 6, 30)


# --- long-term -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "立行立改",
        "长期坚持",
        "立行立改、长期坚持",
        "立行立改,长期坚持",
        "立行立改，长期坚持",
        "立行立改 长期坚持",
        "立行立改\u3000长期坚持",
        "立行立改长期坚持",
        "立行立改并长期坚持",
        "立行立改，并长期坚持",
        "立行立改;长期坚持",
        "立行立改；长期坚持",
        "立行立改、长期坚持。",
        " 立行立改、长期坚持 ",
        "持续推进",
        "长期推进",
        "长期",
        "常态化",
        "常态化推进",
        "持续整改",
        "立行立改、持续推进",
        "立行立改、常态化",
    ],
)
def test_long_term_forms(text: str) -> None:
    result = parse_deadline(text)
    assert result == Deadline(text, None, True)
    assert result.understood
    assert result.key == "long-term"
    assert result.describe() == "长期坚持(无截止日期)"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("立行立改,2022年6月底前完成", D(2022, 6, 30)),
        ("立行立改，2022年6月底前完成", D(2022, 6, 30)),
        ("立行立改、2022年6月底前完成", D(2022, 6, 30)),
        ("立行立改 2022年6月底前", D(2022, 6, 30)),
        ("立行立改,于2022年6月30日前完成", D(2022, 6, 30)),
        ("立行立改、长期坚持,2022年底前", D(2022, 12, 31)),
        ("2022年6月底前完成并长期坚持", D(2022, 6, 30)),
        ("2022年6月底前完成,长期坚持", D(2022, 6, 30)),
        ("2022年6月底前完成，长期坚持。", D(2022, 6, 30)),
        ("2022年底前完成并持续推进", D(2022, 12, 31)),
        ("2022年6月底前完成整改并长期坚持", D(2022, 6, 30)),
        ("2022年6月底前完成整改", D(2022, 6, 30)),
    ],
)
def test_long_term_mixed_with_a_date_reports_the_date(text: str, expected: date) -> None:
    result = parse_deadline(text)
    assert result == Deadline(text, expected, False)
    assert not result.long_term


# --- empty ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("value", [None, "", " ", "   ", "\t\n", "\u3000", "\xa0", "\u200b", "\x1c"])
def test_empty(value: object) -> None:
    result = parse_deadline(value)
    assert result == Deadline("")
    assert result.is_empty
    assert result.understood
    assert result.key is None
    assert result.describe() == "未填写"


# --- not understood ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "尽快",
        "尽快完成",
        "另行通知",
        "按上级要求",
        "待定",
        "无",
        "/",
        "-",
        "。",
        "2022年6月30日或以后",
        "2022年6月底前基本完成,2023年底前全面完成",
        "2022年6月底前或2022年12月底前",
        "2022年6月底后",
        "2022年6月底前完成80%",
        "约2022年6月底",
        "2022年6月底前完成并尽快销号",
        "立行立改,尽快完成",
        "立行立改,2022年6月底前完成,另行通知",
        "长期坚持尽快",
        "2022年6月30日底",
        "2022年6月30日末",
        "2022年上",
        "2022年第五季度",
        "2022年5季度",
        "2022年中",
        "2022.6/30",
        "2022-6.30",
        "2022年6",
        "22年6月底",
        "6月底前",
        "6月30日",
        "202206",
        "2023",
        "2022.6.30.1",
        "2022年6月30日30日",
        # Chinese numerals are not read: rare, and a misread would pass silently.
        "二〇二二年六月底",
        "2022年六月底",
    ],
)
def test_unknown_text_is_kept_and_flagged(text: str) -> None:
    _assert_unknown(text)


def test_unknown_describe() -> None:
    assert parse_deadline("尽快").describe() == "未能识别的时限,按原文保存"


@pytest.mark.parametrize(
    "text",
    [
        "2022年2月30日",
        "2022年2月29日",
        "2023年2月29日",
        "2022年4月31日",
        "2022年13月",
        "2022年13月底",
        "2022年0月",
        "2022年6月0日",
        "2022年6月32日",
        "2022年00月15日",
        "2022.13.1",
        "2022-02-30",
        "2022/0/1",
        "20221301",
        "20220230",
        "2023.13",
        "1989年12月31日",
        "2101年1月1日",
        "1900年底",
        "2202年6月底",
        "0000年1月1日",
    ],
)
def test_invalid_dates_are_not_understood(text: str) -> None:
    _assert_unknown(text)


# --- date cells ----------------------------------------------------------------------------------------


def test_date_cell() -> None:
    assert parse_deadline(D(2022, 6, 30)) == Deadline("2022-06-30", D(2022, 6, 30))


def test_datetime_cell_drops_the_time() -> None:
    result = parse_deadline(datetime(2022, 6, 30, 17, 45, 12))
    assert result == Deadline("2022-06-30", D(2022, 6, 30))
    assert type(result.date) is date


def test_deadline_passes_through() -> None:
    deadline = Deadline("2022年6月底前", D(2022, 6, 30))
    assert parse_deadline(deadline) is deadline


# --- Excel serial numbers ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (44742, D(2022, 6, 30)),
        (44742.0, D(2022, 6, 30)),
        (44742.75, D(2022, 6, 30)),
        (44742.999999, D(2022, 6, 30)),
        (45351, D(2024, 2, 29)),
        (Decimal("44742"), D(2022, 6, 30)),
        (MIN_SERIAL, D(1990, 1, 1)),
        (MAX_SERIAL, D(2100, 12, 31)),
        (32874, D(1990, 1, 1)),
        (73415, D(2100, 12, 31)),
    ],
)
def test_serial_numbers(value: object, expected: date) -> None:
    assert parse_deadline(value) == Deadline(expected.isoformat(), expected)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("44742", D(2022, 6, 30)),
        ("44742.0", D(2022, 6, 30)),
        ("44742.5", D(2022, 6, 30)),
        (" 44742 ", D(2022, 6, 30)),
        ("４４７４２", D(2022, 6, 30)),
        ("32874", D(1990, 1, 1)),
        ("73415", D(2100, 12, 31)),
    ],
)
def test_serial_number_text(text: str, expected: date) -> None:
    # The office's text stays as it was; only the date is read from it.
    assert parse_deadline(text) == Deadline(text, expected)


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (0, "0"),
        (1, "1"),
        (-44742, "-44742"),
        (2023, "2023"),
        (2023.0, "2023"),
        (2023.06, "2023.06"),
        (32873, "32873"),
        (73416, "73416"),
        (1e20, "1e+20"),
        (float("nan"), "nan"),
        (float("inf"), "inf"),
        (float("-inf"), "-inf"),
        (Decimal("2023.06"), "2023.06"),
        (Decimal("sNaN"), "sNaN"),
    ],
)
def test_out_of_range_numbers_are_not_understood(value: object, text: str) -> None:
    _assert_unknown(value, text)


@pytest.mark.parametrize("text", ["32873", "73416", "99999", "44742.", "4474", "447420", "44742.0.0"])
def test_out_of_range_serial_text_is_not_understood(text: str) -> None:
    _assert_unknown(text)


# --- other types ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [True, False, [1, 2], ("2022年6月底前",), {"a": 1}, b"2022", object, datetime(2022, 6, 30).time()],
)
def test_unsupported_types_are_kept_as_text(value: object) -> None:
    _assert_unknown(value, str(value))


# --- key and describe() --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "key", "described"),
    [
        ("2022年6月底前", "2022-06-30", "截止 2022年6月30日"),
        ("2024年2月底", "2024-02-29", "截止 2024年2月29日"),
        ("2023年第一季度", "2023-03-31", "截止 2023年3月31日"),
        ("2022.1.5", "2022-01-05", "截止 2022年1月5日"),
        (D(2022, 6, 30), "2022-06-30", "截止 2022年6月30日"),
        (44742, "2022-06-30", "截止 2022年6月30日"),
        ("立行立改、长期坚持", "long-term", "长期坚持(无截止日期)"),
        ("", None, "未填写"),
        (None, None, "未填写"),
        ("尽快", None, "未能识别的时限,按原文保存"),
        ("2022年2月30日", None, "未能识别的时限,按原文保存"),
    ],
)
def test_key_and_describe(value: object, key: str | None, described: str) -> None:
    result = parse_deadline(value)
    assert result.key == key
    assert result.describe() == described


def test_results_are_frozen_and_hashable() -> None:
    a = parse_deadline("2022年6月底前")
    b = parse_deadline("2022年6月底前")
    assert a == b
    assert hash(a) == hash(b)
    with pytest.raises(AttributeError):
        a.text = "x"  # type: ignore[misc]


# --- properties ----------------------------------------------------------------------------------------

_DATES = st.dates(min_value=D(1990, 1, 1), max_value=D(2100, 12, 31))


@given(_DATES)
def test_every_date_round_trips(d: date) -> None:
    assert parse_deadline(f"{d.year}年{d.month}月{d.day}日").date == d
    assert parse_deadline(d).date == d
    assert parse_deadline(d.isoformat()).date == d
    assert parse_deadline(d.isoformat()).text == d.isoformat()


@given(_DATES)
def test_every_date_round_trips_in_other_spellings(d: date) -> None:
    assert parse_deadline(f"{d.year}年{d.month:02d}月{d.day:02d}号").date == d
    assert parse_deadline(f"{d.year}.{d.month}.{d.day}").date == d
    assert parse_deadline(f"{d.year}/{d.month}/{d.day}前").date == d
    assert parse_deadline(d.strftime("%Y%m%d")).date == d
    assert parse_deadline(f"于 {d.year} 年 {d.month} 月 {d.day} 日前完成。").date == d
    assert parse_deadline(datetime(d.year, d.month, d.day, 12, 30)).date == d
    full_width = f"{d.year}年{d.month}月{d.day}日".translate({ord(c): 0xFF10 + int(c) for c in "0123456789"})
    assert parse_deadline(full_width).date == d


@given(_DATES)
def test_serial_numbers_round_trip(d: date) -> None:
    serial = (d - EXCEL_EPOCH).days
    assert parse_deadline(serial) == Deadline(d.isoformat(), d)
    assert parse_deadline(float(serial) + 0.5).date == d
    assert parse_deadline(str(serial)).date == d


@given(_DATES)
def test_month_end_is_the_last_day_of_the_month(d: date) -> None:
    result = parse_deadline(f"{d.year}年{d.month}月底前")
    assert result.date is not None
    assert result.date.month == d.month
    assert (result.date + timedelta(days=1)).day == 1


@given(_DATES, st.sampled_from(["或以后", "左右", "后", "尽快", "起", "开始", "基本完成", "x", "?"]))
def test_extra_words_after_a_date_are_never_swallowed(d: date, extra: str) -> None:
    text = f"{d.year}年{d.month}月{d.day}日{extra}"
    assert parse_deadline(text) == Deadline(text)


@given(st.text(max_size=30))
def test_any_text_is_kept_and_never_raises(text: str) -> None:
    result = parse_deadline(text)
    if result.text == "":
        assert result.is_empty
    else:
        assert result.text == text
    if not result.understood:
        assert result.date is None
        assert not result.long_term
    if result.date is not None:
        assert D(1990, 1, 1) <= result.date <= D(2100, 12, 31)
