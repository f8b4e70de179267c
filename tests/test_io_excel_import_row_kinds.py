"""What each row under the header is (excel_in.row_kinds), told apart on one hand-made sheet that has
every kind of row an office ledger holds; the answers are written out row by row."""

from __future__ import annotations

from pathlib import Path

from ledger_app.domain.model import ProblemKind
from ledger_app.io.excel_in.header import find_table
from ledger_app.io.excel_in.reader import open_workbook
from ledger_app.io.excel_in.row_kinds import Part, RowClassifier, RowKind, SheetRow
from ledger_app.io.excel_in.workbook import read_ledger_workbook
from tests.xlsx_factory import SheetSpec, write_xlsx

K = ProblemKind
R = RowKind
ROUND = "第二轮中央生态环境保护督察"
HEADER = ["序号", "问题描述", "责任单位", "整改措施", "完成状态"]


def ledger_sheet() -> SheetSpec:
    sheet = SheetSpec("台账")
    sheet.row(0, HEADER)
    sheet.merge(1, 0, 1, 4, "一、反馈问题")
    sheet.row(2, [1, "污水直排", "县住建局", "1.排查排污口", "整改中"])
    # row 4 (index 3) left blank
    sheet.row(4, [2, "扬尘污染", "县城管局", "1.洒水降尘", "已完成"])
    sheet.row(5, ["", "", "", "2.覆盖裸土", ""])
    sheet.merge(4, 0, 5, 0)
    sheet.merge(4, 1, 5, 1)
    sheet.row(6, HEADER)  # a printout's page header
    sheet.row(7, ["", "", "县水利局", "3.巡查河道", ""])
    sheet.row(8, ["(二)共性问题"])
    sheet.row(9, [1, "共性问题甲", "县住建局", "1.第一项", ""])
    sheet.row(10, [1, "共性问题甲", "县住建局", "2.第二项", ""])  # 序号 and 问题描述 filled down
    sheet.row(11, ["", "问题乙", "县林业局", "", ""])
    sheet.row(12, ["合计", "", "", "", ""])
    sheet.row(13, [f"{ROUND} 二、交办信访件"])
    sheet.row(14, [1, "信访件甲", "县住建局", "", "已办结"])
    sheet.row(15, ["第二批"])
    sheet.row(16, [1, "信访件乙", "县住建局", "", ""])
    sheet.row(17, ["填报人:李华", "", "审核人:王强"])
    sheet.row(18, ["情况属实"])
    sheet.row(19, [9, "表尾下的任务", "县住建局", "", ""])
    return sheet


def classified(tmp_path: Path) -> list[SheetRow]:
    path = write_xlsx(tmp_path / "台账.xlsx", [ledger_sheet()])
    book = open_workbook(path.read_bytes())
    sheet = book.read_sheet("台账")
    table = find_table(sheet)
    assert table is not None
    return list(RowClassifier(sheet, table, Part(K.SPECIFIC)).rows())


def test_every_row_is_told_apart(tmp_path: Path) -> None:
    # (row as the clerk counts it, what it is, the row its task starts at)
    found = [(r.index + 1, r.kind, r.task_row + 1 if r.task_row >= 0 else None) for r in classified(tmp_path)]
    assert found == [
        (2, R.SECTION, None),
        (3, R.TASK, 3),
        (5, R.TASK, 5),
        (6, R.CONTINUATION, 5),  # 序号 and 问题描述 merged with the row above
        (7, R.HEADER, None),
        (8, R.STRAY, None),  # the header again ends the task above: this row has none to belong to
        (9, R.SECTION, None),
        (10, R.TASK, 10),
        (11, R.CONTINUATION, 10),
        (12, R.TASK, 12),  # no 序号, but a 问题描述 of its own
        (13, R.TOTAL, None),
        (14, R.SECTION, None),
        (15, R.TASK, 15),
        (16, R.SECTION, None),
        (17, R.TASK, 17),
        (18, R.FOOTER, None),
        (19, R.FOOTER, None),  # under the footer, text without 序号 and 问题描述 is footer too
        (20, R.TASK, 20),
    ]


def test_section_rows_set_the_kind_batch_and_round_of_the_tasks_under_them(tmp_path: Path) -> None:
    parts = {r.index + 1: r.part for r in classified(tmp_path) if r.kind is R.TASK}
    assert parts == {
        3: Part(K.SPECIFIC, "", "一、反馈问题", ""),
        5: Part(K.SPECIFIC, "", "一、反馈问题", ""),
        10: Part(K.COMMON, "", "(二)共性问题", ""),
        12: Part(K.COMMON, "", "(二)共性问题", ""),
        15: Part(K.PETITION, "", f"{ROUND} 二、交办信访件", ROUND),
        17: Part(K.PETITION, "第二批", "第二批", ROUND),
        20: Part(K.PETITION, "第二批", "第二批", ROUND),
    }


def test_a_rows_own_cells_and_its_footer_text(tmp_path: Path) -> None:
    rows = {r.index + 1: r for r in classified(tmp_path)}
    assert (rows[3].seq, rows[3].description) == ("1", "污水直排")
    assert (rows[6].seq, rows[6].description, rows[6].own_cols) == ("", "", {3})
    assert (rows[12].seq, rows[12].description) == ("", "问题乙")
    assert rows[18].text == "填报人:李华 审核人:王强"
    # A task on one row with nothing merged is read by column; the others carry their cells.
    assert rows[3].cells is None
    assert rows[6].cells is not None and rows[6].cells["measures"][0] == "2.覆盖裸土"


def test_a_rounds_section_row_keeps_its_meaning_without_its_merge(tmp_path: Path) -> None:
    # The monthly report merges its section rows across the table; retyped or pasted into a sheet of
    # a unit's own, the merge is lost, and the round's name in front must still read as a section.
    sheet = SheetSpec("月报")
    sheet.row(0, HEADER)
    sheet.row(1, [f"{ROUND} 一、反馈问题"])
    sheet.row(2, [1, "污水直排", "县住建局", "1.排查排污口", "整改中"])
    sheet.row(3, ["(未填督察批次) 二、交办信访件"])
    sheet.row(4, [1, "信访件甲", "县住建局", "", "已办结"])
    plan = read_ledger_workbook(write_xlsx(tmp_path / "月报.xlsx", [sheet]))
    assert [(t.rows, t.seq, t.kind, t.round_name, t.section) for t in plan.tasks] == [
        ([3], "1", K.SPECIFIC, ROUND, f"{ROUND} 一、反馈问题"),
        ([5], "1", K.PETITION, "", "(未填督察批次) 二、交办信访件"),
    ]
    assert [i for i in plan.issues if i.row is not None] == []
