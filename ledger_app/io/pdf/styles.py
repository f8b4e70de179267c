"""Type sizes and faces of the forms and letters, after GB/T 9704-2012 where it applies.

Letters and reports: title 2号 小标宋 (22 pt), body 3号 仿宋 with 28 characters a line and 22 lines
a page (hence 156 mm / 28 and 225 mm / 22), first-level headings 黑体, second-level 楷体.
Forms: the same title, table text in 小四 (12 pt) or, when that does not fit one page, 五号 (10.5 pt).
"""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.lib.units import mm

from ledger_app.io.pdf.doc import TEXT_HEIGHT, TEXT_WIDTH
from ledger_app.io.pdf.fonts import FontSet
from ledger_app.io.pdf.text import Align, TextStyle

TITLE_SIZE = 22.0
LETTER_SIZE = TEXT_WIDTH / 28  # 15.8 pt: 28 characters a line, as GB/T 9704 asks of 3号 text
LETTER_LEADING = TEXT_HEIGHT / 22  # 29 pt: 22 lines a page
FORM_SIZES = (12.0, 10.5)  # 小四, then 五号 when the form would not fit one page


@dataclass(frozen=True, slots=True)
class FormStyles:
    title: TextStyle
    header: TextStyle  # the line under the title: round, 序号
    header_right: TextStyle
    label: TextStyle  # the label column
    cell: TextStyle  # the text cells
    sign_heading: TextStyle
    sign_line: TextStyle  # 签字 / 年 月 日 lines, right-aligned


def form_styles(fonts: FontSet, size: float) -> FormStyles:
    leading = round(size * 1.4, 2)  # close to Word's single spacing for CJK faces: forms are dense
    return FormStyles(
        title=TextStyle(fonts.title, TITLE_SIZE, TITLE_SIZE * 1.4, Align.CENTER, space_after=2 * mm),
        header=TextStyle(fonts.body, size, leading, Align.LEFT),
        header_right=TextStyle(fonts.body, size, leading, Align.RIGHT),
        label=TextStyle(fonts.hei, size, leading, Align.CENTER, balanced=True),
        cell=TextStyle(fonts.body, size, leading, Align.JUSTIFY),
        sign_heading=TextStyle(fonts.hei, size, leading, Align.LEFT),
        sign_line=TextStyle(fonts.body, size, leading * 1.2, Align.RIGHT),
    )


@dataclass(frozen=True, slots=True)
class LetterStyles:
    title: TextStyle
    subtitle: TextStyle  # 楷体 line under the title
    number: TextStyle  # 督办〔2026〕3号, centred under the title
    addressee: TextStyle  # 主送机关: flush left
    body: TextStyle
    heading1: TextStyle  # 一、 in 黑体
    heading2: TextStyle  # (一) in 楷体
    table_label: TextStyle
    table_cell: TextStyle
    table_cell_center: TextStyle


def letter_styles(fonts: FontSet) -> LetterStyles:
    size, leading = LETTER_SIZE, LETTER_LEADING
    cell = 10.5  # 五号 in the tables of letters: the 进度情况 and 时限 columns stay on one line
    return LetterStyles(
        title=TextStyle(fonts.title, TITLE_SIZE, TITLE_SIZE * 1.6, Align.CENTER, balanced=True),
        subtitle=TextStyle(fonts.kai, size, leading, Align.CENTER),
        number=TextStyle(fonts.body, size, leading, Align.CENTER, space_after=leading / 2),
        addressee=TextStyle(fonts.body, size, leading, Align.JUSTIFY),
        body=TextStyle(fonts.body, size, leading, Align.JUSTIFY, first_indent=2),
        heading1=TextStyle(fonts.hei, size, leading, Align.LEFT, first_indent=2),
        heading2=TextStyle(fonts.kai, size, leading, Align.LEFT, first_indent=2),
        table_label=TextStyle(fonts.hei, cell, cell * 1.5, Align.CENTER, balanced=True),
        table_cell=TextStyle(fonts.body, cell, cell * 1.5, Align.JUSTIFY),
        table_cell_center=TextStyle(fonts.body, cell, cell * 1.5, Align.CENTER),
    )
