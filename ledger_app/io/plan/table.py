"""Shape 3 of a plan: a Word table with a header row (序号 / 反馈问题 / 责任单位 / 整改时限 / 整改目标 /
整改措施 …), read by the Excel importer's header words (io/excel_in/header.py).

A row continues the task above when its 序号 or 反馈问题 cell is merged with the row above (python-docx
hands the same cell to both rows) or when both are blank; merged cells are read once. A row that is one
cell across the table ("一、水污染问题") is a section row. Columns the header does not name go to the
task's 备注 as "列名:值", as in the Excel importer; nothing is dropped.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from ledger_app.domain.deadlines import parse_deadline
from ledger_app.io.excel_in.header import match_header
from ledger_app.io.excel_in.measures import split_measures
from ledger_app.io.import_plan import ParsedTask

from .drafts import MeasureDraft, add_roles
from .reading import issue
from .source import SourceLine

if TYPE_CHECKING:
    from .parse import PlanParser

_UNIT_ROLE = {"lead_units": "lead", "responsible_units": "responsible", "units": "responsible",
              "cooperating_units": "cooperating", "supervising_units": "supervising"}  # fmt: skip
_HEADER_ROWS = 6  # a title row or two may sit inside the table above its header
_NUMBERS_ROW = re.compile(r"\d{1,2}")


def _header(row: SourceLine) -> dict[int, str] | None:
    """Column → field for a header row, or None when ``row`` names too few fields to be one."""
    found: dict[int, str] = {}
    for col, cell in enumerate(row.cells or ()):
        key, _sureness = match_header(cell)
        if key is not None and key not in found.values():
            found[col] = key
    if len(found) >= 2 and ("description" in found.values() or "measures" in found.values()):
        return found
    return None


def _same_cell(a: SourceLine, b: SourceLine, col: int) -> bool:
    return bool(
        a.cell_ids
        and b.cell_ids
        and col < min(len(a.cell_ids), len(b.cell_ids))
        and a.cell_ids[col] == b.cell_ids[col]
    )


class TableMixin:
    """The table reader of PlanParser (it shares the parser's tasks, issues and unit reader)."""

    def _table(self: PlanParser, rows: list[SourceLine]) -> None:  # type: ignore[misc]
        header_at, columns = None, {}
        for index, row in enumerate(rows[:_HEADER_ROWS]):
            found = _header(row)
            if found is not None:
                header_at, columns = index, found
                break
        if header_at is None:
            for row in rows:
                if row.text.strip(" |"):
                    self._unclaimed_line(
                        row, "表格没有可识别的表头(序号、反馈问题、责任单位、整改措施等),未导入。"
                    )
            return
        for row in rows[:header_at]:  # title rows inside the table
            if self.first_task_line is None:
                self._unclaimed.append(row)
            else:
                self._unclaimed_line(row, f"表格表头上方的「{row.text[:30]}」未导入。")
        header = rows[header_at]
        names = header.cells or ()
        previous: SourceLine | None = None
        task: ParsedTask | None = None
        for row in rows[header_at + 1 :]:
            cells = row.cells or ()
            if cells == names:
                continue  # the header repeated on each page
            if row.cell_ids and len(set(row.cell_ids)) == 1 and len(cells) > 1:
                self.section = cells[0].strip()  # one cell across the table: "一、水污染问题"
                previous, task = None, None
                continue
            values = {key: cells[col].strip() for col, key in columns.items() if col < len(cells)}
            if not any(cell.strip() for cell in cells):
                continue
            if (
                len(cells) > 2
                and all(_NUMBERS_ROW.fullmatch(c.strip()) for c in cells if c.strip())
                and cells[0].strip() == "1"
            ):
                continue  # the column-number row under a header ("1 2 3 4 …")
            seq_col = next((c for c, k in columns.items() if k == "seq"), None)
            desc_col = next((c for c, k in columns.items() if k == "description"), None)
            continues = (
                task is not None
                and previous is not None
                and (
                    any(c is not None and _same_cell(previous, row, c) for c in (seq_col, desc_col))
                    or (not values.get("seq") and not values.get("description"))
                )
            )
            if continues and task is not None and previous is not None:
                task.rows.append(row.no)
                self._table_fields(task, row, header, columns, previous)
            else:
                if self.first_task_line is None:
                    self.first_task_line = row.no
                seq = re.sub(r"\s+", "", values.get("seq", "")).rstrip(".．、")
                task = ParsedTask(
                    rows=[row.no],
                    kind=self.kind,
                    seq=seq,
                    description="",
                    seq_auto=not seq,
                    section=self.section,
                )
                self.tasks.append(task)
                self.shapes[id(task)] = "table"
                self._table_fields(task, row, header, columns, None)
            previous = row

    def _table_fields(  # type: ignore[misc]
        self: PlanParser,
        task: ParsedTask,
        row: SourceLine,
        header: SourceLine,
        columns: dict[int, str],
        previous: SourceLine | None,
    ) -> None:
        cells = row.cells or ()
        names = header.cells or ()
        seen: set[int] = set()
        for col, cell in enumerate(cells):
            value = cell.strip()
            if not value or (previous is not None and _same_cell(previous, row, col)):
                continue  # empty, or a merged cell already read with the row above
            if row.cell_ids and row.cell_ids[col] in seen:
                continue  # a cell merged across columns: python-docx repeats it
            if row.cell_ids:
                seen.add(row.cell_ids[col])
            key: Any = columns.get(col)
            if key == "seq":
                continue
            if key == "description":
                task.description = _join_cell(task.description, value)
            elif key == "measures":
                for text in split_measures(value):
                    self._add_measure(task, MeasureDraft(row.no, text))
            elif key in _UNIT_ROLE:
                roles = self._roles(value, _UNIT_ROLE[key])
                add_roles(task, roles)
                self._check_units(row, roles)
            elif key == "deadline" and not task.deadline.text:
                task.deadline = parse_deadline(value)
                if not task.deadline.understood:
                    self.issues.append(issue(row.no, f"整改时限「{value[:40]}」未能识别为日期,按原文保存。"))
            elif key == "goal":
                task.goal = _join_cell(task.goal, value)
            elif key in ("leader", "contact", "contact_phone") and not getattr(task, key):
                setattr(task, key, value)
            else:
                # A column the reader has no field for (备注, 整改进展 …), or a second value: kept in 备注.
                name = names[col].strip() if col < len(names) and names[col].strip() else f"第{col + 1}列"
                self._note(task, f"{name}:{value}")


def _join_cell(text: str, more: str) -> str:
    return f"{text}\n{more}" if text else more
