"""The task list's columns and search highlighting.

* Columns can be hidden and shown from the header's right-click menu; the clerk's choices are kept
  in QSettings (settings_store.TASK_TABLE_COLUMNS). A column nobody chose for follows its default:
  督察批次 is shown when the ledger has more than one round (one 序号 then names several tasks).
* ``HighlightDelegate`` paints the search words with a yellow background in the cells on screen,
  and, in 问题摘要, a grey "匹配:整改措施" when a word is found in no visible cell. Qt paints only the
  visible rows, so this costs the same at 10,000 rows as at 100.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, QPoint, QPointF, QRect, QRectF, Qt
from PySide6.QtGui import QAction, QColor, QFontMetrics, QGuiApplication, QPainter, QPalette
from PySide6.QtWidgets import (
    QApplication,
    QHeaderView,
    QMenu,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
)

from ledger_app.services.search_parts import SHORT_NAMES

from . import settings_store
from .task_table import (
    COL_LEADER,
    COL_PROGRESS,
    COL_ROUND,
    COL_SEQ,
    COL_SUMMARY,
    HEADERS,
    MatchHintRole,
    TaskFilterProxy,
)

AnyIndex = QModelIndex | QPersistentModelIndex

ALWAYS_SHOWN = frozenset({COL_SEQ, COL_SUMMARY})  # without these a row cannot be told apart
ROUND_WIDTH = 80
HIGHLIGHT = QColor("#ffe066")
HIGHLIGHT_TEXT = QColor("#1a1a1a")
HINT_TEXT = QColor("#7a6a00")


# -- which columns are shown ----------------------------------------------------------------------
def column_choices() -> dict[int, bool]:
    """The columns the clerk showed or hid explicitly: {logical column: shown}."""
    raw = str(settings_store.store().value(settings_store.TASK_TABLE_COLUMNS, "") or "")
    choices: dict[int, bool] = {}
    for item in raw.split(","):
        column, _, shown = item.partition(":")
        if column.isdigit() and shown in ("0", "1") and 0 <= int(column) < len(HEADERS):
            choices[int(column)] = shown == "1"
    return choices


def set_column_choice(column: int, shown: bool) -> None:
    choices = column_choices()
    choices[column] = shown
    value = ",".join(f"{c}:{int(v)}" for c, v in sorted(choices.items()))
    settings_store.store().setValue(settings_store.TASK_TABLE_COLUMNS, value)


# Columns a narrow screen hides until the clerk asks for them (header right-click).
NARROW_SCREEN_HIDDEN = frozenset({COL_LEADER, COL_PROGRESS})
WIDE_SCREEN = 1600  # logical pixels of the screen's available width


def screen_width(widget: QWidget) -> int:
    screen = widget.screen() or QGuiApplication.primaryScreen()
    return screen.availableGeometry().width() if screen is not None else WIDE_SCREEN


class ListColumns(QObject):
    """Right-click on the list's header to show or hide columns; 督察批次 by default when rounds differ."""

    def __init__(self, table: QTableView, proxy: TaskFilterProxy) -> None:
        super().__init__(table)
        self.table = table
        self.proxy = proxy
        self.header: QHeaderView = table.horizontalHeader()
        self.header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.header.customContextMenuRequested.connect(self._show_menu)
        self._place_round_column()
        model = proxy.task_model()
        # After every full load (open, undo, import): the number of rounds may have changed.
        model.modelReset.connect(self.apply)
        self.delegate = HighlightDelegate(proxy, table)
        table.setItemDelegate(self.delegate)
        proxy.searchWordsChanged.connect(table.viewport().update)
        self.apply()

    def _place_round_column(self) -> None:
        """Once per PC: 督察批次 goes in front of 序号 (later the clerk's own order is restored)."""
        s = settings_store.store()
        if str(s.value(settings_store.TASK_TABLE_ROUND_PLACED, "")) == "1":
            return
        round_at, seq_at = self.header.visualIndex(COL_ROUND), self.header.visualIndex(COL_SEQ)
        if round_at > seq_at:  # a layout saved before the column existed has it last
            self.header.moveSection(round_at, seq_at)
            self.header.resizeSection(COL_ROUND, ROUND_WIDTH)
        s.setValue(settings_store.TASK_TABLE_ROUND_PLACED, "1")

    def round_count(self) -> int:
        return len({row.round_id for row in self.proxy.task_model().rows})

    def default_shown(self, column: int) -> bool:
        if column == COL_ROUND:
            return self.round_count() > 1
        if column in NARROW_SCREEN_HIDDEN:
            # On a laptop screen (1366 wide, or 1920 at 150 %) these two would squeeze 问题摘要 to a
            # few characters; the panel shows both, and the header menu brings them back.
            return screen_width(self.table) >= WIDE_SCREEN
        return True

    def shown(self, column: int) -> bool:
        """Whether ``column`` should be shown now: the clerk's choice, else its default."""
        if column in ALWAYS_SHOWN:
            return True
        return column_choices().get(column, self.default_shown(column))

    def apply(self) -> None:
        for column in range(len(HEADERS)):
            hidden = not self.shown(column)
            if self.header.isSectionHidden(column) != hidden:
                self.header.setSectionHidden(column, hidden)
                if not hidden and self.header.sectionSize(column) < self.header.minimumSectionSize():
                    self.header.resizeSection(column, ROUND_WIDTH)

    def set_shown(self, column: int, shown: bool) -> None:
        """The clerk's choice: applied now and remembered on this PC."""
        if column in ALWAYS_SHOWN:
            return
        set_column_choice(column, shown)
        self.apply()

    def build_menu(self) -> QMenu:
        """One checkable item per column, in the order they are shown (序号 and 问题摘要 always are)."""
        menu = QMenu(self.table)
        menu.setTitle("显示的列")
        for visual in range(self.header.count()):
            column = self.header.logicalIndex(visual)
            action = QAction(HEADERS[column], menu)
            action.setCheckable(True)
            action.setChecked(not self.header.isSectionHidden(column))
            action.setEnabled(column not in ALWAYS_SHOWN)
            action.setData(column)
            action.toggled.connect(lambda checked, c=column: self.set_shown(c, checked))
            menu.addAction(action)
        return menu

    def _show_menu(self, pos: QPoint) -> None:
        menu = self.build_menu()
        menu.exec(self.header.mapToGlobal(pos))
        menu.deleteLater()


# -- highlighting the search words ----------------------------------------------------------------
def highlight_spans(text: str, words: list[str]) -> list[tuple[int, int]]:
    """(start, end) of every occurrence of the (lower-cased) words in ``text``, merged, in order."""
    if not text or not words:
        return []
    lowered = text.lower()
    if len(lowered) != len(text):  # a few letters change length when lower-cased: positions would drift
        return []
    spans = []
    for word in words:
        if not word:
            continue
        start = lowered.find(word)
        while start >= 0:
            spans.append((start, start + len(word)))
            start = lowered.find(word, start + len(word))
    spans.sort()
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


class HighlightDelegate(QStyledItemDelegate):
    """Paints matched words on a yellow ground; cells without a match are left to Qt's own painting."""

    def __init__(self, proxy: TaskFilterProxy, parent: Any = None) -> None:
        super().__init__(parent)
        self.proxy = proxy

    def spans(self, index: AnyIndex) -> list[tuple[int, int]]:
        """The highlighted (start, end) character ranges of a cell's text (what paint() fills yellow)."""
        words = self.proxy.search_words
        if not words:
            return []
        return highlight_spans(str(index.data(Qt.ItemDataRole.DisplayRole) or ""), words)

    def hint(self, index: AnyIndex) -> str:
        """The grey "匹配:…" drawn at the right of 问题摘要, or ""."""
        if index.column() != COL_SUMMARY or not self.proxy.search_words:
            return ""
        return str(index.data(MatchHintRole) or "")

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: AnyIndex) -> None:
        spans = self.spans(index)
        hint = self.hint(index)
        if not spans and not hint:
            super().paint(painter, option, index)
            return
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        text = opt.text.replace("\n", " ")
        widget = opt.widget
        style = widget.style() if widget is not None else QApplication.style()
        opt.text = ""  # background, selection and focus by the style; the text by us
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)
        margin = style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, widget) + 1
        rect = style.subElementRect(QStyle.SubElement.SE_ItemViewItemText, opt, widget)
        rect = rect.adjusted(margin, 0, -margin, 0)
        metrics = QFontMetrics(opt.font)
        painter.save()
        painter.setClipRect(opt.rect)
        painter.setFont(opt.font)
        if hint:
            rect = self._draw_hint(painter, metrics, rect, hint)
        self._draw_text(painter, opt, metrics, rect, text, spans)
        painter.restore()

    @staticmethod
    def _draw_hint(painter: QPainter, metrics: QFontMetrics, rect: QRect, hint: str) -> QRect:
        """The hint at the right end of the cell (short names when the full ones take too much of it);
        returns what is left for the text."""
        if metrics.horizontalAdvance(hint) > rect.width() * 0.4:
            for name, short in SHORT_NAMES.items():
                hint = hint.replace(name, short)
            hint = hint.removeprefix("匹配:")
        width = min(metrics.horizontalAdvance(hint) + 6, rect.width() // 2)
        shown = metrics.elidedText(hint, Qt.TextElideMode.ElideRight, width - 6)
        hint_rect = QRect(rect.right() - width + 1, rect.top(), width, rect.height())
        painter.setPen(HINT_TEXT)
        painter.drawText(hint_rect, int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter), shown)
        return rect.adjusted(0, 0, -width, 0)

    @staticmethod
    def _draw_text(
        painter: QPainter,
        opt: QStyleOptionViewItem,
        metrics: QFontMetrics,
        rect: QRect,
        text: str,
        spans: list[tuple[int, int]],
    ) -> None:
        shown = metrics.elidedText(text, Qt.TextElideMode.ElideRight, rect.width())
        # An elided text keeps a prefix of the original (then "…"): spans past it are not on screen.
        kept = len(shown) - 1 if shown != text and shown.endswith("…") else len(shown)
        width = metrics.horizontalAdvance(shown)
        align = opt.displayAlignment
        if align & Qt.AlignmentFlag.AlignHCenter:
            x = rect.left() + (rect.width() - width) / 2
        elif align & Qt.AlignmentFlag.AlignRight:
            x = rect.right() - width
        else:
            x = rect.left()
        baseline = rect.top() + (rect.height() - metrics.height()) / 2 + metrics.ascent()
        if opt.state & QStyle.StateFlag.State_Selected:
            foreground = opt.palette.color(QPalette.ColorRole.HighlightedText)
        else:  # initStyleOption put the model's ForegroundRole (进度 colours) into the palette
            foreground = opt.palette.color(QPalette.ColorRole.Text)
        cuts = [(s, min(e, kept)) for s, e in spans if s < kept]
        position = 0
        pieces: list[tuple[int, int, bool]] = []
        for start, end in cuts:
            if start > position:
                pieces.append((position, start, False))
            pieces.append((start, end, True))
            position = end
        pieces.append((position, len(shown), False))
        top = rect.top() + max(1, (rect.height() - metrics.height()) // 2)
        for start, end, hit in pieces:
            if start >= end:
                continue
            left = x + metrics.horizontalAdvance(shown[:start])
            piece = shown[start:end]
            if hit:
                ground = QRectF(left, top, metrics.horizontalAdvance(piece), metrics.height())
                painter.fillRect(ground, HIGHLIGHT)
                painter.setPen(HIGHLIGHT_TEXT)
            else:
                painter.setPen(foreground)
            painter.drawText(QPointF(left, baseline), piece)
