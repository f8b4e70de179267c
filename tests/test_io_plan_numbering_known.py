"""Word's automatic numbering as the plan reader sees it (io/plan/numbering.py), on hand-written
numbering.xml and styles.xml parts: the label Word draws before each paragraph, counted as Word counts,
in every number format the reader knows (expected labels written out below; issue 24)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from lxml import etree

from ledger_app.io.plan.numbering import WordNumbering, _chinese, _format, _int, _roman

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W = f'xmlns:w="{W_NS}"'


def xml(text: str) -> etree._Element:
    return etree.fromstring(text)


def level(ilvl: int, fmt: str | None, text: str | None, start: int | None = None) -> str:
    parts = [f'<w:lvl w:ilvl="{ilvl}">']
    if start is not None:
        parts.append(f'<w:start w:val="{start}"/>')
    if fmt is not None:
        parts.append(f'<w:numFmt w:val="{fmt}"/>')
    if text is not None:
        parts.append(f'<w:lvlText w:val="{text}"/>')
    parts.append("</w:lvl>")
    return "".join(parts)


NUMBERING = f"""<w:numbering {W}>
  <w:abstractNum w:abstractNumId="10">
    {level(0, "chineseCounting", "%1、")}
    {level(1, "chineseCounting", "（%2）")}
    {level(2, "decimal", "%3.", start=1)}
    {level(3, "decimalEnclosedCircle", "%4")}
    {level(4, "bullet", "•")}
    {level(5, "none", "")}
  </w:abstractNum>
  <w:abstractNum w:abstractNumId="20">
    {level(0, "decimal", "%1.%2", start=3)}
    {level(1, "upperLetter", "%2)", start=2)}
  </w:abstractNum>
  <w:abstractNum w:abstractNumId="30">
    <w:lvl><w:numFmt w:val="lowerRoman"/><w:lvlText w:val="(%1)"/><w:start w:val="x"/></w:lvl>
  </w:abstractNum>
  <w:num w:numId="1"><w:abstractNumId w:val="10"/></w:num>
  <w:num w:numId="2"><w:abstractNumId w:val="20"/></w:num>
  <w:num w:numId="3"><w:abstractNumId w:val="30"/></w:num>
  <w:num w:numId="4"/>
  <w:num w:numId="5"><w:abstractNumId w:val="99"/></w:num>
</w:numbering>"""
STYLES = f"""<w:styles {W}>
  <w:style w:styleId="ListNumber"><w:pPr><w:numPr><w:numId w:val="1"/><w:ilvl w:val="2"/></w:numPr></w:pPr></w:style>
  <w:style w:styleId="Heading1"><w:pPr><w:numPr><w:numId w:val="1"/></w:numPr></w:pPr></w:style>
  <w:style w:styleId="Normal"><w:pPr/></w:style>
</w:styles>"""


def document(numbering: str | None = NUMBERING, styles: str | None = STYLES) -> SimpleNamespace:
    part = SimpleNamespace()
    if numbering is not None:
        part.numbering_part = SimpleNamespace(element=xml(numbering))
    if styles is not None:
        part.styles = SimpleNamespace(element=xml(styles))
    return SimpleNamespace(part=part)


def p(
    num_id: str | None = None, ilvl: str | None = None, style: str | None = None, *, ppr: bool = True
) -> etree._Element:
    inner = ""
    if style is not None:
        inner += f'<w:pStyle w:val="{style}"/>'
    if num_id is not None or ilvl is not None:
        inner += "<w:numPr>"
        if ilvl is not None:
            inner += f'<w:ilvl w:val="{ilvl}"/>'
        if num_id is not None:
            inner += f'<w:numId w:val="{num_id}"/>'
        inner += "</w:numPr>"
    body = f"<w:pPr>{inner}</w:pPr>" if ppr else ""
    return xml(f"<w:p {W}>{body}<w:r><w:t>x</w:t></w:r></w:p>")


def test_a_plan_numbered_in_three_levels() -> None:
    numbering = WordNumbering.of(document())
    labels = [
        numbering.label(p("1", "0")),  # 一、
        numbering.label(p("1", "1")),  # (一)
        numbering.label(p("1", "2")),  # 1.
        numbering.label(p("1", "2")),  # 2.
        numbering.label(p("1", "3")),  # ①
        numbering.label(p("1", "1")),  # (二): the deeper levels start again below it
        numbering.label(p("1", "2")),  # 1.
        numbering.label(p("1", "0")),  # 二、
        numbering.label(p("1", "1")),  # (一)
    ]
    assert labels == ["一、", "（一）", "1.", "2.", "①", "（二）", "1.", "二、", "（一）"]


def test_levels_from_styles_bullets_and_paragraphs_without_numbers() -> None:
    numbering = WordNumbering.of(document())
    assert numbering.label(p(style="ListNumber")) == "1."  # the style's list and level
    assert numbering.label(p(style="ListNumber")) == "2."
    assert numbering.label(p(style="Heading1")) == "一、"  # a style's numPr without a level: level 0
    assert numbering.label(p("1", "4")) == ""  # a bullet
    assert numbering.label(p("1", "5")) == ""  # numFmt none
    assert numbering.label(p(style="Normal")) == ""  # a style without a list
    assert numbering.label(p(style="Unknown")) == ""
    assert numbering.label(p()) == ""  # pPr without numPr or style
    assert numbering.label(p(ppr=False)) == ""
    assert numbering.label(p("0", "0")) == ""  # numId 0: numbering switched off
    assert numbering.label(p("4", "0")) == ""  # a w:num without its abstract list
    assert numbering.label(p("5", "0")) == ""  # an abstract list that is not there
    assert numbering.label(p("1", "7")) == ""  # a level the list does not define
    # The paragraph's own level with its style's list (numPr with ilvl, without numId).
    assert numbering.label(p(None, "1", style="Heading1")) == "（一）"
    assert numbering.label(p(None, "1")) == ""  # no numId and no style
    assert numbering.label(p(None, "1", style="Normal")) == ""


def test_start_values_and_references_to_other_levels() -> None:
    numbering = WordNumbering.of(document())
    # Level 0 starts at 3 and shows "%1.%2": level 1 not counted yet shows its own start, B.
    assert numbering.label(p("2", "0")) == "3.B"
    assert numbering.label(p("2", "1")) == "B)"
    assert numbering.label(p("2", "1")) == "C)"
    assert numbering.label(p("2", "0")) == "4.B"  # level 1 starts again
    # A start that is not a number: 1; lower-case roman.
    assert [numbering.label(p("3", "0")) for _ in range(4)] == ["(i)", "(ii)", "(iii)", "(iv)"]


def test_levels_beyond_eight_count_as_eight() -> None:
    deep = f"""<w:numbering {W}>
      <w:abstractNum w:abstractNumId="1">{level(9, "decimal", "%9·")}{level(8, "decimal", "L%9")}</w:abstractNum>
      <w:num w:numId="7"><w:abstractNumId w:val="1"/></w:num>
    </w:numbering>"""
    numbering = WordNumbering.of(document(deep))
    assert numbering.label(p("7", "9")) == "1·"
    assert numbering.label(p("7", "9")) == "2·"
    assert numbering.label(p("7", "8")) == "L3"


def test_a_level_without_format_or_text_is_decimal_and_a_level_without_ilvl_is_level_0() -> None:
    bare = f"""<w:numbering {W}>
      <w:abstractNum w:abstractNumId="1"><w:lvl><w:lvlText/><w:numFmt/></w:lvl></w:abstractNum>
      <w:abstractNum w:abstractNumId="2"><w:lvl w:ilvl="0"/></w:abstractNum>
      <w:abstractNum><w:lvl w:ilvl="0"/></w:abstractNum>
      <w:num w:numId="1"><w:abstractNumId w:val="1"/></w:num>
      <w:num w:numId="2"><w:abstractNumId w:val="2"/></w:num>
      <w:num><w:abstractNumId/></w:num>
    </w:numbering>"""
    numbering = WordNumbering.of(document(bare, styles=None))
    assert numbering.levels["1"][0].fmt == "decimal" and numbering.levels["1"][0].text == ""
    assert numbering.label(p("1", "0")) == ""  # an empty lvlText draws nothing
    assert numbering.label(p("2", "0")) == "1."  # the defaults: decimal, "%1."
    assert numbering.label(p("2", "0")) == "2."
    assert numbering.lists == {"1": "1", "2": "2", "": ""}
    assert set(numbering.levels) == {"1", "2", ""}
    assert numbering.style_lists == {}


def test_documents_without_numbering_or_styles() -> None:
    numbering = WordNumbering.of(document(None, None))
    assert (numbering.levels, numbering.lists, numbering.style_lists) == ({}, {}, {})
    assert numbering.label(p("1", "0")) == ""

    class Missing:
        @property
        def numbering_part(self) -> object:
            raise NotImplementedError

        @property
        def styles(self) -> object:
            raise KeyError("styles")

    assert WordNumbering.of(SimpleNamespace(part=Missing())).lists == {}
    # Styles only: lists from styles, but no w:num to resolve them: nothing drawn.
    numbering = WordNumbering.of(document(None))
    assert numbering.style_lists == {"ListNumber": ("1", 2), "Heading1": ("1", 0)}
    assert numbering.label(p(style="ListNumber")) == ""


@pytest.mark.parametrize(
    ("n", "text"),
    [
        (0, "〇"),
        (1, "一"),
        (9, "九"),
        (10, "十"),
        (11, "十一"),
        (19, "十九"),
        (20, "二十"),
        (21, "二十一"),
        (99, "九十九"),
        (100, "100"),
    ],
)
def test_chinese_counting(n: int, text: str) -> None:
    assert _chinese(n) == text


def test_number_formats() -> None:
    for fmt in (
        "chineseCounting",
        "chineseCountingThousand",
        "ideographTraditional",
        "japaneseCounting",
        "chineseLegalSimplified",
        "taiwaneseCounting",
        "taiwaneseCountingThousand",
    ):
        assert _format(12, fmt) == "十二", fmt
    assert _format(1, "decimalEnclosedCircle") == "①"
    assert _format(20, "decimalEnclosedCircleChinese") == "⑳"
    assert _format(21, "decimalEnclosedCircle") == "21"
    assert _format(0, "decimalEnclosedCircle") == "0"
    assert _format(12, "decimalFullWidth") == "１２"
    assert _format(305, "decimalFullWidth2") == "３０５"
    assert [_format(n, "upperLetter") for n in (1, 2, 26, 27)] == ["A", "B", "Z", "A"]
    assert [_format(n, "lowerLetter") for n in (1, 26, 28)] == ["a", "z", "b"]
    assert _format(14, "upperRoman") == "XIV" and _format(14, "lowerRoman") == "xiv"
    assert _format(7, "decimal") == "7" and _format(7, "decimalZero") == "7" and _format(7, "ordinal") == "7"


def test_roman_numerals() -> None:
    assert [
        _roman(n) for n in (1, 3, 4, 5, 9, 10, 40, 44, 49, 50, 90, 99, 100, 400, 500, 900, 1000, 1994, 2024)
    ] == [
        "I",
        "III",
        "IV",
        "V",
        "IX",
        "X",
        "XL",
        "XLIV",
        "XLIX",
        "L",
        "XC",
        "XCIX",
        "C",
        "CD",
        "D",
        "CM",
        "M",
        "MCMXCIV",
        "MMXXIV",
    ]


def test_int_with_a_default() -> None:
    assert (_int("12", 1), _int(None, 1), _int("x", 5), _int("", 0)) == (12, 1, 5, 0)


def test_num_id_0_is_numbering_switched_off_even_when_defined() -> None:
    defined = f"""<w:numbering {W}>
      <w:abstractNum w:abstractNumId="1">{level(0, "decimal", "%1.")}{level(1, "none", "%2.")}</w:abstractNum>
      <w:num w:numId="0"><w:abstractNumId w:val="1"/></w:num>
      <w:num w:numId="3"><w:abstractNumId w:val="1"/></w:num>
    </w:numbering>"""
    numbering = WordNumbering.of(document(defined, styles=None))
    assert numbering.label(p("0", "0")) == ""
    assert numbering.label(p("3", "1")) == ""  # numFmt none draws nothing, whatever its text
    assert numbering.label(p("3", "0")) == "1."


def test_a_level_above_the_last_one_starts_it_again() -> None:
    deep = f"""<w:numbering {W}>
      <w:abstractNum w:abstractNumId="1">{level(0, "decimal", "%1)")}{level(8, "decimal", "L%9")}</w:abstractNum>
      <w:num w:numId="7"><w:abstractNumId w:val="1"/></w:num>
    </w:numbering>"""
    numbering = WordNumbering.of(document(deep, styles=None))
    labels = [numbering.label(p("7", lvl)) for lvl in ("8", "8", "0", "8")]
    assert labels == ["L1", "L2", "1)", "L1"]
