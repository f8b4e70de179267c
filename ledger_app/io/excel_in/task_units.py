"""Who answers for a task, and its measures: units from the unit columns, measures from 整改措施
(excel_in.measures), each measure with the units and deadline it names itself.

A task over several rows (one measure a row) has the union of its rows' units; a measure naming
no units of its own takes its row's, and one naming no deadline its row's. A task whose unit columns
are empty takes the units its measures name.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

from ledger_app.io.excel_in.cells import cell_text
from ledger_app.io.excel_in.drafts import TaskDraft
from ledger_app.io.excel_in.measures import read_measures
from ledger_app.io.excel_in.reader import STRIDE
from ledger_app.io.excel_in.sheet_issues import SheetIssues
from ledger_app.io.excel_in.task_state import TaskState
from ledger_app.io.excel_in.units import MAX_UNIT_CHARS, UnitReader, UnitRoles
from ledger_app.io.import_plan import ParsedMeasure

# field → the role its units have when the text names none ("县住建局" in 牵头单位 leads)
UNIT_FIELDS = {
    "units": "responsible",
    "lead_units": "lead",
    "responsible_units": "responsible",
    "cooperating_units": "cooperating",
    "supervising_units": "supervising",
}
MAX_UNIT_CELL_CHARS = 2_000  # a unit list longer than this is a paragraph pasted in the wrong column


class UnitCellTooLong(NamedTuple):
    field: str
    chars: int


@dataclass(slots=True)
class TaskUnits:
    cols: dict[str, int]  # field → column
    units: UnitReader
    state: TaskState  # for the deadline a measure row gives
    issues: SheetIssues
    _unit_cols: list[tuple[str, str]] = field(default_factory=list, init=False)  # (field, default role)

    def __post_init__(self) -> None:
        self._unit_cols = [(name, role) for name, role in UNIT_FIELDS.items() if name in self.cols]

    def roles(self, draft: TaskDraft) -> UnitRoles | UnitCellTooLong:
        """The units of the task's unit columns, or the first cell too long to be a list of units."""
        found: list[UnitRoles] = []
        for name, role in self._unit_cols:
            cells = draft.count(name)
            if not cells:
                continue
            for text in [draft.text(name)] if cells == 1 else map(cell_text, draft.cell_values(name)):
                if len(text) > MAX_UNIT_CELL_CHARS:
                    return UnitCellTooLong(name, len(text))
                found.append(self.units.roles(text, role))
        if len(found) == 1:
            return found[0]  # shared with the reader's cache: read, never changed
        roles = UnitRoles()
        for part in found:
            roles.merge(part)
        return roles

    def checked(self, draft: TaskDraft, roles: UnitRoles, measures: list[ParsedMeasure]) -> UnitRoles:
        """``roles``, or the measures' units when the unit columns are empty; the clerk is told when
        the task has no unit or a name too long to be one."""
        if roles.empty:
            roles = UnitRoles()
            for measure in measures:
                roles.add("lead", measure.lead_units)
                roles.add("cooperating", measure.cooperating_units)
        if not (roles.lead or roles.responsible):
            self.issues.add(draft.first_row, None, "该任务没有填写责任单位(或牵头单位)。")
        for names in (roles.lead, roles.responsible, roles.cooperating, roles.supervising):
            for name in names:
                if len(name) > MAX_UNIT_CHARS:
                    self.issues.add(
                        draft.first_row, None, f"责任单位「{name[:20]}…」过长,可能不是单位名称,请核对。"
                    )
        return roles

    def measures(self, draft: TaskDraft) -> list[ParsedMeasure]:
        if not draft.count("measures"):
            return []
        if len(draft.rows) == 1:  # the usual task of one row: no units or deadlines per measure row
            row = (
                draft.first_row if draft.plain is not None else next(iter(draft.values["measures"])) // STRIDE
            ) + 1
            return [
                ParsedMeasure(number, item, row, list(d.lead_units), list(d.cooperating_units), d.deadline)
                for number, (item, d) in enumerate(read_measures(draft.text("measures"), self.units), 1)
            ]
        return self._measures_by_row(draft)

    def _measures_by_row(self, draft: TaskDraft) -> list[ParsedMeasure]:
        """A task over several rows: a measure without units or deadline of its own takes its row's,
        when the task's units or deadlines differ by row."""
        per_row_units = {
            name: role
            for name, role in self._unit_cols
            if name != "supervising_units" and len(draft.values.get(name, {})) > 1
        }
        per_row_deadline = len(draft.values.get("deadline", {})) > 1
        measures: list[ParsedMeasure] = []
        for anchor, value in draft.values["measures"].items():
            row = anchor // STRIDE  # the measure cell's own row (the top row of a merged one)
            for item, details in read_measures(cell_text(value), self.units):
                lead, cooperating, deadline = details.lead_units, details.cooperating_units, details.deadline
                if per_row_units and not (lead or cooperating):
                    lead, cooperating = self._row_units(draft, row, per_row_units)
                if per_row_deadline and deadline.is_empty:
                    cell_anchor = draft.row_anchor.get("deadline", {}).get(row)
                    if cell_anchor is not None:
                        deadline = self.state.parse_deadline(draft.values["deadline"][cell_anchor])
                measures.append(
                    ParsedMeasure(len(measures) + 1, item, row + 1, list(lead), list(cooperating), deadline)
                )
        return measures

    def _row_units(
        self, draft: TaskDraft, row: int, per_row_units: dict[str, str]
    ) -> tuple[list[str], list[str]]:
        """(lead, cooperating) units of the unit cells on ``row``: 责任单位 lead the row's measures."""
        roles = UnitRoles()
        for name, role in per_row_units.items():
            cell_anchor = draft.row_anchor.get(name, {}).get(row)
            if cell_anchor is not None:
                roles.merge(self.units.roles(cell_text(draft.values[name][cell_anchor]), role))
        return list({**roles.lead, **roles.responsible}), list(roles.cooperating)
