"""单位名录: rename a unit (every task and measure follows), merge duplicate spellings, delete unused ones."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableWidgetItem,
    QWidget,
)

from ledger_app.services import Ledger, UnitInfo
from ledger_app.ui.ask import confirm

from .list_editing import ListEditingDialog


class _CountItem(QTableWidgetItem):
    """Sorts 任务数 as a number."""

    def __lt__(self, other: QTableWidgetItem) -> bool:
        return int(self.text() or 0) < int(other.text() or 0)


class UnitsDialog(ListEditingDialog):
    """``changed`` tells the window that task rows may show other unit names now."""

    def __init__(self, ledger: Ledger, parent: QWidget | None = None) -> None:
        super().__init__(ledger, "units_dialog", "单位名录", "unitsTable", parent)
        self._units: dict[int, UnitInfo] = {}
        self.resize(620, 560)
        self.filter_edit = self.child(QLineEdit, "filterEdit")
        self.count_label = self.child(QLabel, "countLabel")
        self.add_button = self.child(QPushButton, "addButton")
        self.rename_button = self.child(QPushButton, "renameButton")
        self.merge_button = self.child(QPushButton, "mergeButton")
        self.delete_button = self.child(QPushButton, "deleteButton")

        self.filter_edit.textChanged.connect(self._apply_filter)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.table.doubleClicked.connect(lambda _index: self.rename_selected())
        self.add_button.clicked.connect(self.add_unit)
        self.rename_button.clicked.connect(self.rename_selected)
        self.merge_button.clicked.connect(self.merge_selected)
        self.delete_button.clicked.connect(self.delete_selected)
        self._load()

    # -- content ----------------------------------------------------------------------------
    def _load(self, select: set[int] | None = None) -> None:
        self._units = {u.id: u for u in self.ledger.directory.list_units()}
        self.table.setSortingEnabled(False)
        self.table.setRowCount(len(self._units))
        for row, unit in enumerate(self._units.values()):
            name = QTableWidgetItem(unit.name)
            name.setData(Qt.ItemDataRole.UserRole, unit.id)
            count = _CountItem(str(unit.task_count))
            count.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
            self.table.setItem(row, 0, name)
            self.table.setItem(row, 1, count)
        self.table.setSortingEnabled(True)
        unused = sum(1 for u in self._units.values() if not u.task_count)
        self.count_label.setText(f"共 {len(self._units)} 个单位,其中 {unused} 个未被任何任务使用")
        if select:
            self.select_ids(select)
        self._apply_filter(self.filter_edit.text())
        self._update_buttons()

    def _apply_filter(self, text: str) -> None:
        needle = text.strip().lower()
        for row in range(self.table.rowCount()):
            self.table.setRowHidden(
                row, bool(needle) and needle not in self.table.item(row, 0).text().lower()
            )

    def selected_units(self) -> list[UnitInfo]:
        return [self._units[i] for i in self.selected_ids() if i in self._units]

    def _update_buttons(self) -> None:
        selected = self.selected_units()
        self.rename_button.setEnabled(len(selected) == 1)
        self.merge_button.setEnabled(bool(selected) and len(self._units) > len(selected))
        self.delete_button.setEnabled(bool(selected))

    # -- actions ----------------------------------------------------------------------------
    def add_unit(self) -> None:
        name, ok = QInputDialog.getText(self, "新增单位", "单位名称:")
        if ok and name.strip():
            created: list[int] = []
            if self.run(lambda: created.append(self.ledger.directory.create_unit(name)), "无法新增单位"):
                self._load(select=set(created))

    def rename_selected(self) -> None:
        selected = self.selected_units()
        if len(selected) != 1:
            return
        unit = selected[0]
        name, ok = QInputDialog.getText(
            self,
            "单位更名",
            f"「{unit.name}」的新名称(涉及 {unit.task_count} 项任务,将一并更新):",
            text=unit.name,
        )
        if not ok or name.strip() == unit.name:
            return
        if self.run(lambda: self.ledger.directory.rename_unit(unit.id, name), "无法更名"):
            self._load(select={unit.id})

    def merge_selected(self) -> None:
        sources = self.selected_units()
        if not sources:
            return
        source_ids = {u.id for u in sources}
        targets = [u for u in self._units.values() if u.id not in source_ids]
        if not targets:
            return
        labels = [f"{u.name}({u.task_count} 项任务)" for u in targets]
        names = "、".join(f"「{u.name}」" for u in sources)
        choice, ok = QInputDialog.getItem(self, "合并单位", f"把 {names} 合并到:", labels, 0, False)
        if not ok or choice not in labels:
            return
        target = targets[labels.index(choice)]
        question = (
            f"确定把 {names} 合并到「{target.name}」吗?\n\n"
            f"这些单位的任务和措施都将改为「{target.name}」,原名称从单位名录中删除。"
        )
        if not confirm(self, "合并单位", question):
            return

        def merge() -> None:
            for source in sources:
                self.ledger.directory.merge_units(source.id, target.id)

        self.run(merge, "无法合并单位")
        self._load(select={target.id})

    def delete_selected(self) -> None:
        selected = self.selected_units()
        if not selected:
            return
        used = [u for u in selected if u.task_count]
        if used:
            QMessageBox.warning(
                self,
                "删除单位",
                f"「{used[0].name}」仍有 {used[0].task_count} 项任务使用,不能删除。\n"
                "如果它是另一个单位的重复写法,请用“合并到…”。",
            )
            return
        names = "、".join(f"「{u.name}」" for u in selected)
        if not confirm(self, "删除单位", f"确定从单位名录中删除 {names} 吗?"):
            return

        def delete() -> None:
            for unit in selected:
                self.ledger.directory.delete_unit(unit.id)

        self.run(delete, "无法删除单位")
        self._load()
