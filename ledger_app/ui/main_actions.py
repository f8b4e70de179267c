"""The main window's actions, menus and toolbar, and the hook other features use to add theirs.

Actions that need an open ledger are disabled until one is open. Features landing later (Excel
export/import, PDF forms) call ``MainWindow.add_file_action`` / ``add_action`` instead of editing here.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QIcon, QKeySequence
from PySide6.QtWidgets import QLabel, QToolBar

from ledger_app.resources import resource_path


class ActionsMixin:
    """Builds ``self.*_action``, the menus and the toolbar of the main window (a QMainWindow)."""

    # Provided by MainWindow.
    ledger: Any
    filter_bar: Any
    table: Any
    _ledger_actions: list[QAction]

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
        # Enabled, and named after what they would do, by view_sync.update_undo_actions.
        self.undo_action = self._action(
            "撤销", self.undo, QKeySequence.StandardKey.Undo, "undo", needs_ledger=False
        )
        self.redo_action = self._action("重做", self.redo, None, "redo", needs_ledger=False)
        # Ctrl+Y as on Windows, Ctrl+Shift+Z as in most other programs.
        self.redo_action.setShortcuts([QKeySequence("Ctrl+Y"), QKeySequence("Ctrl+Shift+Z")])
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
        self.guide_action = self._action(
            "使用说明", self.show_guide, QKeySequence.StandardKey.HelpContents, needs_ledger=False
        )
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
        self.edit_menu.addAction(self.redo_action)
        self.edit_menu.addSeparator()
        self.edit_menu.addAction(self.copy_action)
        self.edit_menu.addSeparator()
        self.edit_menu.addAction(self.find_action)
        self.edit_menu.addAction(self.clear_filter_action)

        self.view_menu = bar.addMenu("视图(&V)")
        self.view_menu.addAction(self.refresh_action)

        self.help_menu = bar.addMenu("帮助(&H)")
        self.help_menu.addAction(self.guide_action)
        self.help_menu.addSeparator()
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
            self.redo_action,
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
