"""The filter bar above the task list: search-as-you-type and the round / unit / kind / status / 进度 combos."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from PySide6.QtCore import QSignalBlocker, Qt, QTimer, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLineEdit, QToolButton, QWidget

from ledger_app.domain.model import ProblemKind, ScheduleFlag, TaskStatus
from ledger_app.services import TaskFilter

from .forms import form_child, load_form

if TYPE_CHECKING:  # the start-up list fills the bar before the directory's SQLAlchemy code loads
    from ledger_app.services import RoundInfo
    from ledger_app.services.first_read import RoundName

SEARCH_DEBOUNCE_MS = 150  # one filter pass after a burst of keystrokes, not one per key


def _fill(combo: QComboBox, any_label: str, items: Iterable[tuple[str, object]]) -> None:
    """Refill a combo, keeping the current choice when it is still there."""
    current = combo.currentData()
    with QSignalBlocker(combo):
        combo.clear()
        combo.addItem(any_label, None)
        for label, data in items:
            combo.addItem(label, data)
        index = combo.findData(current) if current is not None else 0
        combo.setCurrentIndex(max(index, 0))


class FilterBar(QWidget):
    """Emits ``filterChanged`` when a combo changes and ``searchChanged`` after the typing pauses."""

    filterChanged = Signal(object)  # noqa: N815 (Qt naming) TaskFilter, without the search text
    searchChanged = Signal(str)  # noqa: N815 (Qt signal naming)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.form = load_form("filter_bar", self)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.form)
        # A click in the overview (挂图作战) limits the list to the tasks behind a figure; the chip says
        # which and clears the limit (as do 清除筛选 and another click).
        self._task_ids: frozenset[int] | None = None
        self.ids_chip = QToolButton(self)
        self.ids_chip.setObjectName("idsFilterChip")
        self.ids_chip.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.ids_chip.setToolTip("只显示在“挂图作战”中点选的任务;点击清除")
        self.ids_chip.clicked.connect(self.clear_task_ids)
        self.ids_chip.hide()
        layout.addWidget(self.ids_chip)
        self.search_edit: QLineEdit = form_child(self.form, QLineEdit, "searchEdit")
        self.round_combo: QComboBox = form_child(self.form, QComboBox, "roundCombo")
        self.unit_combo: QComboBox = form_child(self.form, QComboBox, "unitCombo")
        self.kind_combo: QComboBox = form_child(self.form, QComboBox, "kindCombo")
        self.status_combo: QComboBox = form_child(self.form, QComboBox, "statusCombo")
        self.schedule_combo: QComboBox = form_child(self.form, QComboBox, "scheduleCombo")
        self.reset_button: QToolButton = form_child(self.form, QToolButton, "resetButton")

        _fill(self.round_combo, "全部督察批次", [])
        _fill(self.unit_combo, "全部单位", [])
        _fill(self.kind_combo, "全部类型", [(k.label, k) for k in ProblemKind])
        _fill(self.status_combo, "全部状态", [(s.label, s) for s in TaskStatus])
        _fill(self.schedule_combo, "全部进度", [(f.label, f) for f in ScheduleFlag])
        # A wide popup: round and unit names can be longer than the closed combo.
        for combo in (self.round_combo, self.unit_combo):
            combo.view().setMinimumWidth(300)
        self.round_combo.currentIndexChanged.connect(
            lambda _i: self.round_combo.setToolTip(f"督察批次:{self.round_combo.currentText()}")
        )

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(SEARCH_DEBOUNCE_MS)
        self._debounce.timeout.connect(self._emit_search)
        self.search_edit.textChanged.connect(lambda _text: self._debounce.start())
        # Enter searches at once, without waiting for the pause.
        self.search_edit.returnPressed.connect(self.flush_search)
        for combo in self.combos():
            combo.currentIndexChanged.connect(self._emit_filter)
        self.reset_button.clicked.connect(self.reset)

    def combos(self) -> list[QComboBox]:
        return [self.round_combo, self.unit_combo, self.kind_combo, self.status_combo, self.schedule_combo]

    # -- content ----------------------------------------------------------------------------
    def set_rounds(self, rounds: Iterable[RoundInfo | RoundName]) -> None:
        before = self.round_combo.currentData()
        _fill(self.round_combo, "全部督察批次", [(r.name, r.id) for r in rounds])
        if self.round_combo.currentData() != before:
            self._emit_filter()

    def set_units(self, names: Iterable[str]) -> None:
        before = self.unit_combo.currentData()
        _fill(self.unit_combo, "全部单位", [(n, n) for n in names])
        if self.unit_combo.currentData() != before:
            self._emit_filter()

    def unit_names(self) -> set[str]:
        return {self.unit_combo.itemData(i) for i in range(1, self.unit_combo.count())}

    # -- state ------------------------------------------------------------------------------
    def current_filter(self) -> TaskFilter:
        # A StrEnum stored in a combo comes back as its plain string value: turn it into the member again.
        kind, status, schedule = (
            c.currentData() for c in (self.kind_combo, self.status_combo, self.schedule_combo)
        )
        return TaskFilter(
            round_id=self.round_combo.currentData(),
            unit=self.unit_combo.currentData(),
            kind=ProblemKind(kind) if kind else None,
            status=TaskStatus(status) if status else None,
            schedule=ScheduleFlag(schedule) if schedule else None,
            text=self.search_edit.text().strip(),
            task_ids=self._task_ids,
        )

    def is_filtering(self) -> bool:
        return (
            bool(self.search_edit.text().strip())
            or any(c.currentIndex() > 0 for c in self.combos())
            or self._task_ids is not None
        )

    def show_task_ids(self, task_ids: Iterable[int], label: str) -> None:
        """Exactly these tasks (a figure, unit or bar of the overview), every other filter cleared."""
        with QSignalBlocker(self.search_edit):
            self.search_edit.clear()
        self._debounce.stop()
        self.searchChanged.emit("")
        for combo in self.combos():
            with QSignalBlocker(combo):
                combo.setCurrentIndex(0)
        self._task_ids = frozenset(task_ids)
        self.ids_chip.setText(f"仅显示:{label}({len(self._task_ids)} 项) ✕")
        self.ids_chip.show()
        self._emit_filter()

    def clear_task_ids(self) -> None:
        if self._task_ids is not None:
            self._task_ids = None
            self.ids_chip.hide()
            self._emit_filter()

    def show_schedule(self, flag: ScheduleFlag) -> None:
        """The banner's click: only the tasks with this flag, whatever else was chosen."""
        self._task_ids = None
        self.ids_chip.hide()
        with QSignalBlocker(self.search_edit):
            self.search_edit.clear()
        self._debounce.stop()
        self.searchChanged.emit("")
        for combo in self.combos():
            with QSignalBlocker(combo):
                combo.setCurrentIndex(max(combo.findData(flag), 0) if combo is self.schedule_combo else 0)
        self._emit_filter()

    def reset(self) -> None:
        self._task_ids = None
        self.ids_chip.hide()
        for combo in self.combos():
            with QSignalBlocker(combo):
                combo.setCurrentIndex(0)
        with QSignalBlocker(self.search_edit):
            self.search_edit.clear()
        self._debounce.stop()
        self.searchChanged.emit("")
        self._emit_filter()

    def focus_search(self) -> None:
        self.search_edit.setFocus()
        self.search_edit.selectAll()

    def flush_search(self) -> None:
        """Apply typed text now (Enter, or tests) instead of after the pause."""
        if self._debounce.isActive():
            self._debounce.stop()
        self._emit_search()

    def _emit_search(self) -> None:
        self.searchChanged.emit(self.search_edit.text())

    def _emit_filter(self, *_args: object) -> None:
        self.filterChanged.emit(self.current_filter())
