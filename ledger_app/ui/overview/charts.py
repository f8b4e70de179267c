"""The overview's two charts, drawn with QPainter on a widget or on a QImage (PNG for slides, and
``ledger-cli stats --chart-dir`` headless).

Why QPainter and not QtCharts: QtCharts comes only with PySide6-Addons (168 MB to download, 457 MB
unpacked; the README's "Charts: QPainter, not QtCharts" says what it would add to the bundle), and
two plain charts are a few hundred lines here.

Each draw function returns the hit regions (rectangle, overview key, label) so a click on a bar
filters the task list to exactly the tasks it counts.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QImage, QPainter, QPainterPath, QPen

from ledger_app.domain.overview import MonthPoint, Overview, unit_key
from ledger_app.domain.ranking import UnitRank

COMPLETED = QColor("#2e7d32")
OPEN = QColor("#5b8def")
LAGGING = QColor("#c62828")
CLOSED = QColor("#6a1b9a")
AXIS = QColor("#555555")
GRID = QColor("#e3e3e3")
TEXT = QColor("#222222")

UNIT_BAR = 16.0  # px per unit row (bar + gap): 20 units fit a 1366×768 window's chart
MONTH_CHART_HEIGHT = 300  # as PNG; 260 on the page


@dataclass(frozen=True, slots=True)
class HitRegion:
    rect: QRectF
    key: str
    label: str


def _nice_step(top: int, ticks: int = 5) -> int:
    """1, 2, 5, 10, 20, 50 …: an axis step that gives about ``ticks`` gridlines up to ``top``."""
    raw = max(top, 1) / ticks
    step = 1
    while True:
        for factor in (1, 2, 5):
            if step * factor >= raw:
                return step * factor
        step *= 10


def _legend(painter: QPainter, x: float, y: float, items: Sequence[tuple[QColor, str]]) -> None:
    fm = QFontMetricsF(painter.font())
    for colour, text in items:
        painter.fillRect(QRectF(x, y - fm.ascent() + 2, 12, 10), colour)
        painter.setPen(TEXT)
        painter.drawText(QPointF(x + 16, y), text)
        x += 16 + fm.horizontalAdvance(text) + 14


def unit_chart_height(ranking: Sequence[UnitRank], font: QFont) -> int:
    fm = QFontMetricsF(font)
    row = max(UNIT_BAR, fm.height() + 3)
    return int(fm.height() * 2 + 16 + row * max(len(ranking), 1) + fm.height() + 12)


def draw_unit_chart(painter: QPainter, rect: QRectF, ranking: Sequence[UnitRank]) -> list[HitRegion]:
    """Tasks by unit, one horizontal bar each: 已完成 / 推进中 (not lagging) / 滞后, in ranking order."""
    fm = QFontMetricsF(painter.font())
    painter.setPen(TEXT)
    title_y = rect.top() + fm.ascent() + 2
    bold = QFont(painter.font())
    bold.setBold(True)
    painter.save()
    painter.setFont(bold)
    painter.drawText(QPointF(rect.left() + 4, title_y), "各单位任务完成情况(项)")
    painter.restore()
    _legend(
        painter,
        rect.left() + 4,
        title_y + fm.height() + 2,
        [(COMPLETED, "已完成"), (OPEN, "推进中(含临期、长期坚持、时限不明)"), (LAGGING, "滞后")],
    )
    if not ranking:
        painter.drawText(QPointF(rect.left() + 4, title_y + fm.height() * 3), "暂无任务")
        return []
    row = max(UNIT_BAR, fm.height() + 3)
    top = title_y + fm.height() + 12
    name_width = min(max(fm.horizontalAdvance(r.unit) for r in ranking) + 8, rect.width() * 0.38)
    left = rect.left() + name_width
    right = rect.right() - 44  # room for the total at the end of the longest bar
    most = max(r.tasks for r in ranking)
    scale = (right - left) / most if most else 0
    hits: list[HitRegion] = []
    for index, rank in enumerate(ranking):
        y = top + index * row
        painter.setPen(TEXT)
        name = fm.elidedText(rank.unit, Qt.TextElideMode.ElideRight, name_width - 6)
        painter.drawText(
            QRectF(rect.left(), y, name_width - 6, row),
            int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
            name,
        )
        x = left
        for count, colour, part, what in (
            (rank.completed, COMPLETED, "completed", "已完成"),
            (rank.open_not_lagging, OPEN, "open", "推进中"),
            (rank.lagging, LAGGING, "lagging", "滞后"),
        ):
            if count <= 0:
                continue
            width = max(count * scale, 1.0)
            bar = QRectF(x, y + 2, width, row - 4)
            painter.fillRect(bar, colour)
            hits.append(HitRegion(bar, unit_key(rank.unit, part), f"{rank.unit} {what}"))
            x += width
        painter.setPen(TEXT)
        painter.drawText(QPointF(x + 4, y + row / 2 + fm.ascent() / 2 - 1), str(rank.tasks))
        hits.append(HitRegion(QRectF(rect.left(), y, name_width, row), unit_key(rank.unit), rank.unit))
    # x axis ticks under the bars
    axis_y = top + len(ranking) * row + 2
    painter.setPen(QPen(AXIS, 1))
    painter.drawLine(QPointF(left, axis_y), QPointF(right, axis_y))
    step = _nice_step(most)
    value = 0
    while value <= most:
        x = left + value * scale
        painter.drawLine(QPointF(x, axis_y), QPointF(x, axis_y + 3))
        painter.drawText(QPointF(x - fm.horizontalAdvance(str(value)) / 2, axis_y + fm.height()), str(value))
        value += step
    return hits


def draw_month_chart(painter: QPainter, rect: QRectF, months: Sequence[MonthPoint]) -> list[HitRegion]:
    """Completed, closed and lagging tasks at each month's end, over the round's life (lines)."""
    fm = QFontMetricsF(painter.font())
    title_y = rect.top() + fm.ascent() + 2
    bold = QFont(painter.font())
    bold.setBold(True)
    painter.save()
    painter.setFont(bold)
    painter.setPen(TEXT)
    painter.drawText(QPointF(rect.left() + 4, title_y), "逐月累计:已完成、已销号、滞后(项,月末)")
    painter.restore()
    last = months[-1] if months else None
    _legend(
        painter,
        rect.left() + 4,
        title_y + fm.height() + 2,
        [
            (COMPLETED, f"已完成{f' {last.completed}' if last else ''}"),
            (CLOSED, f"已销号{f' {last.closed}' if last else ''}"),
            (LAGGING, f"滞后{f' {last.lagging}' if last else ''}"),
        ],
    )
    if not months:
        painter.setPen(TEXT)
        painter.drawText(
            QPointF(rect.left() + 4, title_y + fm.height() * 3), "没有反馈日期或状态记录,无法按月统计"
        )
        return []
    most = max(max(p.completed, p.closed, p.lagging) for p in months)
    step = _nice_step(most)
    top_value = max(step * ((most + step - 1) // step), step)
    label_width = fm.horizontalAdvance(str(top_value)) + 8
    plot = QRectF(
        rect.left() + label_width,
        title_y + fm.height() + 12,
        rect.width() - label_width - 12,
        rect.height() - (fm.height() * 3 + 12),
    )
    painter.setPen(QPen(GRID, 1))
    value = 0
    while value <= top_value:
        y = plot.bottom() - plot.height() * value / top_value
        painter.setPen(QPen(GRID, 1))
        painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
        painter.setPen(AXIS)
        text = str(value)
        painter.drawText(QPointF(plot.left() - fm.horizontalAdvance(text) - 4, y + fm.ascent() / 2 - 1), text)
        value += step
    count = len(months)
    dx = plot.width() / max(count - 1, 1)

    def point(i: int, v: int) -> QPointF:
        return QPointF(plot.left() + i * dx, plot.bottom() - plot.height() * v / top_value)

    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    for colour, attr in ((COMPLETED, "completed"), (CLOSED, "closed"), (LAGGING, "lagging")):
        path = QPainterPath(point(0, getattr(months[0], attr)))
        for i, p in enumerate(months[1:], start=1):
            path.lineTo(point(i, getattr(p, attr)))
        painter.setPen(QPen(colour, 2))
        painter.drawPath(path)
        if count <= 36:
            for i, p in enumerate(months):
                painter.setBrush(colour)
                painter.drawEllipse(point(i, getattr(p, attr)), 2.5, 2.5)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
    # Month labels: as many as fit without overlapping, always the first and the last.
    painter.setPen(AXIS)
    painter.drawLine(plot.bottomLeft(), plot.bottomRight())
    label = "2026年12月"
    every = max(1, int((fm.horizontalAdvance(label) + 10) // max(dx, 1)) + 1)
    last_x = -1e9
    last_year = 0
    for i, p in enumerate(months):
        if i % every and i != count - 1:
            continue
        # The year written at the first label of each year, so a long round still reads as dates.
        text = p.label if p.month.year != last_year else f"{p.month.month}月"
        width = fm.horizontalAdvance(text)
        x = min(max(point(i, 0).x() - width / 2, rect.left()), rect.right() - width)
        if x < last_x + 6:
            continue
        painter.drawText(QPointF(x, plot.bottom() + fm.height() + 2), text)
        last_x = x + width
        last_year = p.month.year
    return []


def render_png(path: Path, width: int, height: int, draw: object) -> Path:
    """Paint ``draw(painter, rect)`` on a white image twice the size (sharp on slides) and save it."""
    scale = 2
    image = QImage(width * scale, height * scale, QImage.Format.Format_ARGB32)
    image.setDevicePixelRatio(scale)
    image.fill(QColor("white"))
    painter = QPainter(image)
    try:
        painter.setFont(_chart_font())
        draw(painter, QRectF(8, 8, width - 16, height - 16))  # type: ignore[operator]
    finally:
        painter.end()
    if not image.save(str(path), "PNG"):
        raise OSError(f"无法写入图片:{path}")
    return path


def _chart_font() -> QFont:
    from PySide6.QtGui import QGuiApplication

    font = QFont(QGuiApplication.font())
    font.setPointSizeF(10)
    return font


def chart_sizes(overview: Overview) -> tuple[tuple[int, int], tuple[int, int]]:
    """(width, height) of the unit chart and the month chart as PNG."""
    return (900, unit_chart_height(overview.ranking, _chart_font())), (900, MONTH_CHART_HEIGHT + 40)


def save_charts(overview: Overview, folder: Path) -> list[Path]:
    """Both charts as PNG files in ``folder`` (made if needed): 各单位完成情况.png and 逐月进展.png."""
    folder.mkdir(parents=True, exist_ok=True)
    (uw, uh), (mw, mh) = chart_sizes(overview)
    return [
        render_png(
            folder / "各单位完成情况.png", uw, uh, lambda p, r: draw_unit_chart(p, r, overview.ranking)
        ),
        render_png(folder / "逐月进展.png", mw, mh, lambda p, r: draw_month_chart(p, r, overview.months)),
    ]


def save_charts_headless(overview: Overview, folder: Path) -> list[Path]:
    """For the CLI: a Qt application without a screen (offscreen), the CJK font, then ``save_charts``."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from ledger_app.ui.app import choose_font

    app = QApplication.instance() or QApplication(["ledger-cli"])
    choose_font(app)  # type: ignore[arg-type]
    return save_charts(overview, folder)
