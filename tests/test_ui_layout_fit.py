"""Small screens: at 1366×768 every button of the task panel can be reached, the measures' text has room,
and a first-run window fits the screen it opens on."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, QRect, QSize
from PySide6.QtWidgets import QAbstractButton, QApplication, QPushButton, QScrollArea, QWidget

from ledger_app.services import Ledger
from ledger_app.ui.layout_fit import FlowLayout, clamp_to_screen, fit_window, reflow
from ledger_app.ui.task_panel.measures_tab import COL_TEXT
from tests.ui_support import Boxes

LAPTOP = QSize(1366, 768)
TAB_MEASURES, TAB_CLOSEOUT = 1, 4


@pytest.fixture
def laptop_window(
    qtbot: Any, demo_ledger: Ledger, ui_settings: Path, sync_workers: None, boxes: Boxes
) -> Iterator[Any]:
    from ledger_app.ui.main_window import MainWindow

    win = MainWindow()
    qtbot.addWidget(win)
    win.resize(LAPTOP)
    win.show()
    qtbot.waitExposed(win)
    win.set_ledger(demo_ledger)
    yield win
    win.close()


def _scroll_ancestor(widget: QWidget, stop: QWidget) -> QScrollArea | None:
    parent = widget.parentWidget()
    while parent is not None and parent is not stop:
        if isinstance(parent, QScrollArea):
            return parent
        parent = parent.parentWidget()
    return None


def _reachable(button: QAbstractButton, panel_area: QScrollArea) -> bool:
    """Fully visible, or inside a scroll area whose contents hold it whole and only scroll vertically."""
    if button.visibleRegion().boundingRect().size() == button.size():
        return True
    area = _scroll_ancestor(button, panel_area)
    if area is None or area.widget() is None:
        return False
    contents = area.widget()
    rect = QRect(button.mapTo(contents, QPoint(0, 0)), button.size())
    return contents.rect().contains(rect) and contents.width() <= area.viewport().width()


def test_every_panel_button_is_reachable_at_1366x768(laptop_window: Any, qtbot: Any) -> None:
    win = laptop_window
    panel = win.panel
    panel_area = _scroll_ancestor(panel, win)
    assert panel_area is not None
    seen: set[str] = set()
    for seq_row in range(min(20, win.proxy.rowCount())):  # tasks in every status show other buttons
        win.select_task(win.proxy.task_id_at(seq_row))
        for index in range(panel.tabs.count()):
            panel.tabs.setCurrentIndex(index)
            QApplication.processEvents()
            # Nothing sticks out sideways: the panel is never wider than the room it has.
            assert panel.width() <= panel_area.viewport().width(), panel.tabs.tabText(index)
            for button in panel.findChildren(QPushButton):
                if not button.isVisibleTo(panel) or not button.isVisible():
                    continue
                seen.add(button.text())
                assert _reachable(button, panel_area), (panel.tabs.tabText(index), button.text())
    assert {"删除任务…", "完成整改", "验收通过", "开始公示", "销号", "新增措施…"} <= seen


def test_tabs_fit_without_scroll_buttons_at_1366x768(laptop_window: Any) -> None:
    win = laptop_window
    win.select_task(win.proxy.task_id_at(0))
    QApplication.processEvents()
    bar = win.panel.tabs.tabBar()
    assert bar.sizeHint().width() <= win.panel.tabs.width()


def test_measure_text_column_has_most_of_the_table(laptop_window: Any) -> None:
    win = laptop_window
    task_id = next(
        win.proxy.task_id_at(r)
        for r in range(win.proxy.rowCount())
        if win.ledger.records.task_record(win.proxy.task_id_at(r)).measures
    )
    win.select_task(task_id)
    win.panel.tabs.setCurrentIndex(TAB_MEASURES)
    QApplication.processEvents()
    table = win.panel.measures.table
    assert table.columnWidth(COL_TEXT) >= 0.4 * table.viewport().width()


def test_first_run_window_fits_the_available_screen(qtbot: Any, ui_settings: Path) -> None:
    from ledger_app.ui.main_window import MainWindow

    win = MainWindow()  # no saved geometry: first run
    qtbot.addWidget(win)
    available = win.screen().availableGeometry()
    assert available.contains(win.frameGeometry())
    assert win.width() >= min(available.width(), 1440) * 0.9


def test_a_restored_window_too_large_for_the_screen_is_clamped(qtbot: Any, ui_settings: Path) -> None:
    widget = QWidget()
    qtbot.addWidget(widget)
    available = widget.screen().availableGeometry()
    widget.setGeometry(
        available.x() + 300, available.y() + 200, available.width() + 500, available.height() + 400
    )
    clamp_to_screen(widget)
    assert available.contains(widget.frameGeometry())
    fit_window(widget, QSize(5000, 5000))
    assert available.contains(widget.frameGeometry())


def test_flow_layout_wraps_buttons_instead_of_widening(qtbot: Any) -> None:
    row = QWidget()
    qtbot.addWidget(row)
    from PySide6.QtWidgets import QHBoxLayout

    box = QHBoxLayout(row)
    buttons = [QPushButton(f"按钮{i}按钮") for i in range(6)]
    for button in buttons:
        box.addWidget(button)
    box.addStretch(1)
    one_line = row.minimumSizeHint().width()
    flow = reflow(row)
    assert isinstance(row.layout(), FlowLayout)
    assert row.minimumSizeHint().width() < one_line / 3
    width = one_line // 2
    assert flow.heightForWidth(width) > flow.heightForWidth(one_line * 2)
    row.resize(width, flow.heightForWidth(width))
    row.show()
    QApplication.processEvents()
    for button in buttons:
        assert row.rect().contains(button.geometry())
