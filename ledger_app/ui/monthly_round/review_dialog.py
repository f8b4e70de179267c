"""文件 → 收回月报表…: pick the units' files; a review per unit and per task with accept boxes; import.

Answers that can be taken (new, and conflicts the clerk decides on) have a box: the new ones checked,
conflicts not. What cannot be taken (already imported, empty, not matched, another month, a file
refused) is listed greyed with the reason, so the clerk sees every row of every file.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QMessageBox,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ledger_app.services import Ledger
from ledger_app.services.monthly_replies import ACCEPTABLE_STATES, RepliesReview, ReplyAnswer
from ledger_app.ui.exports.common import export_folder
from ledger_app.ui.workers import run_task

if TYPE_CHECKING:
    from ledger_app.ui.main_window import MainWindow

STATE_TEXT = {
    "new": "新填报",
    "already": "已导入过",
    "duplicate": "重复",
    "conflict": "有冲突",
    "empty": "未填写",
    "status-only": "只填了完成情况",
    "unmatched": "无法对应任务",
    "other-month": "不是本月的表",
}
COLUMNS = ("行", "序号", "问题", "判断", "本月进展", "完成情况", "说明")
KEY_ROLE = Qt.ItemDataRole.UserRole + 1
GREY = QBrush(QColor("#808080"))
RED = QBrush(QColor("#B00020"))


class ReviewDialog(QDialog):
    def __init__(self, review: RepliesReview, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.review = review
        y, m = review.month
        self.setWindowTitle(f"收回月报表 — {y}年{m}月")
        layout = QVBoxLayout(self)
        counts = "、".join(f"{STATE_TEXT[s]} {review.count(s)}" for s in STATE_TEXT if review.count(s))
        refused = sum(1 for f in review.files if f.refused)
        summary = f"{len(review.files)} 个文件,{counts or '没有内容'}" + (
            f";{refused} 个文件无法读取" if refused else ""
        )
        summary += f"。进展日期:{review.progress_date.isoformat()}。完成情况不会自动修改,请在任务中确认。"
        label = QLabel(summary)
        label.setWordWrap(True)
        layout.addWidget(label)
        self.tree = QTreeWidget()
        self.tree.setColumnCount(len(COLUMNS))
        self.tree.setHeaderLabels(list(COLUMNS))
        self.tree.setUniformRowHeights(True)
        self._fill()
        self.tree.expandAll()
        for col, width in enumerate((150, 50, 220, 90, 260, 80, 320)):
            self.tree.setColumnWidth(col, width)
        layout.addWidget(self.tree, 1)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.tree.itemChanged.connect(self._changed)
        self._update_ok()
        self.resize(1180, 620)

    def _fill(self) -> None:
        for item in self.review.files:
            name = Path(item.path).name
            top = QTreeWidgetItem(self.tree)
            top.setFlags(top.flags() & ~Qt.ItemFlag.ItemIsUserCheckable)
            if item.refused:
                top.setText(0, name)
                top.setText(6, item.refused)
                top.setForeground(6, RED)
                continue
            top.setText(0, f"{item.unit}")
            top.setText(2, name)
            top.setText(6, ";".join([f"按{item.unit_from}识别单位", *item.notes]))
            top.setToolTip(6, "\n".join(item.notes))
            takeable = [a for a in item.answers if a.state in ACCEPTABLE_STATES and a.task_id is not None]
            if takeable:
                top.setFlags(top.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            for answer in item.answers:
                self._answer_item(top, answer)
            if takeable:
                self._sync_unit(top)

    def _answer_item(self, top: QTreeWidgetItem, answer: ReplyAnswer) -> None:
        child = QTreeWidgetItem(top)
        child.setText(0, f"第{answer.row}行")
        child.setText(1, answer.seq)
        child.setText(2, answer.summary)
        child.setText(3, STATE_TEXT.get(answer.state, answer.state))
        child.setText(4, answer.entry_text.replace("\n", " / "))
        child.setToolTip(4, answer.entry_text)
        status = answer.status
        if answer.status_proposal:
            status = f"{answer.status}(现为{answer.current_status})"
        child.setText(5, status)
        child.setText(6, ";".join(answer.notes))
        child.setToolTip(6, "\n".join(answer.notes))
        child.setData(0, KEY_ROLE, answer.key)
        if answer.state in ACCEPTABLE_STATES and answer.task_id is not None:
            child.setFlags(child.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            child.setCheckState(
                0, Qt.CheckState.Checked if answer.state == "new" else Qt.CheckState.Unchecked
            )
            if answer.state == "conflict":
                child.setForeground(3, RED)
        else:
            child.setFlags(child.flags() & ~Qt.ItemFlag.ItemIsUserCheckable)  # on by default in Qt
            for col in range(len(COLUMNS)):
                child.setForeground(col, GREY)

    @staticmethod
    def _boxes(top: QTreeWidgetItem) -> list[QTreeWidgetItem]:
        children = (top.child(j) for j in range(top.childCount()))
        return [c for c in children if c.flags() & Qt.ItemFlag.ItemIsUserCheckable]

    def _sync_unit(self, top: QTreeWidgetItem) -> None:
        # Qt's auto-tristate shows no box on a parent with box-less children (the greyed rows): kept by hand.
        states = {c.checkState(0) for c in self._boxes(top)}
        whole = states.pop() if len(states) == 1 else Qt.CheckState.PartiallyChecked
        top.setCheckState(0, whole)

    def _changed(self, item: QTreeWidgetItem, column: int) -> None:
        if column != 0:
            return
        self.tree.blockSignals(True)
        try:
            parent = item.parent()
            if parent is None:
                state = item.checkState(0)
                if state != Qt.CheckState.PartiallyChecked:
                    for child in self._boxes(item):
                        child.setCheckState(0, state)
            else:
                self._sync_unit(parent)
        finally:
            self.tree.blockSignals(False)
        self._update_ok()

    def accepted_keys(self) -> list[int]:
        keys = []
        for i in range(self.tree.topLevelItemCount()):
            top = self.tree.topLevelItem(i)
            for j in range(top.childCount()):
                child = top.child(j)
                if (
                    child.flags() & Qt.ItemFlag.ItemIsUserCheckable
                    and child.checkState(0) == Qt.CheckState.Checked
                ):
                    keys.append(int(child.data(0, KEY_ROLE)))
        return keys

    def _update_ok(self) -> None:
        count = len(self.accepted_keys())
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(f"导入所选({count} 条)")
        # Nothing chosen still records which units answered; only a review with nothing readable is pointless.
        ok.setEnabled(any(not f.refused for f in self.review.files))


def collect_replies_action(window: MainWindow) -> None:
    ledger = window.ledger
    if ledger is None:
        return
    files, _ = QFileDialog.getOpenFileNames(
        window, "选择各单位交回的月报表", str(export_folder()), "Excel 文件 (*.xlsx *.xls *.xlsm)"
    )
    if files:
        start_review(window, ledger, [Path(f) for f in files])


def start_review(window: MainWindow, ledger: Ledger, files: list[Path]) -> None:
    def work(progress, cancelled):  # type: ignore[no-untyped-def]
        return ledger.monthly.read_replies(files, progress=progress, cancelled=cancelled)

    def done(review: RepliesReview) -> None:
        dialog = ReviewDialog(review, window)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            start_collect(window, ledger, review, dialog.accepted_keys())

    run_task(window, work, on_done=done, progress_title="正在读取月报表…", cancellable=False)


def start_collect(window: MainWindow, ledger: Ledger, review: RepliesReview, keys: list[int]) -> None:
    def work(_progress, _cancelled):  # type: ignore[no-untyped-def]
        return ledger.monthly.collect_replies(review, accept=keys)

    def done(result) -> None:  # type: ignore[no-untyped-def]
        text = f"已导入 {result.added} 条整改进展。"
        if result.backup is not None:
            text += f"\n导入前已备份台账:{result.backup.name}"
        if review.status_proposals:
            text += f"\n有 {len(review.status_proposals)} 项报了新的完成情况,状态未自动修改,请在任务中确认。"
        QMessageBox.information(window, "收回月报表", text)
        window.refresh()

    run_task(window, work, on_done=done, progress_title="正在导入…", cancellable=False)
