"""本月销号任务批量打印…: every task closed in a month, as one PDF or one file per task in a folder.

Per-task files are named "<序号>-<问题摘要>.pdf", made safe for Windows and unique within the batch.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import Enum
from pathlib import Path

from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QRadioButton,
    QWidget,
)

from ledger_app.domain.errors import CancelledError
from ledger_app.domain.progress import CancelFn, ProgressFn
from ledger_app.services import Ledger, TaskRow
from ledger_app.store.file_names import unique_name, windows_safe_name
from ledger_app.ui.dialogs.base import FormDialog

from ..ask import confirm
from .common import (
    PDF_FILTER,
    ask_folder,
    ask_save_path,
    month_of,
    month_text,
    safe_file_name,
    setup_month_edit,
    task_summary,
)

SUMMARY_CHARS = 40  # of 问题摘要 in a file name: the whole path must stay under Windows' 260


class FormKind(Enum):
    SIGNOFF = "销号审批表"
    EVALUATION = "销号评估报告"

    def write(
        self,
        ledger: Ledger,
        ids: Sequence[int],
        out: Path,
        progress: ProgressFn | None,
        cancelled: CancelFn | None,
    ) -> int:
        if self is FormKind.SIGNOFF:
            return ledger.forms.write_signoff_forms(ids, out, progress=progress, cancelled=cancelled)
        return ledger.forms.write_evaluation_reports(ids, out, progress=progress, cancelled=cancelled)


def per_task_names(rows: Sequence[TaskRow]) -> list[str]:
    """ "12-某某企业违规排污.pdf" for each task, in order; a repeated name gets " (2)"."""
    taken: set[str] = set()
    names = []
    for row in rows:
        name = windows_safe_name(f"{row.seq}-{task_summary(row.description, SUMMARY_CHARS)}.pdf")
        name = unique_name(name, taken)
        taken.add(name.casefold())
        names.append(name)
    return names


def write_per_task(
    ledger: Ledger,
    items: Sequence[tuple[int, Path]],
    form: FormKind,
    progress: ProgressFn,
    cancelled: CancelFn,
) -> list[Path]:
    """One PDF per (task id, path). Cancelled: the files this run created are removed again."""
    written: list[Path] = []
    created: list[Path] = []
    total = len(items)
    try:
        for done, (task_id, path) in enumerate(items):
            if cancelled():
                raise CancelledError()
            progress(done, total, f"正在生成第 {done + 1} 份,共 {total} 份:{path.name}")
            existed = path.exists()
            form.write(ledger, [task_id], path, None, None)
            written.append(path)
            if not existed:
                created.append(path)
    except BaseException:
        for path in created:
            path.unlink(missing_ok=True)
        raise
    progress(total, total, "已完成")
    return written


@dataclass(frozen=True, slots=True)
class BatchChoice:
    form: FormKind
    year: int
    month: int
    rows: list[TaskRow]
    out: Path  # the PDF, or the folder for per-task files
    per_task: bool


class BatchPrintDialog(FormDialog):
    def __init__(self, ledger: Ledger, parent: QWidget | None = None, *, today: date | None = None) -> None:
        super().__init__("batch_print_dialog", "本月销号任务批量打印", parent)
        self.ledger = ledger
        self.choice: BatchChoice | None = None
        self._rows: list[TaskRow] = []
        self._organisation = ledger.settings.current().organisation
        self.resize(620, 520)
        self.month_edit = self.child(QDateEdit, "monthEdit")
        self.form_combo = self.child(QComboBox, "formCombo")
        self.count_label = self.child(QLabel, "countLabel")
        self.task_list = self.child(QListWidget, "taskList")
        self.per_task_radio = self.child(QRadioButton, "perTaskRadio")
        self.one_file_radio = self.child(QRadioButton, "oneFileRadio")
        buttons = self.child(QDialogButtonBox, "buttonBox")
        self.start_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.start_button.setText("生成…")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        for form in FormKind:  # in FormKind order: the index is the form
            self.form_combo.addItem(form.value)
        today = today or date.today()
        setup_month_edit(self.month_edit, today.year, today.month)
        self.month_edit.dateChanged.connect(lambda _d: self.refresh())
        self.refresh()

    def form_kind(self) -> FormKind:
        return list(FormKind)[max(self.form_combo.currentIndex(), 0)]

    def refresh(self) -> None:
        year, month = month_of(self.month_edit)
        ids = set(self.ledger.forms.tasks_closed_in(year, month))
        self._rows = [row for row in self.ledger.queries.list_tasks() if row.id in ids]
        self.task_list.clear()
        for row in self._rows:
            item = QListWidgetItem(f"{row.kind.section.label} {row.seq}. {task_summary(row.description, 30)}")
            item.setToolTip(f"{row.round_name}\n{row.description[:300]}")
            self.task_list.addItem(item)
        when = month_text(year, month)
        self.count_label.setText(
            f"{when}销号的任务共 {len(self._rows)} 项:" if self._rows else f"{when}没有销号的任务。"
        )
        self.start_button.setEnabled(bool(self._rows))

    def accept(self) -> None:
        year, month = month_of(self.month_edit)
        form, per_task = self.form_kind(), self.per_task_radio.isChecked()
        if per_task:
            out = ask_folder(self, f"选择保存{form.value}的文件夹")
        else:
            name = safe_file_name(
                f"{self._organisation}{month_text(year, month)}销号任务{form.value}", ".pdf"
            )
            out = ask_save_path(self, f"保存{form.value}", name, PDF_FILTER, ".pdf")
        if out is None:
            return
        if per_task:
            existing = [n for n in per_task_names(self._rows) if (out / n).exists()]
            if existing:
                question = f"文件夹中已有 {len(existing)} 个同名文件(如“{existing[0]}”)。\n是否用新生成的文件覆盖它们?"
                if not confirm(self, "文件已存在", question):
                    return
        self.choice = BatchChoice(form, year, month, list(self._rows), out, per_task)
        super().accept()
