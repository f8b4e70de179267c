"""Reading back what the monthly report (月报) writes: its title lines, round headings, dated progress,
measure annotations, 完成情况 words and unit lines. The writer's own helpers make the texts, so the
two sides are tested against each other, not against copies of the format."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from ledger_app.domain.deadlines import Deadline, parse_deadline
from ledger_app.domain.model import ProblemKind, ScheduleFlag, TaskStatus
from ledger_app.domain.records import MeasureRecord, TaskRecord
from ledger_app.io.excel_in.measures import read_measures, strip_annotation
from ledger_app.io.excel_in.progress import dated_entries, report_period
from ledger_app.io.excel_in.status import looks_like_status, read_status
from ledger_app.io.excel_in.units import UnitReader
from ledger_app.io.excel_in.workbook import read_ledger_workbook
from ledger_app.io.report_content import completion_text, measure_annotation, measures_text, units_text
from tests.xlsx_factory import SheetSpec, write_xls, write_xlsx

S = TaskStatus
HEADER = [
    "序号",
    "问题描述",
    "责任单位",
    "责任领导",
    "整改时限",
    "整改目标",
    "整改措施",
    "本月进展",
    "完成情况",
    "备注",
]


def report_sheet(rows: list[list[object]], *, sections: dict[int, str] | None = None) -> SheetSpec:
    """The 台账 sheet as the report lays it out: title, 填报单位 line merged in two parts, header."""
    sheet = SheetSpec("台账")
    width = len(HEADER)
    sheet.merge(0, 0, 0, width - 1, "青溪区第二轮中央生态环境保护督察反馈问题整改落实情况台账")
    sheet.merge(1, 0, 1, 6, "填报单位:青溪区整改办    报告期:2026年10月")
    sheet.merge(1, 7, 1, width - 1, "填报日期:2026年11月3日")
    sheet.row(2, HEADER)
    row = 3
    for index, values in enumerate(rows):
        if sections and index in sections:
            sheet.merge(row, 0, row, width - 1, sections[index])
            row += 1
        sheet.row(row, values)
        row += 1
    return sheet


def task_row(seq: str, **cells: object) -> list[object]:
    values: dict[str, object] = {
        "序号": seq,
        "问题描述": f"问题{seq}",
        "责任单位": "区住建局",
        "完成情况": "序时推进",
    }
    values.update(cells)
    return [values.get(name, "") for name in HEADER]


# -- the table --------------------------------------------------------------------------------------
@pytest.mark.parametrize("fmt", ["xlsx", "xls"])
def test_the_info_line_above_the_header_is_no_second_header_row(tmp_path: Path, fmt: str) -> None:
    writer = write_xlsx if fmt == "xlsx" else write_xls
    path = writer(tmp_path / f"月报.{fmt}", [report_sheet([task_row("1"), task_row("2")])])
    plan = read_ledger_workbook(path)
    assert plan.header_rows == [3]
    assert [c.header for c in plan.columns][:3] == ["序号", "问题描述", "责任单位"]
    assert {c.header: c.field for c in plan.columns}["完成情况"] == "status"
    assert any("报告期" in line for line in plan.preamble)


def test_section_rows_naming_a_round_put_each_task_in_it(tmp_path: Path) -> None:
    rows = [task_row("1"), task_row("2"), task_row("1"), task_row("1")]
    sections = {
        0: "第二轮中央生态环境保护督察 一、反馈问题",
        2: "区级专项督察 第1批 二、交办信访件",
        3: "(未填督察批次) 一、反馈问题",
    }
    plan = read_ledger_workbook(write_xlsx(tmp_path / "月报.xlsx", [report_sheet(rows, sections=sections)]))
    assert not plan.refused  # 序号 1 three times, each in its own round and section
    got = [(t.round_name, t.kind.section.label, t.seq) for t in plan.tasks]
    assert got == [
        ("第二轮中央生态环境保护督察", "反馈问题", "1"),
        ("第二轮中央生态环境保护督察", "反馈问题", "2"),
        ("区级专项督察 第1批", "交办信访件", "1"),
        ("", "反馈问题", "1"),
    ]
    assert plan.tasks[2].batch == ""  # "第1批" belongs to the round's name, not to the petition
    assert plan.records(round_name="默认批次")[3].round_name == "默认批次"


def test_a_round_heading_does_not_hide_a_duplicate_within_its_round(tmp_path: Path) -> None:
    rows = [task_row("1"), task_row("1", 问题描述="另一个问题")]
    sheet = report_sheet(rows, sections={0: "第二轮中央生态环境保护督察 一、反馈问题"})
    plan = read_ledger_workbook(write_xlsx(tmp_path / "月报.xlsx", [sheet]))
    assert len(plan.tasks) == 1 and "重复" in plan.refused[0].reason_zh


# -- progress ---------------------------------------------------------------------------------------
def test_progress_entries_of_the_month_come_back_dated(tmp_path: Path) -> None:
    rows = [
        task_row("1", 本月进展="10月3日:完成招标\n10月20日:管网铺设完成80%\n第二段"),
        task_row("2", 本月进展="(截至2026年9月12日)九月进展"),
        task_row("3", 本月进展="各单位正在推进"),
    ]
    plan = read_ledger_workbook(write_xlsx(tmp_path / "月报.xlsx", [report_sheet(rows)]))
    first, second, third = plan.tasks
    assert first.progress_entries == [
        (date(2026, 10, 3), "完成招标"),
        (date(2026, 10, 20), "管网铺设完成80%\n第二段"),
    ]
    assert second.progress_entries == [(date(2026, 9, 12), "九月进展")]
    assert third.progress_entries == []  # not dated: one entry on the date the clerk gives
    records = plan.records(progress_date=date(2026, 11, 1))
    assert [(p.date, p.text) for p in records[2].progress] == [(date(2026, 11, 1), "各单位正在推进")]
    assert len(records[0].progress) == 2


@pytest.mark.parametrize(
    ("text", "period", "entries"),
    [
        (
            "12月30日:年底进展\n1月5日:新年进展",
            (2027, 1),
            [(date(2026, 12, 30), "年底进展"), (date(2027, 1, 5), "新年进展")],
        ),
        ("2025年3月1日:写明年份", None, [(date(2025, 3, 1), "写明年份")]),
        ("3月1日:没有报告期", None, None),  # no year anywhere: the text stays whole
        ("2月30日:不是日期", (2026, 3), None),
        ("3月1日:", (2026, 3), None),  # an entry without text
        ("前言\n3月1日:后文", (2026, 3), None),  # text before the first date
        ("(截至2026年2月30日)不是日期", None, None),
    ],
)
def test_dated_entries(text: str, period: tuple[int, int] | None, entries: list | None) -> None:
    assert dated_entries(text, period) == entries


def test_report_period() -> None:
    assert report_period(["标题", "填报单位:区整改办    报告期:2026年10月"]) == (2026, 10)
    assert report_period(["报告期:2026年13月"]) is None


# -- measures ---------------------------------------------------------------------------------------
def measure(text: str, lead: list[str] = (), coop: list[str] = (), deadline: str = "") -> MeasureRecord:  # type: ignore[assignment]
    return MeasureRecord(1, text, list(lead), list(coop), parse_deadline(deadline))


@pytest.mark.parametrize(
    "original",
    [
        measure("开展排查", ["各乡镇(街道)", "区自然资源和规划局"], ["各县(市、区)"], "立行立改,长期坚持"),
        measure("开展排查", deadline="2025年底前(力争提前)"),
        measure("开展排查(县住建局牵头)", ["县住建局"]),  # said by its own text: no annotation
        measure("开展排查(时限:2024年底前)"),  # ends like an annotation: one more keeps it text
        measure("开展排查(时限:2024年底前)", ["区住建局"]),
        measure("2号池改造", ["区住建局"], deadline="2025年6月底前"),
        measure("1.5万吨污水处理能力", coop=["区水利局"]),
    ],
)
def test_measures_come_back_with_their_units_and_deadlines(original: MeasureRecord) -> None:
    cell = measures_text([original, MeasureRecord(2, "第二条")])
    (text, details), second = read_measures(cell, UnitReader())
    assert text == original.text and second[0] == "第二条"
    assert list(details.lead_units) == original.lead_units
    assert list(details.cooperating_units) == original.cooperating_units
    assert details.deadline == original.deadline or details.deadline.text == original.deadline.text


def test_the_annotation_is_written_only_when_the_text_does_not_say_it() -> None:
    assert measure_annotation(measure("开展排查(县住建局牵头)", ["县住建局"])) == ""
    assert (
        measure_annotation(measure("开展排查", ["县住建局"], deadline="2025年底前"))
        == "(牵头:县住建局;时限:2025年底前)"
    )
    assert measure_annotation(measure("开展排查(时限:X)")) == "(时限:)"
    assert strip_annotation("开展排查(牵头:县住建局)") == "开展排查"
    assert strip_annotation("(牵头:县住建局)") == "(牵头:县住建局)"  # nothing before it: not ours
    assert measures_text([measure("2号池改造")]) == "1. 2号池改造"  # not "1.2…", read as a number


# -- 完成情况 and units ------------------------------------------------------------------------------
@pytest.mark.parametrize("status", list(TaskStatus))
@pytest.mark.parametrize("flag", [*ScheduleFlag, None])
def test_completion_words_give_the_status_back(status: TaskStatus, flag: ScheduleFlag | None) -> None:
    flag = None if status.is_done else (flag or ScheduleFlag.ON_SCHEDULE)
    text = completion_text(status, flag)
    back = read_status(text).status
    # 整改中 and 未启动 are both open: the flag alone would not tell them apart, the brackets do.
    assert back is status, text
    assert looks_like_status(text)


def test_dated_progress_is_not_taken_for_status_words() -> None:
    assert not looks_like_status("6月3日:完成招标")
    assert looks_like_status("已完成(已验收)") and looks_like_status("临期")


def test_unit_lines_come_back_by_role() -> None:
    task = TaskRecord(
        seq="1",
        kind=ProblemKind.SPECIFIC,
        description="x",
        lead_units=["区文化和旅游局", "各县(市、区)"],
        responsible_units=["区农业农村和水利局"],
        cooperating_units=["区自然资源和规划局"],
        supervising_units=["区委督查室", "区纪委监委"],
    )
    roles = UnitReader().roles(units_text(task))
    assert list(roles.lead) == task.lead_units
    assert list(roles.responsible) == task.responsible_units
    assert list(roles.cooperating) == task.cooperating_units
    assert list(roles.supervising) == task.supervising_units


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("区农业农村和水利局", ["区农业农村和水利局"]),  # "水利局" names no place: one name
        ("县住建局和县水利局", ["县住建局", "县水利局"]),
        ("市生态环境局及各县(区)", ["市生态环境局", "各县(区)"]),
    ],
)
def test_and_splits_only_before_a_name_of_its_own(text: str, names: list[str]) -> None:
    assert UnitReader().split(text) == names


def test_batch_and_case_number_come_back_from_the_note(tmp_path: Path) -> None:
    rows = [task_row("1", 备注="批次:第3批\n编号:XF-2024-001\n已约谈"), task_row("2", 备注="编号说明见附件")]
    sheet = report_sheet(rows, sections={0: "二、交办信访件"})
    first, second = read_ledger_workbook(write_xlsx(tmp_path / "月报.xlsx", [sheet])).tasks
    assert (first.batch, first.case_no, first.note) == ("第3批", "XF-2024-001", "已约谈")
    assert (second.case_no, second.note) == ("", "编号说明见附件")


def test_a_deadline_with_its_text_kept() -> None:
    assert read_measures("1.开展排查(时限:按省厅要求)", UnitReader())[0][1].deadline == Deadline("按省厅要求")
