"""The page, the page numbers and the file: what every form, letter and report shares.

Page after GB/T 9704-2012: A4, text block 156 × 225 mm, 37 mm from the top and 28 mm from the left.
A PDF holds one or more *sections* (one form, letter or report each); every section starts on a new
page and is numbered on its own, and only when it runs to more than one page. The count of a
section's pages is known only once it is laid out, so each page draws its number through a PDF form
XObject that is filled in just before the file is saved (one layout pass, no second run).

Sections are built lazily, one at a time, while reportlab lays out the previous ones: progress is
reported and cancellation checked per section. The PDF is written to a temporary file beside the
target and renamed at the end, so a cancelled or failed run leaves no partial file.
"""

from __future__ import annotations

import io
import os
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import BinaryIO

from reportlab import rl_config
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, LayoutError, PageBreak, PageTemplate

from ledger_app.domain.errors import CancelledError, LedgerError
from ledger_app.domain.progress import CancelFn, ProgressFn
from ledger_app.io.pdf.fonts import FontSet
from ledger_app.io.pdf.text import Align, TextStyle, break_text, draw_lines
from ledger_app.store.fileops import replace_file

PAGE_WIDTH, PAGE_HEIGHT = A4
TOP_MARGIN = 37 * mm
LEFT_MARGIN = 28 * mm
TEXT_WIDTH = 156 * mm
TEXT_HEIGHT = 225 * mm
BOTTOM_MARGIN = PAGE_HEIGHT - TOP_MARGIN - TEXT_HEIGHT  # 35 mm


class PdfWriteError(LedgerError):
    """The PDF could not be written where the clerk asked for it."""


class Numbering(StrEnum):
    FORM = "form"  # 第1页 共3页, centred under the form
    LETTER = "letter"  # — 1 —, 4号 宋体, 7 mm under the text block; odd pages right, even left


@dataclass(slots=True)
class Section:
    """One form, letter or report. ``build`` runs only when the section's turn comes."""

    build: Callable[[], list[Flowable]]
    label: str  # for the progress callback, e.g. 序号 12
    numbering: Numbering = Numbering.FORM
    running_head: str = ""  # printed above the text block on the section's second and later pages


class _SectionStart(Flowable):
    def __init__(self, index: int) -> None:
        super().__init__()
        self.index = index


class _SectionEnd(_SectionStart):
    pass


class _PdfCanvas(Canvas):
    """A canvas that lets the document fill in the page numbers just before saving."""

    before_save: Callable[[Canvas], None] | None = None

    def save(self) -> None:
        if self.before_save is not None:
            self.before_save(self)
        super().save()


class _Document(BaseDocTemplate):
    def __init__(
        self,
        target: BinaryIO,
        sections: Sequence[Section],
        fonts: FontSet,
        *,
        title: str,
        author: str,
        progress: ProgressFn | None,
        cancelled: CancelFn | None,
    ) -> None:
        super().__init__(
            target,
            pagesize=A4,
            leftMargin=LEFT_MARGIN,
            rightMargin=PAGE_WIDTH - LEFT_MARGIN - TEXT_WIDTH,
            topMargin=TOP_MARGIN,
            bottomMargin=BOTTOM_MARGIN,
            title=title,
            author=author,
            creator="整改台账",
            # Without these the canvas names Helvetica in every page's preamble: a non-embedded font.
            initialFontName=fonts.song.name,
            initialFontSize=12,
            initialLeading=14.4,
        )
        frame = Frame(
            LEFT_MARGIN, BOTTOM_MARGIN, TEXT_WIDTH, TEXT_HEIGHT, 0, 0, 0, 0, id="text", showBoundary=0
        )
        self.addPageTemplates([PageTemplate("page", [frame], onPageEnd=self._page_end)])
        self.sections = sections
        self.fonts = fonts
        self.progress = progress
        self.cancelled = cancelled
        self._current = 0
        self._first_page: dict[int, int] = {}
        self._page_section: list[int] = []  # index: page number - 1

    # -- sections ----------------------------------------------------------------------------
    def story(self) -> list[Flowable]:
        return [_SectionStart(i) for i in range(len(self.sections))]

    def filterFlowables(self, flowables: list[Flowable]) -> None:  # noqa: N802 (reportlab's hook)
        f = flowables[0]
        if type(f) is _SectionStart:
            if self.cancelled is not None and self.cancelled():
                raise CancelledError()
            content = self.sections[f.index].build()
            opening: list[Flowable] = [PageBreak()] if f.index else []
            flowables[0:1] = [*opening, _Activate(f.index), *content, _SectionEnd(f.index)]
            self.filterFlowables(flowables)  # the new head may itself be a marker
        elif type(f) is _Activate:
            flowables[0] = None
            self._current = f.index
            self._first_page[f.index] = self.canv.getPageNumber()
        elif type(f) is _SectionEnd:
            flowables[0] = None
            if self.progress is not None:
                self.progress(f.index + 1, len(self.sections), self.sections[f.index].label)

    # -- pages -------------------------------------------------------------------------------
    def handle_documentBegin(self) -> None:  # noqa: N802 (reportlab's hook)
        super().handle_documentBegin()
        self.canv.before_save = self._fill_page_numbers

    def _page_end(self, canv: Canvas, doc: BaseDocTemplate) -> None:
        page = canv.getPageNumber()
        self._page_section.append(self._current)
        canv.doForm(f"pageno{page}")
        section = self.sections[self._current]
        if section.running_head and page != self._first_page.get(self._current, page):
            style = TextStyle(self.fonts.song, 9, 12, Align.LEFT)
            lines = break_text(section.running_head, style, TEXT_WIDTH)[:1]
            draw_lines(canv, lines, style, LEFT_MARGIN, BOTTOM_MARGIN + TEXT_HEIGHT + 8 * mm, TEXT_WIDTH)

    def _fill_page_numbers(self, canv: Canvas) -> None:
        counts: dict[int, int] = {}
        for s in self._page_section:
            counts[s] = counts.get(s, 0) + 1
        for index, s in enumerate(self._page_section):
            page = index + 1
            canv.beginForm(f"pageno{page}", 0, 0, PAGE_WIDTH, PAGE_HEIGHT)
            if counts[s] > 1:
                self._draw_number(canv, page - self._first_page[s] + 1, counts[s], self.sections[s].numbering)
            canv.endForm()

    def _draw_number(self, canv: Canvas, n: int, total: int, numbering: Numbering) -> None:
        font = self.fonts.song.name
        if numbering is Numbering.FORM:
            canv.setFont(font, 10.5)
            canv.drawCentredString(PAGE_WIDTH / 2, BOTTOM_MARGIN - 10 * mm, f"第 {n} 页  共 {total} 页")
            return
        size = 14
        text = f"— {n} —"
        canv.setFont(font, size)
        y = BOTTOM_MARGIN - 7 * mm - 0.75 * size
        if n % 2:
            canv.drawRightString(LEFT_MARGIN + TEXT_WIDTH - size, y, text)
        else:
            canv.drawString(LEFT_MARGIN + size, y, text)


class _Activate(_SectionStart):
    """Marks the top of a section's first page (handled by the document, never drawn)."""


def render(
    sections: Sequence[Section],
    fonts: FontSet,
    *,
    title: str,
    author: str = "",
    progress: ProgressFn | None = None,
    cancelled: CancelFn | None = None,
) -> bytes:
    """Lay out the sections into one PDF and return its bytes."""
    if not sections:
        raise LedgerError("没有可输出的内容。", "nothing to write")
    buffer = io.BytesIO()
    doc = _Document(
        buffer, sections, fonts, title=title, author=author, progress=progress, cancelled=cancelled
    )
    # ASCII85 wrapping of the compressed streams only makes the file 25% larger and the run ~10%
    # slower (it is pure Python without the optional rl_accel package); PDFs are binary anyway.
    saved, rl_config.useA85 = rl_config.useA85, 0
    try:
        doc.build(doc.story(), canvasmaker=_PdfCanvas)
    except LayoutError as exc:
        # Our flowables split line by line, so this means a single block taller than a page.
        raise LedgerError(
            "内容无法排入页面（某一项内容超过一整页且无法分页），请精简后重试。", f"PDF layout failed: {exc}"
        ) from exc
    finally:
        rl_config.useA85 = saved
    return buffer.getvalue()


def write_atomically(out: Path | str | BinaryIO, data_fn: Callable[[], bytes]) -> None:
    """Produce the bytes, then write them to ``out``; a path is replaced only when all went well."""
    if not isinstance(out, str | os.PathLike):
        out.write(data_fn())
        return
    target = Path(out)
    if not target.parent.is_dir():
        raise PdfWriteError(f"文件夹不存在：{target.parent}", f"folder does not exist: {target.parent}")
    data = data_fn()  # cancelled or failed: nothing has touched the disk yet
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.stem}.", suffix=".tmp", dir=target.parent)
    except OSError as exc:
        raise PdfWriteError(
            f"无法在 {target.parent} 中写入文件：{exc.strerror or exc}",
            f"cannot write in {target.parent}: {exc}",
        ) from exc
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        replace_file(tmp, target)
    except PermissionError as exc:
        tmp.unlink(missing_ok=True)
        raise PdfWriteError(
            f"无法写入 {target.name}：文件可能正被其他程序（如 PDF 阅读器）打开，请关闭后重试。",
            f"cannot write {target}: the file may be open in another program",
        ) from exc
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise PdfWriteError(
            f"无法写入 {target.name}：{exc.strerror or exc}", f"cannot write {target}: {exc}"
        ) from exc
