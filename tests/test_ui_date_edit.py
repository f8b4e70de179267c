"""The one date entry (ui/date_edit.DateEdit) driven as a clerk would: typing every usual form keeps
the year typed, text it cannot read stays with the reason, the calendar is Chinese and opens at the
field's day or today; progress dated ahead asks first; the import wizard dates progress as the sheet.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QDate, QLocale, Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import (
    QApplication,
    QDialogButtonBox,
    QMessageBox,
    QTableView,
    QToolButton,
    QWidget,
    QWizard,
)

from ledger_app.domain.errors import ValidationError
from ledger_app.domain.model import ProblemKind, RoundLevel, TaskStatus
from ledger_app.services import Ledger
from ledger_app.ui.date_edit import DateEdit
from ledger_app.ui.import_wizard import ImportWizard
from ledger_app.ui.import_wizard.wizard import PAGE_REPORT, PAGE_RESULT
from ledger_app.ui.task_panel import TaskPanel
from tests.xlsx_factory import SheetSpec, write_xlsx

TODAY = date.today()
TAB_PROGRESS, TAB_CLOSEOUT = 2, 4
CHINESE_MONTHS = [
    "一月",
    "二月",
    "三月",
    "四月",
    "五月",
    "六月",
    "七月",
    "八月",
    "九月",
    "十月",
    "十一月",
    "十二月",
]


def keys(qtbot: Any, widget: QWidget, text: str) -> None:
    """ASCII as key presses, anything else as an input method commits it (a Chinese IME)."""
    for run in re.findall(r"[\x20-\x7e]+|[^\x20-\x7e]+", text):
        if run.isascii():
            qtbot.keyClicks(widget, run)
        else:
            event = QInputMethodEvent()
            event.setCommitString(run)
            QApplication.sendEvent(widget, event)


def type_over(qtbot: Any, edit: DateEdit, text: str) -> None:
    edit.setFocus()
    edit.selectAll()
    qtbot.keyClick(edit, Qt.Key.Key_Delete)
    keys(qtbot, edit, text)


def leave(widget: QWidget) -> None:
    QApplication.processEvents()
    widget.window().setFocus()
    widget.clearFocus()
    QApplication.processEvents()


@pytest.fixture
def field(qtbot: Any) -> DateEdit:
    edit = DateEdit()
    qtbot.addWidget(edit)
    edit.setDate(date(2026, 6, 1))  # a field already showing another year, as in the clerk's report
    edit.show()
    return edit


# -- the field alone -------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("typed", "day"),
    [
        ("2025-12-20", date(2025, 12, 20)),
        ("2027-01-15", date(2027, 1, 15)),
        ("2022-11-30", date(2022, 11, 30)),
        ("2025.12.20", date(2025, 12, 20)),
        ("2025/12/20", date(2025, 12, 20)),
        ("2025年12月20日", date(2025, 12, 20)),
        ("20251220", date(2025, 12, 20)),
        ("２０２５－１２－２０", date(2025, 12, 20)),
        ("2025.1.5", date(2025, 1, 5)),
    ],
)
def test_every_usual_form_keeps_the_year_typed(qtbot: Any, field: DateEdit, typed: str, day: date) -> None:
    type_over(qtbot, field, typed)
    assert field.day() == day and field.date() == QDate(day)
    qtbot.keyClick(field, Qt.Key.Key_Return)
    assert field.text() == day.isoformat()  # shown the one way once the clerk is done
    assert field.day() == day and field.styleSheet() == ""


@pytest.mark.parametrize(
    ("typed", "why"),
    [
        ("2025-13-01", "2025-13-01 不是有效日期:月份应为 1–12"),
        ("明年春天", "请写成 2025-12-20"),
        ("2025-02-30", "2025年2月只有 28 天"),
        ("25-12-20", "年份请写全四位"),
    ],
)
def test_typed_garbage_stays_with_the_reason(qtbot: Any, field: DateEdit, typed: str, why: str) -> None:
    changed: list[QDate] = []
    field.dateChanged.connect(changed.append)
    type_over(qtbot, field, typed)
    qtbot.keyClick(field, Qt.Key.Key_Return)
    assert field.text() == typed  # never thrown away
    assert why in field.error() and why in field.toolTip()
    assert "border" in field.styleSheet()
    assert field.date().isNull() and field.valid_day() is None
    with pytest.raises(ValidationError) as refused:
        field.day()
    assert why in refused.value.message_zh
    assert changed[-1].isNull()  # listeners learn the field holds no day now


def test_a_required_field_left_empty_says_so_and_an_optional_one_is_none(qtbot: Any, field: DateEdit) -> None:
    type_over(qtbot, field, "")
    with pytest.raises(ValidationError, match="请填写日期"):
        field.day()
    assert field.styleSheet() == ""  # nothing typed yet: not shown as wrong
    field.setOptional(True)
    assert field.day() is None and field.placeholderText() == "未填写"


def test_arrow_keys_step_a_day(qtbot: Any, field: DateEdit) -> None:
    field.setFocus()
    qtbot.keyClick(field, Qt.Key.Key_Up)
    assert field.day() == date(2026, 6, 2)
    qtbot.keyClick(field, Qt.Key.Key_Down)
    qtbot.keyClick(field, Qt.Key.Key_Down)
    assert field.day() == date(2026, 5, 31)


def calendar_button(edit: DateEdit) -> QToolButton:
    [button] = [b for b in edit.findChildren(QToolButton) if b.defaultAction() is edit.calendar_action]
    return button


def test_the_calendar_is_chinese_and_opens_at_the_fields_day(qtbot: Any, field: DateEdit) -> None:
    qtbot.mouseClick(calendar_button(field), Qt.MouseButton.LeftButton)
    popup = field.calendar()
    assert popup.isVisible()
    calendar = popup.calendar
    assert calendar.selectedDate() == QDate(2026, 6, 1)
    assert (calendar.yearShown(), calendar.monthShown()) == (2026, 6)
    assert calendar.locale().language() == QLocale.Language.Chinese
    assert calendar.firstDayOfWeek() == Qt.DayOfWeek.Monday
    month_button = calendar.findChild(QToolButton, "qt_calendar_monthbutton")
    assert month_button.text() == "六月"
    # Picking a day (Enter on the day grid) fills the field and finishes the edit, as leaving it does.
    calendar.setSelectedDate(QDate(2025, 12, 20))
    with qtbot.waitSignal(field.editingFinished, timeout=1000):
        qtbot.keyClick(calendar.findChild(QTableView), Qt.Key.Key_Return)
    assert field.day() == date(2025, 12, 20) and not popup.isVisible()


def test_an_empty_or_unreadable_field_opens_the_calendar_at_today(qtbot: Any, field: DateEdit) -> None:
    for text in ("", "2025-13-01"):
        field.setOptional(True)
        field.setText(text)
        field.open_calendar()
        calendar = field.calendar().calendar
        assert calendar.selectedDate() == QDate(TODAY)
        assert (calendar.yearShown(), calendar.monthShown()) == (TODAY.year, TODAY.month)
        month_button = calendar.findChild(QToolButton, "qt_calendar_monthbutton")
        assert month_button.text() == CHINESE_MONTHS[TODAY.month - 1]
        field.calendar().hide()


def test_the_calendars_clear_button_empties_an_optional_field(qtbot: Any, field: DateEdit) -> None:
    field.setOptional(True)
    field.open_calendar()
    qtbot.mouseClick(field.calendar().clear_button, Qt.MouseButton.LeftButton)
    assert field.text() == "" and field.day() is None


# -- the task panel --------------------------------------------------------------------------------
class Answers:
    def __init__(self) -> None:
        self.warnings: list[str] = []
        self.questions: list[str] = []
        self.answer = QMessageBox.StandardButton.Yes

    def warning(self, _parent: Any, _title: str, text: str, *_args: object) -> QMessageBox.StandardButton:
        self.warnings.append(text)
        return QMessageBox.StandardButton.Ok

    def question(self, _parent: Any, _title: str, text: str, *_args: object) -> QMessageBox.StandardButton:
        self.questions.append(text)
        return self.answer


@pytest.fixture
def answers(monkeypatch: pytest.MonkeyPatch) -> Answers:
    stub = Answers()
    monkeypatch.setattr(QMessageBox, "warning", stub.warning)
    monkeypatch.setattr(QMessageBox, "question", stub.question)
    return stub


@pytest.fixture
def task_id(ledger: Ledger) -> int:
    round_id = ledger.directory.create_round(name="第二轮中央生态环境保护督察", level=RoundLevel.CENTRAL)
    task = ledger.tasks.create_task(
        round_id=round_id, kind=ProblemKind.SPECIFIC, seq=1, description="柳河水库周边企业偷排废水。"
    )
    ledger.tasks.add_progress(task, entry_date=date(2026, 3, 20), text="已完成清淤", percent=40)
    return task


@pytest.fixture
def panel(qtbot: Any, ledger: Ledger, task_id: int, answers: Answers) -> Iterator[TaskPanel]:
    widget = TaskPanel(ledger)
    qtbot.addWidget(widget)
    widget.resize(1000, 800)
    widget.show()
    widget.activateWindow()
    qtbot.waitUntil(widget.isActiveWindow)
    widget.show_task(task_id)
    yield widget


def stored_dates(ledger: Ledger, task_id: int) -> list[date]:
    return sorted(p.date for p in ledger.records.task_record(task_id).progress)


def move_today(monkeypatch: pytest.MonkeyPatch, today: date) -> None:
    """Today as the GUI's question and the service's check see it (both ask domain.dates' rule)."""
    import ledger_app.services.tasks as tasks
    import ledger_app.ui.task_panel.progress_tab as progress_tab

    class Moved(date):
        @classmethod
        def today(cls) -> date:  # type: ignore[override]
            return today

    monkeypatch.setattr(tasks, "date", Moved)
    monkeypatch.setattr(progress_tab, "date", Moved)


def test_typing_2025_12_20_into_a_progress_entry_stores_it(
    qtbot: Any, panel: TaskPanel, ledger: Ledger, task_id: int, answers: Answers
) -> None:
    panel.tabs.setCurrentIndex(TAB_PROGRESS)
    edit = panel.progress.fields.date_edit
    assert edit.text() == "2026-03-20"
    type_over(qtbot, edit, "2025-12-20")
    leave(edit)
    assert stored_dates(ledger, task_id) == [date(2025, 12, 20)]
    assert answers.warnings == [] and answers.questions == []


def test_a_progress_date_ahead_is_stored_once_confirmed(
    qtbot: Any,
    panel: TaskPanel,
    ledger: Ledger,
    task_id: int,
    answers: Answers,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    move_today(monkeypatch, date(2027, 1, 1))
    panel.tabs.setCurrentIndex(TAB_PROGRESS)
    edit = panel.progress.fields.date_edit
    answers.answer = QMessageBox.StandardButton.No
    type_over(qtbot, edit, "2027-01-15")
    leave(edit)
    assert "2027年1月15日 晚于今天(14 天后)" in answers.questions[-1]
    assert stored_dates(ledger, task_id) == [date(2026, 3, 20)]  # the clerk said no
    assert edit.text() == "2026-03-20"

    answers.answer = QMessageBox.StandardButton.Yes
    type_over(qtbot, edit, "2027-01-15")
    leave(edit)
    assert stored_dates(ledger, task_id) == [date(2027, 1, 15)]  # the year typed, not 2026
    assert answers.warnings == []


def test_adding_progress_over_a_month_ahead_is_refused_and_the_dialog_stays(
    qtbot: Any, panel: TaskPanel, ledger: Ledger, task_id: int, answers: Answers
) -> None:
    panel.tabs.setCurrentIndex(TAB_PROGRESS)
    qtbot.mouseClick(panel.progress.add_button, Qt.MouseButton.LeftButton)
    dialog = panel.progress.add_dialog
    assert dialog is not None and dialog.isVisible()
    fields = dialog.fields
    edit = fields.findChild(DateEdit, "dateEdit")
    assert edit.day() == TODAY
    far = TODAY + timedelta(days=45)
    type_over(qtbot, edit, f"{far.year}年{far.month}月{far.day}日")
    keys(qtbot, fields.findChild(QWidget, "textEdit"), "计划完成验收")
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    assert answers.questions == []  # nothing to confirm: it is refused outright
    assert "超过一个月" in answers.warnings[-1]
    assert dialog.isVisible() and stored_dates(ledger, task_id) == [date(2026, 3, 20)]
    # Garbage in the dialog's date field: refused with the reason, the text kept.
    type_over(qtbot, edit, "2025-13-01")
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    assert answers.warnings[-1] == "2025-13-01 不是有效日期:月份应为 1–12"
    assert dialog.isVisible() and edit.text() == "2025-13-01"


def walk_to(ledger: Ledger, task_id: int, status: TaskStatus) -> None:
    for step in (TaskStatus.IN_PROGRESS, TaskStatus.COMPLETED, TaskStatus.ACCEPTED):
        if step.order > status.order:
            break
        if step is TaskStatus.ACCEPTED:
            ledger.lifecycle.record_acceptance(
                task_id, accepted_on=TODAY - timedelta(days=20), unit="区生态环境局"
            )
        ledger.lifecycle.transition(task_id, step)


def test_an_empty_notice_field_opens_a_chinese_calendar_at_today(
    qtbot: Any, panel: TaskPanel, ledger: Ledger, task_id: int
) -> None:
    walk_to(ledger, task_id, TaskStatus.ACCEPTED)
    panel.refresh()
    panel.tabs.setCurrentIndex(TAB_CLOSEOUT)
    edit = panel.closeout.notice_start
    assert edit.text() == "" and edit.placeholderText() == "未填写"
    qtbot.mouseClick(calendar_button(edit), Qt.MouseButton.LeftButton)
    calendar = edit.calendar().calendar
    assert edit.calendar().isVisible()
    assert (calendar.yearShown(), calendar.monthShown()) == (TODAY.year, TODAY.month)  # not January 2000
    month_button = calendar.findChild(QToolButton, "qt_calendar_monthbutton")
    assert month_button.text() == CHINESE_MONTHS[TODAY.month - 1]
    # Picking the start proposes a 7-day period and saves it.
    start = TODAY - timedelta(days=15)
    calendar.setSelectedDate(QDate(start))
    qtbot.keyClick(calendar.findChild(QTableView), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: ledger.records.task_record(task_id).public_notice is not None)
    notice = ledger.records.task_record(task_id).public_notice
    assert (notice.start, notice.end) == (start, start + timedelta(days=6))


def test_garbage_in_the_acceptance_date_is_kept_and_explained(
    qtbot: Any, panel: TaskPanel, ledger: Ledger, task_id: int, answers: Answers
) -> None:
    walk_to(ledger, task_id, TaskStatus.COMPLETED)
    panel.refresh()
    panel.tabs.setCurrentIndex(TAB_CLOSEOUT)
    edit = panel.closeout.accepted_on
    type_over(qtbot, edit, "明年春天")
    leave(edit)
    assert answers.warnings and answers.warnings[-1].startswith("明年春天 不是有效日期:请写成")
    assert edit.text() == "明年春天" and "border" in edit.styleSheet()
    assert ledger.records.task_record(task_id).acceptance is None


# -- the import wizard -----------------------------------------------------------------------------
HEADER = ["序号", "问题描述", "责任单位", "整改时限", "整改进展"]


def workbook(path: Path, title_lines: list[list[str]]) -> Path:
    sheet = SheetSpec("整改台账")
    for row, line in enumerate(title_lines):
        sheet.row(row, line)
    top = len(title_lines)
    sheet.row(top, HEADER)
    sheet.row(top + 1, [1, "柳河水库周边企业偷排废水", "区生态环境局", "2023年6月底前", "已关停3家企业"])
    sheet.row(top + 2, [2, "城区污水管网混接错接", "区住建局", "2023年12月31日", "完成改造12公里"])
    return write_xlsx(path, [sheet])


@pytest.fixture
def wizard_on(qtbot: Any, ledger: Ledger, ui_settings: Path, sync_workers: None, answers: Answers) -> Any:
    def make(path: Path) -> ImportWizard:
        wizard = ImportWizard(ledger, path=path)
        qtbot.addWidget(wizard)
        wizard.show()
        for _page in range(2):
            wizard.button(QWizard.WizardButton.NextButton).click()
        assert wizard.currentId() == PAGE_REPORT
        return wizard

    return make


def import_now(wizard: ImportWizard) -> None:
    wizard.button(QWizard.WizardButton.CommitButton).click()
    assert wizard.currentId() == PAGE_RESULT, wizard.report_page.ready_label.text()


def imported_dates(ledger: Ledger) -> set[date]:
    return {
        p.date for row in ledger.queries.list_tasks() for p in ledger.records.task_record(row.id).progress
    }


def test_the_wizard_dates_progress_as_the_sheet_says(wizard_on: Any, ledger: Ledger, tmp_path: Path) -> None:
    path = workbook(
        tmp_path / "台账.xlsx", [["第二轮省生态环境保护督察整改台账"], ["填报时间:2022年11月30日"]]
    )
    wizard = wizard_on(path)
    page = wizard.report_page
    assert page.date_edit.text() == "2022-11-30"
    assert page.date_hint.text().startswith("表中填报时间:2022年11月30日,作为进展日期")
    import_now(wizard)
    assert imported_dates(ledger) == {date(2022, 11, 30)}


def test_typing_2022_11_30_into_the_wizard_takes(
    qtbot: Any, wizard_on: Any, ledger: Ledger, tmp_path: Path
) -> None:
    wizard = wizard_on(workbook(tmp_path / "台账.xlsx", [["第二轮省生态环境保护督察整改台账"]]))
    page = wizard.report_page
    assert page.date_edit.day() == TODAY and "没有找到填报时间" in page.date_hint.text()
    type_over(qtbot, page.date_edit, "2022-11-30")
    assert not page.isComplete()  # compared again for the new date first
    page.refresh_diff()
    assert page.isComplete()
    import_now(wizard)
    assert imported_dates(ledger) == {date(2022, 11, 30)}


def test_the_wizard_refuses_an_unreadable_date_and_asks_about_one_ahead(
    qtbot: Any, wizard_on: Any, ledger: Ledger, tmp_path: Path, answers: Answers
) -> None:
    wizard = wizard_on(workbook(tmp_path / "台账.xlsx", [["第二轮省生态环境保护督察整改台账"]]))
    page = wizard.report_page
    type_over(qtbot, page.date_edit, "2022-11-31")
    assert "2022年11月只有 30 天" in page.ready_label.text()
    assert "2022年11月只有 30 天" in page.date_hint.text()
    assert not page.isComplete() and page.date_edit.text() == "2022-11-31"
    soon = TODAY + timedelta(days=3)
    type_over(qtbot, page.date_edit, soon.isoformat())
    page.refresh_diff()
    assert "晚于今天" in page.date_hint.text()
    answers.answer = QMessageBox.StandardButton.No
    wizard.button(QWizard.WizardButton.CommitButton).click()
    assert "晚于今天" in answers.questions[-1] and ledger.queries.list_tasks() == []
    answers.answer = QMessageBox.StandardButton.Yes
    import_now(wizard)
    assert imported_dates(ledger) == {soon}
