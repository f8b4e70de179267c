"""The monthly report (月报) as an Excel workbook: sheet 台账, one row per task, and sheet 统计.

The content comes ready-made (report_content.MonthlyReport); this module only lays it out, print-ready:
A4 landscape, one page wide, the header row on every page, page numbers, row heights from the text.

Text always stays text: every string cell is written as a string, never a formula, and one that
starts like a formula (= + - @ tab CR) also gets Excel's quote prefix, so that editing the cell in
Excel, WPS or LibreOffice does not turn it into one either.

openpyxl's normal mode, cells appended with their style arrays ready: measured at 10,000 tasks it is
~25% faster than write-only mode, whose append() rebuilds and re-binds every styled cell it is given.
The price is that the XML is serialised inside ``wb.save()``, ~60% of the time, where no progress can
be reported and cancelling takes effect only when it returns.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from ledger_app.domain.errors import CancelledError, LedgerError
from ledger_app.domain.progress import CancelFn, ProgressFn
from ledger_app.io.excel_out.images import add_images_below
from ledger_app.io.excel_out.save import save_workbook
from ledger_app.io.excel_out.sheet import SheetWriter
from ledger_app.io.excel_out.stats_sheet import STATS_SHEET, write_stats_sheet
from ledger_app.io.excel_out.styles import CellStyle, register_styles, set_print_layout
from ledger_app.io.excel_out.text import clean_cell_text, keep_carriage_returns
from ledger_app.io.report_content import MonthlyReport, ReportRow
from ledger_app.store.fileops import replace_file

LEDGER_SHEET = "台账"
CHECK_EVERY = 100  # rows between progress reports and cancel checks
SAVE_SHARE = 1.5  # saving takes about 1.5× as long as building the rows: weights the progress bar

# (header, column width in Excel units, centred?, ReportRow field)
LEDGER_COLUMNS: tuple[tuple[str, float, bool, str], ...] = (
    ("序号", 6, True, "seq"),
    ("问题描述", 34, False, "description"),
    ("责任单位", 16, False, "units_text"),
    ("责任领导", 9, True, "leader"),
    ("整改时限", 15, True, "deadline_text"),
    ("整改目标", 21, False, "goal"),
    ("整改措施", 40, False, "measures_text"),
    ("本月进展", 32, False, "progress_text"),
    ("完成情况", 14, True, "completion"),  # "已完成(已验收)" on one line
    ("备注", 11, False, "note"),
)


def write_monthly_report(
    report: MonthlyReport,
    out: Path,
    *,
    progress: ProgressFn | None = None,
    cancelled: CancelFn | None = None,
    charts: Sequence[Path] = (),
) -> list[str]:
    """Write ``report`` to ``out`` (.xlsx); returns warnings about text that could not be kept as is.
    ``charts``: PNG files placed under the figures of the 统计 sheet.

    The workbook is written beside ``out`` under a temporary name and renamed at the end, so ``out``
    is either the old file or the complete new one. ``progress(done, total, text)`` is called every
    few rows; when ``cancelled()`` turns true the work stops, no file is left behind, and
    CancelledError is raised.
    """
    out = Path(out)
    tmp = out.with_name(f".{out.stem}.{os.getpid()}.tmp.xlsx")
    rows = report.row_count
    steps = rows + int(rows * SAVE_SHARE) + 1
    report_progress = progress or (lambda done, total, text: None)
    is_cancelled = cancelled or (lambda: False)
    warnings: list[str] = []

    wb = Workbook()
    wb.remove(wb.active)
    wb.properties.creator = "整改台账"
    wb.properties.title = clean_cell_text(report.title).text  # document properties are XML too
    styles = register_styles(wb)
    ledger = _write_ledger(
        wb.create_sheet(LEDGER_SHEET), report, styles, warnings, report_progress, is_cancelled, steps
    )
    stats = write_stats_sheet(wb.create_sheet(STATS_SHEET), report, styles, warnings)
    if charts:
        add_images_below(stats.ws, stats.row + 2, charts)
    ledger.report_tall_rows()
    if is_cancelled():
        raise CancelledError()
    report_progress(rows, steps, "正在保存文件…")
    try:
        save_workbook(wb, tmp)
        if ledger.has_cr or stats.has_cr:
            keep_carriage_returns(tmp)
        if is_cancelled():
            raise CancelledError()
        replace_file(tmp, out)
    except PermissionError as exc:
        raise LedgerError(
            f"无法写入 {out}:文件可能正在 Excel 或 WPS 中打开(请关闭后重试),或没有写入该文件夹的权限。",
            f"cannot write {out}: it may be open in Excel or WPS, or the folder is read-only ({exc.strerror})",
        ) from exc
    except OSError as exc:
        raise LedgerError(
            f"无法保存月报到 {out}:{exc.strerror or exc}", f"cannot write {out}: {exc}"
        ) from exc
    finally:
        tmp.unlink(missing_ok=True)
    report_progress(steps, steps, "已完成")
    return warnings


def _write_ledger(
    ws: Worksheet,
    report: MonthlyReport,
    styles: dict[str, CellStyle],
    warnings: list[str],
    progress: ProgressFn,
    cancelled: CancelFn,
    steps: int,
) -> SheetWriter:
    sheet = SheetWriter(ws, [c[1] for c in LEDGER_COLUMNS], [c[0] for c in LEDGER_COLUMNS], warnings)
    sheet.set_widths()
    set_print_layout(ws, title_rows="3:3")
    ws.freeze_panes = "A4"
    ncols = len(LEDGER_COLUMNS)

    year, month = report.month
    left = f"填报单位:{report.reporting_unit}    报告期:{year}年{month}月"
    sheet.title_rows(styles, report.title, left, report.report_date)
    sheet.header_row(styles["台账表头"], min_height=30)

    plain = (styles["台账正文"], styles["台账正文居中"])
    lagging = (styles["台账滞后"], styles["台账滞后居中"])
    group = styles["台账分组"]
    centred = [c[2] for c in LEDGER_COLUMNS]
    columns = range(ncols)
    done = 0
    progress(0, steps, "正在写入台账…")
    for section in report.sections:
        sheet.append([sheet.text(section.heading, group, 0), *sheet.blanks(group, 1, ncols)], 24)
        sheet.merge(1, ncols)
        for row in section.rows:
            texts = ledger_row_texts(row)
            palette = lagging if row.lagging else plain
            height = sheet.fitted_height(texts, columns)
            cells = [
                sheet.text(t, palette[c], i) for i, (t, c) in enumerate(zip(texts, centred, strict=True))
            ]
            sheet.append(cells, height)
            done += 1
            if done % CHECK_EVERY == 0:
                if cancelled():
                    raise CancelledError()
                progress(done, steps, "正在写入台账…")
    return sheet


def ledger_row_texts(row: ReportRow) -> list[str]:
    """The 台账 cells of one task, in column order."""
    return [
        row.seq,
        row.description,
        row.units_text,
        row.leader,
        row.deadline_text,
        row.goal,
        row.measures_text,
        row.progress_text,
        row.completion,
        row.note,
    ]
