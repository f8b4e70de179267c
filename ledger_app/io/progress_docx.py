"""The progress report (整改落实情况报告) as a Word file in the official-document layout (GB/T 9704-2012).

A4; margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm; title in 方正小标宋简体 二号 (22 pt),
centred; body in 仿宋_GB2312 三号 (16 pt) with a fixed line spacing of 28.95 pt, which gives the
standard 22 lines of 28 characters on a page; first-line indent of two characters; headings 一、 in
黑体 and (一) in 楷体_GB2312, both 三号; the page number "— 1 —" in 宋体 四号 at the foot. On a PC without
the 方正 or _GB2312 fonts Word substitutes its own; the layout stays.
"""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from ledger_app.domain.progress_report import ProgressReport, cn_date

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEADING1_FONT = "黑体"
HEADING2_FONT = "楷体_GB2312"
PAGE_NUMBER_FONT = "宋体"
TITLE_SIZE = Pt(22)  # 二号
BODY_SIZE = Pt(16)  # 三号
LINE_SPACING = Pt(28.95)  # 225 mm of text height / 22 lines
FIRST_LINE_INDENT = Pt(32)  # two characters of 三号


def _font(run: Run, name: str, size: Pt, *, bold: bool = False) -> None:
    run.font.name = name
    run.font.size = size
    run.font.bold = bold
    # Word picks the face of Chinese characters from the eastAsia slot, not from font.name.
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    for slot in ("w:eastAsia", "w:ascii", "w:hAnsi", "w:cs"):
        fonts.set(qn(slot), name)


def _paragraph(doc: object, text: str, font: str, size: Pt, *, indent: bool = True) -> Paragraph:
    paragraph: Paragraph = doc.add_paragraph()  # type: ignore[attr-defined]
    fmt = paragraph.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = LINE_SPACING
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)
    fmt.first_line_indent = FIRST_LINE_INDENT if indent else None
    fmt.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    _font(paragraph.add_run(text), font, size)
    return paragraph


def _page_number(section: object) -> None:
    """— 1 — centred in the footer: a PAGE field between two dashes."""
    footer = section.footer  # type: ignore[attr-defined]
    paragraph = footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(paragraph.add_run("— "), PAGE_NUMBER_FONT, Pt(14))
    run = paragraph.add_run()
    _font(run, PAGE_NUMBER_FONT, Pt(14))
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._element.append(element)
    _font(paragraph.add_run(" —"), PAGE_NUMBER_FONT, Pt(14))


def write_progress_report(report: ProgressReport, out: Path) -> Path:
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.footer_distance = Mm(28) - Mm(7)  # the page number sits 7 mm under the text block
    normal = doc.styles["Normal"]
    normal.font.name = BODY_FONT
    normal.font.size = BODY_SIZE
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)
    _page_number(section)

    title = _paragraph(doc, report.title, TITLE_FONT, TITLE_SIZE, indent=False)
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.line_spacing = Pt(36)
    _paragraph(doc, "", BODY_FONT, BODY_SIZE, indent=False)  # one empty line under the title
    for block in report.blocks:
        font = {1: HEADING1_FONT, 2: HEADING2_FONT}.get(block.level, BODY_FONT)
        paragraph = _paragraph(doc, block.text, font, BODY_SIZE)
        if block.level:  # a heading never ends a page alone
            paragraph.paragraph_format.keep_with_next = True
    _paragraph(doc, "", BODY_FONT, BODY_SIZE, indent=False)
    for text in (report.issuer, cn_date(report.as_of)):
        closing = _paragraph(doc, text, BODY_FONT, BODY_SIZE, indent=False)
        closing.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        closing.paragraph_format.right_indent = Pt(64)  # 右空四字, as the standard places 成文日期
    out = Path(out)
    doc.save(str(out))
    return out
