"""The import wizard (文件 → 导入Excel台账…): file and sheet, column mapping, dry-run report, import.

Workbooks are built here with openpyxl in the shape offices keep them: a title row, a two-row merged
header, section rows, measures numbered in one cell, a refused row and a column the reader does not
know. Workers run synchronously; file dialogs and message boxes are patched.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QFileDialog, QWizard

from ledger_app.domain.model import RoundLevel
from ledger_app.services import Ledger, TaskFilter
from ledger_app.ui.import_wizard import ImportLauncher, ImportWizard, install
from ledger_app.ui.import_wizard.mapping_page import IGNORE, NOTE
from ledger_app.ui.import_wizard.report_page import NEW_ROUND
from ledger_app.ui.import_wizard.wizard import PAGE_FILE, PAGE_MAPPING, PAGE_REPORT, PAGE_RESULT
from tests.ui_support import Boxes
from tests.xlsx_factory import K, SheetSpec, TaskSpec, sample_tasks, write_xlsx

pytestmark = pytest.mark.usefixtures("ui_settings", "sync_workers")

CONTACT = "刘芳 13900001111"
HEADER = [
    "序号",
    "督察反馈问题",
    "责任单位",
    "",
    "责任领导",
    "整改时限",
    "整改措施",
    "整改进展",
    "完成情况",
    "包案人员",
]
SECTION_ROWS = {K.SPECIFIC: "一、反馈问题", K.COMMON: "(二)共性问题", K.PETITION: "二、交办信访件"}


@dataclass
class Messy:
    path: Path
    tasks: list[TaskSpec]
    refused_row: int  # 1-based, as Excel shows it
    contact_column: int  # 0-based index of 包案人员


def messy_workbook(path: Path, tasks: list[TaskSpec], *, contact: str = CONTACT) -> Messy:
    """A county ledger: title, 填报单位, two-row header (责任单位 over 牵头|配合), section rows,
    measures "1.…\\n2.…" in one cell, a 包案人员 column, a row with a 序号 but no description, a footer."""
    sheet = SheetSpec("整改台账")
    width = len(HEADER)
    sheet.merge(0, 0, 0, width - 1, "青溪县第二轮省生态环境保护督察反馈问题整改落实情况台账")
    sheet.row(1, ["填报单位:青溪县整改办(盖章)", "", "", "", "", "", "", "填报时间:2024年3月5日"])
    sheet.row(2, HEADER)
    sheet.row(3, ["", "", "牵头单位", "配合单位"])
    for col in [0, 1, *range(4, width)]:
        sheet.merge(2, col, 3, col)
    sheet.merge(2, 2, 2, 3)
    row, kind = 4, None
    for spec in tasks:
        if spec.kind is not kind:
            sheet.merge(row, 0, row, width - 1, SECTION_ROWS[spec.kind])
            row, kind = row + 1, spec.kind
        measures = "\n".join(f"{i}.{text}" for i, text in enumerate(spec.measures, 1))
        sheet.row(
            row,
            [int(spec.seq), spec.description, "、".join(spec.lead), "、".join(spec.cooperating), spec.leader,
             spec.deadline, measures, spec.progress, spec.status_word, contact],
        )  # fmt: skip
        row += 1
    refused_row = row
    sheet.row(row, [99, "", "县水利局", "", "", "2024年底前"])
    sheet.row(row + 2, ["填报人:李华", "", "", "审核人:王强", "", "联系电话:0571-88888888"])
    write_xlsx(path, [sheet])
    return Messy(path, tasks, refused_row + 1, HEADER.index("包案人员"))


def specs(n: int = 6, seed: int = 11) -> list[TaskSpec]:
    return sample_tasks(n, seed=seed, kinds=(K.SPECIFIC, K.PETITION), max_measures=3)


@pytest.fixture
def messy(tmp_path: Path) -> Messy:
    return messy_workbook(tmp_path / "青溪县台账.xlsx", specs())


@pytest.fixture
def wizard_for(qtbot: Any, ledger: Ledger, boxes: Boxes) -> Iterator[Any]:
    """Opens the wizard on the empty test ledger, the file already chosen."""
    made: list[ImportWizard] = []

    def make(path: Path | None = None) -> ImportWizard:
        wizard = ImportWizard(ledger, path=path)
        qtbot.addWidget(wizard)
        wizard.show()
        made.append(wizard)
        return wizard

    yield make


def snapshot(ledger: Ledger) -> tuple[Any, ...]:
    """What a clerk would see of the ledger: its tasks, rounds and units."""
    tasks = [(t.seq, t.kind, t.description) for t in ledger.queries.list_tasks(TaskFilter())]
    return (
        tasks,
        [r.name for r in ledger.directory.list_rounds()],
        [u.name for u in ledger.directory.list_units()],
    )


def next_page(wizard: QWizard) -> None:
    button = wizard.button(
        QWizard.WizardButton.CommitButton
        if wizard.currentPage().isCommitPage()
        else QWizard.WizardButton.NextButton
    )
    assert button.isEnabled(), wizard.currentPage().title()
    button.click()


def to_report(wizard: ImportWizard, *, new_round: str | None = None) -> None:
    assert wizard.currentId() == PAGE_FILE
    next_page(wizard)
    assert wizard.currentId() == PAGE_MAPPING
    next_page(wizard)
    assert wizard.currentId() == PAGE_REPORT
    page = wizard.report_page
    if new_round is not None:
        page.round_combo.setCurrentIndex(page.round_combo.findData(NEW_ROUND))
        page.new_name_edit.setText(new_round)


def import_now(wizard: ImportWizard) -> None:
    assert wizard.currentId() == PAGE_REPORT
    next_page(wizard)
    assert wizard.currentId() == PAGE_RESULT, wizard.report_page.ready_label.text()


def issue_rows(wizard: ImportWizard) -> list[list[str]]:
    model = wizard.report_page.issues_model
    return [[model.cell(r, c) for c in range(model.columnCount())] for r in range(model.rowCount())]


# -- a good workbook all the way ------------------------------------------------------------------
def test_good_workbook_walks_into_the_ledger(
    wizard_for: Any, ledger: Ledger, messy: Messy, boxes: Boxes
) -> None:
    wizard = wizard_for(messy.path)
    page = wizard.file_page
    assert page.isComplete() and "整改台账" in page.sheet_combo.currentText()
    assert wizard.plan is not None and len(wizard.plan.tasks) == len(messy.tasks)
    to_report(wizard)
    report = wizard.report_page
    # An empty ledger: the only choice is a new round, named after the title.
    assert report.round_combo.currentData() == NEW_ROUND
    assert report.new_name_edit.text() == "第二轮省生态环境保护督察"
    assert report.target().level is RoundLevel.PROVINCIAL
    report.date_edit.setDate(date(2024, 3, 31))
    report.refresh_diff()
    assert report.diff is not None and len(report.diff.created) == len(messy.tasks)
    units = {u for t in messy.tasks for u in (*t.lead, *t.cooperating)}
    assert set(report.diff.units_created) == units
    import_now(wizard)
    assert boxes.texts("question")  # the refused row was pointed out before importing

    rows = ledger.queries.list_tasks(TaskFilter())
    assert len(rows) == len(messy.tasks)
    [info] = ledger.directory.list_rounds()
    assert (info.name, info.level, info.task_count) == (
        "第二轮省生态环境保护督察",
        RoundLevel.PROVINCIAL,
        len(rows),
    )
    spec = max(messy.tasks, key=lambda t: len(t.measures))
    row = next(r for r in rows if r.seq == spec.seq and r.kind.section is spec.kind.section)
    record = ledger.records.task_record(row.id)
    assert record.description == spec.description
    assert [m.text for m in record.measures] == spec.measures
    assert (record.lead_units, record.cooperating_units) == (spec.lead, spec.cooperating)
    if spec.progress:
        assert [(p.date, p.text) for p in record.progress] == [(date(2024, 3, 31), spec.progress)]
    result = wizard.result
    assert result is not None and result.backup is not None and result.backup.exists()
    assert str(result.backup) in wizard.result_page.backup_label.text()
    assert f"新增 {len(messy.tasks)} 项" in wizard.result_page.result_label.text()
    assert not wizard.button(QWizard.WizardButton.BackButton).isVisible()


def test_sheet_combo_lists_every_sheet_and_preselects_the_ledger(wizard_for: Any, tmp_path: Path) -> None:
    summary = SheetSpec("汇总")
    summary.row(0, ["责任单位", "任务数", "完成率"])
    summary.row(1, ["县住建局", 3, 0.5])
    ledger_sheet = SheetSpec("3月台账")
    ledger_sheet.row(0, ["序号", "问题描述", "责任单位", "整改时限"])
    ledger_sheet.row(1, [1, "污水处理厂超负荷运行", "县住建局", "2024年6月底前"])
    path = write_xlsx(tmp_path / "two.xlsx", [summary, ledger_sheet])
    wizard = wizard_for(path)
    combo = wizard.file_page.sheet_combo
    assert [combo.itemData(i) for i in range(combo.count())] == ["汇总", "3月台账"]
    assert combo.currentData() == "3月台账" and "匹配度" in combo.currentText()
    # The summary sheet is refused with its reason; the clerk can go back to the ledger sheet.
    combo.setCurrentIndex(0)
    combo.activated.emit(0)
    assert not wizard.file_page.isComplete()
    assert "不像整改台账" in wizard.file_page.status_text
    combo.setCurrentIndex(1)
    combo.activated.emit(1)
    assert wizard.file_page.isComplete() and wizard.plan is not None and wizard.plan.sheet == "3月台账"


# -- correcting the mapping ------------------------------------------------------------------------
def test_correcting_a_column_reads_the_plan_again(wizard_for: Any, ledger: Ledger, messy: Messy) -> None:
    wizard = wizard_for(messy.path)
    next_page(wizard)
    mapping = wizard.mapping_page
    contact = messy.contact_column
    leader_column = HEADER.index("责任领导")
    assert mapping.field_of(contact) == "" and mapping.field_of(leader_column) == "leader"
    first = messy.tasks[0]
    assert wizard.plan is not None and f"包案人员:{CONTACT}" in wizard.plan.tasks[0].note
    row = [mapping.table.item(r, 1).text() for r in range(mapping.table.rowCount())].index("包案人员")
    assert "记入备注" in mapping.table.item(row, 3).text()

    # The clerk says 包案人员 is the responsible leader: the old 责任领导 column gives way to it.
    mapping.set_field(contact, "leader")
    plan = wizard.plan
    assert wizard.overrides == {contact: "leader"}
    assert [t.leader for t in plan.tasks] == [CONTACT] * len(messy.tasks)
    assert mapping.field_of(leader_column) == ""
    assert f"责任领导:{first.leader}" in plan.tasks[0].note
    assert CONTACT in mapping.table.item(row, 3).text()

    # 忽略: the column's text is dropped, not noted.
    mapping.set_field(contact, IGNORE)
    assert all("包案人员" not in t.note for t in wizard.plan.tasks)
    assert [t.leader for t in wizard.plan.tasks] == [t.leader for t in messy.tasks]
    next_page(wizard)
    import_now(wizard)
    record = ledger.records.task_record(ledger.queries.list_tasks(TaskFilter())[0].id)
    assert "包案人员" not in record.note and record.leader == first.leader


def test_setting_a_recognised_column_aside_sends_its_text_to_the_note(wizard_for: Any, messy: Messy) -> None:
    wizard = wizard_for(messy.path)
    next_page(wizard)
    mapping = wizard.mapping_page
    leader_column = HEADER.index("责任领导")
    first = messy.tasks[0]
    # The clerk first takes 责任领导 for a deadline, then decides its text belongs in 备注: the
    # column must not fall back to what the reader guessed (责任领导).
    mapping.set_field(leader_column, "deadline")
    mapping.set_field(leader_column, NOTE)
    assert wizard.overrides == {leader_column: NOTE}
    assert mapping.field_of(leader_column) == NOTE
    plan = wizard.plan
    assert plan is not None and all(t.leader == "" for t in plan.tasks)
    assert f"责任领导:{first.leader}" in plan.tasks[0].note
    # 整改时限 is read from its own column again.
    assert [t.deadline.date for t in plan.tasks] == [t.deadline_date for t in messy.tasks]


def test_a_conflicting_correction_keeps_the_mapping_in_force(wizard_for: Any, messy: Messy) -> None:
    wizard = wizard_for(messy.path)
    next_page(wizard)
    mapping = wizard.mapping_page
    mapping.set_field(messy.contact_column, "deadline")
    assert wizard.overrides == {messy.contact_column: "deadline"}
    # Setting a second column to the same field moves the correction rather than failing.
    mapping.set_field(HEADER.index("整改进展"), "deadline")
    assert wizard.overrides == {HEADER.index("整改进展"): "deadline"}
    assert mapping.field_of(messy.contact_column) == ""
    assert mapping.isComplete()


# -- the report ------------------------------------------------------------------------------------
def test_refused_row_is_listed_with_its_row_and_reason(wizard_for: Any, messy: Messy) -> None:
    wizard = wizard_for(messy.path)
    to_report(wizard)
    refused = [r for r in issue_rows(wizard) if r[0] == "拒绝"]
    assert [(r[1], r[2]) for r in refused] == [("整改台账", str(messy.refused_row))]
    assert refused[0][4]  # a reason in words
    assert "(1 行 /" in wizard.report_page.tabs.tabText(2)
    assert "拒绝的 1 行不会导入" in wizard.report_page.ready_label.text()
    # Sorting by row puts the rows in sheet order.
    view = wizard.report_page.issues_view
    view.sortByColumn(2, Qt.SortOrder.DescendingOrder)
    numbers = [int(r[2]) for r in issue_rows(wizard) if r[2]]
    assert numbers == sorted(numbers, reverse=True)


def test_export_report_as_csv_and_text(
    wizard_for: Any, messy: Messy, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    wizard = wizard_for(messy.path)
    to_report(wizard, new_round="第二轮省督察")
    for name, chosen in (("报告.csv", "CSV 表格 (*.csv)"), ("报告", "文本文件 (*.txt)")):
        target = tmp_path / name
        monkeypatch.setattr(
            QFileDialog, "getSaveFileName", staticmethod(lambda *a, t=target, c=chosen, **k: (str(t), c))
        )
        wizard.report_page.export_button.click()
    with (tmp_path / "报告.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert ["检查", "拒绝", "整改台账", str(messy.refused_row)] == rows[-1][:4] or any(
        r[:4] == ["检查", "拒绝", "整改台账", str(messy.refused_row)] for r in rows
    )
    assert sum(1 for r in rows if r[:2] == ["比对", "新增"]) == len(messy.tasks)
    text = (tmp_path / "报告.txt").read_text(encoding="utf-8-sig")
    assert f"第{messy.refused_row}行" in text and "第二轮省督察(新建)" in text


def test_a_monthly_report_of_several_rounds_goes_back_into_its_rounds(
    wizard_for: Any, ledger: Ledger, demo_ledger: Ledger, tmp_path: Path
) -> None:
    report = tmp_path / "月报.xlsx"
    demo_ledger.reports.export_monthly_report(report, year=2026, month=10)
    rounds = {r.name: r.task_count for r in demo_ledger.directory.list_rounds()}
    wizard = wizard_for(report)
    to_report(wizard)
    page = wizard.report_page
    diff = page.diff
    assert diff is not None and {r.name: r.created for r in diff.rounds} == rounds
    assert f"{len(rounds)} 个督察批次" in page.diff_label.text()
    tree = page.diff_tree
    assert tree.topLevelItem(0).text(0) == f"督察批次({len(rounds)})"
    import_now(wizard)
    assert {r.name: r.task_count for r in ledger.directory.list_rounds()} == rounds
    assert f"{len(rounds)} 个督察批次" in wizard.result_page.result_label.text()


def test_reimport_reports_nothing_new(wizard_for: Any, ledger: Ledger, messy: Messy) -> None:
    first = wizard_for(messy.path)
    to_report(first)
    import_now(first)
    before = snapshot(ledger)
    again = wizard_for(messy.path)
    to_report(again)
    report = again.report_page
    [info] = ledger.directory.list_rounds()
    assert report.round_combo.currentData() == info.id  # the round named in the title
    diff = report.diff
    assert diff is not None
    assert (len(diff.created), diff.unchanged, diff.changed, diff.missing) == (0, len(messy.tasks), [], [])
    assert "新增 0 项" in report.diff_label.text()
    import_now(again)
    assert snapshot(ledger) == before


def test_a_later_version_lists_changes_and_missing_tasks(
    wizard_for: Any, ledger: Ledger, tmp_path: Path
) -> None:
    tasks = specs()
    first = wizard_for(messy_workbook(tmp_path / "v1.xlsx", tasks).path)
    to_report(first)
    import_now(first)
    changed = tasks[0]
    changed.progress = "已全部完成整改,等待验收。"
    later = messy_workbook(tmp_path / "v2.xlsx", [changed, *tasks[2:]])
    second = wizard_for(later.path)
    to_report(second)
    diff = second.report_page.diff
    label = f"{changed.kind.section.label} {changed.seq}"
    assert diff is not None and (label, ["整改进展"]) in diff.changed
    assert diff.missing == [f"{tasks[1].kind.section.label} {tasks[1].seq}"]
    tree = second.report_page.diff_tree
    tops = [tree.topLevelItem(i).text(0) for i in range(tree.topLevelItemCount())]
    assert "有变化(1)" in tops and "台账中有、文件中没有(1)" in tops


# -- refusals and cancelling -----------------------------------------------------------------------
def test_hostile_file_is_refused_in_chinese_and_the_ledger_untouched(
    wizard_for: Any, ledger: Ledger, messy: Messy, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ledger_app.io.excel_in.workbook import WorkbookRefused, read_ledger_workbook

    fake = tmp_path / "台账.xlsx"
    fake.write_text("这不是Excel文件,只是改了扩展名的文本。\n" * 20, encoding="utf-8")
    with pytest.raises(WorkbookRefused) as refused:
        read_ledger_workbook(fake)
    before, data = snapshot(ledger), ledger.path.read_bytes()
    wizard = wizard_for(fake)
    page = wizard.file_page
    assert refused.value.message_zh in page.status_text and "请选择另一个文件" in page.status_text
    assert not page.isComplete() and not wizard.button(QWizard.WizardButton.NextButton).isEnabled()
    # The clerk picks another file: the page recovers.
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(messy.path), "")))
    page.browse_button.click()
    assert page.isComplete() and page.path == messy.path
    wizard.reject()
    assert snapshot(ledger) == before and ledger.path.read_bytes() == data


@pytest.mark.parametrize("page_id", [PAGE_FILE, PAGE_MAPPING, PAGE_REPORT])
def test_cancel_at_any_page_leaves_the_ledger_unchanged(
    wizard_for: Any, ledger: Ledger, messy: Messy, page_id: int
) -> None:
    ledger.directory.create_round(name="第二轮省生态环境保护督察", level=RoundLevel.PROVINCIAL)
    before, data = snapshot(ledger), ledger.path.read_bytes()
    wizard = wizard_for(messy.path)
    while wizard.currentId() != page_id:
        next_page(wizard)
    if page_id == PAGE_REPORT:
        assert wizard.report_page.diff is not None and len(wizard.report_page.diff.created) == len(
            messy.tasks
        )
    wizard.button(QWizard.WizardButton.CancelButton).click()
    assert not wizard.isVisible()
    assert snapshot(ledger) == before and ledger.path.read_bytes() == data


def test_cancel_during_the_import_leaves_the_ledger_unchanged(
    wizard_for: Any, ledger: Ledger, messy: Messy, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ledger_app.ui import workers

    before = snapshot(ledger)
    wizard = wizard_for(messy.path)
    to_report(wizard, new_round="第三轮中央生态环境保护督察")
    with monkeypatch.context() as patch:
        patch.setattr(workers.TaskHandle, "cancelled", lambda _self: True)  # the clerk pressed 取消
        wizard.button(QWizard.WizardButton.CommitButton).click()
    assert wizard.currentId() == PAGE_REPORT and wizard.result is None
    assert "导入已取消" in wizard.report_page.ready_label.text()
    assert snapshot(ledger) == before  # the new round went away with the import
    # Nothing is stuck: the clerk can import after all.
    wizard.report_page.refresh_diff()
    import_now(wizard)
    assert len(ledger.queries.list_tasks(TaskFilter())) == len(messy.tasks)


# -- the main window: menu action, drop, reload ----------------------------------------------------
def drop_on(widget: Any, path: Path) -> tuple[bool, bool]:
    """Drag ``path`` over ``widget`` and drop it; returns whether the enter and the drop were accepted."""
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    actions = Qt.DropAction.CopyAction
    enter = QDragEnterEvent(
        QPoint(50, 50), actions, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    )
    QApplication.sendEvent(widget, enter)
    drop = QDropEvent(
        QPointF(50, 50), actions, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    )
    QApplication.sendEvent(widget, drop)
    return enter.isAccepted(), drop.isAccepted()


def test_menu_action_and_drop_open_the_wizard(window: Any, messy: Messy, tmp_path: Path) -> None:
    launcher = install(window)
    assert isinstance(launcher, ImportLauncher)
    action = launcher.action
    assert action in window.file_menu.actions() and action.shortcut().toString() == "Ctrl+I"
    assert action.isEnabled()

    other = tmp_path / "notes.txt"
    other.write_text("x", encoding="utf-8")
    assert drop_on(window, other) == (False, False) and launcher.wizard is None

    assert drop_on(window, messy.path) == (True, True)
    wizard = launcher.wizard
    assert wizard is not None and wizard.isVisible()
    assert wizard.file_page.path == messy.path and wizard.file_page.isComplete()
    wizard.reject()
    assert launcher.wizard is None
    action.trigger()
    assert launcher.wizard is not None and launcher.wizard.file_page.path is None
    launcher.wizard.reject()


def test_import_from_the_window_reloads_its_list(window: Any, messy: Messy) -> None:
    launcher = install(window)
    ledger = window.ledger
    before = window.model.rowCount()
    launcher.open_wizard(messy.path)
    wizard = launcher.wizard
    assert wizard is not None
    to_report(wizard)
    # The demo ledger has the round the title names: it is preselected.
    report = wizard.report_page
    assert report.target().name == "第二轮省生态环境保护督察"
    report.round_combo.setCurrentIndex(report.round_combo.findData(NEW_ROUND))
    report.new_name_edit.setText("第四轮区生态环境保护督察")
    import_now(wizard)
    assert (
        window.model.rowCount() == before + len(messy.tasks) == len(ledger.queries.list_tasks(TaskFilter()))
    )
    assert "已从Excel导入" in window.statusBar().currentMessage()
    wizard.button(QWizard.WizardButton.FinishButton).click()
    assert launcher.wizard is None


def test_without_a_ledger_the_wizard_does_not_open(qtbot: Any, ui_settings: Path, boxes: Boxes) -> None:
    from ledger_app.ui.main_window import MainWindow

    win = MainWindow()
    qtbot.addWidget(win)
    launcher = install(win)
    assert not launcher.action.isEnabled()
    assert launcher.open_wizard() is None and boxes.texts("information")


def test_reading_and_importing_run_off_the_ui_thread(
    qtbot: Any, wizard_for: Any, ledger: Ledger, messy: Messy, monkeypatch: pytest.MonkeyPatch
) -> None:
    import threading

    from ledger_app.services.importing import Imports
    from ledger_app.ui import workers

    monkeypatch.setattr(workers, "SYNCHRONOUS", False)  # real worker threads for this test
    threads: list[threading.Thread] = []
    real_read = Imports.read_workbook

    def read(*args: Any, **kwargs: Any) -> Any:
        threads.append(threading.current_thread())
        return real_read(*args, **kwargs)

    monkeypatch.setattr(Imports, "read_workbook", read)
    wizard = wizard_for(messy.path)
    assert wizard.file_page.reading and not wizard.file_page.isComplete()  # not read yet: it is queued
    qtbot.waitUntil(wizard.file_page.isComplete, timeout=10_000)
    assert threads and threading.main_thread() not in threads
    next_page(wizard)
    wizard.mapping_page.set_field(messy.contact_column, IGNORE)
    assert wizard.mapping_page.reading
    qtbot.waitUntil(wizard.mapping_page.isComplete, timeout=10_000)
    assert wizard.overrides == {messy.contact_column: IGNORE}
    next_page(wizard)
    qtbot.waitUntil(wizard.report_page.isComplete, timeout=10_000)
    wizard.report_page.new_name_edit.setText("第二轮省生态环境保护督察")
    next_page(wizard)
    qtbot.waitUntil(lambda: wizard.currentId() == PAGE_RESULT, timeout=10_000)
    assert len(ledger.queries.list_tasks(TaskFilter())) == len(messy.tasks)
    workers.wait_for_all()


def test_the_mapping_shows_what_each_column_gave_the_first_task(wizard_for: Any, tmp_path: Path) -> None:
    # A unit column naming roles itself, and the contact columns: the clerk sees what was read.
    sheet = SheetSpec("台账")
    sheet.row(0, ["序号", "问题描述", "责任单位", "责任人", "联系电话", "是否完成整改"])
    sheet.row(1, [1, "管网混接", "牵头单位：县住建局  配合单位：县水利局", "张三", "13900001111", "是"])
    wizard = wizard_for(write_xlsx(tmp_path / "台账.xlsx", [sheet]))
    next_page(wizard)
    table = wizard.mapping_page.table
    shown = {table.item(r, 1).text(): table.item(r, 3).text() for r in range(table.rowCount())}
    assert shown["责任单位"] == "牵头:县住建局 配合:县水利局"
    assert (shown["责任人"], shown["联系电话"]) == ("张三", "13900001111")
    assert shown["是否完成整改"].endswith("→ 已完成")
