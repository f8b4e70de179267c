"""The plan reader on Word tables built here with python-docx: every task, field, measure and issue
written out (tests/plan_known.py), worked out by reading the tables (issue 24)."""

from __future__ import annotations

from pathlib import Path

from ledger_app.io.plan import read_plan
from tests.plan_factory import add_table, docx_bytes
from tests.plan_known import dump

HEADER = ["序号", "反馈问题", "牵头单位", "配合单位", "整改时限", "整改目标", "整改措施", "责任领导", "备注"]


def _move_to_top(table, row) -> None:  # type: ignore[no-untyped-def]
    table._tbl.remove(row._tr)
    table._tbl.insert(table._tbl.index(table.rows[0]._tr), row._tr)


def one_table(document) -> None:  # type: ignore[no-untyped-def]
    document.add_paragraph("某县督察反馈问题整改措施清单")
    table = add_table(
        document,
        HEADER,
        [
            ["1", "2", "3", "4", "5", "6", "7", "8", "9"],  # the column numbers under the header
            ["一、水污染问题", "", "", "", "", "", "", "", ""],  # made one cell across below
            [
                "1",
                "问题甲。",
                "县水利局",
                "县住建局",
                "2024年底前",
                "目标甲",
                "1.措施一\n2.措施二",
                "王县长",
                "重点督办",
            ],
            ["", "", "", "", "", "", "3.措施三", "李县长", ""],  # 序号 and 反馈问题 merged with the row above
            HEADER,  # the header again on the next page
            ["2.", "问题乙", "县林业局", "", "明年", "", "措施四(县林业局牵头)", "", ""],
            ["", "", "", "", "2025年底前", "目标乙", "", "", ""],  # 序号 and 反馈问题 blank: continues
        ],
        merge_down={0: [(2, 3)], 1: [(2, 3)]},
    )
    row = table.rows[2]
    row.cells[0].merge(row.cells[-1]).text = "一、水污染问题"
    title = table.add_row()
    _move_to_top(table, title)
    title.cells[0].merge(title.cells[-1]).text = "附表:整改清单"
    document.add_paragraph("表后的说明文字。")
    other = document.add_table(rows=2, cols=2)
    other.cell(0, 0).text = "甲"
    other.cell(0, 1).text = "乙"
    other.cell(1, 0).text = "丙"


def test_a_table_with_merged_rows_a_section_row_and_the_header_repeated(tmp_path: Path) -> None:
    path = tmp_path / "方案.docx"
    path.write_bytes(docx_bytes(one_table))
    reading = read_plan(path)
    assert [line.text for line in reading.lines][:4] == [
        "某县督察反馈问题整改措施清单",
        "附表:整改清单",
        " | ".join(HEADER),
        "1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9",
    ]
    assert dump(reading) == [
        "任务 1 table 行[6, 7] specific 分组:一、水污染问题",
        "  描述:问题甲。",
        "  牵头:县水利局",
        "  配合:县住建局",
        "  领导:王县长",
        "  时限:2024年底前|2024-12-31|",
        "  目标:目标甲",
        # Columns the reader has no field for, and a second value of a field: 备注, "列名:值".
        "  备注:备注:重点督办\n责任领导:李县长",
        "  措施1 行6:措施一",
        "  措施2 行6:措施二",
        "  措施3 行7:措施三",
        "任务 2 table 行[9, 10] specific 分组:一、水污染问题",
        "  描述:问题乙",
        "  牵头:县林业局",
        "  时限:明年||",
        "  目标:目标乙",
        "  备注:整改时限:2025年底前",
        "  措施1 行9:措施四。 [牵头 县林业局]",
        "! 9 warning:整改时限「明年」未能识别为日期,按原文保存。",
        "! 11 refused:「表后的说明文字。」未能识别为任务或措施,未导入。",
        "! 12 refused:表格没有可识别的表头(序号、反馈问题、责任单位、整改措施等),未导入。",
        "! 13 refused:表格没有可识别的表头(序号、反馈问题、责任单位、整改措施等),未导入。",
        "标题:某县督察反馈问题整改措施清单",
        "导语:某县督察反馈问题整改措施清单",
        "导语:附表:整改清单",  # a title row inside the table, above the header, before any task
    ]
    assert reading.describe()[2] == "识别的形式:Word表格 2 项"


def three_tables(document) -> None:  # type: ignore[no-untyped-def]
    add_table(document, ["序号", "问题描述", "责任单位", "整改措施"], [["1", "问题一。", "甲局", "措施一"]])
    document.add_paragraph("")
    table = add_table(
        document,
        ["序号", "问题描述", "责任单位", "整改目标", "整改措施", "责任人", "联系电话"],
        [
            ["2", "问题二。", "乙局、丙局", "目标和措施写在一格", "", "张三", "123"],
            ["3", "问题三。", "丁局", "", "措施三", "", ""],
        ],
    )
    row = table.rows[1]
    row.cells[3].merge(row.cells[4]).text = "目标和措施写在一格"  # across two columns: read once
    title = table.add_row()
    _move_to_top(table, title)
    title.cells[0].merge(title.cells[-1]).text = "表二"
    rows = [["说明", ""]] * 6 + [["序号", "反馈问题"], ["9", "太靠下的表头"]]
    late = document.add_table(rows=len(rows), cols=2)
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            late.cell(r, c).text = value


def test_a_title_row_after_the_first_task_and_a_header_too_far_down(tmp_path: Path) -> None:
    path = tmp_path / "方案.docx"
    path.write_bytes(docx_bytes(three_tables))
    refused = "表格没有可识别的表头(序号、反馈问题、责任单位、整改措施等),未导入。"
    assert dump(read_plan(path)) == [
        "任务 1 table 行[2] specific",
        "  描述:问题一。",
        "  责任:甲局",
        "  措施1 行2:措施一",
        "任务 2 table 行[6] specific",
        "  描述:问题二。",
        "  责任:乙局、丙局",
        "  责任人:张三",
        "  电话:123",
        "  目标:目标和措施写在一格",
        "任务 3 table 行[7] specific",
        "  描述:问题三。",
        "  责任:丁局",
        "  措施1 行7:措施三",
        "! 4 refused:表格表头上方的「表二」未导入。",
        # The header of the third table is its seventh row: only the first six are looked at.
        *(f"! {n} refused:{refused}" for n in range(8, 16)),
    ]


def paragraphs_and_tables(document) -> None:  # type: ignore[no-untyped-def]
    document.add_paragraph("某县整改方案")
    document.add_paragraph("一、问题一。")
    document.add_paragraph("责任单位:甲局")
    document.add_paragraph("整改措施:")
    document.add_paragraph("1. 措施一。")
    add_table(document, ["序号", "问题描述", "责任单位"], [["2", "问题二。", "乙局"]])
    document.add_paragraph("2. 措施二。")
    document.add_paragraph("整改时限:2025年底")
    document.add_paragraph("三、问题三。")
    add_table(document, ["序号", "问题描述", "责任单位"], [["4", "问题四。", "丙局"]])
    add_table(document, ["序号", "问题描述", "责任单位"], [["5", "问题五。", "丁局"]])
    document.add_paragraph("整改时限:2026年底")


def test_a_table_ends_the_task_above_it_and_a_line_right_above_a_table_is_no_task(tmp_path: Path) -> None:
    """The table closes task 1: "2. 措施二。" after it is a task of its own (a label follows), not task 1's
    measure; "三、问题三。" right above a table is its heading; a label after the tables, with no task
    open, is refused (the title above is not taken for a problem)."""
    path = tmp_path / "方案.docx"
    path.write_bytes(docx_bytes(paragraphs_and_tables))
    assert dump(read_plan(path)) == [
        "任务 1(自动) fields 行[2, 3, 4, 5] specific",
        "  描述:问题一。",
        "  责任:甲局",
        "  措施1 行5:措施一。",
        "任务 2(自动) table 行[7] specific",
        "  描述:问题二。",
        "  责任:乙局",
        "任务 3(自动) fields 行[8, 9] specific",
        "  描述:措施二。",
        "  时限:2025年底|2025-12-31|",
        "任务 4(自动) table 行[12] specific",
        "  描述:问题四。",
        "  责任:丙局",
        "任务 5(自动) table 行[14] specific",
        "  描述:问题五。",
        "  责任:丁局",
        "! None warning:方案中的序号有重复(几种编号混在一起),已按出现顺序重新编号为 1、2、3……。",
        "! 8 warning:该任务没有写明责任单位(或牵头单位)。",
        "! 15 refused:字段标注前面没有对应的问题描述",
        "标题:某县整改方案",
        "导语:某县整改方案",
    ]


LONG_DEADLINE = "等上级通知后再定" * 6
LONG_UNIT = "某某县某某乡镇某某村民委员会下属的某某合作社以及其他有关方面"


def edge_tables(document) -> None:  # type: ignore[no-untyped-def]
    document.add_paragraph("某县整改措施表")
    add_table(
        document,
        ["反馈问题", "其他", "", ""],
        [
            ["序号", "责任单位", "", ""],
            ["问题描述", "", "", ""],
            ["说明", "", "", ""],
            ["说明", "", "", ""],
            ["序号", "整改措施", "责任单位(牵头单位、配合单位)", ""],
            ["1 0.", "措施一", "县水利局牵头,县住建局配合", "额外"],
        ],
    )
    document.add_paragraph("")
    t5 = add_table(
        document, ["序号", "问题描述", "责任单位", "责任单位"], [["8", "问题八", LONG_UNIT, "乙局"]]
    )
    title = t5.add_row()
    t5._tbl.remove(title._tr)
    t5._tbl.insert(0, title._tr)
    title.cells[0].merge(
        title.cells[-1]
    ).text = "表二的标题很长很长很长很长很长很长很长很长很长很长很长很长很长"
    document.add_paragraph("")
    add_table(document, ["甲", "乙"], [["", ""], ["丙", ""]])
    document.add_paragraph("")
    t3 = add_table(
        document,
        ["序号", "问题描述", "整改时限"],
        [
            ["1", "2", "3"],
            ["4", "问题四", LONG_DEADLINE],
            ["4", "问题四补充", ""],
            ["5", "问题五", ""],
            ["6", "问题五", "2025年6月底前"],
            ["7", "", "2025年底前"],
            ["三、部分", "", ""],
            ["", "", "2026年底前"],
            ["", "", ""],
        ],
        merge_down={0: [(1, 2)], 1: [(3, 4)]},
    )
    row = t3.rows[7]
    row.cells[0].merge(row.cells[2]).text = "三、部分"
    document.add_paragraph("")
    t2 = add_table(document, ["序号", "问题描述"], [["二、部分", ""], ["1", "2"], ["3", "问题三"]])
    row = t2.rows[1]
    row.cells[0].merge(row.cells[1]).text = "二、部分"


def test_table_headers_found_or_not_continuations_sections_and_columns_without_a_field(
    tmp_path: Path,
) -> None:
    """Rows above the header that name one field, or two without 问题/措施, are not the header; a header in
    the sixth row is found. 序号 "1 0." is 10; a column 责任单位(牵头单位、配合单位) reads both roles; a
    column without a name goes to 备注 as 第4列; a second 责任单位 column too. A column-number row of three
    is skipped, of two it is a task. A row merged with the one above by 序号 only, or by 问题 only,
    continues it; a row with 序号 and no 问题 does not; after a section row nothing continues. An empty
    row of a table without header is not reported."""
    path = tmp_path / "方案.docx"
    path.write_bytes(docx_bytes(edge_tables))
    assert dump(read_plan(path)) == [
        "任务 10 table 行[8] specific",
        "  描述:措施一",
        "  牵头:县水利局",
        "  配合:县住建局",
        "  备注:第4列:额外",
        "  措施1 行8:措施一",
        "任务 8 table 行[12] specific",
        "  描述:问题八",
        "  责任:某某县某某乡镇某某村民委员会下属的某某合作社以及其他有关方面",
        "  备注:责任单位:乙局",
        "任务 4 table 行[20, 21] specific",
        "  描述:问题四\n问题四补充",
        "  时限:等上级通知后再定等上级通知后再定等上级通知后再定等上级通知后再定等上级通知后再定等上级通知后再定||",
        "任务 5 table 行[22, 23] specific",
        "  描述:问题五",
        "  时限:2025年6月底前|2025-06-30|",
        "任务 1 table 行[31] specific 分组:二、部分",
        "  描述:2",
        "任务 3 table 行[32] specific 分组:二、部分",
        "  描述:问题三",
        "! 8 warning:没有问题描述,取第一条措施作为描述。请核对。",
        "! 10 refused:表格表头上方的「表二的标题很长很长很长很长很长很长很长很长很长很长很长很长很」未导入。",
        "! 12 warning:单位「某某县某某乡镇某某村民委员会下属的某某合…」过长,可能不是单位名称,请核对。",
        "! 14 refused:表格没有可识别的表头(序号、反馈问题、责任单位、整改措施等),未导入。",
        "! 16 refused:表格没有可识别的表头(序号、反馈问题、责任单位、整改措施等),未导入。",
        "! 20 warning:整改时限「等上级通知后再定等上级通知后再定等上级通知后再定等上级通知后再定等上级通知后再定」未能识别为日期,按原文保存。",
        "! 20 warning:该任务没有写明责任单位(或牵头单位)。",
        "! 22 warning:该任务没有写明责任单位(或牵头单位)。",
        "! 24 refused:有序号但没有问题描述,该任务未导入。",
        "! 26 refused:有序号但没有问题描述,该任务未导入。",
        "! 31 warning:该任务没有写明责任单位(或牵头单位)。",
        "! 32 warning:该任务没有写明责任单位(或牵头单位)。",
        "标题:某县整改措施表",
        "导语:某县整改措施表",
        "导语:反馈问题 | 其他 |  |",
        "导语:序号 | 责任单位 |  |",
        "导语:问题描述 |  |  |",
        "导语:说明 |  |  |",
        "导语:说明 |  |  |",
    ]


def units_and_blank_serial_numbers(document) -> None:  # type: ignore[no-untyped-def]
    add_table(
        document,
        ["序号", "问题描述", "责任单位(牵头单位、配合单位)"],
        [["1", "问题一。", "县水利局牵头,县住建局配合,县财政局"], ["", "问题二。", "县林业局"]],
    )


def test_a_column_of_both_roles_and_a_row_without_serial_number(tmp_path: Path) -> None:
    """A name without a role word in the 牵头/配合 column is a responsible unit; a row with a problem and
    no 序号 is a task of its own (numbered by the reader), not the row above's continuation."""
    path = tmp_path / "方案.docx"
    path.write_bytes(docx_bytes(units_and_blank_serial_numbers))
    assert dump(read_plan(path)) == [
        "任务 1 table 行[2] specific",
        "  描述:问题一。",
        "  牵头:县水利局",
        "  责任:县财政局",
        "  配合:县住建局",
        "任务 2(自动) table 行[3] specific",
        "  描述:问题二。",
        "  责任:县林业局",
    ]
