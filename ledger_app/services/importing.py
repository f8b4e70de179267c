"""Bringing tasks read from offices' files into the ledger: all or nothing, re-import without duplicates.

The readers in io/ turn a workbook into ``TaskRecord``s; this module writes them. Tasks match on
round + section (反馈问题 / 交办信访件 / 自查问题) + 序号, so importing the same or a later version of a
file updates what changed instead of adding duplicates. New tasks are inserted in bulk (an office's
first import is thousands of rows) with one audit row each; changes to existing tasks go through the
ORM, so each changed field is audited as usual.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import func, insert, select

from ledger_app.domain.errors import CancelledError, NotFoundError, ValidationError
from ledger_app.domain.model import ProblemKind, RoundLevel, Section, UnitRole
from ledger_app.domain.records import TaskRecord
from ledger_app.store import models as m
from ledger_app.store.backup import backup_copy

from .directory import clean_name
from .records import RecordsMixin
from .tasks import _set_links

ProgressFn = Callable[[int, int, str], None]

# Task fields compared on re-import, with the words the report uses.
_COMPARED = {
    "description": "问题描述",
    "leader": "责任领导",
    "goal": "整改目标",
    "note": "备注",
    "batch": "批次",
    "case_no": "受理编号",
    "deadline": "整改时限",
    "status": "状态",
    "units": "责任单位",
    "measures": "整改措施",
    "progress": "整改进展",
}
_ROLES = (
    (UnitRole.LEAD, "lead_units"),
    (UnitRole.RESPONSIBLE, "responsible_units"),
    (UnitRole.COOPERATING, "cooperating_units"),
    (UnitRole.SUPERVISING, "supervising_units"),
)


@dataclass(slots=True)
class ImportResult:
    created: list[str] = field(default_factory=list)  # "反馈问题 12"
    changed: list[tuple[str, list[str]]] = field(default_factory=list)  # ("反馈问题 3", ["整改进展", …])
    unchanged: int = 0
    missing: list[str] = field(default_factory=list)  # in the ledger's round but not in the file
    units_created: list[str] = field(default_factory=list)
    backup: Path | None = None
    dry_run: bool = False

    def to_json(self) -> dict[str, Any]:
        return {
            "dry_run": self.dry_run,
            "created": self.created,
            "changed": [{"task": t, "fields": f} for t, f in self.changed],
            "unchanged": self.unchanged,
            "missing": self.missing,
            "units_created": self.units_created,
            "backup": str(self.backup) if self.backup else None,
        }


def _label(task: TaskRecord) -> str:
    return f"{task.kind.section.label} {task.seq}"


class _DryRun(Exception):
    """Raised inside the transaction to roll a dry run back after it computed the exact result."""


class ImportMixin(RecordsMixin):
    def import_records(
        self,
        records: Sequence[TaskRecord],
        *,
        round_id: int | None = None,
        new_round: tuple[str, RoundLevel] | None = None,
        source: str = "",
        dry_run: bool = False,
        progress: ProgressFn | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> ImportResult:
        """Write ``records`` into a round in one transaction (after a backup), or only report (dry run).

        The round is ``round_id``, or ``new_round`` = (name, level) created in the same transaction,
        so a failed or cancelled import leaves no empty round behind.
        """
        if (round_id is None) == (new_round is None):
            raise ValidationError("请选择导入到哪个督察批次。", "give exactly one of round_id and new_round")
        result = ImportResult(dry_run=dry_run)
        if not dry_run and self.path.exists():
            result.backup = backup_copy(self.path, "before-import")
        try:
            with self._change(f"从Excel导入:{Path(source).name}" if source else "导入") as session:
                if new_round is not None:
                    rnd = self._new_round_in(session, *new_round)
                else:
                    rnd = session.get(m.InspectionRound, round_id)
                    if rnd is None:
                        raise NotFoundError("督察批次不存在。", f"no round {round_id}")
                self._import_into(session, records, rnd, result, progress, cancelled)
                if dry_run:
                    raise _DryRun
        except _DryRun:
            pass
        return result

    @staticmethod
    def _new_round_in(session: Any, name: str, level: RoundLevel) -> m.InspectionRound:
        name = clean_name(name)
        if not name:
            raise ValidationError("督察批次名称不能为空。", "round name is empty")
        if session.scalar(select(m.InspectionRound.id).where(m.InspectionRound.name == name)):
            raise ValidationError(f"督察批次「{name}」已存在。", f"round {name!r} exists")
        position = (session.scalar(select(func.max(m.InspectionRound.position))) or 0) + 1
        rnd = m.InspectionRound(name=name, level=RoundLevel(level).value, position=position)
        session.add(rnd)
        session.flush()
        return rnd

    def _import_into(
        self,
        session: Any,
        records: Sequence[TaskRecord],
        rnd: m.InspectionRound,
        result: ImportResult,
        progress: ProgressFn | None,
        cancelled: Callable[[], bool] | None,
    ) -> None:
        existing = _existing(session, rnd.id)
        current = (
            {
                r.id: r
                for r in self.records_in(
                    session, sorted(existing.values()), today=date.today(), warning_days=0
                )
            }
            if existing
            else {}
        )
        names = {clean_name(n) for r in records for n in _all_unit_names(r)} - {""}
        known = dict(session.execute(select(m.Unit.name, m.Unit.id)).all())
        fresh = sorted(names - known.keys())
        if fresh:
            session.execute(insert(m.Unit), [{"name": n} for n in fresh])
            known = dict(session.execute(select(m.Unit.name, m.Unit.id)).all())
        result.units_created = fresh
        seen: set[tuple[Section, str]] = set()
        new: list[TaskRecord] = []
        total = len(records)
        for index, record in enumerate(records, 1):
            if cancelled and cancelled():
                raise CancelledError
            key = (record.kind.section, record.seq)
            if key in seen:
                raise ValidationError(
                    f"导入的数据中{_label(record)}出现了两次,请先更正序号。", f"duplicate {key} in the import"
                )
            seen.add(key)
            target = existing.get(key)
            if target is None:
                new.append(record)
            elif differences(current[target], record):
                # Only tasks that really differ go through the (audited, slower) ORM update.
                result.changed.append((_label(record), self._update_from(session, target, record)))
            else:
                result.unchanged += 1
            if progress and index % 200 == 0:
                progress(index, total, "比对任务")
        self._insert_new(session, new, rnd.id, known, progress)
        result.created = [_label(r) for r in new]
        result.missing = [f"{s.label} {seq}" for (s, seq) in existing if (s, seq) not in seen]

    def _update_from(self, session: Any, task_id: int, record: TaskRecord) -> list[str]:
        """Bring one existing task in line with ``record``; returns the labels of what changed."""
        task = session.get(m.Problem, task_id)
        changed: list[str] = []
        for key in ("description", "leader", "goal", "note", "batch", "case_no"):
            value = getattr(record, key)
            if value and value != getattr(task, key):
                setattr(task, key, value)
                changed.append(_COMPARED[key])
        if record.deadline.text and record.deadline.text != task.deadline_text:
            task.deadline_text = record.deadline.text
            task.deadline_date = record.deadline.date
            task.deadline_long_term = record.deadline.long_term
            changed.append(_COMPARED["deadline"])
        if record.status.value != task.status:
            task.status = record.status.value
            changed.append(_COMPARED["status"])
        for role, attr in _ROLES:
            names = getattr(record, attr)
            current = [link.unit.name for link in task.unit_links if link.role == role.value]
            if names and names != current:
                _set_links(session, task, role, names)
                if _COMPARED["units"] not in changed:
                    changed.append(_COMPARED["units"])
        texts = [ms.text for ms in record.measures]
        if texts and texts != [ms.text for ms in task.measures]:
            for old in list(task.measures):
                session.delete(old)
            session.flush()
            for pos, ms in enumerate(record.measures, 1):
                measure = m.Measure(
                    problem_id=task.id,
                    position=pos,
                    text=ms.text,
                    deadline_text=ms.deadline.text,
                    deadline_date=ms.deadline.date,
                    deadline_long_term=ms.deadline.long_term,
                )
                session.add(measure)
                session.flush()
                _set_links(session, measure, UnitRole.LEAD, ms.lead_units)
                _set_links(session, measure, UnitRole.COOPERATING, ms.cooperating_units)
            changed.append(_COMPARED["measures"])
        have = {(e.entry_date, e.text) for e in task.progress}
        for entry in record.progress:
            if (entry.date, entry.text) not in have and entry.text:
                session.add(
                    m.ProgressEntry(
                        problem_id=task.id,
                        entry_date=entry.date,
                        text=entry.text,
                        percent=entry.percent,
                        reporter=entry.reporter,
                        created_at=session.info["now"],
                    )
                )
                if _COMPARED["progress"] not in changed:
                    changed.append(_COMPARED["progress"])
        session.flush()
        return changed

    def _insert_new(
        self,
        session: Any,
        new: list[TaskRecord],
        round_id: int,
        unit_ids: dict[str, int],
        progress: ProgressFn | None,
    ) -> None:
        if not new:
            return
        now = session.info["now"]
        conn = session.connection()
        problems = [
            {
                "round_id": round_id,
                "seq": r.seq,
                "kind": r.kind.value,
                "description": r.description,
                "leader": r.leader,
                "contact": r.contact,
                "contact_phone": r.contact_phone,
                "deadline_text": r.deadline.text,
                "deadline_date": r.deadline.date,
                "deadline_long_term": r.deadline.long_term,
                "goal": r.goal,
                "status": r.status.value,
                "batch": r.batch,
                "case_no": r.case_no,
                "note": r.note,
                "created_at": now,
                "deleted_at": None,
            }
            for r in new
        ]
        start = (session.scalar(select(m.Problem.id).order_by(m.Problem.id.desc()).limit(1)) or 0) + 1
        for offset, row in enumerate(problems):
            row["id"] = start + offset
        measure_start = (session.scalar(select(m.Measure.id).order_by(m.Measure.id.desc()).limit(1)) or 0) + 1
        links, measures, measure_links, entries, audit = [], [], [], [], []
        for row, record in zip(problems, new, strict=True):
            pid = row["id"]
            for role, attr in _ROLES:
                for pos, name in enumerate(dict.fromkeys(clean_name(n) for n in getattr(record, attr))):
                    if name:
                        links.append(
                            {
                                "problem_id": pid,
                                "unit_id": unit_ids[name],
                                "role": role.value,
                                "position": pos,
                            }
                        )
            for pos, ms in enumerate(record.measures, 1):
                mid = measure_start + len(measures)
                measures.append(
                    {
                        "id": mid,
                        "problem_id": pid,
                        "position": pos,
                        "text": ms.text,
                        "deadline_text": ms.deadline.text,
                        "deadline_date": ms.deadline.date,
                        "deadline_long_term": ms.deadline.long_term,
                    }
                )
                for role, names in (
                    (UnitRole.LEAD, ms.lead_units),
                    (UnitRole.COOPERATING, ms.cooperating_units),
                ):
                    for upos, name in enumerate(dict.fromkeys(clean_name(n) for n in names)):
                        if name:
                            measure_links.append(
                                {
                                    "measure_id": mid,
                                    "unit_id": unit_ids[name],
                                    "role": role.value,
                                    "position": upos,
                                }
                            )
            for entry in record.progress:
                entries.append(
                    {
                        "problem_id": pid,
                        "measure_id": None,
                        "entry_date": entry.date,
                        "text": entry.text,
                        "percent": entry.percent,
                        "reporter": entry.reporter,
                        "created_at": now,
                    }
                )
            audit.append(
                {
                    "change_id": session.info["change_id"],
                    "at": now,
                    "actor": session.info["actor"],
                    "action": "create",
                    "entity": "problem",
                    "entity_id": pid,
                    "entity_key": json.dumps([str(pid)]),
                    "problem_id": pid,
                    "field": "*",
                    "old_value": None,
                    "reason": session.info["reason"],
                    "undone": False,
                    "new_value": json.dumps({k: _plain(v) for k, v in row.items()}, ensure_ascii=False),
                }
            )
        for table, rows in (
            (m.Problem, problems),
            (m.ProblemUnit, links),
            (m.Measure, measures),
            (m.MeasureUnit, measure_links),
            (m.ProgressEntry, entries),
            (m.AuditEntry, audit),
        ):
            for begin in range(0, len(rows), 5000):
                conn.execute(insert(table), rows[begin : begin + 5000])
            if progress:
                progress(len(new), len(new), "写入台账")


def differences(current: TaskRecord, record: TaskRecord) -> list[str]:
    """What an import of ``record`` would change in ``current``, as the report's field labels.

    Mirrors ``ImportMixin._update_from``: empty cells in the file never blank what the ledger has,
    and progress entries are only ever added.
    """
    changed = [
        _COMPARED[key]
        for key in ("description", "leader", "goal", "note", "batch", "case_no")
        if getattr(record, key) and getattr(record, key) != getattr(current, key)
    ]
    if record.deadline.text and record.deadline.text != current.deadline.text:
        changed.append(_COMPARED["deadline"])
    if record.status is not current.status:
        changed.append(_COMPARED["status"])
    if any(getattr(record, attr) and getattr(record, attr) != getattr(current, attr) for _, attr in _ROLES):
        changed.append(_COMPARED["units"])
    texts = [ms.text for ms in record.measures]
    if texts and texts != [ms.text for ms in current.measures]:
        changed.append(_COMPARED["measures"])
    have = {(e.date, e.text) for e in current.progress}
    if any(e.text and (e.date, e.text) not in have for e in record.progress):
        changed.append(_COMPARED["progress"])
    return changed


def _plain(value: object) -> object:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return "1" if value else "0"
    return None if value is None else str(value)


def _all_unit_names(record: TaskRecord) -> list[str]:
    names = [
        *record.lead_units,
        *record.responsible_units,
        *record.cooperating_units,
        *record.supervising_units,
    ]
    for ms in record.measures:
        names += [*ms.lead_units, *ms.cooperating_units]
    return names


def _existing(session: Any, round_id: int) -> dict[tuple[Section, str], int]:
    """The round's live tasks by (section, 序号)."""
    rows = session.execute(
        select(m.Problem.id, m.Problem.kind, m.Problem.seq).where(
            m.Problem.round_id == round_id, m.Problem.deleted_at.is_(None)
        )
    )
    return {(ProblemKind(kind).section, seq): pid for pid, kind, seq in rows}
