"""Pieces of letter-style documents (report, 督办单, 提醒函): the issuer and date block."""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.platypus import Flowable

from ledger_app.io.pdf.text import Align, Line, TextStyle, break_text, draw_lines


class IssuerBlock(Flowable):
    """发文机关署名 and 成文日期 as GB/T 9704 sets them on a sealed document: the date four
    characters from the right edge, each issuer centred over it, one blank line above (the seal
    presses down on both)."""

    def __init__(self, issuers: Sequence[str], date_text: str, style: TextStyle) -> None:
        super().__init__()
        self.issuers = [i.strip() for i in issuers if i.strip()]
        self.date_text = date_text
        self.style = TextStyle(style.face, style.size, style.leading, Align.LEFT)
        self.spaceBefore = style.leading
        self.keepWithNext = False
        self._avail = 0.0
        self._issuer_lines: list[Line] = []
        self._date_lines: list[Line] = []

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        self._avail = availWidth
        limit = availWidth - 2 * self.style.size
        self._issuer_lines = [line for name in self.issuers for line in break_text(name, self.style, limit)]
        self._date_lines = break_text(self.date_text, self.style, limit)
        self.width = availWidth
        self.height = (len(self._issuer_lines) + len(self._date_lines)) * self.style.leading
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:  # noqa: N803
        return []  # never part the issuers from the date

    def draw(self) -> None:
        size, leading = self.style.size, self.style.leading
        date_w = max((line.width for line in self._date_lines), default=0.0)
        date_right = self._avail - 4 * size
        centre = date_right - date_w / 2
        top = self.height
        for line in self._issuer_lines:
            # Centred over the date, but never closer than two characters to the right edge.
            x = max(0.0, min(centre - line.width / 2, self._avail - 2 * size - line.width))
            draw_lines(self.canv, [line], self.style, x, top, line.width + 0.01)
            top -= leading
        for line in self._date_lines:
            x = max(0.0, date_right - line.width)
            draw_lines(self.canv, [line], self.style, x, top, line.width + 0.01)
            top -= leading
