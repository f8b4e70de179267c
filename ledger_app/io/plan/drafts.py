"""Pieces the plan's readers (parse.py, table.py) share while they build tasks."""

from __future__ import annotations

from dataclasses import dataclass, field

from ledger_app.io.excel_in.units import UnitRoles
from ledger_app.io.import_plan import ParsedTask

from .reading import unique

_SENTENCE_END = "。;；!！?？:：)）"


@dataclass(frozen=True, slots=True)
class Numbered:
    style: str  # "cn_dun" 一、 | "cn_paren" (一) | "dot" 1. 1、 | "paren" (1) | "half" 1) | "circled" ①
    number: int
    body: str  # the line without its number


@dataclass(slots=True)
class MeasureDraft:
    """One measure while it is read: its lines, joined (a wrapped line without a break)."""

    row: int
    text: str
    number: Numbered | None = None
    more_rows: list[int] = field(default_factory=list)  # lines the measure continues on

    def add(self, text: str, row: int = 0) -> None:
        joiner = "\n" if self.text.rstrip()[-1:] in _SENTENCE_END and not text.startswith(("(", "（")) else ""
        self.text = f"{self.text}{joiner}{text.strip()}" if self.text else text.strip()
        if row:
            self.more_rows.append(row)


def add_roles(task: ParsedTask, roles: UnitRoles) -> None:
    task.lead_units = unique([*task.lead_units, *roles.lead])
    task.responsible_units = unique([*task.responsible_units, *roles.responsible])
    task.cooperating_units = unique([*task.cooperating_units, *roles.cooperating])
    task.supervising_units = unique([*task.supervising_units, *roles.supervising])
