"""Cell styles and print setup of the monthly-report workbook.

Every style is a NamedStyle registered once per workbook (they show in Excel's and WPS's style gallery
under these Chinese names); cells get a copy of its small style array, so no Font or Border object is
built, hashed or looked up per cell: per-cell style objects are what makes openpyxl exports slow.
"""

from __future__ import annotations

from dataclasses import dataclass

from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
from openpyxl.styles.cell_style import StyleArray
from openpyxl.workbook import Workbook
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.worksheet import Worksheet

# Fonts are referred to by name; Excel and WPS on Windows find them by name. charset 134 (GB2312)
# tells them to substitute a Chinese face when a name is missing (方正小标宋简体 is common in
# government offices, not on every PC), instead of a Latin one that shows boxes.
TITLE_FONT = "方正小标宋简体"
BODY_FONT = "宋体"
HEADING_FONT = "黑体"
GB2312 = 134

BODY_SIZE = 10.5
TITLE_SIZE = 20.0
LINE_HEIGHT = 14.5  # points per wrapped line at 10.5–11 pt
TITLE_HEIGHT = 40.0
FOOTER = "第 &P 页 共 &N 页"

LAGGING_FILL = "FCE4D6"  # light red: 滞后 rows stand out on screen and in a colour print
HEADER_FILL = "D9D9D9"
SECTION_FILL = "F2F2F2"


def _font(name: str, size: float, *, bold: bool = False) -> Font:
    return Font(name=name, size=size, bold=bold, charset=GB2312)


_thin = Side(style="thin", color="000000")
_BORDER = Border(left=_thin, right=_thin, top=_thin, bottom=_thin)
_WRAP_CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
_WRAP_LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)


def _fill(rgb: str) -> PatternFill:
    return PatternFill(fill_type="solid", start_color=rgb, end_color=rgb)


def named_styles() -> list[NamedStyle]:
    """The report's styles, fresh objects each call (a NamedStyle belongs to one workbook)."""
    body = _font(BODY_FONT, BODY_SIZE)
    return [
        NamedStyle("台账标题", font=_font(TITLE_FONT, TITLE_SIZE), alignment=_WRAP_CENTER),
        NamedStyle(
            "台账填报信息", font=_font(BODY_FONT, 11), alignment=Alignment(vertical="center", wrap_text=True)
        ),
        NamedStyle(
            "台账填报日期",
            font=_font(BODY_FONT, 11),
            alignment=Alignment(horizontal="right", vertical="center"),
        ),
        NamedStyle(
            "台账表头",
            font=_font(HEADING_FONT, 11, bold=True),
            alignment=_WRAP_CENTER,
            border=_BORDER,
            fill=_fill(HEADER_FILL),
        ),
        NamedStyle(
            "台账分组",
            font=_font(BODY_FONT, 11, bold=True),
            alignment=_WRAP_LEFT,
            border=_BORDER,
            fill=_fill(SECTION_FILL),
        ),
        NamedStyle("台账正文", font=body, alignment=_WRAP_LEFT, border=_BORDER),
        NamedStyle("台账正文居中", font=body, alignment=_WRAP_CENTER, border=_BORDER),
        NamedStyle("台账滞后", font=body, alignment=_WRAP_LEFT, border=_BORDER, fill=_fill(LAGGING_FILL)),
        NamedStyle(
            "台账滞后居中", font=body, alignment=_WRAP_CENTER, border=_BORDER, fill=_fill(LAGGING_FILL)
        ),
        NamedStyle("统计比率", font=body, alignment=_WRAP_CENTER, border=_BORDER, number_format="0.0%"),
        NamedStyle(
            "统计小标题", font=_font(HEADING_FONT, 12, bold=True), alignment=Alignment(vertical="center")
        ),
        NamedStyle(
            "统计说明", font=_font(BODY_FONT, 11), alignment=Alignment(vertical="top", wrap_text=True)
        ),
    ]


@dataclass(frozen=True, slots=True)
class CellStyle:
    """One named style as a style array, plus the same with Excel's quote prefix (text stays text)."""

    plain: StyleArray
    quoted: StyleArray

    def for_text(self, quote: bool) -> StyleArray:
        return self.quoted if quote else self.plain


def register_styles(wb: Workbook) -> dict[str, CellStyle]:
    """Add the report's named styles to ``wb``; returns them by name, ready to hand to cells."""
    palette = {}
    for style in named_styles():
        wb.add_named_style(style)
        plain = StyleArray(style.as_tuple())
        quoted = StyleArray(plain)
        quoted.quotePrefix = 1
        palette[style.name] = CellStyle(plain, quoted)
    return palette


def set_print_layout(ws: Worksheet, *, title_rows: str | None) -> None:
    """A4 landscape, one page wide, ``title_rows`` repeated on every page, page numbers in the footer.

    In write-only mode this must run before the first row is appended, or openpyxl silently drops it.
    """
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = 9  # A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0  # as many pages tall as it takes
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins = PageMargins(left=0.4, right=0.4, top=0.5, bottom=0.6, header=0.3, footer=0.3)
    ws.print_options.horizontalCentered = True
    if title_rows:
        ws.print_title_rows = title_rows
    ws.oddFooter.center.text = FOOTER
    ws.oddFooter.center.font = BODY_FONT
    ws.oddFooter.center.size = 10
