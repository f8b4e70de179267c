"""The ``directory`` part: inspection rounds (督察批次) and the unit directory (单位名录)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ledger_app.domain.errors import NotFoundError, ValidationError
from ledger_app.domain.model import RoundLevel
from ledger_app.store import models as m

from .backups import take_backup

if TYPE_CHECKING:
    from . import Ledger


@dataclass(frozen=True, slots=True)
class RoundInfo:
    id: int
    name: str
    level: RoundLevel
    on_site_start: date | None
    on_site_end: date | None
    feedback_date: date | None
    plan_document_no: str
    task_count: int


@dataclass(frozen=True, slots=True)
class UnitInfo:
    id: int
    name: str
    task_count: int


def clean_name(name: str) -> str:
    """Unit and round names compare by their visible text: no stray or doubled spaces."""
    return " ".join(str(name).split())


# Offices type a unit's brackets and colons full-width or half-width at random: "各乡镇（街道）" and
# "各乡镇(街道)" are one unit, written the way the directory first met it.
_WIDTH_FOLD = str.maketrans(
    {"\uff08": "(", "\uff09": ")", "\uff1a": ":", "\uff0c": ",", "\uff1b": ";", "\u3000": " "}
)


def name_key(name: str) -> str:
    """What two spellings of one unit name have in common (spaces as clean_name, bracket widths)."""
    return clean_name(str(name).translate(_WIDTH_FOLD))


def units_by_key(session: Session) -> dict[str, tuple[int, str]]:
    """The directory by name_key: key → (id, name as written in the directory)."""
    return {name_key(name): (uid, name) for name, uid in session.execute(select(m.Unit.name, m.Unit.id))}


def unit_ids(session: Session, names: list[str]) -> list[int]:
    """Ids of the named units, in order and each once, adding the ones not yet in the directory
    (another spelling of a directory name is that unit)."""
    wanted = [n for n in dict.fromkeys(clean_name(n) for n in names) if n]
    if not wanted:
        return []
    known = units_by_key(session)
    ids: list[int] = []
    for name in wanted:
        key = name_key(name)
        found = known.get(key)
        if found is None:
            unit = m.Unit(name=name)
            session.add(unit)
            session.flush()
            found = known[key] = (unit.id, name)
        if found[0] not in ids:
            ids.append(found[0])
    return ids


class Directory:
    """``ledger.directory``: the inspection rounds (督察批次) and the unit directory (单位名录)."""

    def __init__(self, ledger: Ledger) -> None:
        self.ledger = ledger

    # -- rounds -----------------------------------------------------------------------------
    def list_rounds(self) -> list[RoundInfo]:
        counts = (
            select(m.Problem.round_id, func.count().label("n"))
            .where(m.Problem.deleted_at.is_(None))
            .group_by(m.Problem.round_id)
            .subquery()
        )
        query = (
            select(m.InspectionRound, func.coalesce(counts.c.n, 0))
            .outerjoin(counts, counts.c.round_id == m.InspectionRound.id)
            .order_by(m.InspectionRound.position, m.InspectionRound.id)
        )
        with self.ledger.reading() as session:
            return [
                RoundInfo(
                    r.id,
                    r.name,
                    RoundLevel(r.level),
                    r.on_site_start,
                    r.on_site_end,
                    r.feedback_date,
                    r.plan_document_no,
                    n,
                )
                for r, n in session.execute(query)
            ]

    def round_by_name(self, name: str) -> RoundInfo:
        wanted = clean_name(name)
        for info in self.list_rounds():
            if info.name == wanted:
                return info
        raise NotFoundError(f"台账中没有督察批次「{wanted}」。", f"no inspection round named {wanted!r}")

    def round_choices(self) -> list[tuple[int, str]]:
        """(id, name) of every round in ledger order: ``list_rounds()`` without its task counts."""
        query = select(m.InspectionRound.id, m.InspectionRound.name).order_by(
            m.InspectionRound.position, m.InspectionRound.id
        )
        with self.ledger.reading() as session:
            return [(round_id, name) for round_id, name in session.execute(query)]

    def create_round(
        self,
        *,
        name: str,
        level: RoundLevel,
        on_site_start: date | None = None,
        on_site_end: date | None = None,
        feedback_date: date | None = None,
        plan_document_no: str = "",
    ) -> int:
        name = clean_name(name)
        if not name:
            raise ValidationError("督察批次名称不能为空。", "round name is empty")
        self._check_on_site(on_site_start, on_site_end)
        with self.ledger.changing(f"新建督察批次「{name}」") as session:
            if session.scalar(select(m.InspectionRound.id).where(m.InspectionRound.name == name)):
                raise ValidationError(f"督察批次「{name}」已存在。", f"round {name!r} exists")
            position = (session.scalar(select(func.max(m.InspectionRound.position))) or 0) + 1
            row = m.InspectionRound(
                name=name,
                level=RoundLevel(level).value,
                on_site_start=on_site_start,
                on_site_end=on_site_end,
                feedback_date=feedback_date,
                plan_document_no=plan_document_no.strip(),
                position=position,
            )
            session.add(row)
            session.flush()
            return row.id

    @staticmethod
    def _check_on_site(start: date | None, end: date | None) -> None:
        if start and end and end < start:
            raise ValidationError("进驻结束日期早于开始日期。", "on-site period ends before it starts")

    def update_round(self, round_id: int, **changes: object) -> None:
        allowed = {"name", "level", "on_site_start", "on_site_end", "feedback_date", "plan_document_no"}
        unknown = set(changes) - allowed
        if unknown:
            raise ValidationError(f"未知的字段:{', '.join(sorted(unknown))}", f"unknown fields {unknown}")
        with self.ledger.changing("修改督察批次") as session:
            row = session.get(m.InspectionRound, round_id)
            if row is None:
                raise NotFoundError("督察批次不存在。", f"no round {round_id}")
            if "name" in changes:
                name = clean_name(str(changes["name"]))
                if not name:
                    raise ValidationError("督察批次名称不能为空。", "round name is empty")
                clash = session.scalar(
                    select(m.InspectionRound.id).where(
                        m.InspectionRound.name == name, m.InspectionRound.id != round_id
                    )
                )
                if clash:
                    raise ValidationError(f"督察批次「{name}」已存在。", f"round {name!r} exists")
                changes["name"] = name
            if "level" in changes:
                changes["level"] = RoundLevel(changes["level"]).value
            for key, value in changes.items():
                setattr(row, key, value)
            self._check_on_site(row.on_site_start, row.on_site_end)

    def delete_round(self, round_id: int) -> None:
        with self.ledger.changing("删除督察批次") as session:
            row = session.get(m.InspectionRound, round_id)
            if row is None:
                raise NotFoundError("督察批次不存在。", f"no round {round_id}")
            n = session.scalar(select(func.count()).where(m.Problem.round_id == round_id))
            if n:
                raise ValidationError(
                    f"督察批次「{row.name}」下还有 {n} 项任务(含已删除的),不能删除。",
                    f"round has {n} tasks",
                )
            session.delete(row)

    # -- units ------------------------------------------------------------------------------
    def list_units(self) -> list[UnitInfo]:
        counts = (
            select(m.ProblemUnit.unit_id, func.count(func.distinct(m.ProblemUnit.problem_id)).label("n"))
            .join(m.Problem, m.Problem.id == m.ProblemUnit.problem_id)
            .where(m.Problem.deleted_at.is_(None))
            .group_by(m.ProblemUnit.unit_id)
            .subquery()
        )
        query = (
            select(m.Unit.id, m.Unit.name, func.coalesce(counts.c.n, 0))
            .outerjoin(counts, counts.c.unit_id == m.Unit.id)
            .order_by(m.Unit.name)
        )
        with self.ledger.reading() as session:
            return [UnitInfo(*row) for row in session.execute(query)]

    def unit_names(self) -> list[str]:
        """Every name in the unit directory, sorted, for completion in unit fields.

        The task panel asks after every committed edit: ``list_units()`` counts every unit's tasks,
        ~0.1 s at 10,000 tasks, while completion needs only the names."""
        with self.ledger.reading() as session:
            return list(session.scalars(select(m.Unit.name).order_by(m.Unit.name)))

    def unit_names_by_id(self) -> dict[int, str]:
        """The unit directory as id → name (the audit log refers to units by id)."""
        with self.ledger.reading() as session:
            return {unit_id: name for unit_id, name in session.execute(select(m.Unit.id, m.Unit.name))}

    def create_unit(self, name: str) -> int:
        name = clean_name(name)
        if not name:
            raise ValidationError("单位名称不能为空。", "unit name is empty")
        with self.ledger.changing(f"新增单位「{name}」") as session:
            existing = units_by_key(session).get(name_key(name))
            if existing is not None:
                written = "" if existing[1] == name else f"(写作「{existing[1]}」)"
                raise ValidationError(f"单位「{name}」已在单位名录中{written}。", f"unit {name!r} exists")
            return unit_ids(session, [name])[0]

    def rename_unit(self, unit_id: int, new_name: str) -> None:
        """Every task and measure follows, since they link to the directory entry."""
        new_name = clean_name(new_name)
        if not new_name:
            raise ValidationError("单位名称不能为空。", "unit name is empty")
        with self.ledger.changing(f"单位更名为「{new_name}」") as session:
            unit = session.get(m.Unit, unit_id)
            if unit is None:
                raise NotFoundError("单位不存在。", f"no unit {unit_id}")
            clash = units_by_key(session).get(name_key(new_name))
            if clash is not None and clash[0] != unit_id:
                raise ValidationError(
                    f"单位「{new_name}」已存在;如果是同一单位,请使用“合并”。",
                    f"unit {new_name!r} exists; merge instead",
                )
            unit.name = new_name

    def merge_units(self, source_id: int, target_id: int) -> None:
        """Move every link of ``source`` to ``target`` and drop ``source`` from the directory."""
        if source_id == target_id:
            raise ValidationError("不能把单位合并到它自己。", "cannot merge a unit into itself")
        if not self.ledger.read_only:
            take_backup(self.ledger.path, "bulk")  # every task of the unit changes at once
        with self.ledger.changing("合并单位") as session:
            source, target = session.get(m.Unit, source_id), session.get(m.Unit, target_id)
            if source is None or target is None:
                raise NotFoundError("单位不存在。", "no such unit")
            session.info["reason"] = f"合并单位「{source.name}」到「{target.name}」"
            for link_model in (m.ProblemUnit, m.MeasureUnit):
                links = session.scalars(select(link_model).where(link_model.unit_id == source_id)).all()
                owner = "problem_id" if link_model is m.ProblemUnit else "measure_id"
                for link in links:
                    exists = session.get(link_model, (getattr(link, owner), target_id, link.role))
                    replacement = None
                    if exists is None:
                        replacement = link_model(
                            **{owner: getattr(link, owner)},
                            unit_id=target_id,
                            role=link.role,
                            position=link.position,
                        )
                    session.delete(link)
                    session.flush()
                    if replacement is not None:
                        session.add(replacement)
            # Through the ORM, not a bulk UPDATE, so the re-pointing is audited (and undone) too.
            for document in session.scalars(
                select(m.NoticeDocument).where(m.NoticeDocument.unit_id == source_id)
            ):
                document.unit_id = target_id
            session.flush()
            session.delete(source)

    def delete_unit(self, unit_id: int) -> None:
        with self.ledger.changing("删除单位") as session:
            unit = session.get(m.Unit, unit_id)
            if unit is None:
                raise NotFoundError("单位不存在。", f"no unit {unit_id}")
            used = session.scalar(select(func.count()).where(m.ProblemUnit.unit_id == unit_id)) or 0
            used += session.scalar(select(func.count()).where(m.MeasureUnit.unit_id == unit_id)) or 0
            if used:
                raise ValidationError(
                    f"单位「{unit.name}」仍被 {used} 处任务或措施引用,不能删除;可以合并到其他单位。",
                    f"unit is used {used} times",
                )
            session.delete(unit)
