"""文件 → 导出整改落实情况报告…: pick the round and the date, edit 主要做法 and 下一步工作 (kept in the
ledger for next time), choose the file; ``Ledger.overview.export_progress_report`` writes it in a worker."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from ledger_app.services import Ledger
from ledger_app.ui.date_edit import DateEdit
from ledger_app.ui.errors import show_error
from ledger_app.ui.exports.common import ResultBox, ask_save_path, safe_file_name
from ledger_app.ui.workers import run_task

if TYPE_CHECKING:
    from ledger_app.ui.main_window import MainWindow

DOCX_FILTER = "Word 文档 (*.docx)"


@dataclass(frozen=True, slots=True)
class ReportChoice:
    round_name: str | None
    as_of: date
    practices: str
    next_steps: str


class ProgressReportDialog(QDialog):
    def __init__(self, ledger: Ledger, parent: QWidget | None = None, *, round_id: int | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("导出整改落实情况报告")
        self.setObjectName("progressReportDialog")
        self.resize(640, 560)
        settings = ledger.settings.current()
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.round_combo = QComboBox(self)
        self.round_combo.addItem("全部督察批次", None)
        for info in ledger.directory.list_rounds():
            self.round_combo.addItem(info.name, info.name)
            if info.id == round_id:
                self.round_combo.setCurrentIndex(self.round_combo.count() - 1)
        self.date_edit = DateEdit(self)
        self.date_edit.setDate(date.today())
        form.addRow("督察批次:", self.round_combo)
        form.addRow("截至日期:", self.date_edit)
        layout.addLayout(form)
        hint = QLabel(
            "报告中的数字、总体情况句和未销号任务清单由台账生成;下面两部分须由您填写,"
            "留空则在报告中保留“(请填写)”。填写的内容保存在台账中,下次导出时自动带出。",
            self,
        )
        hint.setWordWrap(True)
        layout.addWidget(hint)
        layout.addWidget(QLabel("一、主要做法:", self))
        self.practices_edit = QPlainTextEdit(settings.report_practices, self)
        self.practices_edit.setObjectName("practicesEdit")
        layout.addWidget(self.practices_edit, 1)
        layout.addWidget(QLabel("三、下一步工作:", self))
        self.next_steps_edit = QPlainTextEdit(settings.report_next_steps, self)
        self.next_steps_edit.setObjectName("nextStepsEdit")
        layout.addWidget(self.next_steps_edit, 1)
        self.error_label = QLabel(self)
        self.error_label.setStyleSheet("color: #c62828;")
        layout.addWidget(self.error_label)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.export_button = buttons.addButton("导出…", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.choice: ReportChoice | None = None

    def current_choice(self) -> ReportChoice | None:
        day = self.date_edit.valid_day()
        if day is None:
            self.error_label.setText(f"截至日期不正确:{self.date_edit.error() or '请填写日期'}")
            return None
        return ReportChoice(
            self.round_combo.currentData(),
            day,
            self.practices_edit.toPlainText().strip(),
            self.next_steps_edit.toPlainText().strip(),
        )

    def _accept(self) -> None:
        self.choice = self.current_choice()
        if self.choice is not None:
            self.accept()


def export_progress_report(window: MainWindow) -> None:
    ledger = window.ledger
    if ledger is None:
        return
    dialog = ProgressReportDialog(ledger, window, round_id=window.current_filter().filter.round_id)
    if dialog.exec() != QDialog.DialogCode.Accepted or dialog.choice is None:
        return
    choice = dialog.choice
    name = safe_file_name(f"{choice.round_name or '整改'}落实情况报告{choice.as_of:%Y%m%d}", ".docx")
    out = ask_save_path(window, "保存整改落实情况报告", name, DOCX_FILTER, ".docx")
    if out is None:
        return
    write_report(window, ledger, choice, out)


def write_report(window: QWidget, ledger: Ledger, choice: ReportChoice, out: Path) -> None:
    def work(_progress: object, _cancelled: object) -> Path:
        ledger.overview.export_progress_report(
            out,
            round_name=choice.round_name,
            as_of=choice.as_of,
            practices=choice.practices,
            next_steps=choice.next_steps,
        )
        return out

    def done(path: Path) -> None:
        ResultBox(window, "导出整改落实情况报告", f"已生成整改落实情况报告:\n{path}", path).open()

    run_task(
        window,
        work,
        on_done=done,
        on_error=lambda exc: show_error(window, exc, "无法生成整改落实情况报告"),
        progress_title="正在生成整改落实情况报告…",
    )
