"""The monthly report (月报): one builder of its content, shared by the CLI and the GUI."""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ledger_app.domain.errors import NotFoundError, ValidationError
from ledger_app.domain.model import TaskStatus
from ledger_app.domain.progress import CancelFn, ProgressFn
from ledger_app.io.report_content import MonthlyReport, build_monthly_report

from .queries import TaskFilter

if TYPE_CHECKING:
    from . import Ledger

ChartImagesFn = Callable[[Any, Path], Sequence[Path]]  # (Overview, folder) → PNG files


def parse_status(text: str) -> TaskStatus:
    """A status as typed on the command line: its English key or its Chinese label."""
    for status in TaskStatus:
        if text in (status.value, status.label):
            return status
    choices = "、".join(f"{s.label}({s.value})" for s in TaskStatus)
    raise ValidationError(f"未知的状态:{text}(可用:{choices})", f"unknown status {text!r}")


def previous_month(today: date) -> tuple[int, int]:
    """The month a report is usually made for: the one just ended."""
    return (today.year - 1, 12) if today.month == 1 else (today.year, today.month - 1)


class Reports:
    """``ledger.reports``: the monthly report (月报), its content and its workbook."""

    def __init__(self, ledger: Ledger) -> None:
        self.ledger = ledger

    def monthly_report(
        self,
        *,
        year: int,
        month: int,
        round_name: str | None = None,
        unit: str | None = None,
        statuses: Sequence[TaskStatus] = (),
        task_ids: Sequence[int] | None = None,
        report_date: date | None = None,
    ) -> MonthlyReport:
        """The report's content for one month; ``task_ids`` limits it to e.g. the GUI's current filter."""
        if not 1 <= month <= 12 or not 1990 <= year <= 2100:
            raise ValidationError(f"月份不正确:{year}-{month}", f"bad month {year}-{month}")
        settings = self.ledger.settings.current()
        flt = TaskFilter()
        if round_name:
            flt.round_id = self.ledger.directory.round_by_name(round_name).id
        if unit:
            if unit not in {u.name for u in self.ledger.directory.list_units()}:
                raise NotFoundError(f"单位名录中没有「{unit}」。", f"no unit named {unit!r}")
            flt.unit = unit
        ids = [
            row.id for row in self.ledger.queries.list_tasks(flt) if not statuses or row.status in statuses
        ]
        if task_ids is not None:
            wanted = set(task_ids)
            ids = [i for i in ids if i in wanted]
        records = self.ledger.records.task_records(ids)
        title = settings.report_title or (
            f"{settings.organisation}{round_name or '生态环境保护督察'}反馈问题整改落实情况台账"
        )
        report = build_monthly_report(
            records,
            year=year,
            month=month,
            title=title,
            reporting_unit=settings.rectification_office or settings.organisation,
            report_date=report_date or date.today(),
            warning_days=settings.warning_days,
            place=settings.place,
        )
        report.task_ids = ids
        return report

    def export_monthly_report(
        self,
        out: Path,
        *,
        year: int,
        month: int,
        progress: ProgressFn | None = None,
        cancelled: CancelFn | None = None,
        chart_images: ChartImagesFn | None = None,
        **options: object,
    ) -> list[str]:
        """Write the 月报 workbook; returns warnings (e.g. control characters dropped).

        ``chart_images(overview, folder)``: draws the overview's charts of the reported tasks as PNG files
        in ``folder`` (the GUI's chart code, given by the caller: no Qt here); they go into 统计.
        """
        from ledger_app.io.excel_out.export import write_monthly_report

        if progress:
            progress(0, 1, "读取台账")
        report = self.monthly_report(year=year, month=month, **options)  # type: ignore[arg-type]
        with tempfile.TemporaryDirectory(prefix="ledger-charts-") as folder:
            charts: Sequence[Path] = ()
            if chart_images is not None:
                as_of = report.summary.as_of
                wanted = set(report.task_ids)
                rows = [r for r in self.ledger.queries.list_tasks(today=as_of) if r.id in wanted]
                overview = self.ledger.overview.build(rows=rows, today=as_of)
                charts = chart_images(overview, Path(folder))
            return write_monthly_report(
                report, Path(out), progress=progress, cancelled=cancelled, charts=charts
            )
