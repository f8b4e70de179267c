"""检查台账: the ledger check (file, audit chain, data against the log) and the evidence store check
in one dialog, with 修复 for the store and what it did to each finding.

The store check re-reads every stored file (minutes for a big store), so both run in a worker with
progress and 取消; so does the repair, which re-hashes what it restores. The ledger's own findings
have no 修复: an edit made behind the program's back needs a person (or a backup) to undo it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from ledger_app.domain.progress import CancelFn, ProgressFn
from ledger_app.services import Ledger
from ledger_app.services.attachment_check import (
    DAMAGED,
    KIND_LABELS,
    LEFTOVER,
    MISSING,
    ORPHAN,
    CheckReport,
    RepairReport,
    StoreIssue,
)
from ledger_app.services.ledger_check import KIND_LABELS as LEDGER_KIND_LABELS
from ledger_app.services.ledger_check import LedgerCheckReport
from ledger_app.ui.attachments.adding import PROGRESS_STEPS
from ledger_app.ui.dialogs.base import FormDialog
from ledger_app.ui.errors import show_error
from ledger_app.ui.exports.common import open_folder
from ledger_app.ui.workers import TaskHandle, run_task

COL_KIND, COL_REFS, COL_FILE, COL_ACTION = range(4)
KIND_COLOURS = {MISSING: "#c62828", DAMAGED: "#c62828", ORPHAN: "#d35400", LEFTOVER: "#666666"}
OK_COLOUR, FAIL_COLOUR = "#2e7d32", "#c62828"


LEDGER_SHARE = 0.2  # of the progress bar: the ledger check takes seconds, the store's re-hashing minutes


@dataclass(frozen=True, slots=True)
class CheckResult:
    ledger: LedgerCheckReport
    store: CheckReport


def _part(progress: ProgressFn, start: float, end: float) -> ProgressFn:
    """One check's progress as its share (``start``..``end``) of the thousandths of the whole."""

    def report(done: int, total: int, text: str) -> None:
        share = min(done, total) / total if total > 0 else 0.0
        progress(int((start + (end - start) * share) * PROGRESS_STEPS), PROGRESS_STEPS, text)

    return report


def run_check(parent: QWidget, ledger: Ledger, on_done: Callable[[CheckResult], None]) -> TaskHandle:
    """Check the ledger, then the store (re-hashing every file), in a worker with progress and 取消."""

    def work(progress: ProgressFn, cancelled: CancelFn) -> CheckResult:
        ledger_report = ledger.check.check_ledger(
            progress=_part(progress, 0, LEDGER_SHARE), cancelled=cancelled
        )
        store = ledger.attachments.check_store(
            verify=True, progress=_part(progress, LEDGER_SHARE, 1), cancelled=cancelled
        )
        return CheckResult(ledger_report, store)

    return run_task(
        parent,
        work,
        on_done=on_done,
        on_error=lambda exc: show_error(parent, exc, "无法检查台账"),
        progress_title="正在检查台账…",
    )


def refs_text(issue: StoreIssue) -> str:
    if not issue.refs:
        return "(无)"
    shown = [f"「{r.name}」 {r.task}{'(已删除)' if r.removed else ''}" for r in issue.refs[:5]]
    if len(issue.refs) > 5:
        shown.append(f"…等 {len(issue.refs)} 处")
    return "\n".join(shown)


def repair_outcome(issue: StoreIssue, result: RepairReport) -> tuple[str, bool]:
    """What the repair did to one finding, and whether that fixed it."""
    for unrepaired, why in result.unrepaired:
        if unrepaired == issue:
            return f"未修复:{why}", False
    if issue in result.restored:
        return "已从相同内容的副本恢复", True
    if issue.path in result.removed_tmp:
        return "已清除", True
    for source, target in result.moved:
        if source == issue.path:
            return f"已移到 lost+found:{target.name}", True
    return "未处理:检查之后附件库已有变化,请重新检查", False


class CheckDialog(FormDialog):
    """``report`` is the store check shown, ``ledger_report`` the ledger's; ``repair`` what 修复 did
    (None until it ran)."""

    def __init__(self, ledger: Ledger, result: CheckResult, parent: QWidget | None = None) -> None:
        super().__init__("attachment_check", "检查台账", parent)
        self.ledger = ledger
        self.report = result.store
        self.ledger_report = result.ledger
        self.repair: RepairReport | None = None
        self.resize(980, 640)
        self.ledger_label = self.child(QLabel, "ledgerLabel")
        self.ledger_table = self.child(QTableWidget, "ledgerTable")
        self.summary_label = self.child(QLabel, "summaryLabel")
        self.table = self.child(QTableWidget, "issuesTable")
        self.result_text = self.child(QPlainTextEdit, "resultText")
        self.repair_button = self.child(QPushButton, "repairButton")
        self.recheck_button = self.child(QPushButton, "recheckButton")
        self.open_store_button = self.child(QPushButton, "openStoreButton")
        self.close_buttons()
        header = self.table.horizontalHeader()
        for column, width in ((COL_KIND, 190), (COL_REFS, 330), (COL_FILE, 230)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            self.table.setColumnWidth(column, width)
        header = self.ledger_table.horizontalHeader()
        for column, width in ((0, 150), (1, 380)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            self.ledger_table.setColumnWidth(column, width)
        self.repair_button.clicked.connect(self.run_repair)
        self.recheck_button.clicked.connect(lambda: run_check(self, self.ledger, self.show_result))
        self.open_store_button.clicked.connect(self._open_store)
        self.show_result(result)

    def show_result(self, result: CheckResult) -> None:
        self.show_ledger_report(result.ledger)
        self.show_report(result.store)

    def show_ledger_report(self, report: LedgerCheckReport) -> None:
        self.ledger_report = report
        text = f"{report.summary()}\n{report.verdict()}"
        if not report.ok:
            text += "\n这些改动不是通过本程序做的:请从改动之前的备份恢复(文件 → 备份与恢复),或核实后在程序中改回。"
        self.ledger_label.setText(text)
        colour = OK_COLOUR if report.ok else FAIL_COLOUR
        self.ledger_label.setStyleSheet(f"QLabel {{ color: {colour}; }}")
        findings = report.findings
        self.ledger_table.setRowCount(len(findings))
        for row, finding in enumerate(findings):
            kind = QTableWidgetItem(LEDGER_KIND_LABELS[finding.kind])
            kind.setForeground(QBrush(QColor(FAIL_COLOUR)))
            where = QTableWidgetItem(finding.where)
            where.setToolTip(finding.where)
            detail = QTableWidgetItem(finding.detail)
            detail.setToolTip(finding.describe())
            for column, item in enumerate((kind, where, detail)):
                self.ledger_table.setItem(row, column, item)
        self.ledger_table.resizeRowsToContents()
        self.ledger_table.setVisible(bool(findings))

    def show_report(self, report: CheckReport) -> None:
        self.report = report
        self.repair = None
        head = report.lines()[0]
        if report.ok:
            verdict = "佐证材料库未发现问题。"
        else:
            counts = [
                f"{KIND_LABELS[kind]} {len(items)} 个"
                for kind, items in (
                    (MISSING, report.missing),
                    (DAMAGED, report.damaged),
                    (ORPHAN, report.orphans),
                    (LEFTOVER, report.leftovers),
                )
                if items
            ]
            verdict = "佐证材料库发现问题:" + ";".join(counts) + "。"
        if report.in_flight:
            verdict += f"\n另有 {len(report.in_flight)} 个文件是最近写入的,可能正在添加中,本次未作判断。"
        self.summary_label.setText(f"{head}\n{verdict}")
        colour = OK_COLOUR if report.ok else FAIL_COLOUR
        self.summary_label.setStyleSheet(f"QLabel {{ color: {colour}; }}")
        issues = report.issues
        self.table.setRowCount(len(issues))
        for row, issue in enumerate(issues):
            kind = QTableWidgetItem(KIND_LABELS[issue.kind])
            kind.setForeground(QBrush(QColor(KIND_COLOURS[issue.kind])))
            kind.setToolTip(issue.describe())
            refs = QTableWidgetItem(refs_text(issue))
            refs.setToolTip(refs_text(issue))
            where = QTableWidgetItem(self._relative(issue))
            where.setToolTip(str(issue.path))
            can = "可自动修复" if report.repairable(issue) else "无法自动修复(需从原始来源重新添加)"
            action = QTableWidgetItem(can)
            for column, item in enumerate((kind, refs, where, action)):
                self.table.setItem(row, column, item)
        self.table.resizeRowsToContents()
        self.table.setVisible(bool(issues))
        self.result_text.clear()
        self.result_text.setVisible(False)  # the table says it all until a repair has something to report
        self.repair_button.setEnabled(any(report.repairable(i) for i in issues))

    def _relative(self, issue: StoreIssue) -> str:
        try:
            return str(issue.path.relative_to(self.report.root))
        except ValueError:
            return str(issue.path)

    def run_repair(self) -> None:
        report = self.report
        self.repair_button.setEnabled(False)
        run_task(
            self,
            lambda _p, _c: self.ledger.attachments.repair_store(report),
            on_done=self.show_repair,
            on_error=self._repair_failed,
            progress_title="正在修复佐证材料库…",
            cancellable=False,
        )

    def _repair_failed(self, exc: BaseException) -> None:
        show_error(self, exc, "修复未完成")
        self.repair_button.setEnabled(True)

    def show_repair(self, result: RepairReport) -> None:
        self.repair = result
        for row, issue in enumerate(self.report.issues):
            text, fixed = repair_outcome(issue, result)
            item = QTableWidgetItem(text)
            item.setToolTip(text)
            item.setForeground(QBrush(QColor(OK_COLOUR if fixed else FAIL_COLOUR)))
            self.table.setItem(row, COL_ACTION, item)
        self.table.resizeRowsToContents()
        verdict = "修复完成。" if result.ok else "修复完成,但有问题无法自动修复(见下)。"
        self.result_text.setPlainText("\n".join(["修复结果:", *result.lines()]))
        self.result_text.setVisible(True)
        self.summary_label.setText(f"{self.summary_label.text().splitlines()[0]}\n{verdict}")
        self.summary_label.setStyleSheet(f"QLabel {{ color: {OK_COLOUR if result.ok else FAIL_COLOUR}; }}")

    def _open_store(self) -> None:
        root = self.ledger.attachments_dir
        open_folder(self, root if root.is_dir() else root.parent)
