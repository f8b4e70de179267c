"""第四步 完成: what the import did, and where the backup taken before it is."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPlainTextEdit, QWidget

from .base import OK_STYLE, FormPage
from .report_text import diff_lines


class ResultPage(FormPage):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("import_result_page", "导入完成", "任务已写入台账,主窗口的列表已刷新。", parent)
        self.result_label = self.child(QLabel, "resultLabel")
        self.backup_label = self.child(QLabel, "backupLabel")
        self.details_edit = self.child(QPlainTextEdit, "detailsEdit")
        self.result_label.setTextFormat(Qt.TextFormat.PlainText)
        self.backup_label.setTextFormat(Qt.TextFormat.PlainText)
        self.result_label.setStyleSheet(OK_STYLE + "font-weight: bold;")

    def initializePage(self) -> None:  # noqa: N802 (Qt override)
        result = self.import_wizard.result
        if result is None:
            return
        target = self.import_wizard.report_page.target()
        names = [r.name for r in result.rounds] or [target.name]
        where = f"督察批次「{names[0]}」" if len(names) == 1 else f"{len(names)} 个督察批次"
        self.result_label.setText(
            f"已导入{where}:新增 {len(result.created)} 项,更新 {len(result.changed)} 项,"
            f"{result.unchanged} 项无变化;新建单位 {len(result.units_created)} 个。"
        )
        if result.backup is not None:
            self.backup_label.setText(
                f"导入前的台账已自动备份到:\n{result.backup}\n如需撤回这次导入,可以用这份备份恢复。"
            )
        else:
            self.backup_label.setText("")
        self.details_edit.setPlainText("\n".join(diff_lines(result)))
