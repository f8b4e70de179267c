"""Sheet 统计 of the monthly report: the summary sentence and the figures behind it.

Every figure is domain.stats' own (the ReportSummary's LedgerStats), so the sheet says what
`ledger-cli stats` says for the same day. Petitions (交办信访件) get their own line, as offices report them.
"""

from __future__ import annotations

from openpyxl.worksheet.worksheet import Worksheet

from ledger_app.domain.model import ScheduleFlag, TaskStatus
from ledger_app.domain.stats import Tally
from ledger_app.io.excel_out.sheet import SheetWriter
from ledger_app.io.excel_out.styles import CellStyle, set_print_layout
from ledger_app.io.report_content import MonthlyReport

STATS_SHEET = "统计"
STATS_COLUMNS: tuple[tuple[str, float], ...] = (
    ("类别", 30),
    ("任务数", 9),
    ("已完成", 9),
    ("其中已销号", 12.5),
    ("未完成", 9),
    ("序时推进", 10),
    ("临期", 8),
    ("滞后", 8),
    ("长期坚持", 10),
    ("时限不明", 10),
    ("整改率", 10),
    ("销号率", 10),
)
UNIT_NOTE = "注:一项任务有多个牵头单位时,分别计入各单位;未填牵头单位的,计入其责任单位。"


def write_stats_sheet(
    ws: Worksheet, report: MonthlyReport, styles: dict[str, CellStyle], warnings: list[str]
) -> SheetWriter:
    sheet = SheetWriter(ws, [c[1] for c in STATS_COLUMNS], [c[0] for c in STATS_COLUMNS], warnings)
    sheet.set_widths()
    set_print_layout(ws, title_rows=None)
    ncols = len(STATS_COLUMNS)
    full_width = sum(sheet.widths)

    summary = report.summary
    stats = summary.stats
    as_of = summary.as_of
    title = report.title.removesuffix("台账") + "统计表"
    left = f"填报单位:{report.reporting_unit}    统计截至:{as_of.year}年{as_of.month}月{as_of.day}日"
    sheet.title_rows(styles, title, left, report.report_date)

    note = styles["统计说明"]
    height = sheet.fitted_height([summary.sentence], [0], size=11, width=full_width) + 6
    sheet.append([sheet.text(summary.sentence, note, 0), *sheet.blanks(note, 1, ncols)], height)
    sheet.merge(1, ncols)

    totals = [("合计", stats.total)] + [(s.label, t) for s, t in stats.by_section.items()]
    _tally_block(sheet, styles, "一、总体情况(交办信访件单列)", totals)
    rounds = [(name or "(未填督察批次)", t) for name, t in stats.by_round.items()]
    _tally_block(sheet, styles, "二、按督察批次", rounds)
    _tally_block(sheet, styles, "三、按责任单位(牵头单位)", list(stats.by_unit.items()))
    sheet.append([sheet.text(UNIT_NOTE, note, 0), *sheet.blanks(note, 1, ncols)], 20)
    sheet.merge(1, ncols)

    statuses = [(s.label, stats.by_status.get(s, 0)) for s in TaskStatus]
    _count_block(sheet, styles, "四、按状态", "状态", statuses)
    flags = [(f.label, stats.by_schedule.get(f, 0)) for f in ScheduleFlag]
    _count_block(sheet, styles, "五、未完成任务按进度", "进度", flags)
    return sheet


def _block_heading(sheet: SheetWriter, styles: dict[str, CellStyle], heading: str) -> None:
    sheet.append([sheet.text(heading, styles["统计小标题"], 0)], 26)
    sheet.merge(1, len(sheet.widths))


def _tally_block(
    sheet: SheetWriter, styles: dict[str, CellStyle], heading: str, rows: list[tuple[str, Tally]]
) -> None:
    _block_heading(sheet, styles, heading)
    sheet.header_row(styles["台账表头"])
    label, number, rate = styles["台账正文"], styles["台账正文居中"], styles["统计比率"]
    for name, t in rows:
        figures = (
            t.total,
            t.completed,
            t.closed,
            t.open,
            t.on_schedule,
            t.due_soon,
            t.lagging,
            t.long_term,
            t.unknown_deadline,
        )
        cells = [sheet.text(name, label, 0)] + [sheet.value(v, number, i) for i, v in enumerate(figures, 1)]
        after = len(figures) + 1  # the rates follow the counts
        cells += [
            sheet.value(t.rectification_rate, rate, after),
            sheet.value(t.close_out_rate, rate, after + 1),
        ]
        sheet.append(cells, max(20.0, sheet.fitted_height([name], [0])))


def _count_block(
    sheet: SheetWriter, styles: dict[str, CellStyle], heading: str, what: str, rows: list[tuple[str, int]]
) -> None:
    _block_heading(sheet, styles, heading)
    header = styles["台账表头"]
    sheet.append([sheet.text(what, header, 0), sheet.text("任务数", header, 1)], 24)
    for name, count in rows:
        sheet.append(
            [sheet.text(name, styles["台账正文"], 0), sheet.value(count, styles["台账正文居中"], 1)], 20
        )
