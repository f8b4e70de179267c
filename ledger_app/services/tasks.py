"""The ``tasks`` part of the ledger: tasks (整改任务), their measures (整改措施) and progress entries (整改进展)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ledger_app.domain.dates import Future, FutureDateUnconfirmed, check_progress_day
from ledger_app.domain.deadlines import MIN_YEAR, Deadline, parse_deadline
from ledger_app.domain.errors import NotFoundError, UnreadableDeadlineError, ValidationError
from ledger_app.domain.model import ProblemKind, UnitRole
from ledger_app.store import models as m

from .directory import unit_ids
from .stale import check_expected

if TYPE_CHECKING:
    from . import Ledger

TASK_TEXT_FIELDS = ("description", "leader", "contact", "contact_phone", "goal", "note", "batch", "case_no")
ROLE_ARGS = {
    "lead_units": UnitRole.LEAD,
    "responsible_units": UnitRole.RESPONSIBLE,
    "cooperating_units": UnitRole.COOPERATING,
    "supervising_units": UnitRole.SUPERVISING,
}


def _clean_seq(seq: object) -> str:
    text = str(seq).strip()
    # 序号 read from Excel as 12.0 is the identifier 12.
    if re.fullmatch(r"\d+\.0+", text):
        text = text.split(".")[0]
    return text


def _apply_deadline(row: m.Problem | m.Measure, value: object) -> Deadline:
    deadline = value if isinstance(value, Deadline) else parse_deadline(value)
    row.deadline_text = deadline.text
    row.deadline_date = deadline.date
    row.deadline_long_term = deadline.long_term
    return deadline


def _previous_deadline(row: m.Problem) -> str:
    """How the stored deadline is named when the clerk is asked whether to keep it."""
    if row.deadline_date is not None:
        day = row.deadline_date.isoformat()
        text = row.deadline_text.strip()
        return day if not text or text == day else f"{day}({text})"
    return row.deadline_text.strip() or "长期坚持"


def _check_deadline_kept(row: m.Problem, value: object) -> None:
    """Refuse unreadable text over a readable deadline: it would turn a dated task 时限不明 unseen."""
    deadline = value if isinstance(value, Deadline) else parse_deadline(value)
    if deadline.understood or deadline.is_empty:
        return
    if row.deadline_date is None and not row.deadline_long_term:
        return  # nothing readable to lose
    raise UnreadableDeadlineError(deadline.text, _previous_deadline(row))


def set_links(session: Session, owner: m.Problem | m.Measure, role: UnitRole, names: Sequence[str]) -> None:
    """Make the owner's units in ``role`` exactly ``names``, in that order, touching only what changed."""
    link_model = m.ProblemUnit if isinstance(owner, m.Problem) else m.MeasureUnit
    ids = unit_ids(session, list(names))
    current = [link for link in owner.unit_links if link.role == role.value]
    by_unit = {link.unit_id: link for link in current}
    for link in current:
        if link.unit_id not in ids:
            owner.unit_links.remove(link)
            # Explicitly, not only as an orphan: the audit hook sees session.deleted, which a
            # delete-orphan cascade bypasses, so the removal would leave no audit row (and no undo).
            session.delete(link)
    session.flush()
    for position, uid in enumerate(ids):
        link = by_unit.get(uid)
        if link is None:
            owner.unit_links.append(link_model(unit_id=uid, role=role.value, position=position))
        elif link.position != position:
            link.position = position


def _check_percent(percent: object) -> None:
    if percent is None:
        return
    if isinstance(percent, bool) or not isinstance(percent, int):
        raise ValidationError(
            "完成百分比应为 0 到 100 之间的整数。", f"percent is not a whole number: {percent!r}"
        )
    if not 0 <= percent <= 100:
        raise ValidationError("完成百分比应在 0 到 100 之间。", "percent must be 0..100")


def check_entry_date(value: object, *, confirm_future: bool = False) -> date:
    """The date of a progress entry, for adding and editing alike: a real date, not before
    ``MIN_YEAR``; after today only when the caller says the clerk confirmed it, and never more
    than a month ahead (domain.dates.check_progress_day, the rule the GUI asks by)."""
    if isinstance(value, dt.datetime):
        value = value.date()
    if not isinstance(value, dt.date):  # dt.date: tests replace this module's ``date`` to move today
        raise ValidationError("进展日期无效,请填写一个日期。", f"progress date is not a date: {value!r}")
    if value.year < MIN_YEAR:
        raise ValidationError(
            f"进展日期太靠前({value.isoformat()}),请检查。", f"progress date is before {MIN_YEAR}"
        )
    check = check_progress_day(value, date.today())
    if check.verdict is Future.REFUSE:
        raise ValidationError(check.message_zh, f"progress date {value.isoformat()} is over a month ahead")
    if check.verdict is Future.CONFIRM and not confirm_future:
        raise FutureDateUnconfirmed(
            f"进展日期 {value.isoformat()} 晚于今天({check.days_ahead} 天后),需要确认后才能保存。",
            f"progress date {value.isoformat()} is in the future: pass confirm_future=True",
        )
    return value


def live_task(session: Session, task_id: int, *, include_deleted: bool = False) -> m.Problem:
    """The task row, refused when it does not exist or is in the trash (unless ``include_deleted``)."""
    task = session.get(m.Problem, task_id)
    if task is None or (task.deleted_at is not None and not include_deleted):
        raise NotFoundError("任务不存在或已被删除。", f"no task {task_id}")
    return task


class Tasks:
    """``ledger.tasks``: creating, editing and deleting tasks, their measures and progress entries."""

    def __init__(self, ledger: Ledger) -> None:
        self.ledger = ledger

    # -- tasks ------------------------------------------------------------------------------
    def _check_seq_free(
        self, session: Session, round_id: int, kind: ProblemKind, seq: str, exclude: int | None = None
    ) -> None:
        if not seq:
            raise ValidationError("序号不能为空。", "seq is empty")
        kinds = [k.value for k in ProblemKind if k.section is kind.section]
        query = select(m.Problem.id).where(
            m.Problem.round_id == round_id,
            m.Problem.seq == seq,
            m.Problem.kind.in_(kinds),
            m.Problem.deleted_at.is_(None),
        )
        if exclude is not None:
            query = query.where(m.Problem.id != exclude)
        if session.scalar(query):
            raise ValidationError(
                f"本批次的{kind.section.label}中已有序号 {seq} 的任务。",
                f"seq {seq} already used in this round's {kind.section.value} section",
            )

    def next_seq(self, round_id: int, kind: ProblemKind) -> str:
        """The number after the largest numeric 序号 of the round's section."""
        kinds = [k.value for k in ProblemKind if k.section is kind.section]
        with self.ledger.reading() as session:
            seqs = session.scalars(
                select(m.Problem.seq).where(
                    m.Problem.round_id == round_id, m.Problem.kind.in_(kinds), m.Problem.deleted_at.is_(None)
                )
            ).all()
        numbers = [int(s) for s in seqs if s.isdigit()]
        return str(max(numbers, default=0) + 1)

    def create_task(
        self,
        *,
        round_id: int,
        kind: ProblemKind,
        description: str,
        seq: str | int | None = None,
        deadline: object = "",
        lead_units: Sequence[str] = (),
        responsible_units: Sequence[str] = (),
        cooperating_units: Sequence[str] = (),
        supervising_units: Sequence[str] = (),
        **text_fields: str,
    ) -> int:
        kind = ProblemKind(kind)
        unknown = set(text_fields) - set(TASK_TEXT_FIELDS)
        if unknown:
            raise ValidationError(f"未知的字段:{', '.join(sorted(unknown))}", f"unknown fields {unknown}")
        if not description.strip():
            raise ValidationError("问题描述不能为空。", "description is empty")
        seq_text = _clean_seq(seq) if seq not in (None, "") else self.next_seq(round_id, kind)
        with self.ledger.changing("新建任务") as session:
            if session.get(m.InspectionRound, round_id) is None:
                raise NotFoundError("督察批次不存在。", f"no round {round_id}")
            self._check_seq_free(session, round_id, kind, seq_text)
            task = m.Problem(
                round_id=round_id,
                seq=seq_text,
                kind=kind.value,
                description=description.strip(),
                status="not-started",
                created_at=session.info["now"],
                **{k: (v or "").strip() for k, v in text_fields.items()},
            )
            _apply_deadline(task, deadline)
            session.add(task)
            session.flush()
            units = {
                UnitRole.LEAD: lead_units,
                UnitRole.RESPONSIBLE: responsible_units,
                UnitRole.COOPERATING: cooperating_units,
                UnitRole.SUPERVISING: supervising_units,
            }
            for role, names in units.items():
                if names:
                    set_links(session, task, role, names)
            return task.id

    def update_task(
        self,
        task_id: int,
        *,
        confirm_unknown_deadline: bool = False,
        expected: Mapping[str, object] | None = None,
        **changes: object,
    ) -> None:
        """Change fields of a task: text fields, ``seq``, ``kind``, ``round_id``, ``deadline``, unit lists.

        A ``deadline`` that cannot be read, typed over one that could, is refused with
        UnreadableDeadlineError (nothing is saved) unless ``confirm_unknown_deadline``: the task then
        keeps the text, loses the date and shows as 时限不明. ``expected``: the values the clerk saw
        (field → value); a field changed meanwhile refuses the edit (StaleEditError, services/stale.py).
        """
        allowed = {*TASK_TEXT_FIELDS, "seq", "kind", "round_id", "deadline", *ROLE_ARGS}
        unknown = set(changes) - allowed
        if unknown:
            raise ValidationError(f"未知的字段:{', '.join(sorted(unknown))}", f"unknown fields {unknown}")
        with self.ledger.changing("修改任务") as session:
            task = live_task(session, task_id)
            check_expected(task, expected)
            if "deadline" in changes and not confirm_unknown_deadline:
                _check_deadline_kept(task, changes["deadline"])
            if "description" in changes and not str(changes["description"]).strip():
                raise ValidationError("问题描述不能为空。", "description is empty")
            kind = ProblemKind(changes.get("kind", task.kind))
            seq = _clean_seq(changes["seq"]) if "seq" in changes else task.seq
            round_id = int(changes.get("round_id", task.round_id))  # type: ignore[arg-type]
            if {"seq", "kind", "round_id"} & set(changes):
                self._check_seq_free(session, round_id, kind, seq, exclude=task_id)
                task.seq, task.kind, task.round_id = seq, kind.value, round_id
            for key in TASK_TEXT_FIELDS:
                if key in changes:
                    setattr(task, key, str(changes[key] or "").strip())
            if "deadline" in changes:
                _apply_deadline(task, changes["deadline"])
            for arg, role in ROLE_ARGS.items():
                if arg in changes:
                    set_links(session, task, role, list(changes[arg]))  # type: ignore[call-overload]

    def delete_task(self, task_id: int) -> None:
        """Moves the task to the trash (回收站); ``restore_task`` brings it back."""
        with self.ledger.changing("删除任务") as session:
            live_task(session, task_id).deleted_at = session.info["now"]

    def restore_task(self, task_id: int) -> None:
        with self.ledger.changing("从回收站恢复任务") as session:
            task = live_task(session, task_id, include_deleted=True)
            if task.deleted_at is None:
                return
            kind = ProblemKind(task.kind)
            self._check_seq_free(session, task.round_id, kind, task.seq, exclude=task_id)
            task.deleted_at = None

    def delete_tasks(self, task_ids: Iterable[int]) -> int:
        """Move several tasks to the trash in ONE change, so one undo brings them all back."""
        ids = sorted(set(task_ids))
        if not ids:
            return 0
        reason = "删除任务" if len(ids) == 1 else f"删除任务({len(ids)} 项)"
        if len(ids) > 1 and not self.ledger.read_only:
            self.ledger.backups.backup_now("bulk")  # many tasks at once: a backup first, as before an import
        with self.ledger.changing(reason) as session:
            for task_id in ids:
                live_task(session, task_id).deleted_at = session.info["now"]
        return len(ids)

    # -- measures ---------------------------------------------------------------------------
    def add_measure(
        self,
        task_id: int,
        *,
        text: str,
        lead_units: Sequence[str] = (),
        cooperating_units: Sequence[str] = (),
        deadline: object = "",
        position: int | None = None,
    ) -> int:
        if not text.strip():
            raise ValidationError("整改措施内容不能为空。", "measure text is empty")
        with self.ledger.changing("新增整改措施") as session:
            task = live_task(session, task_id)
            measure = m.Measure(problem_id=task.id, text=text.strip())
            _apply_deadline(measure, deadline)
            measures = list(task.measures)
            index = len(measures) if position is None else max(0, min(position, len(measures)))
            measures.insert(index, measure)
            task.measures = measures
            for i, item in enumerate(measures):
                if item.position != i + 1:
                    item.position = i + 1
            session.flush()
            set_links(session, measure, UnitRole.LEAD, lead_units)
            set_links(session, measure, UnitRole.COOPERATING, cooperating_units)
            return measure.id

    def _measure(self, session: Session, measure_id: int) -> m.Measure:
        measure = session.get(m.Measure, measure_id)
        if measure is None:
            raise NotFoundError("整改措施不存在。", f"no measure {measure_id}")
        return measure

    def update_measure(
        self, measure_id: int, *, expected: Mapping[str, object] | None = None, **changes: object
    ) -> None:
        allowed = {"text", "deadline", "lead_units", "cooperating_units"}
        unknown = set(changes) - allowed
        if unknown:
            raise ValidationError(f"未知的字段:{', '.join(sorted(unknown))}", f"unknown fields {unknown}")
        with self.ledger.changing("修改整改措施") as session:
            measure = self._measure(session, measure_id)
            check_expected(measure, expected)
            if "text" in changes:
                text = str(changes["text"] or "").strip()
                if not text:
                    raise ValidationError("整改措施内容不能为空。", "measure text is empty")
                measure.text = text
            if "deadline" in changes:
                _apply_deadline(measure, changes["deadline"])
            if "lead_units" in changes:
                set_links(session, measure, UnitRole.LEAD, list(changes["lead_units"]))  # type: ignore[call-overload]
            if "cooperating_units" in changes:
                set_links(session, measure, UnitRole.COOPERATING, list(changes["cooperating_units"]))  # type: ignore[call-overload]

    def move_measure(self, measure_id: int, new_position: int) -> None:
        """Reorder: ``new_position`` is 1-based; the others close up."""
        with self.ledger.changing("调整整改措施顺序") as session:
            measure = self._measure(session, measure_id)
            measures = [x for x in measure.problem.measures if x.id != measure_id]
            index = max(0, min(new_position - 1, len(measures)))
            measures.insert(index, measure)
            for i, item in enumerate(measures):
                if item.position != i + 1:
                    item.position = i + 1

    def delete_measure(self, measure_id: int) -> None:
        with self.ledger.changing("删除整改措施") as session:
            measure = self._measure(session, measure_id)
            task = measure.problem
            session.delete(measure)
            session.flush()
            for i, item in enumerate(x for x in task.measures if x.id != measure_id):
                if item.position != i + 1:
                    item.position = i + 1

    # -- progress ---------------------------------------------------------------------------
    def add_progress(
        self,
        task_id: int,
        *,
        entry_date: date,
        text: str,
        percent: int | None = None,
        reporter: str = "",
        measure_id: int | None = None,
        confirm_future: bool = False,
    ) -> int:
        """``confirm_future``: the clerk confirmed a date 1..31 days after today (later is refused)."""
        if not text.strip():
            raise ValidationError("进展内容不能为空。", "progress text is empty")
        _check_percent(percent)
        entry_date = check_entry_date(entry_date, confirm_future=confirm_future)
        with self.ledger.changing("新增整改进展") as session:
            task = live_task(session, task_id)
            entry = m.ProgressEntry(
                problem_id=task.id,
                measure_id=measure_id,
                entry_date=entry_date,
                text=text.strip(),
                percent=percent,
                reporter=reporter.strip(),
                created_at=session.info["now"],
            )
            session.add(entry)
            session.flush()
            return entry.id

    def update_progress(
        self,
        entry_id: int,
        *,
        confirm_future: bool = False,
        expected: Mapping[str, object] | None = None,
        **changes: object,
    ) -> None:
        """``confirm_future``: the clerk confirmed a new date 1..31 days after today (later is refused)."""
        allowed = {"entry_date", "text", "percent", "reporter"}
        unknown = set(changes) - allowed
        if unknown:
            raise ValidationError(f"未知的字段:{', '.join(sorted(unknown))}", f"unknown fields {unknown}")
        if "entry_date" in changes:
            changes["entry_date"] = check_entry_date(changes["entry_date"], confirm_future=confirm_future)
        with self.ledger.changing("修改整改进展") as session:
            entry = session.get(m.ProgressEntry, entry_id)
            if entry is None:
                raise NotFoundError("整改进展不存在。", f"no progress entry {entry_id}")
            check_expected(entry, expected)
            if "text" in changes and not str(changes["text"] or "").strip():
                raise ValidationError("进展内容不能为空。", "progress text is empty")
            if "percent" in changes:
                _check_percent(changes["percent"])
            for key, value in changes.items():
                setattr(entry, key, value.strip() if isinstance(value, str) else value)

    def delete_progress(self, entry_id: int) -> None:
        with self.ledger.changing("删除整改进展") as session:
            entry = session.get(m.ProgressEntry, entry_id)
            if entry is None:
                raise NotFoundError("整改进展不存在。", f"no progress entry {entry_id}")
            session.delete(entry)

    def count_tasks(self) -> int:
        with self.ledger.reading() as session:
            return session.scalar(select(func.count()).where(m.Problem.deleted_at.is_(None))) or 0
