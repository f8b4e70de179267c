"""Reading a unit's reply (unit_reply) on hand-made workbooks: which sheet, which header row, which
column means what, the title, the file name, the hidden identity sheet, group rows, merged answers and
the refusals; every expected value written out below (issue 24)."""

from __future__ import annotations

import os
from pathlib import Path

import openpyxl
import pytest

from ledger_app.io.excel_in import unit_reply
from ledger_app.io.excel_in.unit_reply import (
    ParsedReply,
    ReplyRow,
    header_field,
    read_unit_reply,
)
from ledger_app.io.import_plan import WorkbookRefused

NAME = "2026年11月-区水利局-整改进展月报表.xlsx"


def book(
    path: Path, sheets: dict[str, list[list[object]]], merges: dict[str, list[str]] | None = None
) -> Path:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
        for cells in (merges or {}).get(name, []):
            ws.merge_cells(cells)
    wb.save(path)
    return path


def rows_of(reply: ParsedReply) -> list[tuple[int, str, str, dict[str, str], list[str]]]:
    return [(r.row, r.group, r.identity, r.cells, r.notes) for r in reply.rows]


HEADER = [
    "序号",
    "问题描述",
    "整改时限",
    "本月进展",
    "完成情况",
    "存在困难",
    "下一步计划",
    "填报人",
    "电话",
    "任务标识(请勿修改)",
]


def test_a_clean_reply(tmp_path: Path) -> None:
    path = book(
        tmp_path / NAME,
        {
            "月报表": [
                ["区水利局 2026年11月 整改进展月报表"],
                ["填报说明:……"],
                HEADER,
                ["第二轮中央生态环境保护督察 反馈问题"],
                [
                    "1",
                    "黑臭水体",
                    "2026年12月底前",
                    "已完成清淤",
                    "序时推进",
                    "",
                    "",
                    "张三",
                    13800000000,
                    "12-DEADBEEF",
                ],
                ["2", "垃圾收运", "", "", "", "", "", "", "", "13-cafebabe"],
                ["", "", "", "", "", "", "", "", "", ""],
                ["3", "扬尘管控", "", "", "", "资金不足", "", "", "", ""],
            ],
            "填报标识": [
                ["台账标识", "ab12"],
                ["月份", "2026-11"],
                ["单位", "区水利局"],
                ["", "空键"],
                ["x" * 20, "长键"],
            ],
        },
        {"月报表": ["A4:I4"]},  # the heading across the visible columns, as the sheet has it
    )
    reply = read_unit_reply(path)
    assert (reply.path, reply.format, reply.sheet) == (str(path), "xlsx", "月报表")
    assert reply.stamp == {"台账标识": "ab12", "月份": "2026-11", "单位": "区水利局"}
    assert reply.stamp_month == (2026, 11)
    assert reply.title == "区水利局 2026年11月 整改进展月报表"
    assert (reply.title_unit, reply.title_month) == ("区水利局", (2026, 11))
    assert (reply.name_unit, reply.name_month) == ("区水利局", (2026, 11))
    assert reply.has_identity_column
    assert reply.notes == []
    group = "第二轮中央生态环境保护督察 反馈问题"
    assert rows_of(reply) == [
        (
            5,
            group,
            "12-DEADBEEF",
            {
                "seq": "1",
                "description": "黑臭水体",
                "deadline": "2026年12月底前",
                "progress": "已完成清淤",
                "status": "序时推进",
                "filler": "张三",
                "phone": "13800000000",
            },
            [],
        ),
        (6, group, "13-cafebabe", {"seq": "2", "description": "垃圾收运"}, []),
        (8, group, "", {"seq": "3", "description": "扬尘管控", "difficulties": "资金不足"}, []),
    ]
    first, second, third = reply.rows
    assert first.parsed_identity() == (12, "deadbeef")
    assert second.parsed_identity() == (13, "cafebabe")
    assert third.parsed_identity() is None
    assert (first.has_answer, second.has_answer, third.has_answer) == (True, False, True)
    assert first.get("progress") == "已完成清淤" and first.get("evidence") == ""


def test_moved_columns_hints_and_a_renamed_sheet_with_the_best_header(tmp_path: Path) -> None:
    """Columns are found by their words wherever they are; of two sheets the one whose header names
    more fields is the reply; a 序号 column alone does not make a group row when it holds a number."""
    path = book(
        tmp_path / "回复.xlsx",
        {
            "说明": [["本月进展", "备注"], ["写了点什么", ""]],  # a header of one field: not the reply
            "Sheet1": [
                [],
                [
                    "本月 整改进展 (必填)",
                    "★完成情况",
                    "序号",
                    "佐证材料清单(列出文件名)",
                    "困难和问题",
                    "标识",
                    "联系电话",
                ],
                ["管网完工", "已完成", "4", "照片3张", "", "20-00ff00ff", "010-1"],
                ["", "", "第二轮 自查问题", "", "", "", ""],
                ["无", "", "5", "", "", "", ""],
                ["", "", "", "", "", "", ""],
                ["", "", "6.1", "", "", "", ""],
            ],
        },
    )
    reply = read_unit_reply(path)
    assert reply.sheet == "Sheet1"
    assert reply.title == "" and reply.title_unit == "" and reply.title_month is None
    assert (reply.name_unit, reply.name_month) == ("", None)
    assert reply.stamp == {} and reply.stamp_month is None
    assert rows_of(reply) == [
        (
            3,
            "",
            "20-00ff00ff",
            {"progress": "管网完工", "status": "已完成", "seq": "4", "evidence": "照片3张", "phone": "010-1"},
            [],
        ),
        (5, "第二轮 自查问题", "", {"progress": "无", "seq": "5"}, []),
        (7, "第二轮 自查问题", "", {"seq": "6.1"}, []),
    ]


def test_merged_answers_are_read_for_each_row_with_a_note(tmp_path: Path) -> None:
    path = book(
        tmp_path / NAME,
        {
            "月报表": [
                ["标题以外的文字"],
                ["序号", "问题", "本月进展", "存在困难", "下步计划"],
                ["1", "甲", "两项一起说明", "缺资金", "继续"],
                ["2", "乙", None, None, None],
                ["第二轮 交办信访件", None, None, None, None],
                ["3", "丙", "单独", None, None],
            ]
        },
        {"月报表": ["C3:C4", "D3:E3", "A5:E5"]},
    )
    reply = read_unit_reply(path)
    assert reply.title == "标题以外的文字" and reply.title_unit == ""
    assert not reply.has_identity_column
    note = "填报列有跨行合并的单元格:合并格的内容按这一行也填写了读取"
    assert rows_of(reply) == [
        # D3:E3 across columns: the text belongs to 存在困难 only.
        (
            3,
            "",
            "",
            {"seq": "1", "description": "甲", "progress": "两项一起说明", "difficulties": "缺资金"},
            [],
        ),
        (4, "", "", {"seq": "2", "description": "乙", "progress": "两项一起说明"}, [note]),
        (6, "第二轮 交办信访件", "", {"seq": "3", "description": "丙", "progress": "单独"}, []),
    ]


def test_a_group_row_needs_a_wide_merge_or_a_lone_word(tmp_path: Path) -> None:
    path = book(
        tmp_path / NAME,
        {
            "月报表": [
                ["序号", "问题", "本月进展", "完成情况", "填报人"],
                ["第一组", None, None, None, None],  # merged over four columns: a group
                ["1", "甲", "进展", "", ""],
                ["第二组", "", "", "", ""],  # alone in 序号: a group
                ["2", "乙", "", "", ""],
                ["第三组", "有问题", "", "", ""],  # not alone: a task row
                ["短合并", None, None, "", ""],  # merged over three columns: shows in 问题 too, a task row
                ["12-34", "", "", "", ""],  # a number-like 序号 alone: a task row
                ["第四组", None, None, None, None],  # merged over all five: a group
                ["3", "丙", "", "", ""],
            ]
        },
        {"月报表": ["A2:D2", "A7:C7", "A9:E9"]},
    )
    reply = read_unit_reply(path)
    assert [(r.row, r.group, r.cells) for r in reply.rows] == [
        (3, "第一组", {"seq": "1", "description": "甲", "progress": "进展"}),
        (5, "第二组", {"seq": "2", "description": "乙"}),
        (6, "第二组", {"seq": "第三组", "description": "有问题"}),
        (7, "第二组", {"seq": "短合并", "description": "短合并"}),
        (8, "第二组", {"seq": "12-34"}),
        (10, "第四组", {"seq": "3", "description": "丙"}),
    ]


def test_an_identity_in_the_row_stops_it_being_a_group(tmp_path: Path) -> None:
    path = book(
        tmp_path / NAME,
        {"月报表": [["序号", "本月进展", "标识"], ["分组", "", "9-0000000a"], ["分组二", "", ""]]},
    )
    reply = read_unit_reply(path)
    assert [(r.row, r.group, r.identity, r.cells) for r in reply.rows] == [
        (2, "", "9-0000000a", {"seq": "分组"})
    ]


def test_the_header_is_the_row_naming_most_fields_in_the_first_thirty(tmp_path: Path) -> None:
    rows: list[list[object]] = [[f"说明{n}"] for n in range(3)]
    rows.append(["本月进展", "序号"])  # two fields
    rows.append(["本月进展", "序号", "完成情况"])  # three: this one
    rows.append(["1", "x" * 41, 5])
    rows.append(["进展", "7", "已完成"])
    reply = read_unit_reply(book(tmp_path / NAME, {"月报表": rows}))
    assert reply.title == "说明0"
    assert [(r.row, r.cells) for r in reply.rows] == [
        (6, {"progress": "1", "seq": "x" * 41, "status": "5"}),
        (7, {"progress": "进展", "seq": "7", "status": "已完成"}),
    ]
    # A header below row 30 is not looked for.
    late = [[f"说明{n}"] for n in range(30)] + [["本月进展", "序号"], ["a", "1"]]
    with pytest.raises(WorkbookRefused) as caught:
        read_unit_reply(book(tmp_path / "late.xlsx", {"月报表": late}))
    assert caught.value.message_zh == "没有找到月报表:没有哪个工作表有“本月进展”等填报列的表头。"
    # Row 30 itself is.
    edge = [[f"说明{n}"] for n in range(29)] + [["本月进展", "序号"], ["a", "1"]]
    reply = read_unit_reply(book(tmp_path / "edge.xlsx", {"月报表": edge}))
    assert [(r.row, r.cells) for r in reply.rows] == [(31, {"progress": "a", "seq": "1"})]


def test_header_words_that_are_not_a_header(tmp_path: Path) -> None:
    rows: list[list[object]] = [
        ["本月进展"],  # one field
        ["序号", "问题", "完成情况"],  # no 本月进展
        ["本月进展" + "很长" * 20, "序号"],  # over 40 characters
        ["本月进展", "本月进展", "序号", 3],  # the same field twice counts once; a number is no header
        ["a", "b", "1", "c"],
    ]
    reply = read_unit_reply(book(tmp_path / NAME, {"月报表": rows}))
    assert [(r.row, r.cells) for r in reply.rows] == [(5, {"progress": "a", "seq": "1"})]
    assert reply.title == "本月进展"


def test_title_and_file_name_with_invalid_months(tmp_path: Path) -> None:
    path = book(
        tmp_path / "1989年13月-区住建局-整改进展月报表.xlsx",
        {
            "月报表": [
                [None, "区住建局2026年13月整改进展月报表(第二版)"],
                ["本月进展", "序号"],
                ["有", "1"],
            ],
            "填报标识": [["月份", "2026-13"]],
        },
    )
    reply = read_unit_reply(path)
    assert reply.title == "区住建局2026年13月整改进展月报表(第二版)"
    assert (reply.title_unit, reply.title_month) == ("区住建局", None)
    assert (reply.name_unit, reply.name_month) == ("区住建局", None)
    assert reply.stamp_month is None


def test_months_and_years_at_their_limits(tmp_path: Path) -> None:
    for stem, month in [
        ("1990年1月-甲-整改进展月报表", (1990, 1)),
        ("2100年12月-甲-整改进展月报表", (2100, 12)),
        ("2101年1月-甲-整改进展月报表", None),
        ("2026年0月-甲-整改进展月报表", None),
        ("2026 年 3 月_甲 整改进展月报表", (2026, 3)),
    ]:
        path = book(tmp_path / f"{stem}.xlsx", {"月报表": [["本月进展", "序号"]]})
        reply = read_unit_reply(path)
        assert (reply.name_unit, reply.name_month) == ("甲", month), stem
    assert unit_reply._month(" 2026-1 ") == (2026, 1)
    assert unit_reply._month("2026-12") == (2026, 12)
    assert unit_reply._month("2026-0") is None
    assert unit_reply._month("2026/11") is None


def test_formulas_are_read_as_last_saved_with_a_note(tmp_path: Path) -> None:
    path = book(tmp_path / NAME, {"月报表": [["本月进展", "序号"], ["=1+1", "1"]]})
    reply = read_unit_reply(path)
    assert "表中有公式:按Excel最后一次保存的计算结果读取。" in reply.notes


def test_header_words() -> None:
    assert header_field("任务标识(请勿修改)") == "identity"
    assert header_field(" 本 月\u3000进 展 ") == "progress"
    assert header_field("※完成情况（下拉选择）") == "status"
    assert header_field("佐证材料清单(列出文件名)") == "evidence"
    assert header_field("存在困难和问题") == "difficulties"
    assert header_field("下一步工作计划") == "next_steps"
    assert header_field("整改目标") == "goal"
    assert header_field("完成时限") == "deadline"
    assert header_field("整改措施") == "measures"
    assert header_field("备注") is None
    assert header_field("(本月进展)") is None  # only a hint after the word is removed
    row = ReplyRow(3, "")
    assert row.parsed_identity() is None and not row.has_answer and row.get("seq") == ""
    row.identity = " 7-ABCDEF12 "
    assert row.parsed_identity() == (7, "abcdef12")
    row.identity = "1234567890123-abcdef12"
    assert row.parsed_identity() is None  # more than twelve digits
    row.cells["filler"] = "张三"
    assert row.has_answer


def test_files_that_are_refused(tmp_path: Path) -> None:
    with pytest.raises(WorkbookRefused) as caught:
        read_unit_reply(tmp_path)
    assert caught.value.message_zh == f"「{tmp_path.name}」是文件夹,不是Excel文件。"
    with pytest.raises(WorkbookRefused) as caught:
        read_unit_reply(tmp_path / "没有.xlsx")
    assert caught.value.message_zh == f"找不到文件「{tmp_path / '没有.xlsx'}」。"
    big = tmp_path / "big.xlsx"
    with open(big, "wb") as fh:
        fh.truncate(unit_reply.MAX_FILE_BYTES + 1)
    with pytest.raises(WorkbookRefused) as caught:
        read_unit_reply(big)
    assert (
        caught.value.message_zh
        == f"文件过大({(unit_reply.MAX_FILE_BYTES + 1) // (1024 * 1024)} MB),不像是月报表。"
    )
    exact = tmp_path / "exact.xlsx"
    with open(exact, "wb") as fh:
        fh.truncate(unit_reply.MAX_FILE_BYTES)
    with pytest.raises(WorkbookRefused) as caught:  # refused later, as no workbook, not as too large
        read_unit_reply(exact)
    assert "过大" not in caught.value.message_zh
    if os.name == "posix" and os.geteuid() != 0:
        locked = book(tmp_path / "locked.xlsx", {"月报表": [["本月进展", "序号"]]})
        locked.chmod(0)
        with pytest.raises(WorkbookRefused) as caught:
            read_unit_reply(locked)
        assert caught.value.message_zh.startswith("无法读取「locked.xlsx」:")
    no_header = book(tmp_path / "none.xlsx", {"Sheet": [["序号", "问题"], ["1", "甲"]]})
    with pytest.raises(WorkbookRefused):
        read_unit_reply(no_header)


def test_every_header_word() -> None:
    words = {
        "序号": "seq",
        "问题": "description",
        "问题描述": "description",
        "反馈问题": "description",
        "存在问题": "description",
        "整改任务": "description",
        "整改措施": "measures",
        "整改时限": "deadline",
        "完成时限": "deadline",
        "整改目标": "goal",
        "本月进展": "progress",
        "本月整改进展": "progress",
        "整改进展": "progress",
        "进展情况": "progress",
        "整改进展情况": "progress",
        "完成情况": "status",
        "存在困难": "difficulties",
        "存在困难和问题": "difficulties",
        "困难和问题": "difficulties",
        "下步计划": "next_steps",
        "下一步计划": "next_steps",
        "下一步工作计划": "next_steps",
        "佐证材料清单": "evidence",
        "佐证材料": "evidence",
        "填报人": "filler",
        "联系电话": "phone",
        "电话": "phone",
    }
    assert {word: header_field(word) for word in words} == words


@pytest.mark.parametrize("field", ["status", "evidence", "phone", "difficulties", "next_steps", "filler"])
def test_any_answer_column_alone_is_an_answer(field: str) -> None:
    assert ReplyRow(1, "", cells={field: "x"}).has_answer
    assert not ReplyRow(
        1, "", cells={"seq": "1", "description": "x", "deadline": "y", "goal": "z"}
    ).has_answer


def test_merged_status_and_evidence_cells_are_noted_too(tmp_path: Path) -> None:
    path = book(
        tmp_path / NAME,
        {
            "月报表": [
                ["序号", "本月进展", "完成情况", "佐证材料", "电话"],
                ["1", "甲", "已完成", "照片", "123"],
                ["2", "乙", None, None, None],
                ["3", "丙", "滞后", "无", "456"],
                ["4", "丁", None, "图", "789"],
            ]
        },
        {"月报表": ["C2:C3", "D4:D5"]},
    )
    note = "填报列有跨行合并的单元格:合并格的内容按这一行也填写了读取"
    reply = read_unit_reply(str(path))  # a str path as well as a Path
    assert [(r.row, r.cells, r.notes) for r in reply.rows] == [
        (2, {"seq": "1", "progress": "甲", "status": "已完成", "evidence": "照片", "phone": "123"}, []),
        (3, {"seq": "2", "progress": "乙", "status": "已完成"}, [note]),
        (4, {"seq": "3", "progress": "丙", "status": "滞后", "evidence": "无", "phone": "456"}, []),
        (5, {"seq": "4", "progress": "丁", "evidence": "无", "phone": "789"}, [note]),
    ]


def test_of_two_sheets_alike_the_first_is_the_reply_and_of_two_headers_the_first(tmp_path: Path) -> None:
    path = book(
        tmp_path / NAME,
        {
            "甲表": [["本月进展", "序号"], ["第一张", "1"]],
            "乙表": [["本月进展", "序号"], ["第二张", "1"]],
        },
    )
    reply = read_unit_reply(path)
    assert reply.sheet == "甲表" and reply.rows[0].get("progress") == "第一张"
    path = book(
        tmp_path / "two.xlsx",
        {"月报表": [["本月进展", "序号"], ["a", "1"], ["本月进展", "填报人"], ["b", "张"]]},
    )
    reply = read_unit_reply(path)
    # The first header wins a tie; the second header row is then a row of its own.
    assert [(r.row, r.cells) for r in reply.rows] == [
        (2, {"progress": "a", "seq": "1"}),
        (3, {"progress": "本月进展", "seq": "填报人"}),
        (4, {"progress": "b", "seq": "张"}),
    ]


def test_a_header_of_one_field_is_no_header(tmp_path: Path) -> None:
    with pytest.raises(WorkbookRefused):
        read_unit_reply(book(tmp_path / NAME, {"月报表": [["本月进展"], ["a"]]}))


def test_header_cells_of_forty_characters_and_more(tmp_path: Path) -> None:
    forty = "本月进展(" + "请" * 34 + ")"  # 40 characters: read, the hint removed
    assert len(forty) == 40 and header_field(forty) == "progress"
    reply = read_unit_reply(book(tmp_path / NAME, {"月报表": [[forty, "序号"], ["a", "1"]]}))
    assert [r.cells for r in reply.rows] == [{"progress": "a", "seq": "1"}]
    too_long = "本月进展(" + "请" * 35 + ")"
    with pytest.raises(WorkbookRefused):
        read_unit_reply(book(tmp_path / "long.xlsx", {"月报表": [[too_long, "序号"], ["a", "1"]]}))


def test_the_title_is_column_a_first_then_the_first_text_of_the_row(tmp_path: Path) -> None:
    path = book(tmp_path / NAME, {"月报表": [["标题在A", "别的"], ["本月进展", "序号"], ["a", "1"]]})
    assert read_unit_reply(path).title == "标题在A"
    # The sheet's first rows empty (read from row 3): the row's own cells are searched.
    path = book(
        tmp_path / "b.xlsx",
        {"月报表": [[], [], [None, "标题在B", "又一个"], ["本月进展", "序号"], ["a", "1"]]},
    )
    reply = read_unit_reply(path)
    assert reply.title == "标题在B"
    assert [(r.row, r.cells) for r in reply.rows] == [(5, {"progress": "a", "seq": "1"})]
    long_title = "长" * 301
    path = book(tmp_path / "c.xlsx", {"月报表": [[long_title], ["本月进展", "序号"], ["a", "1"]]})
    assert read_unit_reply(path).title == "长" * 300


def test_the_identity_sheet_limits(tmp_path: Path) -> None:
    stamp: list[list[object]] = [[f"键{n}", f"值{n}"] for n in range(1, 20)]  # rows 1–19
    stamp.append(["第二十行", "v" * 501])  # row 20: read, the value cut at 500
    stamp.append(["第二十一行", "不读"])  # row 21: not read
    stamp.append(["k" * 19, "十九个字符的键"])
    path = book(tmp_path / NAME, {"填报标识": stamp, "月报表": [["本月进展", "序号"]]})
    got = read_unit_reply(path).stamp
    assert got == {**{f"键{n}": f"值{n}" for n in range(1, 20)}, "第二十行": "v" * 500}
    stamp = [["k" * 19, "十九个字符的键"], ["单独一格"]]
    path = book(tmp_path / "b.xlsx", {"填报标识": stamp, "月报表": [["本月进展", "序号"]]})
    # The sheet is two columns wide: the lone cell's row has an empty second cell.
    assert read_unit_reply(path).stamp == {"k" * 19: "十九个字符的键", "单独一格": ""}
    # One column wide: rows of one value hold no key and value.
    path = book(tmp_path / "c.xlsx", {"填报标识": [["单独一格"]], "月报表": [["本月进展", "序号"]]})
    assert read_unit_reply(path).stamp == {}


def test_a_year_before_1990_in_the_file_name(tmp_path: Path) -> None:
    path = book(tmp_path / "1989年12月-甲-整改进展月报表.xlsx", {"月报表": [["本月进展", "序号"]]})
    assert read_unit_reply(path).name_month is None


def test_a_wide_group_row_when_the_serial_number_is_not_the_first_column(tmp_path: Path) -> None:
    path = book(
        tmp_path / NAME,
        {
            "月报表": [
                ["本月进展", "填报人", "序号", "问题", "整改时限", "整改目标"],
                ["", "", "第一组", None, None, None],  # C2:F2: three columns past 序号, a group
                ["a", "", "1", "甲", "", ""],
                ["", "", "不是组", None, "", ""],  # C4:D4: one column past 序号, and 问题 shows it
                ["b", "", "2", "乙", "", ""],
            ]
        },
        {"月报表": ["C2:F2", "C4:D4"]},
    )
    reply = read_unit_reply(path)
    assert [(r.row, r.group, r.cells) for r in reply.rows] == [
        (3, "第一组", {"progress": "a", "seq": "1", "description": "甲"}),
        (4, "第一组", {"seq": "不是组", "description": "不是组"}),
        (5, "第一组", {"progress": "b", "seq": "2", "description": "乙"}),
    ]


def test_macros_are_noted(tmp_path: Path) -> None:
    import zipfile

    path = book(tmp_path / NAME, {"月报表": [["本月进展", "序号"], ["a", "1"]]})
    with zipfile.ZipFile(path, "a") as zf:
        zf.writestr("xl/vbaProject.bin", b"\x00" * 16)
    reply = read_unit_reply(path)
    assert reply.notes == ["工作簿包含宏(VBA):导入只读取单元格中的值,不会运行宏。"]


def test_a_path_under_a_file_cannot_be_read(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    with pytest.raises(WorkbookRefused) as caught:
        read_unit_reply(tmp_path / "file" / "reply.xlsx")
    assert caught.value.message_zh.startswith("无法读取「reply.xlsx」:")
