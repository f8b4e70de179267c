"""The in-app PDF preview: pages in a scroll area, zoom, page count, 打印… / 保存… / 用系统程序打开.

Pages are rendered lazily, only those in or near the view, and pages far away give their images
back: a 1,000-page batch previews as fast as a single form and keeps memory small.

``show_pdf(parent, path, ...)`` is the one call the other dialogs use: the preview when PDFium is
available, the system's PDF viewer otherwise.
"""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QRect, Qt, QTimer
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QLabel,
    QPushButton,
    QScrollArea,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ledger_app.domain.errors import LedgerError
from ledger_app.ui.dialogs.base import FormDialog
from ledger_app.ui.errors import show_error

from . import pdf_pages
from .common import PDF_FILTER, ResultBox, ask_save_path, open_file
from .pdf_pages import PdfPages
from .pdf_print import print_pdf

log = logging.getLogger(__name__)

FIT_WIDTH = "fit-width"
FIT_PAGE = "fit-page"
ZOOM_STEPS = (0.5, 0.75, 1.0, 1.25, 1.5, 2.0, 3.0)
PAGE_GAP = 14  # pixels between pages and around them
KEEP_AROUND = 4  # rendered pages kept on either side of the view; farther ones are dropped


class PdfPreviewDialog(FormDialog):
    """Shows ``path``; ``save_name`` is the file name 保存… suggests (the preview may be of a temp file)."""

    def __init__(
        self, path: Path, parent: QWidget | None = None, *, title: str = "预览", save_name: str | None = None
    ) -> None:
        super().__init__("pdf_preview", title, parent)
        self.path = Path(path)
        self.save_name = save_name or self.path.name
        self.pages = PdfPages(self.path)  # LedgerError when unreadable: the caller falls back
        self.result_box: ResultBox | None = None
        self._closed = False
        self.setWindowFlag(Qt.WindowType.WindowMaximizeButtonHint, True)
        self._fit_to_screen()

        self.area = self.child(QScrollArea, "pageArea")
        self.zoom_combo = self.child(QComboBox, "zoomCombo")
        self.page_label = self.child(QLabel, "pageLabel")
        self.print_button = self.child(QPushButton, "printButton")
        self.save_button = self.child(QPushButton, "saveButton")
        self.open_button = self.child(QPushButton, "openExternalButton")
        self.child(QToolButton, "zoomInButton").clicked.connect(lambda: self._step_zoom(+1))
        self.child(QToolButton, "zoomOutButton").clicked.connect(lambda: self._step_zoom(-1))
        self.child(QPushButton, "closeButton").clicked.connect(self.reject)
        self.print_button.clicked.connect(self.print_document)
        self.save_button.clicked.connect(self.save_copy)
        self.open_button.clicked.connect(lambda: open_file(self, self.path))

        self.zoom_combo.addItem("适合宽度", FIT_WIDTH)
        self.zoom_combo.addItem("整页", FIT_PAGE)
        for step in ZOOM_STEPS:
            self.zoom_combo.addItem(f"{round(step * 100)}%", step)
        self.zoom_combo.currentIndexChanged.connect(lambda _i: self._layout_pages())

        self.canvas = QWidget()
        self.canvas.setObjectName("pdfCanvas")
        self.canvas.setStyleSheet("#pdfCanvas { background: #8a8f96; }")
        column = QVBoxLayout(self.canvas)
        column.setContentsMargins(PAGE_GAP, PAGE_GAP, PAGE_GAP, PAGE_GAP)
        column.setSpacing(PAGE_GAP)
        column.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.page_widgets: list[QLabel] = []
        for number in range(1, len(self.pages) + 1):
            label = QLabel(f"第 {number} 页")
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            label.setFrameShape(QFrame.Shape.Box)
            label.setStyleSheet("background: white; color: #9aa0a6; border: 1px solid #5f6368;")
            column.addWidget(label, 0, Qt.AlignmentFlag.AlignHCenter)
            self.page_widgets.append(label)
        self.area.setWidget(self.canvas)
        self.area.setBackgroundRole(self.canvas.backgroundRole())
        self._rendered: dict[int, float] = {}  # page index → the scale its image was drawn at
        self._scale = 1.0  # screen pixels per PDF point
        self._render_timer = QTimer(self)
        self._render_timer.setSingleShot(True)
        self._render_timer.timeout.connect(self.render_visible)
        self.area.verticalScrollBar().valueChanged.connect(self._schedule_render)
        self.area.viewport().installEventFilter(self)
        self._layout_pages()

    # -- layout and zoom ------------------------------------------------------------------
    def _fit_to_screen(self) -> None:
        """As tall as the screen allows (a page is portrait), never larger than the screen."""
        screen = self.screen().availableGeometry() if self.screen() else None
        width, height = 900, 1000
        if screen is not None:
            width, height = min(width, screen.width() - 40), min(height, screen.height() - 60)
        self.resize(width, height)

    def page_count(self) -> int:
        return len(self.pages)

    def _screen_scale(self) -> float:
        """Pixels per point at 100%: the screen's logical DPI (96 on a usual Windows PC)."""
        return self.logicalDpiY() / 72.0

    def _current_scale(self) -> float:
        mode = self.zoom_combo.currentData()
        if not self.pages:
            return 1.0
        widest = max(w for w, _h in self.pages.sizes)
        tallest = max(h for _w, h in self.pages.sizes)
        room_w = max(self.area.viewport().width() - 2 * PAGE_GAP - 2, 100)
        room_h = max(self.area.viewport().height() - 2 * PAGE_GAP - 2, 100)
        if mode == FIT_WIDTH:
            return room_w / widest
        if mode == FIT_PAGE:
            return min(room_w / widest, room_h / tallest)
        return float(mode) * self._screen_scale()

    def _layout_pages(self) -> None:
        scale = self._current_scale()
        if abs(scale - self._scale) < 1e-3 and self._rendered:
            return
        self._scale = scale
        for label, (width, height) in zip(self.page_widgets, self.pages.sizes, strict=True):
            label.setFixedSize(round(width * scale), round(height * scale))
        self._rendered.clear()  # every image is at the old size now
        self._schedule_render()

    def _step_zoom(self, direction: int) -> None:
        current = self._scale / self._screen_scale()
        if direction > 0:
            target = next((s for s in ZOOM_STEPS if s > current + 0.01), ZOOM_STEPS[-1])
        else:
            target = next((s for s in reversed(ZOOM_STEPS) if s < current - 0.01), ZOOM_STEPS[0])
        self.zoom_combo.setCurrentIndex(self.zoom_combo.findData(target))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        if watched is self.area.viewport() and event.type() == QEvent.Type.Resize:
            if self.zoom_combo.currentData() in (FIT_WIDTH, FIT_PAGE):
                self._layout_pages()
            else:
                self._schedule_render()
        return super().eventFilter(watched, event)

    # -- rendering ------------------------------------------------------------------------
    def _schedule_render(self) -> None:
        self._render_timer.start(0)  # many scroll steps coalesce into one render

    def visible_pages(self) -> list[int]:
        top = self.area.verticalScrollBar().value()
        view = QRect(0, top, self.canvas.width(), self.area.viewport().height())
        return [i for i, label in enumerate(self.page_widgets) if label.geometry().intersects(view)]

    def render_visible(self) -> None:
        visible = self.visible_pages()
        if not visible:
            return
        first, last = visible[0], visible[-1]
        for index in visible:
            self._render_page(index)
        # Give back the images of pages far from the view: memory stays flat on long batches.
        for index in [i for i in self._rendered if i < first - KEEP_AROUND or i > last + KEEP_AROUND]:
            self.page_widgets[index].setPixmap(QPixmap())
            del self._rendered[index]
        self.page_label.setText(f"第 {first + 1} 页,共 {len(self.pages)} 页")

    def _render_page(self, index: int) -> None:
        if self._rendered.get(index) == self._scale:
            return
        ratio = self.devicePixelRatioF()
        image = self.pages.render(index, self._scale * 72.0 * ratio)
        pixmap = QPixmap.fromImage(image)
        pixmap.setDevicePixelRatio(ratio)
        self.page_widgets[index].setPixmap(pixmap)
        self._rendered[index] = self._scale

    def rendered_pages(self) -> list[int]:
        return sorted(self._rendered)

    def scroll_to_page(self, index: int) -> None:
        self.area.verticalScrollBar().setValue(self.page_widgets[index].y() - PAGE_GAP)
        self.render_visible()

    # -- buttons --------------------------------------------------------------------------
    def print_document(self) -> bool:
        return print_pdf(self, self.path, document_name=Path(self.save_name).stem)

    def save_copy(self) -> Path | None:
        dest = ask_save_path(self, "保存 PDF", self.save_name, PDF_FILTER, ".pdf")
        if dest is None:
            return None
        try:
            if dest.resolve() != self.path.resolve():
                shutil.copyfile(self.path, dest)
        except PermissionError:
            show_error(
                self,
                LedgerError(f"无法保存到 {dest}:文件可能正在其他程序中打开,或没有写入该文件夹的权限。"),
                "无法保存",
            )
            return None
        except OSError as exc:
            show_error(self, LedgerError(f"无法保存到 {dest}:{exc.strerror or exc}"), "无法保存")
            return None
        self.result_box = ResultBox(self, "已保存", f"已保存:\n{dest}", dest)
        self.result_box.open()
        return dest

    def close_document(self) -> None:
        self._render_timer.stop()
        if not self._closed:
            self._closed = True
            self.pages.close()

    def done(self, result: int) -> None:  # closing, however it happens, frees the document
        self.close_document()
        super().done(result)


def show_pdf(
    parent: QWidget | None, path: Path, *, title: str = "预览", save_name: str | None = None
) -> None:
    """Preview ``path`` in the app; without PDFium (or for a PDF it cannot read) use the system viewer."""
    if pdf_pages.AVAILABLE:
        try:
            dialog = PdfPreviewDialog(path, parent, title=title, save_name=save_name)
        except LedgerError as exc:
            log.warning("preview failed, falling back to the system viewer: %s", exc.message_en)
        else:
            try:
                dialog.exec()
            finally:
                dialog.close_document()
                dialog.deleteLater()
            return
    open_file(parent, path)
