"""A unit's monthly sheet (每月报) as written, read back with openpyxl: every cell, style, width, height,
merge, lock, the drop-down, the hidden column and the hidden identity sheet, on a hand-made sheet
(expected values written out below; heights from the rule 14.5 pt a line at 10.5 pt, + 4; issue 24)."""

from __future__ import annotations

import re
import zipfile
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest

from ledger_app.domain.errors import LedgerError
from ledger_app.io.excel_out.unit_sheet import (
    IDENTITY_HEADER,
    IDENTITY_SHEET,
    SHEET_NAME,
    UnitSheet,
    UnitSheetGroup,
    UnitSheetRow,
)
from ledger_app.io.excel_out.unit_sheet_writer import write_unit_sheet

HEADERS = [
    "序号",
    "问题",
    "整改措施",
    "整改时限",
    "整改目标",
    "本月进展",
    "完成情况",
    "存在困难",
    "下步计划",
    "佐证材料清单",
    "填报人",
    "联系电话",
    "任务标识(请勿修改)",
]
WIDTHS = {
    "A": 6,
    "B": 30,
    "C": 32,
    "D": 11,
    "E": 18,
    "F": 32,
    "G": 10,
    "H": 16,
    "I": 16,
    "J": 14,
    "K": 8,
    "L": 12,
    "M": 14,
}
INSTRUCTION = (
    "填报说明:请在白色单元格中填写本月进展、完成情况(下拉选择)、存在困难、下步计划、佐证材料清单、"
    "填报人和联系电话;灰色单元格由整改办填写,请勿修改。请勿删除或调整行的顺序,不要删除最右侧的隐藏列,"
    "不要复制到其他表格后再交回。填好后按原文件名保存(.xlsx 或 .xls 均可),交回整改办。"
)
# Row styles: columns A–E fixed (A and D centred), F–L to fill in (G, K, L centred), M fixed.
DATA_STYLES = [
    "月报表固定居中",
    "月报表固定",
    "月报表固定",
    "月报表固定居中",
    "月报表固定",
    "月报表填写",
    "月报表填写居中",
    "月报表填写",
    "月报表填写",
    "月报表填写",
    "月报表填写居中",
    "月报表填写居中",
    "月报表固定",
]
TEN_LINES = "\n".join(f"第{n}行" for n in range(1, 11))


def written_cells(path: Path) -> list[list[str]]:
    with zipfile.ZipFile(path) as zf:
        xml = zf.read("xl/worksheets/sheet1.xml").decode("utf-8")
    return [
        re.findall(r'<c r="([A-Z]+[0-9]+)"', row) for row in re.findall(r"<row [^>]*>.*?</row>", xml, re.S)
    ]


def sheet(unit: str = "区水利局", groups: list[UnitSheetGroup] | None = None) -> UnitSheet:
    return UnitSheet(
        unit, 2026, 3, "ab12cd34", datetime(2026, 3, 1, 9, 30, 15, 999), "区整改办", groups or []
    )


GROUPS = [
    UnitSheetGroup(
        "第二轮中央生态环境保护督察 反馈问题",
        [UnitSheetRow("12-deadbeef", "1", "黑臭水体\x07整治", "1.排查\n2.整治", "2026年6月底前", "消除黑臭")],
    ),
    UnitSheetGroup(
        "第二轮中央生态环境保护督察 交办信访件",
        [
            UnitSheetRow("13-cafebabe", "2", "油烟扰民\r\n夜间", "", "", ""),
            UnitSheetRow("14-0badf00d", "3", TEN_LINES, "", "长期坚持", ""),
        ],
    ),
]


def test_every_cell_of_a_sheet_with_two_groups(tmp_path: Path) -> None:
    out = tmp_path / "月报表.xlsx"
    warnings = write_unit_sheet(sheet(groups=GROUPS), out)
    assert warnings == ["月报表 第5行 问题:删除了 1 个无法保存的控制字符"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["月报表.xlsx"]  # no temporary file left
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == [SHEET_NAME, IDENTITY_SHEET] == ["月报表", "填报标识"]
    assert (wb.properties.creator, wb.properties.title, wb.properties.subject) == (
        "整改台账",
        "区水利局 2026年3月 整改进展月报表",
        "ab12cd34|2026-03",
    )
    ws = wb["月报表"]
    assert ws.max_row == 8 and ws.max_column == 13
    values = [[c.value for c in row] for row in ws.iter_rows()]
    none11 = [None] * 11
    assert values[0] == ["区水利局 2026年3月 整改进展月报表", *[None] * 12]
    assert values[1] == [INSTRUCTION, *[None] * 12]
    assert values[2] == HEADERS and HEADERS[-1] == IDENTITY_HEADER
    assert values[3] == ["第二轮中央生态环境保护督察 反馈问题", *[None] * 12]
    assert values[4] == [
        "1",
        "黑臭水体整治",
        "1.排查\n2.整治",
        "2026年6月底前",
        "消除黑臭",
        *[None] * 7,
        "12-deadbeef",
    ]
    assert values[5] == ["第二轮中央生态环境保护督察 交办信访件", *[None] * 12]
    assert values[6] == ["2", "油烟扰民\r\n夜间", None, None, None, *[None] * 7, "13-cafebabe"]
    assert values[7] == ["3", TEN_LINES, None, "长期坚持", None, *[None] * 7, "14-0badf00d"]
    assert len(none11) == 11
    # Styles: the title, the instruction, the header, the group rows across all 13 columns, the data rows.
    assert [c.style for c in ws[1]][:1] == ["台账标题"]
    assert ws["A2"].style == "月报表说明"
    assert [c.style for c in ws[3]] == ["台账表头"] * 13
    assert ws["A4"].style == ws["M4"].style == ws["A6"].style == ws["M6"].style == "台账分组"
    # The cells each row holds (merged cells read back from openpyxl lose their style: the XML itself).
    letters = "ABCDEFGHIJKLM"
    assert written_cells(out) == [
        [f"{c}1" for c in letters[:12]],
        [f"{c}2" for c in letters[:12]],
        *([f"{c}{r}" for c in letters] for r in range(3, 9)),
    ]
    for r in (5, 7, 8):
        assert [c.style for c in ws[r]] == DATA_STYLES, r
        assert [c.protection.locked for c in ws[r]] == [True] * 5 + [False] * 7 + [True]
    assert sorted(str(m) for m in ws.merged_cells.ranges) == ["A1:L1", "A2:L2", "A4:L4", "A6:L6"]
    assert {k: d.width for k, d in ws.column_dimensions.items()} == WIDTHS
    assert ws.column_dimensions["M"].hidden
    assert not any(ws.column_dimensions[c].hidden for c in "ABCDEFGHIJKL")
    assert (ws.freeze_panes, ws.print_title_rows) == ("A4", "$3:$3")
    line_11pt = 14.5 * 11 / 10.5
    assert ws.row_dimensions[1].height == 40.0  # one line at 20 pt: 14.5 × 20/10.5 + 4 + 8 < 40
    # The instruction wraps to two lines at 11 pt over the 205 units of columns A–L (the hidden M apart).
    assert ws.row_dimensions[2].height == pytest.approx(2 * line_11pt + 4)
    # The header: "任务标识(请勿修改)" (18 units) and "佐证材料清单" (12) take two lines in 14 units.
    assert ws.row_dimensions[3].height == pytest.approx(2 * line_11pt + 4)
    assert ws.row_dimensions[4].height == ws.row_dimensions[6].height == 24.0
    assert ws.row_dimensions[5].height == ws.row_dimensions[7].height == 48.0  # room to write in
    assert ws.row_dimensions[8].height == 10 * 14.5 + 4  # ten lines: taller than the minimum
    (validation,) = ws.data_validations.dataValidation
    assert str(validation.sqref) == "G5:G8"
    assert validation.type == "list"
    assert validation.formula1 == '"已完成,序时推进,滞后,未启动,长期坚持"'
    assert (validation.allow_blank, validation.showErrorMessage, validation.showInputMessage) == (
        True,
        False,
        True,
    )
    assert (validation.promptTitle, validation.prompt) == ("完成情况", "请从下拉列表中选择")
    p = ws.protection
    assert (p.sheet, p.formatRows, p.formatColumns, p.formatCells, p.autoFilter) == (
        True,
        False,
        False,
        False,
        False,
    )
    assert p.password is None
    ident = wb[IDENTITY_SHEET]
    assert ident.sheet_state == "hidden" and ident.protection.sheet
    assert [[c.value for c in row] for row in ident.iter_rows()] == [
        ["台账标识", "ab12cd34"],
        ["月份", "2026-03"],
        ["单位", "区水利局"],
        ["任务数", "3"],
        ["发送时间", "2026-03-01T09:30:15"],
        ["发送单位", "区整改办"],
    ]


def test_the_extra_styles(tmp_path: Path) -> None:
    out = tmp_path / "s.xlsx"
    write_unit_sheet(sheet(groups=GROUPS[:1]), out)
    wb = openpyxl.load_workbook(out)
    styles = {s.name: s for s in wb._named_styles}
    got = {
        name: (
            styles[name].protection.locked,
            styles[name].fill.fill_type,
            styles[name].fill.fgColor.rgb if styles[name].fill.fill_type else None,
            styles[name].alignment.horizontal,
            styles[name].alignment.wrap_text,
        )
        for name in ("月报表固定", "月报表固定居中", "月报表填写", "月报表填写居中", "月报表说明")
    }
    assert got == {
        "月报表固定": (True, "solid", "00EDEDED", "left", True),
        "月报表固定居中": (True, "solid", "00EDEDED", "center", True),
        "月报表填写": (False, None, None, "left", True),
        "月报表填写居中": (False, None, None, "center", True),
        "月报表说明": (False, None, None, "left", True),
    }
    assert styles["月报表说明"].alignment.vertical == "center"
    assert styles["月报表固定"].font.name == styles["台账正文"].font.name
    assert styles["月报表固定居中"].font.name == styles["台账正文居中"].font.name
    assert styles["月报表说明"].font.sz == styles["台账填报信息"].font.sz


def test_a_long_title_gets_a_taller_first_row_and_no_rows_no_drop_down(tmp_path: Path) -> None:
    out = tmp_path / "s.xlsx"
    unit = "某某市某某区某某街道办事处某某社区居民委员会" * 3  # 66 characters: the title needs two lines
    assert write_unit_sheet(sheet(unit=unit), out) == []
    wb = openpyxl.load_workbook(out)
    ws = wb[SHEET_NAME]
    assert ws.row_dimensions[1].height == pytest.approx(2 * 14.5 * 20 / 10.5 + 4 + 8)
    assert ws.data_validations.dataValidation == []
    assert ws.max_row == 3
    assert ws.column_dimensions["M"].hidden and ws.protection.sheet
    assert [[c.value for c in row] for row in wb[IDENTITY_SHEET].iter_rows()][3] == ["任务数", "0"]


def test_control_characters_in_the_title_are_reported_by_name(tmp_path: Path) -> None:
    out = tmp_path / "s.xlsx"
    assert write_unit_sheet(sheet(unit="区\x01水利局"), out) == [
        "月报表 第1行 标题:删除了 1 个无法保存的控制字符"
    ]
    wb = openpyxl.load_workbook(out)
    assert wb.properties.title == "区水利局 2026年3月 整改进展月报表"
    assert wb[IDENTITY_SHEET]["B3"].value == "区水利局"


def test_a_folder_that_is_not_there_is_a_clear_error_and_leaves_nothing(tmp_path: Path) -> None:
    out = tmp_path / "没有的文件夹" / "s.xlsx"
    with pytest.raises(LedgerError) as caught:
        write_unit_sheet(sheet(groups=GROUPS), out)
    assert f"无法写入 {out}" in caught.value.message_zh
    assert list(tmp_path.iterdir()) == []


def test_the_sheet_replaces_an_older_file_whole(tmp_path: Path) -> None:
    out = tmp_path / "s.xlsx"
    out.write_bytes(b"old")
    write_unit_sheet(sheet(groups=GROUPS[:1]), out)
    assert openpyxl.load_workbook(out)[SHEET_NAME]["M5"].value == "12-deadbeef"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["s.xlsx"]


def test_the_sheets_title_and_task_count() -> None:
    s = sheet(groups=GROUPS)
    assert s.title == "区水利局 2026年3月 整改进展月报表"
    assert s.task_count == 3
    assert sheet().task_count == 0


def test_formula_like_text_a_row_too_tall_and_a_bad_group_heading(tmp_path: Path) -> None:
    tall = "=SUM(A1)\n" + "\n".join(str(n) for n in range(30))  # 31 lines: over Excel's 409 pt
    groups = [UnitSheetGroup("第二轮\x07 反馈问题", [UnitSheetRow("1-aaaaaaaa", "1", tall, "", "", "")])]
    out = str(tmp_path / "s.xlsx")  # a str path is taken as well as a Path
    assert write_unit_sheet(sheet(groups=groups), out) == [
        "月报表 第4行 序号:删除了 1 个无法保存的控制字符",
        "月报表:第5行文字过多,行高已达 Excel 上限 409 磅,打印时显示不全(单元格中的内容完整)",
    ]
    ws = openpyxl.load_workbook(out)[SHEET_NAME]
    assert ws["B5"].value == tall and ws["B5"].quotePrefix  # stays text, not a formula
    assert not ws["A5"].quotePrefix
    with zipfile.ZipFile(out) as zf:  # an xsd:boolean for Excel: "1", never another number
        assert set(re.findall(r'quotePrefix="(\d+)"', zf.read("xl/styles.xml").decode())) == {"0", "1"}
    assert ws["A4"].value == "第二轮 反馈问题"
    assert ws.row_dimensions[5].height == 409.0


def test_a_title_that_just_fits_on_one_line_over_the_visible_columns(tmp_path: Path) -> None:
    """At 20 pt the 205 units of columns A–L hold (205 × 10.5/20 − 1) × 0.95 = 101.29 units: a title of
    38 CJK characters of unit (76) + " 2026年3月 整改进展月报表" (25) = 101 fits in one line; counted over
    all 13 columns or over 11 it would not be the same."""
    out = tmp_path / "s.xlsx"
    write_unit_sheet(sheet(unit="甲" * 38), out)
    assert openpyxl.load_workbook(out)[SHEET_NAME].row_dimensions[1].height == 40.0
    write_unit_sheet(sheet(unit="甲" * 39), out)  # 103 units: two lines
    assert openpyxl.load_workbook(out)[SHEET_NAME].row_dimensions[1].height == pytest.approx(
        2 * 14.5 * 20 / 10.5 + 4 + 8
    )


def test_a_target_that_cannot_be_replaced_leaves_no_temporary_file(tmp_path: Path) -> None:
    out = tmp_path / "s.xlsx"
    out.mkdir()
    (out / "inside.txt").write_text("x")
    with pytest.raises(LedgerError):
        write_unit_sheet(sheet(groups=GROUPS[:1]), out)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["s.xlsx"]
    assert [p.name for p in out.iterdir()] == ["inside.txt"]
