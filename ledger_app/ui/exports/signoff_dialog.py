"""打印销号审批表…: the selected tasks in a list; the clerk may reword 整改落实情况 of each before
预览 / 保存为PDF… / 打印…. The edits go onto the printed form only; the ledger is not changed."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QWidget,
)

from ledger_app.domain.model import TaskStatus
from ledger_app.domain.progress import CancelFn, ProgressFn
from ledger_app.domain.records import TaskRecord
from ledger_app.io.pdf.inputs import (  # not pdf.forms: reportlab loads only when printing
    ProgressChoice,
    default_implementation_text,
)
from ledger_app.services import Ledger
from ledger_app.ui.dialogs.base import FormDialog

from .common import (
    PDF_FILTER,
    ResultBox,
    ask_save_path,
    safe_file_name,
    task_summary,
    temp_pdf_path,
    write_in_worker,
)
from .pdf_preview import show_pdf
from .pdf_print import print_pdf

TITLE = "销号审批表"
TASK_ID_ROLE = Qt.ItemDataRole.UserRole


def units_line(record: TaskRecord) -> str:
    lead = "、".join(record.main_units) or "(未填)"
    cooperating = [u for u in record.cooperating_units if u not in record.main_units]
    return f"牵头单位:{lead}" + (f";配合单位:{'、'.join(cooperating)}" if cooperating else "")


class SignoffDialog(FormDialog):
    """``texts`` holds 整改落实情况 per task id as it will be printed."""

    def __init__(self, ledger: Ledger, records: Sequence[TaskRecord], parent: QWidget | None = None) -> None:
        super().__init__("signoff_dialog", f"打印{TITLE}", parent)
        self.ledger = ledger
        self.records = list(records)
        self.choice = ProgressChoice.ALL
        self.defaults = {r.id: default_implementation_text(r) for r in self.records if r.id is not None}
        self.texts = dict(self.defaults)
        self.result_box: ResultBox | None = None
        self._current: int | None = None
        self.resize(980, 640)

        self.task_list = self.child(QListWidget, "taskList")
        self.title_label = self.child(QLabel, "taskTitleLabel")
        self.info_label = self.child(QLabel, "taskInfoLabel")
        self.edit = self.child(QPlainTextEdit, "implementationEdit")
        self.choice_combo = self.child(QComboBox, "progressChoiceCombo")
        for choice in ProgressChoice:
            self.choice_combo.addItem(choice.label, choice.value)
        self.edited_label = self.child(QLabel, "editedLabel")
        self.reset_button = self.child(QPushButton, "resetButton")
        self.preview_button = self.child(QPushButton, "previewButton")
        self.save_button = self.child(QPushButton, "saveButton")
        self.print_button = self.child(QPushButton, "printButton")
        self.child(QPushButton, "closeButton").clicked.connect(self.reject)
        self.edited_label.setStyleSheet("color: #b06000;")
        title_font = self.title_label.font()
        title_font.setBold(True)
        self.title_label.setFont(title_font)
        self.info_label.setStyleSheet("color: #444;")
        splitter = self.child(QSplitter, "splitter")
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([330, 630])

        count = len(self.records)
        self.child(QLabel, "introLabel").setText(
            f"共 {count} 项任务,每项打印一份{TITLE}。可逐项修改“整改落实情况”;"
            "修改只用于本次打印,不会改动台账。"
        )
        for record in self.records:
            item = QListWidgetItem(f"{record.seq}. {task_summary(record.description, 22)}")
            item.setData(TASK_ID_ROLE, record.id)
            item.setToolTip(
                f"{record.round_name} 序号{record.seq}({record.status.label})\n{record.description[:300]}"
            )
            self.task_list.addItem(item)
        self._show_unaccepted()

        self.task_list.currentRowChanged.connect(self._show_task)
        self.edit.textChanged.connect(self._on_text_changed)
        self.reset_button.clicked.connect(self.reset_current)
        self.choice_combo.currentIndexChanged.connect(
            lambda _index: self.set_progress_choice(ProgressChoice(self.choice_combo.currentData()))
        )
        self.preview_button.clicked.connect(self.preview)
        self.save_button.clicked.connect(self.save_pdf)
        self.print_button.clicked.connect(self.print_forms)
        self.task_list.setCurrentRow(0)

    # -- editing --------------------------------------------------------------------------
    def _record(self, row: int) -> TaskRecord:
        return self.records[row]

    def _show_task(self, row: int) -> None:
        if row < 0:
            return
        record = self._record(row)
        self._current = None  # setPlainText below must not count as an edit of the previous task
        self.title_label.setText(f"{record.round_name} {record.kind.section.label} 序号{record.seq}")
        deadline = record.deadline.text or "(未填)"
        self.info_label.setText(
            f"{units_line(record)}\n整改时限:{deadline}\u3000当前状态:{record.status.label}"
            + (
                f"\u3000验收:{record.acceptance.accepted_on or ''} {record.acceptance.unit}"
                if record.acceptance
                else ""
            )
        )
        self.edit.setPlainText(self.texts.get(record.id, ""))
        self._current = record.id
        self._update_edited()

    def _on_text_changed(self) -> None:
        if self._current is not None:
            self.texts[self._current] = self.edit.toPlainText()
            self._update_edited()

    def _update_edited(self) -> None:
        task_id = self._current
        edited = task_id is not None and self.texts.get(task_id, "") != self.defaults.get(task_id, "")
        self.edited_label.setVisible(edited)
        self.reset_button.setEnabled(edited)
        item = self.task_list.currentItem()
        if item is not None:
            font = item.font()
            font.setItalic(edited)  # the list shows at a glance which forms were reworded
            item.setFont(font)

    def reset_current(self) -> None:
        if self._current is not None:
            self.edit.setPlainText(self.defaults.get(self._current, ""))

    def set_progress_choice(self, choice: ProgressChoice) -> None:
        """Word every text the clerk has not reworded from all progress or from the latest report."""
        if choice is self.choice:
            return
        self.choice = choice
        self.choice_combo.setCurrentIndex(self.choice_combo.findData(choice.value))
        old_defaults = self.defaults
        self.defaults = {
            r.id: default_implementation_text(r, choice) for r in self.records if r.id is not None
        }
        for task_id, text in list(self.texts.items()):
            if text == old_defaults.get(task_id):
                self.texts[task_id] = self.defaults.get(task_id, "")
        row = self.task_list.currentRow()
        if row >= 0:
            self._show_task(row)

    def set_text(self, task_id: int, text: str) -> None:
        """Reword one task's 整改落实情况 (as typing into the box does)."""
        for row, record in enumerate(self.records):
            if record.id == task_id:
                self.task_list.setCurrentRow(row)
                self.edit.setPlainText(text)
                return
        raise KeyError(task_id)

    def implementation_texts(self) -> dict[int, str]:
        """Only the reworded ones: the others print their default, exactly as the CLI would."""
        return {i: t for i, t in self.texts.items() if t != self.defaults.get(i, "")}

    def _show_unaccepted(self) -> None:
        early = [r.seq for r in self.records if r.status.order < TaskStatus.ACCEPTED.order]
        label = self.child(QLabel, "warningLabel")
        if early:
            shown = "、".join(early[:10]) + ("等" if len(early) > 10 else "")
            label.setText(
                f"注意:有 {len(early)} 项任务尚未验收(序号 {shown}),表中“验收情况”一栏将留空,可打印后手写。"
            )
            label.setStyleSheet("color: #b06000;")
        label.setVisible(bool(early))

    # -- output ---------------------------------------------------------------------------
    def default_file_name(self) -> str:
        if len(self.records) == 1:
            record = self.records[0]
            return safe_file_name(f"{TITLE}-{record.seq}-{task_summary(record.description, 24)}", ".pdf")
        return safe_file_name(f"{TITLE}({len(self.records)}项)", ".pdf")

    def _write(self, out: Path, then: Callable[[Path], None]) -> None:
        ids = [r.id for r in self.records if r.id is not None]
        texts = self.implementation_texts()
        choice = self.choice.value

        def work(progress: ProgressFn, cancelled: CancelFn) -> int:
            return self.ledger.forms.write_signoff_forms(
                ids,
                out,
                implementation_texts=texts,
                progress_choice=choice,
                progress=progress,
                cancelled=cancelled,
            )

        write_in_worker(
            self,
            work,
            progress_title=f"正在生成{TITLE}…",
            error_title=f"无法生成{TITLE}",
            on_done=lambda _count: then(out),
        )

    def preview(self) -> None:
        self._write(
            temp_pdf_path(self.default_file_name()),
            lambda path: show_pdf(self, path, title=f"预览 - {TITLE}", save_name=self.default_file_name()),
        )

    def print_forms(self) -> None:
        name = Path(self.default_file_name()).stem
        self._write(
            temp_pdf_path(self.default_file_name()), lambda path: print_pdf(self, path, document_name=name)
        )

    def save_pdf(self) -> None:
        out = ask_save_path(self, f"保存{TITLE}", self.default_file_name(), PDF_FILTER, ".pdf")
        if out is not None:
            self._write(out, self._saved)

    def _saved(self, path: Path) -> None:
        self.result_box = ResultBox(
            self,
            f"保存{TITLE}",
            f"已保存 {len(self.records)} 份{TITLE}:\n{path}",
            path,
            extra=[("预览", lambda: show_pdf(self, path, title=f"预览 - {TITLE}"))],
        )
        self.result_box.open()
