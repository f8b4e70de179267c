"""The ``imports`` part: tasks read from offices' files brought into the ledger, all or nothing, re-import
without duplicates.

Every importer has the same shape, for the CLI, the GUI and the tests alike: read the file into a
plan against this ledger (writes nothing; the GUI shows it and may correct it), then import the plan,
with a dry run, progress and cancel. An office's Excel ledger: ``read_workbook`` → ``import_workbook``;
a rectification plan: ``read_plan`` → ``import_plan`` (plan_import.py); the units' monthly replies:
``ledger.monthly.read_replies`` → ``collect_replies``.

The readers in io/ turn a file into ``TaskRecord``s; ``import_records`` writes them. Tasks match on
round + section (反馈问题 / 交办信访件 / 自查问题) + 序号, so importing the same or a later version of a
file updates what changed instead of adding duplicates. New tasks are inserted in bulk (an office's
first import is thousands of rows) with one audit row each; changes to existing tasks go through the
ORM, so each changed field is audited as usual.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, insert, select

from ledger_app.domain.dates import MAX_FUTURE_DAYS, Future, FutureDateUnconfirmed, check_progress_day
from ledger_app.domain.errors import CancelledError, NotFoundError, ValidationError
from ledger_app.domain.model import RoundLevel, Section, UnitRole
from ledger_app.domain.ordering import natural_key
from ledger_app.domain.progress import CancelFn, ProgressFn
from ledger_app.domain.records import TaskRecord
from ledger_app.gcpause import gc_paused
from ledger_app.store import models as m

from . import plan_import
from .backups import take_backup
from .directory import clean_name, name_key, units_by_key
from .import_bulk import CurrentTask, TaskKey, insert_tasks, tasks_in_rounds
from .import_rounds import ImportTarget, default_target, level_of
from .tasks import set_links

if TYPE_CHECKING:
    from ledger_app.io.import_plan import ImportPlan
    from ledger_app.io.plan import PlanReading

    from . import Ledger

# Task fields compared on re-import, with the words the report uses.
_COMPARED = {
    "description": "问题描述",
    "leader": "责任领导",
    "goal": "整改目标",
    "note": "备注",
    "batch": "批次",
    "case_no": "受理编号",
    "contact": "责任人",
    "contact_phone": "联系电话",
    "deadline": "整改时限",
    "status": "状态",
    "units": "责任单位",
    "measures": "整改措施",
    "progress": "整改进展",
}
# The task's own texts an import compares and updates (never blanked by an empty cell).
_TEXT_FIELDS = ("description", "leader", "contact", "contact_phone", "goal", "note", "batch", "case_no")
_SECTION_ORDER = {section: index for index, section in enumerate(Section)}
_ROLES = (
    (UnitRole.LEAD, "lead_units"),
    (UnitRole.RESPONSIBLE, "responsible_units"),
    (UnitRole.COOPERATING, "cooperating_units"),
    (UnitRole.SUPERVISING, "supervising_units"),
)


@dataclass(slots=True)
class RoundImport:
    """What an import does in one round."""

    name: str
    new: bool = False  # created by this import
    created: int = 0
    changed: int = 0
    unchanged: int = 0
    missing: int = 0

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "new": self.new,
            "created": self.created,
            "changed": self.changed,
            "unchanged": self.unchanged,
            "missing": self.missing,
        }


@dataclass(slots=True)
class ImportResult:
    # Tasks are named "反馈问题 12", or "第二轮中央生态环境保护督察 反馈问题 12" when the import
    # touches several rounds.
    created: list[str] = field(default_factory=list)
    changed: list[tuple[str, list[str]]] = field(default_factory=list)  # ("反馈问题 3", ["整改进展", …])
    unchanged: int = 0
    missing: list[str] = field(default_factory=list)  # in a round imported into but not in the file
    units_created: list[str] = field(default_factory=list)
    rounds: list[RoundImport] = field(default_factory=list)  # in the order the records name them
    backup: Path | None = None
    dry_run: bool = False

    @property
    def rounds_created(self) -> list[str]:
        return [r.name for r in self.rounds if r.new]

    def to_json(self) -> dict[str, Any]:
        return {
            "dry_run": self.dry_run,
            "rounds": [r.to_json() for r in self.rounds],
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


class Imports:
    """``ledger.imports``: tasks read from offices' files, written all or nothing."""

    def __init__(self, ledger: Ledger) -> None:
        self.ledger = ledger

    # -- an office's Excel ledger ------------------------------------------------------------------
    def read_workbook(
        self,
        path: Path | str,
        *,
        sheet: str | None = None,
        column_overrides: dict[int, str] | None = None,
        progress: ProgressFn | None = None,
        cancelled: CancelFn | None = None,
    ) -> ImportPlan:
        """Read an office's workbook into a plan; writes nothing. Raises WorkbookRefused when the file
        cannot be a ledger.

        The ledger's unit names are never split (县自然资源和规划局 stays whole where lists are split on
        和/及). ``sheet``: the sheet to read (None: the one most like a ledger); ``column_overrides``:
        0-based column → field, replacing what the reader guessed (the wizard's 核对列). The reader is
        one step: ``progress`` hears its start and end, ``cancelled`` is asked when it is done."""
        # The Excel readers load their libraries on import: only when a workbook is read.
        from ledger_app.io.excel_in.workbook import read_ledger_workbook

        path = Path(path)
        if progress is not None:
            progress(0, 1, f"正在读取「{path.name}」")
        known = [u.name for u in self.ledger.directory.list_units()]
        plan = read_ledger_workbook(path, sheet=sheet, known_units=known, column_overrides=column_overrides)
        if cancelled is not None and cancelled():
            raise CancelledError()
        if progress is not None:
            progress(1, 1, "已读取")
        return plan

    def import_workbook(
        self,
        plan: ImportPlan,
        *,
        target: ImportTarget | str | None = None,
        progress_date: date | None = None,
        dry_run: bool = False,
        confirm_future: bool = False,
        progress: ProgressFn | None = None,
        cancelled: CancelFn | None = None,
    ) -> ImportResult:
        """Write the plan's tasks (see ``import_records``), or with ``dry_run`` only say what would change.

        ``target``: the round of the tasks no section row puts in a round: the one chosen (the
        wizard's), a round's name (an existing one, else a new one), or None: the round the title
        names, else a new one named from the title (import_rounds.default_target).
        ``progress_date``: the day of progress text written without one (``progress_day``)."""
        chosen = default_target(plan, self.ledger.directory.list_rounds(), target)
        return self.import_records(
            plan.records(progress_date=progress_day(plan, progress_date)),
            source=plan.path,
            dry_run=dry_run,
            progress=progress,
            cancelled=cancelled,
            confirm_future=confirm_future,
            **(chosen.import_args() if chosen is not None else {}),
        )

    # -- a rectification plan (整改方案), in plan_import.py ------------------------------------------
    def read_plan(self, *, path: Path | str | None = None, text: str | None = None) -> PlanReading:
        """The plan in ``path`` (or the pasted ``text``) read against this ledger's unit directory;
        writes nothing. Raises PlanRefused when the file cannot be read as a plan."""
        return plan_import.read_plan_for(self.ledger, path=path, text=text)

    def new_units(self, reading: PlanReading) -> list[str]:
        """Unit names the plan uses that the directory lacks, for the clerk to confirm before importing."""
        return plan_import.new_units(self.ledger, reading)

    def import_plan(
        self,
        reading: PlanReading,
        *,
        target: ImportTarget | str | None = None,
        dry_run: bool = False,
        progress: ProgressFn | None = None,
        cancelled: CancelFn | None = None,
    ) -> ImportResult:
        """Write the reading's tasks into the round named (an existing one, else a new one; None: the
        round the plan's title names), all or nothing, after a backup; or only say what would change."""
        return plan_import.import_plan(
            self.ledger, reading, target=target, dry_run=dry_run, progress=progress, cancelled=cancelled
        )

    # -- the records of any reader -----------------------------------------------------------------

    def import_records(
        self,
        records: Sequence[TaskRecord],
        *,
        round_id: int | None = None,
        new_round: tuple[str, RoundLevel] | None = None,
        source: str = "",
        dry_run: bool = False,
        progress: ProgressFn | None = None,
        cancelled: CancelFn | None = None,
        confirm_future: bool = False,
    ) -> ImportResult:
        """Write ``records`` in one transaction (after a backup), or only report what would change (dry run).

        Progress dated after today follows domain.dates' rule, as a clerk's own entry does: more than
        a month ahead is refused; up to a month ahead only with ``confirm_future`` (the clerk said so).

        A record's ``round_name`` names its round: an existing round of that name, else one created
        in the same transaction (its level guessed from the name, or the one ``new_round`` gives for
        that name). Records without a round name go to the default round: ``round_id``, or
        ``new_round`` = (name, level) created in the same transaction. A failed or cancelled import
        leaves no round behind, and a round is only created for records that go into it.
        """
        if round_id is not None and new_round is not None:
            raise ValidationError("只能选择一个督察批次。", "give at most one of round_id and new_round")
        if (
            round_id is None
            and new_round is None
            and not all(map(clean_name, {r.round_name for r in records}))
        ):
            raise ValidationError(
                "请选择导入到哪个督察批次。", "records without a round need round_id or new_round"
            )
        _check_future_progress(records, confirm_future)
        result = ImportResult(dry_run=dry_run)
        if not dry_run and self.ledger.path.exists():
            result.backup = take_backup(self.ledger.path, "before-import").path
        try:
            with (
                gc_paused(),
                self.ledger.changing(_import_reason(source)) as session,
            ):
                groups = self._rounds_for(session, records, round_id, new_round)
                unit_ids = _unit_ids(session, records, result)
                current = tasks_in_rounds(session, [rnd.id for rnd, _, _ in groups])
                several = len(groups) > 1
                counter = _Progress(len(records), progress, cancelled)
                for rnd, is_new, members in groups:
                    outcome = RoundImport(rnd.name, new=is_new)
                    result.rounds.append(outcome)
                    self._import_into(
                        session, members, rnd, current[rnd.id], unit_ids, result, outcome, several, counter
                    )
                if dry_run:
                    raise _DryRun
        except _DryRun:
            pass
        return result

    def _rounds_for(
        self,
        session: Any,
        records: Sequence[TaskRecord],
        round_id: int | None,
        new_round: tuple[str, RoundLevel] | None,
    ) -> list[tuple[m.InspectionRound, bool, list[TaskRecord]]]:
        """The records grouped by the round they go to (created as needed), in the order first named."""
        by_name: dict[str, list[TaskRecord]] = {}
        cleaned: dict[str, str] = {}  # thousands of records name the same few rounds
        for record in records:
            name = cleaned.get(record.round_name)
            if name is None:
                name = cleaned[record.round_name] = clean_name(record.round_name)
            by_name.setdefault(name, []).append(record)
        existing = {r.name: r for r in session.scalars(select(m.InspectionRound))}
        default: m.InspectionRound | None = None
        if round_id is not None:
            default = session.get(m.InspectionRound, round_id)
            if default is None:
                raise NotFoundError("督察批次不存在。", f"no round {round_id}")
        new_name = clean_name(new_round[0]) if new_round is not None else None
        if new_round is not None and not new_name:
            raise ValidationError("督察批次名称不能为空。", "round name is empty")
        if new_name and new_name in existing:
            raise ValidationError(f"督察批次「{new_name}」已存在。", f"round {new_name!r} exists")
        groups: dict[int, tuple[m.InspectionRound, bool, list[TaskRecord]]] = {}
        for name, members in by_name.items():
            is_new = False
            if not name:
                if default is None:
                    assert new_round is not None and new_name
                    default = existing[new_name] = self._new_round_in(session, new_name, new_round[1])
                    is_new = True
                rnd = default
            elif name in existing:
                rnd = existing[name]  # made above for the default's records when it is new_round's name
            else:
                level = new_round[1] if name == new_name and new_round else level_of(name)
                rnd = existing[name] = self._new_round_in(session, name, level)
                if name == new_name:
                    default = rnd
                is_new = True
            if rnd.id in groups:
                groups[rnd.id][2].extend(members)
            else:
                groups[rnd.id] = (rnd, is_new, members)
        return list(groups.values())

    @staticmethod
    def _new_round_in(session: Any, name: str, level: RoundLevel) -> m.InspectionRound:
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
        existing: dict[TaskKey, CurrentTask],
        unit_ids: dict[str, int],
        result: ImportResult,
        outcome: RoundImport,
        several: bool,
        counter: _Progress,
    ) -> None:
        prefix = f"{rnd.name} " if several else ""
        seen: set[tuple[Section, str]] = set()
        new: list[TaskRecord] = []
        for record in records:
            counter.step("比对任务")
            key = (record.kind.section, record.seq)
            if key in seen:
                raise ValidationError(
                    f"导入的数据中{prefix}{_label(record)}出现了两次,请先更正序号。",
                    f"duplicate {key} in the import",
                )
            seen.add(key)
            current = existing.get(key)
            if current is None:
                new.append(record)
            elif differences(current, record):
                # Only tasks that really differ go through the (audited, slower) ORM update.
                fields = self._update_from(session, current.id, record)
                result.changed.append((prefix + _label(record), fields))
                outcome.changed += 1
            else:
                result.unchanged += 1
                outcome.unchanged += 1
        if new:
            insert_tasks(session, new, rnd.id, unit_ids)
            if counter.progress is not None:
                counter.progress(counter.done, counter.total, "写入台账")
        result.created += [prefix + _label(r) for r in new]
        outcome.created = len(new)
        gone = sorted(
            (key for key in existing if key not in seen),
            key=lambda k: (_SECTION_ORDER[k[0]], natural_key(k[1])),
        )
        result.missing += [f"{prefix}{section.label} {seq}" for section, seq in gone]
        outcome.missing = len(gone)

    def _update_from(self, session: Any, task_id: int, record: TaskRecord) -> list[str]:
        """Bring one existing task in line with ``record``; returns the labels of what changed."""
        task = session.get(m.Problem, task_id)
        changed: list[str] = []
        for key in _TEXT_FIELDS:
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
                set_links(session, task, role, names)
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
                set_links(session, measure, UnitRole.LEAD, ms.lead_units)
                set_links(session, measure, UnitRole.COOPERATING, ms.cooperating_units)
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


def progress_day(plan: ImportPlan, given: date | None = None) -> date:
    """The day progress text written without a date is recorded on: the day given, else the sheet's
    own 填报 date, else today."""
    if given is not None:
        return given
    return plan.report_date.day if plan.report_date is not None else date.today()


def future_progress(
    records: Sequence[TaskRecord], today: date | None = None
) -> list[tuple[str, date, Future]]:
    """(task label, date, verdict) of every progress entry dated after ``today``, in record order."""
    today = today or date.today()
    found = []
    for record in records:
        for entry in record.progress:
            if entry.date is not None and entry.date > today:
                found.append((_label(record), entry.date, check_progress_day(entry.date, today).verdict))
    return found


def _check_future_progress(records: Sequence[TaskRecord], confirm_future: bool) -> None:
    ahead = future_progress(records)
    refused = [(label, day) for label, day, verdict in ahead if verdict is Future.REFUSE]
    if refused:
        listed = "、".join(f"{label}({day.isoformat()})" for label, day in refused[:5])
        more = f"等 {len(refused)} 条" if len(refused) > 5 else ""
        raise ValidationError(
            f"有进展日期比今天晚一个多月,不予导入:{listed}{more}。请检查进展日期。",
            f"{len(refused)} progress entries are dated more than {MAX_FUTURE_DAYS} days ahead",
        )
    if ahead and not confirm_future:
        listed = "、".join(f"{label}({day.isoformat()})" for label, day, _verdict in ahead[:5])
        more = f"等 {len(ahead)} 条" if len(ahead) > 5 else ""
        raise FutureDateUnconfirmed(
            f"有进展日期晚于今天:{listed}{more}。确认无误后才能导入(命令行加 --allow-future)。",
            f"{len(ahead)} progress entries are dated after today: confirm (--allow-future)",
        )


def differences(current: CurrentTask, record: TaskRecord) -> list[str]:
    """What an import of ``record`` would change in ``current``, as the report's field labels.

    Mirrors ``Imports._update_from``: empty cells in the file never blank what the ledger has,
    and progress entries are only ever added.
    """
    changed = [
        _COMPARED[key]
        for key in _TEXT_FIELDS
        if getattr(record, key) and getattr(record, key) != getattr(current, key)
    ]
    if record.deadline.text and record.deadline.text != current.deadline_text:
        changed.append(_COMPARED["deadline"])
    if record.status is not current.status:
        changed.append(_COMPARED["status"])
    if any(getattr(record, attr) and getattr(record, attr) != getattr(current, attr) for _, attr in _ROLES):
        changed.append(_COMPARED["units"])
    if record.measures and [ms.text for ms in record.measures] != current.measure_texts:
        changed.append(_COMPARED["measures"])
    if any(e.text and (e.date, e.text) not in current.progress for e in record.progress):
        changed.append(_COMPARED["progress"])
    return changed


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


class _Progress:
    """Progress over all records of an import, and the cancel check, every few records."""

    EVERY = 200

    def __init__(self, total: int, progress: ProgressFn | None, cancelled: CancelFn | None) -> None:
        self.total, self.done = total, 0
        self.progress, self.cancelled = progress, cancelled

    def step(self, text: str) -> None:
        self.done += 1
        if self.done % self.EVERY == 0 or self.done == self.total:
            if self.cancelled is not None and self.cancelled():
                raise CancelledError
            if self.progress is not None:
                self.progress(self.done, self.total, text)


def _unit_ids(session: Any, records: Sequence[TaskRecord], result: ImportResult) -> dict[str, int]:
    """Ids of every unit the records name, adding the ones the directory lacks (in bulk)."""
    raw = {n for r in records for n in _all_unit_names(r)}  # clean each distinct name once
    names = sorted({clean_name(n) for n in raw} - {""})
    by_key = units_by_key(session)
    # Another spelling of a directory name (full-width brackets for half-width) is that unit; of
    # two new spellings of one name, the first in sorted order is the one created.
    new: dict[str, str] = {}
    for name in names:
        key = name_key(name)
        if key not in by_key and key not in new:
            new[key] = name
    fresh = list(new.values())
    if fresh:
        session.execute(insert(m.Unit), [{"name": n} for n in fresh])
        by_key = units_by_key(session)
    result.units_created = fresh
    return {name: by_key[name_key(name)][0] for name in names}


def _import_reason(source: str) -> str:
    """The change's name in the history: what kind of file the tasks came from."""
    if not source:
        return "导入"
    name = Path(source).name
    kind = "整改方案" if Path(source).suffix.lower() in (".txt", ".docx", ".doc") else "Excel"
    return f"从{kind}导入:{name}"


def result_lines(result: ImportResult, *, source: str = "文件") -> list[str]:
    """What an import did (or would do, for a dry run), in Chinese, for the CLI and the GUI alike.

    ``source`` names what the tasks came from in the text: 文件 (an Excel ledger), 方案 (a plan)."""
    verb = "将" if result.dry_run else "已"
    lines = [
        f"{verb}新增任务 {len(result.created)} 项,{verb}更新 {len(result.changed)} 项,无变化 {result.unchanged} 项;"
        f"台账中有、{source}中没有 {len(result.missing)} 项;{verb}新增单位 {len(result.units_created)} 个。"
    ]
    for rnd in result.rounds:
        lines.append(
            f"  督察批次「{rnd.name}」{f'({verb}新建)' if rnd.new else ''}:新增 {rnd.created} 项,"
            f"更新 {rnd.changed} 项,无变化 {rnd.unchanged} 项,台账中有、{source}中没有 {rnd.missing} 项"
        )
    lines += [f"  更新 {task}:{'、'.join(fields)}" for task, fields in result.changed]
    if result.missing:
        lines.append(f"  {source}中没有:" + "、".join(result.missing))
    if result.units_created:
        lines.append("  新增单位(请在“单位名录”中核对):" + "、".join(result.units_created))
    if result.backup:
        lines.append(f"导入前的台账已备份到:{result.backup}")
    if result.dry_run:
        lines.append("(试运行,台账未做任何修改)")
    return lines
