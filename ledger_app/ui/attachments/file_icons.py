"""Icons for evidence files: a page with a coloured band naming the type (PDF, DOC, XLS…), and the
placeholder an image shows until its thumbnail is ready.

Drawn here rather than taken from QFileIconProvider: offline Windows PCs often lack the icons of
the program that would open a file (no WPS yet on a new PC), and Linux has none; these look the
same everywhere and say the type in words a clerk knows.
"""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QIcon, QPainter, QPainterPath, QPen, QPixmap, QPolygonF

from ledger_app.store.file_names import split_extension

# Every icon, thumbnails included, is drawn on one 4:3 canvas (the thumbnails' 160 px), large enough for
# the grid and scaled down for the list; one shape keeps the names beside them in line.
ICON_CANVAS = QSize(160, 120)

# (label on the band, band colour) by lower-case extension
_KINDS: dict[str, tuple[str, str]] = {}
for _exts, _label, _colour in (
    ((".pdf",), "PDF", "#d93025"),
    ((".ofd",), "OFD", "#b0306a"),
    ((".doc", ".docx", ".wps", ".rtf", ".odt"), "DOC", "#2b579a"),
    ((".xls", ".xlsx", ".et", ".csv", ".ods"), "XLS", "#217346"),
    ((".ppt", ".pptx", ".dps", ".odp"), "PPT", "#c55a11"),
    ((".zip", ".rar", ".7z", ".gz", ".tar"), "ZIP", "#8a6d1f"),
    ((".txt", ".log"), "TXT", "#5f6b7a"),
    ((".mp4", ".mov", ".avi", ".wmv", ".mkv"), "视频", "#6a3fb5"),
    ((".mp3", ".wav", ".m4a", ".amr"), "音频", "#0f7c8c"),
    ((".jpg", ".jpeg", ".png", ".bmp", ".gif", ".tif", ".tiff", ".webp", ".heic"), "图片", "#1b8a5a"),
):
    for _ext in _exts:
        _KINDS[_ext] = (_label, _colour)
OTHER_COLOUR = "#7a7f87"


def kind_of(name: str) -> tuple[str, str]:
    """(label, colour) for a file name: "报告.PDF" → ("PDF", red); unknown types show their extension."""
    ext = split_extension(name)[1].lower()
    if ext in _KINDS:
        return _KINDS[ext]
    label = ext[1:5].upper() if ext else "文件"
    return label, OTHER_COLOUR


def file_icon(name: str) -> QIcon:
    return _icon(*kind_of(name))


@cache
def _icon(label: str, colour: str) -> QIcon:
    return QIcon(_page_pixmap(label, QColor(colour)))


def _page_pixmap(label: str, colour: QColor) -> QPixmap:
    pixmap = QPixmap(ICON_CANVAS)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    width, height, fold = 88.0, 112.0, 24.0
    left, top = (ICON_CANVAS.width() - width) / 2, (ICON_CANVAS.height() - height) / 2
    page = QPainterPath()
    page.moveTo(left, top)
    page.lineTo(left + width - fold, top)
    page.lineTo(left + width, top + fold)
    page.lineTo(left + width, top + height)
    page.lineTo(left, top + height)
    page.closeSubpath()
    painter.setPen(QPen(QColor("#9aa3ad"), 2))
    painter.setBrush(QColor("#ffffff"))
    painter.drawPath(page)
    corner = QPolygonF(
        [
            QPointF(left + width - fold, top),
            QPointF(left + width - fold, top + fold),
            QPointF(left + width, top + fold),
        ]
    )
    painter.setBrush(QColor("#e3e7ec"))
    painter.drawPolygon(corner)
    painter.setPen(QPen(QColor("#cfd5dc"), 3))
    for line in range(3):  # a hint of text on the page
        y = top + 36 + line * 12
        painter.drawLine(QPointF(left + 12, y), QPointF(left + width - 12, y))
    band = QRectF(left - 6, top + height - 44, width + 12, 32)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(colour)
    painter.drawRoundedRect(band, 4, 4)
    font = QFont()
    font.setBold(True)
    font.setPixelSize(22 if len(label) <= 3 else 18)
    painter.setFont(font)
    painter.setPen(QColor("#ffffff"))
    painter.drawText(band, Qt.AlignmentFlag.AlignCenter, label)
    painter.end()
    return pixmap


@cache
def placeholder_icon() -> QIcon:
    """An image not yet thumbnailed: a pale frame with a mountain and a sun."""
    pixmap = QPixmap(ICON_CANVAS)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    frame = QRectF(16, 8, ICON_CANVAS.width() - 32, ICON_CANVAS.height() - 16)
    painter.setPen(QPen(QColor("#c9d1da"), 2))
    painter.setBrush(QColor("#eef1f4"))
    painter.drawRoundedRect(frame, 6, 6)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor("#cdd5de"))
    painter.drawEllipse(QPointF(frame.right() - 28, frame.top() + 24), 10, 10)
    hills = QPolygonF(
        [
            QPointF(frame.left() + 10, frame.bottom() - 10),
            QPointF(frame.left() + 44, frame.top() + 34),
            QPointF(frame.left() + 70, frame.bottom() - 34),
            QPointF(frame.left() + 86, frame.top() + 52),
            QPointF(frame.right() - 10, frame.bottom() - 10),
        ]
    )
    painter.drawPolygon(hills)
    painter.end()
    return QIcon(pixmap)
