"""The clerk's corrections of a plan reading before it is imported: merge, split, drop tasks.

Plain list operations on ParsedTask, so the dialog only presents them and the tests need no Qt.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from ledger_app.io.import_plan import ParsedMeasure, ParsedTask

from .reading import unique


def merge_tasks(tasks: list[ParsedTask], indexes: Sequence[int]) -> ParsedTask:
    """Merge the tasks at ``indexes`` into the first of them (in list order); the others leave the list.

    Descriptions and goals are joined paragraph by paragraph, units by role without repeats, measures
    follow one another and are numbered anew; the first task's 序号 and deadline stay (else the next one's).
    """
    chosen = sorted(set(indexes))
    if len(chosen) < 2:
        raise ValueError("merge needs two tasks or more")
    first = tasks[chosen[0]]
    for index in chosen[1:]:
        other = tasks[index]
        first.description = _paragraphs(first.description, other.description)
        first.goal = _paragraphs(first.goal, other.goal)
        first.note = _paragraphs(first.note, other.note)
        first.rows = sorted({*first.rows, *other.rows})
        first.lead_units = unique([*first.lead_units, *other.lead_units])
        first.responsible_units = unique([*first.responsible_units, *other.responsible_units])
        first.cooperating_units = unique(
            n for n in [*first.cooperating_units, *other.cooperating_units] if n not in first.lead_units
        )
        first.supervising_units = unique([*first.supervising_units, *other.supervising_units])
        if not first.leader:
            first.leader = other.leader
        if first.deadline.is_empty:
            first.deadline = other.deadline
        first.measures.extend(other.measures)
    _renumber(first.measures)
    for index in reversed(chosen[1:]):
        del tasks[index]
    return first


def split_task(tasks: list[ParsedTask], index: int, at: int) -> ParsedTask:
    """Measures ``at`` and after of task ``index`` become a task of their own, right after it.

    The new task's description is its first measure's text; its units are the ones its measures
    name (else the original task's); its 序号 is the original one with "-2" (or the next free suffix).
    """
    task = tasks[index]
    if not 0 < at < len(task.measures):
        raise ValueError("split point must leave measures on both sides")
    moved = task.measures[at:]
    del task.measures[at:]
    lead = unique(n for m in moved for n in m.lead_units)
    cooperating = unique(n for m in moved for n in m.cooperating_units if n not in lead)
    rows = sorted({m.row for m in moved})
    new = replace(
        task,
        rows=rows or list(task.rows),
        seq=_free_seq(tasks, task.seq),
        seq_auto=True,
        description=moved[0].text,
        lead_units=lead or list(task.lead_units),
        responsible_units=[] if lead else list(task.responsible_units),
        cooperating_units=cooperating if lead else list(task.cooperating_units),
        supervising_units=list(task.supervising_units),
        measures=list(moved),
        progress_entries=[],
    )
    task.rows = sorted(set(task.rows) - set(rows)) or task.rows
    _renumber(task.measures)
    _renumber(new.measures)
    tasks.insert(index + 1, new)
    return new


def drop_task(tasks: list[ParsedTask], index: int) -> ParsedTask:
    return tasks.pop(index)


def _free_seq(tasks: Sequence[ParsedTask], seq: str) -> str:
    taken = {t.seq for t in tasks}
    suffix = 2
    while f"{seq}-{suffix}" in taken:
        suffix += 1
    return f"{seq}-{suffix}"


def _renumber(measures: list[ParsedMeasure]) -> None:
    for number, measure in enumerate(measures, 1):
        measure.seq = number


def _paragraphs(a: str, b: str) -> str:
    return "\n".join(p for p in (a.strip(), b.strip()) if p)
