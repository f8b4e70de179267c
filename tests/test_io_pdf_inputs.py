"""Texts the PDF forms print for a task: measures numbered once, whatever brackets the office typed."""

from __future__ import annotations

import pytest

from ledger_app.domain.records import MeasureRecord
from ledger_app.io.pdf.inputs import measure_text


@pytest.mark.parametrize(
    "text",
    [
        "（1）排查管网",
        "(1)排查管网",
        "1）排查管网",
        "1)排查管网",
        "1．排查管网",
        "1、排查管网",
        "一、排查管网",
        "①排查管网",
    ],
)
def test_a_measure_the_office_numbered_keeps_its_number(text: str) -> None:
    assert measure_text(MeasureRecord(3, text), 3) == text


def test_an_unnumbered_measure_gets_its_number() -> None:
    assert measure_text(MeasureRecord(2, "排查管网"), 2) == "2.排查管网"
