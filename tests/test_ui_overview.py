"""The 挂图作战 tab: the page shows the service's figures, and a click on a figure, a unit row or a bar
filters the task list to exactly the tasks behind it; charts save as PNG."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QPushButton

from ledger_app.domain.model import ScheduleFlag
from ledger_app.domain.overview import flag_key
from ledger_app.domain.ranking import reminder_plan
from ledger_app.ui.overview import OVERVIEW_TAB, install


def _tab(window: Any, qtbot: Any) -> Any:
    tab = install(window)
    tab.tabs.setCurrentIndex(OVERVIEW_TAB)
    qtbot.waitUntil(lambda: tab.page.overview is not None)
    return tab


def test_figures_are_the_services_and_a_click_filters_the_list(window: Any, qtbot: Any) -> None:
    tab = _tab(window, qtbot)
    page = tab.page
    expected = window.ledger.overview.build(today=date.today())
    assert page.overview.total.as_dict() == expected.total.as_dict()
    button = page.findChild(QPushButton, f"figure:{flag_key(ScheduleFlag.LAGGING)}")
    assert button.text().startswith(str(expected.total.lagging))
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert tab.tabs.currentIndex() == 0
    shown = {row.id for row in window.proxy.visible_rows()}
    assert shown == set(expected.task_ids(flag_key(ScheduleFlag.LAGGING)))
    assert window.filter_bar.ids_chip.isVisible() or not window.isVisible()
    assert "逾期" in window.filter_bar.ids_chip.text()
    # Clearing the chip shows every task again.
    window.filter_bar.ids_chip.click()
    assert window.proxy.rowCount() == window.model.rowCount()


def test_a_unit_row_and_a_bar_filter_to_that_units_tasks(window: Any, qtbot: Any) -> None:
    tab = _tab(window, qtbot)
    page = tab.page
    first = page.overview.ranking[0]
    # The ranking table, red first; a click on the 滞后 cell shows that unit's lagging tasks.
    table = page.ranking_table
    row = next(r for r in range(table.rowCount()) if table.item(r, 1).text() == first.unit)
    assert table.item(row, 0).text() == first.colour.label
    rect = table.visualRect(table.model().index(row, 4))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    lagging = {r.id for r in window.proxy.visible_rows()}
    assert len(lagging) == first.lagging
    assert all(first.unit in r.main_units for r in window.proxy.visible_rows())
    # A bar of the unit chart: its completed segment.
    tab.tabs.setCurrentIndex(OVERVIEW_TAB)
    chart = page.unit_chart
    chart.resize(700, chart.height())
    hit = next(h for h in chart.hit_regions() if h.key == f"unit:lagging:{first.unit}")
    qtbot.mouseClick(
        chart, Qt.MouseButton.LeftButton, pos=QPoint(int(hit.rect.center().x()), int(hit.rect.center().y()))
    )
    assert {r.id for r in window.proxy.visible_rows()} == lagging


def test_charts_save_as_png(window: Any, qtbot: Any, tmp_path: Path) -> None:
    page = _tab(window, qtbot).page
    for chart in (page.unit_chart, page.month_chart):
        path = chart.save_to(tmp_path / f"{chart.kind}.png")
        image = QImage(str(path))
        assert not image.isNull() and image.width() == 1800


def test_reminders_in_one_step_from_the_page(window: Any, qtbot: Any, tmp_path: Path, boxes: Any) -> None:
    tab = _tab(window, qtbot)
    plan = reminder_plan(tab.page.overview.ranking)
    assert plan  # the demo ledger has lagging units
    tab.send_reminders(folder=tmp_path)
    assert boxes.texts("question") and plan[0][0] in boxes.texts("question")[0]
    assert len(list(tmp_path.glob("*.pdf"))) == len(plan)
    assert sum(n.kind is not None for n in window.ledger.overview.sent_notices()) == len(plan)


def test_report_dialog_keeps_the_clerks_text(window: Any, qtbot: Any, tmp_path: Path) -> None:
    from docx import Document

    from ledger_app.ui.overview.report_dialog import ProgressReportDialog, write_report

    dialog = ProgressReportDialog(window.ledger, window)
    qtbot.addWidget(dialog)
    dialog.practices_edit.setPlainText("建立周调度机制。")
    choice = dialog.current_choice()
    assert choice is not None and choice.round_name is None
    out = tmp_path / "报告.docx"
    write_report(window, window.ledger, choice, out)
    texts = [p.text for p in Document(str(out)).paragraphs]
    assert texts[texts.index("一、主要做法") + 1] == "建立周调度机制。"
    # Next time the dialog starts with it.
    again = ProgressReportDialog(window.ledger, window)
    qtbot.addWidget(again)
    assert again.practices_edit.toPlainText() == "建立周调度机制。"
    again.date_edit.setText("明天")
    assert again.current_choice() is None and again.error_label.text()
