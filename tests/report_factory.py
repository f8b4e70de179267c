"""A September monthly report of hand-made tasks, as the Excel-out tests build it."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from ledger_app.domain.deadlines import Deadline
from ledger_app.domain.model import ProblemKind, TaskStatus
from ledger_app.domain.records import TaskRecord
from ledger_app.io.report_content import MonthlyReport, build_monthly_report


def task(seq: str = "1", description: str | None = None) -> TaskRecord:
    """One task of 县住建局 in progress, due at the end of June 2027."""
    return TaskRecord(
        seq=seq,
        kind=ProblemKind.SPECIFIC,
        description=f"问题{seq}" if description is None else description,
        round_name="第二轮中央生态环境保护督察",
        lead_units=["县住建局"],
        deadline=Deadline("2027年6月底前", date(2027, 6, 30)),
        status=TaskStatus.IN_PROGRESS,
    )


def september_report(tasks: Iterable[TaskRecord]) -> MonthlyReport:
    """The report for September 2026 of XX县, dated 8 October."""
    return build_monthly_report(
        list(tasks),
        year=2026,
        month=9,
        title="XX县整改落实情况台账",
        reporting_unit="XX县整改办",
        report_date=date(2026, 10, 8),
        warning_days=15,
        place="我县",
    )
