"""The main window: the filtered task list on the left, the selected task's panel on the right.

Hooks for features that add to it (Excel export/import, PDF forms):

* ``add_action(key, text, slot, shortcut=None)`` registers an action; ui/menus.py decides where it
  shows; it is enabled only while a ledger is open (main_actions.py; what the built-in actions do
  is in main_commands.py).
* ``current_filter()`` → ``CurrentView(filter, task_ids)``: the TaskFilter of the list (search text
  included) and the visible task ids in view order; ``selected_task_ids()`` in view order.
* ``reload()`` after changing many tasks (an import); ``run_task`` from ``ui.workers`` for long work.
* ``ledger_changed(task_ids)`` after any change to the ledger (None: anything may have changed):
  the list, the task panel, the banner and 撤销/重做 follow in one pass (ui/view_sync.py).
* ``ledger`` is the open ``Ledger`` (None before one is open); ``ledgerOpened(Ledger)`` fires on each open.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from PySide6.QtCore import QEvent, QItemSelectionModel, QModelIndex, QObject, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHeaderView,
    QLabel,
    QMainWindow,
    QScrollArea,
    QSplitter,
    QTableView,
    QWidget,
)

from ledger_app.domain.errors import LedgerError
from ledger_app.domain.model import ScheduleFlag
from ledger_app.services import Ledger, TaskFilter, TaskRow
from ledger_app.services.first_read import FirstRead

from . import ledger_files, settings_store
from .banner import Banner
from .errors import show_error
from .filter_bar import FilterBar
from .first_paint import WAIT_MS, after_list_painted, waiting_for_first_paint
from .forms import form_child, load_form
from .layout_fit import clamp_to_screen, fit_window
from .list_columns import ListColumns
from .list_menu import install_list_menu
from .main_actions import ActionsMixin, action_icon, window_icon
from .main_commands import CommandsMixin
from .task_table import COL_SEQ, COL_SUMMARY, HEADERS, TaskFilterProxy, TaskTableModel
from .view_sync import ViewSyncMixin
from .workers import run_task

if TYPE_CHECKING:
    from .task_panel import TaskPanel

log = logging.getLogger(__name__)

APP_TITLE = "整改台账"
DEFAULT_WIDTHS = {0: 46, 2: 74, 3: 120, 4: 116, 5: 108, 6: 60, 7: 68, 8: 84}  # 问题摘要 takes the rest
ROW_HEIGHT_PADDING = 10
DEFAULT_SIZE = QSize(1440, 880)  # first run, when the screen has room for it
PANEL_TAB_SLACK = 110  # the counts the tab titles gain once a task is shown, e.g. 进展情况(12)


class CurrentView(NamedTuple):
    filter: TaskFilter
    task_ids: list[int]


class MainWindow(ViewSyncMixin, ActionsMixin, CommandsMixin, QMainWindow):
    # Start-up (ui/app.py): the task panel is built just after the list's first paint, not before it.
    defer_panel = False
    ledgerOpened = Signal(object)  # noqa: N815 (Qt naming) the Ledger
    rowsLoaded = Signal()  # noqa: N815 (Qt naming) after every full load of the list
    # The Ledger about to be closed (another opened, or the window closing): last edits are committed.
    ledgerClosing = Signal(object)  # noqa: N815 (Qt naming)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ledger: Ledger | None = None
        self.panel: TaskPanel | None = None  # made with the first ledger: it needs one
        # Start-up: the list read without SQLAlchemy, shown until the Ledger opens after its paint.
        self.first_read: FirstRead | None = None
        self._generation = 0  # a load that finishes after a newer one started is dropped
        self._ledger_actions: list[QAction] = []
        self.actions_by_key: dict[str, QAction] = {}
        self.setWindowTitle(APP_TITLE)
        self.resize(DEFAULT_SIZE)

        self.central = load_form("main_window", self)
        self.setCentralWidget(self.central)
        self.table: QTableView = form_child(self.central, QTableView, "taskTable")
        self.splitter: QSplitter = form_child(self.central, QSplitter, "mainSplitter")
        self.panel_host: QWidget = form_child(self.central, QWidget, "panelHost")
        self.banner = Banner(self)
        form_child(self.central, QWidget, "bannerHost").layout().addWidget(self.banner)
        self.filter_bar = FilterBar(self)
        form_child(self.central, QWidget, "filterBarHost").layout().addWidget(self.filter_bar)

        self.model = TaskTableModel(self)
        self.proxy = TaskFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self._setup_table()
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self._splitter_restored = False

        self._build_actions()
        self._build_menus()
        self._build_toolbar()
        self.lay_out_menus()
        self._build_status_bar()
        self._connect()
        self.install_hidden_note()
        install_list_menu(self)  # 删除任务 last, whoever adds actions to the list
        self._restore_state()
        self.list_columns = ListColumns(self.table, self.proxy)  # after the header's saved state
        self._update_enabled()
        self.update_undo_actions()

    # -- building -------------------------------------------------------------------------
    def _setup_table(self) -> None:
        table = self.table
        table.setModel(self.proxy)
        self.empty_hint = QLabel(table.viewport())
        self.empty_hint.setObjectName("emptyListHint")
        self.empty_hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_hint.setWordWrap(True)
        self.empty_hint.hide()
        table.viewport().installEventFilter(self)
        table.setSortingEnabled(True)
        table.sortByColumn(COL_SEQ, Qt.SortOrder.AscendingOrder)
        # Fixed row heights: resizeRowsToContents() on 10,000 rows costs seconds (stack-notes).
        vertical = table.verticalHeader()
        vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vertical.setDefaultSectionSize(table.fontMetrics().height() + ROW_HEIGHT_PADDING)
        vertical.hide()
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setHighlightSections(False)
        header.setStretchLastSection(False)
        header.setSectionsMovable(True)
        for column, width in DEFAULT_WIDTHS.items():
            header.resizeSection(column, width)
        # The summary column takes what the others leave, so 进度 is in view without scrolling.
        header.setSectionResizeMode(COL_SUMMARY, QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(40)
        table.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        table.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)

    def _connect(self) -> None:
        self.filter_bar.filterChanged.connect(self._on_filter_changed)
        self.filter_bar.searchChanged.connect(self._on_search_changed)
        self.banner.scheduleClicked.connect(self.show_schedule)
        self.table.selectionModel().currentRowChanged.connect(self._on_current_changed)
        self.table.doubleClicked.connect(lambda _index: self._focus_panel())

    # -- extension hooks (with add_action of ActionsMixin) ------------------------------------
    def current_filter(self) -> CurrentView:
        """The list's filter (search text included) and the visible task ids, in view order."""
        return CurrentView(self.proxy.task_filter, [row.id for row in self.proxy.visible_rows()])

    def selected_task_ids(self) -> list[int]:
        rows = sorted(index.row() for index in self.table.selectionModel().selectedRows())
        return [self.proxy.task_id_at(r) for r in rows]

    # -- opening ledgers ------------------------------------------------------------------
    def open_path(self, path: Path, *, create: bool = False) -> bool:
        """Open the ledger at ``path`` (offering another file if it is refused). True when one opened."""
        ledger = ledger_files.open_ledger(
            self, Path(path), create=create, actor=settings_store.operator_name()
        )
        if ledger is None:
            return False
        self.set_ledger(ledger)
        return True

    def open_at_start(self, path: Path, *, create: bool = False) -> bool:
        """``open_path`` for start-up: the list is read and painted before SQLAlchemy loads
        (services/first_read.py), and the Ledger opens right after that paint. A file that needs
        more (a new one, an upgrade, a question to the clerk) opens as with ``open_path``."""
        opened = ledger_files.open_ledger(
            self, Path(path), create=create, actor=settings_store.operator_name(), first=True
        )
        if opened is None:
            return False
        if isinstance(opened, FirstRead):
            self._show_first_read(opened)
        else:
            self.set_ledger(opened)
        return True

    def set_ledger(self, ledger: Ledger) -> None:
        """Show an opened ledger (the window closes it when another is opened or on exit)."""
        self.flush_panel()
        self._drop_first_read()
        old, self.ledger = self.ledger, ledger
        self._show_file(ledger.path, ledger.actor, read_only=ledger.read_only)
        self.model.set_rows([])
        self.proxy.set_search_texts({})
        self.banner.reset()
        self._attach_panel(ledger)
        if old is not None:
            self.ledgerClosing.emit(old)
            old.close()
        self._update_enabled()
        self.update_undo_actions()
        self.reload()
        ledger_files.show_storage_state(self, ledger)
        self.ledgerOpened.emit(ledger)

    def _attach_panel(self, ledger: Ledger) -> None:
        if self.panel is None and self.defer_panel:
            self.defer_panel = False
            after_list_painted(self, self._make_deferred_panel)
            return
        if self.panel is None:
            from .task_panel import TaskPanel  # its import and build are a fifth of the start-up

            self.panel = TaskPanel(ledger)
            # In a scroll area: a tab wider than the screen must not push the window off it.
            scroll = QScrollArea(self.panel_host)
            scroll.setWidgetResizable(True)
            scroll.setFrameShape(QFrame.Shape.NoFrame)
            scroll.setWidget(self.panel)
            self.panel_host.layout().addWidget(scroll)
            self.panel.taskChanged.connect(self._on_task_changed)
            self.panel.taskDeleted.connect(self._on_task_deleted)
            self.panel.statusMessage.connect(lambda text: self.statusBar().showMessage(text, 8000))
            if not self._splitter_restored:  # first start: the list gets the larger share
                total = max(sum(self.splitter.sizes()), self.width())
                # …but on a small screen the panel gets room for its tabs (up to half the width).
                wanted = self.panel.tabs.tabBar().sizeHint().width() + PANEL_TAB_SLACK
                panel_width = min(total // 2, max(total * 38 // 100, wanted))
                self.splitter.setSizes([total - panel_width, panel_width])
        else:
            self.panel.set_ledger(ledger)
        self.panel.show_task(None)

    def _show_file(self, path: Path, actor: str, *, read_only: bool) -> None:
        settings_store.add_recent_ledger(path)
        mark = "[只读] " if read_only else ""
        self.setWindowTitle(f"{mark}{path.name}({path.parent})- {APP_TITLE}")
        self.operator_label.setText(f"操作员:{actor}")

    def _show_first_read(self, first: FirstRead) -> None:
        self.first_read = first
        self._show_file(first.path, first.actor, read_only=False)
        self._generation += 1
        after_list_painted(self, self._open_first_read)  # first: its helper must see rowsLoaded
        self._show_rows(first.rows, first.rounds, first.unit_names, first.warning_days)

    def _open_first_read(self) -> None:
        """Just after the start-up list's paint: the Ledger (SQLAlchemy with it), the panel, the search index."""
        first = self.first_read
        if first is None:
            return  # another ledger was opened meanwhile
        try:
            ledger = first.open_ledger()
        except (LedgerError, OSError):
            # The file changed in the moment since it was read (rare): the ordinary open says what now.
            self._drop_first_read()
            self.open_path(first.path)
            return
        finally:
            self.first_read = None
        self.ledger = ledger
        self._update_enabled()
        self.defer_panel = False  # the list is on screen
        ledger_files.show_storage_state(self, ledger)
        self.ledgerOpened.emit(ledger)
        # The panel, then the search index (a worker), each in a turn of the event loop of its own:
        # a click meanwhile is not kept waiting behind them.
        generation = self._generation
        QTimer.singleShot(WAIT_MS, self, self._make_deferred_panel)
        QTimer.singleShot(WAIT_MS, self, lambda: self._search_texts_if_current(generation))

    def _search_texts_if_current(self, generation: int) -> None:
        if generation == self._generation and self.ledger is not None:
            self._load_search_texts(generation)

    def _drop_first_read(self) -> None:
        """Give up a start-up list whose Ledger has not opened yet (its rows and its lock)."""
        first, self.first_read = self.first_read, None
        if first is not None:
            first.release()
            self._generation += 1
            self.model.set_rows([])
            self.setWindowTitle(APP_TITLE)

    def _make_deferred_panel(self) -> None:
        if self.panel is not None or self.ledger is None:
            return
        self._attach_panel(self.ledger)
        assert self.panel is not None
        self.panel.show_task(self._current_task_id())
        self.views_settled()

    # -- loading the list -----------------------------------------------------------------
    def refresh(self) -> None:
        """F5, and after an import: everything is read again, the panel's task included."""
        self.ledger_changed(None)

    def reload(self) -> None:
        """Read every row again in a worker; the selection and the filter are kept."""
        ledger = self.ledger
        if ledger is None:
            return
        self._generation += 1
        generation = self._generation
        today = date.today()

        def load(_progress: object, _cancelled: object) -> tuple[Any, ...]:
            return (
                ledger.queries.list_tasks(today=today),
                ledger.directory.list_rounds(),
                ledger.directory.list_units(),
                ledger.settings.current(),
            )

        # In the counts label, not the status bar: a message there (what was undone…) must stay.
        self.counts_label.setText("正在读取台账…")
        self.empty_hint.hide()
        run_task(
            self,
            load,
            on_done=lambda result: self._rows_loaded(generation, result),
            on_error=self._load_failed,
        )

    def _load_failed(self, exc: BaseException) -> None:
        self.counts_label.setText("读取台账失败")
        show_error(self, exc, "无法读取台账")

    def _rows_loaded(self, generation: int, result: tuple[Any, ...]) -> None:
        if generation != self._generation or self.ledger is None:
            return  # a newer load (or another ledger) has started since
        rows, rounds, units, settings = result
        self._show_rows(rows, rounds, [u.name for u in units], settings.warning_days)
        if waiting_for_first_paint(self):  # start-up: the search index is built after the list is on screen
            after_list_painted(self, lambda: self._search_texts_if_current(generation))
        else:
            self._load_search_texts(generation)

    def _show_rows(
        self, rows: list[TaskRow], rounds: Iterable[Any], unit_names: Iterable[str], warning_days: int
    ) -> None:
        selected = self.selected_task_ids()
        current = self._current_task_id()
        with self.settling():
            self.model.set_rows(rows)
            self.filter_bar.set_rounds(rounds)
            self.filter_bar.set_units(unit_names)
            self._restore_selection(selected, current)
        panel = self.panel
        nothing_shown = panel is None or (panel.task_id is None and panel.vanished_id is None)
        if nothing_shown and current is None and not selected and self.proxy.rowCount():
            self.select_task(self.proxy.task_id_at(0))  # the panel is never empty for nothing
        self._warning_days = warning_days
        # The panel, the banner (with 临期), the counts and 撤销/重做 follow every load (view_sync).
        self.views_settled(reread_panel=True)
        self.rowsLoaded.emit()

    def _load_search_texts(self, generation: int) -> None:
        ledger = self.ledger
        assert ledger is not None

        def done(texts: dict[int, str]) -> None:
            if generation == self._generation:
                with self.settling():  # with a search typed, rows may come and go
                    self.proxy.set_search_texts(texts)
                self._after_filtering()

        run_task(self, lambda _p, _c: ledger.queries.search_texts(), on_done=done)

    def _restore_selection(self, task_ids: Iterable[int], current: int | None) -> None:
        selection = self.table.selectionModel()
        for task_id in task_ids:
            row = self.proxy.proxy_row_of(task_id)
            if row is not None:
                selection.select(
                    self.proxy.index(row, 0),
                    QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows,
                )
        if current is not None:
            self.select_task(current, clear=False)

    def select_task(self, task_id: int, *, clear: bool = True) -> bool:
        """Make ``task_id`` the current row (and show it in the panel); False when it is filtered out."""
        row = self.proxy.proxy_row_of(task_id)
        if row is None:
            return False
        index = self.proxy.index(row, 0)
        flags = QItemSelectionModel.SelectionFlag.Rows | (
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            if clear
            else QItemSelectionModel.SelectionFlag.Select
        )
        self.table.selectionModel().setCurrentIndex(index, flags)
        self.table.scrollTo(index)
        return True

    def _current_task_id(self) -> int | None:
        index = self.table.currentIndex()
        return self.proxy.task_id_at(index.row()) if index.isValid() else None

    # -- filtering ------------------------------------------------------------------------
    def _on_filter_changed(self, flt: TaskFilter) -> None:
        with self.settling():
            self.proxy.set_task_filter(flt)
        self._after_filtering()

    def _on_search_changed(self, text: str) -> None:
        with self.settling():
            self.proxy.set_search_text(text)
        self._after_filtering()

    def _after_filtering(self) -> None:
        # The panel stays on its task: the list highlights it, or says above it that it is filtered out.
        self._place_panel(reread=False)
        current = self.table.currentIndex()
        # Qt leaves the scroll position where it was, often past the end of a shorter list.
        if current.isValid():
            self.table.scrollTo(current)
        else:
            self.table.scrollToTop()
        self._update_counts()

    def show_schedule(self, flag: ScheduleFlag) -> None:
        """Only the tasks with this schedule flag (the banner's links)."""
        self.filter_bar.show_schedule(flag)

    def _update_counts(self) -> None:
        text = self.proxy.counts().text()
        if self.filter_bar.is_filtering():
            text += f"(台账共 {self.model.rowCount()} 项)"
        self.counts_label.setText(text)
        self._show_empty_hint()

    def _show_empty_hint(self) -> None:
        """Say why the list is empty instead of showing a blank table."""
        if self.ledger is None or self.proxy.rowCount():
            self.empty_hint.hide()
            return
        if self.model.rowCount():
            self.empty_hint.setText("没有符合筛选条件的任务。\n\n可以修改搜索词或筛选条件,或点击“清除筛选”。")
        else:
            self.empty_hint.setText(
                "台账中还没有任务。\n\n先在“台账 → 督察批次管理”中新建督察批次,\n再按 Ctrl+N 新建任务。"
            )
        self.empty_hint.setGeometry(self.table.viewport().rect())
        self.empty_hint.show()

    # -- the selected task ----------------------------------------------------------------
    def _on_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if self.panel is None or self.is_settling:
            return  # Qt moved the current row while the list changed: not the clerk's choice
        self.panel.show_task(self.proxy.task_id_at(current.row()) if current.isValid() else None)

    def _focus_panel(self) -> None:
        if self.panel is not None:
            self.panel.setFocus()

    def _on_task_changed(self, task_id: int) -> None:
        """The panel committed an edit: that one row, the banner and 撤销/重做 follow."""
        self.ledger_changed([task_id])

    def _on_task_deleted(self, task_id: int) -> None:
        """The panel's 删除任务: the list moves on to the next task, as after Del in the list."""
        row = self.proxy.proxy_row_of(task_id)
        self.ledger_changed([task_id])
        if row is not None and self.proxy.rowCount():
            self.select_task(self.proxy.task_id_at(min(row, self.proxy.rowCount() - 1)))

    # -- state ----------------------------------------------------------------------------
    def flush_panel(self) -> None:
        """Commit a field the clerk is still typing in before the ledger goes away."""
        if self.panel is not None:
            self.panel.commit_pending()

    def _restore_state(self) -> None:
        geometry = settings_store.get_bytes(settings_store.WINDOW_GEOMETRY)
        if geometry is None:
            fit_window(self, DEFAULT_SIZE)  # first run: a 1366×768 laptop gets the whole screen, not more
        else:
            self.restoreGeometry(geometry)  # Qt moves it back onto a screen that still exists…
            clamp_to_screen(self)  # …but keeps a size saved on a larger monitor
        state = settings_store.get_bytes(settings_store.WINDOW_STATE)
        if state is not None:
            self.restoreState(state)
        splitter = settings_store.get_bytes(settings_store.SPLITTER_STATE)
        if splitter is not None:
            self._splitter_restored = self.splitter.restoreState(splitter)
        header = settings_store.get_bytes(settings_store.TASK_TABLE_HEADER)
        if header is not None and self.table.horizontalHeader().restoreState(header):
            h = self.table.horizontalHeader()
            self.model.sort(h.sortIndicatorSection(), h.sortIndicatorOrder())

    def save_state(self) -> None:
        settings_store.set_bytes(settings_store.WINDOW_GEOMETRY, self.saveGeometry())
        settings_store.set_bytes(settings_store.WINDOW_STATE, self.saveState())
        settings_store.set_bytes(settings_store.SPLITTER_STATE, self.splitter.saveState())
        settings_store.set_bytes(settings_store.TASK_TABLE_HEADER, self.table.horizontalHeader().saveState())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        if event.type() == QEvent.Type.Resize and watched is self.table.viewport():
            self.empty_hint.setGeometry(self.table.viewport().rect())
        return super().eventFilter(watched, event)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt override)
        self.flush_panel()
        self.save_state()
        from .workers import wait_for_all

        wait_for_all()
        self._drop_first_read()
        if self.ledger is not None:
            self.ledgerClosing.emit(self.ledger)
            self.ledger.close()
            self.ledger = None
        super().closeEvent(event)


__all__ = ["HEADERS", "CurrentView", "MainWindow", "action_icon", "window_icon"]
