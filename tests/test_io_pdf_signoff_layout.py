"""销号审批表 page layout, read back from the PDF: signatures and seals together, page 1 filled,
and what 整改落实情况 says (all progress summarised by default, or the latest report)."""

from __future__ import annotations

import io
import re
from dataclasses import replace
from datetime import date

import pytest
from pypdf import PdfReader

from ledger_app.domain.records import ProgressRecord, TaskRecord
from ledger_app.io.pdf.doc import BOTTOM_MARGIN, TEXT_HEIGHT
from ledger_app.io.pdf.forms import SignoffInput, write_signoff_forms
from ledger_app.io.pdf.inputs import SUMMARY_LIMIT, ProgressChoice, progress_summary
from tests.test_io_pdf_forms import CTX, make_task

SIGNATURE_HEADINGS = ("责任单位意见", "督导单位意见", "区委主要负责同志意见", "区政府主要负责同志意见")
PAGE_NUMBER = re.compile(r"第\s*\d+\s*页\s*共\s*\d+\s*页")


def _pdf(*items: SignoffInput) -> PdfReader:
    buffer = io.BytesIO()
    write_signoff_forms(list(items), buffer, context=CTX)
    buffer.seek(0)
    return PdfReader(buffer)


def _page_texts(reader: PdfReader) -> list[str]:
    return [re.sub(r"\s+", "", page.extract_text()) for page in reader.pages]


def _lowest_body_text(page: object) -> float:
    """The y (points from the page foot) of the lowest text on the page other than its page number."""
    ys: list[float] = []

    def visit(text: str, cm: list[float], tm: list[float], _font: object, _size: object) -> None:
        if not text.strip() or PAGE_NUMBER.search(text) or text.strip() in ("第", "页", "共"):
            return
        ys.append(tm[4] * cm[1] + tm[5] * cm[3] + cm[5])

    page.extract_text(visitor_text=visit)  # type: ignore[attr-defined]
    return min(ys)


def _progress(count: int, length: int = 40) -> list[ProgressRecord]:
    body = "开展现场核查,完成管网改造和排口整治,建立长效管护机制,群众满意度明显提升。" * 10
    return [
        ProgressRecord(date(2021 + i // 12, i % 12 + 1, 10), f"第{i + 1}次报告:{body[:length]}。")
        for i in range(count)
    ]


def _long_task(sentences: int) -> TaskRecord:
    text = "".join(
        f"第{i:03d}句:沿岸排污口未按要求完成规范化整治,汛期溢流污染严重。" for i in range(sentences)
    )
    return make_task(description=text)


def test_every_signature_block_has_a_seal_and_a_date_line() -> None:
    (text,) = _page_texts(_pdf(SignoffInput(make_task())))
    for heading in SIGNATURE_HEADINGS:
        assert heading in text
    assert text.count("盖章") == 4  # the two units and both leaders
    assert text.count("年月日") >= 4


@pytest.mark.parametrize("sentences", [30, 45, 60, 90])
def test_signatures_and_seals_stay_on_one_page(sentences: int) -> None:
    pages = _page_texts(_pdf(SignoffInput(_long_task(sentences))))
    assert len(pages) >= 2
    with_signatures = [n for n, page in enumerate(pages) if any(h in page for h in SIGNATURE_HEADINGS)]
    assert len(with_signatures) == 1, with_signatures
    page = pages[with_signatures[0]]
    assert all(h in page for h in SIGNATURE_HEADINGS)
    assert page.count("盖章") == 4
    # Never on a page of their own: some content row ends above them.
    assert page.index("公示情况") < page.index("责任单位意见")


def test_page_one_of_a_two_page_form_is_filled() -> None:
    """Forms just too long for one page (the case that left a quarter of page 1 empty): page 1 runs to
    near its foot, whatever the length (measured: at most 16 % left empty; it was 29 %)."""
    checked = 0
    for sentences in range(5, 60, 2):
        reader = _pdf(SignoffInput(_long_task(sentences)))
        if len(reader.pages) < 2:
            continue
        checked += 1
        lowest = _lowest_body_text(reader.pages[0])
        empty = (lowest - BOTTOM_MARGIN) / TEXT_HEIGHT
        assert empty < 0.2, f"{sentences} sentences: {empty:.0%} of page 1 left empty"
    assert checked >= 10


def test_all_progress_is_summarised_by_default_with_every_date() -> None:
    task = make_task(progress=_progress(14))
    text = "".join(_page_texts(_pdf(SignoffInput(task))))
    for entry in task.progress:
        assert f"{entry.date.year}年{entry.date.month}月" in text
    assert text.index("2021年1月") < text.index("2021年12月") < text.index("2022年2月")


def test_latest_only_when_the_clerk_chooses_it() -> None:
    task = make_task(progress=_progress(6))
    text = "".join(_page_texts(_pdf(SignoffInput(task, progress=ProgressChoice.LATEST))))
    assert "第6次报告" in text
    assert "第1次报告" not in text and "2021年1月" not in text


def test_the_clerks_own_text_wins_over_either_choice() -> None:
    task = make_task(progress=_progress(6))
    text = "".join(_page_texts(_pdf(SignoffInput(task, implementation_text="手写的落实情况。"))))
    assert "手写的落实情况。" in text and "第6次报告" not in text


def test_a_long_history_is_condensed_but_keeps_every_date() -> None:
    task = make_task(progress=_progress(30, length=200))
    summary = progress_summary(task)
    assert len(summary) <= SUMMARY_LIMIT * 1.1
    lines = summary.split("\n")
    assert len(lines) == 30
    assert [line.split("：")[0] for line in lines] == [
        f"{e.date.year}年{e.date.month}月" for e in task.progress
    ]


def test_two_reports_in_one_month_are_told_apart_by_day() -> None:
    task = make_task(
        progress=[
            ProgressRecord(date(2022, 3, 2), "甲。"),
            ProgressRecord(date(2022, 3, 30), "乙。"),
            ProgressRecord(date(2022, 5, 1), "丙。"),
        ]
    )
    assert progress_summary(task) == "2022年3月2日：甲。\n2022年3月30日：乙。\n2022年5月：丙。"
    assert progress_summary(replace(task, progress=[])) == ""
