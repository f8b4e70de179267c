"""The units and deadline a measure names itself (excel_in.measures), with the answers a clerk
expects written out by hand: "(X牵头,Y配合)" at its end, "时限:…" labels, a date in the sentence,
and the monthly report's own annotation "(牵头:…;配合:…;时限:…)"."""

from __future__ import annotations

from datetime import date

import pytest

from ledger_app.domain.deadlines import Deadline
from ledger_app.io.excel_in import measures
from ledger_app.io.excel_in.measures import measure_details, read_measures
from ledger_app.io.excel_in.units import UnitReader

NO_DEADLINE = ("", None, False)


def details(text: str) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, date | None, bool]]:
    found = measure_details(text, UnitReader())
    d = found.deadline
    return found.lead_units, found.cooperating_units, (d.text, d.date, d.long_term)


@pytest.mark.parametrize(
    ("text", "lead", "cooperating", "deadline"),
    [
        # Nothing named: a plain measure.
        ("开展排查,建立问题台账", (), (), NO_DEADLINE),
        # Units in brackets at the end, with or without the full stop, in either width of bracket.
        (
            "加快管网建设(县住建局牵头,县水利局、县林业局配合)",
            ("县住建局",),
            ("县水利局", "县林业局"),
            NO_DEADLINE,
        ),
        (
            "加快管网建设(县住建局牵头,县水利局、县林业局配合)。",
            ("县住建局",),
            ("县水利局", "县林业局"),
            NO_DEADLINE,
        ),
        ("加快管网建设（县住建局牵头，县水利局配合）", ("县住建局",), ("县水利局",), NO_DEADLINE),
        # A unit named after the lead without a word of its own helps it.
        ("修复破损管网(县住建局牵头,县水利局)", ("县住建局",), ("县水利局",), NO_DEADLINE),
        ("修复河道(县水利局、县林业局按职责负责)", ("县水利局", "县林业局"), (), NO_DEADLINE),
        # A deadline labelled inside the brackets is taken out of the units.
        (
            "清理垃圾(县城管局负责,时限:2024年6月底前)",
            ("县城管局",),
            (),
            ("2024年6月底前", date(2024, 6, 30), False),
        ),
        (
            "建设污水厂(县住建局牵头,完成时限:2024年9月)",
            ("县住建局",),
            (),
            ("2024年9月", date(2024, 9, 30), False),
        ),
        # The brackets at the end speak for the measure, before a labelled date earlier in its text.
        (
            "一期完成时间:2023年底前;二期扩建(县住建局牵头,时限:2024年9月底前)",
            ("县住建局",),
            (),
            ("2024年9月底前", date(2024, 9, 30), False),
        ),
        # Brackets holding only a deadline, or something else altogether.
        ("清理垃圾(2024年6月底前)", (), (), ("2024年6月底前", date(2024, 6, 30), False)),
        ("建立长效机制(长期坚持)", (), (), ("长期坚持", None, True)),
        ("清理垃圾(详见附件)", (), (), NO_DEADLINE),
        # A labelled deadline without brackets, under each label.
        ("时限:长期坚持", (), (), ("长期坚持", None, True)),
        ("整改时限:立行立改", (), (), ("立行立改", None, True)),
        ("完成时间:2024年9月", (), (), ("2024年9月", date(2024, 9, 30), False)),
        # A label that says no date gives none.
        ("完成时限:另行通知", (), (), NO_DEADLINE),
        # A date in the sentence, as offices write it.
        ("2024年6月底前完成排查", (), (), ("2024年6月底前", date(2024, 6, 30), False)),
        ("到2025年12月底前完成治理", (), (), ("2025年12月底前", date(2025, 12, 31), False)),
        # The labelled deadline wins over an earlier date in the sentence.
        ("于2023年底前完成排查,完成时限:2024年6月底前", (), (), ("2024年6月底前", date(2024, 6, 30), False)),
    ],
)
def test_measure_details(
    text: str, lead: tuple[str, ...], cooperating: tuple[str, ...], deadline: tuple[str, date | None, bool]
) -> None:
    assert details(text) == (lead, cooperating, deadline)


def test_the_monthly_reports_annotation_gives_units_and_deadline() -> None:
    text = (
        "1.排查入河排污口(牵头:县生态环境局;配合:县水利局、各乡镇;时限:2024年底前)\n"
        "2.建立长效机制(牵头:县水利局;时限:长期坚持)\n"
        "3.开展执法检查(时限:2024年6月底前)"
    )
    read = [
        (item, d.lead_units, d.cooperating_units, d.deadline) for item, d in read_measures(text, UnitReader())
    ]
    assert read == [
        (
            "排查入河排污口",
            ("县生态环境局",),
            ("县水利局", "各乡镇"),
            Deadline("2024年底前", date(2024, 12, 31)),
        ),
        ("建立长效机制", ("县水利局",), (), Deadline("长期坚持", long_term=True)),
        ("开展执法检查", (), (), Deadline("2024年6月底前", date(2024, 6, 30))),
    ]


def test_an_annotation_deadline_is_parsed_once(monkeypatch: pytest.MonkeyPatch) -> None:
    # Thousands of measures carry the same few deadlines: each text is parsed once.
    parsed: list[str] = []
    real = measures.parse_deadline
    monkeypatch.setattr(measures, "parse_deadline", lambda text: parsed.append(text) or real(text))
    monkeypatch.setattr(measures, "_DEADLINES", {})
    first = measures._deadline("2024年底前")
    again = measures._deadline("2024年底前")
    assert first == again == Deadline("2024年底前", date(2024, 12, 31))
    assert parsed == ["2024年底前"]


def test_the_remembered_deadlines_stay_at_ten_thousand(monkeypatch: pytest.MonkeyPatch) -> None:
    # A hostile workbook with a different deadline on every measure must not grow memory without end.
    monkeypatch.setattr(measures, "_DEADLINES", {})
    for number in range(10_001):
        measures._deadline(f"第{number}号文件规定时限")
    assert len(measures._DEADLINES) == 10_000
    # Past the limit a deadline is still read, only not remembered.
    assert measures._deadline("2025年3月底前") == Deadline("2025年3月底前", date(2025, 3, 31))
    assert "2025年3月底前" not in measures._DEADLINES
