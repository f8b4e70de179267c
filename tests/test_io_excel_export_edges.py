"""The monthly workbook's file handling at its edges: cancelling in the row loop or during the save,
a failed save leaving nothing behind, carriage returns that only the 统计 sheet holds."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import openpyxl
import pytest

from ledger_app.domain.errors import CancelledError, LedgerError
from ledger_app.io.excel_out import export as excel_export
from ledger_app.io.excel_out.export import write_monthly_report
from ledger_app.io.report_content import MonthlyReport
from tests.report_factory import september_report, task


def report(n: int) -> MonthlyReport:
    return september_report(task(str(i)) for i in range(1, n + 1))


def styled_cells(path: Path, sheet_file: str, row: int) -> list[str]:
    """The columns of one row that the file holds a styled cell for (openpyxl drops merged ones on reading)."""
    with zipfile.ZipFile(path) as archive:
        xml = archive.read(f"xl/worksheets/{sheet_file}").decode("utf-8")
    return re.findall(rf'<c r="([A-Z]+){row}" s="[1-9][0-9]*"', xml)


def names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_cancelling_stops_the_row_loop_at_the_first_check(tmp_path: Path) -> None:
    out = tmp_path / "月报.xlsx"
    seen: list[tuple[int, int, str]] = []
    asked: list[bool] = []

    def cancelled() -> bool:
        asked.append(True)
        return True

    with pytest.raises(CancelledError):
        write_monthly_report(report(250), out, progress=lambda *a: seen.append(a), cancelled=cancelled)
    # 250 rows, 1.5 × 250 save steps, 1: the loop stopped at row 100, before reporting it.
    assert seen == [(0, 626, "正在写入台账…")]
    assert len(asked) == 1
    assert names(tmp_path) == []


def test_progress_is_reported_every_hundred_rows(tmp_path: Path) -> None:
    seen: list[tuple[int, int, str]] = []
    write_monthly_report(report(250), tmp_path / "月报.xlsx", progress=lambda *a: seen.append(a))
    assert seen == [
        (0, 626, "正在写入台账…"),
        (100, 626, "正在写入台账…"),
        (200, 626, "正在写入台账…"),
        (250, 626, "正在保存文件…"),
        (626, 626, "已完成"),
    ]


def test_cancelling_after_the_last_row_saves_nothing(tmp_path: Path) -> None:
    seen: list[str] = []
    # 50 rows: the loop never checks (every 100 rows); the check before saving is the first one.
    with pytest.raises(CancelledError):
        write_monthly_report(
            report(50), tmp_path / "月报.xlsx", progress=lambda *a: seen.append(a[2]), cancelled=lambda: True
        )
    assert seen == ["正在写入台账…"]
    assert names(tmp_path) == []


def test_layout_of_the_ledger_sheet(tmp_path: Path) -> None:
    out = tmp_path / "月报.xlsx"
    write_monthly_report(report(2), out)
    ws = openpyxl.load_workbook(out)["台账"]
    widths = [ws.column_dimensions[letter].width for letter in "ABCDEFGHIJ"]
    assert widths == [6, 34, 16, 9, 15, 21, 40, 32, 14, 11]
    assert ws.cell(2, 1).value == "填报单位:XX县整改办    报告期:2026年9月"
    assert ws.row_dimensions[3].height >= 30  # the header row
    # The section heading spans the whole width, at its own height.
    assert ws.cell(4, 1).value == "第二轮中央生态环境保护督察 一、反馈问题"
    assert "A4:J4" in {str(r) for r in ws.merged_cells.ranges}
    assert ws.row_dimensions[4].height == 24
    # 序号, 责任领导, 整改时限 and 完成情况 are centred; the long texts are not.
    centred = [ws.cell(5, c).alignment.horizontal == "center" for c in range(1, 11)]
    assert centred == [True, False, False, True, True, False, False, False, True, False]
    assert [ws.cell(5, c).value for c in (1, 2, 9)] == ["1", "问题1", "序时推进"]
    assert ws.freeze_panes == "A4"
    assert styled_cells(out, "sheet1.xml", 4) == list("ABCDEFGHIJ")


def test_cancelling_during_the_save_keeps_the_old_file(tmp_path: Path) -> None:
    out = tmp_path / "月报.xlsx"
    out.write_bytes(b"old report")
    state = {"cancel": False}

    def progress(done: int, total: int, text: str) -> None:
        if text == "正在保存文件…":  # the clerk presses Cancel while the workbook is being written
            state["cancel"] = True

    with pytest.raises(CancelledError):
        write_monthly_report(report(3), out, progress=progress, cancelled=lambda: state["cancel"])
    assert out.read_bytes() == b"old report"
    assert names(tmp_path) == ["月报.xlsx"]


@pytest.mark.parametrize(
    ("error", "message"),
    [
        (PermissionError(13, "Permission denied"), "无法写入"),
        (OSError(28, "No space left on device"), "无法保存月报"),
    ],
)
def test_a_failed_save_leaves_no_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, error: OSError, message: str
) -> None:
    out = tmp_path / "月报.xlsx"
    out.write_bytes(b"old report")

    def refuse(src: Path, dst: Path) -> None:
        assert src.exists()  # the whole workbook was written beside the target first
        raise error

    monkeypatch.setattr(excel_export, "replace_file", refuse)
    with pytest.raises(LedgerError) as caught:
        write_monthly_report(report(3), out)
    assert message in caught.value.message_zh
    assert names(tmp_path) == ["月报.xlsx"]
    assert out.read_bytes() == b"old report"


def test_a_carriage_return_only_in_the_statistics_sheet_survives(tmp_path: Path) -> None:
    content = report(2)
    content.summary.sentence = "第一段\r\n第二段"  # the 台账 sheet holds no carriage return at all
    out = tmp_path / "月报.xlsx"
    write_monthly_report(content, out)
    wb = openpyxl.load_workbook(out)
    texts = [c.value for row in wb["统计"].iter_rows() for c in row if isinstance(c.value, str)]
    assert "第一段\r\n第二段" in texts
    assert not any("\r" in str(c.value) for row in wb["台账"].iter_rows() for c in row if c.value)


def test_progress_counts_rows_from_the_first(tmp_path: Path) -> None:
    # 199 rows: one report at row 100, none at 199 (not a multiple of 100); 199 + 298 + 1 steps.
    seen: list[tuple[int, int]] = []
    write_monthly_report(report(199), tmp_path / "月报.xlsx", progress=lambda d, t, _: seen.append((d, t)))
    assert seen == [(0, 498), (100, 498), (199, 498), (498, 498)]


def test_a_path_given_as_text_and_the_document_properties(tmp_path: Path) -> None:
    out = tmp_path / "月报.xlsx"
    write_monthly_report(report(1), str(out))  # type: ignore[arg-type]
    properties = openpyxl.load_workbook(out).properties
    assert (properties.creator, properties.title) == ("整改台账", "XX县整改落实情况台账")
    assert names(tmp_path) == ["月报.xlsx"]


def test_layout_of_the_statistics_sheet(tmp_path: Path) -> None:
    out = tmp_path / "月报.xlsx"
    write_monthly_report(report(2), out)
    ws = openpyxl.load_workbook(out)["统计"]
    first_column = [ws.cell(r, 1).value for r in range(1, 30)]
    headers = [
        "类别",
        "任务数",
        "已完成",
        "其中已销号",
        "未完成",
        "序时推进",
        "临期",
        "滞后",
        "长期坚持",
        "时限不明",
    ]
    assert first_column == [
        "XX县整改落实情况统计表",
        "填报单位:XX县整改办    统计截至:2026年9月30日",
        "反馈问题涉及我县的有2项,均按序时进度推进整改中,整改率0%、销号率0%。",
        "一、总体情况(交办信访件单列)",
        "类别",
        "合计",
        "反馈问题",
        "二、按督察批次",
        "类别",
        "第二轮中央生态环境保护督察",
        "三、按责任单位(牵头单位)",
        "类别",
        "县住建局",
        "注:一项任务有多个牵头单位时,分别计入各单位;未填牵头单位的,计入其责任单位。",
        "四、按状态",
        "状态",
        *["未启动", "整改中", "已完成", "已验收", "公示中", "已销号"],
        "五、未完成任务按进度",
        "进度",
        *["序时推进", "临期", "滞后", "长期坚持", "时限不明"],
    ]
    assert [ws.cell(5, c).value for c in range(1, 13)] == [*headers, "整改率", "销号率"]
    assert [ws.cell(16, c).value for c in (1, 2)] == ["状态", "任务数"]
    assert [ws.cell(r, 2).value for r in (6, 18, 25)] == [2, 2, 2]
    assert [ws.cell(r, 2).value for r in (17, 19, 20, 21, 22, 26, 27, 28, 29)] == [0] * 9  # none in these
    assert [ws.cell(6, c).value for c in (11, 12)] == [0, 0]  # the rates follow the counts
    widths = [ws.column_dimensions[letter].width for letter in "ABCDEFGHIJKL"]
    assert widths == [30, 9, 9, 12.5, 9, 10, 8, 8, 10, 10, 10, 10]
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert {"A1:L1", "A3:L3", "A4:L4", "A8:L8", "A11:L11", "A14:L14", "A15:L15", "A23:L23"} <= merged
    heights = {r: ws.row_dimensions[r].height for r in (4, 5, 6, 14, 16, 17)}
    assert heights == {4: 26, 5: 24, 6: 20, 14: 20, 16: 24, 17: 20}
    assert ws.row_dimensions[3].height > 20  # the sentence row is fitted to its text, plus room
    # A merged row has a styled cell under every column (its border), and none beyond the table.
    for row in (1, 2, 3, 14):
        assert styled_cells(out, "sheet2.xml", row) == list("ABCDEFGHIJKL"), row


def test_a_control_character_in_the_sentence_is_dropped_with_a_warning(tmp_path: Path) -> None:
    content = report(1)
    content.summary.sentence = "反馈问题\x01涉及我县的有1项。"
    warnings = write_monthly_report(content, tmp_path / "月报.xlsx")
    assert warnings == ["统计 第3行 类别:删除了 1 个无法保存的控制字符"]
    ws = openpyxl.load_workbook(tmp_path / "月报.xlsx")["统计"]
    assert ws.cell(3, 1).value == "反馈问题涉及我县的有1项。"


def test_statistics_name_a_task_without_round(tmp_path: Path) -> None:
    content = report(1)
    content.summary.stats.by_round = {"": content.summary.stats.by_round.popitem()[1]}
    out = tmp_path / "月报.xlsx"
    write_monthly_report(content, out)
    ws = openpyxl.load_workbook(out)["统计"]
    assert ws.cell(10, 1).value == "(未填督察批次)"


def test_title_rows_of_both_sheets(tmp_path: Path) -> None:
    out = tmp_path / "月报.xlsx"
    write_monthly_report(report(1), out)
    wb = openpyxl.load_workbook(out)
    ledger, stats = wb["台账"], wb["统计"]
    assert (
        ledger.cell(1, 1).value == "XX县整改落实情况台账"
        and stats.cell(1, 1).value == "XX县整改落实情况统计表"
    )
    # The 填报日期 takes as few columns from the right as it needs: three of either sheet.
    assert ledger.cell(2, 8).value == stats.cell(2, 10).value == "填报日期:2026年10月8日"
    assert {"A1:J1", "A2:G2", "H2:J2"} <= {str(r) for r in ledger.merged_cells.ranges}
    assert {"A1:L1", "A2:I2", "J2:L2"} <= {str(r) for r in stats.merged_cells.ranges}
    assert styled_cells(out, "sheet1.xml", 2) == list("ABCDEFGHIJ")
    assert (ledger.row_dimensions[1].height, ledger.row_dimensions[2].height) == (40, 22)


def many_long_rows(n: int, **changes: object) -> MonthlyReport:
    tasks = [task(str(i)) for i in range(1, n + 1)]
    for t in tasks:
        for name, value in changes.items():
            setattr(t, name, value)
    return september_report(tasks)


def test_the_warning_about_rows_too_tall_to_print(tmp_path: Path) -> None:
    rows = "、".join(str(r) for r in range(5, 25))
    warnings = write_monthly_report(many_long_rows(25, description="很长" * 3000), tmp_path / "a.xlsx")
    assert warnings == [
        f"台账:第{rows}等 25 行文字过多,行高已达 Excel 上限 409 磅,打印时显示不全(单元格中的内容完整)"
    ]
    warnings = write_monthly_report(many_long_rows(20, description="很长" * 3000), tmp_path / "b.xlsx")
    assert warnings == [
        f"台账:第{rows}行文字过多,行高已达 Excel 上限 409 磅,打印时显示不全(单元格中的内容完整)"
    ]


@pytest.mark.parametrize(
    ("goal", "kept"),
    [
        ("目" * 32767, 32767),  # exactly Excel's limit: kept whole
        ("目" * 32768, 32767),
        ("𠀀" * 16384, 16383),  # characters beyond the BMP count twice: 32,768 units
        ("𠀀" * 16383 + "目", 16384),  # 32,767 units: kept whole
        ("𠀀" * 16383 + "目目", 16384),  # 32,768 units: the last character goes
        ("\U00010000" * 16384, 16383),  # the first character beyond the BMP counts twice too
    ],
)
def test_text_is_cut_at_excels_limit_in_utf16_units(tmp_path: Path, goal: str, kept: int) -> None:
    out = tmp_path / "月报.xlsx"
    warnings = write_monthly_report(many_long_rows(1, goal=goal), out)
    cut = [w for w in warnings if "超过 Excel 单元格上限" in w]
    if kept == len(goal):
        assert cut == []
    else:
        assert cut == [
            f"台账 第5行 整改目标:内容 {len(goal)} 字,超过 Excel 单元格上限 32767 字,"
            "只保存了前 32767 字(台账中的原文不受影响)"
        ]
    assert len(openpyxl.load_workbook(out)["台账"].cell(5, 6).value) == kept


def test_a_save_that_fails_midway_closes_the_file_and_says_so_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from openpyxl.writer import excel

    from ledger_app.io.excel_out import save as xlsx_save

    def disk_full(self: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(excel.ExcelWriter, "write_data", disk_full)
    wb = openpyxl.Workbook()
    target = tmp_path / "half.xlsx"
    with pytest.raises(OSError, match="No space left"):
        xlsx_save.save_workbook(wb, target)
    target.unlink()  # the half-written file is the caller's to remove: nothing holds it open
    out = tmp_path / "月报.xlsx"
    with pytest.raises(LedgerError, match="无法保存月报"):
        write_monthly_report(report(1), out)
    assert names(tmp_path) == []


def test_saving_a_write_only_workbook_without_sheets_and_its_date(tmp_path: Path) -> None:
    from datetime import datetime, timedelta

    from ledger_app.io.excel_out import save as xlsx_save

    wb = openpyxl.Workbook(write_only=True)
    target = tmp_path / "empty.xlsx"
    xlsx_save.save_workbook(wb, target)
    loaded = openpyxl.load_workbook(target)
    assert len(loaded.worksheets) == 1
    assert abs(loaded.properties.modified - datetime.utcnow()) < timedelta(minutes=5)


def test_a_lone_surrogate_is_dropped_with_a_warning(tmp_path: Path) -> None:
    out = tmp_path / "月报.xlsx"
    warnings = write_monthly_report(many_long_rows(1, goal="出水\ud800达标"), out)
    assert warnings == ["台账 第5行 整改目标:删除了 1 个无法保存的控制字符"]
    assert openpyxl.load_workbook(out)["台账"].cell(5, 6).value == "出水达标"
