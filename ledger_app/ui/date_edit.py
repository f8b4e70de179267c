"""DateEdit: the one date entry of the app — a line edit read by domain.dates.parse_day, with a
Chinese calendar behind a button.

Why not QDateEdit: typing 2025-12-20 into one showing 2026-… kept the old year (its sections take
typed digits piecewise), an empty one opened its calendar at its minimum date (January 2000) and
its popup followed the system locale (English month names). Here the text is the clerk's own until
it is understood: every form domain.dates accepts is taken whole, with exactly the year typed, and
text it refuses stays in the field, framed in red, with the reason in the tooltip and in ``error()``.

The widget is a QLineEdit, so code that treats fields alike (commit on editingFinished, text()) works
unchanged; a day picked in the calendar emits editingFinished too, as leaving the field would.
Forms (.ui) use it as a custom widget of this class name, registered with QUiLoader in ui/forms.py.
"""

from __future__ import annotations

from datetime import date
from functools import cache

from PySide6.QtCore import QDate, QLocale, QPoint, QRect, Qt, Signal
from PySide6.QtGui import QAction, QColor, QIcon, QKeyEvent, QPainter, QPen, QPixmap
from PySide6.QtWidgets import (
    QApplication,
    QCalendarWidget,
    QFrame,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ledger_app.domain.dates import EXAMPLES, parse_day
from ledger_app.domain.deadlines import MAX_YEAR, MIN_YEAR
from ledger_app.domain.errors import ValidationError

DISPLAY_FORMAT = "yyyy-MM-dd"
CHINESE = QLocale(QLocale.Language.Chinese, QLocale.Country.China)
ERROR_CSS = "QLineEdit { border: 1px solid #c62828; background: #fff4f4; }"
CALENDAR_ACTION = "dateEditCalendarAction"
PLACEHOLDERS = {True: "未填写", False: "如 2025-12-20"}  # by optional
HELP = f"可直接输入,如 {EXAMPLES};也可点右侧日历选择(Alt+↓)。↑↓ 前后一天。"


@cache  # one for every field (the task panel alone has six)
def _calendar_icon() -> QIcon:
    """A small calendar drawn here: no icon theme on Windows has one, and an emoji may not render."""
    pixmap = QPixmap(32, 32)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(QPen(QColor("#555555"), 2))
    painter.setBrush(QColor("#ffffff"))
    painter.drawRoundedRect(QRect(3, 6, 26, 23), 3, 3)
    painter.fillRect(QRect(4, 7, 25, 6), QColor("#c62828"))
    painter.setPen(QPen(QColor("#555555"), 3))
    painter.drawLine(10, 3, 10, 9)
    painter.drawLine(22, 3, 22, 9)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor("#555555"))
    for row in range(2):
        for col in range(3):
            painter.drawRect(QRect(8 + col * 7, 16 + row * 6, 4, 3))
    painter.end()
    return QIcon(pixmap)


class CalendarPopup(QFrame):
    """A Chinese month calendar (weeks from Monday) with 今天 and, for optional fields, 清除."""

    picked = Signal(object)  # a date, or None for 清除

    def __init__(self, parent: QWidget, optional: bool) -> None:
        super().__init__(parent, Qt.WindowType.Popup)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        self.calendar = QCalendarWidget(self)
        self.calendar.setObjectName("dateEditCalendar")
        self.calendar.setLocale(CHINESE)
        self.calendar.setFirstDayOfWeek(Qt.DayOfWeek.Monday)
        self.calendar.setGridVisible(True)
        self.calendar.setVerticalHeaderFormat(QCalendarWidget.VerticalHeaderFormat.NoVerticalHeader)
        # 一 二 … 日: the short names (周一) do not fit a day's column and show as "…".
        self.calendar.setHorizontalHeaderFormat(QCalendarWidget.HorizontalHeaderFormat.SingleLetterDayNames)
        # Qt sizes the grid tightly and then elides two-digit days as "…": give each day room.
        metrics = self.calendar.fontMetrics()
        self.calendar.setMinimumSize(7 * (metrics.horizontalAdvance("00") + 22), 9 * (metrics.height() + 6))
        self.calendar.setMinimumDate(QDate(MIN_YEAR, 1, 1))
        self.calendar.setMaximumDate(QDate(MAX_YEAR, 12, 31))
        self.calendar.clicked.connect(lambda day: self.picked.emit(day.toPython()))
        self.calendar.activated.connect(lambda day: self.picked.emit(day.toPython()))
        layout.addWidget(self.calendar)
        buttons = QHBoxLayout()
        self.today_button = QPushButton("今天", self)
        self.today_button.clicked.connect(lambda: self.picked.emit(date.today()))
        buttons.addWidget(self.today_button)
        buttons.addStretch(1)
        self.clear_button = QPushButton("清除", self)
        self.clear_button.setToolTip("不填日期")
        self.clear_button.clicked.connect(lambda: self.picked.emit(None))
        self.clear_button.setVisible(optional)
        buttons.addWidget(self.clear_button)
        layout.addLayout(buttons)

    def show_at(self, day: date, field: QRect) -> None:
        """Under ``field`` (global coordinates), or above it when the screen has no room below."""
        self.calendar.setSelectedDate(QDate(day))
        self.calendar.setCurrentPage(day.year, day.month)
        self.adjustSize()
        where = field.bottomLeft()
        screen = QApplication.screenAt(where) or QApplication.primaryScreen()
        if screen is not None:  # keep the whole calendar on the screen (a field near the bottom edge)
            room = screen.availableGeometry()
            x = min(max(where.x(), room.left()), room.right() - self.width())
            y = where.y() if where.y() + self.height() <= room.bottom() else field.top() - self.height()
            where = QPoint(x, max(y, room.top()))
        self.move(where)
        self.show()
        self.calendar.setFocus()


class DateEdit(QLineEdit):
    """A date field: ``day()`` / ``setDate()``; ``date()`` as a QDate for code written for QDateEdit.

    ``dateChanged`` carries the QDate understood (a null QDate when the field is empty or unreadable).
    """

    dateChanged = Signal(QDate)  # noqa: N815 (the QDateEdit name callers already use)

    def __init__(self, parent: QWidget | None = None, *, optional: bool = False) -> None:
        super().__init__(parent)
        self._optional = optional
        self._day: date | None = None
        self._error = ""
        self._read: str | None = None  # the text _day and _error were read from
        self._note = ""  # a tooltip the form gave the field
        self._own_tip = ""
        self._popup: CalendarPopup | None = None
        action = self.addAction(_calendar_icon(), QLineEdit.ActionPosition.TrailingPosition)
        action.setObjectName(CALENDAR_ACTION)
        action.setToolTip("选择日期")
        action.triggered.connect(self.open_calendar)
        self.setMinimumWidth(self.fontMetrics().horizontalAdvance("2025-12-20") + 48)
        self._show_optional()
        self.textChanged.connect(self._understand)
        self.editingFinished.connect(self._tidy)
        self._understand(self.text())

    @property
    def calendar_action(self) -> QAction:
        # Looked up, not kept: a widget built by QUiLoader loses the Python wrappers of the
        # children its constructor made ("Internal C++ object already deleted"), the C++ ones live on.
        return next(a for a in self.actions() if a.objectName() == CALENDAR_ACTION)

    # -- what the field holds ---------------------------------------------------------------------
    def is_optional(self) -> bool:
        return self._optional

    def setOptional(self, optional: bool) -> None:  # noqa: N802 (Qt-style name, as the other setters)
        self._optional = optional
        if self._popup is not None:
            self._popup.clear_button.setVisible(optional)
        self._show_optional()
        self._read = None  # an empty field's verdict depends on it
        self._understand(self.text())

    def day(self) -> date | None:
        """The day typed or picked; None for an optional field left empty.

        Raises ValidationError (why, in Chinese) for text that names no day, or an empty required field.
        """
        self._read_text()
        if self._error:
            raise ValidationError(self._error, f"date field: {self.text()!r}")
        return self._day

    def valid_day(self) -> date | None:
        """The day understood, or None (empty or unreadable): for hints that must not raise."""
        self._read_text()
        return None if self._error else self._day

    def date(self) -> QDate:
        day = self.valid_day()
        return QDate(day) if day is not None else QDate()

    def error(self) -> str:
        """Why the text is refused ("" when it is understood)."""
        self._read_text()
        return self._error

    def is_empty(self) -> bool:
        return not self.text().strip()

    def setDate(self, value: QDate | date | None) -> None:  # noqa: N802 (QDateEdit's name)
        """Show ``value`` (None or a null QDate: empty)."""
        if isinstance(value, QDate):
            value = value.toPython() if value.isValid() else None
        text = "" if value is None else value.isoformat()
        if text != self.text():
            self.setText(text)
            self.setCursorPosition(0)
            if self.signalsBlocked():  # no textChanged: show the new verdict (red frame off) here
                self._understand(text)

    def clear_date(self) -> None:
        self.setDate(None)

    # -- understanding the text -------------------------------------------------------------------
    def _show_optional(self) -> None:
        if self.placeholderText() in ("", *PLACEHOLDERS.values()):  # a form's own wording stays
            self.setPlaceholderText(PLACEHOLDERS[self._optional])

    def _read_text(self) -> None:
        """Read the text if it changed since: also when it was set with signals blocked."""
        text = self.text()
        if text == self._read:
            return
        self._read = text
        if not text.strip():
            self._day = None
            self._error = "" if self._optional else "请填写日期。"
        else:
            try:
                self._day, self._error = parse_day(text), ""
            except ValidationError as refused:
                self._day, self._error = None, refused.message_zh

    def _understand(self, text: str) -> None:
        before = QDate(self._day) if self._day is not None and not self._error else QDate()
        self._read_text()
        # While the field is still empty a required one is not shown as wrong: nothing was typed yet.
        wrong = bool(self._error) and bool(text.strip())
        css = ERROR_CSS if wrong else ""
        if self.styleSheet() != css:  # re-polishing costs ~1 ms: not on every keystroke
            self.setStyleSheet(css)
        current = self.toolTip()
        if current and current != self._own_tip:  # a form's own tooltip ("默认发文后 7 天") is kept
            self._note = current
        self._own_tip = "\n".join(part for part in (self._error if wrong else "", self._note, HELP) if part)
        self.setToolTip(self._own_tip)
        after = self.date()
        if after != before:
            self.dateChanged.emit(after)

    def _tidy(self) -> None:
        """Once the clerk is done, a day understood is shown the one way (2025年12月20日 → 2025-12-20)."""
        if self._day is not None and not self._error and self.text() != self._day.isoformat():
            self.blockSignals(True)  # same day: no dateChanged, and no second editingFinished
            self.setText(self._day.isoformat())
            self.blockSignals(False)

    # -- the calendar -----------------------------------------------------------------------------
    def calendar(self) -> CalendarPopup:
        if self._popup is None:
            self._popup = CalendarPopup(self, self._optional)
            self._popup.picked.connect(self._picked)
        return self._popup

    def open_calendar(self) -> None:
        """Open at the field's day, or today when it is empty or unreadable (never January 2000)."""
        start = self.valid_day() or date.today()
        self.calendar().show_at(start, QRect(self.mapToGlobal(QPoint(0, 0)), self.size()))

    def _picked(self, day: date | None) -> None:
        if self._popup is not None:
            self._popup.hide()
        self.setDate(day)
        self.setFocus()
        self.editingFinished.emit()  # a pick is a finished edit: the owner commits it as on leaving

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt override)
        key, mods = event.key(), event.modifiers()
        if key == Qt.Key.Key_F4 or (key == Qt.Key.Key_Down and mods & Qt.KeyboardModifier.AltModifier):
            self.open_calendar()
            return
        if key in (Qt.Key.Key_Up, Qt.Key.Key_Down) and self.valid_day() is not None:
            step = 1 if key == Qt.Key.Key_Up else -1
            self.setDate(QDate(self.valid_day()).addDays(step))
            return
        super().keyPressEvent(event)
