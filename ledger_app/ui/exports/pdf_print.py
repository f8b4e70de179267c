"""Printing a PDF: QPrintDialog, then each page rendered by PDFium at the printer's resolution.

Pages are drawn one at a time at no more than ``MAX_PRINT_DPI`` (an A4 page is ~35 MB at 300 dpi),
onto the whole sheet at true size: the forms carry their own GB/T 9704 margins, which lie well
inside any printer's unprintable border. PDFium must stay on the GUI thread, so the loop runs
there, with a progress dialog and Cancel for longer jobs.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QRectF, QSizeF, Qt
from PySide6.QtGui import QPageSize, QPainter
from PySide6.QtPrintSupport import QAbstractPrintDialog, QPrintDialog, QPrinter
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox, QProgressDialog, QWidget

from ledger_app.domain.errors import LedgerError
from ledger_app.ui.errors import show_error

from . import pdf_pages
from .common import open_file
from .pdf_pages import PdfPages

log = logging.getLogger(__name__)

MAX_PRINT_DPI = 300
PROGRESS_FROM_PAGES = 3  # shorter jobs print without a progress dialog


def make_printer(document_name: str) -> QPrinter:
    """The printer the dialog configures (tests replace this to print into a PDF file)."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setDocName(document_name)
    printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    printer.setFullPage(True)
    return printer


def print_pdf(parent: QWidget | None, path: Path, *, document_name: str | None = None) -> bool:
    """Ask which printer and pages, then print ``path``; True when the pages went to the printer."""
    if not pdf_pages.AVAILABLE:
        if open_file(parent, path):
            QMessageBox.information(parent, "打印", "已用本机的 PDF 阅读器打开文件,请在其中选择“打印”。")
        return False
    try:
        pages = PdfPages(path)
    except LedgerError as exc:
        show_error(parent, exc, "无法打印")
        return False
    with pages:
        printer = make_printer(document_name or path.stem)
        dialog = QPrintDialog(printer, parent)
        dialog.setWindowTitle("打印")
        dialog.setMinMax(1, len(pages))
        dialog.setFromTo(1, len(pages))
        dialog.setOption(QAbstractPrintDialog.PrintDialogOption.PrintPageRange, True)
        dialog.setOption(QAbstractPrintDialog.PrintDialogOption.PrintCurrentPage, False)
        dialog.setOption(QAbstractPrintDialog.PrintDialogOption.PrintSelection, False)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        return print_pages(parent, pages, printer, _chosen_pages(printer, len(pages)))


def _chosen_pages(printer: QPrinter, count: int) -> list[int]:
    if printer.printRange() == QPrinter.PrintRange.PageRange and printer.fromPage() > 0:
        first, last = max(printer.fromPage(), 1), min(printer.toPage() or count, count)
        pages = list(range(first - 1, last))
    else:
        pages = list(range(count))
    if printer.pageOrder() == QPrinter.PageOrder.LastPageFirst:
        pages.reverse()
    # Most drivers make the copies themselves; for those that cannot, send the pages again.
    copies = 1 if printer.supportsMultipleCopies() else max(printer.copyCount(), 1)
    return pages * copies


def print_pages(parent: QWidget | None, pages: PdfPages, printer: QPrinter, order: list[int]) -> bool:
    """Draw the pages in ``order`` onto ``printer``; False when cancelled or the printer refused."""
    dpi = min(printer.resolution(), MAX_PRINT_DPI)
    progress: QProgressDialog | None = None
    if len(order) >= PROGRESS_FROM_PAGES:
        progress = QProgressDialog("正在打印…", "取消", 0, len(order), parent)
        progress.setWindowTitle("打印")
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(300)
    painter = QPainter()
    if not painter.begin(printer):
        QMessageBox.warning(parent, "无法打印", "无法连接打印机,请检查打印机是否已打开并连接。")
        return False
    try:
        sheet = printer.pageLayout().fullRectPixels(printer.resolution())
        for done, index in enumerate(order):
            if progress is not None:
                progress.setValue(done)
                progress.setLabelText(f"正在打印第 {done + 1} 页,共 {len(order)} 页…")
                QApplication.processEvents()
                if progress.wasCanceled():
                    printer.abort()
                    return False
            if done:
                printer.newPage()
            image = pages.render(index, dpi)
            painter.drawImage(_fit(pages.sizes[index], QSizeF(sheet.size()), printer.resolution()), image)
        return True
    finally:
        painter.end()
        if progress is not None:
            progress.close()


def _fit(size_pt: tuple[float, float], sheet: QSizeF, resolution: int) -> QRectF:
    """The page at true size on the sheet, shrunk (never enlarged) when it would not fit, centred."""
    width = size_pt[0] * resolution / 72.0
    height = size_pt[1] * resolution / 72.0
    shrink = min(1.0, sheet.width() / width, sheet.height() / height)
    width, height = width * shrink, height * shrink
    return QRectF((sheet.width() - width) / 2, (sheet.height() - height) / 2, width, height)
