"""文件 → 发送月报表…: the month, the units (all with open tasks by default), their roles, the folder."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ledger_app.domain.model import UnitRole
from ledger_app.services import Ledger
from ledger_app.ui.exports.common import ask_folder, export_folder, month_of, setup_month_edit
from ledger_app.ui.workers import run_task

if TYPE_CHECKING:
    from ledger_app.ui.main_window import MainWindow

ROLE_BOXES = (
    (UnitRole.LEAD, "牵头单位"),
    (UnitRole.RESPONSIBLE, "责任单位"),
    (UnitRole.COOPERATING, "配合单位"),
)


class SendDialog(QDialog):
    def __init__(self, ledger: Ledger, parent: QWidget | None = None, *, today: date | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("发送月报表")
        today = today or date.today()
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.month_edit = QDateEdit()
        setup_month_edit(self.month_edit, today.year, today.month)
        form.addRow("月份:", self.month_edit)
        roles = QHBoxLayout()
        self.role_boxes: dict[UnitRole, QCheckBox] = {}
        for role, label in ROLE_BOXES:
            box = QCheckBox(label)
            box.setChecked(role is not UnitRole.COOPERATING)
            roles.addWidget(box)
            self.role_boxes[role] = box
        form.addRow("发给:", roles)
        folder = QHBoxLayout()
        self.folder_edit = QLineEdit(str(export_folder() / f"月报表{today.year}年{today.month}月"))
        browse = QPushButton("浏览…")
        browse.clicked.connect(self._browse)
        folder.addWidget(self.folder_edit, 1)
        folder.addWidget(browse)
        form.addRow("保存到:", folder)
        layout.addLayout(form)
        self.unit_list = QListWidget()
        for unit in ledger.directory.list_units():
            item = QListWidgetItem(f"{unit.name}({unit.task_count} 项任务)")
            item.setData(Qt.ItemDataRole.UserRole, unit.name)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked)
            self.unit_list.addItem(item)
        pick = QHBoxLayout()
        for label, state in (("全选", Qt.CheckState.Checked), ("全不选", Qt.CheckState.Unchecked)):
            button = QPushButton(label)
            button.clicked.connect(lambda _=False, s=state: self._check_all(s))
            pick.addWidget(button)
        pick.addStretch(1)
        layout.addWidget(self.unit_list, 1)
        layout.addLayout(pick)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("生成")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(560, 520)

    def _browse(self) -> None:
        chosen = ask_folder(self, "月报表保存到")
        if chosen is not None:
            self.folder_edit.setText(str(chosen))

    def _check_all(self, state: Qt.CheckState) -> None:
        for row in range(self.unit_list.count()):
            self.unit_list.item(row).setCheckState(state)

    def units(self) -> list[str]:
        return [
            self.unit_list.item(r).data(Qt.ItemDataRole.UserRole)
            for r in range(self.unit_list.count())
            if self.unit_list.item(r).checkState() == Qt.CheckState.Checked
        ]

    def roles(self) -> list[UnitRole]:
        return [role for role, box in self.role_boxes.items() if box.isChecked()]

    def month(self) -> tuple[int, int]:
        return month_of(self.month_edit)

    def folder(self) -> Path:
        return Path(self.folder_edit.text().strip())


def send_sheets_action(window: MainWindow) -> None:
    ledger = window.ledger
    if ledger is None:
        return
    dialog = SendDialog(ledger, window)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return
    units, roles = dialog.units(), dialog.roles()
    if not units or not roles or not dialog.folder_edit.text().strip():
        QMessageBox.warning(window, "发送月报表", "请至少选择一个单位、一种角色,并填写保存的文件夹。")
        return
    start_send(window, ledger, dialog.month(), dialog.folder(), units, roles)


def start_send(
    window: QWidget,
    ledger: Ledger,
    month: tuple[int, int],
    folder: Path,
    units: list[str],
    roles: list[UnitRole],
) -> None:
    def work(progress, cancelled):  # type: ignore[no-untyped-def]
        return ledger.monthly.distribute(
            month=month, out_dir=folder, units=units, roles=roles, progress=progress, cancelled=cancelled
        )

    def done(result) -> None:  # type: ignore[no-untyped-def]
        lines = [f"已生成 {len(result.sheets)} 份月报表,保存在:\n{folder}"]
        if result.no_open_tasks:
            shown = "、".join(result.no_open_tasks[:10])
            more = f"等 {len(result.no_open_tasks)} 个单位" if len(result.no_open_tasks) > 10 else ""
            lines.append(f"没有未完成任务、未生成:{shown}{more}")
        lines += result.warnings[:8]
        QMessageBox.information(window, "发送月报表", "\n".join(lines))

    run_task(window, work, on_done=done, progress_title="正在生成月报表…")
