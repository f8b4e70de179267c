"""The work behind the report page, without Qt: the dry run, the import itself, and guessing the round.

These run on a worker thread (ui/workers.py); the ledger's services do the writing, all or nothing.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from ledger_app.domain.model import RoundLevel
from ledger_app.domain.records import TaskRecord
from ledger_app.io.xl_plan import ImportPlan
from ledger_app.services import ImportResult, Ledger, RoundInfo

log = logging.getLogger(__name__)

ProgressFn = Callable[[int, int, str], None]
CancelledFn = Callable[[], bool]

# "第二轮中央生态环境保护督察", "省生态环境保护督察回头看": the round named in a ledger's title.
_ROUND_IN_TITLE = re.compile(r"(第[一二三四五六七八九十\d]+轮)?[^第]{0,12}?督察(回头看)?")


@dataclass(frozen=True, slots=True)
class Target:
    """Where the tasks go: an existing round (``round_id``), or a new one made at import time."""

    round_id: int | None
    name: str
    level: RoundLevel = RoundLevel.DISTRICT

    @property
    def is_new(self) -> bool:
        return self.round_id is None


def records_for(plan: ImportPlan, round_name: str, progress_date: date | None) -> list[TaskRecord]:
    return [task.to_record(round_name=round_name, progress_date=progress_date) for task in plan.tasks]


def _label(record: TaskRecord) -> str:
    # The import service names tasks the same way ("反馈问题 12").
    return f"{record.kind.section.label} {record.seq}"


def _unit_names(record: TaskRecord) -> list[str]:
    names = [
        *record.lead_units,
        *record.responsible_units,
        *record.cooperating_units,
        *record.supervising_units,
    ]
    for measure in record.measures:
        names += [*measure.lead_units, *measure.cooperating_units]
    return names


def _round_args(target: Target) -> dict[str, object]:
    """The service creates a new round inside the import's own transaction (and a dry run rolls it back)."""
    if target.round_id is None:
        return {"new_round": (target.name, target.level)}
    return {"round_id": target.round_id}


def dry_run(
    ledger: Ledger,
    plan: ImportPlan,
    target: Target,
    progress_date: date | None,
    progress: ProgressFn | None = None,
    cancelled: CancelledFn | None = None,
) -> ImportResult:
    """What importing would change, computed exactly and rolled back (nothing is written)."""
    return ledger.import_records(
        records_for(plan, target.name, progress_date),
        **_round_args(target),  # type: ignore[arg-type]
        source=plan.path,
        dry_run=True,
        progress=progress,
        cancelled=cancelled,
    )


def run_import(
    ledger: Ledger,
    plan: ImportPlan,
    target: Target,
    progress_date: date | None,
    progress: ProgressFn | None = None,
    cancelled: CancelledFn | None = None,
) -> ImportResult:
    """Import for real, all or nothing, after the service's automatic backup."""
    return ledger.import_records(
        records_for(plan, target.name, progress_date),
        **_round_args(target),  # type: ignore[arg-type]
        source=plan.path,
        progress=progress,
        cancelled=cancelled,
    )


def guess_round(plan: ImportPlan, rounds: Sequence[RoundInfo]) -> RoundInfo | None:
    """The round the file's title or sheet names; else the newest round (the inspection in hand)."""
    text = " ".join([plan.sheet, *plan.preamble])
    named = [r for r in rounds if r.name and r.name in text]
    if named:
        return max(named, key=lambda r: len(r.name))
    return rounds[-1] if rounds else None


def guess_new_round(plan: ImportPlan) -> tuple[str, RoundLevel]:
    """A name and level for a new round from the title ("…第二轮省生态环境保护督察反馈问题…")."""
    for line in plan.preamble or [plan.title]:
        match = _ROUND_IN_TITLE.search(line)
        if match:
            name = match.group(0)
            return name, _level_of(name)
    return "", RoundLevel.DISTRICT


def _level_of(name: str) -> RoundLevel:
    for word, level in (("中央", RoundLevel.CENTRAL), ("省", RoundLevel.PROVINCIAL), ("市", RoundLevel.CITY)):
        if word in name:
            return level
    return RoundLevel.DISTRICT
