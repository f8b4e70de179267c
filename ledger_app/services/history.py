"""The audit history of a task, readable, and undo of the last change through it."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Boolean, Date, DateTime, Integer, inspect, select, update

from ledger_app.domain.errors import ValidationError
from ledger_app.store import models as m

from .audit import MODELS_BY_ENTITY
from .ledger import LedgerCore

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


# Tables in foreign-key order, parents first.
_TABLE_ORDER = {table.name: index for index, table in enumerate(m.Base.metadata.sorted_tables)}


def _undo_order(entries: Sequence[m.AuditEntry], reason: str) -> list[m.AuditEntry]:
    """The order that keeps every foreign key satisfied while a change is reverted row by row.

    Deleted rows come back parents first (a measure before its unit links), then the updates are
    reverted, then created rows go, children first. The log's own order is the order the session
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
    return [*restored, *reverted, *removed]


class HistoryMixin(LedgerCore):
    def history(self, task_id: int, *, limit: int = 2000) -> list[HistoryEntry]:
        """This task's audit rows, newest first (its measures, progress and records included)."""
        query = (
            select(m.AuditEntry)
            .where(m.AuditEntry.problem_id == task_id, m.AuditEntry.field.not_in(_HIDDEN_FIELDS))
            .order_by(m.AuditEntry.id.desc())
            .limit(limit)
        )
        with self._read() as session:
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
        with self._read() as session:
            row = session.execute(
                select(m.AuditEntry.change_id, m.AuditEntry.reason)
                .where(
                    m.AuditEntry.actor == self.actor,
                    m.AuditEntry.undone.is_(False),
                    m.AuditEntry.reason.not_like("撤销%"),
                )
                .order_by(m.AuditEntry.id.desc())
                .limit(1)
            ).first()
        return (row[0], row[1]) if row else None

    def undo_last(self) -> str:
        """Undo this operator's last change; the undo itself is audited. Returns what was undone."""
        last = self.last_undoable()
        if last is None:
            raise ValidationError("没有可以撤销的操作。", "nothing to undo")
        change_id, reason = last
        with self._change(f"撤销:{reason}") as session:
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
        return reason

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
