"""Which inspection round an office's workbook belongs to, guessed from its title lines."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from ledger_app.domain.errors import ValidationError
from ledger_app.domain.model import RoundLevel
from ledger_app.io.import_plan import ImportPlan

from .directory import RoundInfo, clean_name

# "第二轮中央生态环境保护督察", "2024年市级生态环境保护督察回头看": the round named in a ledger's title.
_ROUND_IN_TITLE = re.compile(r"(第[一二三四五六七八九十\d]+轮|\d{4}年度?)?[^第]{0,12}?督察(回头看)?")


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
            return name, level_of(name)
    return "", RoundLevel.DISTRICT


def level_of(name: str) -> RoundLevel:
    for word, level in (("中央", RoundLevel.CENTRAL), ("省", RoundLevel.PROVINCIAL), ("市", RoundLevel.CITY)):
        if word in name:
            return level
    return RoundLevel.DISTRICT


def default_target(
    plan: ImportPlan, rounds: Sequence[RoundInfo], wanted: str | None = None
) -> dict[str, Any]:
    """``import_records`` arguments for the round of the tasks whose section rows name none.

    ``wanted``: the round the clerk named (an existing one, else a new one). Without it: a round of the
    ledger the title names, else a new round named from the title; nothing when every task's round
    is known from its section row. Raises ValidationError when the round cannot be told.
    """
    if wanted is not None and clean_name(wanted):
        name = clean_name(wanted)
        existing = [r for r in rounds if r.name == name]
        return {"round_id": existing[0].id} if existing else {"new_round": (name, level_of(name))}
    if all(task.round_name for task in plan.tasks):
        return {}
    title = " ".join(plan.preamble)
    if any(r.name and r.name in title for r in rounds):
        named = guess_round(plan, rounds)
        assert named is not None
        return {"round_id": named.id}
    name, level = guess_new_round(plan)
    if name:
        return {"new_round": (name, level)}
    raise ValidationError(
        "无法从表格标题判断督察批次,请用 --round 指定。", "cannot tell the round; give --round"
    )
