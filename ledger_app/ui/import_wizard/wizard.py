"""导入Excel台账: the wizard that walks a clerk from an office's workbook to tasks in the ledger.

Pages: 选择文件 (file and sheet) → 核对列 (the header and column mapping, correctable) → 导入报告
(the dry run: what was understood, refused and what will change; target round; 开始导入) → 完成.
The wizard holds the state the pages share; every workbook read and every ledger write runs in a
worker (ui/workers.py), never on the UI thread.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget, QWizard

from ledger_app.io.import_plan import ImportPlan, ImportSummary
from ledger_app.services import ImportResult, Ledger
from ledger_app.ui.layout_fit import FitOnShow
from ledger_app.ui.workers import TaskHandle, run_task

from .file_page import FilePage
from .mapping_page import MappingPage
from .report_page import ReportPage
from .result_page import ResultPage

log = logging.getLogger(__name__)

PAGE_FILE, PAGE_MAPPING, PAGE_REPORT, PAGE_RESULT = range(4)


class ImportWizard(FitOnShow, QWizard):  # 1040×740 does not fit 1280×720 (150 % scaling)
    """``imported(ImportResult)`` fires once the ledger has been written (the window then reloads)."""

    imported = Signal(object)

    def __init__(self, ledger: Ledger, parent: QWidget | None = None, *, path: Path | None = None) -> None:
        super().__init__(parent)
        self.ledger = ledger
        self.baseline: ImportPlan | None = None  # read without column overrides: the reader's own guess
        self.plan: ImportPlan | None = None  # the plan as corrected on the mapping page
        self.overrides: dict[int, str] = {}
        self.result: ImportResult | None = None
        self.busy = False  # the import is writing: the wizard cannot be closed
        self.closed = False
        self._handles: set[TaskHandle] = set()
        self._summary: tuple[ImportPlan, ImportSummary] | None = None

        self.setWindowTitle("导入Excel台账")
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, True)
        self.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage, True)
        # No Qt translation is loaded: the buttons must be named in Chinese here.
        for button, text in (
            (QWizard.WizardButton.BackButton, "< 上一步"),
            (QWizard.WizardButton.NextButton, "下一步 >"),
            (QWizard.WizardButton.CommitButton, "开始导入"),
            (QWizard.WizardButton.FinishButton, "完成"),
            (QWizard.WizardButton.CancelButton, "取消"),
        ):
            self.setButtonText(button, text)
        self.file_page = FilePage(self)
        self.mapping_page = MappingPage(self)
        self.report_page = ReportPage(self)
        self.result_page = ResultPage(self)
        for page_id, page in (
            (PAGE_FILE, self.file_page),
            (PAGE_MAPPING, self.mapping_page),
            (PAGE_REPORT, self.report_page),
            (PAGE_RESULT, self.result_page),
        ):
            self.setPage(page_id, page)
        self.setStartId(PAGE_FILE)
        self.resize(1040, 740)
        if path is not None:
            self.file_page.set_path(Path(path))

    def summary_of(self, plan: ImportPlan) -> ImportSummary:
        """``plan.summary``, computed once per plan: it walks every task (80 ms at 10,000)."""
        if self._summary is None or self._summary[0] is not plan:
            self._summary = (plan, plan.summary)
        return self._summary[1]

    # -- background work ------------------------------------------------------------------
    def run(
        self,
        fn: Callable[[Any, Any], Any],
        *,
        on_done: Callable[[Any], None],
        on_error: Callable[[BaseException], None],
        progress_title: str,
        cancellable: bool = True,
    ) -> TaskHandle:
        """``run_task`` whose results are dropped once the wizard has closed (its pages may be gone)."""
        box: list[TaskHandle] = []

        def deliver(callback: Callable[[Any], None], value: Any) -> None:
            if box:
                self._handles.discard(box[0])
            if not self.closed:
                callback(value)
            elif not self._handles:
                self.deleteLater()

        handle = run_task(
            self,
            fn,
            on_done=lambda result: deliver(on_done, result),
            on_error=lambda exc: deliver(on_error, exc),
            progress_title=progress_title,
            cancellable=cancellable,
        )
        if handle.is_running:
            box.append(handle)
            self._handles.add(handle)
        return handle

    def read_workbook(
        self,
        path: Path,
        *,
        sheet: str | None,
        overrides: dict[int, str] | None,
        on_done: Callable[[ImportPlan], None],
        on_error: Callable[[BaseException], None],
    ) -> TaskHandle:
        ledger = self.ledger
        wanted = dict(overrides or {})

        def work(progress: Any, cancelled: Any) -> ImportPlan:
            return ledger.imports.read_workbook(
                path, sheet=sheet, column_overrides=wanted or None, progress=progress, cancelled=cancelled
            )

        return self.run(work, on_done=on_done, on_error=on_error, progress_title=f"正在读取「{path.name}」…")

    # -- closing --------------------------------------------------------------------------
    def reject(self) -> None:
        if self.busy:  # the import is writing; its progress dialog has 取消
            return
        super().reject()

    def done(self, result: int) -> None:
        if self.busy:
            return
        self.closed = True
        # A 10,000-task plan is large: let it go with the wizard.
        self.baseline = self.plan = None
        self._summary = None
        super().done(result)
        if not self._handles:
            self.deleteLater()
