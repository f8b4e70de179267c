"""The work behind the report page, without Qt: the dry run, the import itself, and guessing the round.

These run on a worker thread (ui/workers.py); the ledger's services do the writing, all or nothing.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date

from ledger_app.domain.model import RoundLevel
from ledger_app.domain.progress import CancelFn, ProgressFn
from ledger_app.domain.records import TaskRecord
from ledger_app.io.import_plan import ImportPlan
from ledger_app.services import ImportResult, Ledger
from ledger_app.services.import_rounds import guess_new_round, guess_round

__all__ = ["Target", "dry_run", "guess_new_round", "guess_round", "records_for", "run_import"]

log = logging.getLogger(__name__)


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
    """The tasks for the import service; ``round_name`` goes to those no section row put in a round."""
    return plan.records(round_name=round_name, progress_date=progress_date)


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
    cancelled: CancelFn | None = None,
) -> ImportResult:
    """What importing would change, computed exactly and rolled back (nothing is written).

    Progress dated after today does not stop the comparison: the clerk is asked before the import."""
    return _import(
        ledger, plan, target, progress_date, progress, cancelled, dry_run=True, confirm_future=True
    )


def run_import(
    ledger: Ledger,
    plan: ImportPlan,
    target: Target,
    progress_date: date | None,
    progress: ProgressFn | None = None,
    cancelled: CancelFn | None = None,
    *,
    confirm_future: bool = False,
) -> ImportResult:
    """Import for real, all or nothing, after the service's automatic backup. ``confirm_future``:
    the clerk confirmed progress dated after today (up to a month; later is refused anyway)."""
    return _import(
        ledger, plan, target, progress_date, progress, cancelled, dry_run=False, confirm_future=confirm_future
    )


def _import(
    ledger: Ledger,
    plan: ImportPlan,
    target: Target,
    progress_date: date | None,
    progress: ProgressFn | None,
    cancelled: CancelFn | None,
    *,
    dry_run: bool,
    confirm_future: bool,
) -> ImportResult:
    return ledger.import_records(
        records_for(plan, target.name, progress_date),
        **_round_args(target),  # type: ignore[arg-type]
        source=plan.path,
        dry_run=dry_run,
        progress=progress,
        cancelled=cancelled,
        confirm_future=confirm_future,
    )
