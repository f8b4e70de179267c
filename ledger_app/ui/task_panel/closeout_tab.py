"""验收销号: acceptance, public notice and close-out records, and the buttons that walk the lifecycle.

The buttons follow domain.rules: the next allowed step is highlighted; a step the rules refuse
(a skipped one, or one whose records are missing) is still clickable and says why, in red.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QGroupBox,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ledger_app.domain.errors import LedgerError, ValidationError
from ledger_app.domain.model import TaskStatus
from ledger_app.domain.records import TaskRecord
from ledger_app.domain.rules import next_steps
from ledger_app.services import Ledger
from ledger_app.ui.date_edit import DateEdit
from ledger_app.ui.forms import form_child as child
from ledger_app.ui.forms import load_form
from ledger_app.ui.layout_fit import reflow

from .widgets import (
    ERROR_COLOUR,
    STATUS_COLOURS,
    TaskTab,
    badge,
    date_value,
    hint,
    on_leave,
    set_date,
    set_style,
    set_text,
    setup_optional_date,
    show_error,
)

S = TaskStatus
DEFAULT_CONCLUSION = "符合销号条件"
CONCLUSIONS = [DEFAULT_CONCLUSION, "基本符合销号条件,继续巩固", "不符合销号条件"]
DEFAULT_OUTCOME = "公示期间未收到异议"
NOTICE_DAYS = 7  # the usual notice period; the end date is proposed from the start
# Which records may be edited in which status (the services refuse earlier ones anyway).
ACCEPTANCE_OPEN = {S.COMPLETED, S.ACCEPTED, S.PUBLIC_NOTICE}
NOTICE_OPEN = {S.ACCEPTED, S.PUBLIC_NOTICE}
# The forward steps, in lifecycle order, with their button's objectName.
FORWARD = [
    (S.IN_PROGRESS, "startButton"),
    (S.COMPLETED, "completeButton"),
    (S.ACCEPTED, "acceptButton"),
    (S.PUBLIC_NOTICE, "noticeButton"),
    (S.CLOSED, "closeButton"),
]
STEP_NAMES = {
    S.IN_PROGRESS: "开始整改",
    S.COMPLETED: "完成整改",
    S.ACCEPTED: "验收通过",
    S.PUBLIC_NOTICE: "开始公示",
    S.CLOSED: "销号",
}
NEXT_STYLE = "QPushButton { font-weight: bold; color: white; background: #1f6fc5; padding: 4px 12px; }"


class CloseoutTab(TaskTab):
    def __init__(self, ledger: Ledger, parent: QWidget | None = None) -> None:
        super().__init__(ledger, parent)
        self.form = load_form("task_closeout", self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.form)
        f = self.form
        # Six step buttons do not fit a narrow panel on one line: they wrap instead of being clipped.
        reflow(child(f, QWidget, "stepsRow"))
        child(f, QLabel, "noticeHintLabel").setWordWrap(True)
        self.status_badge = child(f, QLabel, "statusBadge")
        self.next_label = child(f, QLabel, "nextStepLabel")
        self.step_message = child(f, QLabel, "stepMessageLabel")
        self.step_message.hide()
        self.step_buttons = {target: child(f, QPushButton, name) for target, name in FORWARD}
        for target, button in self.step_buttons.items():
            button.clicked.connect(lambda _checked=False, t=target: self.walk(t))
        self.return_button = child(f, QPushButton, "returnButton")
        self.return_button.clicked.connect(self.step_back)

        self.acceptance_box = child(f, QGroupBox, "acceptanceBox")
        self.accepted_on = child(f, DateEdit, "acceptedOnEdit")
        self.acceptance_unit = child(f, QLineEdit, "acceptanceUnitEdit")
        self.conclusion = child(f, QComboBox, "conclusionCombo")
        self.conclusion.addItems(CONCLUSIONS)
        self.opinion = child(f, QPlainTextEdit, "opinionEdit")
        self.notice_box = child(f, QGroupBox, "noticeBox")
        self.notice_start = child(f, DateEdit, "noticeStartEdit")
        self.notice_end = child(f, DateEdit, "noticeEndEdit")
        self.notice_hint = child(f, QLabel, "noticeHintLabel")
        self.notice_contact = child(f, QLineEdit, "noticeContactEdit")
        self.notice_phone = child(f, QLineEdit, "noticePhoneEdit")
        self.notice_outcome = child(f, QLineEdit, "noticeOutcomeEdit")
        self.close_box = child(f, QGroupBox, "closeOutBox")
        self.closed_on = child(f, DateEdit, "closedOnEdit")
        self.approved_by = child(f, QLineEdit, "approvedByEdit")
        self.document_no = child(f, QLineEdit, "documentNoEdit")
        self.close_hint = child(f, QLabel, "closeOutHintLabel")
        for edit in (self.accepted_on, self.notice_start, self.notice_end, self.closed_on):
            setup_optional_date(edit)
        completer = QCompleter([], self.acceptance_unit)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.acceptance_unit.setCompleter(completer)
        self._unit_completer = completer

        for widget in (self.accepted_on, self.acceptance_unit, self.conclusion, self.opinion):
            on_leave(widget, self.commit_acceptance)
        on_leave(self.notice_start, self._propose_notice_end)
        for widget in (
            self.notice_start,
            self.notice_end,
            self.notice_contact,
            self.notice_phone,
            self.notice_outcome,
        ):
            on_leave(widget, self.commit_notice)
        self._placeholders = {edit.objectName(): edit.placeholderText() for edit in f.findChildren(QLineEdit)}
        self._shown_task: int | None = None
        self._back_step: tuple[TaskStatus, str] | None = None

    # -- showing ------------------------------------------------------------------------------
    def load(self, record: TaskRecord | None) -> None:
        new_task = record is None or record.id != self._shown_task
        super().load(record)
        self._shown_task = record.id if record else None
        if new_task:
            self.step_message.hide()
        if record is None:
            return
        self._unit_completer.model().setStringList(self.unit_names)  # type: ignore[attr-defined]
        self._show_steps(record.status)
        self._show_acceptance(record)
        self._show_notice(record)
        self._show_close_out(record, new_task)
        # In a group that cannot be edited now, an example in grey would read like stored data.
        for box in (self.acceptance_box, self.notice_box, self.close_box):
            for edit in box.findChildren(QLineEdit):
                edit.setPlaceholderText(
                    self._placeholders.get(edit.objectName(), "") if box.isEnabled() else ""
                )

    def _show_steps(self, status: TaskStatus) -> None:
        badge(self.status_badge, status.label, STATUS_COLOURS[status])
        allowed = next_steps(status)
        forward = [to for to, _name in allowed if to.order > status.order]
        for target, button in self.step_buttons.items():
            done = target.order <= status.order
            button.setEnabled(not done)
            button.setText(("✓ " if done else "") + STEP_NAMES[target])
            set_style(button, NEXT_STYLE if target in forward else "")
        if status is S.CLOSED:
            self.next_label.setText("已销号。如回头看发现反弹,请在「回头看」页记录,任务将重新整改。")
        elif forward:
            self.next_label.setText(f"下一步:{dict(allowed)[forward[0]]}")
        back = [(to, name) for to, name in allowed if to.order < status.order and status is not S.CLOSED]
        self.return_button.setVisible(bool(back))
        self._back_step = back[0] if back else None
        if back:
            self.return_button.setToolTip(back[0][1])

    def _acceptance_baseline(self) -> tuple[date | None, str, str, str]:
        a = self.record.acceptance if self.record else None
        if a is None:
            return (date.today(), "", DEFAULT_CONCLUSION, "")
        return (a.accepted_on, a.unit, a.conclusion, a.opinion)

    def _acceptance_values(self) -> tuple[date | None, str, str, str]:
        return (
            date_value(self.accepted_on),
            self.acceptance_unit.text().strip(),
            self.conclusion.currentText().strip(),
            self.opinion.toPlainText().strip(),
        )

    def _show_acceptance(self, record: TaskRecord) -> None:
        accepted_on, unit, conclusion, opinion = self._acceptance_baseline()
        set_date(self.accepted_on, accepted_on)
        set_text(self.acceptance_unit, unit)
        set_text(self.conclusion, conclusion)
        set_text(self.opinion, opinion)
        editable = record.status in ACCEPTANCE_OPEN
        self.acceptance_box.setEnabled(editable)
        waiting = record.status.order < S.COMPLETED.order
        self.acceptance_box.setTitle("验收情况" + ("(完成整改后填写)" if waiting else ""))

    def _notice_baseline(self) -> tuple[date | None, date | None, str, str, str]:
        n = self.record.public_notice if self.record else None
        if n is None:
            settings = self.ledger.settings.current()
            return (None, None, settings.notice_contact, settings.notice_phone, DEFAULT_OUTCOME)
        return (n.start, n.end, n.contact, n.phone, n.outcome)

    def _notice_values(self) -> tuple[date | None, date | None, str, str, str]:
        return (
            date_value(self.notice_start),
            date_value(self.notice_end),
            self.notice_contact.text().strip(),
            self.notice_phone.text().strip(),
            self.notice_outcome.text().strip(),
        )

    def _show_notice(self, record: TaskRecord) -> None:
        start, end, contact, phone, outcome = self._notice_baseline()
        set_date(self.notice_start, start)
        set_date(self.notice_end, end)
        for widget, value in (
            (self.notice_contact, contact),
            (self.notice_phone, phone),
            (self.notice_outcome, outcome),
        ):
            set_text(widget, value)
        self.notice_box.setEnabled(record.status in NOTICE_OPEN)
        waiting = record.status.order < S.ACCEPTED.order
        self.notice_box.setTitle("公示情况" + ("(验收通过后填写)" if waiting else ""))
        self._show_notice_hint()

    def _show_notice_hint(self) -> None:
        for edit in (self.notice_start, self.notice_end):
            if edit.error():
                hint(self.notice_hint, edit.error(), ERROR_COLOUR)
                return
        start, end = self.notice_start.valid_day(), self.notice_end.valid_day()
        if start and end:
            hint(
                self.notice_hint,
                f"共 {(end - start).days + 1} 天" if end >= start else "结束早于开始",
                ERROR_COLOUR if end < start else "#666666",
            )
        else:
            hint(self.notice_hint, "请选择公示开始和结束日期")

    def _show_close_out(self, record: TaskRecord, new_task: bool) -> None:
        c = record.close_out
        if c is not None and record.status is S.CLOSED:
            set_date(self.closed_on, c.closed_on)
            set_text(self.approved_by, c.approved_by)
            set_text(self.document_no, c.document_no)
        elif new_task or self.closed_on.is_empty():
            # What the clerk typed for a coming close-out survives reloads of the same task.
            set_date(self.closed_on, date.today())
            set_text(self.approved_by, "")
            set_text(self.document_no, "")
        self.close_box.setEnabled(record.status is S.PUBLIC_NOTICE)
        if record.status is S.CLOSED:
            hint(self.close_hint, "任务已销号。")
        elif record.status is S.PUBLIC_NOTICE:
            hint(self.close_hint, "公示期满后填写并点击上方「销号」,销号信息随之保存。")
        else:
            hint(self.close_hint, "公示期满后才能销号。")

    # -- records, committed on leaving a field ------------------------------------------------
    def commit_acceptance(self) -> bool:
        record = self.record
        if record is None or record.id is None or record.status not in ACCEPTANCE_OPEN:
            return True
        try:
            values = self._acceptance_values()
        except LedgerError as error:
            show_error(self, error)  # the field keeps what was typed, in red, with the reason
            return False
        if values == self._acceptance_baseline():
            return True
        accepted_on, unit, conclusion, opinion = values
        task_id = record.id

        def save() -> None:
            if accepted_on is None:
                raise ValidationError("请填写验收日期。", "acceptance date missing")
            self.ledger.lifecycle.record_acceptance(
                task_id, accepted_on=accepted_on, unit=unit, conclusion=conclusion, opinion=opinion
            )

        return self.attempt(save, "已保存:验收情况", lambda: self._show_acceptance(record))

    def _propose_notice_end(self) -> None:
        start = self.notice_start.valid_day()
        if start is not None and self.notice_end.is_empty():
            set_date(self.notice_end, start + timedelta(days=NOTICE_DAYS - 1))
        self._show_notice_hint()

    def commit_notice(self) -> bool:
        record = self.record
        self._show_notice_hint()
        if record is None or record.id is None or record.status not in NOTICE_OPEN:
            return True
        try:
            values = self._notice_values()
        except LedgerError as error:
            show_error(self, error)
            return False
        start, end, contact, phone, outcome = values
        if start is None or end is None or values == self._notice_baseline():
            return True  # nothing to keep until both dates are there
        task_id = record.id
        return self.attempt(
            lambda: self.ledger.lifecycle.record_public_notice(
                task_id, start=start, end=end, contact=contact, phone=phone, outcome=outcome
            ),
            "已保存:公示情况",
            lambda: self._show_notice(record),
        )

    def flush(self) -> None:
        self.commit_acceptance()
        self.commit_notice()

    # -- lifecycle steps ----------------------------------------------------------------------
    def _refused(self, step: str, why: str) -> None:
        self.step_message.setText(f"未能「{step}」:{why}")
        set_style(self.step_message, f"QLabel {{ color: {ERROR_COLOUR}; font-weight: bold; }}")
        self.step_message.show()

    def _run_step(self, step: str, action: Callable[[], object]) -> bool:
        self.step_message.hide()
        try:
            action()
        except LedgerError as error:
            self._refused(step, error.message_zh)
            return False
        self.committed.emit(f"已{step}" if step != "销号" else "已销号")
        return True

    def walk(self, target: TaskStatus) -> bool:
        """Take the forward step to ``target``, saving the records that step needs first."""
        record = self.record
        if record is None or record.id is None:
            return False
        task_id = record.id
        step = STEP_NAMES[target]
        if target is S.ACCEPTED and record.status is S.COMPLETED:
            if not self.acceptance_unit.text().strip():
                self._refused(step, "请先填写验收单位。")
                self.acceptance_unit.setFocus()
                return False
            if not self.commit_acceptance():
                return False
        if target is S.PUBLIC_NOTICE and record.status is S.ACCEPTED and not self.commit_notice():
            return False
        if target is S.CLOSED:
            try:
                closed_on = date_value(self.closed_on) or date.today()
            except LedgerError as error:
                self._refused(step, f"销号日期:{error.message_zh}")
                self.closed_on.setFocus()
                return False
            return self._run_step(
                step,
                lambda: self.ledger.lifecycle.close_out(
                    task_id,
                    closed_on=closed_on,
                    approved_by=self.approved_by.text(),
                    document_no=self.document_no.text(),
                ),
            )
        return self._run_step(step, lambda: self.ledger.lifecycle.transition(task_id, target))

    def step_back(self) -> bool:
        if self.record is None or self.record.id is None or self._back_step is None:
            return False
        target, name = self._back_step
        reason, ok = QInputDialog.getMultiLineText(self, name, f"「{name}」需要说明原因(记入操作记录):")
        if not ok:
            return False
        task_id = self.record.id
        return self._run_step(name, lambda: self.ledger.lifecycle.transition(task_id, target, reason=reason))
