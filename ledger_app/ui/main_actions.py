"""The main window's own actions, and the hook features use to add theirs (``add_action``).

Where each action shows is decided in ui/menus.py alone. Actions that need an open ledger are
disabled until one is open.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QIcon, QKeySequence
from PySide6.QtWidgets import QLabel, QMenu, QToolBar

from ledger_app.resources import resource_path

from .menus import MENUS, RECENT, TOOLBAR, placed_keys, present


class ActionsMixin:
    """Builds ``self.*_action``, the menus and the toolbar of the main window (a QMainWindow)."""

    # Provided by MainWindow.
    ledger: Any
    filter_bar: Any
    table: Any
    _ledger_actions: list[QAction]
    actions_by_key: dict[str, QAction]

    def _action(
        self,
        key: str,
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
        if key not in placed_keys():
            raise KeyError(f"action {key!r} has no place in ui/menus.py")
        self.actions_by_key[key] = action
        return action

    def _build_actions(self) -> None:
        self.new_ledger_action = self._action(
            "new_ledger", "新建台账…", self.new_ledger_file, needs_ledger=False
        )
        self.open_ledger_action = self._action(
            "open_ledger",
            "打开台账…",
            self.open_ledger_file,
            QKeySequence.StandardKey.Open,
            "open",
            needs_ledger=False,
        )
        self.save_copy_action = self._action(
            "save_copy", "另存副本…", self.save_copy, tip="把当前台账复制一份保存到别处(例如U盘)"
        )
        self.quit_action = self._action(
            "quit", "退出", self.close, QKeySequence.StandardKey.Quit, needs_ledger=False
        )
        self.new_task_action = self._action(
            "new_task", "新建任务…", self.new_task, "Ctrl+N", "new-task", tip="新建一项整改任务(Ctrl+N)"
        )
        self.delete_action = self._action(
            "delete_task",
            "删除任务",
            self.delete_selected,
            QKeySequence.StandardKey.Delete,
            "delete",
            tip="把选中的任务移入回收站(Del)",
        )
        # Del and Ctrl+C act on the list only; in a text field they keep their usual meaning.
        self.delete_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.trash_action = self._action(
            "trash", "回收站…", self.show_trash, icon="trash", tip="查看并恢复已删除的任务"
        )
        self.rounds_action = self._action("rounds", "督察批次管理…", self.show_rounds, icon="rounds")
        self.units_action = self._action("units", "单位名录…", self.show_units, icon="units")
        self.settings_action = self._action("settings", "设置…", self.show_settings, icon="settings")
        # Enabled, and named after what they would do, by view_sync.update_undo_actions.
        self.undo_action = self._action(
            "undo", "撤销", self.undo, QKeySequence.StandardKey.Undo, "undo", needs_ledger=False
        )
        self.redo_action = self._action("redo", "重做", self.redo, None, "redo", needs_ledger=False)
        # Ctrl+Y as on Windows, Ctrl+Shift+Z as in most other programs.
        self.redo_action.setShortcuts([QKeySequence("Ctrl+Y"), QKeySequence("Ctrl+Shift+Z")])
        self.copy_action = self._action(
            "copy",
            "复制选中行",
            self.copy_selected,
            QKeySequence.StandardKey.Copy,
            tip="复制为可粘贴到 Excel 的表格(Ctrl+C)",
        )
        self.copy_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.find_action = self._action(
            "find", "查找", self.filter_bar.focus_search, QKeySequence.StandardKey.Find
        )
        self.refresh_action = self._action(
            "refresh",
            "刷新",
            self.refresh,
            QKeySequence.StandardKey.Refresh,
            "refresh",
            tip="重新读取台账(F5)",
        )
        self.clear_filter_action = self._action("clear_filter", "清除筛选", self.filter_bar.reset)
        self.about_action = self._action("about", "关于整改台账", self.show_about, needs_ledger=False)
        self.guide_action = self._action(
            "guide", "使用说明", self.show_guide, QKeySequence.StandardKey.HelpContents, needs_ledger=False
        )
        # Shortcuts that work on the list only must live on it.
        for action in (self.delete_action, self.copy_action):
            self.table.addAction(action)
        self.table.addAction(self.new_task_action)

    def _build_menus(self) -> None:
        bar = self.menuBar()
        for attr, title, _items in MENUS:
            setattr(self, attr, bar.addMenu(title))
        # Owned by the window, not the 文件 menu: laying the menus out again must not delete it.
        self.recent_menu = QMenu("最近打开", self)
        self.recent_menu.aboutToShow.connect(self._fill_recent_menu)

    def _build_toolbar(self) -> None:
        self.toolbar = QToolBar("常用操作", self)
        self.toolbar.setObjectName("mainToolBar")
        self.toolbar.setMovable(False)
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, self.toolbar)

    def lay_out_menus(self) -> None:
        """Fill the menus and the toolbar from ui/menus.py with the actions registered so far."""
        known = set(self.actions_by_key) | {RECENT}
        for attr, _title, items in MENUS:
            menu = getattr(self, attr)
            menu.clear()  # the actions belong to the window (or their feature), so they survive
            for key in present(items, known):
                if key is None:
                    menu.addSeparator()
                elif key == RECENT:
                    menu.addMenu(self.recent_menu)
                else:
                    menu.addAction(self.actions_by_key[key])
        self.toolbar.clear()
        for key in present(TOOLBAR, known):
            if key is None:
                self.toolbar.addSeparator()
            else:
                self.toolbar.addAction(self.actions_by_key[key])

    def _build_status_bar(self) -> None:
        status = self.statusBar()
        self.counts_label = QLabel()
        self.counts_label.setObjectName("countsLabel")
        self.operator_label = QLabel()
        status.addPermanentWidget(self.counts_label)
        status.addPermanentWidget(self.operator_label)

    # -- extension hook ----------------------------------------------------------------------
    def add_action(
        self,
        key: str,
        text: str,
        slot: Callable[[], object],
        shortcut: QKeySequence | str | None = None,
        *,
        tip: str = "",
        needs_ledger: bool = True,
    ) -> QAction:
        """A feature's action, shown where ui/menus.py places ``key`` (enabled only with a ledger open)."""
        action = self._action(key, text, slot, shortcut, needs_ledger=needs_ledger, tip=tip)
        self.lay_out_menus()
        self._update_enabled()
        return action

    def _update_enabled(self) -> None:
        has_ledger = self.ledger is not None
        for action in self._ledger_actions:
            action.setEnabled(has_ledger)


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
