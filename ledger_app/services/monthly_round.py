"""The ``monthly`` part: the monthly round with the units (每月报). Sending each unit its sheet, the send log,
who has not answered and the reminders are here; reading and collecting the replies, part two, is in
monthly_replies.py; what both keep in the ledger is in monthly_log.py.

The send log says which unit was sent which tasks for which month, which is what "who has not
answered" and the matching of a reply without its identity column use.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from ledger_app.domain.errors import CancelledError, LedgerError, NotFoundError, ValidationError
from ledger_app.domain.model import NoticeKind, TaskStatus, UnitRole
from ledger_app.domain.progress import CancelFn, ProgressFn
from ledger_app.domain.records import TaskRecord
from ledger_app.io.excel_out.unit_sheet import UnitSheet, UnitSheetGroup, UnitSheetRow
from ledger_app.io.report_content import measures_text
from ledger_app.store.file_names import windows_safe_name
from ledger_app.store.fileops import make_dirs

from . import monthly_replies
from .directory import clean_name
from .forms import IssuedNotice
from .monthly_log import (
    LEDGER_ID_KEY,
    REPLIED_KEY,
    SENT_KEY,
    check_month,
    month_key,
    store_text,
    stored_log,
    stored_text,
    task_checksum,
)
from .monthly_replies import CollectResult, RepliesReview

if TYPE_CHECKING:
    from . import Ledger

DEFAULT_ROLES = (UnitRole.LEAD, UnitRole.RESPONSIBLE)


def sheet_file_name(month: tuple[int, int], unit: str) -> str:
    return windows_safe_name(f"{month[0]}年{month[1]}月-{unit}-整改进展月报表.xlsx")


@dataclass(slots=True)
class SentSheet:
    unit: str
    path: Path
    task_count: int


@dataclass(slots=True)
class DistributeResult:
    month: tuple[int, int]
    sheets: list[SentSheet] = field(default_factory=list)
    no_open_tasks: list[str] = field(default_factory=list)  # units named that have nothing to report
    warnings: list[str] = field(default_factory=list)


@dataclass(slots=True)
class SendLogEntry:
    month: str
    unit: str
    file: str
    tasks: int
    sent_at: str
    task_ids: list[int] = field(default_factory=list)


@dataclass(slots=True)
class RoundStatus:
    """One unit in a month's round: sent, and answered or not."""

    unit: str
    file: str
    tasks: int
    sent_at: str
    replied_at: str = ""
    replied_file: str = ""

    @property
    def answered(self) -> bool:
        return bool(self.replied_at)


def _roles(roles: Iterable[UnitRole | str]) -> tuple[UnitRole, ...]:
    result = tuple(UnitRole(r) for r in roles)
    if not result or UnitRole.SUPERVISING in result:
        raise ValidationError(
            "发送范围应为牵头、责任或配合单位。", "roles must be lead/responsible/cooperating"
        )
    return result


def unit_roles(record: TaskRecord) -> dict[UnitRole, list[str]]:
    return {
        UnitRole.LEAD: record.lead_units,
        UnitRole.RESPONSIBLE: record.responsible_units,
        UnitRole.COOPERATING: record.cooperating_units,
    }


class MonthlyRound:
    """``ledger.monthly``: the monthly round with the units: sheets sent, replies read and collected, reminders."""

    def __init__(self, ledger: Ledger) -> None:
        self.ledger = ledger

    # -- identity and logs ---------------------------------------------------------------------
    def ledger_identity(self) -> str:
        """The id every sheet carries; "" before the first send."""
        with self.ledger.reading() as session:
            return stored_text(session, LEDGER_ID_KEY) or ""

    def send_log(self, month: tuple[int, int] | None = None) -> list[SendLogEntry]:
        with self.ledger.reading() as session:
            raw = stored_log(session, SENT_KEY)
        entries = []
        for item in raw:
            try:
                entry = SendLogEntry(
                    str(item["month"]),
                    str(item["unit"]),
                    str(item["file"]),
                    int(item["tasks"]),  # type: ignore[call-overload]
                    str(item["sent_at"]),
                    [int(i) for i in item.get("task_ids", [])],  # type: ignore[attr-defined]
                )
            except (KeyError, TypeError, ValueError):
                continue
            if month is None or entry.month == month_key(month):
                entries.append(entry)
        return entries

    def reply_log(self, month: tuple[int, int] | None = None) -> list[dict[str, object]]:
        with self.ledger.reading() as session:
            raw = stored_log(session, REPLIED_KEY)
        return [r for r in raw if month is None or r.get("month") == month_key(month)]

    def round_status(self, month: tuple[int, int]) -> list[RoundStatus]:
        """Every unit sent a sheet for ``month`` (its latest send), and whether it has answered."""
        check_month(month)
        latest: dict[str, SendLogEntry] = {}
        for entry in self.send_log(month):
            latest[entry.unit] = entry
        replied: dict[str, dict[str, object]] = {}
        for item in self.reply_log(month):
            replied[str(item.get("unit", ""))] = item
        result = []
        for unit, entry in latest.items():
            answer = replied.get(unit, {})
            result.append(
                RoundStatus(
                    unit,
                    entry.file,
                    entry.tasks,
                    entry.sent_at,
                    str(answer.get("collected_at", "")),
                    str(answer.get("file", "")),
                )
            )
        return result

    def missing_replies(self, month: tuple[int, int]) -> list[RoundStatus]:
        """The units sent a sheet for ``month`` whose reply has not been collected."""
        return [s for s in self.round_status(month) if not s.answered]

    def remind_missing(
        self,
        month: tuple[int, int],
        out_dir: Path,
        *,
        issued_on: date | None = None,
        reply_by: date | None = None,
    ) -> list[IssuedNotice]:
        """One step: a numbered 提醒函 to every unit that has not answered ``month``'s sheet, listing the
        tasks it was sent, each letter recorded like any other (the same form, the same numbering)."""
        month = check_month(month)
        missing = self.missing_replies(month)
        if not missing:
            raise ValidationError(
                f"{month[0]}年{month[1]}月的月报表都已收回(或尚未发送),无需发提醒函。",
                "every unit has answered (or nothing was sent): no reminders",
            )
        sent = {entry.unit: entry for entry in self.send_log(month)}  # the latest send per unit
        make_dirs(out_dir)
        issued = []
        for status in missing:
            entry = sent[status.unit]
            live = {r.id for r in self.ledger.records.task_records(entry.task_ids) if r.id is not None}
            ids = [i for i in entry.task_ids if i in live]  # tasks deleted since are left out
            if not ids:
                continue
            sent_on = _chinese_day(entry.sent_at)
            body = (
                f"{month[0]}年{month[1]}月整改进展月报表已于{sent_on}发你单位，至今尚未收到回复。"
                f"请抓紧填报以下{len(ids)}项整改任务的本月进展，按时报送。"
            )
            name = windows_safe_name(f"{month[0]}年{month[1]}月-{status.unit}-月报表催报提醒函.pdf")
            issued.append(
                # The same letter, numbering and record as any 提醒函.
                self.ledger.forms.issue_unit_notice(
                    unit=status.unit,
                    kind=NoticeKind.REMINDER,
                    out=Path(out_dir) / name,
                    issued_on=issued_on,
                    reply_by=reply_by,
                    task_ids=ids,
                    body_text=body,
                )
            )
        return issued

    # -- sending -------------------------------------------------------------------------------
    def distribute(
        self,
        *,
        month: tuple[int, int],
        out_dir: Path,
        units: Sequence[str] | None = None,
        roles: Iterable[UnitRole | str] = DEFAULT_ROLES,
        today: date | None = None,
        progress: ProgressFn | None = None,
        cancelled: CancelFn | None = None,
    ) -> DistributeResult:
        """One workbook per unit with its open tasks (status before 已完成) in ``roles``, written to
        ``out_dir``; the send is logged. ``units`` None: every unit that has such a task."""
        from ledger_app.io.excel_out.unit_sheet_writer import write_unit_sheet  # openpyxl: not at start-up

        self.ledger.check_writable()
        month = check_month(month)
        wanted_roles = _roles(roles)
        report = progress or (lambda done, total, text: None)
        is_cancelled = cancelled or (lambda: False)
        known = {u.name for u in self.ledger.directory.list_units()}
        chosen: list[str] | None = None
        if units is not None:
            chosen = list(dict.fromkeys(clean_name(u) for u in units))
            unknown = [u for u in chosen if u not in known]
            if unknown:
                raise NotFoundError(
                    f"单位名录中没有:{'、'.join(unknown)}。", f"unknown units: {', '.join(unknown)}"
                )
        records = [
            r
            for r in self.ledger.records.task_records(today=today)
            if r.id is not None and r.status.order < TaskStatus.COMPLETED.order
        ]
        by_unit: dict[str, list[TaskRecord]] = {}
        for record in records:
            linked = unit_roles(record)
            names: dict[str, None] = {}
            for role in wanted_roles:
                for name in linked[role]:
                    names.setdefault(name, None)
            for name in names:
                if chosen is None or name in chosen:
                    by_unit.setdefault(name, []).append(record)
        result = DistributeResult(month)
        if chosen is not None:
            result.no_open_tasks = [u for u in chosen if u not in by_unit]
        order = chosen if chosen is not None else sorted(by_unit)
        targets = [u for u in order if u in by_unit]
        if not targets:
            return result
        out_dir = Path(out_dir)
        try:
            make_dirs(out_dir)
        except OSError as exc:
            raise LedgerError(
                f"无法创建文件夹 {out_dir}:{exc.strerror or exc}", f"cannot create {out_dir}"
            ) from exc

        ledger_id = self.ledger_identity() or uuid.uuid4().hex
        settings = self.ledger.settings.current()
        office = settings.rectification_office or settings.organisation
        now = datetime.now().replace(microsecond=0)
        logged: list[dict[str, object]] = []
        for done, unit in enumerate(targets):
            if is_cancelled():
                raise CancelledError()
            report(done, len(targets), f"正在生成 {unit} 的月报表…")
            sheet = UnitSheet(unit, month[0], month[1], ledger_id, now, office)
            groups: dict[str, UnitSheetGroup] = {}
            for record in by_unit[unit]:
                section = record.kind.section.label
                heading = f"{record.round_name} {section}"
                group = groups.get(heading)
                if group is None:
                    group = groups[heading] = UnitSheetGroup(heading)
                    sheet.groups.append(group)
                check = task_checksum(ledger_id, record.id or 0, record.round_name, section, record.seq)
                group.rows.append(
                    UnitSheetRow(
                        f"{record.id}-{check}",
                        record.seq,
                        record.description,
                        measures_text(record.measures),
                        _deadline(record),
                        record.goal,
                    )
                )
            path = out_dir / sheet_file_name(month, unit)
            result.warnings += [f"{unit}:{w}" for w in write_unit_sheet(sheet, path)]
            result.sheets.append(SentSheet(unit, path, sheet.task_count))
            logged.append(
                {
                    "month": month_key(month),
                    "unit": unit,
                    "file": path.name,
                    "tasks": sheet.task_count,
                    "sent_at": now.isoformat(timespec="seconds"),
                    "roles": [r.value for r in wanted_roles],
                    "task_ids": [r.id for r in by_unit[unit]],
                }
            )
        with self.ledger.changing("发送月报表") as session:
            if not stored_text(session, LEDGER_ID_KEY):
                store_text(session, LEDGER_ID_KEY, ledger_id)
            log = stored_log(session, SENT_KEY) + logged
            store_text(session, SENT_KEY, json.dumps(log, ensure_ascii=False))
        report(len(targets), len(targets), "已完成")
        return result

    # -- collecting, in monthly_replies.py -----------------------------------------------------------
    def read_replies(
        self,
        paths: Sequence[Path | str],
        *,
        month: tuple[int, int] | None = None,
        progress_date: date | None = None,
        today: date | None = None,
        progress: ProgressFn | None = None,
        cancelled: CancelFn | None = None,
    ) -> RepliesReview:
        """Read the units' replies into a review (the dry run of collecting: it writes nothing);
        ``month`` None: the latest month sent."""
        return monthly_replies.read_replies(
            self.ledger,
            paths,
            month=month,
            progress_date=progress_date,
            today=today,
            progress=progress,
            cancelled=cancelled,
        )

    def collect_replies(
        self,
        review: RepliesReview,
        *,
        accept: Iterable[int] | None = None,
        progress_date: date | None = None,
        confirm_future: bool = False,
    ) -> CollectResult:
        """Enter the accepted answers (``accept``: answer keys; None: every "new" one) as progress
        entries dated ``progress_date`` (the review's by default), all or nothing, after a backup."""
        return monthly_replies.collect_replies(
            self.ledger, review, accept=accept, progress_date=progress_date, confirm_future=confirm_future
        )


def _deadline(record: TaskRecord) -> str:
    deadline = record.deadline
    if deadline.text.strip():
        return deadline.text
    if deadline.long_term:
        return "立行立改、长期坚持"
    return f"{deadline.date.year}年{deadline.date.month}月{deadline.date.day}日" if deadline.date else ""


def _chinese_day(stamp: str) -> str:
    """2026-12-07T09:30:00 → 2026年12月7日 (as official letters write dates)."""
    try:
        day = datetime.fromisoformat(stamp).date()
    except ValueError:
        return stamp[:10]
    return f"{day.year}年{day.month}月{day.day}日"
