"""The grid calamine will lay out for a sheet, worked out from its XML before calamine reads it."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ledger_app.io.excel_in.cells import col_letter
from ledger_app.io.excel_in.extent import SMALL, _walk, sheet_extent
from ledger_app.io.excel_in.safety import MAX_CELL_AREA

_cells = st.lists(
    st.tuples(
        st.integers(0, 16_383) | st.integers(0, 30),  # columns: anywhere, or mostly the first few
        st.integers(0, 1_048_575) | st.integers(0, 120_000),
        st.booleans(),  # self-closed: formatting only, no value
    ),
    min_size=1,
    max_size=40,
)


def _xml(cells: list[tuple[int, int, bool]]) -> bytes:
    rows: dict[int, list[str]] = {}
    for col, row, closed in sorted(cells, key=lambda c: (c[1], c[0])):
        ref = f"{col_letter(col)}{row + 1}"
        rows.setdefault(row, []).append(
            f'<c r="{ref}" s="1"/>' if closed else f'<c r="{ref}" t="inlineStr"><is><t>x</t></is></c>'
        )
    body = "".join(f'<row r="{r + 1}">{"".join(c)}</row>' for r, c in sorted(rows.items()))
    return f"<worksheet><sheetData>{body}</sheetData></worksheet>".encode()


@settings(max_examples=300, deadline=None)
@given(_cells)
def test_the_quick_answer_agrees_with_walking_every_tag(cells: list[tuple[int, int, bool]]) -> None:
    xml = _xml(cells)
    quick, walked = sheet_extent(xml), _walk(xml)
    if quick is SMALL:
        assert walked.area <= MAX_CELL_AREA  # "surely small" must be true
    else:
        assert quick == walked


def test_a_ledger_of_ten_thousand_rows_within_column_z_is_small_at_once() -> None:
    cells = [(c, r, False) for r in range(0, 60_000, 7) for c in range(12)]
    assert sheet_extent(_xml(cells)) is SMALL


def test_one_far_cell_makes_the_grid_huge() -> None:
    xml = _xml([(0, 0, False), (16_383, 1_048_575, False)])
    assert sheet_extent(xml).area > MAX_CELL_AREA
    # Far formatting without a value lays nothing out.
    assert sheet_extent(_xml([(0, 0, False), (16_383, 1_048_575, True)])).area <= MAX_CELL_AREA


@pytest.mark.parametrize(
    "tag",
    # Spellings quick-xml reads as the same cell, and the one-pass check for the usual ledger must not
    # take for '<c r="A1"': spacing, quotes, attribute order, a prefix, lower case, a bare tag.
    [
        '<c  r="XFD1048576">',
        '<c\tr="XFD1048576">',
        "<c r='XFD1048576'>",
        '<c s="1" r="XFD1048576">',
        '<x:c r="XFD1048576">',
        '<c r="xfd1048576">',
        '<c r = "XFD1048576">',
    ],
)
def test_a_far_cell_in_any_spelling_is_measured(tag: str) -> None:
    xml = (
        '<worksheet><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>x</t></is></c></row>'
        f'<row r="1048576">{tag}<is><t>x</t></is></c></row></sheetData></worksheet>'
    ).encode()
    assert sheet_extent(xml) == _walk(xml)
    assert sheet_extent(xml).area > MAX_CELL_AREA


def test_a_cell_without_a_reference_in_a_far_row_is_measured() -> None:
    # calamine places it by its row's r: the last row, under a first row that reaches column XFD.
    xml = (
        b'<worksheet><sheetData><row r="1"><c r="A1"><v>1</v></c><c r="XFD1"><v>1</v></c></row>'
        b'<row r="1048576"><c t="n"><v>1</v></c></row></sheetData></worksheet>'
    )
    assert sheet_extent(xml) == _walk(xml)
    assert sheet_extent(xml).area > MAX_CELL_AREA
