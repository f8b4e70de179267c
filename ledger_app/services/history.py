"""The audit history of a task, readable, and undo and redo of the operator's changes through it.

Undo replays a change backwards from its audit rows and is itself an audited change ("撤销:…");
redo reverts that undo, also audited ("重做:…"). Which undone changes can be redone is kept in the
ledger (a per-operator stack, see ``History._redo_stack``), so every window and the CLI agree;
a new edit after an undo empties it, as in every Windows program.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import Boolean, ColumnElement, Date, DateTime, Integer, func, inspect, select, update
from sqlalchemy.exc import IntegrityError

from ledger_app.domain.errors import ValidationError
from ledger_app.store import models as m

from .audit import MODELS_BY_ENTITY

if TYPE_CHECKING:
    from . import Ledger

ENTITY_LABELS = {
    "round": "督察批次",
    "unit": "单位",
    "problem": "任务",
    "problem_unit": "任务单位",
    "measure": "整改措施",
    "measure_unit": "措施单位",
    "progress": "整改进展",
    "attachment": "佐证材料",
    "acceptance": "验收情况",
    "public_notice": "公示情况",
    "close_out": "销号",
    "review": "回头看",
    "notice_document": "督办/提醒",
    "setting": "设置",
}
FIELD_LABELS = {
    "seq": "序号",
    "kind": "问题类型",
    "description": "问题描述",
    "leader": "责任领导",
    "contact": "责任人",
    "contact_phone": "联系电话",
    "deadline_text": "整改时限",
    "deadline_date": "截止日期",
    "deadline_long_term": "长期坚持",
    "goal": "整改目标",
    "status": "状态",
    "batch": "批次",
    "case_no": "信访件编号",
    "note": "备注",
    "deleted_at": "删除时间",
    "round_id": "督察批次",
    "text": "内容",
    "position": "顺序",
    "entry_date": "日期",
    "percent": "完成百分比",
    "reporter": "填报人",
    "name": "名称",
    "description_": "说明",
    "accepted_on": "验收日期",
    "unit": "验收单位",
    "conclusion": "评估结论",
    "opinion": "验收意见",
    "start": "公示开始",
    "end": "公示结束",
    "phone": "联系电话",
    "outcome": "公示结果",
    "closed_on": "销号日期",
    "result": "结论",
    "review_date": "回头看日期",
    "value": "值",
}
# Bookkeeping fields nobody wants to read in a history.
_HIDDEN_FIELDS = {"deadline_date", "deadline_long_term", "position", "created_at"}


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    id: int
    change_id: str
    at: datetime
    actor: str
    action: str
    entity: str
    field: str
    old_value: str | None
    new_value: str | None
    reason: str
    undone: bool

    def describe(self) -> str:
        """The change in one readable Chinese line."""
        what = ENTITY_LABELS.get(self.entity, self.entity)
        if self.action == "create":
            return f"新增{what}{_gist(self.new_value)}"
        if self.action == "delete":
            return f"删除{what}{_gist(self.old_value)}"
        label = FIELD_LABELS.get(self.field, self.field)
        old, new = _show(self.field, self.old_value), _show(self.field, self.new_value)
        return f"{what}的「{label}」由 {old} 改为 {new}"


def _show(field: str, value: str | None) -> str:
    if value is None or value == "":
        return "(空)"
    if field == "status":
        from ledger_app.domain.model import TaskStatus

        try:
            return f"「{TaskStatus(value).label}」"
        except ValueError:
            pass
    text = value if len(value) <= 40 else value[:39] + "…"
    return f"「{text}」"


def _gist(snapshot_json: str | None) -> str:
    if not snapshot_json:
        return ""
    try:
        data = json.loads(snapshot_json)
    except ValueError:
        return ""
    for key in ("text", "name", "original_name", "description", "conclusion", "value"):
        if data.get(key):
            text = str(data[key])
            return f":{text[:39]}…" if len(text) > 40 else f":{text}"
    return ""


def _from_text(column: Any, text: str | None) -> Any:
    """Turn a logged value back into what the column holds."""
    if text is None:
        return None
    kind = column.type
    if isinstance(kind, Boolean):
        return text == "1"
    if isinstance(kind, DateTime):
        return datetime.fromisoformat(text)
    if isinstance(kind, Date):
        return date.fromisoformat(text)
    if isinstance(kind, Integer):
        return int(text)
    return text


# The reasons of the changes undo and redo write (the undo prefix as older ledgers have it).
UNDO_PREFIX = "撤销:"
REDO_PREFIX = "重做:"
# The setting row holding an operator's redo stack (see History._redo_stack).
_REDO_KEY_PREFIX = "undo.redo_stack:"


@dataclass(frozen=True, slots=True)
class _RedoEntry:
    change_id: str  # the change that was undone
    undo_id: str  # the undo that did it: a redo reverts it


def _ordinary() -> list[ColumnElement[bool]]:
    """Audit rows of changes a clerk made (not an undo, not a redo)."""
    reason = m.AuditEntry.reason
    return [reason.not_like(f"{UNDO_PREFIX}%"), reason.not_like(f"{REDO_PREFIX}%")]


@contextmanager
def _replay_errors(what: str) -> Iterator[None]:
    """A row put back collides with one made since (another window, another clerk): say so, change nothing."""
    try:
        yield
    except IntegrityError as exc:
        raise ValidationError(
            f"台账在此之后已被其他修改改变,无法{what}。",
            f"cannot {what}: the ledger changed since ({exc.orig})",
        ) from exc


# Tables in foreign-key order, parents first.
_TABLE_ORDER = {table.name: index for index, table in enumerate(m.Base.metadata.sorted_tables)}


def _undo_order(entries: Sequence[m.AuditEntry], reason: str) -> list[m.AuditEntry]:
    """The order that keeps every foreign key satisfied while a change is reverted row by row.

    Deleted rows come back parents first (a measure before its unit links), then the updates are
    reverted, then created rows go, children first (those holding a key a deleted row needs go first). The log's own order is the order the session
    happened to flush in, which put a deleted measure's links back before the measure.
    """
    unknown = {e.entity for e in entries} - set(MODELS_BY_ENTITY)
    if unknown:
        raise ValidationError(
            f"「{reason}」不能撤销。", f"{reason!r} cannot be undone ({', '.join(sorted(unknown))})"
        )

    def depth(entry: m.AuditEntry) -> int:
        return _TABLE_ORDER[MODELS_BY_ENTITY[entry.entity].__tablename__]

    restored = sorted((e for e in entries if e.action == "delete"), key=lambda e: (depth(e), e.id))
    reverted = sorted((e for e in entries if e.action == "update"), key=lambda e: -e.id)
    removed = sorted((e for e in entries if e.action == "create"), key=lambda e: (-depth(e), -e.id))
    # A row deleted and another created under the same key in one change (a re-import replacing
    # measures: SQLite hands the freed id to the new row) must make room before the old one returns.
    freed = {(e.entity, e.entity_key) for e in restored}
    first = [e for e in removed if (e.entity, e.entity_key) in freed]
    later = [e for e in removed if (e.entity, e.entity_key) not in freed]
    return [*first, *restored, *reverted, *later]


class History:
    """``ledger.history``: a task's audit trail, and undo / redo of the operator's changes."""

    def __init__(self, ledger: Ledger) -> None:
        self.ledger = ledger

    def for_task(self, task_id: int, *, limit: int = 2000) -> list[HistoryEntry]:
        """This task's audit rows, newest first (its measures, progress and records included)."""
        query = (
            select(m.AuditEntry)
            .where(m.AuditEntry.problem_id == task_id, m.AuditEntry.field.not_in(_HIDDEN_FIELDS))
            .order_by(m.AuditEntry.id.desc())
            .limit(limit)
        )
        with self.ledger.reading() as session:
            return [
                HistoryEntry(
                    a.id,
                    a.change_id,
                    a.at,
                    a.actor,
                    a.action,
                    a.entity,
                    a.field,
                    a.old_value,
                    a.new_value,
                    a.reason,
                    a.undone,
                )
                for a in session.scalars(query)
            ]

    def last_undoable(self) -> tuple[str, str] | None:
        """(change id, reason) of the newest change of this operator not yet undone."""
        with self.ledger.reading() as session:
            row = session.execute(
                select(m.AuditEntry.change_id, m.AuditEntry.reason)
                .where(
                    m.AuditEntry.actor == self.ledger.actor,
                    m.AuditEntry.undone.is_(False),
                    *_ordinary(),
                )
                .order_by(m.AuditEntry.id.desc())
                .limit(1)
            ).first()
        return (row[0], row[1]) if row else None

    def next_redoable(self) -> tuple[str, str] | None:
        """(change id, reason) of the change a redo would bring back; None when there is none.

        The redo stack lives in the ledger (see ``_redo_stack``), so the CLI and every window agree.
        """
        with self.ledger.reading() as session:
            entry = self._redo_top(session)
            if entry is None:
                return None
            reason = session.scalar(
                select(m.AuditEntry.reason).where(m.AuditEntry.change_id == entry.change_id).limit(1)
            )
        return entry.change_id, reason or ""

    def undo_label(self) -> str | None:
        """What 撤销 would undo, in words for the 编辑 menu ("修改任务 12 的整改时限"); None: nothing."""
        last = self.last_undoable()
        return self.describe_change(last[0], last[1]) if last else None

    def redo_label(self) -> str | None:
        """What 重做 would bring back, in words for the 编辑 menu; None: nothing."""
        nxt = self.next_redoable()
        return self.describe_change(nxt[0], nxt[1]) if nxt else None

    def tasks_of_change(self, change_id: str) -> set[int] | None:
        """The tasks a change touched; None when it touched more than tasks (rounds, units, settings)."""
        with self.ledger.reading() as session:
            ids = set(
                session.scalars(
                    select(m.AuditEntry.problem_id).where(m.AuditEntry.change_id == change_id).distinct()
                )
            )
        return None if None in ids or not ids else {int(i) for i in ids}

    def describe_change(self, change_id: str, reason: str) -> str:
        """A change's reason, made specific when it touched one task: "修改任务 12 的整改时限"."""
        with self.ledger.reading() as session:
            rows = session.execute(
                select(m.AuditEntry.problem_id, m.AuditEntry.entity, m.AuditEntry.field)
                .where(m.AuditEntry.change_id == change_id)
                .limit(200)
            ).all()
            tasks = {r.problem_id for r in rows}
            if len(tasks) != 1 or None in tasks:
                return reason or "上一次修改"
            seq = session.scalar(select(m.Problem.seq).where(m.Problem.id == next(iter(tasks))))
        if seq is None:
            return reason or "上一次修改"
        fields = [
            FIELD_LABELS.get(r.field, r.field)
            for r in rows
            if r.entity == "problem" and r.field not in _HIDDEN_FIELDS and r.field != "*"
        ]
        fields = list(dict.fromkeys(fields))
        base = reason or "修改任务"
        if base == "修改任务" and fields:
            return f"修改任务 {seq} 的{'、'.join(fields[:3])}{'等' if len(fields) > 3 else ''}"
        return f"{base}(任务 {seq})"

    def undo_last(self) -> str:
        """Undo this operator's last change; the undo itself is audited. Returns what was undone."""
        last = self.last_undoable()
        if last is None:
            raise ValidationError("没有可以撤销的操作。", "nothing to undo")
        change_id, reason = last
        with _replay_errors("撤销"), self.ledger.changing(f"{UNDO_PREFIX}{reason}") as session:
            entries = session.scalars(
                select(m.AuditEntry)
                .where(m.AuditEntry.change_id == change_id)
                .order_by(m.AuditEntry.id.desc())
            ).all()
            for entry in _undo_order(entries, reason):
                self._revert(session, entry)
                session.flush()
            session.execute(
                update(m.AuditEntry).where(m.AuditEntry.change_id == change_id).values(undone=True)
            )
            self._push_redo(session, _RedoEntry(change_id, session.info["change_id"]))
        return reason

    def redo_last(self) -> str:
        """Bring back this operator's last undone change; audited as a change of its own.

        The undo's own audit rows say exactly what it did (every row it removed or put back, even
        rows a bulk import wrote without one), so the redo reverts the undo. The original change
        becomes undoable again; a new edit after an undo empties the redo stack.
        """
        with _replay_errors("重做"), self.ledger.changing() as session:
            entry = self._redo_top(session)
            if entry is None:
                raise ValidationError("没有可以重做的操作。", "nothing to redo")
            reason = (
                session.scalar(
                    select(m.AuditEntry.reason).where(m.AuditEntry.change_id == entry.change_id).limit(1)
                )
                or ""
            )
            session.info["reason"] = f"{REDO_PREFIX}{reason}"
            undo_rows = session.scalars(
                select(m.AuditEntry)
                .where(m.AuditEntry.change_id == entry.undo_id)
                .order_by(m.AuditEntry.id.desc())
            ).all()
            for row in _undo_order(undo_rows, reason):
                self._revert(session, row)
                session.flush()
            self._write_redo_stack(session, self._redo_stack(session)[:-1])
            session.execute(
                update(m.AuditEntry).where(m.AuditEntry.change_id == entry.undo_id).values(undone=True)
            )
            session.execute(
                update(m.AuditEntry).where(m.AuditEntry.change_id == entry.change_id).values(undone=False)
            )
        return reason

    # -- the redo stack -------------------------------------------------------------------------
    def _redo_key(self) -> str:
        actor = self.ledger.actor
        if len(actor) > 80:  # the key column holds 100 characters
            actor = hashlib.sha256(actor.encode("utf-8")).hexdigest()
        return f"{_REDO_KEY_PREFIX}{actor}"

    def _redo_stack(self, session: Any) -> list[_RedoEntry]:
        """This operator's undone changes and the undos that did them, oldest first.

        A setting row of the ledger (not of the PC), written in the undo's and the redo's own
        transactions: it cannot disagree with the log, and the CLI and the GUI see the same stack.
        """
        row = session.get(m.Setting, self._redo_key())
        if row is None or not row.value:
            return []
        try:
            return [_RedoEntry(*pair) for pair in json.loads(row.value)]
        except (ValueError, TypeError):
            return []

    def _newest_ordinary_id(self, session: Any) -> int:
        """Audit id of this operator's newest change that is neither an undo nor a redo (0: none)."""
        return (
            session.scalar(
                select(m.AuditEntry.id)
                .where(m.AuditEntry.actor == self.ledger.actor, *_ordinary())
                .order_by(m.AuditEntry.id.desc())
                .limit(1)
            )
            or 0
        )

    def _first_id(self, session: Any, change_id: str) -> int:
        return (
            session.scalar(select(func.min(m.AuditEntry.id)).where(m.AuditEntry.change_id == change_id)) or 0
        )

    def _redo_top(self, session: Any) -> _RedoEntry | None:
        """The entry a redo takes, unless an edit made after its undo has emptied the stack."""
        stack = self._redo_stack(session)
        if not stack:
            return None
        top = stack[-1]
        if self._first_id(session, top.undo_id) < self._newest_ordinary_id(session):
            return None  # a new edit since: as in every editor, there is nothing to redo any more
        return top

    def _push_redo(self, session: Any, entry: _RedoEntry) -> None:
        newest = self._newest_ordinary_id(session)
        # Entries whose undo came before the newest edit can never be redone: dropped, not kept forever.
        live = [e for e in self._redo_stack(session) if self._first_id(session, e.undo_id) > newest]
        self._write_redo_stack(session, [*live, entry])

    def _write_redo_stack(self, session: Any, stack: list[_RedoEntry]) -> None:
        """Bookkeeping like the ``undone`` flags, so not audited: the undo's rows stay a mirror of the change."""
        session.flush()
        session.info["audit_off"] = True
        try:
            value = json.dumps([[e.change_id, e.undo_id] for e in stack])
            row = session.get(m.Setting, self._redo_key())
            if row is None:
                session.add(m.Setting(key=self._redo_key(), value=value))
            else:
                row.value = value
            session.flush()
        finally:
            session.info["audit_off"] = False

    @staticmethod
    def _revert(session: Any, entry: m.AuditEntry) -> None:
        model = MODELS_BY_ENTITY[entry.entity]
        mapper = inspect(model)
        if entry.action == "update":
            if entry.entity_id is None and entry.entity_key:
                key = [
                    _from_text(col, text)
                    for col, text in zip(mapper.primary_key, json.loads(entry.entity_key), strict=True)
                ]
                row = session.get(model, tuple(key) if len(key) > 1 else key[0])
                if row is None:
                    raise ValidationError(
                        "要撤销的记录已不存在,无法撤销。", "the changed row no longer exists"
                    )
                setattr(row, entry.field, _from_text(mapper.columns[entry.field], entry.old_value))
                return
            if entry.entity_id is None:
                # Rows keyed by something other than an integer id (unit links, settings): the log
                # does not say which row changed, so it cannot be put back.
                raise ValidationError(
                    f"这项操作修改了{ENTITY_LABELS.get(entry.entity, entry.entity)},暂不能自动撤销,请手工改回。",
                    f"changes to {entry.entity} rows cannot be undone automatically",
                )
            row = session.get(model, entry.entity_id)
            if row is None:
                raise ValidationError("要撤销的记录已不存在,无法撤销。", "the changed row no longer exists")
            column = mapper.columns[entry.field]
            setattr(row, entry.field, _from_text(column, entry.old_value))
            return
        data = json.loads(entry.new_value if entry.action == "create" else entry.old_value or "{}")
        values = {key: _from_text(mapper.columns[key], value) for key, value in data.items()}
        pk = tuple(values[col.key] for col in mapper.primary_key)
        if entry.action == "create":
            row = session.get(model, pk if len(pk) > 1 else pk[0])
            if row is not None:
                session.delete(row)
        else:
            session.add(model(**values))
