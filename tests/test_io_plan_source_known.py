"""The plan's text as the reader gets it (io/plan/source.py): line ends, page breaks, encodings, a file
cut short, binary data, and a Word paragraph's and table's text, with every expected line written out
(issue 24)."""

from __future__ import annotations

import codecs

import pytest
from lxml import etree

from ledger_app.io.plan import PlanRefused
from ledger_app.io.plan.source import (
    MAX_LINES,
    SourceLine,
    _cell_text,
    _dedupe_spans,
    _garbage_share,
    _paragraph_text,
    decode_text,
    lines_of_text,
    read_docx_bytes,
)
from tests.plan_factory import add_table, docx_bytes

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def test_lines_of_pasted_text() -> None:
    doc = lines_of_text("\ufeff第一行  \r\n第二行\r第三\f行\n\f\n末行", encoding="x")
    assert (doc.format, doc.encoding) == ("paste", "x")
    assert doc.lines == [
        SourceLine(1, "第一行"),
        SourceLine(2, "第二行"),
        SourceLine(3, "第三行", page_break=True),
        SourceLine(4, "", page_break=True),
        SourceLine(5, "末行"),
    ]
    assert doc.text == "第一行\n第二行\n第三行\n\n末行"
    assert lines_of_text("", fmt="txt").lines == [SourceLine(1, "")]


def test_too_many_lines_are_refused() -> None:
    assert len(lines_of_text("\n" * (MAX_LINES - 1)).lines) == MAX_LINES
    with pytest.raises(PlanRefused) as caught:
        lines_of_text("\n" * MAX_LINES)
    assert caught.value.message_zh == f"文本超过 {MAX_LINES} 行,不像是一份整改方案,已拒绝读取。"


def test_encodings() -> None:
    text = "一、问题。\n责任单位:县水利局"
    assert decode_text(codecs.BOM_UTF8 + text.encode("utf-8")) == (text, "UTF-8(带BOM)")
    assert decode_text(codecs.BOM_UTF16_LE + text.encode("utf-16-le")) == (text, "UTF-16")
    assert decode_text(codecs.BOM_UTF16_BE + text.encode("utf-16-be")) == (text, "UTF-16")
    assert decode_text(text.encode("utf-8")) == (text, "UTF-8")
    assert decode_text(text.encode("gb18030")) == (text, "GB18030")
    assert decode_text(b"") == ("", "UTF-8")
    # A copy cut inside its last character: the rest is kept; cut earlier, it is not UTF-8.
    data = text.encode("utf-8")
    assert decode_text(data[:-1]) == (text[:-1], "UTF-8")
    assert decode_text(data[:-2]) == (text[:-1], "UTF-8")
    assert decode_text("甲𠀀".encode()[:-1]) == ("甲", "UTF-8")  # three bytes of a four-byte character


def test_binary_data_is_refused() -> None:
    with pytest.raises(PlanRefused) as caught:
        decode_text(b"abc\x00def")
    assert caught.value.message_en == "binary data (NUL bytes), not text"
    with pytest.raises(PlanRefused) as caught:
        decode_text(codecs.BOM_UTF8 + b"\xff\xfe\xfd")
    assert caught.value.message_en == "not UTF-8 or GB18030 text (byte 0)"
    assert "第 0 字节处无法解码" in caught.value.message_zh
    with pytest.raises(PlanRefused) as caught:
        decode_text(codecs.BOM_UTF8 + b"\x01" * 6 + b"x" * 94)  # 6 % odd characters
    assert caught.value.message_en == "binary data, not text"
    # 5 % exactly is still text.
    assert decode_text(codecs.BOM_UTF8 + b"\x01" * 5 + b"x" * 95)[1] == "UTF-8(带BOM)"
    # A NUL past the first 64 KiB is not looked for (the decoder then judges the text).
    late = b"x" * 65536 + b"\x00"
    assert decode_text(late) == (late.decode(), "UTF-8")


def test_the_share_of_characters_no_plan_holds() -> None:
    assert _garbage_share("") == 0.0
    assert _garbage_share("abc") == 0.0
    assert _garbage_share("\x01abc") == 0.25
    assert _garbage_share("一\ue000") == 0.5  # private use
    assert _garbage_share("\U00020000𠀀") == 0.0  # CJK beyond the BMP (GB18030)
    # Only the first 200,000 characters are sampled.
    assert _garbage_share("a" * 200_000 + "\x01" * 10) == 0.0
    assert _garbage_share("a" * 199_999 + "\x01") == 1 / 200_000


def p(xml: str) -> etree._Element:
    return etree.fromstring(f"<w:p {W}>{xml}</w:p>")


def test_a_word_paragraphs_text() -> None:
    assert _paragraph_text(p("<w:r><w:t>一、</w:t></w:r><w:r><w:t>问题</w:t></w:r>")) == ("一、问题", False)
    assert _paragraph_text(
        p("<w:r><w:t>甲</w:t><w:tab/><w:t>乙</w:t><w:br/><w:t>丙</w:t><w:cr/><w:t/></w:r>")
    ) == (
        "甲\t乙\n丙\n",
        False,
    )
    assert _paragraph_text(p('<w:r><w:t>甲</w:t><w:br w:type="page"/><w:t>乙</w:t></w:r>')) == ("甲乙", True)
    assert _paragraph_text(p("<w:r><w:lastRenderedPageBreak/><w:t>乙</w:t></w:r>")) == ("乙", True)
    assert _paragraph_text(p('<w:r><w:br w:type="column"/></w:r>')) == ("\n", False)
    assert _paragraph_text(p("<w:r><w:delText>删</w:delText><w:instrText>PAGE</w:instrText></w:r>")) == (
        "",
        False,
    )
    cell = etree.fromstring(
        f"<w:tc {W}><w:p><w:r><w:t> 第一段</w:t></w:r></w:p><w:tbl/><w:p><w:r><w:t>第二段 </w:t></w:r></w:p></w:tc>"
    )
    assert _cell_text(cell) == "第一段\n第二段"


def test_cells_of_a_row_merged_across_columns_are_shown_once() -> None:
    assert _dedupe_spans(("a", "a", "b", "a"), (1, 1, 2, 1)) == ["a", "b", "a"]
    assert _dedupe_spans((), ()) == []


def test_a_word_document_as_lines() -> None:
    def build(document) -> None:  # type: ignore[no-untyped-def]
        document.add_paragraph("标题")
        document.add_paragraph("")
        document.add_paragraph("第一行\n第二行 ")
        document.add_paragraph().add_run().add_break(__import__("docx").enum.text.WD_BREAK.PAGE)
        document.add_paragraph("分页后")
        table = add_table(document, ["序号", "问题"], [["1", "问题\n  甲"], ["", ""]])
        table.rows[0].cells[0].merge(table.rows[0].cells[1])
        document.add_paragraph("表后")

    doc = read_docx_bytes(docx_bytes(build))
    assert (doc.format, doc.encoding) == ("docx", "")
    assert [(line.no, line.text, line.cells, line.table, line.page_break) for line in doc.lines] == [
        (1, "标题", None, None, False),
        (2, "", None, None, False),
        (3, "第一行", None, None, False),
        (4, "第二行", None, None, False),
        (5, "", None, None, True),
        (6, "分页后", None, None, False),
        (7, "序号 问题", ("序号\n问题", "序号\n问题"), 0, False),  # merged: python-docx joins the texts
        (8, "1 | 问题 甲", ("1", "问题\n  甲"), 0, False),
        (9, " | ", ("", ""), 0, False),
        (10, "表后", None, None, False),
    ]
    merged, plain = doc.lines[6], doc.lines[7]
    assert merged.cell_ids is not None and merged.cell_ids[0] == merged.cell_ids[1]
    assert plain.cell_ids is not None and plain.cell_ids[0] != plain.cell_ids[1]


def test_a_page_break_inside_a_paragraph_marks_that_paragraph() -> None:
    def build(document) -> None:  # type: ignore[no-untyped-def]
        document.add_paragraph("甲").add_run().add_break(__import__("docx").enum.text.WD_BREAK.PAGE)
        add_table(document, ["序号", "问题"], [["1", "乙"]])

    doc = read_docx_bytes(docx_bytes(build))
    # The break is in the paragraph "甲": its own line carries it, not the table after it.
    assert [(line.text, line.page_break) for line in doc.lines] == [
        ("甲", True),
        ("序号 | 问题", False),
        ("1 | 乙", False),
    ]


def test_an_invalid_byte_at_the_end_is_no_cut_character() -> None:
    with pytest.raises(PlanRefused) as caught:
        decode_text(b"abc\xff")
    assert caught.value.message_en == "not UTF-8 or GB18030 text (byte 3)"


def test_word_numbering_and_adjacent_tables() -> None:
    def build(document) -> None:  # type: ignore[no-untyped-def]
        document.add_paragraph("河道垃圾堆放。", style="List Number")
        document.add_paragraph("扬尘污染。", style="List Number")
        document.add_paragraph("", style="List Number")  # an empty paragraph gets no number
        add_table(document, ["序号", "问题"], [["1", "甲"]])
        add_table(document, ["序号", "问题"], [["2", "乙"]])

    doc = read_docx_bytes(docx_bytes(build))
    assert [(line.text, line.table) for line in doc.lines] == [
        ("1.河道垃圾堆放。", None),
        ("2.扬尘污染。", None),
        ("", None),
        ("序号 | 问题", 0),
        ("1 | 甲", 0),
        ("序号 | 问题", 1),
        ("2 | 乙", 1),
    ]
