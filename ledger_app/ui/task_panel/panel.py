"""The task panel: a header with the task's status, and one tab per part of the task.

Each tab commits its own edits through the Ledger and emits ``committed``; the panel then reloads
the record into every tab (one short query set for one task) and tells the main window.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QLabel,
    QPushButton,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ledger_app.domain.errors import LedgerError, NotFoundError
from ledger_app.domain.records import TaskRecord
from ledger_app.services import Ledger

from ..layout_fit import FlowLayout
from .attachments_tab import AttachmentsTab
from .basic_tab import BasicTab
from .closeout_tab import CloseoutTab
from .history_tab import HistoryTab
from .measures_tab import MeasuresTab
from .progress_tab import ProgressTab
from .reviews_tab import ReviewsTab
from .widgets import HINT_COLOUR, SCHEDULE_COLOURS, STATUS_COLOURS, TaskTab, badge, confirm, show_error

log = logging.getLogger(__name__)
EMPTY_HINT = "请在左侧列表中选择一项任务"
VANISHED_HINT = "该任务已不在台账中(可能已撤销或删除)。\n\n请在左侧列表中选择一项任务。"


class TaskPanel(QWidget):
    """Everything about the selected task. ``show_task(None)`` shows an empty, disabled panel."""

    taskChanged = Signal(int)  # noqa: N815 (Qt signal naming)
    taskDeleted = Signal(int)  # noqa: N815
    statusMessage = Signal(str)  # noqa: N815

    def __init__(self, ledger: Ledger, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ledger = ledger
        self.task_id: int | None = None
        # The task shown until it vanished from the ledger (an undo, another window): the main
        # window shows it again if it comes back (redo, restore).
        self.vanished_id: int | None = None
        self.record: TaskRecord | None = None
        self._loading = False
        self._load_again = False

        self.stack = QStackedWidget(self)
        self.empty_label = QLabel(EMPTY_HINT)
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setStyleSheet(f"QLabel {{ color: {HINT_COLOUR}; font-size: 15px; }}")
        self.stack.addWidget(self.empty_label)

        page = QWidget()
        page_layout = QVBoxLayout(page)
        page_layout.setContentsMargins(4, 4, 4, 0)
        # Wraps on a narrow panel: the header must never make the panel wider than the screen.
        header_row = QWidget()
        header = FlowLayout(header_row, spacing=8)
        self.title_label = QLabel()
        self.title_label.setStyleSheet("QLabel { font-size: 14px; font-weight: bold; }")
        self.title_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.status_badge = QLabel()
        self.schedule_badge = QLabel()
        self.deadline_label = QLabel()
        self.deadline_label.setStyleSheet(f"QLabel {{ color: {HINT_COLOUR}; }}")
        self.delete_button = QPushButton("删除任务…")
        self.delete_button.setToolTip("移入回收站;可从回收站或操作记录恢复")
        self.delete_button.clicked.connect(self.delete_task)
        for widget in (self.title_label, self.status_badge, self.schedule_badge, self.deadline_label):
            header.addWidget(widget)
        header.addWidget(self.delete_button)
        page_layout.addWidget(header_row)

        self.tabs = QTabWidget()
        self.basic = BasicTab(ledger)
        self.measures = MeasuresTab(ledger)
        self.progress = ProgressTab(ledger)
        self.attachments = AttachmentsTab(ledger)
        self.closeout = CloseoutTab(ledger)
        self.reviews = ReviewsTab(ledger)
        self.history = HistoryTab(ledger)
        self._titles: list[tuple[TaskTab, str]] = [
            (self.basic, "基本信息"),
            (self.measures, "整改措施"),
            (self.progress, "进展情况"),
            (self.attachments, "佐证材料"),
            (self.closeout, "验收销号"),
            (self.reviews, "回头看"),
            (self.history, "操作记录"),
        ]
        for tab, title in self._titles:
            self.tabs.addTab(tab, title)
            tab.committed.connect(self._on_committed)
        page_layout.addWidget(self.tabs)
        self.stack.addWidget(page)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)
        # A little air in the tables' rows: resized-to-contents rows are otherwise glued together.
        self.tabs.setStyleSheet("QTableView::item { padding: 3px 4px; }")
        self.show_task(None)

    # -- the contract with the main window ---------------------------------------------------
    def show_task(self, task_id: int | None) -> None:
        """Show a task (None: the empty, disabled panel). The current tab stays where the clerk left it."""
        if task_id != self.task_id:
            self.commit_pending()
        self.task_id = task_id
        self.vanished_id = None
        self._reload()

    def refresh(self) -> None:
        """Reload the current task (after undo, import, or a change made elsewhere).

        A task that is no longer in the ledger leaves the panel empty, saying so; the panel tells
        nobody (the main window's change notification already knows), so nothing reloads in a loop.
        """
        self._reload()

    def set_ledger(self, ledger: Ledger) -> None:
        """Switch to another ledger file (File → Open); shows the empty panel."""
        self.commit_pending()
        self.ledger = ledger
        for tab, _title in self._titles:
            tab.set_ledger(ledger)
        self.task_id = None
        self.vanished_id = None
        self._reload()

    def commit_pending(self) -> None:
        """Commit an edit still sitting in a field (the main window calls this before closing)."""
        if self.record is None:
            return
        for tab, _title in self._titles:
            tab.flush()

    # -- internals ----------------------------------------------------------------------------
    def _reload(self) -> None:
        # A tab's load may make Qt deliver events that ask for another reload: run it after, not inside.
        if self._loading:
            self._load_again = True
            return
        self._loading = True
        try:
            self._load_again = True
            while self._load_again:
                self._load_again = False
                self._load_once()
        finally:
            self._loading = False

    def _load_once(self) -> None:
        record: TaskRecord | None = None
        if self.task_id is not None:
            try:
                record = self.ledger.records.task_record(self.task_id)
            except NotFoundError:
                self.vanished_id, self.task_id = self.task_id, None
            except LedgerError as error:  # e.g. the ledger file went away (USB stick pulled)
                log.warning("cannot load task %s: %s", self.task_id, error.message_en or error.message_zh)
                show_error(self, error, "无法读取任务")
                self.task_id = None
        self.record = record
        self.empty_label.setText(VANISHED_HINT if self.vanished_id is not None else EMPTY_HINT)
        self.stack.setCurrentIndex(0 if record is None else 1)
        self.tabs.setEnabled(record is not None)
        names = self.ledger.directory.unit_names() if record is not None else []
        for tab, _title in self._titles:
            tab.unit_names = names
            tab.load(record)
        if record is not None:
            self._show_header(record)

    def _show_header(self, record: TaskRecord) -> None:
        kind = "" if record.kind.label == record.kind.section.label else f" · {record.kind.label}"
        self.title_label.setText(f"{record.kind.section.label} 序号 {record.seq}{kind}")
        self.title_label.setToolTip(record.round_name)
        badge(self.status_badge, record.status.label, STATUS_COLOURS[record.status])
        if record.schedule is not None:
            badge(self.schedule_badge, record.schedule.label, SCHEDULE_COLOURS[record.schedule])
        else:
            self.schedule_badge.setVisible(False)
        self.deadline_label.setText(f"整改时限:{record.deadline.text}" if record.deadline.text else "")
        counts = {
            self.measures: len(record.measures),
            self.progress: len(record.progress),
            self.attachments: len(record.attachments),
            self.reviews: len(record.reviews),
        }
        for index, (tab, title) in enumerate(self._titles):
            count = counts.get(tab)
            self.tabs.setTabText(index, f"{title}({count})" if count else title)

    def _on_committed(self, message: str) -> None:
        task_id = self.task_id
        self._reload()
        if task_id is not None:
            self.taskChanged.emit(task_id)
        if message:
            self.statusMessage.emit(message)

    def delete_task(self) -> None:
        record = self.record
        if record is None or record.id is None:
            return
        question = f"确定删除{record.kind.section.label}序号 {record.seq} 吗?\n\n删除后可从回收站恢复。"
        if not confirm(self, "删除任务", question):
            return
        try:
            self.ledger.tasks.delete_task(record.id)
        except LedgerError as error:
            show_error(self, error, "无法删除")
            return
        self.task_id = None
        self._reload()
        self.taskDeleted.emit(record.id)
        self.statusMessage.emit(f"已删除{record.kind.section.label}序号 {record.seq}(可从回收站恢复)")
