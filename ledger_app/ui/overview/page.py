"""The overview page (挂图作战): figures, the red/yellow/green ranking of units, and two charts.

It counts nothing itself: every number comes from ``Ledger.overview.build`` (domain/overview.py), the same
call ``ledger-cli stats`` and the progress report make. A click on a figure, a unit or a bar asks
the main window (``filterRequested``) to show exactly the tasks behind it.
"""

from __future__ import annotations

import time
from datetime import date
from pathlib import Path

from PySide6.QtCore import QRectF, QSize, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QImage, QMouseEvent, QPainter, QPaintEvent, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ledger_app.domain.model import NoticeKind, ScheduleFlag, TaskStatus
from ledger_app.domain.overview import (
    KEY_ALL,
    KEY_CLOSED,
    KEY_COMPLETED,
    KEY_DUE_30,
    KEY_OPEN,
    Overview,
    batch_key,
    flag_key,
    status_key,
    unit_key,
)
from ledger_app.domain.ranking import REMINDER_RULE, RankColour
from ledger_app.domain.stats import percent

from .charts import (
    HitRegion,
    chart_sizes,
    draw_month_chart,
    draw_unit_chart,
    render_png,
    unit_chart_height,
)

RANK_BACKGROUND = {
    RankColour.RED: QColor("#f8d7d7"),
    RankColour.YELLOW: QColor("#fff1c2"),
    RankColour.GREEN: QColor("#d9f0dc"),
}
RANK_HEADERS = ["", "单位", "任务", "已完成", "滞后", "临期", "整改率", "说明"]


class _SortItem(QTableWidgetItem):
    """Sorts by a number (or the colour's rank) instead of the text shown."""

    def __init__(self, text: str, key: object) -> None:
        super().__init__(text)
        self.key = key
        self.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)

    def __lt__(self, other: QTableWidgetItem) -> bool:
        if isinstance(other, _SortItem):
            return self.key < other.key  # type: ignore[operator]
        return super().__lt__(other)


class ChartView(QWidget):
    """One chart painted by a draw function; clicks on its bars emit the overview key they count."""

    clicked = Signal(str, str)  # key, label

    def __init__(self, kind: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kind = kind  # "unit" or "month"
        self.overview: Overview | None = None
        self.hits: list[HitRegion] = []
        self.setMouseTracking(True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def set_overview(self, overview: Overview) -> None:
        self.overview = overview
        self.hits = []
        height = unit_chart_height(overview.ranking, self.font()) if self.kind == "unit" else 260
        self.setFixedHeight(height)
        self.update()

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        return QSize(480, self.height())

    def draw(self, painter: QPainter, rect: QRectF) -> list[HitRegion]:
        if self.overview is None:
            return []
        if self.kind == "unit":
            return draw_unit_chart(painter, rect, self.overview.ranking)
        return draw_month_chart(painter, rect, self.overview.months)

    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802 (Qt override)
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor("white"))
        self.hits = self.draw(painter, QRectF(self.rect()).adjusted(4, 4, -4, -4))
        painter.end()

    def hit_regions(self) -> list[HitRegion]:
        """Where the bars are at the current size (drawn on a scratch image when not painted yet)."""
        if not self.hits and self.overview is not None:
            scratch = QImage(max(self.width(), 1), max(self.height(), 1), QImage.Format.Format_ARGB32)
            painter = QPainter(scratch)
            painter.setFont(self.font())
            self.hits = self.draw(painter, QRectF(scratch.rect()).adjusted(4, 4, -4, -4))
            painter.end()
        return self.hits

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt override)
        self.hits = []  # the bars moved: found again on the next paint or click
        super().resizeEvent(event)

    def _hit(self, pos: object) -> HitRegion | None:
        return next((h for h in self.hit_regions() if h.rect.contains(pos)), None)  # type: ignore[arg-type]

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt override)
        hit = self._hit(event.position())
        self.setCursor(Qt.CursorShape.PointingHandCursor if hit else Qt.CursorShape.ArrowCursor)
        self.setToolTip(f"{hit.label}:点击在任务列表中查看" if hit else "")

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt override)
        hit = self._hit(event.position())
        if hit is not None and event.button() == Qt.MouseButton.LeftButton:
            self.clicked.emit(hit.key, hit.label)

    def contextMenuEvent(self, event: object) -> None:  # noqa: N802 (Qt override)
        menu = QMenu(self)
        menu.addAction("保存为图片…", self.save_image)
        menu.exec(event.globalPos())  # type: ignore[attr-defined]

    def save_image(self) -> Path | None:
        if self.overview is None:
            return None
        name = "各单位完成情况.png" if self.kind == "unit" else "逐月进展.png"
        path, _ = QFileDialog.getSaveFileName(self, "保存为图片", name, "PNG 图片 (*.png)")
        if not path:
            return None
        return self.save_to(Path(path))

    def save_to(self, path: Path) -> Path:
        assert self.overview is not None
        unit_size, month_size = chart_sizes(self.overview)
        width, height = unit_size if self.kind == "unit" else month_size
        return render_png(path, width, height, self.draw)


class OverviewPage(QWidget):
    """挂图作战: refreshed from the rows the main window already holds (``refresh``)."""

    filterRequested = Signal(object, str)  # noqa: N815 (Qt naming) task ids, label
    roundChanged = Signal()  # noqa: N815 (Qt naming)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("overviewPage")
        self.overview: Overview | None = None
        self.last_refresh_seconds = 0.0
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)

        bar = QHBoxLayout()
        bar.setContentsMargins(4, 4, 4, 0)
        self.round_combo = QComboBox(self)
        self.round_combo.setObjectName("overviewRoundCombo")
        self.round_combo.addItem("全部督察批次", None)
        self.round_combo.setMinimumContentsLength(18)
        self.round_combo.currentIndexChanged.connect(lambda _i: self.roundChanged.emit())
        self.as_of_label = QLabel(self)
        self.reminders_button = QPushButton("一键发督办单/提醒函…", self)
        self.reminders_button.setObjectName("remindersButton")
        self.reminders_button.setToolTip(REMINDER_RULE)
        self.save_unit_button = QPushButton("单位图表保存为图片…", self)
        self.save_month_button = QPushButton("逐月图表保存为图片…", self)
        bar.addWidget(QLabel("督察批次:", self))
        bar.addWidget(self.round_combo)
        bar.addWidget(self.as_of_label, 1)
        bar.addWidget(self.reminders_button)
        bar.addWidget(self.save_unit_button)
        bar.addWidget(self.save_month_button)
        outer.addLayout(bar)

        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        body = QWidget(scroll)
        scroll.setWidget(body)
        outer.addWidget(scroll, 1)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(4, 4, 4, 4)

        self.figures = QGridLayout()
        self.figures.setHorizontalSpacing(6)
        self.figures.setVerticalSpacing(4)
        layout.addLayout(self.figures)
        self.summary_label = QLabel(body)
        self.summary_label.setObjectName("overviewSummary")
        self.summary_label.setWordWrap(True)
        self.summary_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.summary_label)

        split = QSplitter(Qt.Orientation.Horizontal, body)
        split.setChildrenCollapsible(False)
        left = QWidget(split)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        title = QLabel("<b>红黄绿榜</b>(点击单位查看其任务;点击表头排序)", left)
        left_layout.addWidget(title)
        self.rule_label = QLabel(left)
        self.rule_label.setObjectName("rankingRule")
        self.rule_label.setWordWrap(True)
        self.rule_label.setStyleSheet("color: #555; font-size: 8pt;")
        left_layout.addWidget(self.rule_label)
        self.ranking_table = QTableWidget(0, len(RANK_HEADERS), left)
        self.ranking_table.setObjectName("rankingTable")
        self.ranking_table.setHorizontalHeaderLabels(RANK_HEADERS)
        self.ranking_table.verticalHeader().hide()
        self.ranking_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.ranking_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.ranking_table.setSortingEnabled(True)
        header = self.ranking_table.horizontalHeader()
        # Sized once after a fill (resizeColumnsToContents): ResizeToContents re-measured the columns on
        # every setItem, 0.4 s for a 50-unit table.
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        self.ranking_table.setMinimumHeight(260)
        self.ranking_table.cellClicked.connect(self._on_rank_clicked)
        left_layout.addWidget(self.ranking_table, 1)
        self.batch_label = QLabel("<b>交办信访件(按批次)</b>", left)
        left_layout.addWidget(self.batch_label)
        self.batch_table = QTableWidget(0, 6, left)
        self.batch_table.setObjectName("batchTable")
        self.batch_table.setHorizontalHeaderLabels(["批次", "件数", "已完成", "已销号", "整改率", "销号率"])
        self.batch_table.verticalHeader().hide()
        self.batch_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.batch_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.batch_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.batch_table.setMaximumHeight(170)
        self.batch_table.cellClicked.connect(self._on_batch_clicked)
        left_layout.addWidget(self.batch_table)

        right = QWidget(split)
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        self.unit_chart = ChartView("unit", right)
        self.unit_chart.setObjectName("unitChart")
        self.month_chart = ChartView("month", right)
        self.month_chart.setObjectName("monthChart")
        right_layout.addWidget(self.month_chart)
        right_layout.addWidget(self.unit_chart)
        right_layout.addStretch(1)
        split.addWidget(left)
        split.addWidget(right)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 1)
        split.setSizes([600, 700])  # the ranking's 说明 column in view at 1366×768
        layout.addWidget(split, 1)

        for chart in (self.unit_chart, self.month_chart):
            chart.clicked.connect(self._request)
        self.save_unit_button.clicked.connect(self.unit_chart.save_image)
        self.save_month_button.clicked.connect(self.month_chart.save_image)
        self._figure_buttons: dict[tuple[str, bool], QPushButton] = {}

    # -- content ------------------------------------------------------------------------------
    def set_rounds(self, rounds: list[tuple[int, str]]) -> None:
        current = self.round_combo.currentData()
        self.round_combo.blockSignals(True)
        self.round_combo.clear()
        self.round_combo.addItem("全部督察批次", None)
        for round_id, name in rounds:
            self.round_combo.addItem(name, round_id)
        index = self.round_combo.findData(current) if current is not None else 0
        self.round_combo.setCurrentIndex(max(index, 0))
        self.round_combo.blockSignals(False)

    def round_id(self) -> int | None:
        data = self.round_combo.currentData()
        return int(data) if data is not None else None

    def show_overview(self, overview: Overview, seconds: float = 0.0) -> None:
        started = time.perf_counter()
        self.overview = overview
        self.last_refresh_seconds = seconds
        where = overview.round_name or "全部督察批次"
        order, reminder = NoticeKind.SUPERVISION_ORDER, NoticeKind.REMINDER
        month, total = overview.notices_month, overview.notices_total
        self.as_of_label.setText(
            f"  {where},截至 {overview.as_of:%Y年%m月%d日};本月已发督办单 {month.get(order, 0)} 份、"
            f"提醒函 {month.get(reminder, 0)} 份(累计 {total.get(order, 0)} 份、{total.get(reminder, 0)} 份)"
        )
        self._show_figures(overview)
        self.summary_label.setText(overview.summary)
        self.rule_label.setText("评定规则:" + overview.rule)
        self._show_ranking(overview)
        self._show_batches(overview)
        self.unit_chart.set_overview(overview)
        self.month_chart.set_overview(overview)
        self.last_refresh_seconds += time.perf_counter() - started

    def _figure(
        self,
        row: int,
        column: int,
        title: str,
        value: str,
        key: str | None,
        colour: str = "",
        *,
        small: bool = False,
    ) -> None:
        text = f"{title} {value}" if small else f"{value}\n{title}"
        known = self._figure_buttons.get((title, small))  # 已完成 is a headline figure and a status
        if known is not None:  # made on the first refresh; a style sheet per button is slow to redo
            known.setText(text)
            return
        button = QPushButton(text, self)
        button.setObjectName(f"figure:{key or title}")
        button.setProperty("overviewKey", key)
        button.setFlat(False)
        button.setMinimumHeight(24 if small else 44)
        size = "9pt" if small else "11pt"
        style = f"QPushButton {{ text-align: center; padding: 1px 4px; font-size: {size}; }}"
        if colour:
            style += f" QPushButton {{ color: {colour}; }}"
        button.setStyleSheet(style)
        if key is None:
            button.setEnabled(True)
            button.setToolTip(title)
        else:
            button.setToolTip(f"点击在任务列表中只看这些任务:{title}")
            button.clicked.connect(lambda _c=False, k=key, t=title: self._request(k, t))
        self.figures.addWidget(button, row, column, 1, 4 if small else 5)
        self._figure_buttons[(title, small)] = button

    def _show_figures(self, ov: Overview) -> None:
        t = ov.total
        top = [
            ("任务总数", str(t.total), KEY_ALL, ""),
            ("已完成", str(t.completed), KEY_COMPLETED, "#2e7d32"),
            ("已销号", str(t.closed), KEY_CLOSED, "#6a1b9a"),
            ("未完成", str(t.open), KEY_OPEN, ""),
            ("整改率", percent(t.rectification_rate), KEY_COMPLETED, "#2e7d32"),
            ("销号率", percent(t.close_out_rate), KEY_CLOSED, "#6a1b9a"),
            ("逾期(滞后)", str(t.lagging), flag_key(ScheduleFlag.LAGGING), "#c62828"),
            ("30天内到期", str(ov.due_30), KEY_DUE_30, "#b26a00"),
        ]
        for column, (title, value, key, colour) in enumerate(top):
            self._figure(0, column * 5, title, value, key, colour)
        second = [(s.label, str(ov.stats.by_status.get(s, 0)), status_key(s), "") for s in TaskStatus]
        for flag in (
            ScheduleFlag.ON_SCHEDULE,
            ScheduleFlag.DUE_SOON,
            ScheduleFlag.LONG_TERM,
            ScheduleFlag.UNKNOWN_DEADLINE,
        ):
            second.append((flag.label, str(ov.stats.by_schedule.get(flag, 0)), flag_key(flag), ""))
        # One row of ten smaller buttons (six statuses, four flags) under the eight headline figures.
        for index, (title, value, key, colour) in enumerate(second):
            self._figure(1, index * 4, title, value, key, colour, small=True)

    def _show_ranking(self, ov: Overview) -> None:
        table = self.ranking_table
        table.setSortingEnabled(False)
        table.setRowCount(len(ov.ranking))
        order = {RankColour.RED: 0, RankColour.YELLOW: 1, RankColour.GREEN: 2}
        for row, rank in enumerate(ov.ranking):
            cells = [
                _SortItem(rank.colour.label, (order[rank.colour], row)),
                _SortItem(rank.unit, rank.unit),
                _SortItem(str(rank.tasks), rank.tasks),
                _SortItem(str(rank.completed), rank.completed),
                _SortItem(str(rank.lagging), rank.lagging),
                _SortItem(str(rank.due_soon), rank.due_soon),
                _SortItem(percent(rank.rectification_rate), rank.rectification_rate),
                _SortItem(rank.reason(), rank.reason()),
            ]
            brush = QBrush(RANK_BACKGROUND[rank.colour])
            for column, item in enumerate(cells):
                item.setData(Qt.ItemDataRole.UserRole, rank.unit)
                item.setBackground(brush)
                item.setToolTip(f"{rank.unit}:{rank.reason()};按时间进度应完成{rank.expected}项")
                if column in (2, 3, 4, 5, 6):
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                table.setItem(row, column, item)
        table.setSortingEnabled(True)
        table.sortItems(0, Qt.SortOrder.AscendingOrder)  # the ranking's own order: red, yellow, green
        table.resizeColumnsToContents()

    def _show_batches(self, ov: Overview) -> None:
        table = self.batch_table
        table.setRowCount(len(ov.petition_batches))
        for row, batch in enumerate(ov.petition_batches):
            t = batch.tally
            values = [
                batch.label,
                t.total,
                t.completed,
                t.closed,
                percent(t.rectification_rate),
                percent(t.close_out_rate),
            ]
            for column, value in enumerate(values):
                item = QTableWidgetItem(str(value))
                item.setData(Qt.ItemDataRole.UserRole, batch.batch)
                table.setItem(row, column, item)
        visible = bool(ov.petition_batches)
        self.batch_label.setVisible(visible)
        table.setVisible(visible)

    # -- clicks -------------------------------------------------------------------------------
    def _on_rank_clicked(self, row: int, column: int) -> None:
        item = self.ranking_table.item(row, column)
        if item is None:
            return
        unit = item.data(Qt.ItemDataRole.UserRole)
        part, what = {4: ("lagging", "滞后"), 5: ("due-soon", "临期"), 3: ("completed", "已完成")}.get(
            column, ("", "")
        )
        self._request(unit_key(unit, part), f"{unit} {what}".strip())

    def _on_batch_clicked(self, row: int, _column: int) -> None:
        item = self.batch_table.item(row, 0)
        if item is not None:
            batch = item.data(Qt.ItemDataRole.UserRole)
            self._request(batch_key(batch), f"交办信访件 {batch or '未填批次'}")

    def _request(self, key: str, label: str) -> None:
        if self.overview is not None:
            self.filterRequested.emit(self.overview.task_ids(key), label)

    def refresh_seconds(self) -> float:
        return self.last_refresh_seconds

    @staticmethod
    def today() -> date:
        return date.today()
