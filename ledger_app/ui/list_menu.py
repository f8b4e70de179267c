"""The task list's right-click menu: what a clerk uses most first, destructive items last.

Built when it opens from the actions on the table (features add theirs with ``table.addAction``,
which also gives them their shortcuts on the list), so the order holds whoever adds an action:
the row's own actions in the order they were added (复制选中行, the forms…), then 新建任务, and
删除任务 alone at the end, after a separator, where a slip of the mouse does not reach it.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu


def build_list_menu(window: Any) -> QMenu:
    """The menu for the list of ``window`` (a MainWindow), its entries in the order described above."""
    menu = QMenu(window.table)
    last = [window.new_task_action, window.delete_action]
    entries: list[QAction | None] = []
    for action in window.table.actions():
        if action in last:
            continue
        if action.isSeparator():
            entries.append(None)
        elif action.isVisible():
            entries.append(action)
    entries += [None, window.new_task_action, None, window.delete_action]
    previous_was_separator = True  # no separator at the top, none doubled
    for entry in entries:
        if entry is None:
            if not previous_was_separator:
                menu.addSeparator()
            previous_was_separator = True
        else:
            menu.addAction(entry)
            previous_was_separator = False
    return menu


def install_list_menu(window: Any) -> None:
    table = window.table
    table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)

    def popup(pos: QPoint) -> None:
        menu = build_list_menu(window)
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        menu.popup(table.viewport().mapToGlobal(pos))

    table.customContextMenuRequested.connect(popup)
