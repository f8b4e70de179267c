"""The 整改任务销号审批表's geometry with known answers (io/pdf/signoff.py): column widths in mm, row
heights in points, the header line above the table, and how the pages of a form too long for one page
are counted (the count decides between 小四 and 五号).

Worked out by hand: the text block is 156 mm wide and 225 mm (637.80 pt) tall; the labels take 25 mm;
the signature halves are 78 mm each, the right one holding a 12 mm gap, the 督导单位 label and 41 mm.
A line of 小四 (12 pt) is 16.8 pt, of 五号 (10.5 pt) 14.7 pt; a one-line row is 1.6 lines + 7 pt tall
(1.2 lines + 7 when the form is squeezed to keep one page); the units sign in 4.0 cm, the leaders in
3.6 cm, 0.8 of that when squeezed."""

from __future__ import annotations

import io

import pytest
from reportlab.lib.units import cm, mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Spacer

from ledger_app.io.pdf.doc import TEXT_HEIGHT, TEXT_WIDTH
from ledger_app.io.pdf.fonts import FontSet, load_fonts
from ledger_app.io.pdf.inputs import FormContext, SignoffInput
from ledger_app.io.pdf.signoff import _pages, signoff_flowables
from ledger_app.io.pdf.table import Cell, Row, RuledTable, Rules
from ledger_app.io.pdf.text import TextBlock
from tests.test_io_pdf_signoff_content import petition

CTX = FormContext(organisation="某某县", area_word="县")


@pytest.fixture(scope="module")
def fonts() -> FontSet:
    return load_fonts()


def in_mm(widths: list[float]) -> list[float]:
    return [round(w / mm, 2) for w in widths]


def row_height(table: RuledTable, index: int) -> float:
    """One row of the form set alone, as the form sets it (same columns, same padding)."""
    alone = RuledTable([table.rows[index]], table.col_widths, rules=table.rules)
    return alone.wrap(TEXT_WIDTH, TEXT_HEIGHT)[1]


def test_the_columns_of_the_form_in_millimetres(fonts: FontSet) -> None:
    _, _, table = signoff_flowables(SignoffInput(petition()), CTX, fonts)
    assert table.wrap(TEXT_WIDTH, TEXT_HEIGHT)[0] == pytest.approx(156 * mm)
    widths = [in_mm(row.widths) for row in table.rows]
    assert widths[0] == [25.0, 131.0]  # 信访问题 and its text
    assert widths[1] == [25.0, 65.0, 25.0, 41.0]  # 责任单位 gets more room than 督导单位
    assert widths[2:9] == [[25.0, 131.0]] * 7
    assert widths[9:] == [[78.0, 78.0]] * 2  # the signature halves are equal


def test_the_header_line_sits_flush_with_the_table_and_is_not_ruled(
    fonts: FontSet, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, header, _ = signoff_flowables(SignoffInput(petition()), CTX, fonts)
    assert isinstance(header, RuledTable)
    header.wrap(TEXT_WIDTH, TEXT_HEIGHT)
    assert in_mm(header.rows[0].widths) == [121.0, 35.0]  # 序号 in the right 3.5 cm
    assert header.getSpaceAfter() == pytest.approx(1 * mm)  # 1 mm above the table

    drawn: list[tuple[str, float, float]] = []
    monkeypatch.setattr(
        TextBlock, "draw", lambda self, canv, x, top, width: drawn.append((self.text, x, width))
    )

    ruled: list[tuple[float, ...]] = []

    class Ruler(Canvas):
        def line(self, *points: float) -> None:
            ruled.append(points)

    header.drawOn(Ruler(io.BytesIO()), 0, 0)
    assert ruled == []
    assert [(text, round(x / mm, 2), round(w / mm, 2)) for text, x, w in drawn] == [
        (
            "督察批次：第二轮中央生态环境保护督察\u3000\u3000交办批次：第3批\u3000\u3000受理编号：X2026-01",
            0.0,
            121.0,
        ),
        ("序号：7", 121.0, 35.0),
    ]


def test_row_heights_in_xiao_si(fonts: FontSet) -> None:
    _, _, table = signoff_flowables(SignoffInput(petition()), CTX, fonts)
    assert table.rows[2].cells[1].content.text == "2026年6月底前"
    assert row_height(table, 2) == pytest.approx(16.8 * 1.6 + 7)  # 33.88
    assert row_height(table, 9) == pytest.approx(4.0 * cm)  # the units: a 4.2 cm seal presses on the date
    assert row_height(table, 10) == pytest.approx(3.6 * cm)  # the leaders


@pytest.mark.parametrize(
    ("goal", "one_line", "units", "leaders"),
    [
        (160, 14.7 * 1.6 + 7, 4.0 * cm, 3.6 * cm),  # 五号 keeps one page: 30.52
        (210, 14.7 * 1.2 + 7, 3.2 * cm, 2.88 * cm),  # 五号 and less room to sign: 24.64
    ],
)
def test_row_heights_in_wu_hao(
    fonts: FontSet, goal: int, one_line: float, units: float, leaders: float
) -> None:
    _, _, table = signoff_flowables(SignoffInput(petition(goal="目" * goal)), CTX, fonts)
    assert table.rows[2].cells[1].content.style.size == 10.5
    assert row_height(table, 2) == pytest.approx(one_line)
    assert row_height(table, 9) == pytest.approx(units)
    assert row_height(table, 10) == pytest.approx(leaders)


# -- counting pages: rows of known heights under 100 pt of title ---------------------------------
def pages_of(*heights: float) -> tuple[int, float]:
    rows = [Row([Cell(None)], min_height=h, splittable=False) for h in heights]
    table = RuledTable(rows, [TEXT_WIDTH], rules=Rules(outer=0, inner=0, pad_x=0, pad_y=0))
    return _pages([Spacer(TEXT_WIDTH, 100), table])


def test_a_form_on_one_page_fills_what_it_takes() -> None:
    assert pages_of(*[60] * 5) == (1, pytest.approx(400))
    # Exactly the 537.80 pt left under the title: still one page, full.
    assert pages_of(TEXT_HEIGHT - 100) == (1, pytest.approx(TEXT_HEIGHT))


def test_two_pages_and_how_full_the_first_is() -> None:
    # 537.80 pt under the title: 8 rows of 60 (480), the 9th would end at 540. Page 1: 100 + 480.
    assert pages_of(*[60] * 10) == (2, pytest.approx(580))


def test_three_pages_count_the_second_page_whole() -> None:
    # Page 1 takes 8 rows, page 2 (637.80 pt, no title) 10 rows, page 3 the last 7.
    assert pages_of(*[60] * 25) == (3, pytest.approx(580))


def test_a_row_taller_than_a_page_counts_one_page_more() -> None:
    assert pages_of(700) == (2, pytest.approx(100))
    # 0.005 pt over what is left: the table will not split (it fits within its 0.01 pt tolerance),
    # and the count takes the safe side: a page more.
    assert pages_of(TEXT_HEIGHT - 100 + 0.005) == (2, pytest.approx(100))


def test_the_count_stops_past_twenty_pages() -> None:
    # 300 pt rows: one under the title, two a page after that; 60 rows would take 30 pages.
    assert pages_of(*[300] * 60) == (21, pytest.approx(400))
