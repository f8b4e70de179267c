"""The task panel driven as a clerk would: typing, leaving fields, clicking, answering message boxes."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QDateEdit, QDialogButtonBox, QInputDialog, QMessageBox, QWidget

from ledger_app.domain.model import ProblemKind, ReviewResult, RoundLevel, TaskStatus
from ledger_app.services import Ledger
from ledger_app.store import models as m
from ledger_app.ui.task_panel import TaskPanel
from ledger_app.ui.task_panel.panel import EMPTY_HINT
from ledger_app.ui.task_panel.widgets import FieldsDialog

TODAY = date.today()
TAB_BASIC, TAB_MEASURES, TAB_PROGRESS, TAB_ATTACHMENTS, TAB_CLOSEOUT, TAB_REVIEWS, TAB_HISTORY = range(7)


class Answers:
    """Stands in for the modal message boxes: records what the clerk was told, answers questions."""

    def __init__(self) -> None:
        self.warnings: list[str] = []
        self.questions: list[str] = []
        self.answer = QMessageBox.StandardButton.Yes

    def warning(
        self, _parent: QWidget | None, _title: str, text: str, *_args: object
    ) -> QMessageBox.StandardButton:
        self.warnings.append(text)
        return QMessageBox.StandardButton.Ok

    def question(
        self, _parent: QWidget | None, _title: str, text: str, *_args: object
    ) -> QMessageBox.StandardButton:
        self.questions.append(text)
        return self.answer


@pytest.fixture
def answers(monkeypatch: pytest.MonkeyPatch) -> Answers:
    stub = Answers()
    monkeypatch.setattr(QMessageBox, "warning", stub.warning)
    monkeypatch.setattr(QMessageBox, "question", stub.question)
    return stub


@pytest.fixture(scope="module")
def tasks_template(template_ledger: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two rounds and two tasks, built once for the module and copied per test."""
    path = tmp_path_factory.mktemp("tasks") / "tasks.sqlite3"
    shutil.copyfile(template_ledger, path)
    with Ledger.open(path, actor="测试员") as ledger:
        round_id = ledger.directory.create_round(name="第二轮中央生态环境保护督察", level=RoundLevel.CENTRAL)
        ledger.directory.create_round(name="第二轮省生态环境保护督察", level=RoundLevel.PROVINCIAL)
        ledger.tasks.create_task(
            round_id=round_id,
            kind=ProblemKind.SPECIFIC,
            seq=2,
            description="另一项任务",
            lead_units=["区水利局"],
        )
        ledger.tasks.create_task(
            round_id=round_id,
            kind=ProblemKind.SPECIFIC,
            seq=1,
            description="柳河水库周边企业偷排废水。",
            deadline="2026年12月底前",
            lead_units=["区生态环境局"],
            responsible_units=["区生态环境局", "北苑街道"],
        )
    return path


@pytest.fixture
def ledger_path(tasks_template: Path, tmp_path: Path) -> Path:
    path = tmp_path / "ledger.sqlite3"
    shutil.copyfile(tasks_template, path)
    return path


@pytest.fixture
def task_id(ledger: Ledger) -> int:
    return next(row.id for row in ledger.queries.list_tasks() if row.seq == "1")


@pytest.fixture
def panel(qtbot, ledger: Ledger, task_id: int, answers: Answers) -> Iterator[TaskPanel]:
    widget = TaskPanel(ledger)
    qtbot.addWidget(widget)
    widget.resize(1000, 800)
    widget.show()
    widget.activateWindow()
    qtbot.waitUntil(widget.isActiveWindow)
    widget.show_task(task_id)
    yield widget


def leave(widget: QWidget) -> None:
    """Move the focus away, as clicking elsewhere does."""
    QApplication.processEvents()
    widget.window().setFocus()
    widget.clearFocus()
    QApplication.processEvents()


def keys(qtbot, widget: QWidget, text: str) -> None:
    """Type as a clerk does: ASCII as key presses, Chinese as the input method commits it."""
    for run in re.findall(r"[\x20-\x7e]+|[^\x20-\x7e]+", text):
        if run.isascii():
            qtbot.keyClicks(widget, run)
        else:
            event = QInputMethodEvent()
            event.setCommitString(run)
            QApplication.sendEvent(widget, event)


def type_into(qtbot, widget: QWidget, text: str) -> None:
    """Select what is in the field and type over it."""
    widget.setFocus()
    widget.selectAll()
    qtbot.keyClick(widget, Qt.Key.Key_Delete)
    keys(qtbot, widget, text)


def dialog_of(tab: QWidget) -> FieldsDialog:
    assert tab.add_dialog is not None and tab.add_dialog.isVisible()
    return tab.add_dialog


def click_ok(qtbot, dialog: FieldsDialog) -> None:
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)


def walk_to(ledger: Ledger, task_id: int, status: TaskStatus) -> None:
    """Put a task in ``status`` through the services (the buttons are tested separately)."""
    order = [TaskStatus.IN_PROGRESS, TaskStatus.COMPLETED, TaskStatus.ACCEPTED, TaskStatus.PUBLIC_NOTICE]
    for step in order:
        if step.order > status.order:
            break
        if step is TaskStatus.ACCEPTED:
            ledger.lifecycle.record_acceptance(
                task_id, accepted_on=TODAY - timedelta(days=20), unit="区生态环境局"
            )
        if step is TaskStatus.PUBLIC_NOTICE:
            ledger.lifecycle.record_public_notice(
                task_id, start=TODAY - timedelta(days=15), end=TODAY - timedelta(days=9)
            )
        ledger.lifecycle.transition(task_id, step)
    if status is TaskStatus.CLOSED:
        ledger.lifecycle.close_out(task_id, closed_on=TODAY)


# -- the empty panel and the header --------------------------------------------------------------
def test_no_task_shows_a_disabled_panel_with_a_hint(qtbot, ledger: Ledger) -> None:
    widget = TaskPanel(ledger)
    qtbot.addWidget(widget)
    widget.show_task(None)
    assert widget.stack.currentWidget() is widget.empty_label
    assert widget.empty_label.text() == EMPTY_HINT
    assert not widget.tabs.isEnabled()


def test_header_shows_status_and_schedule(panel: TaskPanel) -> None:
    assert "序号 1" in panel.title_label.text()
    assert panel.status_badge.text() == "未启动"
    assert panel.schedule_badge.text() in {"序时推进", "临期", "滞后"}
    assert panel.tabs.tabText(TAB_BASIC) == "基本信息"


# -- 基本信息 ----------------------------------------------------------------------------------------
def test_a_field_is_committed_when_left(qtbot, panel: TaskPanel, ledger: Ledger, task_id: int) -> None:
    edit = panel.basic.text_edits["leader"]
    messages: list[str] = []
    panel.statusMessage.connect(messages.append)
    with qtbot.waitSignal(panel.taskChanged) as changed:
        type_into(qtbot, edit, "王某某(副区长)")
        leave(edit)
    assert changed.args == [task_id]
    assert ledger.records.task_record(task_id).leader == "王某某(副区长)"
    assert messages == ["已保存:责任领导"]


def test_multi_line_description_is_committed_on_focus_out(
    qtbot, panel: TaskPanel, ledger: Ledger, task_id: int
) -> None:
    edit = panel.basic.text_edits["description"]
    edit.setFocus()
    edit.moveCursor(edit.textCursor().MoveOperation.End)
    keys(qtbot, edit, "河水发黑发臭。")
    leave(edit)
    assert ledger.records.task_record(task_id).description == "柳河水库周边企业偷排废水。河水发黑发臭。"


def test_emptied_description_is_refused_and_restored(
    qtbot, panel: TaskPanel, ledger: Ledger, task_id: int, answers: Answers
) -> None:
    edit = panel.basic.text_edits["description"]
    type_into(qtbot, edit, "")
    leave(edit)
    assert answers.warnings == ["问题描述不能为空。"]
    assert edit.toPlainText() == "柳河水库周边企业偷排废水。"
    assert ledger.records.task_record(task_id).description == "柳河水库周边企业偷排废水。"


def test_duplicate_seq_is_refused_and_the_old_one_restored(
    qtbot, panel: TaskPanel, ledger: Ledger, task_id: int, answers: Answers
) -> None:
    edit = panel.basic.text_edits["seq"]
    type_into(qtbot, edit, "2")
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    assert len(answers.warnings) == 1 and "序号 2" in answers.warnings[0]
    assert edit.text() == "1"
    assert ledger.records.task_record(task_id).seq == "1"


def test_phone_field_only_takes_phone_characters(
    qtbot, panel: TaskPanel, ledger: Ledger, task_id: int
) -> None:
    edit = panel.basic.text_edits["contact_phone"]
    type_into(qtbot, edit, "0571-8765abc4321")
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    assert ledger.records.task_record(task_id).contact_phone == "0571-87654321"


def test_unit_lists_complete_from_the_directory_and_add_new_names(
    qtbot, panel: TaskPanel, ledger: Ledger, task_id: int
) -> None:
    editor = panel.basic.unit_editors["cooperating_units"]
    type_into(qtbot, editor.edit, "区生态环境局、水利")
    completer = editor.edit.completer()
    assert completer.splitPath(completer.completionPrefix()) == ["水利"]  # only the name being typed
    assert completer.currentCompletion() == "区生态环境局、区水利局"  # keeps the names before it
    type_into(qtbot, editor.edit, "区生态环境局,新成立的区城管局、")
    assert "区城管局" in panel.basic.form.findChild(QWidget, "unitsHintLabel").text()
    if completer.popup().isVisible():  # clicking elsewhere first closes the list of names
        qtbot.keyClick(completer.popup(), Qt.Key.Key_Escape)
    leave(editor.edit)
    assert ledger.records.task_record(task_id).cooperating_units == ["区生态环境局", "新成立的区城管局"]
    assert "新成立的区城管局" in [u.name for u in ledger.directory.list_units()]
    assert editor.edit.text() == "区生态环境局、新成立的区城管局"  # tidied to the house separator


def test_deadline_shows_what_it_understood_while_typing(
    qtbot, panel: TaskPanel, ledger: Ledger, task_id: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ledger_app.ui.task_panel import deadline_question

    asked: list[str] = []  # unreadable text over a date is saved only once the clerk confirms (issue 18)
    monkeypatch.setattr(
        deadline_question, "ask_make_unknown", lambda _parent, error: asked.append(error.text) or True
    )
    deadline = panel.basic.deadline
    type_into(qtbot, deadline.edit, "2027年6月底前")
    assert deadline.label.text() == "识别为:截止 2027年6月30日"
    qtbot.keyClick(deadline.edit, Qt.Key.Key_Return)
    assert ledger.records.task_record(task_id).deadline.date == date(2027, 6, 30)
    type_into(qtbot, deadline.edit, "看情况再定")
    assert deadline.label.text() == "未能识别的时限,按原文保存"
    assert "#d35400" in deadline.label.styleSheet()  # orange
    leave(deadline.edit)
    stored = ledger.records.task_record(task_id).deadline
    assert stored.text == "看情况再定" and stored.date is None
    assert asked == ["看情况再定"]


def test_kind_and_round_combos_commit_on_choice(
    qtbot, panel: TaskPanel, ledger: Ledger, task_id: int
) -> None:
    basic = panel.basic
    assert not basic.petition_row.isVisible()
    basic.kind_combo.setCurrentIndex(basic.kind_combo.findText("交办信访件"))
    basic.kind_combo.activated.emit(basic.kind_combo.currentIndex())
    assert ledger.records.task_record(task_id).kind is ProblemKind.PETITION
    assert basic.petition_row.isVisible()
    type_into(qtbot, basic.text_edits["batch"], "第5批")
    leave(basic.text_edits["batch"])
    basic.round_combo.setCurrentIndex(basic.round_combo.findText("第二轮省生态环境保护督察"))
    basic.round_combo.activated.emit(basic.round_combo.currentIndex())
    record = ledger.records.task_record(task_id)
    assert (record.batch, record.round_name) == ("第5批", "第二轮省生态环境保护督察")


# -- 整改措施 ----------------------------------------------------------------------------------------
def add_measure(qtbot, panel: TaskPanel, text: str, deadline: str = "") -> None:
    qtbot.mouseClick(panel.measures.add_button, Qt.MouseButton.LeftButton)
    dialog = dialog_of(panel.measures)
    fields = dialog.fields
    keys(qtbot, fields.findChild(QWidget, "textEdit"), text)
    keys(qtbot, fields.findChild(QWidget, "deadlineEdit"), deadline)
    click_ok(qtbot, dialog)


def test_add_reorder_edit_and_delete_measures(
    qtbot, panel: TaskPanel, ledger: Ledger, task_id: int, answers: Answers
) -> None:
    panel.tabs.setCurrentIndex(TAB_MEASURES)
    add_measure(qtbot, panel, "开展排查", "2026年12月底前")
    add_measure(qtbot, panel, "关停取缔", "立行立改")
    add_measure(qtbot, panel, "建立长效机制")
    measures = ledger.records.task_record(task_id).measures
    assert [x.text for x in measures] == ["开展排查", "关停取缔", "建立长效机制"]
    assert measures[0].lead_units == ["区生态环境局"]  # the task's lead unit is proposed
    assert measures[1].deadline.long_term
    assert panel.tabs.tabText(TAB_MEASURES) == "整改措施(3)"
    assert panel.measures.selected().text == "建立长效机制"  # the new one is selected

    panel.measures.table.setFocus()
    qtbot.keyClick(panel.measures.table, Qt.Key.Key_Up, Qt.KeyboardModifier.ControlModifier)
    assert [x.text for x in ledger.records.task_record(task_id).measures] == [
        "开展排查",
        "建立长效机制",
        "关停取缔",
    ]
    qtbot.mouseClick(panel.measures.up_button, Qt.MouseButton.LeftButton)
    assert [x.text for x in ledger.records.task_record(task_id).measures] == [
        "建立长效机制",
        "开展排查",
        "关停取缔",
    ]
    assert not panel.measures.up_button.isEnabled()  # already first

    deadline = panel.measures.fields.deadline
    type_into(qtbot, deadline.edit, "2027年3月底前")
    qtbot.keyClick(deadline.edit, Qt.Key.Key_Return)
    assert ledger.records.task_record(task_id).measures[0].deadline.date == date(2027, 3, 31)

    answers.answer = QMessageBox.StandardButton.No
    qtbot.mouseClick(panel.measures.delete_button, Qt.MouseButton.LeftButton)
    assert len(ledger.records.task_record(task_id).measures) == 3
    answers.answer = QMessageBox.StandardButton.Yes
    qtbot.mouseClick(panel.measures.delete_button, Qt.MouseButton.LeftButton)
    assert [x.text for x in ledger.records.task_record(task_id).measures] == ["开展排查", "关停取缔"]
    assert "建立长效机制" in answers.questions[-1]


def test_an_empty_measure_is_refused_and_the_dialog_stays_open(
    qtbot, panel: TaskPanel, ledger: Ledger, task_id: int, answers: Answers
) -> None:
    add_measure(qtbot, panel, "   ")
    assert answers.warnings == ["整改措施内容不能为空。"]
    assert panel.measures.add_dialog.isVisible()
    assert ledger.records.task_record(task_id).measures == []


# -- 进展情况 ----------------------------------------------------------------------------------------
def add_progress(qtbot, panel: TaskPanel, text: str, percent: int | None, day: date | None = None) -> None:
    qtbot.mouseClick(panel.progress.add_button, Qt.MouseButton.LeftButton)
    dialog = dialog_of(panel.progress)
    fields = dialog.fields
    assert fields.findChild(QWidget, "dateEdit").date() == QDate(TODAY)
    assert fields.findChild(QWidget, "reporterEdit").text() == "测试员"
    assert fields.findChild(QWidget, "percentSpin").text() == "未填"
    if day is not None:
        fields.findChild(QWidget, "dateEdit").setDate(QDate(day))
    if percent is not None:
        fields.findChild(QWidget, "percentSpin").setValue(percent)
    keys(qtbot, fields.findChild(QWidget, "textEdit"), text)
    click_ok(qtbot, dialog)


def test_add_progress_with_and_without_percent_newest_first(
    qtbot, panel: TaskPanel, ledger: Ledger, task_id: int
) -> None:
    panel.tabs.setCurrentIndex(TAB_PROGRESS)
    add_progress(qtbot, panel, "已完成排查", 40, TODAY - timedelta(days=30))
    add_progress(qtbot, panel, "关停3家企业", None)
    entries = ledger.records.task_record(task_id).progress
    assert [(e.text, e.percent, e.reporter) for e in entries] == [
        ("已完成排查", 40, "测试员"),
        ("关停3家企业", None, "测试员"),
    ]
    table = panel.progress.table
    assert [table.item(r, 3).text() for r in range(2)] == ["关停3家企业", "已完成排查"]
    assert [table.item(r, 1).text() for r in range(2)] == ["未填", "40%"]


def test_edit_and_delete_progress(
    qtbot, panel: TaskPanel, ledger: Ledger, task_id: int, answers: Answers
) -> None:
    ledger.tasks.add_progress(task_id, entry_date=TODAY, text="初稿", percent=10, reporter="张三")
    panel.refresh()
    panel.tabs.setCurrentIndex(TAB_PROGRESS)
    fields = panel.progress.fields
    fields.percent_spin.setFocus()
    fields.percent_spin.setValue(35)
    leave(fields.percent_spin)
    type_into(qtbot, fields.text_edit, "已完成排查")
    leave(fields.text_edit)
    entry = ledger.records.task_record(task_id).progress[0]
    assert (entry.text, entry.percent) == ("已完成排查", 35)
    qtbot.mouseClick(panel.progress.delete_button, Qt.MouseButton.LeftButton)
    assert ledger.records.task_record(task_id).progress == []


# -- 佐证材料 ----------------------------------------------------------------------------------------
def test_attachments_are_listed_read_only(panel: TaskPanel, ledger: Ledger, task_id: int) -> None:
    with ledger.changing("测试:放入佐证材料") as session:
        session.add(
            m.Attachment(
                problem_id=task_id,
                sha256="0" * 64,
                original_name="整改后现场照片.jpg",
                size=1536,
                added_at=datetime(2026, 3, 5, 9, 30),
                added_by="张三",
                description="整改后",
            )
        )
    panel.refresh()
    table = panel.attachments.table
    assert [table.item(0, c).text() for c in range(5)] == [
        "整改后现场照片.jpg",
        "1.5 KB",
        "2026-03-05",
        "张三",
        "整改后",
    ]
    assert panel.tabs.tabText(TAB_ATTACHMENTS) == "佐证材料(1)"


# -- 验收销号 ----------------------------------------------------------------------------------------
def click_step(qtbot, panel: TaskPanel, target: TaskStatus) -> None:
    qtbot.mouseClick(panel.closeout.step_buttons[target], Qt.MouseButton.LeftButton)


def set_date_field(edit: QDateEdit, day: date) -> None:
    edit.setFocus()
    edit.setDate(QDate(day))
    leave(edit)


def test_walk_the_lifecycle_to_closed_with_the_buttons(
    qtbot, panel: TaskPanel, ledger: Ledger, task_id: int
) -> None:
    tab = panel.closeout
    panel.tabs.setCurrentIndex(TAB_CLOSEOUT)
    assert not tab.acceptance_box.isEnabled()
    click_step(qtbot, panel, TaskStatus.IN_PROGRESS)
    click_step(qtbot, panel, TaskStatus.COMPLETED)
    assert ledger.records.task_record(task_id).status is TaskStatus.COMPLETED
    assert tab.acceptance_box.isEnabled() and panel.status_badge.text() == "已完成"

    click_step(qtbot, panel, TaskStatus.ACCEPTED)  # no 验收单位 yet
    assert "请先填写验收单位" in tab.step_message.text() and tab.step_message.isVisible()
    set_date_field(tab.accepted_on, TODAY - timedelta(days=20))
    type_into(qtbot, tab.acceptance_unit, "区生态环境局")
    click_step(qtbot, panel, TaskStatus.ACCEPTED)
    record = ledger.records.task_record(task_id)
    assert record.status is TaskStatus.ACCEPTED
    assert (record.acceptance.accepted_on, record.acceptance.unit, record.acceptance.conclusion) == (
        TODAY - timedelta(days=20),
        "区生态环境局",
        "符合销号条件",
    )
    assert not tab.step_message.isVisible()

    click_step(qtbot, panel, TaskStatus.PUBLIC_NOTICE)  # no notice period yet
    assert "公示前请先填写公示期" in tab.step_message.text()
    set_date_field(tab.notice_start, TODAY - timedelta(days=15))
    assert tab.notice_end.date() == QDate(TODAY - timedelta(days=9))  # a 7-day period is proposed
    click_step(qtbot, panel, TaskStatus.PUBLIC_NOTICE)
    notice = ledger.records.task_record(task_id).public_notice
    assert (notice.start, notice.end, notice.outcome) == (
        TODAY - timedelta(days=15),
        TODAY - timedelta(days=9),
        "公示期间未收到异议",
    )
    assert ledger.records.task_record(task_id).status is TaskStatus.PUBLIC_NOTICE

    type_into(qtbot, tab.approved_by, "王某某、李某某")
    type_into(qtbot, tab.document_no, "区整改办〔2026〕15号")
    click_step(qtbot, panel, TaskStatus.CLOSED)
    record = ledger.records.task_record(task_id)
    assert record.status is TaskStatus.CLOSED
    assert (record.close_out.closed_on, record.close_out.approved_by, record.close_out.document_no) == (
        TODAY,
        "王某某、李某某",
        "区整改办〔2026〕15号",
    )
    assert panel.status_badge.text() == "已销号"
    assert not any(b.isEnabled() for b in tab.step_buttons.values())


def test_a_skipped_step_is_refused_with_the_reason(
    qtbot, panel: TaskPanel, ledger: Ledger, task_id: int
) -> None:
    walk_to(ledger, task_id, TaskStatus.ACCEPTED)
    panel.refresh()
    panel.tabs.setCurrentIndex(TAB_CLOSEOUT)
    click_step(qtbot, panel, TaskStatus.CLOSED)  # 销号 before 公示
    message = panel.closeout.step_message.text()
    assert message.startswith("未能「销号」") and "公示中" in message
    assert ledger.records.task_record(task_id).status is TaskStatus.ACCEPTED


def test_close_out_waits_for_the_end_of_the_notice_period(
    qtbot, panel: TaskPanel, ledger: Ledger, task_id: int
) -> None:
    walk_to(ledger, task_id, TaskStatus.ACCEPTED)
    ledger.lifecycle.record_public_notice(
        task_id, start=TODAY - timedelta(days=2), end=TODAY + timedelta(days=4)
    )
    ledger.lifecycle.transition(task_id, TaskStatus.PUBLIC_NOTICE)
    panel.refresh()
    click_step(qtbot, panel, TaskStatus.CLOSED)
    assert "公示期满后才能销号" in panel.closeout.step_message.text()
    assert ledger.records.task_record(task_id).status is TaskStatus.PUBLIC_NOTICE


def test_send_back_asks_for_a_reason(
    qtbot, panel: TaskPanel, ledger: Ledger, task_id: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    walk_to(ledger, task_id, TaskStatus.COMPLETED)
    panel.refresh()
    panel.tabs.setCurrentIndex(TAB_CLOSEOUT)
    tab = panel.closeout
    assert tab.return_button.isVisible() and tab.return_button.toolTip() == "验收未通过,退回整改"
    monkeypatch.setattr(QInputDialog, "getMultiLineText", lambda *_a, **_k: ("", True))
    qtbot.mouseClick(tab.return_button, Qt.MouseButton.LeftButton)
    assert "请说明原因" in tab.step_message.text()
    monkeypatch.setattr(QInputDialog, "getMultiLineText", lambda *_a, **_k: ("现场仍有污水外排", True))
    qtbot.mouseClick(tab.return_button, Qt.MouseButton.LeftButton)
    assert ledger.records.task_record(task_id).status is TaskStatus.IN_PROGRESS
    assert any(e.reason == "现场仍有污水外排" for e in ledger.history.for_task(task_id))


def test_an_invalid_notice_period_is_refused_and_restored(
    qtbot, panel: TaskPanel, ledger: Ledger, task_id: int, answers: Answers
) -> None:
    walk_to(ledger, task_id, TaskStatus.PUBLIC_NOTICE)
    panel.refresh()
    tab = panel.closeout
    set_date_field(tab.notice_end, TODAY - timedelta(days=30))  # before the start
    assert answers.warnings == ["公示结束日期早于开始日期。"]
    assert tab.notice_end.date() == QDate(TODAY - timedelta(days=9))
    assert ledger.records.task_record(task_id).public_notice.end == TODAY - timedelta(days=9)


# -- 回头看 ------------------------------------------------------------------------------------------
def add_review(qtbot, panel: TaskPanel, result: ReviewResult, text: str) -> None:
    qtbot.mouseClick(panel.reviews.add_button, Qt.MouseButton.LeftButton)
    dialog = dialog_of(panel.reviews)
    combo = dialog.fields.findChild(QWidget, "resultCombo")
    combo.setCurrentIndex(combo.findData(result.value))
    keys(qtbot, dialog.fields.findChild(QWidget, "textEdit"), text)
    click_ok(qtbot, dialog)


def test_reviews_only_for_closed_tasks(panel: TaskPanel) -> None:
    assert not panel.reviews.add_button.isEnabled()
    assert "销号后才能进行回头看" in panel.reviews.hint_label.text()


def test_a_relapse_reopens_the_task_after_confirmation(
    qtbot, panel: TaskPanel, ledger: Ledger, task_id: int, answers: Answers
) -> None:
    walk_to(ledger, task_id, TaskStatus.CLOSED)
    panel.refresh()
    panel.tabs.setCurrentIndex(TAB_REVIEWS)
    add_review(qtbot, panel, ReviewResult.CONSOLIDATED, "现场无反弹")
    assert ledger.records.task_record(task_id).status is TaskStatus.CLOSED

    answers.answer = QMessageBox.StandardButton.No
    add_review(qtbot, panel, ReviewResult.RELAPSE, "发现夜间偷排")
    assert panel.reviews.add_dialog.isVisible()  # not confirmed: nothing recorded
    assert ledger.records.task_record(task_id).status is TaskStatus.CLOSED
    panel.reviews.add_dialog.reject()

    answers.answer = QMessageBox.StandardButton.Yes
    with qtbot.waitSignal(panel.taskChanged):
        add_review(qtbot, panel, ReviewResult.RELAPSE, "发现夜间偷排")
    record = ledger.records.task_record(task_id)
    assert record.status is TaskStatus.IN_PROGRESS
    assert [r.result for r in record.reviews] == ["consolidated", "relapse"]
    assert panel.status_badge.text() == "整改中"
    assert panel.reviews.table.item(0, 1).text() == "反弹"
    assert panel.closeout.step_buttons[TaskStatus.COMPLETED].isEnabled()


# -- 操作记录 ----------------------------------------------------------------------------------------
def test_history_lists_changes_newest_first(qtbot, panel: TaskPanel, ledger: Ledger, task_id: int) -> None:
    edit = panel.basic.text_edits["leader"]
    type_into(qtbot, edit, "王某某")
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    units = panel.basic.unit_editors["lead_units"]
    type_into(qtbot, units.edit, "区生态环境局、区水利局")
    qtbot.keyClick(units.edit, Qt.Key.Key_Return)
    panel.tabs.setCurrentIndex(TAB_HISTORY)
    table = panel.history.table
    rows = [[table.item(r, c).text() for c in range(4)] for r in range(table.rowCount())]
    assert rows[0][1:3] == ["测试员", "牵头单位新增「区水利局」"]
    assert rows[1][1:] == ["测试员", "任务的「责任领导」由 (空) 改为 「王某某」", "修改任务"]
    assert rows[-1][2].startswith("新增任务")


# -- deleting and switching ----------------------------------------------------------------------
def test_delete_task_after_confirmation(qtbot, panel: TaskPanel, ledger: Ledger, task_id: int) -> None:
    with qtbot.waitSignal(panel.taskDeleted) as deleted:
        qtbot.mouseClick(panel.delete_button, Qt.MouseButton.LeftButton)
    assert deleted.args == [task_id]
    assert panel.stack.currentWidget() is panel.empty_label
    assert ledger.tasks.count_tasks() == 1


def test_switching_task_commits_the_field_being_typed(
    qtbot, panel: TaskPanel, ledger: Ledger, task_id: int
) -> None:
    edit = panel.basic.text_edits["goal"]
    edit.setFocus()
    keys(qtbot, edit, "群众满意")
    other = next(row.id for row in ledger.queries.list_tasks() if row.id != task_id)
    panel.show_task(other)
    assert ledger.records.task_record(task_id).goal == "群众满意"
    assert panel.basic.text_edits["description"].toPlainText() == "另一项任务"


def test_demo_tasks_of_every_status_load(qtbot, demo_ledger: Ledger) -> None:
    widget = TaskPanel(demo_ledger)
    qtbot.addWidget(widget)
    seen = set()
    for row in demo_ledger.queries.list_tasks():
        if row.status not in seen:
            seen.add(row.status)
            widget.show_task(row.id)
            assert widget.status_badge.text() == row.status.label
            assert widget.progress.table.rowCount() == len(demo_ledger.records.task_record(row.id).progress)
    assert seen == set(TaskStatus)
