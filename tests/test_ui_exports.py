"""导出月报 and the PDF forms, driven as a clerk would: menus, dialogs, file choosers, preview and print.

File dialogs, the print dialog and the system's "open" are patched to answer; workers run synchronously.
Dates are passed explicitly: the demo ledger's flags are as of 2026-11-23, whatever day the tests run.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

import openpyxl
import pypdf
import pytest
from PySide6.QtCore import QDate, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QDialog, QFileDialog, QToolButton, QWidget

from ledger_app.domain.model import NoticeKind, ProblemKind, RoundLevel, ScheduleFlag
from ledger_app.io.pdf.forms import default_implementation_text
from ledger_app.services import Ledger
from ledger_app.store import fileops
from ledger_app.ui import exports, workers
from ledger_app.ui.exports import batch_dialog, common, forms_actions, pdf_pages, pdf_preview, pdf_print
from ledger_app.ui.exports.batch_dialog import BatchPrintDialog
from ledger_app.ui.exports.common import ResultBox
from ledger_app.ui.exports.monthly_dialog import MonthlyExportDialog, export_monthly
from ledger_app.ui.exports.notice_dialog import NoticeDialog
from ledger_app.ui.exports.pdf_preview import PdfPreviewDialog
from ledger_app.ui.exports.signoff_dialog import SignoffDialog
from ledger_app.ui.main_window import MainWindow
from tests.ui_support import Boxes

TODAY = date(2026, 11, 23)  # the demo ledger's "today"
FORBIDDEN_IN_NAMES = re.compile(r'[<>:"/\\|?*\x00-\x1f]')


def squeeze(text: str) -> str:
    """PDF text without the line breaks and spaces that wrapping puts in."""
    return re.sub(r"\s+", "", text)


def pdf_text(path: Path) -> str:
    return squeeze("".join(page.extract_text() or "" for page in pypdf.PdfReader(path).pages))


def pdf_pages_count(path: Path) -> int:
    return len(pypdf.PdfReader(path).pages)


class Files:
    """Answers QFileDialog: ``save`` / ``folder`` are returned; what the dialogs proposed is recorded."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.save: Path | None = None
        self.folder: Path | None = None
        self.proposed: list[str] = []
        monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(self._save))
        monkeypatch.setattr(QFileDialog, "getExistingDirectory", staticmethod(self._folder))

    def _save(
        self, _parent: object, _title: str, start: str, _filter: str = "", *_a: object
    ) -> tuple[str, str]:
        self.proposed.append(start)
        return (str(self.save) if self.save else "", _filter)

    def _folder(self, _parent: object, _title: str, start: str, *_a: object) -> str:
        self.proposed.append(start)
        return str(self.folder) if self.folder else ""


@pytest.fixture
def files(monkeypatch: pytest.MonkeyPatch) -> Files:
    return Files(monkeypatch)


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """URLs handed to the system ("open with the associated program")."""
    urls: list[str] = []

    def open_url(url: QUrl) -> bool:
        urls.append(url.toLocalFile())
        return True

    monkeypatch.setattr(QDesktopServices, "openUrl", staticmethod(open_url))
    return urls


@pytest.fixture
def host(qtbot: Any, ui_settings: Path, sync_workers: None, boxes: Boxes) -> QWidget:
    """A plain parent for the dialogs that need no main window (much quicker to make than one)."""
    widget = QWidget()
    qtbot.addWidget(widget)
    return widget


@pytest.fixture
def installed(window: MainWindow) -> exports.ExportActions:
    return exports.install(window)


def result_boxes(parent: Any) -> list[ResultBox]:
    return [box for box in parent.findChildren(ResultBox) if box.isVisible()]


def answer_dialog(monkeypatch: pytest.MonkeyPatch, cls: type[QDialog], setup: Any) -> list[Any]:
    """Replace ``cls.exec``: ``setup(dialog)`` plays the clerk, then the dialog's own accept() runs."""
    shown: list[Any] = []

    def fake_exec(self: Any) -> int:
        shown.append(self)
        if setup(self) is not False:
            self.accept()
        return self.result()

    monkeypatch.setattr(cls, "exec", fake_exec)
    return shown


def task_rows_in_sheet(path: Path) -> list[str]:
    ws = openpyxl.load_workbook(path)["台账"]
    return [str(v) for (v,) in ws.iter_rows(min_row=4, max_col=1, values_only=True) if v and str(v).isdigit()]


# -- the actions ----------------------------------------------------------------------------------
def test_install_adds_the_actions_to_menus_toolbar_and_the_list(
    window: MainWindow, installed: exports.ExportActions
) -> None:
    assert installed.monthly in window.file_menu.actions()
    assert installed.monthly.shortcut().toString() == "Ctrl+E"
    assert installed.monthly in window.toolbar.actions()
    for action in (installed.signoff, installed.evaluation, installed.batch, installed.notice):
        assert action in window.ledger_menu.actions()
        assert action.isEnabled()
    assert {installed.signoff, installed.evaluation} <= set(window.table.actions())


def test_form_actions_without_a_selection_ask_for_one(
    window: MainWindow, installed: exports.ExportActions, boxes: Boxes
) -> None:
    window.table.clearSelection()
    installed.signoff.trigger()
    assert boxes.texts("information") and "请先在任务列表中选中" in boxes.texts("information")[0]


# -- 导出月报 --------------------------------------------------------------------------------------
def test_monthly_export_defaults_to_last_month_and_writes_the_workbook(
    window: MainWindow,
    demo_ledger: Ledger,
    files: Files,
    opened: list[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    files.save = tmp_path / "out" / "月报"  # no suffix typed: .xlsx is added
    files.save.parent.mkdir()
    seen = answer_dialog(monkeypatch, MonthlyExportDialog, lambda d: None)
    export_monthly(window, today=TODAY)

    dialog = seen[0]
    assert dialog.month_edit.date() == QDate(2026, 10, 1)
    assert dialog.month_edit.text() == "2026年10月"
    organisation = demo_ledger.settings.current().organisation
    assert Path(files.proposed[0]).name == f"{organisation}2026年10月整改台账.xlsx"
    out = tmp_path / "out" / "月报.xlsx"
    ws = openpyxl.load_workbook(out)["台账"]
    assert ws["A1"].value == f"{organisation}生态环境保护督察反馈问题整改落实情况台账"
    assert "2026年10月" in ws["A2"].value
    assert len(task_rows_in_sheet(out)) == len(demo_ledger.queries.list_tasks())

    box = result_boxes(window)[-1]
    assert str(out) in box.text()
    box.button_labelled("打开所在文件夹").click()
    assert opened[-1] == str(out.parent)
    # The next export starts in the folder this one went to.
    assert common.export_folder() == out.parent


def test_monthly_export_of_the_current_filter_and_one_round(
    window: MainWindow,
    demo_ledger: Ledger,
    files: Files,
    opened: list[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    window.filter_bar.schedule_combo.setCurrentIndex(
        window.filter_bar.schedule_combo.findData(ScheduleFlag.LAGGING)
    )
    visible = window.current_filter().task_ids
    assert 0 < len(visible) < len(demo_ledger.queries.list_tasks())
    files.save = tmp_path / "filtered.xlsx"

    def only_filter(dialog: MonthlyExportDialog) -> None:
        assert f"({len(visible)} 项)" in dialog.only_filter.text()
        dialog.only_filter.setChecked(True)
        assert dialog.count_label.text() == f"将导出 {len(visible)} 项任务。"

    answer_dialog(monkeypatch, MonthlyExportDialog, only_filter)
    export_monthly(window, today=TODAY)
    assert len(task_rows_in_sheet(files.save)) == len(visible)

    rounds = demo_ledger.directory.list_rounds()
    window.filter_bar.reset()
    files.save = tmp_path / "round.xlsx"
    answer_dialog(monkeypatch, MonthlyExportDialog, lambda d: d.round_combo.setCurrentIndex(2))
    export_monthly(window, today=TODAY)
    ws = openpyxl.load_workbook(files.save)["台账"]
    assert rounds[1].name in ws["A1"].value
    assert len(task_rows_in_sheet(files.save)) == rounds[1].task_count


def test_cancelled_export_leaves_no_file(
    window: MainWindow, files: Files, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files.save = tmp_path / "cancelled.xlsx"
    answer_dialog(monkeypatch, MonthlyExportDialog, lambda d: None)
    original = workers.TaskHandle._progress

    def clerk_presses_cancel(self: workers.TaskHandle, done: int, total: int, text: str = "") -> None:
        original(self, done, total, text)
        if done > 10:
            self.cancel()

    monkeypatch.setattr(workers.TaskHandle, "_progress", clerk_presses_cancel)
    export_monthly(window, today=TODAY)
    assert not any(p.suffix == ".xlsx" for p in tmp_path.iterdir())
    assert "已取消" in window.statusBar().currentMessage()
    assert not result_boxes(window)


def test_closing_the_file_chooser_keeps_the_dialog_open(
    host: QWidget, demo_ledger: Ledger, files: Files
) -> None:
    dialog = MonthlyExportDialog(demo_ledger, host, today=TODAY)
    files.save = None
    dialog.export_button.click()
    assert dialog.choice is None and dialog.result() != QDialog.DialogCode.Accepted


def test_a_workbook_open_in_excel_gives_a_clear_message(
    window: MainWindow, files: Files, boxes: Boxes, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files.save = tmp_path / "locked.xlsx"
    answer_dialog(monkeypatch, MonthlyExportDialog, lambda d: None)

    def locked(_src: object, target: object) -> None:
        raise PermissionError(13, "Permission denied", str(target))

    # Every finished file goes into place through store/fileops.py (with its retries for scanners).
    monkeypatch.setattr(fileops.os, "replace", locked)
    export_monthly(window, today=TODAY)
    warnings = boxes.texts("warning")
    assert warnings and "Excel 或 WPS 中打开" in warnings[-1]
    assert "Traceback" not in warnings[-1]
    assert not result_boxes(window)


# -- 销号审批表 ------------------------------------------------------------------------------------
def closed_ids(ledger: Ledger, count: int) -> list[int]:
    ids = ledger.forms.tasks_closed_in(2026, 10)
    assert len(ids) >= count
    return ids[:count]


def test_signoff_prints_the_edited_implementation_text(
    host: QWidget, demo_ledger: Ledger, files: Files, opened: list[str], tmp_path: Path
) -> None:
    ids = closed_ids(demo_ledger, 3)
    records = demo_ledger.records.task_records(ids)
    dialog = SignoffDialog(demo_ledger, records, host)
    assert dialog.edit.toPlainText() == default_implementation_text(records[0])
    assert not dialog.edited_label.isVisible() and not dialog.reset_button.isEnabled()

    edited = "已完成 <b>全部</b> 整改 & 验收;群众满意度98%"
    dialog.task_list.setCurrentRow(1)
    dialog.edit.setPlainText(edited)
    assert dialog.reset_button.isEnabled()
    assert dialog.implementation_texts() == {records[1].id: edited}
    dialog.task_list.setCurrentRow(0)  # moving on keeps the edit
    assert dialog.texts[records[1].id] == edited

    files.save = tmp_path / "审批表.pdf"
    dialog.save_button.click()
    text = pdf_text(files.save)
    assert squeeze(edited) in text
    # The default summarises all progress, one dated line each; a long one runs onto the next page.
    for line in default_implementation_text(records[2]).splitlines():
        assert squeeze(line)[:12] in text
    assert text.count("整改任务销号审批表") >= 3
    assert str(files.save) in dialog.result_box.text()
    dialog.result_box.button_labelled("打开文件").click()
    assert opened[-1] == str(files.save)

    dialog.task_list.setCurrentRow(1)
    dialog.reset_button.click()
    assert dialog.implementation_texts() == {}


def test_signoff_preview_and_print(
    host: QWidget, demo_ledger: Ledger, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    records = demo_ledger.records.task_records(closed_ids(demo_ledger, 2))
    dialog = SignoffDialog(demo_ledger, records, host)
    previews: list[tuple[int, str]] = []

    def fake_exec(self: PdfPreviewDialog) -> int:
        previews.append((self.page_count(), self.save_name))
        return 0

    monkeypatch.setattr(PdfPreviewDialog, "exec", fake_exec)
    dialog.preview_button.click()
    assert previews and previews[0][0] >= 2 and previews[0][1] == dialog.default_file_name()

    printed = tmp_path / "printed.pdf"

    def pdf_printer(name: str) -> QPrinter:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(printed))
        printer.setFullPage(True)
        return printer

    monkeypatch.setattr(pdf_print, "make_printer", pdf_printer)
    monkeypatch.setattr(QPrintDialog, "exec", lambda self: QDialog.DialogCode.Accepted)
    dialog.print_button.click()
    assert pdf_pages_count(printed) == previews[0][0]
    # The printed pages are images of the forms, at A4.
    page = pypdf.PdfReader(printed).pages[0]
    assert abs(float(page.mediabox.width) - 595.3) < 2 and abs(float(page.mediabox.height) - 841.9) < 2


def test_signoff_from_the_list_selection(
    window: MainWindow, installed: exports.ExportActions, demo_ledger: Ledger, monkeypatch: pytest.MonkeyPatch
) -> None:
    ids = closed_ids(demo_ledger, 2)
    window.filter_bar.reset()
    assert window.select_task(ids[0]) and window.select_task(ids[1], clear=False)
    shown = answer_dialog(monkeypatch, SignoffDialog, lambda d: False)
    installed.signoff.trigger()
    assert [r.id for r in shown[0].records] == sorted(
        ids, key=[r.id for r in demo_ledger.queries.list_tasks()].index
    )
    assert shown[0].task_list.count() == 2


def test_evaluation_reports_for_the_selection_are_previewed(
    window: MainWindow, installed: exports.ExportActions, demo_ledger: Ledger, monkeypatch: pytest.MonkeyPatch
) -> None:
    ids = closed_ids(demo_ledger, 2)
    window.select_task(ids[0])
    window.select_task(ids[1], clear=False)
    shown: list[tuple[Path, str | None]] = []
    monkeypatch.setattr(
        forms_actions, "show_pdf", lambda _p, path, title="", save_name=None: shown.append((path, save_name))
    )
    installed.evaluation.trigger()
    path, save_name = shown[0]
    assert pdf_text(path).count("整改任务销号评估报告") >= 2
    assert save_name == "销号评估报告(2项).pdf"


# -- 本月销号任务批量打印 ------------------------------------------------------------------------------
def test_batch_one_file_per_task_with_windows_safe_names(
    window: MainWindow,
    demo_ledger: Ledger,
    files: Files,
    opened: list[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    ids = demo_ledger.forms.tasks_closed_in(2026, 10)
    demo_ledger.tasks.update_task(ids[0], description='排污口 A/B:C*"问题"? <整改> | 未完成\n第二段')
    files.folder = tmp_path / "forms"
    files.folder.mkdir()

    def per_task(dialog: BatchPrintDialog) -> None:
        assert dialog.month_edit.text() == "2026年10月"
        assert f"共 {len(ids)} 项" in dialog.count_label.text()
        dialog.per_task_radio.setChecked(True)

    answer_dialog(monkeypatch, BatchPrintDialog, per_task)
    forms_actions.batch_print(window, today=date(2026, 10, 20))

    written = sorted(p.name for p in files.folder.iterdir())
    assert len(written) == len(ids)
    rows = {r.id: r for r in demo_ledger.queries.list_tasks()}
    for name in written:
        assert name.endswith(".pdf") and not FORBIDDEN_IN_NAMES.search(name)
    first = next(n for n in written if "排污口" in n)
    assert first.startswith(f"{rows[ids[0]].seq}-排污口") and "第二段" not in first
    assert pdf_pages_count(files.folder / first) >= 1
    assert result_boxes(window)[-1].open_button.text() == "打开文件夹"


def test_batch_into_one_pdf_and_a_month_without_closures(
    window: MainWindow,
    demo_ledger: Ledger,
    files: Files,
    opened: list[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    ids = demo_ledger.forms.tasks_closed_in(2026, 10)
    files.save = tmp_path / "batch.pdf"
    answer_dialog(monkeypatch, BatchPrintDialog, lambda d: d.form_combo.setCurrentIndex(1))
    forms_actions.batch_print(window, today=date(2026, 10, 20))
    assert pdf_text(files.save).count("整改任务销号评估报告") >= len(ids)
    assert Path(files.proposed[-1]).name.endswith("2026年10月销号任务销号评估报告.pdf")

    dialog = BatchPrintDialog(demo_ledger, window, today=date(2026, 11, 5))
    assert "没有销号的任务" in dialog.count_label.text()
    assert not dialog.start_button.isEnabled()


def test_cancelled_batch_removes_the_files_it_made(demo_ledger: Ledger, tmp_path: Path) -> None:
    folder = tmp_path / "forms"
    folder.mkdir()
    calls = {"n": 0}

    def cancel_after_two() -> bool:
        calls["n"] += 1
        return calls["n"] > 2

    rows = [
        r
        for r in demo_ledger.queries.list_tasks()
        if r.id in set(demo_ledger.forms.tasks_closed_in(2026, 10))
    ]
    items = [(r.id, folder / n) for r, n in zip(rows, batch_dialog.per_task_names(rows), strict=True)]
    with pytest.raises(Exception) as caught:
        batch_dialog.write_per_task(
            demo_ledger, items, batch_dialog.FormKind.SIGNOFF, lambda *a: None, cancel_after_two
        )
    assert type(caught.value).__name__ == "CancelledError"
    assert calls["n"] == 3 and list(folder.iterdir()) == []


# -- 督办单 / 提醒函 -----------------------------------------------------------------------------------
def lagging_unit_ledger(ledger: Ledger) -> dict[str, int]:
    """县住建局 leads two lagging tasks, one due soon and one on schedule (as of TODAY, 2026-11-23);
    lagging tasks of other units, and one it only answers for under another lead, do not count."""
    round_id = ledger.directory.create_round(name="第二轮中央生态环境保护督察", level=RoundLevel.CENTRAL)
    tasks = [
        ("1", "2026年6月底前", ["县住建局"], []),  # 滞后
        ("2", "2026年10月底前", ["县住建局", "城关镇"], []),  # 滞后
        ("3", "2026年12月1日", ["县住建局"], []),  # 临期: 8 days left
        ("4", "2027年6月底前", ["县住建局"], []),  # 序时推进
        ("5", "2026年6月底前", ["县水利局"], []),  # 滞后, another unit
        ("6", "2026年6月底前", ["县城管局"], ["县住建局"]),  # 滞后, led by another unit
    ]
    return {
        seq: ledger.tasks.create_task(
            round_id=round_id,
            kind=ProblemKind.SPECIFIC,
            seq=seq,
            description=f"问题{seq}:城区污水管网未全覆盖",
            deadline=deadline,
            lead_units=lead,
            responsible_units=responsible,
        )
        for seq, deadline, lead, responsible in tasks
    }


def test_notice_numbers_follow_each_other(
    host: QWidget, ledger: Ledger, files: Files, opened: list[str], tmp_path: Path
) -> None:
    ids = lagging_unit_ledger(ledger)
    dialog = NoticeDialog(ledger, host, today=TODAY, unit="县住建局")
    assert dialog.unit() == "县住建局" and dialog.kind() is NoticeKind.SUPERVISION_ORDER
    assert dialog.reply_by() == date(2026, 11, 30)
    assert dialog.unit_counts("县住建局") == (2, 1)
    assert "滞后 2 项" in dialog.counts_label.text() and "临期 1 项" in dialog.counts_label.text()
    assert "将列出 2 项任务" in dialog.counts_label.text()
    assert dialog.table.rowCount() == 2
    expected = [ids["1"], ids["2"]]
    assert ledger.forms.notice_candidates("县住建局", NoticeKind.SUPERVISION_ORDER, today=TODAY) == expected

    files.save = tmp_path / "督办1.pdf"
    dialog.issue_button.click()
    assert "督办〔2026〕1号" in dialog.result_label.text()
    assert "督办〔2026〕1号" in pdf_text(files.save)
    assert str(files.save) in dialog.result_box.text()

    files.save = tmp_path / "督办2.pdf"
    dialog.issue_button.click()
    assert "督办〔2026〕2号" in dialog.result_label.text()
    assert [n.number for n in dialog.issued] == ["督办〔2026〕1号", "督办〔2026〕2号"]


def test_notice_dates_kind_and_unknown_units(host: QWidget, demo_ledger: Ledger) -> None:
    dialog = NoticeDialog(demo_ledger, host, today=TODAY)
    dialog.issued_edit.setDate(QDate(2026, 12, 1))
    assert dialog.reply_by() == date(2026, 12, 8)  # follows the issue date until set by hand
    dialog.reply_edit.setDate(QDate(2026, 12, 20))
    dialog.issued_edit.setDate(QDate(2026, 12, 2))
    assert dialog.reply_by() == date(2026, 12, 20)

    dialog.kind_combo.setCurrentIndex(1)
    assert dialog.kind() is NoticeKind.REMINDER
    dialog.unit_combo.setEditText("没有这个单位")
    assert "单位名录中没有" in dialog.counts_label.text()
    assert not dialog.issue_button.isEnabled()
    # Only units that have something to write about are offered by default.
    offered = {dialog.unit_combo.itemText(i) for i in range(dialog.unit_combo.count())}
    assert offered and len(offered) < len(demo_ledger.directory.list_units())
    dialog.only_needing.setChecked(False)
    assert dialog.unit_combo.count() == len(demo_ledger.directory.list_units())


# -- the preview ------------------------------------------------------------------------------------
def test_preview_renders_every_page_and_frees_far_ones(
    host: QWidget, demo_ledger: Ledger, tmp_path: Path, qtbot: Any
) -> None:
    ids = demo_ledger.forms.tasks_closed_in(2026, 10)
    path = tmp_path / "forms.pdf"
    demo_ledger.forms.write_signoff_forms(ids, path)
    pages = pdf_pages_count(path)
    dialog = PdfPreviewDialog(path, host)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.page_count() == pages == len(dialog.page_widgets)
    seen = set()
    for index in range(pages):
        dialog.scroll_to_page(index)
        image = dialog.page_widgets[index].pixmap().toImage()
        assert not image.isNull()
        # Ink on the page: some pixels of a row through the title are dark.
        assert any(
            image.pixelColor(x, y).lightness() < 128
            for y in range(0, image.height(), 7)
            for x in range(0, image.width(), 7)
        )
        seen.add(index)
        assert len(dialog.rendered_pages()) <= 2 * pdf_preview.KEEP_AROUND + 3
    assert seen == set(range(pages))
    assert f"共 {pages} 页" in dialog.page_label.text()

    dialog.zoom_combo.setCurrentIndex(dialog.zoom_combo.findText("100%"))
    width_pt = dialog.pages.sizes[0][0]
    assert abs(dialog.page_widgets[0].width() - width_pt * dialog.logicalDpiY() / 72) <= 1
    dialog.child(QToolButton, "zoomInButton").click()
    assert dialog.zoom_combo.currentText() == "125%"
    dialog.close()


def test_without_pdfium_the_system_viewer_opens_the_pdf(
    host: QWidget,
    demo_ledger: Ledger,
    opened: list[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    path = tmp_path / "one.pdf"
    demo_ledger.forms.write_signoff_forms(closed_ids(demo_ledger, 1), path)
    monkeypatch.setattr(pdf_pages, "AVAILABLE", False)
    pdf_preview.show_pdf(host, path)
    assert opened == [str(path)]


def test_issuing_a_notice_offers_to_undo_it(
    window: MainWindow, files: Files, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, qtbot: Any
) -> None:
    files.save = tmp_path / "提醒.pdf"

    def issue_one(dialog: NoticeDialog) -> int:
        dialog.kind_combo.setCurrentIndex(list(NoticeKind).index(NoticeKind.REMINDER))
        dialog.issue_button.click()
        return 0

    monkeypatch.setattr(NoticeDialog, "exec", issue_one)
    dialog = forms_actions.issue_notice(window)
    assert dialog is not None and len(dialog.issued) == 1
    unit = dialog.issued[0].unit
    qtbot.waitUntil(lambda: window.undo_action.text() == f"撤销:发出提醒函:{unit}")
