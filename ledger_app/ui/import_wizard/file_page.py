"""第一步 选择文件: pick the workbook and the sheet; the reader finds the table in a worker.

A refused file (not a workbook, encrypted, broken, no sheet like a ledger) shows its Chinese reason
here and the clerk picks another; nothing reaches the ledger.
"""

from __future__ import annotations

import html
import logging
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QFileDialog, QGroupBox, QLabel, QLineEdit, QPushButton, QWidget

from ledger_app.domain.errors import CancelledError, LedgerError
from ledger_app.io.import_plan import ImportPlan, ImportSummary, SheetScore

from .base import ERROR_STYLE, OK_STYLE, FormPage
from .report_text import rows_text

log = logging.getLogger(__name__)

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls")
FILE_FILTER = "Excel 工作簿 (*.xlsx *.xlsm *.xls);;所有文件 (*)"


def sheet_text(score: SheetScore) -> str:
    """How a sheet is listed: its name, how ledger-like it looked, and why not when it did not."""
    notes = [f"匹配度 {score.score}"]
    if score.header_row:
        notes.append(f"表头第{score.header_row}行")
    if not score.visible:
        notes.append("隐藏")
    if score.note:
        notes.append(score.note)
    return f"{score.name}({','.join(notes)})"


def plan_text(plan: ImportPlan, summary: ImportSummary) -> str:
    text = (
        f"找到台账:工作表「{plan.sheet}」,表头在{rows_text(plan.header_rows)},"
        f"认出 {len(plan.columns)} 列;读到 {summary.tasks} 项任务、{summary.measures} 条整改措施"
    )
    if summary.refused_rows:
        text += f";拒绝 {summary.refused_rows} 行(原因见导入报告)"
    return text + "。"


class FilePage(FormPage):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            "import_file_page",
            "选择Excel台账",
            "选择要导入的文件和工作表。程序会自动找到标题、表头和各列,下一步可以核对。",
            parent,
        )
        self.path_edit = self.child(QLineEdit, "pathEdit")
        self.browse_button = self.child(QPushButton, "browseButton")
        self.sheet_combo = self.child(QComboBox, "sheetCombo")
        self.status_label = self.child(QLabel, "statusLabel")
        self.preamble_label = self.child(QLabel, "preambleLabel")
        self.preview_box = self.child(QGroupBox, "previewBox")
        self.preview_box.hide()
        self.status_label.setTextFormat(Qt.TextFormat.PlainText)  # a file name may contain "<"
        self.path: Path | None = None
        self.reading = False
        self._generation = 0
        self.browse_button.clicked.connect(self.browse)
        self.path_edit.editingFinished.connect(self._path_typed)
        self.sheet_combo.activated.connect(self._sheet_chosen)

    # -- choosing -------------------------------------------------------------------------
    def browse(self) -> None:
        start = str(self.path.parent) if self.path else ""
        name, _filter = QFileDialog.getOpenFileName(self, "选择Excel台账", start, FILE_FILTER)
        if name:
            self.set_path(Path(name))

    def _path_typed(self) -> None:
        text = self.path_edit.text().strip().strip('"')
        if text and (self.path is None or Path(text) != self.path):
            self.set_path(Path(text))

    def set_path(self, path: Path) -> None:
        """Read ``path`` (best sheet first); the sheet list is refilled from what the reader found."""
        self.path = path
        self.path_edit.setText(str(path))
        self.sheet_combo.clear()
        self.sheet_combo.setEnabled(False)
        self.preview_box.hide()
        self._read(None)

    def _sheet_chosen(self, index: int) -> None:
        name = self.sheet_combo.itemData(index)
        plan = self.import_wizard.plan
        if name and (plan is None or name != plan.sheet):
            self._read(name)

    # -- reading --------------------------------------------------------------------------
    def _read(self, sheet: str | None) -> None:
        assert self.path is not None
        wizard = self.import_wizard
        wizard.baseline = wizard.plan = None
        wizard.overrides = {}
        self._generation += 1
        generation = self._generation
        self.reading = True
        self._status(f"正在读取「{self.path.name}」…", "")
        self.completeChanged.emit()
        wizard.read_workbook(
            self.path,
            sheet=sheet,
            overrides=None,
            on_done=lambda plan: self._read_done(generation, plan),
            on_error=lambda exc: self._read_failed(generation, exc),
        )

    def _read_done(self, generation: int, plan: ImportPlan) -> None:
        if generation != self._generation:
            return  # the clerk picked another file or sheet meanwhile
        self.reading = False
        wizard = self.import_wizard
        wizard.baseline = wizard.plan = plan
        self.sheet_combo.clear()
        for score in plan.sheets:
            self.sheet_combo.addItem(sheet_text(score), score.name)
        self.sheet_combo.setCurrentIndex(max(self.sheet_combo.findData(plan.sheet), 0))
        self.sheet_combo.setEnabled(len(plan.sheets) > 1)
        self._status(plan_text(plan, wizard.summary_of(plan)), OK_STYLE)
        if plan.preamble:
            self.preamble_label.setText("<br>".join(html.escape(line) for line in plan.preamble))
            self.preview_box.show()
        else:
            self.preview_box.hide()
        self.completeChanged.emit()

    def _read_failed(self, generation: int, exc: BaseException) -> None:
        if generation != self._generation:
            return
        self.reading = False
        name = self.path.name if self.path else ""
        if isinstance(exc, CancelledError):
            message = "已取消读取。可以重新选择文件。"
        elif isinstance(exc, LedgerError):
            message = exc.message_zh
        else:  # the reader should refuse, never crash: keep the details for the IT helper
            log.error("reading %s failed", self.path, exc_info=(type(exc), exc, exc.__traceback__))
            message = f"无法读取「{name}」:文件可能已损坏,或不是Excel工作簿。"
        self.preview_box.hide()
        self._status(f"{message}\n\n请选择另一个文件。", ERROR_STYLE)
        self.sheet_combo.setEnabled(self.sheet_combo.count() > 1)
        self.completeChanged.emit()

    def _status(self, text: str, style: str) -> None:
        self.status_label.setStyleSheet(style)
        self.status_label.setText(text)

    @property
    def status_text(self) -> str:
        return self.status_label.text()

    def isComplete(self) -> bool:  # noqa: N802 (Qt override)
        return not self.reading and self.import_wizard.plan is not None
