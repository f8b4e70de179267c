"""PDF pages as images, through PDFium (pypdfium2): PySide6-Essentials has no QtPdf.

When pypdfium2 (or its bundled PDFium library) cannot be loaded, ``AVAILABLE`` is False and the
callers hand the PDF to the system viewer instead. PDFium is not thread-safe, so pages are only
rendered on the GUI thread.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtGui import QImage

from ledger_app.domain.errors import LedgerError

log = logging.getLogger(__name__)

try:
    import pypdfium2 as pdfium
except (ImportError, OSError):  # OSError: the wheel is there but its shared library is not loadable
    log.warning("pypdfium2 unavailable: PDFs open in the system viewer", exc_info=True)
    pdfium = None

AVAILABLE = pdfium is not None
POINTS_PER_INCH = 72.0


class PdfPages:
    """An open PDF: its page sizes in points and each page rendered on request.

    The file is read into memory, so it is not kept open (on Windows an open file could not be
    replaced or deleted while the preview shows it).
    """

    def __init__(self, path: Path) -> None:
        if pdfium is None:
            raise LedgerError("本机无法显示 PDF 预览。", "PDF preview is not available")
        try:
            self._doc = pdfium.PdfDocument(Path(path).read_bytes())
        except OSError as exc:
            raise LedgerError(f"无法读取 PDF 文件:{path}({exc.strerror})", f"cannot read {path}") from exc
        except pdfium.PdfiumError as exc:
            raise LedgerError(f"PDF 文件已损坏或无法识别:{path}", f"not a readable PDF: {path}") from exc
        self.sizes: list[tuple[float, float]] = []
        for index in range(len(self._doc)):
            page = self._doc[index]
            self.sizes.append(page.get_size())
            page.close()

    def __len__(self) -> int:
        return len(self.sizes)

    def render(self, index: int, dpi: float) -> QImage:
        """Page ``index`` (0-based) at ``dpi``, on white; an independent QImage (the bitmap is freed)."""
        page = self._doc[index]
        try:
            bitmap = page.render(scale=dpi / POINTS_PER_INCH, prefer_bgrx=True)
            try:
                # BGRx in memory is Qt's RGB32 on little-endian machines (all that Windows runs on).
                image = QImage(
                    bitmap.buffer, bitmap.width, bitmap.height, bitmap.stride, QImage.Format.Format_RGB32
                )
                return image.copy()  # detach from PDFium's buffer before it is freed
            finally:
                bitmap.close()
        finally:
            page.close()

    def close(self) -> None:
        self._doc.close()

    def __enter__(self) -> PdfPages:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
