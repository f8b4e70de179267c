"""The monthly report (月报): what it says (report_content) and the workbook it is written to (excel_export)."""

from __future__ import annotations

import csv
import shutil
import subprocess
from datetime import date
from pathlib import Path

import openpyxl
import pytest

from ledger_app.domain.deadlines import Deadline
from ledger_app.domain.errors import CancelledError, LedgerError
from ledger_app.domain.model import ProblemKind, TaskStatus
from ledger_app.domain.records import (
    AcceptanceRecord,
    CloseOutRecord,
    MeasureRecord,
    ProgressRecord,
    TaskRecord,
)
from ledger_app.domain.stats import compute_stats
from ledger_app.io.excel_out.export import LEDGER_COLUMNS, write_monthly_report
from ledger_app.io.excel_out.text import MAX_CELL_CHARS, MAX_ROW_HEIGHT
from ledger_app.io.report_content import MonthlyReport, build_monthly_report, stat_item

D = date
SEPT_END = D(2026, 9, 30)
FIRST_TASK_ROW = 5  # title, 填报单位, header, section heading


def task(seq: str = "1", **fields: object) -> TaskRecord:
    base: dict[str, object] = {
        "kind": ProblemKind.SPECIFIC,
        "description": f"问题{seq}",
        "round_name": "第二轮中央生态环境保护督察",
        "lead_units": ["县住建局"],
        "deadline": Deadline("2027年6月底前", D(2027, 6, 30)),
        "status": TaskStatus.IN_PROGRESS,
    }
    base.update(fields)
    return TaskRecord(seq=seq, **base)  # type: ignore[arg-type]


def report(tasks: list[TaskRecord], *, year: int = 2026, month: int = 9) -> MonthlyReport:
    return build_monthly_report(
        tasks,
        year=year,
        month=month,
        title="XX县第二轮中央生态环境保护督察反馈问题整改落实情况台账",
        reporting_unit="XX县整改办",
        report_date=D(2026, 10, 8),
        warning_days=15,
        place="我县",
    )


def only_row(tasks: list[TaskRecord], **kwargs: int):
    content = report(tasks, **kwargs)
    return content.sections[0].rows[0]


def write_and_load(tmp_path: Path, tasks: list[TaskRecord]) -> tuple[openpyxl.Workbook, list[str]]:
    out = tmp_path / "月报.xlsx"
    warnings = write_monthly_report(report(tasks), out)
    return openpyxl.load_workbook(out), warnings


# --- content: sections, order, progress, completion ----------------------------------------------------


def test_sections_follow_ledger_order_and_rounds_prefix_headings_only_when_several() -> None:
    one_round = report(
        [
            task("1", kind=ProblemKind.SELF_CHECK),
            task("1", kind=ProblemKind.PETITION),
            task("2", kind=ProblemKind.COMMON),
            task("1"),
        ]
    )
    # 共性问题 among the 反馈问题: the section is split as offices lay it out (and as the importer reads it).
    assert [s.heading for s in one_round.sections] == [
        "一、反馈问题",
        "(一)个性问题",
        "(二)共性问题",
        "二、交办信访件",
        "三、自查问题",
    ]
    assert [[r.seq for r in s.rows] for s in one_round.sections[:3]] == [[], ["1"], ["2"]]

    two_rounds = report(
        [
            task("1", round_name="第三轮省级督察", kind=ProblemKind.SELF_CHECK),
            task("1", round_name="第二轮中央督察"),
            task("2", round_name="第三轮省级督察"),
        ]
    )
    assert [s.heading for s in two_rounds.sections] == [
        "第三轮省级督察 一、反馈问题",
        "第三轮省级督察 二、自查问题",  # numbered by what the round has
        "第二轮中央督察 一、反馈问题",
    ]


def test_serial_numbers_in_counting_order() -> None:
    seqs = ["10", "2", "3-1", "1", "11", "3", "3-10", "3-2"]
    rows = report([task(s) for s in seqs]).sections[0].rows
    assert [r.seq for r in rows] == ["1", "2", "3", "3-1", "3-2", "3-10", "10", "11"]


def test_progress_of_the_month_oldest_first_and_later_entries_ignored() -> None:
    progress = [
        ProgressRecord(D(2026, 9, 20), "管网铺设完成80%"),
        ProgressRecord(D(2026, 8, 30), "上月进展"),
        ProgressRecord(D(2026, 9, 3), "完成招标"),
        ProgressRecord(D(2026, 10, 2), "下月进展"),
    ]
    assert only_row([task(progress=progress)]).progress_text == "9月3日:完成招标\n9月20日:管网铺设完成80%"


def test_without_progress_this_month_the_latest_earlier_entry_is_shown_with_its_date() -> None:
    progress = [
        ProgressRecord(D(2026, 7, 1), "七月进展"),
        ProgressRecord(D(2026, 8, 12), "八月进展"),
        ProgressRecord(D(2026, 10, 1), "十月进展"),
    ]
    assert only_row([task(progress=progress)]).progress_text == "(截至2026年8月12日)八月进展"
    assert only_row([task(progress=progress[2:])]).progress_text == ""


def test_units_and_measures_text() -> None:
    row = only_row(
        [
            task(
                lead_units=["县住建局"],
                cooperating_units=["县水利局", "各乡镇"],
                measures=[
                    MeasureRecord(2, "完成雨污分流改造", deadline=Deadline("2026年底前", D(2026, 12, 31))),
                    MeasureRecord(1, "开展排查(县住建局牵头)", lead_units=["县住建局"]),
                ],
            )
        ]
    )
    assert row.units_text == "牵头:县住建局\n配合:县水利局、各乡镇"
    assert row.measures_text == "1.开展排查(县住建局牵头)\n2.完成雨污分流改造(时限:2026年底前)"
    plain = only_row([task(lead_units=[], responsible_units=["城关镇", "河西乡"])])
    assert plain.units_text == "城关镇、河西乡"


@pytest.mark.parametrize(
    ("fields", "completion", "lagging"),
    [
        # closed in September: closed at the month's end
        (
            {
                "status": TaskStatus.CLOSED,
                "acceptance": AcceptanceRecord(D(2026, 8, 1)),
                "close_out": CloseOutRecord(D(2026, 9, 30)),
            },
            "已销号",
            False,
        ),
        # closed in October, accepted in August: accepted at September's end, which 已完成 alone would hide
        (
            {
                "status": TaskStatus.CLOSED,
                "acceptance": AcceptanceRecord(D(2026, 8, 1)),
                "close_out": CloseOutRecord(D(2026, 10, 3)),
            },
            "已完成(已验收)",
            False,
        ),
        # closed and accepted in October, deadline long past: it was lagging in September
        (
            {
                "status": TaskStatus.CLOSED,
                "deadline": Deadline("2026年6月底前", D(2026, 6, 30)),
                "acceptance": AcceptanceRecord(D(2026, 10, 2)),
                "close_out": CloseOutRecord(D(2026, 10, 20)),
            },
            "滞后",
            True,
        ),
        ({"deadline": Deadline("2026年10月10日", D(2026, 10, 10))}, "临期", False),
        ({"deadline": Deadline("2026年9月29日", D(2026, 9, 29))}, "滞后", True),
        ({"deadline": Deadline("立行立改、长期坚持", long_term=True)}, "长期坚持", False),
        ({}, "序时推进", False),
        ({"status": TaskStatus.COMPLETED}, "已完成", False),
        ({"status": TaskStatus.PUBLIC_NOTICE}, "已完成(公示中)", False),
        # not started: the schedule flag, and the step the flag alone would hide
        ({"status": TaskStatus.NOT_STARTED}, "序时推进(未启动)", False),
        (
            {"status": TaskStatus.NOT_STARTED, "deadline": Deadline("2026年9月1日", D(2026, 9, 1))},
            "滞后(未启动)",
            True,
        ),
    ],
)
def test_completion_as_of_the_end_of_the_month(fields: dict, completion: str, lagging: bool) -> None:
    row = only_row([task(**fields)])
    assert (row.completion, row.lagging) == (completion, lagging)


# --- the workbook -------------------------------------------------------------------------------------

HOSTILE = [
    "=1+1",
    "@SUM(A1)",
    "-2",
    "+86 138 0000 0000",
    "\tx",
    "\rx",
    "a\r\nb",
    '=HYPERLINK("http://example.com","点我")',
    "=cmd|' /C calc'!A0",
    "#N/A",
    "  前后空格  ",
    "中" * 10_000,
]


def test_hostile_text_reads_back_unchanged_as_text(tmp_path: Path) -> None:
    tasks = [task(str(i), description=text, note=text) for i, text in enumerate(HOSTILE, 1)]
    wb, warnings = write_and_load(tmp_path, tasks)
    ws = wb["台账"]
    assert len(warnings) == 1 and "行高" in warnings[0]  # only the 10,000-character row's printout
    for offset, text in enumerate(HOSTILE):
        for column in (2, 10):  # 问题描述, 备注
            cell = ws.cell(FIRST_TASK_ROW + offset, column)
            assert (cell.value, cell.data_type) == (text, "s")
            assert cell.quotePrefix == text.startswith(("=", "+", "-", "@", "\t", "\r"))


def test_control_characters_are_dropped_with_a_warning(tmp_path: Path) -> None:
    dirty = "问题" + "".join(chr(c) for c in range(0x00, 0x09)) + "描述\x0b\x1f"
    wb, warnings = write_and_load(tmp_path, [task(description=dirty)])
    assert wb["台账"].cell(FIRST_TASK_ROW, 2).value == "问题描述"
    assert warnings == [f"台账 第{FIRST_TASK_ROW}行 问题描述:删除了 11 个无法保存的控制字符"]


def test_text_beyond_excels_cell_limit_is_cut_with_a_warning(tmp_path: Path) -> None:
    wb, warnings = write_and_load(tmp_path, [task(goal="目" * 40_000)])
    assert wb["台账"].cell(FIRST_TASK_ROW, 6).value == "目" * MAX_CELL_CHARS
    cut = [w for w in warnings if "整改目标" in w]
    assert len(cut) == 1 and "40000" in cut[0] and str(MAX_CELL_CHARS) in cut[0]


def test_print_setup_of_both_sheets(tmp_path: Path) -> None:
    wb, _ = write_and_load(tmp_path, [task()])
    assert wb.sheetnames == ["台账", "统计"]
    for ws in wb.worksheets:
        setup = ws.page_setup
        assert (setup.orientation, int(setup.paperSize), int(setup.fitToWidth), int(setup.fitToHeight)) == (
            "landscape",
            9,
            1,
            0,
        )
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        assert "&P" in ws.oddFooter.center.text and "&N" in ws.oddFooter.center.text
    ledger = wb["台账"]
    assert ledger.print_title_rows == "$3:$3"
    assert ledger.freeze_panes == "A4"
    assert [ledger.cell(3, c).value for c in range(1, 11)] == [c[0] for c in LEDGER_COLUMNS]
    assert ledger.cell(1, 1).value.endswith("台账")
    assert "A1:J1" in {str(r) for r in ledger.merged_cells.ranges}


def test_row_heights_follow_the_text(tmp_path: Path) -> None:
    tasks = [
        task("1", description="短"),
        task("2", description="长" * 300),
        task("3", description="\n".join(["一行"] * 8)),
        task("4", measures=[MeasureRecord(1, "措" * 5_000)]),
    ]
    wb, warnings = write_and_load(tmp_path, tasks)
    heights = [wb["台账"].row_dimensions[FIRST_TASK_ROW + i].height for i in range(4)]
    assert all(h is not None for h in heights)
    short, long, eight_lines, huge = heights
    assert short < 30
    assert long > 10 * short  # 300 CJK characters in a 36-unit column need ~19 lines
    assert eight_lines >= 8 * 14
    assert huge == MAX_ROW_HEIGHT
    assert len(warnings) == 1 and f"第{FIRST_TASK_ROW + 3}行" in warnings[0] and "409" in warnings[0]


def test_lagging_rows_are_filled(tmp_path: Path) -> None:
    late = task("1", deadline=Deadline("2026年6月底前", D(2026, 6, 30)))
    wb, _ = write_and_load(tmp_path, [late, task("2")])
    ws = wb["台账"]
    assert ws.cell(FIRST_TASK_ROW, 9).value == "滞后"
    assert ws.cell(FIRST_TASK_ROW, 2).fill.fgColor.rgb.endswith("FCE4D6")
    assert ws.cell(FIRST_TASK_ROW + 1, 2).fill.fill_type is None


def test_statistics_sheet_has_the_known_figures(tmp_path: Path) -> None:
    accepted = AcceptanceRecord(D(2026, 8, 1))
    tasks = [
        task("1", status=TaskStatus.CLOSED, acceptance=accepted, close_out=CloseOutRecord(D(2026, 9, 1))),
        task("2", status=TaskStatus.COMPLETED, lead_units=["县水利局"]),
        task("3", deadline=Deadline("2026年6月底前", D(2026, 6, 30))),  # 滞后
        task("4", deadline=Deadline("立行立改、长期坚持", long_term=True), lead_units=["县水利局"]),
        task("1", kind=ProblemKind.PETITION, status=TaskStatus.CLOSED, acceptance=accepted, close_out=None),
        # closed after the month: counts as accepted (已完成, not 已销号) in September
        task(
            "2",
            kind=ProblemKind.PETITION,
            status=TaskStatus.CLOSED,
            acceptance=accepted,
            close_out=CloseOutRecord(D(2026, 10, 9)),
        ),
    ]
    wb, _ = write_and_load(tmp_path, tasks)
    ws = wb["统计"]
    rows = {r[0]: r[1:] for r in ws.iter_rows(values_only=True) if r[0] and isinstance(r[1], int | float)}
    # 任务数, 已完成, 其中已销号, 未完成, 序时推进, 临期, 滞后, 长期坚持, 时限不明, 整改率, 销号率
    assert rows["合计"] == (6, 4, 2, 2, 0, 0, 1, 1, 0, pytest.approx(4 / 6), pytest.approx(2 / 6))
    assert rows["反馈问题"] == (4, 2, 1, 2, 0, 0, 1, 1, 0, 0.5, 0.25)
    assert rows["交办信访件"] == (2, 2, 1, 0, 0, 0, 0, 0, 0, 1, 0.5)
    assert rows["县水利局"][:3] == (2, 1, 0)
    assert rows["县住建局"][:3] == (4, 3, 2)
    assert rows["已销号"] == (2,) + (None,) * 10 and rows["已验收"][0] == 1 and rows["滞后"][0] == 1

    # The same figures as domain.stats computes for the same day: one source of truth.
    expected = compute_stats(stat_item(t, as_of=SEPT_END, warning_days=15) for t in tasks)
    assert expected.total.as_dict()["completed"] == rows["合计"][1]
    assert report(tasks).summary.stats.as_dict() == expected.as_dict()
    sentence = ws.cell(3, 1).value
    assert sentence.startswith("反馈问题涉及我县的有4项") and sentence.endswith("。")


def test_empty_ledger_still_makes_a_report(tmp_path: Path) -> None:
    wb, warnings = write_and_load(tmp_path, [])
    assert warnings == []
    assert wb["台账"].max_row == 3
    assert wb["统计"].cell(3, 1).value == "台账中暂无整改任务。"


# --- the file: replace atomically, cancel, progress, errors ---------------------------------------------


def test_cancel_leaves_no_file_and_keeps_the_old_one(tmp_path: Path) -> None:
    out = tmp_path / "月报.xlsx"
    out.write_bytes(b"old report")
    tasks = [task(str(i)) for i in range(1, 251)]
    calls = iter([False, True])  # cancelled at the second check, in the middle of the rows
    with pytest.raises(CancelledError):
        write_monthly_report(report(tasks), out, cancelled=lambda: next(calls))
    assert out.read_bytes() == b"old report"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["月报.xlsx"]


def test_progress_reaches_the_end_and_the_file_replaces_the_old_one(tmp_path: Path) -> None:
    out = tmp_path / "月报.xlsx"
    out.write_bytes(b"old report")
    seen: list[tuple[int, int]] = []
    write_monthly_report(
        report([task(str(i)) for i in range(1, 251)]), out, progress=lambda d, t, _: seen.append((d, t))
    )
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)
    assert seen[-1][0] == seen[-1][1] and len(seen) >= 4
    assert openpyxl.load_workbook(out)["台账"].cell(FIRST_TASK_ROW, 1).value == "1"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["月报.xlsx"]


def test_unwritable_destination_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(LedgerError) as caught:
        write_monthly_report(report([task()]), tmp_path / "没有这个文件夹" / "月报.xlsx")
    assert "无法保存月报" in caught.value.message_zh


# --- a real spreadsheet program -------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) not installed")
def test_libreoffice_keeps_formula_like_text_as_text(tmp_path: Path) -> None:
    hostile = ["=1+1", "@SUM(1,2)", "+1+1", "-1+1"]
    out = tmp_path / "月报.xlsx"
    write_monthly_report(report([task(str(i), description=t) for i, t in enumerate(hostile, 1)]), out)
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{tmp_path}/lo-profile",
            "--headless",
            "--convert-to",
            # UTF-8 (76), every sheet to its own file (-1): 月报-台账.csv, 月报-统计.csv
            "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1",
            "--outdir",
            str(tmp_path),
            str(out),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    with (tmp_path / "月报-台账.csv").open(encoding="utf-8", newline="") as f:
        cells = [row[1] for row in csv.reader(f) if len(row) > 1]
    for text in hostile:
        assert text in cells
    assert "2" not in cells and "0" not in cells
