"""Making windows fit small screens: 1366×768 laptops and 1920×1080 at 150 % scaling (1280×720 logical).

* ``FlowLayout`` and ``reflow()``: a row of buttons that wraps onto a second line instead of being clipped
  or pushing its panel wider than the screen. Forms come from Qt Designer files without custom widget
  classes, so ``reflow`` swaps a form's QHBoxLayout for a flow layout after loading.
* ``ShareColumns``: the text column of a table keeps a fair share of the width; the narrow columns
  give up room (down to what their header needs) before the text is squeezed to a character a line.
* ``fit_window`` / ``clamp_to_screen``: a first-run window sized to the available screen, a restored one
  (saved on a larger monitor) brought back onto the screen it is on; dialogs are clamped as they are
  first shown (``FitOnShow``, used by FormDialog and the import wizard).
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QEvent, QMargins, QObject, QPoint, QRect, QSize, Qt
from PySide6.QtGui import QGuiApplication, QScreen, QShowEvent
from PySide6.QtWidgets import (
    QBoxLayout,
    QHeaderView,
    QLayout,
    QLayoutItem,
    QSizePolicy,
    QTableView,
    QWidget,
    QWidgetItem,
)


class FlowLayout(QLayout):
    """Items left to right, wrapping to the next line when the width runs out (Qt's flow layout example)."""

    def __init__(self, parent: QWidget | None = None, spacing: int = 6) -> None:
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self._spacing = spacing
        self.setContentsMargins(0, 0, 0, 0)

    # QLayout's item protocol
    def addItem(self, item: QLayoutItem) -> None:  # noqa: N802 (Qt override)
        self._items.append(item)

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:  # noqa: N802 (Qt override)
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:  # noqa: N802 (Qt override)
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self) -> Qt.Orientation:  # noqa: N802 (Qt override)
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:  # noqa: N802 (Qt override)
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802 (Qt override)
        return self._arrange(QRect(0, 0, width, 0), move=False)

    def setGeometry(self, rect: QRect) -> None:  # noqa: N802 (Qt override)
        super().setGeometry(rect)
        self._arrange(rect, move=True)

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        # One line when there is room for it: the width of every item side by side.
        visible = self._visible()
        width = sum(i.sizeHint().width() for i in visible) + self._spacing * max(0, len(visible) - 1)
        height = max((i.sizeHint().height() for i in visible), default=0)
        m = self.contentsMargins()
        return QSize(width + m.left() + m.right(), height + m.top() + m.bottom())

    def minimumSize(self) -> QSize:  # noqa: N802 (Qt override)
        # As narrow as the widest single item: everything else can go onto further lines.
        size = QSize()
        for item in self._visible():
            size = size.expandedTo(item.minimumSize())
        m = self.contentsMargins()
        return size + QSize(m.left() + m.right(), m.top() + m.bottom())

    def _visible(self) -> list[QLayoutItem]:
        return [i for i in self._items if not (i.widget() is not None and i.widget().isHidden())]

    def _arrange(self, rect: QRect, *, move: bool) -> int:
        m: QMargins = self.contentsMargins()
        area = rect.adjusted(m.left(), m.top(), -m.right(), -m.bottom())
        x, y, line_height = area.x(), area.y(), 0
        for item in self._visible():
            hint = item.sizeHint()
            if x > area.x() and x + hint.width() > area.right() + 1:
                x, y, line_height = area.x(), y + line_height + self._spacing, 0
            if move:
                item.setGeometry(QRect(QPoint(x, y), hint))
            x += hint.width() + self._spacing
            line_height = max(line_height, hint.height())
        return y + line_height - rect.y() + m.bottom()


def _move_items(source: QLayout, target: FlowLayout) -> None:
    """Every widget of ``source`` into ``target``; spacers are dropped (a flow has no room to fill)."""
    while source.count():
        item = source.takeAt(0)
        if item is None:
            break
        widget = item.widget()
        if widget is not None:
            target.addItem(QWidgetItem(widget))
        elif item.layout() is not None:
            _move_items(item.layout(), target)


def reflow(container: QWidget) -> FlowLayout:
    """Replace the row layout of ``container`` (a form's button row) by a wrapping one."""
    old = container.layout()
    flow = FlowLayout(spacing=old.spacing() if old is not None and old.spacing() >= 0 else 6)
    if old is not None:
        flow.setContentsMargins(old.contentsMargins())
        _move_items(old, flow)
        # A widget keeps its layout until the layout object is gone; a parked widget takes it.
        QWidget().setLayout(old)
    container.setLayout(flow)
    policy = container.sizePolicy()
    policy.setHeightForWidth(True)
    policy.setHorizontalPolicy(QSizePolicy.Policy.Preferred)
    container.setSizePolicy(policy)
    return flow


def reflow_box(parent: QBoxLayout, row: QLayout) -> QWidget:
    """Replace ``row``, a row layout nested in ``parent`` (no widget of its own), by a wrapping widget."""
    index = next(i for i in range(parent.count()) if parent.itemAt(i).layout() is row)
    parent.takeAt(index)
    holder = QWidget(parent.parentWidget())
    holder.setObjectName(f"{row.objectName()}Flow")
    flow = FlowLayout(spacing=row.spacing() if row.spacing() >= 0 else 6)
    _move_items(row, flow)
    holder.setLayout(flow)
    policy = holder.sizePolicy()
    policy.setHeightForWidth(True)
    holder.setSizePolicy(policy)
    parent.insertWidget(index, holder)
    row.deleteLater()
    return holder


class ShareColumns(QObject):
    """Keep ``stretch`` (the text column) at ``share`` of the table's width or more.

    The other columns keep their preferred widths while there is room; on a narrow table they shrink
    proportionally, but never below what their header text needs.
    """

    def __init__(
        self, table: QTableView, stretch: int, preferred: Iterable[tuple[int, int]], share: float = 0.45
    ) -> None:
        super().__init__(table)
        self.table = table
        self.stretch = stretch
        self.preferred = dict(preferred)
        self.share = share
        header = table.horizontalHeader()
        header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
        for column in self.preferred:
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
        table.viewport().installEventFilter(self)
        self.apply()

    def _floor(self, column: int) -> int:
        model = self.table.model()
        title = str(model.headerData(column, Qt.Orientation.Horizontal)) if model is not None else ""
        return self.table.horizontalHeader().fontMetrics().horizontalAdvance(title) + 20

    def apply(self) -> None:
        budget = int(self.table.viewport().width() * (1 - self.share))
        widths = dict(self.preferred)
        floors = {column: self._floor(column) for column in widths}
        shrinkable = set(widths)
        # Columns that would shrink below their header take their floor; the rest share what is left.
        while shrinkable:
            fixed = sum(widths[c] for c in widths if c not in shrinkable)
            wanted = sum(self.preferred[c] for c in shrinkable)
            scale = min(1.0, max(0, budget - fixed) / wanted) if wanted else 1.0
            at_floor = {c for c in shrinkable if self.preferred[c] * scale < floors[c]}
            for column in shrinkable:
                widths[column] = max(floors[column], int(self.preferred[column] * scale))
            if not at_floor:
                break
            shrinkable -= at_floor
        for column, width in widths.items():
            self.table.setColumnWidth(column, width)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        if event.type() == QEvent.Type.Resize:
            self.apply()
        return False


# -- windows and the screen ---------------------------------------------------------------------------
def _screen_of(window: QWidget) -> QScreen | None:
    screen = window.screen() if window.screen() is not None else QGuiApplication.primaryScreen()
    centre = window.frameGeometry().center()
    return QGuiApplication.screenAt(centre) or screen


def fit_window(window: QWidget, preferred: QSize, *, margin: int = 0) -> None:
    """First run: ``preferred`` or the available screen, whichever is smaller, centred on it."""
    screen = _screen_of(window)
    if screen is None:
        window.resize(preferred)
        return
    area = screen.availableGeometry().adjusted(margin, margin, -margin, -margin)
    frame_extra = window.frameGeometry().size() - window.geometry().size()
    size = preferred.boundedTo(area.size() - frame_extra)
    window.resize(size)
    top_left = area.center() - QPoint(size.width() // 2, size.height() // 2)
    window.move(max(area.left(), top_left.x()), max(area.top(), top_left.y()))


def clamp_to_screen(window: QWidget) -> None:
    """A window larger than its screen, or partly off it, is shrunk and moved onto it."""
    screen = _screen_of(window)
    if screen is None:
        return
    area = screen.availableGeometry()
    frame = window.frameGeometry()
    extra = frame.size() - window.geometry().size()
    if frame.width() > area.width() or frame.height() > area.height():
        window.resize(window.size().boundedTo(area.size() - extra))
        frame = window.frameGeometry()
    x = min(max(frame.left(), area.left()), area.right() + 1 - frame.width())
    y = min(max(frame.top(), area.top()), area.bottom() + 1 - frame.height())
    if (x, y) != (frame.left(), frame.top()):
        window.move(x, y)


class FitOnShow:
    """Mixin for dialogs: the first time one is shown it is clamped to its screen (a 1040×740 wizard
    on a 1280×720 screen, which is what 1920×1080 at 150 % leaves)."""

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt override)
        super().showEvent(event)  # type: ignore[misc]
        if not getattr(self, "_fitted_to_screen", False):
            self._fitted_to_screen = True
            clamp_to_screen(self)  # type: ignore[arg-type]
