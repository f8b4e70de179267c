"""PDF forms of the ledger: 销号审批表, 销号评估报告, 督办单 and 提醒函 (reportlab, no Qt, no database).

Public API (everything else in ``pdf_*`` modules is internal)::

    from ledger_app.io.pdf.forms import (
        FormContext, SignoffInput, EvaluationInput, UnitNoticeInput,
        write_signoff_forms, write_evaluation_reports, write_evaluation_report,
        write_unit_notices, write_unit_notice, default_implementation_text,
    )

    ctx = FormContext.from_settings(ledger.settings.current())   # organisation, office, 县(区) wording
    write_signoff_forms([SignoffInput(task), SignoffInput(task2, implementation_text="……")],
                        Path("销号审批表.pdf"), context=ctx, progress=cb, cancelled=flag)
    write_evaluation_report(EvaluationInput(task), Path("评估报告.pdf"), context=ctx)
    write_unit_notice(UnitNoticeInput(NoticeKind.SUPERVISION_ORDER, "督办〔2026〕3号", "区住建局",
                                      issued_on, reply_by, tasks), Path("督办单.pdf"), context=ctx)

- ``out`` is a path (written to a temporary file beside it and renamed when complete) or a binary
  stream (written once, at the end). Nothing is written when the work is cancelled or fails.
- Batch functions put every task (or notice) in one PDF, each starting on a new page and numbered
  on its own ("第1页 共2页" on forms, "— 1 —" on letters; no number on a one-page item).
- ``progress(done, total, text)`` is called after each item; ``cancelled()`` is polled before each
  item and, when it returns True, ``ledger_app.domain.errors.CancelledError`` is raised.
- Bad input (no tasks, a notice without a unit or number, a reply date before the issue date) raises
  ``ValidationError``; a file that cannot be written raises ``PdfWriteError`` (both ``LedgerError``).
- User text is printed exactly as typed: ``<b>``, ``&amp;``, ``]]>`` are not markup; newlines break
  lines; ideographic spaces are kept. Fonts: see ``pdf.fonts`` (Windows 仿宋/宋体/黑体 when present,
  bundled AR PL UMing + WenQuanYi Micro Hei otherwise), always embedded as subsets.
- ``TaskRecord.schedule`` must be set on the tasks of a notice (the 进度情况 column shows it).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import BinaryIO, TypeVar

from ledger_app.domain.errors import ValidationError
from ledger_app.domain.progress import CancelFn, ProgressFn
from ledger_app.domain.records import TaskRecord
from ledger_app.io.pdf.doc import PdfWriteError, Section, render, write_atomically
from ledger_app.io.pdf.fonts import FontSet, load_fonts
from ledger_app.io.pdf.inputs import (
    EvaluationInput,
    FormContext,
    SignoffInput,
    UnitNoticeInput,
    default_implementation_text,
)
from ledger_app.io.pdf.notice import notice_section
from ledger_app.io.pdf.report import TITLE as REPORT_TITLE
from ledger_app.io.pdf.report import report_section
from ledger_app.io.pdf.signoff import TITLE as SIGNOFF_TITLE
from ledger_app.io.pdf.signoff import signoff_section

__all__ = [
    "EvaluationInput",
    "FormContext",
    "PdfWriteError",
    "SignoffInput",
    "UnitNoticeInput",
    "default_implementation_text",
    "write_evaluation_report",
    "write_evaluation_reports",
    "write_signoff_forms",
    "write_unit_notice",
    "write_unit_notices",
]

Output = Path | str | BinaryIO
Item = TypeVar("Item")


def _write_batch(
    items: Sequence[Item],
    build: Callable[[Item, FormContext, FontSet], Section],
    title: str,
    out: Output,
    context: FormContext | None,
    progress: ProgressFn | None,
    cancelled: CancelFn | None,
) -> None:
    """One section per item, all in one PDF; the caller has checked the items (nothing written if bad)."""
    ctx = context or FormContext()
    fonts = load_fonts()
    sections = [build(item, ctx, fonts) for item in items]
    write_atomically(
        out,
        lambda: render(
            sections,
            fonts,
            title=title,
            author=ctx.organisation,
            progress=progress,
            cancelled=cancelled,
        ),
    )


def write_signoff_forms(
    tasks: Sequence[SignoffInput | TaskRecord],
    out: Output,
    *,
    context: FormContext | None = None,
    progress: ProgressFn | None = None,
    cancelled: CancelFn | None = None,
) -> None:
    """整改任务销号审批表, one per task (a bare TaskRecord prints all its progress, summarised)."""
    items = [t if isinstance(t, SignoffInput) else SignoffInput(t) for t in tasks]
    if not items:
        raise ValidationError("没有选择要打印销号审批表的任务。", "no tasks for sign-off forms")
    _write_batch(items, signoff_section, SIGNOFF_TITLE, out, context, progress, cancelled)


def write_evaluation_reports(
    reports: Sequence[EvaluationInput | TaskRecord],
    out: Output,
    *,
    context: FormContext | None = None,
    progress: ProgressFn | None = None,
    cancelled: CancelFn | None = None,
) -> None:
    """整改任务销号评估报告, one per task."""
    items = [r if isinstance(r, EvaluationInput) else EvaluationInput(r) for r in reports]
    if not items:
        raise ValidationError("没有选择要生成评估报告的任务。", "no tasks for evaluation reports")
    _write_batch(items, report_section, REPORT_TITLE, out, context, progress, cancelled)


def write_evaluation_report(
    report: EvaluationInput | TaskRecord, out: Output, *, context: FormContext | None = None
) -> None:
    write_evaluation_reports([report], out, context=context)


def write_unit_notices(
    notices: Sequence[UnitNoticeInput],
    out: Output,
    *,
    context: FormContext | None = None,
    progress: ProgressFn | None = None,
    cancelled: CancelFn | None = None,
) -> None:
    """督办单 / 提醒函, one per unit."""
    if not notices:
        raise ValidationError("没有需要发出的督办单或提醒函。", "no notices to write")
    for notice in notices:
        notice.validate()
    title = notices[0].kind.label if len({n.kind for n in notices}) == 1 else "督办单和提醒函"
    _write_batch(notices, notice_section, title, out, context, progress, cancelled)


def write_unit_notice(notice: UnitNoticeInput, out: Output, *, context: FormContext | None = None) -> None:
    write_unit_notices([notice], out, context=context)
