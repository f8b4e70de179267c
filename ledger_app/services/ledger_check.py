"""检查台账: is the ledger file whole, is its audit log unbroken, and does the data agree with the log?

Four checks, each naming what it found so a clerk can find the record:

1. SQLite's own ``PRAGMA integrity_check`` and ``foreign_key_check`` (a damaged file, broken links).
2. The audit log as a hash chain (domain/audit_chain.py): every row's hash is recomputed in id order.
   A row whose content no longer matches its hash was changed (or forged) outside the program; a row
   whose "previous hash" is not the hash of the row before it follows rows that were deleted,
   inserted or reordered. A gap in the ids alone proves nothing (SQLite reuses and skips ids).
3. The data against the log (ledger_state.py): the value each field had after the last change the
   log recorded is compared with the row in the file, so "a task description changed with another
   SQLite tool" is named with its task, field, the value in the log and the value in the file.
4. The log against the backups (chain_witness.py): each backup's newest log row must still be in the
   ledger, unchanged, so cutting off the newest rows (which the chain alone cannot show) is found.

No Qt: the GUI runs ``check_ledger`` in a worker with ``progress`` and ``cancelled``.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from ledger_app.domain.audit_chain import GENESIS, row_hash
from ledger_app.domain.errors import CancelledError
from ledger_app.domain.progress import CancelFn, ProgressFn
from ledger_app.store import models as m

from .attachment_base import task_label
from .chain_witness import disagreement, witnesses
from .fastread import fetch_all
from .history import ENTITY_LABELS, FIELD_LABELS
from .ledger_state import CHANGED, MISSING, LogReplay, StateDifference, compare_state

if TYPE_CHECKING:
    from . import Ledger

INTEGRITY, FOREIGN_KEY, CHAIN, BACKUP, STATE = "integrity", "foreign_key", "chain", "backup", "state"
KIND_LABELS = {
    INTEGRITY: "数据库文件损坏",
    FOREIGN_KEY: "记录之间的引用断开",
    CHAIN: "修改日志链条断开",
    BACKUP: "修改日志与备份不符",
    STATE: "数据与修改日志不符",
}
SHOWN_PER_KIND = 200  # findings listed per kind; the rest are counted
_PAGE = 5000  # audit rows read at a time
_AUDIT = m.AuditEntry
_LOG_COLUMNS = (
    _AUDIT.id, _AUDIT.change_id, _AUDIT.at, _AUDIT.actor, _AUDIT.action, _AUDIT.entity, _AUDIT.entity_id,
    _AUDIT.entity_key, _AUDIT.problem_id, _AUDIT.field, _AUDIT.old_value, _AUDIT.new_value, _AUDIT.reason,
    _AUDIT.prev_hash, _AUDIT.row_hash,
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class LedgerFinding:
    kind: str  # INTEGRITY, FOREIGN_KEY, CHAIN or STATE
    where: str  # the record, as a clerk finds it: "第二轮中央督察 反馈问题 序号 3 的整改进展 #12"
    detail: str  # what is wrong, in Chinese
    audit_id: int | None = None  # the log row concerned, if any
    task_id: int | None = None  # the task the record belongs to, if any
    field: str = ""
    logged: str | None = None  # STATE: the value the log recorded
    actual: str | None = None  # STATE: the value in the file

    def describe(self) -> str:
        return f"{self.where}:{self.detail}" if self.where else self.detail

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "where": self.where,
            "detail": self.detail,
            "audit_id": self.audit_id,
            "task_id": self.task_id,
            "field": self.field,
            "logged": self.logged,
            "actual": self.actual,
            "message": self.describe(),
        }


@dataclass(slots=True)
class LedgerCheckReport:
    findings: list[LedgerFinding] = field(default_factory=list)
    more: dict[str, int] = field(default_factory=dict)  # findings per kind beyond those listed
    audit_rows: int = 0
    head_id: int = 0  # the newest log row and its chain hash: noted elsewhere, they reveal truncation
    head_hash: str = GENESIS
    compared_rows: int = 0  # rows of the ledger the log could be compared with
    unlogged_rows: int = 0  # rows the log has no record of (see ledger_state.py)
    backups_compared: int = 0  # backups whose newest log row was looked for in the ledger
    backups_before_restore: int = 0  # backups not judged: a restore came after them
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.findings

    def count(self, kind: str) -> int:
        return sum(1 for f in self.findings if f.kind == kind) + self.more.get(kind, 0)

    def first_break(self) -> LedgerFinding | None:
        return next((f for f in self.findings if f.kind == CHAIN), None)

    def summary(self) -> str:
        head = (
            f"检查台账:修改日志 {self.audit_rows} 条,最后一条为第 {self.head_id} 条"
            f"(校验值 {self.head_hash[:16]});与日志核对记录 {self.compared_rows} 条"
        )
        if self.unlogged_rows:
            head += f",另有 {self.unlogged_rows} 条记录在日志中没有新建记录,只核对日志记过的字段"
        if self.backups_compared:
            head += f";与 {self.backups_compared} 个备份核对了日志末尾"
        if self.backups_before_restore:
            head += f"(恢复备份之前的 {self.backups_before_restore} 个备份未核对)"
        return head + f";用时 {self.seconds:.1f} 秒。"

    def verdict(self) -> str:
        if self.ok:
            return "台账未发现问题。"
        counts = [f"{KIND_LABELS[k]} {self.count(k)} 处" for k in KIND_LABELS if self.count(k)]
        text = "台账发现问题:" + ";".join(counts) + "。"
        first = self.first_break()
        if first is not None and first.audit_id is not None:
            text += f"修改日志从第 {first.audit_id} 条起不可信。"
        return text

    def lines(self) -> list[str]:
        lines = [self.summary(), self.verdict()]
        for kind, label in KIND_LABELS.items():
            listed = [f for f in self.findings if f.kind == kind]
            if not listed:
                continue
            lines.append(f"{label}:")
            lines += [f"  - {f.describe()}" for f in listed]
            if self.more.get(kind):
                lines.append(f"  …另有 {self.more[kind]} 处未列出")
        return lines

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "audit_rows": self.audit_rows,
            "head": {"id": self.head_id, "hash": self.head_hash},
            "compared_rows": self.compared_rows,
            "unlogged_rows": self.unlogged_rows,
            "backups_compared": self.backups_compared,
            "backups_before_restore": self.backups_before_restore,
            "seconds": round(self.seconds, 3),
            "counts": {k: self.count(k) for k in KIND_LABELS},
            "findings": [f.as_dict() for f in self.findings],
        }

    def add(self, finding: LedgerFinding) -> None:
        if sum(1 for f in self.findings if f.kind == finding.kind) < SHOWN_PER_KIND:
            self.findings.append(finding)
        else:
            self.more[finding.kind] = self.more.get(finding.kind, 0) + 1


class _Steps:
    """Progress over the log rows (the bulk of the work), and the cancel check."""

    def __init__(self, total: int, progress: ProgressFn | None, cancelled: CancelFn | None) -> None:
        self.total, self.progress, self.cancelled = max(total, 1), progress, cancelled

    def at(self, done: int, text: str) -> None:
        if self.cancelled is not None and self.cancelled():
            raise CancelledError
        if self.progress is not None:
            self.progress(min(done, self.total), self.total, text)


class LedgerCheck:
    """``ledger.check``: the full check of the ledger file, its audit chain and its data."""

    def __init__(self, ledger: Ledger) -> None:
        self.ledger = ledger

    def check_ledger(
        self, *, progress: ProgressFn | None = None, cancelled: CancelFn | None = None
    ) -> LedgerCheckReport:
        """Check the file, the audit chain and the data against the log; writes nothing."""
        started = time.perf_counter()
        report = LedgerCheckReport()
        with self.ledger.reading() as session:
            total = session.scalar(select(func.count()).select_from(_AUDIT)) or 0
            # Log rows, then about a third as much again for the file check and the comparison.
            steps = _Steps(total + total // 3 + 1, progress, cancelled)
            steps.at(0, "检查数据库文件")
            try:
                _check_file(session, report)
                replay = LogReplay()
                judged, report.backups_before_restore = witnesses(self.ledger.path)
                hashes: dict[int, str | None] = {w.head_id: None for w in judged}
                _check_chain(session, report, replay, steps, hashes)
                found = {k: v for k, v in hashes.items() if v is not None}
                for witness in judged:
                    problem = disagreement(witness, found, report.head_id)
                    if problem:
                        report.add(LedgerFinding(BACKUP, "", problem, witness.head_id))
                report.backups_compared = len(judged)
                steps.at(total, "核对数据与修改日志")
                differences, report.compared_rows, report.unlogged_rows = compare_state(session, replay)
                for diff in differences:
                    report.add(_state_finding(diff))
                _name_tasks(session, report)
            except (DBAPIError, sqlite3.DatabaseError) as exc:
                # A damaged file (or a table altered by another tool) may not read to the end: that is
                # the finding, not a crash. (Bulk reads go through the driver: its own errors come too.)
                why = exc.orig if isinstance(exc, DBAPIError) else exc
                report.add(LedgerFinding(INTEGRITY, "", f"台账文件无法读完,检查中止:{why}"))
        steps.at(steps.total, "检查完成")
        report.seconds = time.perf_counter() - started
        return report


def _check_file(session: Session, report: LedgerCheckReport) -> None:
    conn = session.connection()
    if conn.dialect.name != "sqlite":  # both PRAGMAs are SQLite's; a server database checks itself
        return
    for (line,) in conn.exec_driver_sql("PRAGMA integrity_check").all():
        if line != "ok":
            report.add(LedgerFinding(INTEGRITY, "", f"SQLite 报告:{line}"))
    for table, rowid, parent, _fk in conn.exec_driver_sql("PRAGMA foreign_key_check").all():
        report.add(
            LedgerFinding(
                FOREIGN_KEY, f"表 {table} 第 {rowid} 行", f"引用的 {parent} 记录不存在(记录在程序之外被删除?)"
            )
        )


def _log_pages(session: Session) -> Iterator[list[tuple[Any, ...]]]:
    last = -1
    while rows := fetch_all(
        session, select(*_LOG_COLUMNS).where(_AUDIT.id > last).order_by(_AUDIT.id).limit(_PAGE)
    ):
        yield rows
        last = rows[-1][0]


def _check_chain(
    session: Session,
    report: LedgerCheckReport,
    replay: LogReplay,
    steps: _Steps,
    hashes: dict[int, str | None],
) -> None:
    """Verify the chain row by row, feed the replay, and note the hashes of the rows in ``hashes``."""
    prev_id, prev_stored = 0, GENESIS
    done = 0
    for rows in _log_pages(session):
        for row in rows:
            row_id, stored_prev, stored = row[0], row[13], row[14]
            replay.apply(row)
            if stored is None:
                problem = "这条日志没有校验值:不是本程序写入的(在程序之外插入?)"
            elif row_hash(stored_prev or "", *row[:13]) != stored:
                problem = "这条日志的内容与它的校验值不符:在程序之外被改动或伪造"
            elif stored_prev != prev_stored:
                gap = f"第 {prev_id} 条与第 {row_id} 条之间" if prev_id else f"第 {row_id} 条之前"
                problem = f"{gap}的链条断开:有日志被删除、插入或调换了顺序"
            else:
                problem = ""
            if problem:
                report.add(LedgerFinding(CHAIN, _log_row_label(row), problem, row_id, task_id=row[8]))
            if row_id in hashes:
                hashes[row_id] = stored or ""
            prev_id, prev_stored = row_id, stored
        done += len(rows)
        steps.at(done, "核对修改日志")
    report.audit_rows = done
    report.head_id, report.head_hash = prev_id, prev_stored or GENESIS


_ACTIONS = {"create": "新增", "update": "修改", "delete": "删除"}


def _log_row_label(row: tuple[Any, ...]) -> str:
    """ "修改日志第 12 条(2026-05-25 10:03,修改任务「问题描述」,{task})"; {task} is filled in at the end."""
    at, action, entity, field_name, problem_id = row[2], row[4], row[5], row[9], row[8]
    moment = at.isoformat(sep=" ") if isinstance(at, datetime) else str(at)
    what = _ACTIONS.get(action, action) + ENTITY_LABELS.get(entity, entity)
    if field_name and field_name != "*":
        what += f"「{FIELD_LABELS.get(field_name, field_name)}」"
    task = ",{task}" if problem_id is not None else ""
    return f"修改日志第 {row[0]} 条({moment[:16]},{what}{task})"


def _state_finding(diff: StateDifference) -> LedgerFinding:
    what = ENTITY_LABELS.get(diff.entity, diff.entity)
    where = f"{what} {diff.key_text}"
    if diff.problem_id is not None and diff.entity != "problem":
        where = "{task} 的" + where
    elif diff.entity == "problem":
        where = "{task}"
    if diff.what == CHANGED:
        label = FIELD_LABELS.get(diff.field, diff.field)
        detail = (
            f"「{label}」在修改日志中为{_short(diff.logged)},文件中却是{_short(diff.actual)}"
            f"(在程序之外被改动;日志第 {diff.audit_id} 条)"
        )
    elif diff.what == MISSING:
        detail = f"修改日志记录它存在,文件中却没有(在程序之外被删除;日志第 {diff.audit_id} 条)"
    else:
        detail = f"修改日志记录它已删除,文件中却还有(在程序之外被加回;日志第 {diff.audit_id} 条)"
    return LedgerFinding(
        STATE, where, detail, diff.audit_id, diff.problem_id, diff.field, diff.logged, diff.actual
    )


def _short(value: str | None) -> str:
    if value is None:
        return "(空值)"
    if value == "":
        return "(空)"
    return f"「{value}」" if len(value) <= 60 else f"「{value[:59]}…」"


def _name_tasks(session: Session, report: LedgerCheckReport) -> None:
    """Put each finding's task ("第二轮中央督察 反馈问题 序号 3") where its text says {task}."""
    ids = sorted({f.task_id for f in report.findings if f.task_id is not None and "{task}" in f.where})
    names: dict[int, str] = {}
    for start in range(0, len(ids), 500):
        query = (
            select(m.Problem.id, m.InspectionRound.name, m.Problem.kind, m.Problem.seq)
            .join(m.InspectionRound, m.InspectionRound.id == m.Problem.round_id)
            .where(m.Problem.id.in_(ids[start : start + 500]))
        )
        for pid, round_name, kind, seq in session.execute(query):
            try:
                names[pid] = task_label(round_name, kind, seq)
            except ValueError:  # a kind written outside the program: still name the task
                names[pid] = f"{round_name} {kind} 序号 {seq}"
    report.findings = [
        replace(f, where=f.where.replace("{task}", names.get(f.task_id, f"任务 #{f.task_id}(已不在台账中)")))
        if f.task_id is not None
        else f
        for f in report.findings
    ]
