"""导入整改方案: open a plan file or paste its text, check and correct the tasks read, import them.

The source text is on the left; the tasks read from it on the right (a table the clerk edits in
place), with the selected task's measures and the lines not understood below. Clicking a task marks
the lines it came from. Reading and importing run in workers (ui/workers.py); the import is the
service's all-or-nothing write after a backup (``ledger.imports.import_plan``), as the CLI does it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QTextCharFormat, QTextCursor, QTextFormat
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialogButtonBox,
    QFileDialog,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QTextEdit,
    QWidget,
)

from ledger_app.io.plan import PlanReading
from ledger_app.io.plan.edits import drop_task, merge_tasks, split_task
from ledger_app.services import ImportResult
from ledger_app.services.import_rounds import guess_new_round
from ledger_app.services.importing import result_lines
from ledger_app.services.plan_import import RESULT_SOURCE
from ledger_app.ui.dialogs.base import FormDialog, compact_rows
from ledger_app.ui.workers import run_task

from .tasks_model import COL_DESC, COL_GOAL, PlanTasksModel

FILE_FILTER = "整改方案 (*.docx *.txt);;Word 文档 (*.docx);;文本文件 (*.txt);;所有文件 (*)"
_MARK = QColor("#fff3b0")
_LEFT_OUT = QColor("#8a8a8a")  # furniture and the title block: read, recognised, not a task
_REFUSED = QColor("#b3261e")  # text not understood: listed below, not imported


class PlanImportDialog(FormDialog):
    """``imported(ImportResult)`` once the ledger holds the plan's tasks."""

    imported = Signal(object)

    def __init__(self, ledger: Any, parent: QWidget | None = None, *, path: Path | None = None) -> None:
        super().__init__("plan_import_dialog", "导入整改方案", parent)
        self.ledger = ledger
        self.reading: PlanReading | None = None
        self.result: ImportResult | None = None
        self.report = ""
        self.resize(1280, 720)
        self.source = self.child(QPlainTextEdit, "sourceEdit")
        self.tasks_view = self.child(QTableView, "tasksView")
        self.measures = self.child(QTableWidget, "measuresTable")
        self.issues = self.child(QListWidget, "issuesList")
        self.file_label = self.child(QLabel, "fileLabel")
        self.summary = self.child(QLabel, "summaryLabel")
        self.round_combo = self.child(QComboBox, "roundCombo")
        self.read_button = self.child(QPushButton, "readButton")
        self.merge_button = self.child(QPushButton, "mergeButton")
        self.split_button = self.child(QPushButton, "splitButton")
        self.drop_button = self.child(QPushButton, "dropButton")
        buttons = self.close_buttons()
        self.import_button = buttons.addButton("导入台账", QDialogButtonBox.ButtonRole.ActionRole)
        self.import_button.clicked.connect(self.start_import)
        self.child(QPushButton, "openButton").clicked.connect(self.choose_file)
        self.child(QPushButton, "pasteButton").clicked.connect(self.paste_mode)
        self.read_button.clicked.connect(self.read_pasted)
        self.merge_button.clicked.connect(self.merge_selected)
        self.split_button.clicked.connect(self.split_selected)
        self.drop_button.clicked.connect(self.drop_selected)
        self.issues.itemClicked.connect(self._issue_clicked)

        self.model = PlanTasksModel(self)
        self.tasks_view.setModel(self.model)
        self.tasks_view.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked | QAbstractItemView.EditTrigger.EditKeyPressed
        )
        compact_rows(self.tasks_view)
        header = self.tasks_view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setDefaultSectionSize(110)
        header.resizeSection(0, 48)
        header.resizeSection(COL_DESC, 300)
        header.resizeSection(COL_GOAL, 160)
        self.tasks_view.selectionModel().selectionChanged.connect(self._selection_changed)
        self.model.dataChanged.connect(lambda *_: self._update_summary())
        compact_rows(self.measures)
        self.measures.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.measures.itemSelectionChanged.connect(self._update_buttons)
        splitter = self.child(QSplitter, "mainSplitter")
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        right = self.child(QSplitter, "rightSplitter")
        # The tasks are what the clerk checks: most of the height; measures and issues below.
        for index, stretch in enumerate((6, 3, 2)):
            right.setStretchFactor(index, stretch)
        right.setSizes([460, 220, 150])
        self.read_button.setVisible(False)
        self._fill_rounds()
        self._update_buttons()
        self._update_summary()
        if path is not None:
            self.load_file(Path(path))

    # -- reading ------------------------------------------------------------------------------
    def choose_file(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, "打开整改方案", "", FILE_FILTER)
        if name:
            self.load_file(Path(name))

    def load_file(self, path: Path) -> None:
        ledger = self.ledger
        self.file_label.setText(f"正在读取「{path.name}」…")
        run_task(
            self,
            lambda _p, _c: ledger.imports.read_plan(path=path),
            on_done=lambda reading: self.show_reading(reading, path.name),
            on_error=self._read_failed,
            progress_title=f"正在读取「{path.name}」…",
            cancellable=False,
        )

    def paste_mode(self) -> None:
        self.source.setReadOnly(False)
        self.source.setExtraSelections([])
        self.source.clear()
        self.source.setPlaceholderText("把整改方案的文字粘贴到这里,然后点“读取”。")
        self.read_button.setVisible(True)
        self.file_label.setText("粘贴的文字")
        self.source.setFocus()

    def read_pasted(self) -> None:
        text = self.source.toPlainText()
        if not text.strip():
            QMessageBox.information(self, "导入整改方案", "请先把方案的文字粘贴到左边。")
            return
        ledger = self.ledger
        run_task(
            self,
            lambda _p, _c: ledger.imports.read_plan(text=text),
            on_done=lambda reading: self.show_reading(reading, "粘贴的文字"),
            on_error=self._read_failed,
            progress_title="正在读取粘贴的文字…",
            cancellable=False,
        )

    def _read_failed(self, exc: BaseException) -> None:
        from ledger_app.ui.errors import show_error

        self.file_label.setText("文件未能读取。")
        show_error(self, exc, "无法读取整改方案")

    def show_reading(self, reading: PlanReading, name: str) -> None:
        self.reading = reading
        self.result = None
        self.source.setReadOnly(True)
        self.read_button.setVisible(False)
        self.source.setPlainText(reading.text)
        self._shade_source(reading)
        self.file_label.setText(name)
        self.model.set_tasks(reading.tasks)
        self.issues.clear()
        fresh = self.ledger.imports.new_units(reading)
        if fresh:
            shown = "、".join(fresh[:30]) + ("……" if len(fresh) > 30 else "")
            self.issues.addItem(f"[新单位] 单位名录中还没有这 {len(fresh)} 个单位,导入时将新增:{shown}")
        for found in reading.issues:
            where = f"第{found.row}行" if found.row else "全文"
            kind = "未导入" if found.severity == "refused" else "核对"
            item = QListWidgetItem(f"[{kind}] {where}:{found.reason_zh}")
            item.setData(Qt.ItemDataRole.UserRole, found.row)
            self.issues.addItem(item)
        guessed, _level = guess_new_round(reading)
        if guessed and self.round_combo.findText(guessed) < 0 and not self._has_rounds:
            self.round_combo.setEditText(guessed)
        elif guessed and self.round_combo.findText(guessed) >= 0:
            self.round_combo.setCurrentIndex(self.round_combo.findText(guessed))
        self._show_measures(None)
        self._update_buttons()
        self._update_summary()
        if reading.tasks:
            self.tasks_view.selectRow(0)

    # -- source marks ----------------------------------------------------------------------------
    def _shade_source(self, reading: PlanReading) -> None:
        """Grey the lines left out on purpose (page furniture, title block); red the lines not imported."""
        document = self.source.document()
        left_out = set(reading.skipped)
        preamble = set(reading.preamble)
        refused = {i.row for i in reading.refused if i.row}
        first_task = min((t.rows[0] for t in reading.tasks), default=len(reading.lines) + 1)
        for line in reading.lines:
            color = None
            if line.no in refused:
                color = _REFUSED
            elif line.no in left_out or (line.no < first_task and line.text.strip() in preamble):
                color = _LEFT_OUT
            if color is None:
                continue
            block = document.findBlockByNumber(line.no - 1)
            cursor = QTextCursor(block)
            cursor.select(QTextCursor.SelectionType.BlockUnderCursor)
            form = QTextCharFormat()
            form.setForeground(color)
            cursor.mergeCharFormat(form)

    def mark_lines(self, rows: list[int]) -> None:
        """Mark source lines (1-based) and scroll the first into view."""
        document = self.source.document()
        selections = []
        for row in rows:
            block = document.findBlockByNumber(row - 1)
            if not block.isValid():
                continue
            selection = QTextEdit.ExtraSelection()
            selection.format.setBackground(_MARK)
            selection.format.setProperty(QTextFormat.Property.FullWidthSelection, True)
            cursor = QTextCursor(block)
            cursor.select(QTextCursor.SelectionType.LineUnderCursor)
            selection.cursor = cursor
            selections.append(selection)
        self.source.setExtraSelections(selections)
        if rows:
            block = document.findBlockByNumber(rows[0] - 1)
            if block.isValid():
                self.source.setTextCursor(QTextCursor(block))
                self.source.centerCursor()

    def marked_lines(self) -> list[int]:
        return [s.cursor.blockNumber() + 1 for s in self.source.extraSelections()]

    def _issue_clicked(self, item: QListWidgetItem) -> None:
        row = item.data(Qt.ItemDataRole.UserRole)
        if row:
            self.mark_lines([int(row)])

    # -- selection and edits ----------------------------------------------------------------------
    def selected_rows(self) -> list[int]:
        return sorted({i.row() for i in self.tasks_view.selectionModel().selectedRows()})

    def _selection_changed(self, *_: Any) -> None:
        rows = self.selected_rows()
        if rows:
            task = self.model.tasks[rows[0]]
            self.mark_lines(task.rows)
            self._show_measures(task)
        else:
            self._show_measures(None)
        self._update_buttons()

    def _show_measures(self, task: Any) -> None:
        self.measures.setRowCount(0)
        if task is None:
            return
        self.measures.setRowCount(len(task.measures))
        for row, measure in enumerate(task.measures):
            cells = [
                str(measure.seq),
                "、".join(measure.lead_units),
                "、".join(measure.cooperating_units),
                measure.deadline.text,
                measure.text,
            ]
            for column, text in enumerate(cells):
                item = QTableWidgetItem(" ".join(text.split()))
                item.setToolTip(text[:1000])
                self.measures.setItem(row, column, item)
        self.measures.resizeColumnsToContents()

    def merge_selected(self) -> None:
        rows = self.selected_rows()
        if len(rows) < 2:
            return
        self.model.beginResetModel()
        merge_tasks(self.model.tasks, rows)
        self.model.endResetModel()
        self.tasks_view.selectRow(rows[0])
        self._update_summary()

    def split_selected(self) -> None:
        rows = self.selected_rows()
        at = self.measures.currentRow()
        if len(rows) != 1 or at <= 0:
            return
        self.model.beginResetModel()
        split_task(self.model.tasks, rows[0], at)
        self.model.endResetModel()
        self.tasks_view.selectRow(rows[0] + 1)
        self._update_summary()

    def drop_selected(self) -> None:
        rows = self.selected_rows()
        if not rows:
            return
        self.model.beginResetModel()
        for row in reversed(rows):
            drop_task(self.model.tasks, row)
        self.model.endResetModel()
        if self.model.tasks:
            self.tasks_view.selectRow(min(rows[0], len(self.model.tasks) - 1))
        self._update_summary()

    def _update_buttons(self) -> None:
        rows = self.selected_rows() if self.tasks_view.selectionModel() else []
        self.merge_button.setEnabled(len(rows) >= 2)
        self.split_button.setEnabled(len(rows) == 1 and self.measures.currentRow() > 0)
        self.drop_button.setEnabled(bool(rows))
        self.import_button.setEnabled(bool(self.reading and self.reading.tasks) and self.result is None)

    def _update_summary(self) -> None:
        reading = self.reading
        if reading is None:
            self.summary.setText("")
            return
        s = reading.summary
        self.summary.setText(
            f"任务 {s.tasks} 项,措施 {s.measures} 条,单位 {s.units} 个;时限未能识别 {s.deadlines_not_understood} 项,"
            f"空白 {s.deadlines_empty} 项;未导入的文字 {s.refused_rows} 行,需核对 {s.warnings} 处。"
        )
        self._update_buttons()

    # -- rounds and import -----------------------------------------------------------------------
    def _fill_rounds(self) -> None:
        rounds = self.ledger.directory.list_rounds()
        self._has_rounds = bool(rounds)
        self.round_combo.clear()
        for rnd in rounds:
            self.round_combo.addItem(rnd.name)
        if rounds:
            self.round_combo.setCurrentIndex(len(rounds) - 1)

    def start_import(self) -> None:
        reading = self.reading
        if reading is None or not reading.tasks:
            return
        round_name = self.round_combo.currentText().strip()
        if not round_name:
            QMessageBox.information(self, "导入整改方案", "请选择或输入要导入到的督察批次。")
            return
        ledger = self.ledger
        self.import_button.setEnabled(False)
        run_task(
            self,
            lambda progress, cancelled: ledger.imports.import_plan(
                reading, target=round_name, progress=progress, cancelled=cancelled
            ),
            on_done=self._imported,
            on_error=self._import_failed,
            progress_title=f"正在导入 {len(reading.tasks)} 项任务…",
        )

    def _import_failed(self, exc: BaseException) -> None:
        from ledger_app.domain.errors import CancelledError
        from ledger_app.ui.errors import show_error

        self._update_buttons()
        if not isinstance(exc, CancelledError):
            show_error(self, exc, "导入未完成,台账未做任何修改")

    def _imported(self, result: ImportResult) -> None:
        self.result = result
        self._update_buttons()
        self.report = "\n".join(result_lines(result, source=RESULT_SOURCE))
        self.summary.setText(self.report.splitlines()[0])
        self.imported.emit(result)
        QMessageBox.information(self, "导入完成", self.report)
