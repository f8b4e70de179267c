"""The task list's right-click menu (issue 18, finding 11): by use, 删除任务 last after a separator."""

from __future__ import annotations

import pytest

from ledger_app.ui.exports import install as install_exports
from ledger_app.ui.list_menu import build_list_menu
from ledger_app.ui.main_window import MainWindow

pytestmark = pytest.mark.usefixtures("ui_settings")


def entries(window: MainWindow) -> list[str]:
    menu = build_list_menu(window)
    return ["—" if a.isSeparator() else a.text() for a in menu.actions()]


def test_delete_is_last_after_a_separator_whoever_adds_actions(window: MainWindow) -> None:
    assert entries(window) == ["复制选中行", "—", "新建任务…", "—", "删除任务"]
    install_exports(window)  # features add their actions to the list later
    assert entries(window) == [
        "复制选中行",
        "—",
        "打印销号审批表…",
        "生成销号评估报告…",
        "—",
        "新建任务…",
        "—",
        "删除任务",
    ]


def test_the_list_actions_keep_their_shortcuts(window: MainWindow) -> None:
    # The menu is built when it opens; the actions stay on the table, so Del and Ctrl+C still work there.
    assert window.delete_action in window.table.actions()
    assert window.copy_action in window.table.actions()
