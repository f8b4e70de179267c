"""The ``overview`` part (挂图作战): one call for the page, ``ledger-cli stats`` and the progress report."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import select

from ledger_app.domain.errors import LedgerError, ValidationError
from ledger_app.domain.model import NoticeKind, ProblemKind, ReviewResult, TaskStatus, UnitRole
from ledger_app.domain.overview import (
    Overview,
    OverviewItem,
    SentNotice,
    TaskHistory,
    build_overview,
    count_notices,
    unit_key,
)
from ledger_app.domain.progress import CancelFn, ProgressFn
from ledger_app.domain.progress_report import ProgressReport, build_progress_report
from ledger_app.domain.ranking import reminder_plan
from ledger_app.gcpause import gc_paused
from ledger_app.store import models as m
from ledger_app.store.file_names import windows_safe_name
from ledger_app.store.fileops import make_dirs

from .fastread import as_date, fetch_all
from .forms import IssuedNotice
from .queries import TaskFilter, TaskRow

if TYPE_CHECKING:
    from . import Ledger


_Events = tuple[tuple[date, TaskStatus], ...]


class OverviewPart:
    """``ledger.overview``: the overview's figures (domain.overview.Overview), reminders in one step,
    the notices sent, and the progress report built on the same figures."""

    def __init__(self, ledger: Ledger) -> None:
        self.ledger = ledger
        # (ledger state, petition batches, dated status events per task): see _recorded_history.
        self._history_cache: tuple[object, dict[int, str], dict[int, _Events]] | None = None

    def build(
        self,
        *,
        round_id: int | None = None,
        round_name: str | None = None,
        today: date | None = None,
        rows: Sequence[TaskRow] | None = None,
    ) -> Overview:
        """The figures, the unit ranking and the month-by-month series of one round (or all).

        ``rows``: the task list the caller already holds (the GUI's, flagged for ``today``), so a refresh
        does not read every task again; without it the tasks are read here.
        """
        today = today or date.today()
        rounds = self.ledger.directory.list_rounds()
        if round_name:
            round_id = self.ledger.directory.round_by_name(round_name).id
        name = next((r.name for r in rounds if r.id == round_id), None) if round_id is not None else None
        if rows is None:
            rows = self.ledger.queries.list_tasks(TaskFilter(round_id=round_id), today=today)
        elif round_id is not None:
            rows = [r for r in rows if r.round_id == round_id]
        feedback_dates = {r.name: r.feedback_date for r in rounds}
        place = self.ledger.settings.current().place
        lead, responsible = UnitRole.LEAD, UnitRole.RESPONSIBLE
        with gc_paused():  # tens of thousands of small objects, no cycles among them
            batches, histories = self._overview_facts(rows, feedback_dates)
            items = [
                OverviewItem(
                    r.round_name,
                    r.kind,
                    r.status,
                    r.schedule,
                    tuple(r.units.get(lead) or r.units.get(responsible) or ()),  # TaskRow.main_units
                    r.id,
                    None if r.deadline.long_term else r.deadline.date,
                    batches.get(r.id, ""),
                )
                for r in rows
            ]
            overview = build_overview(
                items,
                today=today,
                feedback_dates=feedback_dates,
                histories=histories,
                round_name=name,
                place=place,
            )
        overview.notices_month, overview.notices_total = count_notices(
            self.sent_notices(), (r.id for r in rows), today
        )
        return overview

    def issue_reminders(
        self,
        folder: Path,
        *,
        issued_on: date | None = None,
        reply_by: date | None = None,
        round_name: str | None = None,
        progress: ProgressFn | None = None,
        cancelled: CancelFn | None = None,
    ) -> list[IssuedNotice]:
        """Reminders in one step: a 督办单 to each unit with lagging tasks, a 提醒函 to each other unit with
        tasks due soon (domain.ranking.reminder_plan), numbered and recorded as issued, one PDF each
        in ``folder``. Each letter is its own change: when one fails, those before it stay issued."""
        issued_on = issued_on or date.today()
        overview = self.build(round_name=round_name, today=issued_on)
        plan = reminder_plan(overview.ranking)
        if not plan:
            raise ValidationError(
                "没有滞后或临期的任务,无需发督办单或提醒函。", "no lagging or due-soon tasks: nothing to send"
            )
        try:
            make_dirs(folder)
        except OSError as exc:
            raise LedgerError(
                f"无法创建文件夹 {folder}:{exc.strerror or exc}", f"cannot create {folder}"
            ) from exc
        issued = []
        for index, (unit, kind) in enumerate(plan):
            if cancelled is not None and cancelled():
                break
            if progress is not None:
                progress(index, len(plan), f"{kind.label}:{unit}")
            part = "lagging" if kind is NoticeKind.SUPERVISION_ORDER else "due-soon"
            out = Path(folder) / windows_safe_name(f"{index + 1:02d}-{kind.label}-{unit}.pdf")
            issued.append(
                self.ledger.forms.issue_unit_notice(
                    unit=unit,
                    kind=kind,
                    out=out,
                    issued_on=issued_on,
                    reply_by=reply_by,
                    task_ids=overview.task_ids(unit_key(unit, part)),
                )
            )
        if progress is not None:
            progress(len(plan), len(plan), "已完成")
        return issued

    def sent_notices(self, task_id: int | None = None) -> list[SentNotice]:
        """The 督办单 and 提醒函 issued (oldest first); with ``task_id`` only those that list that task."""
        query = select(
            m.NoticeDocument.kind, m.NoticeDocument.issued_on, m.NoticeDocument.problem_ids
        ).order_by(m.NoticeDocument.issued_on, m.NoticeDocument.id)
        with self.ledger.reading() as session:
            found = fetch_all(session, query)
        notices = [
            SentNotice(NoticeKind(kind), as_date(day), frozenset(int(i) for i in ids.split(",") if i.strip()))  # type: ignore[arg-type]
            for kind, day, ids in found
        ]
        return notices if task_id is None else [n for n in notices if task_id in n.task_ids]

    def progress_report(
        self,
        *,
        round_name: str | None = None,
        as_of: date | None = None,
        practices: str | None = None,
        next_steps: str | None = None,
    ) -> ProgressReport:
        """整改落实情况报告 for a round (or all) as of a day: the overview's figures, the tasks not yet
        closed with their latest progress, and the clerk's own 主要做法 / 下一步工作 (from the ledger's
        settings unless given)."""
        as_of = as_of or date.today()
        overview = self.build(round_name=round_name, today=as_of)
        settings = self.ledger.settings.current()
        open_ids = [i.task_id for i in overview.items if i.status is not TaskStatus.CLOSED]
        records = self.ledger.records.task_records(open_ids, today=as_of)
        return build_progress_report(
            overview,
            records,
            organisation=settings.organisation,
            issuer=settings.rectification_office or settings.organisation,
            practices=settings.report_practices if practices is None else practices,
            next_steps=settings.report_next_steps if next_steps is None else next_steps,
        )

    def export_progress_report(
        self,
        out: Path,
        *,
        round_name: str | None = None,
        as_of: date | None = None,
        practices: str | None = None,
        next_steps: str | None = None,
    ) -> ProgressReport:
        """Write the report as .docx; texts given here are kept in the ledger for next time."""
        from ledger_app.io.progress_docx import write_progress_report

        report = self.progress_report(
            round_name=round_name, as_of=as_of, practices=practices, next_steps=next_steps
        )
        write_progress_report(report, Path(out))
        changes = {
            key: value
            for key, value in (("report_practices", practices), ("report_next_steps", next_steps))
            if value is not None
        }
        if changes and not self.ledger.read_only:
            self.ledger.settings.update(**changes)
        return report

    def _overview_facts(
        self, rows: Sequence[TaskRow], feedback_dates: dict[str, date | None]
    ) -> tuple[dict[int, str], list[TaskHistory]]:
        """Petition batches, and every task's status changes with their days.

        The days come from the ledger's records: acceptance (已验收), public notice (公示中), close-out
        (已销号), a relapse found by 回头看 (reopened, 整改中), and the status changes of the audit log
        (the day they were made). A task whose records end in another status than its own (imported
        already completed, say) gets its status on its latest progress report's day, or on the
        feedback date when it has none.
        """
        batches, recorded = self._recorded_history()
        histories = []
        for row in rows:
            deadline = None if row.deadline.long_term else row.deadline.date
            found = recorded.get(row.id, ())
            last = found[-1][1] if found else TaskStatus.NOT_STARTED
            if last is not row.status:
                day = (
                    row.latest_progress
                    or feedback_dates.get(row.round_name)
                    or (found[-1][0] if found else None)
                )
                if day is not None:
                    found = (*found, (max(day, found[-1][0]) if found else day, row.status))
            histories.append(TaskHistory(row.id, deadline, found))
        return batches, histories

    def _recorded_history(self) -> tuple[dict[int, str], dict[int, _Events]]:
        """Batches and dated status events per task, read once per state of the ledger.

        Every change writes an audit row, and the audit log is a hash chain: its newest (id, hash)
        names the ledger's state, so a refresh after no change (another round, a new day) reads nothing.
        """
        statuses = {s.value: s for s in TaskStatus}
        with self.ledger.reading() as session:
            head = session.execute(
                select(m.AuditEntry.id, m.AuditEntry.row_hash).order_by(m.AuditEntry.id.desc()).limit(1)
            ).first()
            key = (self.ledger.path, tuple(head) if head else None)
            cached = self._history_cache
            if cached is not None and cached[0] == key:
                return cached[1], cached[2]
            petitions = fetch_all(
                session,
                select(m.Problem.id, m.Problem.batch).where(
                    m.Problem.kind == ProblemKind.PETITION.value, m.Problem.deleted_at.is_(None)
                ),
            )
            events: dict[int, list[tuple[date, TaskStatus]]] = {}
            sources = (
                (select(m.Acceptance.problem_id, m.Acceptance.accepted_on), TaskStatus.ACCEPTED),
                (select(m.PublicNotice.problem_id, m.PublicNotice.start), TaskStatus.PUBLIC_NOTICE),
                (select(m.CloseOut.problem_id, m.CloseOut.closed_on), TaskStatus.CLOSED),
                (
                    select(m.Review.problem_id, m.Review.review_date).where(
                        m.Review.result == ReviewResult.RELAPSE.value
                    ),
                    TaskStatus.IN_PROGRESS,
                ),
            )
            for query, status in sources:
                for pid, day in fetch_all(session, query):
                    if day is not None:
                        events.setdefault(pid, []).append((as_date(day), status))  # type: ignore[arg-type]
            audit = select(m.AuditEntry.problem_id, m.AuditEntry.at, m.AuditEntry.new_value).where(
                m.AuditEntry.entity == "problem",
                m.AuditEntry.field == "status",
                m.AuditEntry.undone.is_(False),
            )
            for pid, at, new in fetch_all(session, audit):
                if new in statuses:
                    events.setdefault(pid, []).append((as_date(at), statuses[new]))  # type: ignore[arg-type]
        # On one day, the later step last (accepted before closed).
        recorded = {
            pid: tuple(sorted(found, key=lambda e: (e[0], e[1].order))) for pid, found in events.items()
        }
        batches = {pid: batch or "" for pid, batch in petitions}
        self._history_cache = (key, batches, recorded)
        return batches, recorded
