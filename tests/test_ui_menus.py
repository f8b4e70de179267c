"""The menus and the toolbar as ui/menus.py declares them, with every feature installed."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtWidgets import QMenu, QToolBar

from ledger_app.ui.features import install_features
from ledger_app.ui.menus import SEP, placed_keys, present


def texts(menu: QMenu | QToolBar) -> list[str]:
    return ["----" if a.isSeparator() else a.text() for a in menu.actions()]


@pytest.fixture
def full(window: Any) -> Any:
    install_features(window)
    return window


def test_the_file_menu_reads_as_declared(full: Any) -> None:
    assert texts(full.file_menu) == [
        "新建台账…", "打开台账…", "最近打开", "----",
        "另存副本…", "备份与恢复…", "----",
        "导入Excel台账…", "导入整改方案…", "----",
        "导出月报…", "导出整改落实情况报告…", "----",
        "发送月报表…", "收回月报表…", "月报表催报…", "----",
        "退出",
    ]  # fmt: skip


def test_the_ledger_and_help_menus_and_the_toolbar(full: Any) -> None:
    assert texts(full.ledger_menu) == [
        "新建任务…", "删除任务", "回收站…", "----",
        "督察批次管理…", "单位名录…", "----",
        "打印销号审批表…", "生成销号评估报告…", "本月销号任务批量打印…", "发督办单/提醒函…", "----",
        "导出佐证材料(选中任务)…", "导出佐证材料(当前筛选)…", "检查台账…", "----",
        "设置…",
    ]  # fmt: skip
    assert texts(full.help_menu) == ["使用说明", "----", "检查台账…", "关于整改台账"]
    # One action in two menus: both trigger the same check.
    in_ledger = next(a for a in full.ledger_menu.actions() if a.text() == "检查台账…")
    assert in_ledger in full.help_menu.actions()
    assert texts(full.toolbar) == [
        "新建任务…", "删除任务", "----", "撤销", "重做", "刷新", "----",
        "回收站…", "督察批次管理…", "单位名录…", "设置…", "----", "导出月报…", "导入Excel台账…",
    ]  # fmt: skip


def test_every_placed_item_exists_once_the_features_are_in(full: Any) -> None:
    assert set(full.actions_by_key) == placed_keys()


def test_an_action_without_a_place_is_refused(window: Any) -> None:
    with pytest.raises(KeyError, match=r"ui/menus\.py"):
        window.add_action("no_such_place", "无处安放", lambda: None)


def test_before_the_features_install_the_menus_have_no_empty_groups(window: Any) -> None:
    assert texts(window.file_menu) == [
        "新建台账…",
        "打开台账…",
        "最近打开",
        "----",
        "另存副本…",
        "----",
        "退出",
    ]
    assert texts(window.toolbar)[-1] == "设置…"  # no separator left dangling for the features


def test_the_recent_submenu_survives_laying_the_menus_out_again(full: Any) -> None:
    full.lay_out_menus()
    full.lay_out_menus()
    entry = next(a for a in full.file_menu.actions() if a.text() == "最近打开")
    assert entry.menu() is full.recent_menu


def test_separators_only_between_groups_that_show() -> None:
    items = (SEP, "a", SEP, SEP, "missing", SEP, "b", SEP)
    assert present(items, {"a", "b"}) == ["a", SEP, "b"]
    assert present(items, set()) == []
