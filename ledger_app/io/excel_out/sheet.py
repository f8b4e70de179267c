"""Adding rows to a worksheet safely: text kept as text, rows as tall as their text, problems reported."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from openpyxl.cell.cell import Cell
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from ledger_app.io.excel_out.styles import BODY_SIZE, LINE_HEIGHT, TITLE_HEIGHT, TITLE_SIZE, CellStyle
from ledger_app.io.excel_out.text import (
    MAX_CELL_CHARS,
    MAX_ROW_HEIGHT,
    clean_cell_text,
    height_for_lines,
    needs_quote_prefix,
    text_width,
    wrapped_lines,
)

TALL_ROWS_LISTED = 20  # rows named in the warning about rows cut at the height limit
INFO_SIZE = 11.0  # the 填报单位 / 填报日期 line


@dataclass(slots=True)
class SheetWriter:
    """A worksheet, its column widths and names, and the warnings its rows have raised."""

    ws: Worksheet
    widths: Sequence[float]
    headers: Sequence[str]
    warnings: list[str]
    row: int = 0  # the last row written
    has_cr: bool = False  # some text holds a carriage return (see excel_out.text.keep_carriage_returns)
    tall_rows: list[int] = field(default_factory=list)  # rows whose text needs more than 409 pt

    def set_widths(self) -> None:
        for index, width in enumerate(self.widths, 1):
            self.ws.column_dimensions[get_column_letter(index)].width = width

    def text(self, value: str, style: CellStyle, column: int, label: str = "") -> Cell:
        """A string cell that stays a string; problems with the text go to the warnings.

        ``label`` names the cell in a warning when its column header does not (title rows).
        """
        cleaned = clean_cell_text(value)
        if cleaned.dropped or cleaned.cut_from:
            where = f"{self.ws.title} 第{self.row + 1}行 {label or self.headers[column]}"
            if cleaned.dropped:
                self.warnings.append(f"{where}:删除了 {cleaned.dropped} 个无法保存的控制字符")
            if cleaned.cut_from:
                self.warnings.append(
                    f"{where}:内容 {cleaned.cut_from} 字,超过 Excel 单元格上限 {MAX_CELL_CHARS} 字,"
                    f"只保存了前 {MAX_CELL_CHARS} 字(台账中的原文不受影响)"
                )
        text = cleaned.text
        if "\r" in text:
            self.has_cr = True
        cell = Cell(self.ws, self.row + 1, column + 1, text, style.for_text(needs_quote_prefix(text)))
        cell.data_type = "s"  # openpyxl makes "=…" a formula and "#N/A" an error; neither is wanted
        return cell

    def value(self, value: float | None, style: CellStyle, column: int) -> Cell:
        return Cell(self.ws, self.row + 1, column + 1, value, style.plain)

    def blanks(self, style: CellStyle, first: int, stop: int) -> list[Cell]:
        """Empty styled cells for columns ``first``..``stop - 1``: a merged range's border needs them."""
        return [self.value(None, style, c) for c in range(first, stop)]

    def append(self, cells: list[Cell], height: float | None = None) -> None:
        self.row += 1
        if height is not None:
            self.ws.row_dimensions[self.row].height = height
        self.ws.append(cells)

    def merge(self, first_col: int, last_col: int) -> None:
        """Merge columns ``first_col``..``last_col`` (1-based) of the last row written."""
        first, last = get_column_letter(first_col), get_column_letter(last_col)
        self.ws.merged_cells.add(f"{first}{self.row}:{last}{self.row}")

    def fitted_height(
        self, texts: Iterable[str], columns: Iterable[int], *, size: float = BODY_SIZE, width: float = 0
    ) -> float:
        """Height for the next row, whose ``texts`` go into ``columns`` (0-based) at font ``size``.

        ``width`` overrides the column width, for a text merged across several columns.
        """
        scale = size / BODY_SIZE
        lines = max(
            (
                wrapped_lines(t, (width or self.widths[c]) / scale)
                for t, c in zip(texts, columns, strict=True)
            ),
            default=1,
        )
        height = height_for_lines(lines, LINE_HEIGHT * scale)
        if height >= MAX_ROW_HEIGHT:
            self.tall_rows.append(self.row + 1)
        return height

    def report_tall_rows(self) -> None:
        """One warning for all rows whose printout is cut at Excel's row height limit."""
        if not self.tall_rows:
            return
        listed = "、".join(str(r) for r in self.tall_rows[:TALL_ROWS_LISTED])
        more = f"等 {len(self.tall_rows)} 行" if len(self.tall_rows) > TALL_ROWS_LISTED else "行"
        self.warnings.append(
            f"{self.ws.title}:第{listed}{more}文字过多,行高已达 Excel 上限 {MAX_ROW_HEIGHT:g} 磅,"
            "打印时显示不全(单元格中的内容完整)"
        )

    def title_rows(self, styles: dict[str, CellStyle], title: str, left: str, report_date: date) -> None:
        """Row 1 the title across the sheet; row 2 ``left`` (unit, period) and the 填报日期 at the right."""
        ncols = len(self.widths)
        title_style = styles["台账标题"]
        height = self.fitted_height([title], [0], size=TITLE_SIZE, width=sum(self.widths)) + 8
        cells = [self.text(title, title_style, 0, "标题"), *self.blanks(title_style, 1, ncols)]
        self.append(cells, max(TITLE_HEIGHT, height))
        self.merge(1, ncols)

        right = f"填报日期:{report_date.year}年{report_date.month}月{report_date.day}日"
        # The date takes as few columns from the right as it needs; the unit name gets the rest.
        needed = text_width(right) * INFO_SIZE / BODY_SIZE + 2
        split = ncols - 1
        while split > 1 and sum(self.widths[split:]) < needed:
            split -= 1
        left_width = sum(self.widths[:split])
        info, date_style = styles["台账填报信息"], styles["台账填报日期"]
        height = max(22.0, self.fitted_height([left], [0], size=INFO_SIZE, width=left_width))
        cells = [self.text(left, info, 0, "填报单位"), *self.blanks(info, 1, split)]
        cells.append(self.text(right, date_style, split, "填报日期"))
        cells += self.blanks(date_style, split + 1, ncols)
        self.append(cells, height)
        self.merge(1, split)
        self.merge(split + 1, ncols)

    def header_row(self, style: CellStyle, *, size: float = 11.0, min_height: float = 24.0) -> None:
        """The column names, as tall as the longest needs."""
        height = max(min_height, self.fitted_height(self.headers, range(len(self.headers)), size=size))
        self.append([self.text(name, style, i) for i, name in enumerate(self.headers)], height)
