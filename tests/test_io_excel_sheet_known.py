"""Row heights and the title rows of a sheet (excel_out.sheet) with known answers: a row as tall as its
text needs when printed, the title on one or two lines at 20 pt, the 填报日期 at the right taking as few
columns as it needs, and warnings that name the cell a character was dropped from.

The numbers are worked out by hand from the sheet's constants: body text 10.5 pt at 14.5 pt a line plus
4 pt of padding; a column of width w holds (w - 1) × 0.95 units a line, a Chinese character taking 2,
a digit or ASCII colon 1; the 20 pt title and the 11 pt 填报 line scale the units by 20/10.5 and 11/10.5."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import openpyxl
import pytest
from openpyxl import Workbook

from ledger_app.domain.deadlines import Deadline
from ledger_app.domain.model import ProblemKind, TaskStatus
from ledger_app.domain.records import TaskRecord
from ledger_app.io.excel_out.export import write_monthly_report
from ledger_app.io.excel_out.sheet import SheetWriter
from ledger_app.io.excel_out.styles import register_styles
from ledger_app.io.report_content import build_monthly_report

FIRST_TASK_ROW = 5  # title, 填报 line, header, section heading


def task(seq: str, description: str) -> TaskRecord:
    return TaskRecord(
        seq=seq,
        kind=ProblemKind.SPECIFIC,
        description=description,
        round_name="第二轮中央生态环境保护督察",
        lead_units=["县住建局"],
        deadline=Deadline("2027年6月底前", date(2027, 6, 30)),
        status=TaskStatus.IN_PROGRESS,
    )


def export(tmp_path: Path, tasks: list[TaskRecord], *, title: str, unit: str = "XX县整改办"):
    report = build_monthly_report(
        tasks,
        year=2026,
        month=9,
        title=title,
        reporting_unit=unit,
        report_date=date(2026, 10, 8),
        warning_days=15,
        place="我县",
    )
    out = tmp_path / "月报.xlsx"
    warnings = write_monthly_report(report, out)
    return openpyxl.load_workbook(out)["台账"], warnings


def test_task_rows_are_as_tall_as_their_description_prints(tmp_path: Path) -> None:
    # 问题描述 is 34 wide: 31.35 units, 15 Chinese characters a line; the other cells take one line.
    ws, warnings = export(
        tmp_path,
        [
            task("1", "城区黑臭水体整治不到位"),  # 11 characters: one line
            task("2", "城" * 16),  # two lines
            task("3", "城" * 40),  # 80 units: three lines
            task("4", "已排查。\n\n已整改。"),  # two paragraphs and the blank line between them
        ],
        title="XX县整改落实情况台账",
    )
    assert warnings == []
    assert [ws.cell(FIRST_TASK_ROW + i, 2).value for i in range(2)] == [
        "城区黑臭水体整治不到位",
        "城" * 16,
    ]
    heights = [ws.row_dimensions[FIRST_TASK_ROW + i].height for i in range(4)]
    assert heights == [18.5, 33.0, 47.5, 47.5]  # 14.5 × lines + 4


def test_a_one_line_title_row_is_40_points(tmp_path: Path) -> None:
    # 198 units across the sheet hold 97.8 units at 20 pt: 48 Chinese characters.
    ws, _ = export(tmp_path, [task("1", "问题")], title="城" * 48)
    assert ws.cell(1, 1).value == "城" * 48
    assert ws.row_dimensions[1].height == 40.0  # 27.62 + 4 + 8 = 39.62, raised to the 40 pt minimum


def test_a_two_line_title_row_holds_both_lines(tmp_path: Path) -> None:
    title = "XX市XX县第二轮中央生态环境保护督察及“回头看”反馈问题和交办信访件整改落实情况台账(2026年第三季度)"
    ws, _ = export(tmp_path, [task("1", "问题")], title=title)
    assert ws.cell(1, 1).value == title
    # Two lines of 20 pt: 2 × 14.5 × 20 / 10.5 = 55.24, plus 4 padding and 8 air above and below.
    assert ws.row_dimensions[1].height == pytest.approx(67.24, abs=0.01)
    assert "A1:J1" in {str(r) for r in ws.merged_cells.ranges}


def test_the_ledger_puts_the_report_date_over_its_last_three_columns(tmp_path: Path) -> None:
    # "填报日期:2026年10月8日" is 22 units, 23.05 at 11 pt, plus 2: 25.05. 备注 (11) + 完成情况 (14) is
    # 25, just short, so the date takes 本月进展 too.
    ws, _ = export(tmp_path, [task("1", "问题")], title="XX县整改落实情况台账")
    assert ws.cell(2, 1).value == "填报单位:XX县整改办    报告期:2026年9月"
    assert ws.cell(2, 8).value == "填报日期:2026年10月8日"
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert {"A2:G2", "H2:J2"} <= merged


def test_dropped_characters_are_named_by_the_title_row_they_were_in(tmp_path: Path) -> None:
    _, warnings = export(
        tmp_path, [task("1", "问题")], title="XX县整改\x07落实情况台账", unit="XX县\x0b整改办"
    )
    assert warnings == [  # both sheets carry the title rows
        "台账 第1行 标题:删除了 1 个无法保存的控制字符",
        "台账 第2行 填报单位:删除了 1 个无法保存的控制字符",
        "统计 第1行 标题:删除了 1 个无法保存的控制字符",
        "统计 第2行 填报单位:删除了 1 个无法保存的控制字符",
    ]


def writer(widths: tuple[float, ...]) -> tuple[SheetWriter, dict]:
    wb = Workbook()
    headers = [f"列{i}" for i in range(1, len(widths) + 1)]
    return SheetWriter(wb.active, widths, headers, []), register_styles(wb)


@pytest.mark.parametrize(
    ("widths", "day", "date_column", "merged"),
    [
        # 25.05 needed: 10 is short, 16 + 10 = 26 is enough: the date takes the last two columns.
        ((30, 30, 10, 16, 10), date(2026, 10, 8), 4, {"A2:C2", "D2:E2"}),
        # "填报日期:2026年1月8日" is 21 units, 22.0 at 11 pt, plus 2: exactly 24 = 12 + 12.
        ((40, 40, 12, 12), date(2026, 1, 8), 3, {"A2:B2", "C2:D2"}),
        # Nothing is wide enough: the unit keeps column A, the date gets all the others. (openpyxl
        # names a one-cell merge "A2".)
        ((10, 10, 10), date(2026, 10, 8), 2, {"A2", "B2:C2"}),
        # A wide last column holds the date alone.
        ((20, 20, 30), date(2026, 10, 8), 3, {"A2:B2", "C2"}),
    ],
)
def test_the_report_date_takes_as_few_columns_from_the_right_as_it_needs(
    widths: tuple[float, ...], day: date, date_column: int, merged: set[str]
) -> None:
    sheet, styles = writer(widths)
    sheet.title_rows(styles, "XX县整改落实情况台账", "填报单位:XX县整改办", day)
    ws = sheet.ws
    assert ws.cell(2, 1).value == "填报单位:XX县整改办"
    assert ws.cell(2, date_column).value == f"填报日期:{day.year}年{day.month}月{day.day}日"
    assert {str(r) for r in ws.merged_cells.ranges} == {f"A1:{'ABCDE'[len(widths) - 1]}1"} | merged
    assert sheet.row == 2


def test_a_row_without_text_is_one_line_tall() -> None:
    sheet, _ = writer((10, 10))
    assert sheet.fitted_height([], []) == 18.5
