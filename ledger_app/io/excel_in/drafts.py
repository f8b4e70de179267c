"""Classified rows (row_kinds) gathered into task drafts: each task's cells, by the cell they come from.

A task's rows are read into one draft; tasks.py turns the drafts into ParsedTasks once the sheet is
read (numbering, duplicates and a task's deadline depend on rows further down). The lines under the
table (填报人, 填报时间:…) are kept for the sheet's report date.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ledger_app.io.excel_in.cells import MAX_CELL_CHARS, cell_text, col_letter
from ledger_app.io.excel_in.reader import STRIDE
from ledger_app.io.excel_in.row_kinds import Part, RowKind, SheetRow
from ledger_app.io.excel_in.sheet_issues import SheetIssues


@dataclass(slots=True)
class TaskDraft:
    """A task while its rows are read: the cells of each field, by the cell they come from.

    Most tasks are one row with nothing merged. Such a draft only keeps that row (``plain``) and
    reads its fields from it; it becomes a spread draft (``values``, ``row_anchor``) when a row below
    turns out to continue it.
    """

    first_row: int
    part: Part
    seq: str  # its first row's own 序号; renumbered when a section numbers from 1 again
    description: str  # the first row's own 问题描述
    rows: list[int] = field(default_factory=list)
    # field → anchor key → raw value, in the order met; field → row → anchor key
    values: dict[str, dict[int, object]] = field(default_factory=dict)
    row_anchor: dict[str, dict[int, int]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    too_long: list[str] = field(default_factory=list)  # cell names
    plain: list[Any] | None = None  # the task's one row, nothing merged: values and row_anchor unused
    cols: dict[str, int] = field(default_factory=dict)  # field → column, for ``plain``
    _texts: dict[str, str] = field(default_factory=dict)

    def spread(self) -> None:
        """Turn a one-row draft into a spread one, before a second row joins it."""
        row = self.plain
        if row is None:
            return
        base, width = self.first_row * STRIDE, len(row)
        self.values = {
            name: {base + col: row[col]} for name, col in self.cols.items() if col < width and row[col] != ""
        }
        self.row_anchor = {name: {self.first_row: base + self.cols[name]} for name in self.values}
        self.plain = None
        self._texts.clear()

    def add_cells(self, row: int, cells: dict[str, tuple[object, int]]) -> None:
        """A row's field values; a cell merged over several rows counts once, at its anchor."""
        self.spread()
        self.rows.append(row)
        values, row_anchor = self.values, self.row_anchor
        for name, (value, anchor) in cells.items():
            if value != "":
                found = values.get(name)
                if found is None:
                    values[name] = {anchor: value}
                    row_anchor[name] = {row: anchor}
                else:
                    found.setdefault(anchor, value)
                    row_anchor[name][row] = anchor

    def add_own_cells(self, line: SheetRow, note_cols: list[tuple[int, str]]) -> None:
        """What a row's own cells add beyond the mapped fields: texts cut at Excel's limit (the reader
        cuts longer ones: reaching it means text was lost) and unmapped columns for 备注."""
        for col, value in line.own:
            if type(value) is str and len(value) >= MAX_CELL_CHARS:
                self.too_long.append(f"{col_letter(col)}{line.index + 1}({len(value)}字)")
        for col, header in note_cols:
            if col in line.own_cols:
                text = cell_text(line.values[col])
                if text:
                    self.notes.append(f"{header}:{text}" if header else text)

    def cell_values(self, name: str) -> list[object]:
        """The field's raw values, one for each cell that has one, in the order met."""
        row = self.plain
        if row is None:
            found = self.values.get(name)
            return list(found.values()) if found else []
        col = self.cols.get(name)
        return [row[col]] if col is not None and col < len(row) and row[col] != "" else []

    def count(self, name: str) -> int:
        """How many cells hold a value for the field."""
        row = self.plain
        if row is None:
            return len(self.values.get(name, ()))
        col = self.cols.get(name)
        return 1 if col is not None and col < len(row) and row[col] != "" else 0

    def text(self, name: str) -> str:
        """The field's distinct texts joined by newlines (called once all rows are in)."""
        row = self.plain
        if row is not None:  # one cell: cheaper to read again than to remember
            col = self.cols.get(name)
            return cell_text(row[col]) if col is not None and col < len(row) else ""
        found = self._texts.get(name)
        if found is None:
            values = self.values.get(name)
            if not values:
                found = ""
            elif len(values) == 1:
                found = cell_text(next(iter(values.values())))
            else:
                found = "\n".join(dict.fromkeys(t for t in map(cell_text, values.values()) if t))
            self._texts[name] = found
        return found


@dataclass(slots=True)
class DraftGatherer:
    """Feeds on classified rows in sheet order."""

    cols: dict[str, int]  # field → column
    note_cols: list[tuple[int, str]]  # unmapped columns whose text goes to 备注: (column, header)
    issues: SheetIssues
    drafts: dict[int, TaskDraft] = field(default_factory=dict)  # first row → draft, in sheet order
    footer_lines: list[str] = field(default_factory=list)

    def add(self, line: SheetRow) -> None:
        kind = line.kind
        if kind is RowKind.TASK or kind is RowKind.CONTINUATION:
            self._add_task_row(line)
        elif kind is RowKind.FOOTER:
            self.footer_lines.append(line.text)
        elif kind is RowKind.TOTAL:
            self.issues.add(line.index, None, f"合计行「{cell_text(line.own[0][1])[:20]}」不是任务,已跳过。")
        elif kind is RowKind.STRAY:
            self.issues.add(
                line.index,
                None,
                "该行有内容,但找不到所属的任务(没有序号和问题描述,上方也没有任务)。",
                "refused",
            )

    def _add_task_row(self, line: SheetRow) -> None:
        if line.kind is RowKind.CONTINUATION:
            draft = self.drafts[line.task_row]
        else:
            draft = TaskDraft(line.index, line.part, line.seq, line.description)
            self.drafts[line.index] = draft
        if line.cells is None:  # the usual task of one row, nothing merged: read by column when needed
            draft.rows.append(line.index)
            draft.plain, draft.cols = line.values, self.cols
        else:
            draft.add_cells(line.index, line.cells)
        draft.add_own_cells(line, self.note_cols)
