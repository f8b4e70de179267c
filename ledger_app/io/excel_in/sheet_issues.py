"""The issues met while reading one sheet's rows, placed as the clerk reads the sheet."""

from __future__ import annotations

from dataclasses import dataclass

from ledger_app.io.excel_in.cells import col_letter
from ledger_app.io.import_plan import ImportIssue, Severity


@dataclass(slots=True)
class SheetIssues:
    sheet: str
    items: list[ImportIssue]  # the plan's list, shared: issues of all steps stay in the order met

    def add(self, row: int | None, col: int | None, reason: str, severity: Severity = "warning") -> None:
        """``row`` and ``col`` are 0-based; the clerk reads row 5, column E."""
        self.items.append(
            ImportIssue(
                self.sheet,
                None if row is None else row + 1,
                None if col is None else col_letter(col),
                reason,
                severity,
            )
        )
