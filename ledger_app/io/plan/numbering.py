"""Word's automatic numbering, as the text it shows: "1." "(一)" "①" that are not in the paragraph's runs.

Plans typed in Word often number problems and measures with list styles; the reader needs the number
to see where a task or a measure starts. Each paragraph with a list (its own w:numPr, or its style's)
gets the label Word would draw: the level's w:lvlText with %1…%9 filled in by the counters of that
list (w:num), formatted by the level's w:numFmt. Bullets give nothing. Counters restart below a level
that moves on, as Word does.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_VAL = f"{_W}val"
_CN = "〇一二三四五六七八九"


def _chinese(n: int) -> str:
    if n < 10:
        return _CN[n]
    if n < 100:
        tens, ones = divmod(n, 10)
        return ("" if tens == 1 else _CN[tens]) + "十" + (_CN[ones] if ones else "")
    return str(n)


def _format(n: int, fmt: str) -> str:
    if fmt in ("chineseCounting", "chineseCountingThousand", "ideographTraditional", "japaneseCounting",
               "chineseLegalSimplified", "taiwaneseCounting", "taiwaneseCountingThousand"):  # fmt: skip
        return _chinese(n)
    if fmt == "decimalEnclosedCircle" or fmt == "decimalEnclosedCircleChinese":
        return chr(0x2460 + n - 1) if 1 <= n <= 20 else str(n)
    if fmt == "decimalFullWidth" or fmt == "decimalFullWidth2":
        return "".join(chr(0xFF10 + int(d)) for d in str(n))
    if fmt == "upperLetter":
        return chr(ord("A") + (n - 1) % 26)
    if fmt == "lowerLetter":
        return chr(ord("a") + (n - 1) % 26)
    if fmt in ("upperRoman", "lowerRoman"):
        roman = _roman(n)
        return roman if fmt == "upperRoman" else roman.lower()
    return str(n)  # decimal, decimalZero and anything unusual


def _roman(n: int) -> str:
    out = ""
    for value, sign in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
                        (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):  # fmt: skip
        while n >= value:
            out += sign
            n -= value
    return out


@dataclass(slots=True)
class _Level:
    fmt: str = "decimal"
    text: str = "%1."
    start: int = 1


@dataclass(slots=True)
class WordNumbering:
    """The numbering definitions of one document, and the counters while its paragraphs are read."""

    levels: dict[str, dict[int, _Level]] = field(default_factory=dict)  # abstractNumId → ilvl → level
    lists: dict[str, str] = field(default_factory=dict)  # numId → abstractNumId
    counters: dict[str, list[int]] = field(default_factory=dict)  # numId → count per level
    style_lists: dict[str, tuple[str, int]] = field(default_factory=dict)  # styleId → (numId, ilvl)

    @classmethod
    def of(cls, document: Any) -> WordNumbering:
        found = cls()
        try:
            numbering = document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            numbering = None
        if numbering is not None:
            for abstract in numbering.iterchildren(f"{_W}abstractNum"):
                levels: dict[int, _Level] = {}
                for lvl in abstract.iterchildren(f"{_W}lvl"):
                    level = _Level()
                    for child in lvl.iterchildren():
                        tag = child.tag
                        if tag == f"{_W}numFmt":
                            level.fmt = child.get(_VAL, "decimal")
                        elif tag == f"{_W}lvlText":
                            level.text = child.get(_VAL, "")
                        elif tag == f"{_W}start":
                            level.start = _int(child.get(_VAL), 1)
                    levels[_int(lvl.get(f"{_W}ilvl"), 0)] = level
                found.levels[abstract.get(f"{_W}abstractNumId", "")] = levels
            for num in numbering.iterchildren(f"{_W}num"):
                ref = num.find(f"{_W}abstractNumId")
                if ref is not None:
                    found.lists[num.get(f"{_W}numId", "")] = ref.get(_VAL, "")
        try:
            styles = document.part.styles.element
        except (KeyError, NotImplementedError, AttributeError):
            styles = None
        if styles is not None:
            for style in styles.iterchildren(f"{_W}style"):
                num_pr = style.find(f"{_W}pPr/{_W}numPr")
                if num_pr is not None:
                    found.style_lists[style.get(f"{_W}styleId", "")] = _num_pr(num_pr)
        return found

    def label(self, paragraph: Any) -> str:
        """The number Word draws before ``paragraph`` (a w:p), counting it; "" when it has none."""
        if not self.lists:
            return ""
        p_pr = paragraph.find(f"{_W}pPr")
        if p_pr is None:
            return ""
        num_pr = p_pr.find(f"{_W}numPr")
        if num_pr is not None:
            num_id, ilvl = _num_pr(num_pr)
            if not num_id:  # a style's list, with the paragraph's own level
                style = p_pr.find(f"{_W}pStyle")
                num_id = self.style_lists.get(style.get(_VAL, "") if style is not None else "", ("", 0))[0]
        else:
            style = p_pr.find(f"{_W}pStyle")
            if style is None:
                return ""
            num_id, ilvl = self.style_lists.get(style.get(_VAL, ""), ("", 0))
        if not num_id or num_id == "0":
            return ""
        levels = self.levels.get(self.lists.get(num_id, ""), {})
        level = levels.get(ilvl)
        if level is None or level.fmt in ("bullet", "none"):
            return ""
        counts = self.counters.setdefault(num_id, [0] * 9)
        ilvl = max(0, min(ilvl, 8))
        counts[ilvl] = counts[ilvl] + 1 if counts[ilvl] else levels[ilvl].start
        for deeper in range(ilvl + 1, 9):
            counts[deeper] = 0
        text = level.text
        for k in range(9):
            if f"%{k + 1}" in text:
                upper = levels.get(k, level)
                text = text.replace(f"%{k + 1}", _format(counts[k] or upper.start, upper.fmt))
        return text


def _num_pr(num_pr: Any) -> tuple[str, int]:
    num_id = num_pr.find(f"{_W}numId")
    ilvl = num_pr.find(f"{_W}ilvl")
    return (
        num_id.get(_VAL, "") if num_id is not None else "",
        _int(ilvl.get(_VAL) if ilvl is not None else None, 0),
    )


def _int(text: str | None, default: int) -> int:
    try:
        return int(text) if text is not None else default
    except ValueError:
        return default
