"""导入整改方案 (``ledger.imports.read_plan`` → ``import_plan``): read a plan against the ledger's unit
directory, then write it as the Excel import does.

The CLI (``ledger-cli import-plan``) and the GUI dialog (文件 → 导入整改方案) both call the two; the
dialog lets the clerk correct the reading's tasks in between.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ledger_app.domain.errors import ValidationError
from ledger_app.domain.progress import CancelFn, ProgressFn
from ledger_app.io.plan import PlanReading, read_plan, read_plan_text

from .directory import name_key
from .import_rounds import ImportTarget, default_target

if TYPE_CHECKING:
    from . import Ledger
    from .importing import ImportResult

PASTED_SOURCE = "粘贴的整改方案"
# How an import's summary names what the tasks came from (importing.result_lines).
RESULT_SOURCE = "方案"


def read_plan_for(ledger: Ledger, *, path: Path | str | None = None, text: str | None = None) -> PlanReading:
    """The plan in ``path`` (or the pasted ``text``), its unit lists split against the ledger's
    directory so that names such as 县自然资源和规划局 stay whole."""
    known = [u.name for u in ledger.directory.list_units()]
    if path is not None:
        return read_plan(path, known_units=known)
    return read_plan_text(text or "", known_units=known)


def import_plan(
    ledger: Ledger,
    reading: PlanReading,
    *,
    target: ImportTarget | str | None = None,
    dry_run: bool = False,
    progress: ProgressFn | None = None,
    cancelled: CancelFn | None = None,
) -> ImportResult:
    """Write the reading's tasks into the round named (an existing one, else a new one; without a
    name, the round the plan's title names): all or nothing, after a backup."""
    try:
        chosen = default_target(reading, ledger.directory.list_rounds(), target)
    except ValidationError:
        raise ValidationError(
            "无法从方案标题判断督察批次,请指定导入到哪个督察批次(命令行用 --round)。",
            "cannot tell the round from the plan's title; give the round",
        ) from None
    return ledger.imports.import_records(
        reading.records(),
        source=reading.path or PASTED_SOURCE,
        dry_run=dry_run,
        progress=progress,
        cancelled=cancelled,
        **(chosen.import_args() if chosen is not None else {}),
    )


def new_units(ledger: Ledger, reading: PlanReading) -> list[str]:
    """Unit names the plan uses that the ledger's directory lacks (compared as the import compares them:
    another width of bracket or spacing is the same unit), for the clerk to confirm before importing."""
    known = {name_key(u.name) for u in ledger.directory.list_units()}
    names: dict[str, str] = {}
    for task in reading.tasks:
        for name in [
            *task.all_units,
            *(n for m in task.measures for n in (*m.lead_units, *m.cooperating_units)),
        ]:
            key = name_key(name)
            if key and key not in known:
                names.setdefault(key, name)
    return list(names.values())
