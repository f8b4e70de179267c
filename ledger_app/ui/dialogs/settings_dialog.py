"""设置: the ledger's own settings (they travel with the file) and this PC's operator name."""

from __future__ import annotations

from PySide6.QtWidgets import QDialogButtonBox, QLineEdit, QMessageBox, QSpinBox, QWidget

from ledger_app.domain.errors import LedgerError
from ledger_app.services import Ledger, default_actor
from ledger_app.ui import settings_store
from ledger_app.ui.errors import show_error

from .base import FormDialog

# objectName → LedgerSettings field
TEXT_FIELDS = {
    "organisationEdit": "organisation",
    "placeEdit": "place",
    "reportTitleEdit": "report_title",
    "officeEdit": "rectification_office",
    "noticeContactEdit": "notice_contact",
    "noticePhoneEdit": "notice_phone",
}
REQUIRED = {"organisation": "填报单位", "place": "本地称谓", "rectification_office": "整改办名称"}


class SettingsDialog(FormDialog):
    def __init__(self, ledger: Ledger, parent: QWidget | None = None) -> None:
        super().__init__("settings_dialog", "设置", parent)
        self.ledger = ledger
        self.resize(620, 420)
        self._stored = ledger.settings.current()
        self.edits = {field: self.child(QLineEdit, name) for name, field in TEXT_FIELDS.items()}
        for field, edit in self.edits.items():
            edit.setText(str(getattr(self._stored, field)))
        self.warning_days = self.child(QSpinBox, "warningDaysSpin")
        self.warning_days.setValue(self._stored.warning_days)
        self.operator_edit = self.child(QLineEdit, "operatorEdit")
        self.operator_edit.setPlaceholderText(f"默认为电脑登录名:{default_actor()}")
        stored_operator = str(settings_store.store().value(settings_store.OPERATOR_NAME, "") or "")
        self.operator_edit.setText(stored_operator)
        buttons = self.child(QDialogButtonBox, "buttonBox")
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("保存")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)

    def accept(self) -> None:
        values: dict[str, object] = {field: edit.text().strip() for field, edit in self.edits.items()}
        empty = [label for field, label in REQUIRED.items() if not values[field]]
        if empty:
            QMessageBox.warning(self, "设置", f"{'、'.join(empty)}不能为空。")
            return
        values["warning_days"] = self.warning_days.value()
        # Only what changed: each save is an audited change, and an unchanged field is no news.
        changes = {k: v for k, v in values.items() if getattr(self._stored, k) != v}
        if changes:
            try:
                self.ledger.settings.update(**changes)
            except LedgerError as exc:
                show_error(self, exc, "无法保存设置")
                return
        settings_store.set_operator_name(self.operator_edit.text())
        self.ledger.actor = settings_store.operator_name()
        super().accept()
