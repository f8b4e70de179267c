"""Which inspection round an office's workbook or a rectification plan goes to, guessed from its title lines."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from ledger_app.domain.errors import ValidationError
from ledger_app.domain.model import RoundLevel
from ledger_app.io.import_plan import ParsedTask

from .directory import RoundInfo, clean_name

# "第二轮中央生态环境保护督察", "2024年市级生态环境保护督察回头看": the round named in a ledger's title.
_ROUND_IN_TITLE = re.compile(r"(第[一二三四五六七八九十\d]+轮|\d{4}年度?)?[^第]{0,12}?督察(回头看)?")


@dataclass(frozen=True, slots=True)
class ImportTarget:
    """The round that takes the tasks no section row puts in a round: an existing one (``round_id``),
    or a new one the import makes in its own transaction (so a dry run or a failure leaves none)."""

    round_id: int | None
    name: str
    level: RoundLevel = RoundLevel.DISTRICT

    @property
    def is_new(self) -> bool:
        return self.round_id is None

    def import_args(self) -> dict[str, Any]:
        """The ``import_records`` arguments naming this round."""
        if self.round_id is None:
            return {"new_round": (self.name, self.level)}
        return {"round_id": self.round_id}


class TaskSource(Protocol):
    """What the guesses read of a file's reading: a workbook's ImportPlan or a plan's PlanReading."""

    @property
    def tasks(self) -> Sequence[ParsedTask]: ...

    @property
    def title(self) -> str: ...

    @property
    def preamble(self) -> list[str]: ...


def guess_round(plan: TaskSource, rounds: Sequence[RoundInfo]) -> RoundInfo | None:
    """The round the file's title or sheet names; else the newest round (the inspection in hand)."""
    # A workbook's sheet may name the round too; a plan's reading has no sheets.
    text = " ".join([getattr(plan, "sheet", ""), *plan.preamble])
    named = [r for r in rounds if r.name and r.name in text]
    if named:
        return max(named, key=lambda r: len(r.name))
    return rounds[-1] if rounds else None


def guess_new_round(plan: TaskSource) -> tuple[str, RoundLevel]:
    """A name and level for a new round from the title ("…第二轮省生态环境保护督察反馈问题…")."""
    for line in plan.preamble or [plan.title]:
        match = _ROUND_IN_TITLE.search(line)
        if match:
            name = match.group(0)
            return name, level_of(name)
    return "", RoundLevel.DISTRICT


def level_of(name: str) -> RoundLevel:
    for word, level in (("中央", RoundLevel.CENTRAL), ("省", RoundLevel.PROVINCIAL), ("市", RoundLevel.CITY)):
        if word in name:
            return level
    return RoundLevel.DISTRICT


def named_target(name: str, rounds: Sequence[RoundInfo]) -> ImportTarget:
    """The round of that name, else a new one (its level guessed from the name)."""
    name = clean_name(name)
    existing = [r for r in rounds if r.name == name]
    if existing:
        return ImportTarget(existing[0].id, existing[0].name, existing[0].level)
    return ImportTarget(None, name, level_of(name))


def default_target(
    plan: TaskSource, rounds: Sequence[RoundInfo], wanted: ImportTarget | str | None = None
) -> ImportTarget | None:
    """The round of the tasks whose section rows name none.

    ``wanted``: the round the clerk chose (an ImportTarget, taken as it is) or named (an existing one,
    else a new one). Without it: a round of the ledger the title names, else a new round named from
    the title; None when every task's round is known from its section row. Raises ValidationError
    when the round cannot be told.
    """
    if isinstance(wanted, ImportTarget):
        return wanted
    if wanted is not None and clean_name(wanted):
        return named_target(wanted, rounds)
    if all(task.round_name for task in plan.tasks):
        return None
    title = " ".join(plan.preamble)
    if any(r.name and r.name in title for r in rounds):
        named = guess_round(plan, rounds)
        assert named is not None
        return ImportTarget(named.id, named.name, named.level)
    name, level = guess_new_round(plan)
    if name:
        return ImportTarget(None, name, level)
    raise ValidationError(
        "无法从表格标题判断督察批次,请用 --round 指定。", "cannot tell the round; give --round"
    )
