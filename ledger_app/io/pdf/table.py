"""A ruled table for forms: rows of text cells that split across pages line by line.

Why not reportlab's ``Table``: its cells wrap with reportlab's own CJK breaking (see pdf.text),
it names a non-embedded Helvetica unless every style sets a font, and a row taller than the rest of
the page can at best be cut blindly (``splitInRow``). This table draws our ``TextBlock`` cells
itself: a row too tall for the page is cut between two lines of its text (at least two lines on
either side), the label of the cut row is repeated on the next page as "反馈问题（续）", header rows
are repeated, and rows marked ``keep_with_next`` (the signature blocks) never part.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum

from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable

from ledger_app.io.pdf.text import TextBlock

CONTINUED = "（续）"


class CellKind(StrEnum):
    LABEL = "label"  # repeated with (续) when its row is cut
    TEXT = "text"  # cut between lines when its row is cut
    SIGNATURE = "signature"  # fixed blank space; never cut


class VAlign(StrEnum):
    TOP = "top"
    MIDDLE = "middle"


@dataclass(slots=True)
class Signature:
    """A block to sign and seal: a heading at the top, the signing lines at the bottom."""

    heading: TextBlock
    footer: list[TextBlock]
    height: float  # the whole block, heading and footer included

    def draw(self, canv: Canvas, x: float, top: float, width: float, height: float) -> None:
        """Heading from ``top``, signing lines at the foot of ``height`` (the row may be taller)."""
        self.heading.draw(canv, x, top, width)
        y = top - max(height, self.height) + sum(b.height(width) for b in self.footer)
        for block in self.footer:
            block.draw(canv, x, y, width)
            y -= block.height(width)


@dataclass(slots=True)
class Cell:
    content: TextBlock | Signature | None
    kind: CellKind = CellKind.TEXT
    span: int = 1
    valign: VAlign = VAlign.MIDDLE

    def height(self, width: float) -> float:
        if self.content is None:
            return 0.0
        if isinstance(self.content, Signature):
            return self.content.height
        return self.content.height(width)


@dataclass(slots=True)
class Row:
    cells: list[Cell]
    min_height: float = 0.0
    keep_with_next: bool = False
    splittable: bool = True
    widths: list[float] = field(default_factory=list)  # filled in by the table


@dataclass(frozen=True, slots=True)
class Rules:
    """Line widths and cell padding, in points."""

    outer: float = 1.0
    inner: float = 0.5
    pad_x: float = 4.0
    pad_y: float = 3.5
    min_lines: int = 2  # lines of a cut row kept together at either side of the page end


class RuledTable(Flowable):
    def __init__(
        self,
        rows: Sequence[Row],
        col_widths: Sequence[float],
        *,
        header_rows: int = 0,
        rules: Rules | None = None,
    ) -> None:
        super().__init__()
        self.rows = list(rows)
        self.col_widths = list(col_widths)
        self.header_rows = header_rows
        self.rules = rules or Rules()
        self._heights: list[float] = []
        self._scale = 1.0

    # -- geometry ----------------------------------------------------------------------------
    def _cell_widths(self, row: Row) -> list[float]:
        widths, col = [], 0
        for cell in row.cells:
            widths.append(sum(self.col_widths[col : col + cell.span]) * self._scale)
            col += cell.span
        return widths

    def _row_height(self, row: Row) -> float:
        inner = max(
            (c.height(w - 2 * self.rules.pad_x) for c, w in zip(row.cells, row.widths, strict=True)),
            default=0.0,
        )
        return max(inner + 2 * self.rules.pad_y, row.min_height)

    def _layout(self, avail_width: float) -> None:
        self._scale = min(1.0, avail_width / sum(self.col_widths))
        for row in self.rows:
            row.widths = self._cell_widths(row)
        self._heights = [self._row_height(r) for r in self.rows]

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        self._layout(availWidth)
        self.width = sum(self.col_widths) * self._scale
        self.height = sum(self._heights)
        return self.width, self.height

    # -- splitting ---------------------------------------------------------------------------
    def _cut_row(self, row: Row, avail: float) -> tuple[Row, Row] | None:
        if not row.splittable:
            return None
        inner = avail - 2 * self.rules.pad_y
        first_cells, rest_cells = [], []
        cut = False
        for cell, width in zip(row.cells, row.widths, strict=True):
            w = width - 2 * self.rules.pad_x
            if cell.height(w) <= inner:
                first_cells.append(cell)
                rest_cells.append(self._continued(cell))
                continue
            if cell.kind is not CellKind.TEXT or not isinstance(cell.content, TextBlock):
                return None
            leading = cell.content.style.leading
            total = len(cell.content.lines(w))
            # At least two lines at the foot of this page and two at the top of the next one.
            keep = min(int((inner + 0.01) // leading), total - self.rules.min_lines)
            if keep < self.rules.min_lines:
                return None
            parts = cell.content.split(w, keep * leading)
            if parts is None:
                return None
            first_cells.append(replace(cell, content=parts[0], valign=VAlign.TOP))
            rest_cells.append(replace(cell, content=parts[1], valign=VAlign.TOP))
            cut = True
        if not cut:
            return None
        first = Row(first_cells, 0.0, False, True)
        rest = Row(rest_cells, 0.0, row.keep_with_next, True)
        return first, rest

    def _continued(self, cell: Cell) -> Cell:
        if cell.kind is CellKind.LABEL and isinstance(cell.content, TextBlock):
            if cell.content.text.endswith(CONTINUED):  # the third page of a row: still just (续)
                return cell
            return replace(cell, content=TextBlock(f"{cell.content.text}\n{CONTINUED}", cell.content.style))
        if cell.kind is CellKind.TEXT:
            return replace(cell, content=None)
        return cell

    def _part(self, rows: list[Row]) -> RuledTable:
        return RuledTable(
            rows,
            self.col_widths,
            header_rows=self.header_rows,
            rules=self.rules,
        )

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:  # noqa: N803
        self._layout(availWidth)
        header = self.rows[: self.header_rows]
        used = 0.0
        i = 0
        while i < len(self.rows) and used + self._heights[i] <= availHeight + 0.01:
            used += self._heights[i]
            i += 1
        if i >= len(self.rows):
            return [self]
        if i >= self.header_rows:
            cut = self._cut_row(self.rows[i], availHeight - used)
            if cut is not None:
                first, rest = cut
                return [
                    self._part([*self.rows[:i], first]),
                    self._part([*header, rest, *self.rows[i + 1 :]]),
                ]
        # End the page at a row boundary that keep_with_next allows.
        j = i
        while j > self.header_rows and self.rows[j - 1].keep_with_next:
            j -= 1
        if j <= self.header_rows:
            return []
        return [self._part(self.rows[:j]), self._part([*header, *self.rows[j:]])]

    # -- drawing -----------------------------------------------------------------------------
    def draw(self) -> None:
        canv = self.canv
        r = self.rules
        canv.saveState()
        canv.setStrokeColorRGB(0, 0, 0)
        top = self.height
        n = len(self.rows)
        for index, (row, height) in enumerate(zip(self.rows, self._heights, strict=True)):
            bottom = top - height
            x = 0.0
            for cell, width in zip(row.cells, row.widths, strict=True):
                self._draw_cell(canv, cell, x, top, width, height)
                x += width
                if x < self.width - 0.01:
                    self._line(canv, r.inner, x, top, x, bottom)
            self._line(canv, r.outer, 0, top, 0, bottom)
            self._line(canv, r.outer, self.width, top, self.width, bottom)
            if index == 0:
                self._line(canv, r.outer, 0, top, self.width, top)
            self._line(canv, r.outer if index == n - 1 else r.inner, 0, bottom, self.width, bottom)
            top = bottom
        canv.restoreState()

    @staticmethod
    def _line(canv: Canvas, width: float, x1: float, y1: float, x2: float, y2: float) -> None:
        if width <= 0:  # a layout grid without rules (the line under a title)
            return
        canv.setLineWidth(width)
        canv.line(x1, y1, x2, y2)

    def _draw_cell(self, canv: Canvas, cell: Cell, x: float, top: float, width: float, height: float) -> None:
        if cell.content is None:
            return
        r = self.rules
        inner_w = width - 2 * r.pad_x
        content_h = cell.height(inner_w)
        y = top - r.pad_y
        if isinstance(cell.content, Signature):
            cell.content.draw(canv, x + r.pad_x, y, inner_w, height - 2 * r.pad_y)
            return
        if cell.valign is VAlign.MIDDLE:
            y -= max(0.0, (height - 2 * r.pad_y - content_h) / 2)
        cell.content.draw(canv, x + r.pad_x, y, inner_w)
