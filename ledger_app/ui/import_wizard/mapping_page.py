"""第二步 核对列: the header rows the reader found and what it took each column for, correctable.

Each column has a combo (记入备注, the ledger fields, 忽略);
a change reads the workbook again with ``column_overrides`` in a worker, so the clerk sees at once
what the corrected mapping reads from the first task.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import QComboBox, QHeaderView, QLabel, QTableWidget, QTableWidgetItem, QWidget

from ledger_app.domain.errors import CancelledError, LedgerError
from ledger_app.io.import_plan import FIELD_LABELS, ImportPlan, ParsedTask

from .base import ERROR_STYLE, FormPage
from .report_text import rows_text

log = logging.getLogger(__name__)

IGNORE = "ignore"
NOTE = ""  # not understood: the text goes to 备注 as "列名:值"
NOTE_LABEL = "未识别(内容记入备注)"
NOTE_SET_LABEL = "不导入此项(内容记入备注)"
IGNORE_LABEL = "忽略(不导入)"
SAMPLE_CHARS = 80
COL_LETTER, COL_HEADER, COL_FIELD, COL_SAMPLE = range(4)
NOTE_BRUSH = QBrush(QColor("#fff4d6"))  # the banner's amber: a column to look at
IGNORED_BRUSH = QBrush(QColor("#8a8f98"))


@dataclass(frozen=True, slots=True)
class ColumnRow:
    index: int
    letter: str
    header: str
    field: str  # a FIELD_LABELS key, IGNORE or NOTE
    corrected: bool  # set by the clerk, not guessed
    reason: str = ""


def column_rows(plan: ImportPlan) -> list[ColumnRow]:
    """Every column of the table, understood or not, left to right."""
    rows = [ColumnRow(c.index, c.letter, c.header, c.field, c.source == "override") for c in plan.columns]
    rows += [
        ColumnRow(u.index, u.letter, u.header, IGNORE if u.ignored else NOTE, u.ignored, u.reason)
        for u in plan.unmapped
    ]
    return sorted(rows, key=lambda r: r.index)


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= SAMPLE_CHARS else text[: SAMPLE_CHARS - 1] + "…"


def sample(task: ParsedTask, row: ColumnRow) -> str:
    """What the reader took from this column for ``task``: the clerk's check that the mapping is right."""
    field = row.field
    if field == NOTE:
        prefix = f"{row.header}:" if row.header else ""
        for line in task.note.splitlines():
            if prefix and line.startswith(prefix):
                return _short("(记入备注)" + line[len(prefix) :])
        return ""
    if field == IGNORE:
        return ""
    joined = "、".join
    # A unit column often names its roles itself ("牵头单位:X 配合单位:Y"): show what it gave each.
    by_role = "  ".join(
        f"{label}:{joined(names)}"
        for label, names in (
            ("牵头", task.lead_units),
            ("责任", task.responsible_units),
            ("配合", task.cooperating_units),
        )
        if names
    )
    values: dict[str, str] = {
        "seq": task.seq,
        "description": task.description,
        "units": by_role,
        "lead_units": by_role,
        "responsible_units": by_role,
        "cooperating_units": joined(task.cooperating_units),
        "supervising_units": joined(task.supervising_units),
        "leader": task.leader,
        "contact": task.contact,
        "contact_phone": task.contact_phone,
        "goal": task.goal,
        "progress": task.progress,
        "note": task.note,
        "batch": task.batch,
        "case_no": task.case_no,
        "kind": task.kind.label,
    }
    if field in values:
        return _short(values[field])
    if field == "deadline":
        deadline = task.deadline
        if deadline.is_empty:
            return ""
        if deadline.long_term:
            meaning = "长期坚持"
        elif deadline.date:
            meaning = deadline.date.isoformat()
        else:
            meaning = "未识别,按原文保存"
        return _short(f"{deadline.text} → {meaning}")
    if field == "measures":
        if not task.measures:
            return ""
        return _short(f"共 {len(task.measures)} 条。1. {task.measures[0].text}")
    if field in ("status", "closed_flag", "done_flag"):
        return _short(f"{task.status_raw or '(空白)'} → {task.status.label}")
    return ""


class MappingPage(FormPage):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            "import_mapping_page",
            "核对表头和各列",
            "程序按表头文字认出了下列各列。请对照“读到的内容”核对,认错的列在“导入为”中更正。",
            parent,
        )
        self.header_label = self.child(QLabel, "headerInfoLabel")
        self.table = self.child(QTableWidget, "columnsTable")
        self.plan_label = self.child(QLabel, "planInfoLabel")
        self.header_label.setTextFormat(Qt.TextFormat.PlainText)
        self.plan_label.setTextFormat(Qt.TextFormat.PlainText)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(COL_LETTER, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(COL_HEADER, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(COL_FIELD, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(COL_HEADER, 220)
        header.resizeSection(COL_FIELD, 200)
        self.reading = False
        self._generation = 0
        self._rows: list[ColumnRow] = []
        self.combos: dict[int, QComboBox] = {}  # by column index

    def initializePage(self) -> None:  # noqa: N802 (Qt override)
        self._show(self.import_wizard.plan)

    def cleanupPage(self) -> None:  # noqa: N802 (Qt override)
        # Back to the file page: a re-read still under way must not land on another file's plan.
        self._generation += 1
        self.reading = False
        self.table.setEnabled(True)

    # -- showing --------------------------------------------------------------------------
    def _show(self, plan: ImportPlan | None, error: str = "") -> None:
        if plan is None:
            return
        self.header_label.setText(
            f"工作表「{plan.sheet}」:表头在{rows_text(plan.header_rows)}"
            + (f";标题:{plan.title}" if plan.title else "")
        )
        baseline = self.import_wizard.baseline or plan
        guessed = {r.index: r.field for r in column_rows(baseline)}
        first = plan.tasks[0] if plan.tasks else None
        self._rows = column_rows(plan)
        self.combos = {}
        self.table.setRowCount(len(self._rows))
        bold = QFont(self.font())
        bold.setBold(True)
        for position, row in enumerate(self._rows):
            letter = QTableWidgetItem(row.letter)
            letter.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
            self.table.setItem(position, COL_LETTER, letter)
            header = QTableWidgetItem(" ".join(row.header.split()) or "(无列名)")
            header.setToolTip(row.header or row.reason)
            self.table.setItem(position, COL_HEADER, header)
            combo = self._combo(row, guessed.get(row.index, NOTE))
            if row.corrected:
                combo.setFont(bold)
                combo.setToolTip("已更正(程序原来认作:" + _field_label(guessed.get(row.index, NOTE)) + ")")
            elif row.reason:
                combo.setToolTip(row.reason)
            self.table.setCellWidget(position, COL_FIELD, combo)
            self.combos[row.index] = combo
            text = sample(first, row) if first is not None else ""
            item = QTableWidgetItem(text)
            item.setToolTip(text)
            self.table.setItem(position, COL_SAMPLE, item)
            for cell in (letter, header, item):
                if row.field == NOTE:
                    cell.setBackground(NOTE_BRUSH)
                elif row.field == IGNORE:
                    cell.setForeground(IGNORED_BRUSH)
        self.table.resizeRowsToContents()
        summary = self.import_wizard.summary_of(plan)
        info = f"按当前设置读到 {summary.tasks} 项任务、{summary.measures} 条整改措施"
        if summary.refused_rows:
            info += f",拒绝 {summary.refused_rows} 行"
        info += "。"
        if error:
            info = f"{error}\n{info}"
        self.plan_label.setStyleSheet(ERROR_STYLE if error else "")
        self.plan_label.setText(info)

    def _combo(self, row: ColumnRow, guessed: str) -> QComboBox:
        combo = QComboBox()
        combo.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        # Any column can be set aside into 备注 ("列名:内容"), not only one the reader did not know.
        combo.addItem(NOTE_LABEL if guessed == NOTE else NOTE_SET_LABEL, NOTE)
        for key, label in FIELD_LABELS.items():
            combo.addItem(label, key)
        combo.addItem(IGNORE_LABEL, IGNORE)
        combo.setCurrentIndex(max(combo.findData(row.field), 0))
        combo.activated.connect(lambda _i, c=combo, r=row: self._changed(r, c.currentData()))
        return combo

    def field_of(self, index: int) -> str:
        """The field shown for column ``index`` (0-based), for tests and the report."""
        return str(self.combos[index].currentData())

    def set_field(self, index: int, field: str) -> None:
        """Choose ``field`` for column ``index`` as the clerk would in its combo."""
        combo = self.combos[index]
        position = combo.findData(field)
        if position < 0:
            raise ValueError(f"column {index} cannot be set to {field!r}")
        combo.setCurrentIndex(position)
        combo.activated.emit(position)

    # -- correcting -----------------------------------------------------------------------
    def _changed(self, row: ColumnRow, field: str) -> None:
        if field == row.field or self.reading:
            return
        wizard = self.import_wizard
        overrides = dict(wizard.overrides)
        if field not in (IGNORE, NOTE):  # one column per field: an earlier correction to it gives way
            for index, name in list(overrides.items()):
                if name == field and index != row.index:
                    del overrides[index]
        # NOTE is an override too (""): without it the column would fall back to the reader's guess.
        overrides[row.index] = field
        self._read(overrides)

    def _read(self, overrides: dict[int, str]) -> None:
        wizard = self.import_wizard
        plan = wizard.plan
        if plan is None or wizard.file_page.path is None:
            return
        self._generation += 1
        generation = self._generation
        self.reading = True
        self.table.setEnabled(False)
        self.plan_label.setStyleSheet("")
        self.plan_label.setText("正在按新的设置重新读取…")
        self.completeChanged.emit()
        wizard.read_workbook(
            wizard.file_page.path,
            sheet=plan.sheet,
            overrides=overrides,
            on_done=lambda new: self._read_done(generation, overrides, new),
            on_error=lambda exc: self._read_failed(generation, exc),
        )

    def _read_done(self, generation: int, overrides: dict[int, str], plan: ImportPlan) -> None:
        if generation != self._generation:
            return
        self.reading = False
        self.table.setEnabled(True)
        wizard = self.import_wizard
        wizard.overrides = overrides
        wizard.plan = plan
        self._show(plan)
        self.completeChanged.emit()

    def _read_failed(self, generation: int, exc: BaseException) -> None:
        if generation != self._generation:
            return
        self.reading = False
        self.table.setEnabled(True)
        if isinstance(exc, CancelledError):
            message = "已取消重新读取,仍按原来的设置。"
        elif isinstance(exc, LedgerError):
            message = exc.message_zh
        else:
            log.error("re-reading with overrides failed", exc_info=(type(exc), exc, exc.__traceback__))
            message = "按新的设置读取时出错,仍按原来的设置。"
        self._show(self.import_wizard.plan, message)  # the combos go back to what is in force
        self.completeChanged.emit()

    def isComplete(self) -> bool:  # noqa: N802 (Qt override)
        return not self.reading and self.import_wizard.plan is not None


def _field_label(field: str) -> str:
    if field == NOTE:
        return NOTE_LABEL
    if field == IGNORE:
        return IGNORE_LABEL
    return FIELD_LABELS.get(field, field)
