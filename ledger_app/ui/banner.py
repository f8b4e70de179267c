"""The reminder banner above the list: how many tasks are overdue or due soon, click to filter.

Shown on opening a ledger and recounted after every change (ui/view_sync.py), so it never goes stale.

A strip above the list rather than a dialog, so it never stands between the clerk and the work.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QStyle,
    QToolButton,
    QWidget,
)

from ledger_app.domain.model import ScheduleFlag


class Banner(QFrame):
    """``scheduleClicked(ScheduleFlag)`` when a link is clicked; hidden when nothing needs attention."""

    scheduleClicked = Signal(object)  # noqa: N815 (Qt signal naming)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reminderBanner")
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 4, 4, 4)
        icon = QLabel()
        icon.setPixmap(self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning).pixmap(18, 18))
        layout.addWidget(icon)
        self.message = QLabel()
        self.message.setObjectName("bannerMessage")
        layout.addWidget(self.message)
        self.lagging_button = self._link("查看滞后任务", ScheduleFlag.LAGGING)
        self.due_soon_button = self._link("查看临期任务", ScheduleFlag.DUE_SOON)
        self.unknown_button = self._link("查看时限不明任务", ScheduleFlag.UNKNOWN_DEADLINE)
        layout.addWidget(self.lagging_button)
        layout.addWidget(self.due_soon_button)
        layout.addWidget(self.unknown_button)
        layout.addStretch(1)
        self.close_button = QToolButton()
        self.close_button.setText("×")
        self.close_button.setToolTip("关闭提醒")
        self.close_button.setAutoRaise(True)
        self.close_button.clicked.connect(self.dismiss)
        layout.addWidget(self.close_button)
        self.dismissed = False  # closed by the clerk: kept up to date, shown again with the next ledger
        self.hide()

    def dismiss(self) -> None:
        self.dismissed = True
        self.hide()

    def reset(self) -> None:
        """Another ledger: the reminder shows again."""
        self.dismissed = False
        self.hide()

    def _link(self, text: str, flag: ScheduleFlag) -> QPushButton:
        button = QPushButton(text)
        button.setObjectName("bannerLink")
        button.setFlat(True)
        button.setCursor(Qt.CursorShape.PointingHandCursor)
        button.clicked.connect(lambda: self.scheduleClicked.emit(flag))
        return button

    def show_counts(self, lagging: int, due_soon: int, warning_days: int, unknown_deadline: int = 0) -> None:
        """Show the reminder, or hide the banner when no task is overdue, due soon or of unknown deadline.

        The figures come from domain.stats (a Tally), never counted here.
        """
        if not lagging and not due_soon and not unknown_deadline:
            self.hide()
            return
        parts = []
        if lagging:
            parts.append(f"<b>{lagging}</b> 项任务已超过整改时限(滞后)")
        if due_soon:
            parts.append(f"<b>{due_soon}</b> 项将在 {warning_days} 天内到期(临期)")
        if unknown_deadline:
            parts.append(f"<b>{unknown_deadline}</b> 项整改时限不明,请补填")
        self.message.setText("提醒:" + ",".join(parts) + "。")
        self.lagging_button.setVisible(bool(lagging))
        self.due_soon_button.setVisible(bool(due_soon))
        self.unknown_button.setVisible(bool(unknown_deadline))
        self.setVisible(not self.dismissed)
