"""Printed forms from the ledger: sign-off forms, evaluation reports, supervision orders and reminders.

The PDF layout lives in io/pdf/forms; this module picks the tasks, numbers the letters (督办〔2026〕N号,
per kind and year, kept in the ledger) and hands records to the writers.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import func, select

from ledger_app.domain.errors import NotFoundError, ValidationError
from ledger_app.domain.model import NoticeKind, ScheduleFlag, Section, TaskStatus
from ledger_app.domain.progress import CancelFn, ProgressFn
from ledger_app.store import models as m

from .directory import clean_name
from .queries import TaskFilter

if TYPE_CHECKING:  # reportlab is imported only when a form is printed: it costs ~0.5 s at start-up
    from ledger_app.io.pdf.forms import FormContext

    from . import Ledger


NOTICE_PREFIX = {NoticeKind.SUPERVISION_ORDER: "督办", NoticeKind.REMINDER: "提醒"}
# Which schedule flags put a unit's task on each letter.
NOTICE_FLAGS = {
    NoticeKind.SUPERVISION_ORDER: (ScheduleFlag.LAGGING,),
    NoticeKind.REMINDER: (ScheduleFlag.LAGGING, ScheduleFlag.DUE_SOON),
}


def parse_notice_kind(text: str) -> NoticeKind:
    for kind in NoticeKind:
        if text in (kind.value, kind.label, NOTICE_PREFIX[kind]):
            return kind
    raise ValidationError(f"未知的文书类型:{text}(可用:督办、提醒)", f"unknown notice kind {text!r}")


def parse_section(text: str) -> Section:
    for section in Section:
        if text in (section.value, section.label):
            return section
    raise ValidationError(
        f"未知的问题类别:{text}(可用:反馈问题、交办信访件、自查问题)", f"bad section {text!r}"
    )


@dataclass(frozen=True, slots=True)
class IssuedNotice:
    number: str  # 督办〔2026〕3号
    unit: str
    task_count: int
    path: Path


class Forms:
    """``ledger.forms``: printed forms and letters: sign-off forms, evaluation reports, 督办单 and 提醒函."""

    def __init__(self, ledger: Ledger) -> None:
        self.ledger = ledger

    def form_context(self) -> FormContext:
        from ledger_app.io.pdf.forms import FormContext

        return FormContext.from_settings(self.ledger.settings.current())

    def tasks_closed_in(self, year: int, month: int) -> list[int]:
        """Tasks now closed whose close-out is dated in that month, in ledger order."""
        start = date(year, month, 1)
        end = (start + timedelta(days=32)).replace(day=1)
        with self.ledger.reading() as session:
            closed = set(
                session.scalars(
                    select(m.CloseOut.problem_id).where(
                        m.CloseOut.closed_on >= start, m.CloseOut.closed_on < end
                    )
                )
            )
        return [
            row.id
            for row in self.ledger.queries.list_tasks(TaskFilter(status=TaskStatus.CLOSED))
            if row.id in closed
        ]

    def write_signoff_forms(
        self,
        task_ids: Sequence[int],
        out: Path,
        *,
        implementation_texts: Mapping[int, str] | None = None,
        progress_choice: str = "all",
        progress: ProgressFn | None = None,
        cancelled: CancelFn | None = None,
    ) -> int:
        """销号审批表 for the tasks, in one PDF; ``implementation_texts`` are the clerk's edits of 整改落实情况,
        the others say what ``progress_choice`` asks: "all" progress summarised, or the "latest" report."""
        from ledger_app.io.pdf.forms import SignoffInput, write_signoff_forms
        from ledger_app.io.pdf.inputs import ProgressChoice

        try:
            choice = ProgressChoice(progress_choice)
        except ValueError:
            raise ValidationError(
                f"整改落实情况的取法只能是 all(全部进展汇总)或 latest(最新一次进展),不是“{progress_choice}”。",
                f"progress choice must be all or latest, not {progress_choice!r}",
            ) from None
        records = self.ledger.records.task_records(task_ids)
        if not records:
            raise ValidationError("没有可打印销号审批表的任务。", "no tasks to print")
        texts = implementation_texts or {}
        items = [SignoffInput(r, implementation_text=texts.get(r.id or 0), progress=choice) for r in records]
        write_signoff_forms(items, out, context=self.form_context(), progress=progress, cancelled=cancelled)
        return len(items)

    def write_evaluation_reports(
        self,
        task_ids: Sequence[int],
        out: Path,
        *,
        progress: ProgressFn | None = None,
        cancelled: CancelFn | None = None,
    ) -> int:
        from ledger_app.io.pdf.forms import write_evaluation_reports

        records = self.ledger.records.task_records(task_ids)
        if not records:
            raise ValidationError("没有可生成评估报告的任务。", "no tasks to report on")
        write_evaluation_reports(
            records, out, context=self.form_context(), progress=progress, cancelled=cancelled
        )
        return len(records)

    def notice_candidates(self, unit: str, kind: NoticeKind, *, today: date | None = None) -> list[int]:
        """The unit's open tasks that a 督办单 (lagging) or 提醒函 (lagging or due soon) would list."""
        flags = NOTICE_FLAGS[kind]
        return [
            row.id
            for row in self.ledger.queries.list_tasks(today=today)
            if unit in row.main_units and row.schedule in flags
        ]

    def issue_unit_notice(
        self,
        *,
        unit: str,
        kind: NoticeKind,
        out: Path,
        issued_on: date | None = None,
        reply_by: date | None = None,
        task_ids: Sequence[int] | None = None,
        body_text: str | None = None,
    ) -> IssuedNotice:
        """Number the letter (per kind and year) and write it; the number is only used when the PDF is.

        ``task_ids``: the tasks to list when the caller has them already (the overview's reminders in
        one step); otherwise the unit's lagging (or due-soon) tasks are looked up. ``body_text``
        replaces the standard opening (a reminder about a missing monthly reply says why it is sent)."""
        from ledger_app.io.pdf.forms import UnitNoticeInput, write_unit_notice

        unit = clean_name(unit)
        issued_on = issued_on or date.today()
        reply_by = reply_by or issued_on + timedelta(days=7)
        if unit not in {u.name for u in self.ledger.directory.list_units()}:
            raise NotFoundError(f"单位名录中没有「{unit}」。", f"no unit named {unit!r}")
        ids = list(task_ids) if task_ids is not None else self.notice_candidates(unit, kind, today=issued_on)
        if not ids:
            what = "滞后" if kind is NoticeKind.SUPERVISION_ORDER else "滞后或临期"
            raise ValidationError(
                f"「{unit}」牵头(负责)的任务中没有{what}的,无需发{kind.label}。",
                f"no tasks for a {kind.value}",
            )
        records = self.ledger.records.task_records(ids, today=issued_on)
        with self.ledger.changing(f"发出{kind.label}:{unit}") as session:
            year = issued_on.year
            last = session.scalar(
                select(func.max(m.NoticeDocument.number)).where(
                    m.NoticeDocument.kind == kind.value, m.NoticeDocument.year == year
                )
            )
            number = (last or 0) + 1
            number_text = f"{NOTICE_PREFIX[kind]}〔{year}〕{number}号"
            unit_id = session.scalar(select(m.Unit.id).where(m.Unit.name == unit))
            session.add(
                m.NoticeDocument(
                    kind=kind.value,
                    year=year,
                    number=number,
                    unit_id=unit_id,
                    unit_name=unit,
                    issued_on=issued_on,
                    reply_by=reply_by,
                    problem_ids=",".join(str(i) for i in ids),
                    created_at=session.info["now"],
                )
            )
            session.flush()
            # Written inside the transaction: if the PDF cannot be written, the number is not used up.
            notice = UnitNoticeInput(
                kind, number_text, unit, issued_on, reply_by, records, body_text=body_text
            )
            write_unit_notice(notice, out, context=self.form_context())
        return IssuedNotice(number_text, unit, len(records), Path(out))
