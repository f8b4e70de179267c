"""发督办单/提醒函…: pick a unit (typing any part of its name finds it), the kind, the dates; see the
tasks the letter will list; then the PDF is written and numbered by the ledger (督办〔2026〕N号)."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import QDate, QStringListModel, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from ledger_app.domain.model import NoticeKind, ScheduleFlag
from ledger_app.domain.progress import CancelFn, ProgressFn
from ledger_app.services import Ledger, TaskRow
from ledger_app.services.forms import NOTICE_FLAGS, IssuedNotice
from ledger_app.ui.date_edit import DateEdit
from ledger_app.ui.dialogs.base import FormDialog

from .common import PDF_FILTER, ResultBox, ask_save_path, safe_file_name, task_summary, write_in_worker
from .pdf_preview import show_pdf

KIND_TEXT = {
    NoticeKind.SUPERVISION_ORDER: "督办单(列出滞后的任务)",
    NoticeKind.REMINDER: "提醒函(列出滞后和临期的任务)",
}
REPLY_DAYS = 7


class NoticeDialog(FormDialog):
    """Stays open after issuing, so several units can be written to in one sitting; ``issued`` lists them."""

    def __init__(
        self,
        ledger: Ledger,
        parent: QWidget | None = None,
        *,
        today: date | None = None,
        unit: str | None = None,
    ) -> None:
        super().__init__("notice_dialog", "发督办单/提醒函", parent)
        self.ledger = ledger
        self.issued: list[IssuedNotice] = []
        self.result_box: ResultBox | None = None
        self._rows: dict[int, TaskRow] = {}
        self._all_units = [u.name for u in ledger.directory.list_units()]
        self._reply_follows = True  # until the clerk sets 回复期限 by hand
        self.resize(860, 600)

        self.kind_combo = self.child(QComboBox, "kindCombo")
        self.unit_combo = self.child(QComboBox, "unitCombo")
        self.only_needing = self.child(QCheckBox, "onlyNeedingCheck")
        self.issued_edit = self.child(DateEdit, "issuedOnEdit")
        self.reply_edit = self.child(DateEdit, "replyByEdit")
        self.counts_label = self.child(QLabel, "countsLabel")
        self.table = self.child(QTableWidget, "tasksTable")
        self.result_label = self.child(QLabel, "resultLabel")
        buttons = self.close_buttons()
        self.issue_button: QPushButton = buttons.addButton(
            "生成文书…", QDialogButtonBox.ButtonRole.ActionRole
        )
        self.issue_button.setDefault(True)
        self.issue_button.clicked.connect(self.issue)

        # Items in NoticeKind order; the index is the kind (Qt turns str-enum data into plain str).
        for kind in NoticeKind:
            self.kind_combo.addItem(KIND_TEXT[kind])
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        for column in (0, 2, 3, 4):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self._setup_completer()

        issued_on = self._today = today or date.today()
        self.issued_edit.setDate(issued_on)
        self.reply_edit.setDate(issued_on + timedelta(days=REPLY_DAYS))
        self._load_rows()
        self._fill_units(select=unit)

        self.kind_combo.currentIndexChanged.connect(lambda _i: self._fill_units(select=self.unit()))
        self.only_needing.toggled.connect(lambda _on: self._fill_units(select=self.unit()))
        self.unit_combo.currentTextChanged.connect(lambda _t: self.refresh())
        self.issued_edit.dateChanged.connect(self._on_issued_changed)
        self.reply_edit.dateChanged.connect(self._on_reply_changed)
        self.refresh()

    def _setup_completer(self) -> None:
        # Match anywhere in the name: clerks type "住建", not "区住房和城乡建设局".
        self._names = QStringListModel(self)
        completer = QCompleter(self._names, self)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.unit_combo.setCompleter(completer)
        self._names.setStringList(self._all_units)

    # -- state ----------------------------------------------------------------------------
    def kind(self) -> NoticeKind:
        return list(NoticeKind)[max(self.kind_combo.currentIndex(), 0)]

    def unit(self) -> str:
        return " ".join(self.unit_combo.currentText().split())

    def issued_on(self) -> date:
        """The issue date typed (today's while the field holds no readable day)."""
        return self.issued_edit.valid_day() or self._today

    def reply_by(self) -> date:
        return self.reply_edit.valid_day() or self.issued_on() + timedelta(days=REPLY_DAYS)

    def _dates_problem(self) -> str:
        """Why the letter's dates cannot be used ("" when they can)."""
        for label, edit in (("发文日期", self.issued_edit), ("回复期限", self.reply_edit)):
            if edit.error():
                return f"{label}:{edit.error()}"
        if self.reply_by() < self.issued_on():
            return "回复期限早于发文日期,请检查。"
        return ""

    def _load_rows(self) -> None:
        """Schedule flags depend on the date the letter is issued: read them as of that day."""
        self._rows = {row.id: row for row in self.ledger.queries.list_tasks(today=self.issued_on())}

    def unit_counts(self, unit: str) -> tuple[int, int]:
        """(lagging, due soon) among the open tasks the unit leads (or answers for)."""
        lagging = due_soon = 0
        for row in self._rows.values():
            if unit in row.main_units:
                lagging += row.schedule is ScheduleFlag.LAGGING
                due_soon += row.schedule is ScheduleFlag.DUE_SOON
        return lagging, due_soon

    def _needs_letter(self, unit: str) -> bool:
        flags = NOTICE_FLAGS[self.kind()]
        return any(unit in row.main_units and row.schedule in flags for row in self._rows.values())

    def _fill_units(self, *, select: str | None = None) -> None:
        names = [n for n in self._all_units if not self.only_needing.isChecked() or self._needs_letter(n)]
        self.unit_combo.blockSignals(True)
        self.unit_combo.clear()
        for name in names:
            lagging, due_soon = self.unit_counts(name)
            self.unit_combo.addItem(name)
            self.unit_combo.setItemData(
                self.unit_combo.count() - 1,
                f"滞后 {lagging} 项,临期 {due_soon} 项",
                Qt.ItemDataRole.ToolTipRole,
            )
        self._names.setStringList(names)
        index = self.unit_combo.findText(select) if select else -1
        self.unit_combo.setCurrentIndex(index if index >= 0 else (0 if names else -1))
        if index < 0 and select and not names:
            self.unit_combo.setEditText("")
        self.unit_combo.blockSignals(False)
        self.refresh()

    def _on_issued_changed(self, value: QDate) -> None:
        if value.isNull():
            return  # being typed, or unreadable: the field says why; nothing to follow yet
        if self._reply_follows:
            self.reply_edit.blockSignals(True)
            self.reply_edit.setDate(value.addDays(REPLY_DAYS))
            self.reply_edit.blockSignals(False)
        self._load_rows()
        self._fill_units(select=self.unit())

    def _on_reply_changed(self, _value: QDate) -> None:
        self._reply_follows = False

    # -- the tasks the letter lists -------------------------------------------------------
    def candidates(self) -> list[int]:
        unit = self.unit()
        if unit not in self._all_units:
            return []
        return self.ledger.forms.notice_candidates(unit, self.kind(), today=self.issued_on())

    def refresh(self) -> None:
        unit = self.unit()
        ids = self.candidates()
        self.table.setRowCount(len(ids))
        for r, task_id in enumerate(ids):
            row = self._rows.get(task_id)
            if row is None:
                continue
            cells = [
                row.seq,
                task_summary(row.description, 60),
                row.deadline.text,
                row.status.label,
                row.schedule.label if row.schedule else "",
            ]
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column == 1:
                    item.setToolTip(row.description[:500])
                self.table.setItem(r, column, item)
        if unit not in self._all_units:
            self.counts_label.setText(
                "请选择收文单位。" if not unit else f"单位名录中没有「{unit}」,请从列表中选择。"
            )
        else:
            lagging, due_soon = self.unit_counts(unit)
            what = self.kind().label
            listed = f"本{what}将列出 {len(ids)} 项任务。" if ids else f"没有需要列入{what}的任务。"
            self.counts_label.setText(
                f"「{unit}」牵头(负责)的任务中:滞后 {lagging} 项,临期 {due_soon} 项。{listed}"
            )
        self.issue_button.setEnabled(bool(ids))

    # -- issuing --------------------------------------------------------------------------
    def default_file_name(self) -> str:
        day = self.issued_on()
        return safe_file_name(
            f"{self.unit()}{self.kind().label}({day.year}年{day.month}月{day.day}日)", ".pdf"
        )

    def issue(self) -> None:
        problem = self._dates_problem()
        if problem:
            QMessageBox.warning(self, "无法生成文书", problem)
            return
        unit, kind, issued_on, reply_by = self.unit(), self.kind(), self.issued_on(), self.reply_by()
        out = ask_save_path(self, f"保存{kind.label}", self.default_file_name(), PDF_FILTER, ".pdf")
        if out is None:
            return

        def work(_progress: ProgressFn, _cancelled: CancelFn) -> IssuedNotice:
            return self.ledger.forms.issue_unit_notice(
                unit=unit, kind=kind, out=out, issued_on=issued_on, reply_by=reply_by
            )

        write_in_worker(
            self,
            work,
            progress_title=f"正在生成{kind.label}…",
            error_title=f"无法生成{kind.label}",
            on_done=self._issued,  # type: ignore[arg-type]
        )

    def _issued(self, notice: IssuedNotice) -> None:
        self.issued.append(notice)
        self.result_label.setText(
            f"已生成 {notice.number}(致{notice.unit},{notice.task_count} 项任务):{notice.path}"
        )
        self.result_box = ResultBox(
            self,
            "已生成文书",
            f"已生成 {notice.number},致{notice.unit},列出 {notice.task_count} 项任务:\n{notice.path}",
            notice.path,
            extra=[("预览", lambda: show_pdf(self, notice.path, title=f"预览 - {notice.number}"))],
        )
        self.result_box.open()
