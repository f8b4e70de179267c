"""The main window: the filtered task list on the left, the selected task's panel on the right.

Hooks for features that add to it (Excel export/import, PDF forms):

* ``add_file_action(text, slot, shortcut=None, toolbar=False)`` puts an action in the 文件 menu
  (``add_action("ledger", …)`` in the 台账 menu); it is enabled only while a ledger is open.
* ``current_filter()`` → ``CurrentView(filter, task_ids)``: the TaskFilter of the list (search text
  included) and the visible task ids in view order; ``selected_task_ids()`` in view order.
* ``reload()`` after changing many tasks (an import); ``run_task`` from ``ui.workers`` for long work.
* ``ledger`` is the open ``Ledger`` (None before one is open); ``ledgerOpened(Ledger)`` fires on each open.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from datetime import date
from pathlib import Path
from typing import Any, NamedTuple

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QGuiApplication, QIcon, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QTableView,
    QToolBar,
    QWidget,
)

from ledger_app import __version__
from ledger_app.domain.errors import LedgerError
from ledger_app.domain.model import ScheduleFlag
from ledger_app.resources import resource_path
from ledger_app.services import Ledger, TaskFilter
from ledger_app.services import ui_queries as queries
from ledger_app.store.backup import backup_copy

from . import ledger_files, settings_store
from .banner import Banner
from .errors import show_error
from .filter_bar import FilterBar
from .forms import load_form
from .task_panel import TaskPanel
from .task_table import COL_SEQ, COL_SUMMARY, HEADERS, TaskFilterProxy, TaskTableModel, rows_to_tsv
from .workers import run_task

log = logging.getLogger(__name__)

APP_TITLE = "整改台账"
DEFAULT_WIDTHS = {0: 46, 2: 74, 3: 140, 4: 116, 5: 108, 6: 60, 7: 68, 8: 84}  # 问题摘要 takes the rest
ROW_HEIGHT_PADDING = 10


class CurrentView(NamedTuple):
    filter: TaskFilter
    task_ids: list[int]


class MainWindow(QMainWindow):
    ledgerOpened = Signal(object)  # noqa: N815 (Qt naming) the Ledger
    rowsLoaded = Signal()  # noqa: N815 (Qt naming) after every full load of the list

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ledger: Ledger | None = None
        self.panel: TaskPanel | None = None  # made with the first ledger: it needs one
        self._generation = 0  # a load that finishes after a newer one started is dropped
        self._show_banner_after_load = False
        self._ledger_actions: list[QAction] = []
        self.setWindowTitle(APP_TITLE)
        self.resize(1440, 880)

        self.central = load_form("main_window", self)
        self.setCentralWidget(self.central)
        self.table: QTableView = self._child(QTableView, "taskTable")
        self.splitter: QSplitter = self._child(QSplitter, "mainSplitter")
        self.panel_host: QWidget = self._child(QWidget, "panelHost")
        self.banner = Banner(self)
        self._child(QWidget, "bannerHost").layout().addWidget(self.banner)
        self.filter_bar = FilterBar(self)
        self._child(QWidget, "filterBarHost").layout().addWidget(self.filter_bar)

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
        self._build_status_bar()
        self._connect()
        self._restore_state()
        self._update_enabled()

    def _child(self, kind: type, name: str) -> Any:
        widget = self.central.findChild(kind, name)
        if widget is None:
            raise LookupError(f"main_window.ui has no {kind.__name__} named {name}")
        return widget

    # -- building -------------------------------------------------------------------------
    def _setup_table(self) -> None:
        table = self.table
        table.setModel(self.proxy)
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

    def _action(
        self,
        text: str,
        slot: Callable[[], object],
        shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None,
        icon: str | None = None,
        *,
        needs_ledger: bool = True,
        tip: str = "",
    ) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        if icon is not None:
            action.setIcon(action_icon(icon))
        if tip:
            action.setStatusTip(tip)
            action.setToolTip(tip)
        action.triggered.connect(lambda _checked=False: slot())
        if needs_ledger:
            self._ledger_actions.append(action)
        return action

    def _build_actions(self) -> None:
        self.new_ledger_action = self._action("新建台账…", self.new_ledger_file, needs_ledger=False)
        self.open_ledger_action = self._action(
            "打开台账…",
            self.open_ledger_file,
            QKeySequence.StandardKey.Open,
            "open",
            needs_ledger=False,
        )
        self.save_copy_action = self._action(
            "另存副本…", self.save_copy, tip="把当前台账复制一份保存到别处(例如U盘)"
        )
        self.quit_action = self._action("退出", self.close, QKeySequence.StandardKey.Quit, needs_ledger=False)
        self.new_task_action = self._action(
            "新建任务…", self.new_task, "Ctrl+N", "new-task", tip="新建一项整改任务(Ctrl+N)"
        )
        self.delete_action = self._action(
            "删除任务",
            self.delete_selected,
            QKeySequence.StandardKey.Delete,
            "delete",
            tip="把选中的任务移入回收站(Del)",
        )
        # Del and Ctrl+C act on the list only; in a text field they keep their usual meaning.
        self.delete_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.trash_action = self._action(
            "回收站…", self.show_trash, icon="trash", tip="查看并恢复已删除的任务"
        )
        self.rounds_action = self._action("督察批次管理…", self.show_rounds, icon="rounds")
        self.units_action = self._action("单位名录…", self.show_units, icon="units")
        self.settings_action = self._action("设置…", self.show_settings, icon="settings")
        self.undo_action = self._action(
            "撤销",
            self.undo,
            QKeySequence.StandardKey.Undo,
            "undo",
            tip="撤销本机操作员的上一次修改(Ctrl+Z)",
        )
        self.copy_action = self._action(
            "复制选中行",
            self.copy_selected,
            QKeySequence.StandardKey.Copy,
            tip="复制为可粘贴到 Excel 的表格(Ctrl+C)",
        )
        self.copy_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.find_action = self._action("查找", self.filter_bar.focus_search, QKeySequence.StandardKey.Find)
        self.refresh_action = self._action(
            "刷新",
            self.refresh,
            QKeySequence.StandardKey.Refresh,
            "refresh",
            tip="重新读取台账(F5)",
        )
        self.clear_filter_action = self._action("清除筛选", self.filter_bar.reset)
        self.about_action = self._action("关于整改台账", self.show_about, needs_ledger=False)
        # Shortcuts that work on the list only must live on it.
        for action in (self.delete_action, self.copy_action):
            self.table.addAction(action)
        self.table.addAction(self.new_task_action)

    def _build_menus(self) -> None:
        bar = self.menuBar()
        self.file_menu = bar.addMenu("文件(&F)")
        self.file_menu.addAction(self.new_ledger_action)
        self.file_menu.addAction(self.open_ledger_action)
        self.recent_menu = self.file_menu.addMenu("最近打开")
        self.recent_menu.aboutToShow.connect(self._fill_recent_menu)
        self.file_menu.addSeparator()
        self.file_menu.addAction(self.save_copy_action)
        # Actions added by add_file_action() go here, above 退出.
        self._file_anchor = self.file_menu.addSeparator()
        self.file_menu.addAction(self.quit_action)

        self.ledger_menu = bar.addMenu("台账(&L)")
        for action in (self.new_task_action, self.delete_action):
            self.ledger_menu.addAction(action)
        self.ledger_menu.addAction(self.trash_action)
        self.ledger_menu.addSeparator()
        for action in (self.rounds_action, self.units_action):
            self.ledger_menu.addAction(action)
        self._ledger_anchor = self.ledger_menu.addSeparator()
        self.ledger_menu.addAction(self.settings_action)

        self.edit_menu = bar.addMenu("编辑(&E)")
        self.edit_menu.addAction(self.undo_action)
        self.edit_menu.addAction(self.copy_action)
        self.edit_menu.addSeparator()
        self.edit_menu.addAction(self.find_action)
        self.edit_menu.addAction(self.clear_filter_action)

        self.view_menu = bar.addMenu("视图(&V)")
        self.view_menu.addAction(self.refresh_action)

        self.help_menu = bar.addMenu("帮助(&H)")
        self.help_menu.addAction(self.about_action)

    def _build_toolbar(self) -> None:
        self.toolbar = QToolBar("常用操作", self)
        self.toolbar.setObjectName("mainToolBar")
        self.toolbar.setMovable(False)
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, self.toolbar)
        for action in (
            self.new_task_action,
            self.delete_action,
            None,
            self.undo_action,
            self.refresh_action,
            None,
            self.trash_action,
            self.rounds_action,
            self.units_action,
            self.settings_action,
        ):
            if action is None:
                self.toolbar.addSeparator()
            else:
                self.toolbar.addAction(action)
        self._toolbar_anchor = self.toolbar.addSeparator()

    def _build_status_bar(self) -> None:
        status = self.statusBar()
        self.counts_label = QLabel()
        self.counts_label.setObjectName("countsLabel")
        self.operator_label = QLabel()
        status.addPermanentWidget(self.counts_label)
        status.addPermanentWidget(self.operator_label)

    def _connect(self) -> None:
        self.filter_bar.filterChanged.connect(self._on_filter_changed)
        self.filter_bar.searchChanged.connect(self._on_search_changed)
        self.banner.scheduleClicked.connect(self.show_schedule)
        self.table.selectionModel().currentRowChanged.connect(self._on_current_changed)
        self.table.doubleClicked.connect(lambda _index: self._focus_panel())

    # -- extension hooks ------------------------------------------------------------------
    def add_action(
        self,
        menu: str,
        text: str,
        slot: Callable[[], object],
        shortcut: QKeySequence | str | None = None,
        *,
        toolbar: bool = False,
        tip: str = "",
        needs_ledger: bool = True,
    ) -> QAction:
        """Add a working action to the 文件 ("file") or 台账 ("ledger") menu, optionally to the toolbar."""
        action = self._action(text, slot, shortcut, needs_ledger=needs_ledger, tip=tip)
        target, anchor = {
            "file": (self.file_menu, self._file_anchor),
            "ledger": (self.ledger_menu, self._ledger_anchor),
        }[menu]
        target.insertAction(anchor, action)
        if toolbar:
            self.toolbar.addAction(action)
        self._update_enabled()
        return action

    def add_file_action(
        self,
        text: str,
        slot: Callable[[], object],
        shortcut: QKeySequence | str | None = None,
        *,
        toolbar: bool = False,
        tip: str = "",
    ) -> QAction:
        """An action in the 文件 menu above 退出 (e.g. 导出月报…, 导入 Excel 台账…)."""
        return self.add_action("file", text, slot, shortcut, toolbar=toolbar, tip=tip)

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

    def set_ledger(self, ledger: Ledger) -> None:
        """Show an opened ledger (the window closes it when another is opened or on exit)."""
        self._flush_panel()
        old, self.ledger = self.ledger, ledger
        settings_store.add_recent_ledger(ledger.path)
        self.setWindowTitle(f"{ledger.path.name}({ledger.path.parent})- {APP_TITLE}")
        self.operator_label.setText(f"操作员:{ledger.actor}")
        self.model.set_rows([])
        self.proxy.set_search_texts({})
        self.banner.hide()
        self._attach_panel(ledger)
        if old is not None:
            old.close()
        self._update_enabled()
        self._show_banner_after_load = True
        self.reload()
        self.ledgerOpened.emit(ledger)

    def _attach_panel(self, ledger: Ledger) -> None:
        if self.panel is None:
            self.panel = TaskPanel(ledger, self.panel_host)
            self.panel_host.layout().addWidget(self.panel)
            self.panel.taskChanged.connect(self._on_task_changed)
            self.panel.taskDeleted.connect(self._on_task_deleted)
            self.panel.statusMessage.connect(lambda text: self.statusBar().showMessage(text, 8000))
            if not self._splitter_restored:  # first start: the list gets the larger share
                total = max(sum(self.splitter.sizes()), self.width())
                self.splitter.setSizes([total * 62 // 100, total * 38 // 100])
        else:
            self.panel.set_ledger(ledger)
        self.panel.show_task(None)

    def new_ledger_file(self) -> None:
        path = ledger_files.ask_new_path(self, self.ledger.path if self.ledger else None)
        if path is not None and self.open_path(path, create=True):
            self.statusBar().showMessage(f"已新建台账:{path}", 8000)

    def open_ledger_file(self) -> None:
        path = ledger_files.ask_open_path(self, self.ledger.path if self.ledger else None)
        if path is not None:
            self.open_path(path)

    def _fill_recent_menu(self) -> None:
        self.recent_menu.clear()
        paths = settings_store.recent_ledgers()
        if not paths:
            empty = self.recent_menu.addAction("(无)")
            empty.setEnabled(False)
            return
        for number, path in enumerate(paths, start=1):
            action = self.recent_menu.addAction(f"&{number} {path.name}  —  {path.parent}")
            action.setToolTip(str(path))
            action.triggered.connect(lambda _checked=False, p=path: self.open_recent(p))

    def open_recent(self, path: Path) -> None:
        if not path.exists():
            QMessageBox.warning(self, "最近打开", f"台账文件已不存在(可能被移动或删除):\n{path}")
            settings_store.remove_recent_ledger(path)
            return
        self.open_path(path)

    def save_copy(self) -> None:
        ledger = self.ledger
        if ledger is None:
            return
        dest = ledger_files.ask_copy_path(self, ledger.path)
        if dest is None:
            return
        run_task(
            self,
            lambda _progress, _cancelled: backup_copy(ledger.path, "副本", dest=dest),
            on_done=lambda path: self.statusBar().showMessage(f"已另存副本:{path}", 10000),
            progress_title="正在另存副本…",
            cancellable=False,
        )

    # -- loading the list -----------------------------------------------------------------
    def refresh(self) -> None:
        if self.panel is not None:
            self.panel.refresh()
        self.reload()

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
                ledger.list_tasks(today=today),
                ledger.list_rounds(),
                ledger.list_units(),
                ledger.settings(),
            )

        # In the counts label, not the status bar: a message there (what was undone…) must stay.
        self.counts_label.setText("正在读取台账…")
        run_task(self, load, on_done=lambda result: self._rows_loaded(generation, result))

    def _rows_loaded(self, generation: int, result: tuple[Any, ...]) -> None:
        if generation != self._generation or self.ledger is None:
            return  # a newer load (or another ledger) has started since
        rows, rounds, units, settings = result
        selected = self.selected_task_ids()
        current = self._current_task_id()
        self.model.set_rows(rows)
        self.filter_bar.set_rounds(rounds)
        self.filter_bar.set_units(u.name for u in units)
        self._restore_selection(selected, current)
        if current is None and not selected and self.proxy.rowCount():
            self.select_task(self.proxy.task_id_at(0))  # the panel is never empty for nothing
        self._update_counts()
        if self._show_banner_after_load:
            self._show_banner_after_load = False
            lagging = sum(1 for r in rows if r.schedule is ScheduleFlag.LAGGING)
            due_soon = sum(1 for r in rows if r.schedule is ScheduleFlag.DUE_SOON)
            self.banner.show_counts(lagging, due_soon, settings.warning_days)
        self.rowsLoaded.emit()
        self._load_search_texts(generation)

    def _load_search_texts(self, generation: int) -> None:
        ledger = self.ledger
        assert ledger is not None

        def done(texts: dict[int, str]) -> None:
            if generation == self._generation:
                self.proxy.set_search_texts(texts)
                self._update_counts()

        run_task(self, lambda _p, _c: ledger.search_texts(), on_done=done)

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
        self.proxy.set_task_filter(flt)
        self._update_counts()

    def _on_search_changed(self, text: str) -> None:
        self.proxy.set_search_text(text)
        self._update_counts()

    def show_schedule(self, flag: ScheduleFlag) -> None:
        """Only the tasks with this schedule flag (the banner's links)."""
        self.filter_bar.show_schedule(flag)

    def _update_counts(self) -> None:
        text = self.proxy.counts().text()
        if self.filter_bar.is_filtering():
            text += f"(台账共 {self.model.rowCount()} 项)"
        self.counts_label.setText(text)

    # -- the selected task ----------------------------------------------------------------
    def _on_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if self.panel is None:
            return
        self.panel.show_task(self.proxy.task_id_at(current.row()) if current.isValid() else None)

    def _focus_panel(self) -> None:
        if self.panel is not None:
            self.panel.setFocus()

    def _on_task_changed(self, task_id: int) -> None:
        """The panel committed an edit: re-read that one row and its search text."""
        ledger = self.ledger
        if ledger is None:
            return
        rows = queries.task_rows(ledger, [task_id])
        # The search text first: the row's update below re-filters it.
        if rows:
            self.proxy.update_search_texts(queries.search_texts_for(ledger, [task_id]))
            self.model.update_rows(rows)
            if set(rows[0].all_units) - self.filter_bar.unit_names():  # a unit new to the directory
                self.filter_bar.set_units(u.name for u in ledger.list_units())
        else:
            self.proxy.update_search_texts({}, removed=[task_id])
            self.model.remove_tasks([task_id])
        self._update_counts()

    def _on_task_deleted(self, task_id: int) -> None:
        self.model.remove_tasks([task_id])
        self.proxy.update_search_texts({}, removed=[task_id])
        self._update_counts()

    # -- actions --------------------------------------------------------------------------
    def new_task(self) -> None:
        ledger = self.ledger
        if ledger is None:
            return
        from .dialogs.new_task_dialog import NewTaskDialog

        if not ledger.list_rounds():
            QMessageBox.information(
                self, "新建任务", "台账中还没有督察批次。请先新建一个督察批次,再添加任务。"
            )
            self.show_rounds()
            if not ledger.list_rounds():
                return
        dialog = NewTaskDialog(ledger, self, round_id=self.filter_bar.current_filter().round_id)
        if not dialog.exec() or dialog.task_id is None:
            return
        self._on_task_changed(dialog.task_id)
        if not self.select_task(dialog.task_id):
            self.filter_bar.reset()
            self.select_task(dialog.task_id)
        self.statusBar().showMessage("已新建任务。", 8000)

    def delete_selected(self) -> None:
        ledger = self.ledger
        ids = self.selected_task_ids()
        if ledger is None or not ids:
            return
        if len(ids) == 1:
            row = self.model.task(ids[0])
            what = f"任务「{row.seq}. {row.summary}」" if row else "这项任务"
        else:
            what = f"选中的 {len(ids)} 项任务"
        answer = QMessageBox.question(
            self,
            "删除任务",
            f"确定要删除{what}吗?\n\n删除的任务移入回收站,可以在“台账 → 回收站”中恢复,也可以按 Ctrl+Z 撤销。",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        next_row = min(r.row() for r in self.table.selectionModel().selectedRows())
        try:
            queries.delete_tasks(ledger, ids)
        except LedgerError as exc:
            show_error(self, exc, "无法删除")
            return
        self.model.remove_tasks(ids)
        self.proxy.update_search_texts({}, removed=ids)
        self._update_counts()
        if self.proxy.rowCount():
            self.select_task(self.proxy.task_id_at(min(next_row, self.proxy.rowCount() - 1)))
        self.statusBar().showMessage(f"已删除 {len(ids)} 项任务(已移入回收站)。", 8000)

    def undo(self) -> None:
        ledger = self.ledger
        if ledger is None:
            return
        if ledger.last_undoable() is None:
            self.statusBar().showMessage("没有可以撤销的操作。", 5000)
            return
        try:
            reason = ledger.undo_last()
        except LedgerError as exc:
            show_error(self, exc, "无法撤销")
            return
        self.statusBar().showMessage(f"已撤销:{reason}", 8000)
        if self.panel is not None:
            self.panel.refresh()
        self.reload()

    def copy_selected(self) -> None:
        rows = [self.model.task(i) for i in self.selected_task_ids()]
        rows = [r for r in rows if r is not None]
        if not rows:
            return
        header = self.table.horizontalHeader()
        columns = [
            header.logicalIndex(v)
            for v in range(header.count())
            if not header.isSectionHidden(header.logicalIndex(v))
        ]
        QGuiApplication.clipboard().setText(rows_to_tsv(rows, columns))
        self.statusBar().showMessage(f"已复制 {len(rows)} 行,可直接粘贴到 Excel。", 5000)

    def show_trash(self) -> None:
        from .dialogs.trash_dialog import TrashDialog

        if self.ledger is not None:
            dialog = TrashDialog(self.ledger, self)
            dialog.exec()
            if dialog.restored:
                self.reload()

    def show_rounds(self) -> None:
        from .dialogs.rounds_dialog import RoundsDialog

        if self.ledger is not None:
            dialog = RoundsDialog(self.ledger, self)
            dialog.exec()
            if dialog.changed:
                self.reload()

    def show_units(self) -> None:
        from .dialogs.units_dialog import UnitsDialog

        if self.ledger is not None:
            dialog = UnitsDialog(self.ledger, self)
            dialog.exec()
            if dialog.changed:
                self.refresh()

    def show_settings(self) -> None:
        from .dialogs.settings_dialog import SettingsDialog

        if self.ledger is None:
            return
        dialog = SettingsDialog(self.ledger, self)
        if dialog.exec():
            self.operator_label.setText(f"操作员:{self.ledger.actor}")
            self.reload()  # the 临期 window may have changed every schedule flag

    def show_about(self) -> None:
        where = f"<p>当前台账:{self.ledger.path}</p>" if self.ledger else ""
        QMessageBox.about(
            self,
            "关于整改台账",
            f"<h3>整改台账 {__version__}</h3>"
            "<p>生态环境保护督察反馈问题整改台账:任务、措施、进展、验收销号与回头看,离线使用。</p>"
            f"{where}<p>操作员:{settings_store.operator_name()}</p>",
        )

    # -- state ----------------------------------------------------------------------------
    def _flush_panel(self) -> None:
        """Commit a field the clerk is still typing in before the ledger goes away."""
        if self.panel is not None:
            self.panel.commit_pending()

    def _update_enabled(self) -> None:
        has_ledger = self.ledger is not None
        for action in self._ledger_actions:
            action.setEnabled(has_ledger)

    def _restore_state(self) -> None:
        geometry = settings_store.get_bytes(settings_store.WINDOW_GEOMETRY)
        if geometry is not None:
            self.restoreGeometry(geometry)  # Qt moves it back onto a screen that still exists
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

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt override)
        self._flush_panel()
        self.save_state()
        from .workers import wait_for_all

        wait_for_all()
        if self.ledger is not None:
            self.ledger.close()
            self.ledger = None
        super().closeEvent(event)


def action_icon(name: str) -> QIcon:
    """A toolbar icon of resources/icons (24 px, and 48 px for high-DPI screens)."""
    icon = QIcon()
    for size in (24, 48):
        path = resource_path("icons", f"{name}-{size}.png")
        if path.exists():
            icon.addFile(str(path))
    return icon


def window_icon() -> QIcon:
    icon = QIcon()
    for size in (16, 32, 48, 256):
        path = resource_path("icons", f"app-{size}.png")
        if path.exists():
            icon.addFile(str(path))
    return icon


__all__ = ["HEADERS", "CurrentView", "MainWindow", "window_icon"]
