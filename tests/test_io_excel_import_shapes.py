"""Ledger shapes county offices really keep, read as a clerk would check them.

Each workbook is small and built here; .xlsx and .xls where the file format could change what is read
(merged cells, dates, numbers stored as text). Text is typed as a Chinese IME types it: full-width
（）：，；.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from ledger_app.domain.deadlines import parse_deadline
from ledger_app.domain.model import TaskStatus
from ledger_app.io.excel_in.status import looks_like_status, read_closed_flag, read_status
from ledger_app.io.excel_in.units import UnitReader
from ledger_app.io.excel_in.workbook import ImportPlan, read_ledger_workbook
from tests.xlsx_factory import SheetSpec, write_xls, write_xlsx

S = TaskStatus
FORMATS = ["xlsx", "xls"]


def read(tmp_path: Path, sheet: SheetSpec, fmt: str = "xlsx") -> ImportPlan:
    path = tmp_path / f"台账.{fmt}"
    (write_xlsx if fmt == "xlsx" else write_xls)(path, [sheet])
    return read_ledger_workbook(path)


def fields(plan: ImportPlan) -> dict[str, str]:
    return {c.header: c.field for c in plan.columns}


# -- header words -----------------------------------------------------------------------------------
@pytest.mark.parametrize("fmt", FORMATS)
def test_header_words_of_other_offices(tmp_path: Path, fmt: str) -> None:
    sheet = SheetSpec("台账")
    sheet.row(
        0, ["编 号", "反馈意见", "整改主体", "整改完成时限", "整改标准", "整改措施", "整改成效", "销号情况"]
    )
    sheet.row(
        1,
        [
            1,
            "污水直排",
            "县住建局",
            "2024年12月31日前",
            "稳定达标",
            "1．截污；\n2．纳管。",
            "已完成",
            "已销号",
        ],
    )
    sheet.row(2, [2, "扬尘污染", "县城管局", "2024.12", "达标", "洒水", "正在整改", "未销号"])
    plan = read(tmp_path, sheet, fmt)
    assert fields(plan) == {
        "编 号": "seq", "反馈意见": "description", "整改主体": "responsible_units", "整改完成时限": "deadline",
        "整改标准": "goal", "整改措施": "measures", "整改成效": "status", "销号情况": "closed_flag",
    }  # fmt: skip
    first, second = plan.tasks
    assert (first.seq, first.responsible_units, first.goal) == ("1", ["县住建局"], "稳定达标")
    assert [m.text for m in first.measures] == ["截污", "纳管。"]
    assert (first.status, second.status) == (S.CLOSED, S.IN_PROGRESS)
    assert second.deadline.date == date(2024, 12, 31)
    assert not plan.unmapped and not plan.refused


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("序\n号", "seq"), ("问题清单", "description"), ("具体问题", "description"), ("问题内容", "description"),
        ("整改责任单位", "responsible_units"), ("责任部门", "responsible_units"), ("牵头部门", "lead_units"),
        ("完成时间", "deadline"), ("计划完成时间", "deadline"), ("整改要求", "goal"), ("整改标准", "goal"),
        ("整改完成情况", "progress"), ("目前进展", "progress"), ("工作进展", "progress"), ("推进情况", "progress"),
        ("整改成效", "progress"), ("是否完成整改", "done_flag"), ("完成整改", "done_flag"),
        ("分管领导", "leader"), ("责任人", "contact"), ("联系人", "contact"), ("联系人及电话", "contact"),
        ("联系电话", "contact_phone"), ("联系方式", "contact_phone"), ("督察组", None),
    ],
)  # fmt: skip
def test_more_header_names(header: str, field: str | None) -> None:
    from ledger_app.io.excel_in.header import field_for

    assert field_for(header) == field


def test_contact_person_and_phone_reach_the_task(tmp_path: Path) -> None:
    sheet = SheetSpec("台账")
    sheet.row(0, ["序号", "问题描述", "责任单位", "责任领导", "责任人", "联系电话"])
    sheet.row(1, [1, "污水直排", "县住建局", "王副县长", "李明", "13900001111"])
    plan = read(tmp_path, sheet)
    task = plan.tasks[0]
    assert (task.leader, task.contact, task.contact_phone, task.note) == (
        "王副县长",
        "李明",
        "13900001111",
        "",
    )
    record = task.to_record(round_name="第二轮省督察")
    assert (record.contact, record.contact_phone) == ("李明", "13900001111")
    assert plan.to_json()["tasks"][0]["contact_phone"] == "13900001111"


def test_a_column_of_name_and_phone_is_split(tmp_path: Path) -> None:
    sheet = SheetSpec("台账")
    sheet.row(0, ["序号", "问题描述", "责任单位", "联系人及电话"])
    sheet.row(1, [1, "甲", "县住建局", "张三 13900001111"])
    sheet.row(2, [2, "乙", "县水利局", "李四（0731-88888888）"])
    sheet.row(3, [3, "丙", "县林业局", "王五"])
    plan = read(tmp_path, sheet)
    assert [(t.contact, t.contact_phone) for t in plan.tasks] == [
        ("张三", "13900001111"),
        ("李四", "0731-88888888"),
        ("王五", ""),
    ]


def test_is_it_done_column_of_yes_and_no(tmp_path: Path) -> None:
    sheet = SheetSpec("台账")
    sheet.row(0, ["序号", "问题描述", "责任单位", "整改进展", "是否完成整改"])
    sheet.row(1, [1, "甲", "县住建局", "已完成截污纳管", "是"])
    sheet.row(2, [2, "乙", "县水利局", "正在施工", "否"])
    sheet.row(3, [3, "丙", "县林业局", "", "已验收"])
    sheet.row(4, [4, "丁", "县交通局", "", "不清楚"])
    plan = read(tmp_path, sheet)
    assert [t.status for t in plan.tasks] == [S.COMPLETED, S.IN_PROGRESS, S.ACCEPTED, S.NOT_STARTED]
    assert plan.tasks[0].status_raw == "是否完成整改:是"
    [warning] = [i for i in plan.warnings if "是否完成整改" in i.reason_zh]
    assert warning.row == 5 and warning.column == "E"


# -- above the header -------------------------------------------------------------------------------
@pytest.mark.parametrize("fmt", FORMATS)
def test_annex_line_document_number_and_a_title_over_two_rows(tmp_path: Path, fmt: str) -> None:
    sheet = SheetSpec("Sheet1")
    sheet.put(0, 1, "附件1")
    sheet.merge(1, 1, 1, 6, "青政办〔2024〕12号")
    sheet.merge(2, 1, 3, 6, "青溪县第二轮中央生态环境保护督察反馈问题整改落实情况台账")
    sheet.row(4, ["序号", "问题描述", "责任单位", "整改时限", "整改措施", "完成情况"], start=1)
    sheet.row(5, [1, "污水直排", "县住建局", "2024年12月31日前", "截污", "正在整改"], start=1)
    plan = read(tmp_path, sheet, fmt)
    assert plan.title == "青溪县第二轮中央生态环境保护督察反馈问题整改落实情况台账"
    assert plan.preamble[:2] == ["附件1", "青政办〔2024〕12号"]
    assert plan.header_rows == [5]
    assert plan.columns[0].letter == "B" and plan.tasks[0].seq == "1"


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_short_title_merged_over_the_table_is_no_header_row(tmp_path: Path, fmt: str) -> None:
    sheet = SheetSpec("台账")
    sheet.merge(0, 0, 0, 5, "整改台账")
    sheet.row(1, ["序号", "问题描述", "责任单位", "整改时限", "整改措施", "完成情况"])
    sheet.row(2, [1, "污水直排", "县住建局", "2024年底前", "截污", "已完成"])
    plan = read(tmp_path, sheet, fmt)
    assert plan.header_rows == [2] and plan.title == "整改台账"
    assert [c.header for c in plan.columns][:2] == ["序号", "问题描述"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_merged_group_header_over_progress_status_and_close_out(tmp_path: Path, fmt: str) -> None:
    sheet = SheetSpec("台账")
    sheet.merge(0, 0, 0, 7, "某县生态环境保护督察反馈问题整改落实情况台账")
    for col, name in enumerate(["序号", "问题描述", "责任单位", "整改时限", "整改措施"]):
        sheet.merge(1, col, 2, col, name)
    sheet.merge(1, 5, 1, 7, "整改情况")
    sheet.row(2, ["整改进展", "完成情况", "是否销号"], start=5)
    sheet.row(3, [1, "甲", "县住建局", "2024年底前", "措施", "已开工建设", "序时推进", "否"])
    sheet.row(4, [2, "乙", "县水利局", "2024年6月底前", "措施", "已完成", "已完成", "是"])
    sheet.row(5, [3, "丙", "县林业局", "长期坚持", "措施", "持续推进中", "持续整改", "待销号"])
    plan = read(tmp_path, sheet, fmt)
    assert plan.header_rows == [2, 3]
    mapped = fields(plan)
    assert mapped["整改情况/整改进展"] == "progress" and mapped["整改情况/完成情况"] == "status"
    assert mapped["整改情况/是否销号"] == "closed_flag"
    assert [t.status for t in plan.tasks] == [S.IN_PROGRESS, S.CLOSED, S.IN_PROGRESS]
    assert plan.tasks[0].progress == "已开工建设"


# -- full-width punctuation as typed on a Chinese IME --------------------------------------------
@pytest.mark.parametrize("fmt", FORMATS)
def test_full_width_punctuation_in_units_measures_and_progress(tmp_path: Path, fmt: str) -> None:
    sheet = SheetSpec("台账")
    sheet.row(0, ["序号", "问题描述", "责任单位（牵头单位、配合单位）", "整改时限", "整改措施", "整改进展"])
    sheet.row(1, ["1、", "污水超标。", "牵头单位：县住建局  配合单位：县水利局、各乡镇（街道）", "2024年12月31日前",
                  "1．加快扩容；\n2．完善管网。", "2024年3月5日：完成招标。"])  # fmt: skip
    sheet.row(2, ["2、", "扬尘。", "县住建局（牵头），县水利局、县林业局（配合）", "2024年底前",
                  "（1）洒水；（2）覆盖。（县城管局牵头，各乡镇配合）", ""])  # fmt: skip
    sheet.row(3, ["注：本表由各单位每月5日前报送。"])
    plan = read(tmp_path, sheet, fmt)
    first, second = plan.tasks
    assert (first.seq, first.lead_units, first.cooperating_units) == (
        "1",
        ["县住建局"],
        ["县水利局", "各乡镇（街道）"],
    )
    assert [m.text for m in first.measures] == ["加快扩容", "完善管网。"]
    assert first.progress_entries == [(date(2024, 3, 5), "完成招标。")]
    assert (second.lead_units, second.responsible_units, second.cooperating_units) == (
        ["县住建局"],
        [],
        ["县水利局", "县林业局"],
    )
    # The measure keeps its text as written; the units it names are read from it.
    assert [m.text for m in second.measures] == ["洒水", "覆盖。（县城管局牵头，各乡镇配合）"]
    assert second.measures[1].lead_units == ["县城管局"] and second.measures[1].cooperating_units == [
        "各乡镇"
    ]
    assert not plan.issues  # the 注： line is a footer, not an empty template row


@pytest.mark.parametrize(
    ("text", "lead", "responsible", "cooperating"),
    [
        ("牵头单位：县住建局  配合单位：县水利局", ["县住建局"], [], ["县水利局"]),
        ("县住建局(牵头),县水利局、县林业局(配合)", ["县住建局"], [], ["县水利局", "县林业局"]),
        ("县住建局牵头，县水利局、各乡镇配合", ["县住建局"], [], ["县水利局", "各乡镇"]),
        ("县住建局牵头、县水利局配合", ["县住建局"], [], ["县水利局"]),
        ("县住建局、县水利局（配合）", [], ["县住建局"], ["县水利局"]),
        ("各乡镇（街道）、县直有关部门", [], ["各乡镇（街道）", "县直有关部门"], []),
        ("县住建局、县水利局等相关部门", [], ["县住建局", "县水利局"], []),
        ("县委宣传部、县生态环境局等县直相关单位", [], ["县委宣传部", "县生态环境局"], []),
    ],
)
def test_unit_cells_as_offices_write_them(
    text: str, lead: list[str], responsible: list[str], cooperating: list[str]
) -> None:
    roles = UnitReader().roles(text)
    assert (list(roles.lead), list(roles.responsible), list(roles.cooperating)) == (
        lead,
        responsible,
        cooperating,
    )


# -- status words and deadlines ----------------------------------------------------------------------
@pytest.mark.parametrize(
    ("word", "status", "lagging"),
    [
        ("已整改", S.COMPLETED, False), ("整改完成", S.COMPLETED, False), ("已完成整改", S.COMPLETED, False),
        ("正在整改", S.IN_PROGRESS, False), ("持续整改", S.IN_PROGRESS, False),
        ("达到序时进度", S.IN_PROGRESS, False), ("未达序时进度", S.IN_PROGRESS, True),
        ("未达到序时进度要求", S.IN_PROGRESS, True), ("已完成待验收", S.COMPLETED, False),
        ("阶段性完成", S.IN_PROGRESS, False), ("已办结", S.COMPLETED, False), ("未销号", S.IN_PROGRESS, False),
        ("申请销号", S.COMPLETED, False), ("已完成，申请销号", S.COMPLETED, False), ("待销号", S.COMPLETED, False),
        ("已完成80%", S.IN_PROGRESS, False), ("完成100%", S.COMPLETED, False),
    ],
)  # fmt: skip
def test_status_words(word: str, status: TaskStatus, lagging: bool) -> None:
    reading = read_status(word)
    assert reading.status is status
    assert bool(reading.note) is lagging


def test_close_out_flags_and_progress_that_only_looks_like_a_status() -> None:
    assert [read_closed_flag(w) for w in ("已销号", "未销号", "待销号", "申请销号", "是")] == [
        True,
        False,
        False,
        False,
        True,
    ]
    assert not looks_like_status("截至目前，已完成80%")
    assert looks_like_status("已完成")


@pytest.mark.parametrize(
    ("text", "day", "long_term"),
    [
        ("2024年12月31日前", date(2024, 12, 31), False), ("2024.12", date(2024, 12, 31), False),
        ("2024.12.31", date(2024, 12, 31), False), ("2024-12-31", date(2024, 12, 31), False),
        ("2024.12.31日前", date(2024, 12, 31), False), ("2024年底前完成，长期坚持", date(2024, 12, 31), False),
        ("持续推进", None, True), ("长期", None, True), ("长期坚持、常抓不懈", None, True), ("立即整改", None, True),
        ("45291", date(2023, 12, 31), False),
    ],
)  # fmt: skip
def test_deadline_texts(text: str, day: date | None, long_term: bool) -> None:
    deadline = parse_deadline(text)
    assert (deadline.date, deadline.long_term) == (day, long_term)


@pytest.mark.parametrize("fmt", FORMATS)
def test_deadline_cells_text_serial_and_date(tmp_path: Path, fmt: str) -> None:
    sheet = SheetSpec("台账")
    sheet.row(0, ["序号", "问题描述", "责任单位", "整改时限"])
    sheet.row(1, [1, "甲", "县住建局", "45291"])
    sheet.row(2, [2, "乙", "县住建局", date(2024, 6, 30)])
    sheet.row(3, [3, "丙", "县住建局", "2024年底前基本完成"])
    plan = read(tmp_path, sheet, fmt)
    assert [t.deadline.date for t in plan.tasks] == [date(2023, 12, 31), date(2024, 6, 30), None]
    [warning] = [i for i in plan.warnings if "整改时限" in i.reason_zh]
    assert warning.row == 4  # "基本完成" is not 完成: kept as text, reported


# -- rows ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("fmt", FORMATS)
def test_dated_progress_lines_totals_template_tail_and_fill_in_notes(tmp_path: Path, fmt: str) -> None:
    sheet = SheetSpec("台账")
    sheet.row(0, ["序号", "问题描述", "责任单位", "整改进展", "完成情况"])
    sheet.row(1, [1, "甲", "县住建局", "2024.3.5：完成招标。\n2024.4.10：开工建设。", "正在整改"])
    sheet.row(2, [2, "乙", "县水利局", "截至目前，已完成80%。", ""])
    sheet.row(3, ["合计：共2项，已完成0项"])
    sheet.row(4, [3])
    sheet.row(5, [4])
    sheet.row(6, ["填表说明：1.本表每月5日前报送；2.完成情况填写已完成、序时推进或滞后。"])
    sheet.row(7, ["1.序号按问题清单填写。"])
    plan = read(tmp_path, sheet, fmt)
    first, second = plan.tasks
    assert first.progress_entries == [(date(2024, 3, 5), "完成招标。"), (date(2024, 4, 10), "开工建设。")]
    assert (second.progress_entries, second.status) == ([], S.IN_PROGRESS)
    assert [i.row for i in plan.warnings] == [4, 5]  # the 合计 row and the numbered rows 5–6
    assert not plan.refused


@pytest.mark.parametrize("fmt", FORMATS)
def test_measure_rows_mixed_with_one_row_tasks(tmp_path: Path, fmt: str) -> None:
    sheet = SheetSpec("台账")
    sheet.row(0, ["序号", "问题描述", "整改措施", "责任单位", "整改时限", "完成情况"])
    sheet.merge(1, 0, 3, 0, 1)
    sheet.merge(1, 1, 3, 1, "甲")
    sheet.row(1, ["1.截污", "县住建局", "2024年6月底前", "已完成"], start=2)
    sheet.row(2, ["2.纳管", "县水利局", "2024年12月底前", "正在整改"], start=2)
    sheet.row(3, ["3.巡查", "县住建局、县林业局", "长期坚持", "持续整改"], start=2)
    sheet.row(4, [2, "乙", "洒水", "县城管局", "2024.12", "已完成"])
    plan = read(tmp_path, sheet, fmt)
    first, second = plan.tasks
    assert first.rows == [2, 3, 4] and first.responsible_units == ["县住建局", "县水利局", "县林业局"]
    assert [(m.text, m.lead_units, m.deadline.date) for m in first.measures] == [
        ("截污", ["县住建局"], date(2024, 6, 30)),
        ("纳管", ["县水利局"], date(2024, 12, 31)),
        ("巡查", ["县住建局", "县林业局"], None),
    ]
    assert first.deadline.date == date(2024, 12, 31) and first.status is S.IN_PROGRESS
    assert (second.seq, second.rows, second.status) == ("2", [5], S.COMPLETED)


@pytest.mark.parametrize("fmt", FORMATS)
def test_sub_numbered_problems_are_tasks_of_their_own(tmp_path: Path, fmt: str) -> None:
    sheet = SheetSpec("台账")
    sheet.row(0, ["序号", "问题描述", "责任单位", "整改时限"])
    sheet.row(1, [1, "总问题", "县住建局", "2024年底"])
    sheet.row(2, ["1-1", "子问题一", "县住建局", "2024年6月底"])
    sheet.row(3, ["1-2", "子问题二", "县水利局", "2024年9月底"])
    sheet.row(4, ["（1）", "另一问题", "县林业局", "长期"])
    plan = read(tmp_path, sheet, fmt)
    assert [t.seq for t in plan.tasks] == ["1", "1-1", "1-2", "(1)"]
    assert not plan.refused
