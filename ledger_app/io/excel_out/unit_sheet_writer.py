"""Writing a unit's monthly sheet (unit_sheet.py describes it) with openpyxl."""

from __future__ import annotations

import os
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, NamedStyle, PatternFill, Protection
from openpyxl.styles.cell_style import StyleArray
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.protection import SheetProtection

from ledger_app.domain.errors import LedgerError
from ledger_app.io.excel_out.save import save_workbook
from ledger_app.io.excel_out.sheet import SheetWriter
from ledger_app.io.excel_out.styles import CellStyle, register_styles, set_print_layout
from ledger_app.io.excel_out.text import clean_cell_text, keep_carriage_returns
from ledger_app.io.excel_out.unit_sheet import (
    ANSWER_MIN_HEIGHT,
    COLUMNS,
    FIXED_FILL,
    IDENTITY_COLUMN,
    IDENTITY_SHEET,
    INSTRUCTION,
    SHEET_NAME,
    STATUS_CHOICES,
    UnitSheet,
)
from ledger_app.store.fileops import replace_file


def _extra_styles(wb: Workbook, styles: dict[str, CellStyle]) -> dict[str, CellStyle]:
    """The fixed (shaded, locked) and answer (unlocked) cell styles, next to the report's own."""
    base = {s.name: s for s in wb._named_styles}  # openpyxl has no public map of named styles
    body = base["台账正文"]
    centred = base["台账正文居中"]
    fill = PatternFill(fill_type="solid", start_color=FIXED_FILL, end_color=FIXED_FILL)
    made = [
        NamedStyle("月报表固定", font=body.font, alignment=body.alignment, border=body.border, fill=fill),
        NamedStyle(
            "月报表固定居中", font=centred.font, alignment=centred.alignment, border=body.border, fill=fill
        ),
        NamedStyle("月报表填写", font=body.font, alignment=body.alignment, border=body.border),
        NamedStyle("月报表填写居中", font=centred.font, alignment=centred.alignment, border=body.border),
        NamedStyle(
            "月报表说明",
            font=base["台账填报信息"].font,
            alignment=Alignment(horizontal="left", vertical="center", wrap_text=True),
        ),
    ]
    for style in made:
        style.protection = Protection(locked=style.name in ("月报表固定", "月报表固定居中"))
        wb.add_named_style(style)
        plain = StyleArray(style.as_tuple())
        quoted = StyleArray(plain)
        quoted.quotePrefix = 1
        styles[style.name] = CellStyle(plain, quoted)
    return styles


def write_unit_sheet(sheet: UnitSheet, out: Path) -> list[str]:
    """Write one unit's sheet to ``out`` (.xlsx), replacing it whole; returns warnings about text."""
    out = Path(out)
    tmp = out.with_name(f".{out.stem}.{os.getpid()}.tmp.xlsx")
    warnings: list[str] = []
    wb = Workbook()
    wb.remove(wb.active)
    wb.properties.creator = "整改台账"
    wb.properties.title = clean_cell_text(sheet.title).text
    wb.properties.subject = f"{sheet.ledger_id}|{sheet.year:04d}-{sheet.month:02d}"
    styles = _extra_styles(wb, register_styles(wb))
    ws = wb.create_sheet(SHEET_NAME)
    writer = SheetWriter(ws, [c[1] for c in COLUMNS], [c[0] for c in COLUMNS], warnings)
    writer.set_widths()
    set_print_layout(ws, title_rows="3:3")
    ws.freeze_panes = "A4"
    ncols = len(COLUMNS)

    title_style = styles["台账标题"]
    visible_width = sum(c[1] for c in COLUMNS[:-1])
    height = writer.fitted_height([sheet.title], [0], size=20.0, width=visible_width) + 8
    writer.append(
        [writer.text(sheet.title, title_style, 0, "标题"), *writer.blanks(title_style, 1, ncols - 1)],
        max(40.0, height),
    )
    writer.merge(1, ncols - 1)
    info = styles["月报表说明"]
    height = max(30.0, writer.fitted_height([INSTRUCTION], [0], size=11.0, width=visible_width))
    writer.append([writer.text(INSTRUCTION, info, 0, "填报说明"), *writer.blanks(info, 1, ncols - 1)], height)
    writer.merge(1, ncols - 1)
    writer.header_row(styles["台账表头"], min_height=30)

    fixed = (styles["月报表固定"], styles["月报表固定居中"])
    answer = (styles["月报表填写"], styles["月报表填写居中"])
    group = styles["台账分组"]
    first_data = 0
    for grp in sheet.groups:
        writer.append([writer.text(grp.heading, group, 0), *writer.blanks(group, 1, ncols)], 24)
        writer.merge(1, ncols - 1)
        for row in grp.rows:
            texts = [row.seq, row.description, row.measures, row.deadline, row.goal]
            height = max(ANSWER_MIN_HEIGHT, writer.fitted_height(texts, range(5)))
            cells = [writer.text(text, fixed[1 if COLUMNS[i][2] else 0], i) for i, text in enumerate(texts)]
            cells += [
                writer.value(None, answer[1 if COLUMNS[i][2] else 0], i) for i in range(5, IDENTITY_COLUMN)
            ]
            cells.append(writer.text(row.identity, fixed[0], IDENTITY_COLUMN))
            writer.append(cells, height)
            first_data = first_data or writer.row
    last_data = writer.row
    writer.report_tall_rows()

    if first_data:
        choices = ",".join(STATUS_CHOICES)
        validation = DataValidation(
            type="list",
            formula1=f'"{choices}"',
            allow_blank=True,
            showErrorMessage=False,  # a word of their own is read and reported, not refused
            promptTitle="完成情况",
            prompt="请从下拉列表中选择",
            showInputMessage=True,
        )
        letter = "G"
        validation.add(f"{letter}{first_data}:{letter}{last_data}")
        ws.add_data_validation(validation)
    ws.column_dimensions["M"].hidden = True
    ws.protection = SheetProtection(
        sheet=True, formatRows=False, formatColumns=False, formatCells=False, autoFilter=False
    )

    ident = wb.create_sheet(IDENTITY_SHEET)
    for key, value in (
        ("台账标识", sheet.ledger_id),
        ("月份", f"{sheet.year:04d}-{sheet.month:02d}"),
        ("单位", sheet.unit),
        ("任务数", str(sheet.task_count)),
        ("发送时间", sheet.sent_at.isoformat(timespec="seconds")),
        ("发送单位", sheet.office),
    ):
        ident.append([key, clean_cell_text(value).text])
    ident.sheet_state = "hidden"
    ident.protection = SheetProtection(sheet=True)

    try:
        save_workbook(wb, tmp)
        if writer.has_cr:
            keep_carriage_returns(tmp)
        replace_file(tmp, out)
    except OSError as exc:
        raise LedgerError(
            f"无法写入 {out}:{exc.strerror or exc}(文件可能正在 Excel 或 WPS 中打开,或文件夹不可写)",
            f"cannot write {out}: {exc}",
        ) from exc
    finally:
        tmp.unlink(missing_ok=True)
    return warnings
