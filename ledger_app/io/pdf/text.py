"""Chinese text set line by line: our own line breaker and a text block that can split across pages.

reportlab's ``Paragraph(wordWrap="CJK")`` lets ``,`` ``;`` ``:`` start a line and collapses
ideographic spaces (U+3000) that clerks type for indentation and alignment. So user text never goes
through Paragraph markup here: it is drawn as typed, character for character (which also means
``<``, ``&`` and ``<b>`` need no escaping and cannot be taken for markup).

Line breaking follows the usual rules for Chinese (W3C clreq, "避头尾"): closing punctuation never
starts a line and opening brackets never end one; when the next character may not start a line,
the last character(s) of the line move down with it and the line is justified (推出). Runs of ASCII
letters and digits (``GB/T``, ``9704-2012``, ``PM2.5``) stay whole unless longer than a line;
``——`` and ``……`` are never split.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from itertools import accumulate, groupby

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable

from ledger_app.io.pdf.fonts import FontFace

CANNOT_START = frozenset(
    "!%),.:;?]}¢°·'\"†‡›℃∶、。〃〆〕〗〞﹚﹜！＂％＇），．：；？］｝～"
    "」』】〉》〙〛”’…‥‰′″ー゛゜ゝゞヽヾ々〻ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ"
    "ﾞﾟ｡｣､･"
)
CANNOT_END = frozenset("([{£¥$#@‘“〈《「『【〔〖〘〚〝（［｛￡￥＄＃＠")

# Tabs become spaces; other controls, bidi overrides and byte-order marks (pasted from web pages
# and Word) would print as empty boxes.
_CONTROL_RE = re.compile(r"[\x00-\x09\x0b-\x1f\x7f\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]")


class Align(StrEnum):
    LEFT = "left"
    JUSTIFY = "justify"
    CENTER = "center"
    RIGHT = "right"


@dataclass(frozen=True, slots=True)
class TextStyle:
    face: FontFace
    size: float
    leading: float
    align: Align = Align.JUSTIFY
    first_indent: float = 0.0  # in characters (em), for the first line of each paragraph
    balanced: bool = False  # spread short text evenly over its lines (labels: 整改落/实情况)
    space_before: float = 0.0
    space_after: float = 0.0


@dataclass(slots=True)
class Line:
    runs: list[tuple[str, str]]  # (font name, text), text without the break spaces
    width: float  # natural width in points
    justify: bool  # stretch to the full width (not the last line of a paragraph)
    indent: float = 0.0
    tail: str = ""  # ASCII spaces dropped at the break, kept so the text can be rejoined
    paragraph_end: bool = False

    @property
    def text(self) -> str:
        return "".join(t for _, t in self.runs)


class _Widths(dict[str, float]):
    """Character → advance width in 1/1000 em, looked up in the face, then its fallbacks."""

    def __init__(self, measure: _Measure) -> None:
        super().__init__()
        self.measure = measure

    def __missing__(self, ch: str) -> float:
        m = self.measure
        code = ord(ch)
        pick = next((i for i, cmap in enumerate(m.cmaps) if code in cmap), 0)
        if pick:
            m.fallback[ch] = m.names[pick]
        width = m.widths[pick].get(code, m.defaults[pick])
        self[ch] = width
        return width


class _Measure:
    """Per-face character widths and coverage, cached: the hot path of every form."""

    _cache: dict[tuple[str, tuple[str, ...]], _Measure] = {}  # noqa: RUF012

    def __init__(self, face: FontFace) -> None:
        self.names = (face.name, *face.fallbacks)
        fonts = [pdfmetrics.getFont(n) for n in self.names]
        self.cmaps = [f.face.charToGlyph for f in fonts]
        self.widths = [f.face.charWidths for f in fonts]
        self.defaults = [f.face.defaultWidth for f in fonts]
        self.width = _Widths(self)
        self.fallback: dict[str, str] = {}  # characters the face lacks → the face that has them

    @classmethod
    def of(cls, face: FontFace) -> _Measure:
        key = (face.name, face.fallbacks)
        found = cls._cache.get(key)
        if found is None:
            found = cls._cache[key] = cls(face)
        return found

    def runs(self, text: str) -> list[tuple[str, str]]:
        """(font name, text) runs: one run unless a character needs a fallback face."""
        if not text:
            return []
        if self.fallback.keys().isdisjoint(text):
            return [(self.names[0], text)]
        primary = self.names[0]
        return [
            (name, "".join(chars)) for name, chars in groupby(text, lambda c: self.fallback.get(c, primary))
        ]


def clean_text(text: str) -> list[str]:
    """User text as paragraphs: newlines of any platform break lines, tabs become spaces."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n")
    text = _CONTROL_RE.sub(lambda m: "    " if m.group() == "\t" else "", text)
    return text.split("\n")


def _is_word(ch: str) -> bool:
    return "!" <= ch <= "~"


def _allowed(p: str, b: int) -> bool:
    """May a line end between p[b-1] and p[b]?"""
    before, after = p[b - 1], p[b]
    if after == " " or before == " ":
        return True
    if after in CANNOT_START or before in CANNOT_END:
        return False
    if _is_word(before) and _is_word(after):
        return False  # inside GB/T, 9704-2012, a URL
    return not (before == after and after in "—…")  # —— and …… stay whole


def _word_fits(p: str, b: int, cum: list[float], avail: float) -> bool:
    """Does the ASCII word starting at p[b] fit on a line of its own?"""
    if not _is_word(p[b]):
        return False
    end = b
    while end < len(p) and _is_word(p[end]):
        end += 1
    return cum[end] - cum[b] <= avail


def _break_point(p: str, start: int, k: int, cum: list[float], avail: float) -> int:
    """Where to end the line p[start:...] when p[k] no longer fits."""
    b = k
    while b > start + 1 and not _allowed(p, b):
        b -= 1
    if _allowed(p, b) and (cum[b] - cum[start] >= 0.6 * avail or _word_fits(p, b, cum, avail)):
        # Push the last character(s) down with the one that may not start a line (推出), or move
        # an ASCII word down whole.
        return b
    if p[k] in CANNOT_START:
        # Nothing sensible to push down: let the punctuation hang in the margin (at most two).
        return k + 2 if k + 1 < len(p) and p[k + 1] in CANNOT_START else k + 1
    return k  # a word longer than the line is cut


def break_paragraph(paragraph: str, style: TextStyle, max_width: float) -> list[Line]:
    """Lines of one paragraph (no newlines inside) fitted into ``max_width`` points."""
    measure = _Measure.of(style.face)
    indent = style.first_indent * style.size
    scale = style.size / 1000.0
    p = paragraph
    n = len(p)
    # cum[i]: the width of p[:i], in 1/1000 em; bisect finds where a line overflows.
    cum = list(accumulate(map(measure.width.__getitem__, p), initial=0.0))
    lines: list[Line] = []
    start = 0
    while start < n:
        line_indent = indent if not lines else 0.0
        avail = (max_width - line_indent) / scale
        k = max(bisect_right(cum, cum[start] + avail + 0.01) - 1, start + 1)
        if k < n:
            k = _break_point(p, start, k, cum, avail) if p[k] != " " else k
        end = k
        while end > start and p[end - 1] == " ":
            end -= 1  # spaces at a break are dropped (ideographic spaces stay: they are text)
        nxt = k
        while nxt < n and p[nxt] == " ":
            nxt += 1
        line = Line(measure.runs(p[start:end]), (cum[end] - cum[start]) * scale, nxt < n, line_indent)
        line.tail = p[end:nxt]
        lines.append(line)
        start = nxt
    if not lines:
        lines.append(Line([], 0.0, False, indent, p))
    lines[-1].paragraph_end = True
    return lines


def break_text(text: str, style: TextStyle, max_width: float) -> list[Line]:
    paragraphs = clean_text(text)
    lines = [line for p in paragraphs for line in break_paragraph(p, style, max_width)]
    if style.balanced and len(lines) > len(paragraphs):
        lines = _balance(paragraphs, style, max_width, len(lines))
    return lines


def _balance(paragraphs: list[str], style: TextStyle, max_width: float, count: int) -> list[Line]:
    """Narrow the measure while the line count stays: 整改落/实情况, not 整改落实情/况."""
    best: list[Line] | None = None
    lo, hi = max_width / count, max_width
    for _ in range(10):
        mid = (lo + hi) / 2
        trial = [line for p in paragraphs for line in break_paragraph(p, style, mid)]
        if len(trial) <= count:
            best, hi = trial, mid
        else:
            lo = mid
    return best or [line for p in paragraphs for line in break_paragraph(p, style, max_width)]


def join_lines(lines: Iterable[Line]) -> str:
    """The text the lines came from (the inverse of break_text)."""
    parts: list[str] = []
    for line in lines:
        parts.append(line.text + line.tail)
        if line.paragraph_end:
            parts.append("\n")
    return "".join(parts).removesuffix("\n")


def draw_lines(canv: Canvas, lines: list[Line], style: TextStyle, x: float, top: float, width: float) -> None:
    """Draw lines from ``top`` (the top of the first line box) downwards, in one text object."""
    face = style.face
    size = style.size
    # Centre the em box (ascent 0.88, descent 0.12 for CJK faces) in the line box.
    baseline = top - (style.leading - size) / 2 - 0.86 * size
    if not any(line.runs for line in lines):
        return
    canv.saveState()
    t = canv.beginText()
    if face.faux_bold:
        canv.setLineWidth(size * 0.035)
        canv.setLineJoin(1)
        t.setTextRenderMode(2)
    font, spacing = "", 0.0
    for line in lines:
        if line.runs:
            free = width - line.indent - line.width
            chars = sum(len(r) for _, r in line.runs)
            line_spacing = 0.0
            dx = line.indent
            if style.align is Align.JUSTIFY:
                # Spread the space a pushed-down character left; not on a paragraph's last line,
                # and not when that would pull the characters visibly apart (a long word moved).
                if line.justify and chars > 1 and 0 < free < 0.5 * size * (chars - 1):
                    line_spacing = free / (chars - 1)
            elif style.align is Align.CENTER:
                dx += free / 2
            elif style.align is Align.RIGHT:
                dx += free
            t.setTextOrigin(x + dx, baseline)
            if line_spacing != spacing:
                t.setCharSpace(line_spacing)
                spacing = line_spacing
            for name, run in line.runs:
                if name != font:
                    t.setFont(name, size)
                    font = name
                t.textOut(run)
        baseline -= style.leading
    canv.drawText(t)
    canv.restoreState()


class TextBlock:
    """Text laid out for one width; the content of a table cell or of a TextFlowable."""

    __slots__ = ("_fixed", "_lines", "_width", "style", "text")

    def __init__(self, text: str, style: TextStyle) -> None:
        self.text = text
        self.style = style
        self._lines: list[Line] | None = None
        self._width = -1.0
        self._fixed = False  # lines kept from a split: not re-broken at the same width

    def lines(self, width: float) -> list[Line]:
        if self._lines is None or abs(width - self._width) >= 0.01:
            if self._fixed and self._lines is not None:
                # Another width after a split (not in our layouts): re-break, never lose text.
                self.text, self._fixed = join_lines(self._lines), False
            self._lines = break_text(self.text, self.style, width)
            self._width = width
        return self._lines

    def height(self, width: float) -> float:
        return len(self.lines(width)) * self.style.leading

    def split(self, width: float, avail: float) -> tuple[TextBlock, TextBlock] | None:
        """The lines that fit in ``avail`` points and the rest; None if either part would be empty."""
        lines = self.lines(width)
        n = int((avail + 0.01) // self.style.leading)
        if n <= 0 or n >= len(lines):
            return None
        return self._part(lines[:n], width), self._part(lines[n:], width)

    def _part(self, lines: list[Line], width: float) -> TextBlock:
        part = TextBlock("", self.style)
        part._lines, part._width, part._fixed = list(lines), width, True
        return part

    def draw(self, canv: Canvas, x: float, top: float, width: float) -> None:
        draw_lines(canv, self.lines(width), self.style, x, top, width)


class TextFlowable(Flowable):
    """Paragraphs of plain text in the frame (letters, report, titles), split across pages."""

    def __init__(self, text: str, style: TextStyle, *, keep_with_next: bool = False) -> None:
        super().__init__()
        self.block = TextBlock(text, style)
        self.style = style
        self.keepWithNext = keep_with_next
        self.spaceBefore = style.space_before
        self.spaceAfter = style.space_after
        self._avail_width = 0.0

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        self._avail_width = availWidth
        self.width = availWidth
        self.height = self.block.height(availWidth)
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:  # noqa: N803
        # Keep at least two lines together at either side of a page end (no orphans, no widows).
        lines = self.block.lines(availWidth)
        n = int((availHeight + 0.01) // self.style.leading)
        if len(lines) < 4 or n < 2:
            return []
        n = min(n, len(lines) - 2)
        first, rest = self.block.split(availWidth, n * self.style.leading) or (None, None)
        if first is None or rest is None:
            return []
        return [_from_block(first, self.style, after=0.0), _from_block(rest, self.style, before=0.0)]

    def draw(self) -> None:
        self.block.draw(self.canv, 0, self.height, self._avail_width)


def _from_block(
    block: TextBlock, style: TextStyle, *, before: float | None = None, after: float | None = None
) -> TextFlowable:
    """A part of a split paragraph: no space above the continuation, none below the first part."""
    f = TextFlowable("", style)
    f.block = block
    f.spaceBefore = style.space_before if before is None else before
    f.spaceAfter = style.space_after if after is None else after
    return f
