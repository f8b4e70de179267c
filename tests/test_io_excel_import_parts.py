"""The importer's pieces on their own: unit lists, status words, numbered measures, header names."""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ledger_app.domain.model import TaskStatus
from ledger_app.io.excel_in import units as xl_units
from ledger_app.io.excel_in.cells import cell_text, col_letter, identifier_text
from ledger_app.io.excel_in.header import field_for
from ledger_app.io.excel_in.measures import measure_details, split_measures
from ledger_app.io.excel_in.status import read_closed_flag, read_status
from ledger_app.io.excel_in.units import UnitReader
from ledger_app.io.excel_in.workbook import read_ledger_workbook
from tests.xlsx_factory import SheetSpec, write_xls, write_xlsx

S = TaskStatus


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("县住建局、县水利局,各乡镇人民政府。", ["县住建局", "县水利局", "各乡镇人民政府"]),
        ("县住建局;县水利局\n县林业局", ["县住建局", "县水利局", "县林业局"]),
        ("县自然资源和规划局", ["县自然资源和规划局"]),
        ("县住建局和县水利局", ["县住建局", "县水利局"]),
        ("县发改委及县财政局等", ["县发改委", "县财政局"]),
        ("各县(市、区)人民政府、市生态环境局", ["各县(市、区)人民政府", "市生态环境局"]),
        ("县委督查室 县政府督查室", ["县委督查室", "县政府督查室"]),
        ("县农业农村局与县林业局", ["县农业农村局", "县林业局"]),
        ("科学与技术协会", ["科学与技术协会"]),  # "科学" does not end like a unit
    ],
)
def test_unit_lists_split_where_a_person_would(text: str, names: list[str]) -> None:
    assert UnitReader().split(text) == names


def test_known_unit_names_are_never_cut() -> None:
    known = ["县委、县政府督查室", "县水务和园林局"]
    reader = UnitReader(known)
    assert reader.split("县委、县政府督查室,县住建局") == ["县委、县政府督查室", "县住建局"]
    assert reader.split("县水务和园林局") == ["县水务和园林局"]
    # Without the directory the same text splits at 、 as usual.
    assert UnitReader().split("县委、县政府督查室") == ["县委", "县政府督查室"]


@pytest.mark.parametrize(
    ("text", "lead", "responsible", "cooperating"),
    [
        ("牵头单位:县住建局\n配合单位:县水利局、各乡镇", ["县住建局"], [], ["县水利局", "各乡镇"]),
        ("牵头:县住建局;配合:县水利局", ["县住建局"], [], ["县水利局"]),
        ("县住建局(牵头)、县水利局", ["县住建局"], [], ["县水利局"]),
        ("县委办、县政府办牵头,各乡镇、县直各部门配合", ["县委办", "县政府办"], [], ["各乡镇", "县直各部门"]),
        ("县委组织部、县纪委监委按职责分工负责", [], ["县委组织部", "县纪委监委"], []),
        ("县生态环境局牵头负责", ["县生态环境局"], [], []),
        ("市生态环境局牵头,各县(区)配合", ["市生态环境局"], [], ["各县(区)"]),
        ("县住建局、县水利局", [], ["县住建局", "县水利局"], []),
    ],
)
def test_unit_roles(text: str, lead: list[str], responsible: list[str], cooperating: list[str]) -> None:
    roles = UnitReader().roles(text)
    assert (list(roles.lead), list(roles.responsible), list(roles.cooperating)) == (
        lead,
        responsible,
        cooperating,
    )


def test_a_column_role_applies_to_units_without_a_word_of_their_own() -> None:
    reader = UnitReader()
    assert list(reader.roles("县水利局、县林业局", "cooperating").cooperating) == ["县水利局", "县林业局"]
    assert list(reader.roles("县委督查室", "supervising").supervising) == ["县委督查室"]


@pytest.mark.parametrize(
    ("raw", "status"),
    [
        ("已完成", S.COMPLETED), ("完成", S.COMPLETED), ("已办结", S.COMPLETED), ("办结", S.COMPLETED),
        ("基本完成", S.COMPLETED), ("已完成,待验收", S.COMPLETED), ("序时推进", S.IN_PROGRESS),
        ("推进中", S.IN_PROGRESS), ("正常推进", S.IN_PROGRESS), ("长效推进中", S.IN_PROGRESS),
        ("整改中", S.IN_PROGRESS), ("滞后", S.IN_PROGRESS), ("未完成", S.IN_PROGRESS),
        ("未启动", S.NOT_STARTED), ("已验收", S.ACCEPTED), ("已验收,待销号", S.ACCEPTED),
        ("已销号", S.CLOSED), ("销号", S.CLOSED), ("已完成整改并销号", S.CLOSED), (" 已 完 成 ", S.COMPLETED),
    ],
)  # fmt: skip
def test_status_words(raw: str, status: TaskStatus) -> None:
    assert read_status(raw).status is status


@pytest.mark.parametrize("raw", ["滞后", "未完成", "进度滞后"])
def test_lagging_words_are_in_progress_with_a_note(raw: str) -> None:
    reading = read_status(raw)
    assert reading.status is S.IN_PROGRESS
    assert raw in reading.note and "整改时限" in reading.note


@pytest.mark.parametrize("raw", ["", "  ", "见附件", "2023年6月", "x" * 200])
def test_unreadable_status_is_none(raw: str) -> None:
    assert read_status(raw).status is None


@pytest.mark.parametrize(
    ("raw", "flag"), [("是", True), ("√", True), ("已销号", True), ("否", False), ("", None), ("待定", None)]
)
def test_closed_flag(raw: str, flag: bool | None) -> None:
    assert read_closed_flag(raw) is flag


@pytest.mark.parametrize(
    ("text", "items"),
    [
        ("1.甲\n2.乙\n3.丙", ["甲", "乙", "丙"]),
        ("1、建立台账;2、争取1.5万元资金。", ["建立台账", "争取1.5万元资金。"]),
        ("(1)甲;(2)乙", ["甲", "乙"]),
        ("(1)甲\n(2)乙", ["甲", "乙"]),
        ("①做A②做B③做C", ["做A", "做B", "做C"]),
        ("一是加强领导;二是压实责任。", ["加强领导", "压实责任。"]),
        ("(一)甲。(二)乙", ["甲。", "乙"]),
        ("整改措施:\n1.甲\n2.乙", ["甲", "乙"]),
        ("针对该问题,我县将加强监管。", ["针对该问题,我县将加强监管。"]),
        ("2023.6前完成,投资1.5亿元", ["2023.6前完成,投资1.5亿元"]),
        ("1.甲(1)子项(2)子项\n2.乙", ["甲(1)子项(2)子项", "乙"]),
        ("3.一行一条措施时的编号", ["一行一条措施时的编号"]),
        ("1.甲\n3.不连续的编号不算", ["甲\n3.不连续的编号不算"]),
        ("", []),
    ],
)
def test_measures_numbered_in_one_cell(text: str, items: list[str]) -> None:
    assert split_measures(text) == items


def test_a_measure_names_its_own_units_and_deadline() -> None:
    reader = UnitReader()
    details = measure_details("加快管网建设,2023年底前完成。(县住建局牵头,县水利局、各乡镇配合)", reader)
    assert list(details.lead_units) == ["县住建局"]
    assert list(details.cooperating_units) == ["县水利局", "各乡镇"]
    assert details.deadline.date == date(2023, 12, 31)
    labelled = measure_details("开展排查(责任单位:县生态环境局;完成时限:2024年6月底前)", reader)
    assert list(labelled.lead_units) == ["县生态环境局"] and labelled.deadline.date == date(2024, 6, 30)
    plain = measure_details("制定年度治理计划,纳入年度考核", reader)
    assert not plain.lead_units and plain.deadline.is_empty


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("序号", "seq"), ("序 号", "seq"), ("编号", "seq"), ("督察反馈问题", "description"),
        ("反馈问题", "description"), ("问题描述", "description"), ("存在问题", "description"),
        ("反映问题", "description"), ("责任单位", "responsible_units"), ("牵头单位", "lead_units"),
        ("责任主体", "responsible_units"), ("配合单位", "cooperating_units"), ("督导单位", "supervising_units"),
        ("责任领导", "leader"), ("领办领导", "leader"), ("责任人", "contact"), ("整改时限", "deadline"),
        ("整改\n时限", "deadline"), ("完成时限", "deadline"), ("整改目标", "goal"), ("整改措施", "measures"),
        ("整改进展", "progress"), ("进展情况", "progress"), ("本月进展", "progress"), ("状态", "status"),
        ("完成状态", "status"), ("是否销号", "closed_flag"), ("备注", "note"), ("问题类型", "kind"),
        ("交办\n批次", "batch"), ("受理编号", "case_no"), ("牵头单位/配合单位", "units"),
        ("责任单位(牵头单位、配合单位)", "units"), ("*整改时限(年月日)", "deadline"), ("联系电话", "contact_phone"),
        ("督察组", None),
        ("", None), ("青溪县第二轮省生态环境保护督察反馈问题整改落实情况台账一览表", None),
    ],
)  # fmt: skip
def test_header_names_as_offices_write_them(header: str, field: str | None) -> None:
    assert field_for(header) == field


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (1.0, "1"),
        (1, "1"),
        ("1", "1"),
        ("１", "1"),
        ("1、", "1"),
        (" 12 ", "12"),
        ("3-1", "3-1"),
        (2.5, "2.5"),
    ],
)
def test_identifiers_read_as_written(value: object, text: str) -> None:
    assert identifier_text(value) == text


def test_cell_text() -> None:
    assert cell_text(datetime(2024, 3, 5)) == "2024-03-05"
    assert cell_text(date(2024, 3, 5)) == "2024-03-05"
    assert cell_text("a\r\nb\x07c ") == "a\nbc"
    assert cell_text(True) == "是"
    assert [col_letter(i) for i in (0, 25, 26, 255, 16383)] == ["A", "Z", "AA", "IV", "XFD"]


# -- rules that refuse rows ---------------------------------------------------------------------------------
def _ledger(rows: list[list[object]], header: list[str] | None = None) -> list[SheetSpec]:
    sheet = SheetSpec("台账")
    sheet.row(0, header or ["序号", "问题描述", "责任单位", "整改时限", "整改措施"])
    for r, values in enumerate(rows, start=1):
        sheet.row(r, values)
    return [sheet]


@pytest.mark.parametrize("fmt", ["xlsx", "xls"])
def test_refusal_rules(tmp_path: Path, fmt: str) -> None:
    rows = [
        [1, "污水直排", "县住建局", "2024年6月底前", "1.排查"],
        ["", "没有序号的问题", "县水利局", "2024年底前"],  # others are numbered: refused
        [2, "", "县林业局", "2024年底前", "1.造林"],  # 序号 without 问题描述: refused
        [1, "序号重复的问题", "县城管局", "2024年底前"],  # duplicate of row 2: refused
        [3, "整改时限写错", "县交通局", "找领导确认"],  # imported, with a warning
        [4],  # an empty numbered template row: skipped, with a warning
    ]
    path = tmp_path / f"rules.{fmt}"
    (write_xls if fmt == "xls" else write_xlsx)(path, _ledger(rows))
    plan = read_ledger_workbook(path)
    assert [t.seq for t in plan.tasks] == ["1", "3"]
    refused = {(i.row, i.column): i.reason_zh for i in plan.refused}
    assert set(refused) == {(3, "A"), (4, "B"), (5, "A")}
    assert "没有序号" in refused[(3, "A")]
    assert "没有问题描述" in refused[(4, "B")]
    assert "与第2行" in refused[(5, "A")] and "重复" in refused[(5, "A")]
    warnings = {i.row: i.reason_zh for i in plan.warnings}
    assert "找领导确认" in warnings[6] and "未能识别" in warnings[6]
    assert "只有序号" in warnings[7]
    assert plan.summary.refused_rows == 3
    assert plan.summary.deadlines_not_understood == 1


def test_a_section_without_numbers_is_numbered_in_order(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "无序号.xlsx", _ledger([["", "甲问题", "县住建局"], ["", "乙问题", "县水利局"]])
    )
    plan = read_ledger_workbook(path)
    assert [(t.seq, t.seq_auto) for t in plan.tasks] == [("1", True), ("2", True)]
    assert any("没有序号" in i.reason_zh and "1–2" in i.reason_zh for i in plan.warnings)


def test_a_row_that_belongs_to_no_task_is_refused(tmp_path: Path) -> None:
    sheet = SheetSpec("台账")
    sheet.row(0, ["序号", "问题描述", "责任单位", "整改措施"])
    sheet.row(1, ["", "", "", "一条没有任务的措施"])
    sheet.row(2, [1, "正常问题", "县住建局", "1.措施"])
    plan = read_ledger_workbook(write_xlsx(tmp_path / "孤行.xlsx", [sheet]))
    assert [t.seq for t in plan.tasks] == ["1"]
    [issue] = plan.refused
    assert issue.row == 2 and "找不到所属的任务" in issue.reason_zh


def test_unknown_columns_go_to_the_note_with_their_name(tmp_path: Path) -> None:
    rows = [[1, "甲问题", "县住建局", "2024年底前", "措施", "省第三督察组", "已约谈"]]
    header = ["序号", "问题描述", "责任单位", "整改时限", "整改措施", "督察组", "约谈情况"]
    plan = read_ledger_workbook(write_xlsx(tmp_path / "多列.xlsx", _ledger(rows, header)))
    assert plan.tasks[0].note == "督察组:省第三督察组\n约谈情况:已约谈"
    assert [(u.letter, u.header) for u in plan.unmapped] == [("F", "督察组"), ("G", "约谈情况")]
    assert {i.column for i in plan.warnings if "记入备注" in i.reason_zh} == {"F", "G"}


def test_column_overrides_correct_the_mapping(tmp_path: Path) -> None:
    rows = [[1, "甲问题", "县住建局", "2024年底前", "措施", "王五", "已完成"]]
    header = ["序号", "问题描述", "责任单位", "整改时限", "整改措施", "联系人", "情况"]
    path = write_xlsx(tmp_path / "改列.xlsx", _ledger(rows, header))
    plan = read_ledger_workbook(path, column_overrides={5: "leader", 6: "status", 4: "ignore", 3: ""})
    task = plan.tasks[0]
    assert (task.leader, task.status, task.measures) == ("王五", S.COMPLETED, [])
    assert task.note == "整改时限:2024年底前" and task.deadline.is_empty  # "" keeps the text in 备注
    sources = {c.letter: (c.field, c.source) for c in plan.columns}
    assert sources["F"] == ("leader", "override") and sources["A"] == ("seq", "auto")
    assert [(u.letter, u.ignored) for u in plan.unmapped] == [("D", False), ("E", True)]
    from ledger_app.domain.errors import ValidationError

    with pytest.raises(ValidationError, match="不能都设为"):
        read_ledger_workbook(path, column_overrides={5: "leader", 6: "leader"})
    with pytest.raises(ValidationError, match="列设置无效"):
        read_ledger_workbook(path, column_overrides={5: "no-such-field"})


def test_a_row_of_circled_numbers_under_the_header_is_data_not_column_numbers(tmp_path: Path) -> None:
    # "①".isdigit() is True but int("①") fails: found by the fuzzer.
    rows = [["①", "②", "③", "④"], [1, "甲问题", "县住建局", "2024年底前"]]
    plan = read_ledger_workbook(write_xlsx(tmp_path / "圈号.xlsx", _ledger(rows)))
    assert [t.description for t in plan.tasks] == ["②", "甲问题"]


@pytest.mark.parametrize("fmt", ["xlsx", "xls"])
def test_rows_without_merges_below_a_task_add_to_it(tmp_path: Path, fmt: str) -> None:
    # One measure a row, nothing merged: the task's first row looks like a whole task on its own,
    # and what the rows below add must still reach every field, not only the measures.
    header = ["序号", "问题描述", "责任单位", "整改措施", "整改进展", "备注"]
    rows = [
        [1, "污水直排", "县住建局", "建管网", "已开工", "甲"],
        ["", "", "县水利局", "清河道", "已完成清淤", "乙"],
        [2, "扬尘", "县城管局", "洒水", "", ""],
    ]
    path = tmp_path / f"逐行.{fmt}"
    (write_xls if fmt == "xls" else write_xlsx)(path, _ledger(rows, header))
    first, second = read_ledger_workbook(path).tasks
    assert [m.text for m in first.measures] == ["建管网", "清河道"]
    assert first.progress == "已开工\n已完成清淤"
    assert first.note == "甲\n乙"
    assert first.responsible_units == ["县住建局", "县水利局"]
    assert first.rows == [2, 3] and second.rows == [4]


_LABELS = ["牵头单位", "牵头", "配合", "责任单位", "督导", "督办单位", "配合单位", "责任"]
_UNIT_TEXTS = ["县住建局", "县自然资源和规划局", "青溪镇人民政府", "县水利局和县林业局", "各乡镇", " 县城管局 ", "县农业农村局等"]  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(
    st.sampled_from(["", " ", "\u3000"]),
    st.sampled_from(_LABELS),
    st.sampled_from([":", ":", " :"]),
    st.lists(st.sampled_from(_UNIT_TEXTS), max_size=4, unique=True),
    st.sampled_from(["、", ",", ";", " ", "/", ",", ""]),
    st.sampled_from(["", "。", ";", " "]),
    st.sampled_from([(), ("县自然资源和规划局",), ("县水利局和县林业局",)]),
)
def test_a_label_line_reads_as_the_general_rules_read_it(
    lead: str, label: str, colon: str, units: list[str], sep: str, end: str, known: tuple[str, ...]
) -> None:
    # "牵头:X、Y" lines take a short way; it must give what the general reading gives.
    line = f"{lead}{label}{colon}{sep.join(units)}{end}"
    quick = UnitReader(known)._roles(line, "responsible")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(xl_units, "_SIMPLE_LABEL_LINE_RE", re.compile("(?!)"))
        general = UnitReader(known)._roles(line, "responsible")
    assert quick == general


def _restarting_ledger() -> list[SheetSpec]:
    sheet = SheetSpec("台账")
    sheet.row(0, ["序号", "问题描述", "责任单位", "整改时限"])
    rows: list[list[object]] = [
        ["一、反馈问题"],
        ["(一)个性问题"],
        [1, "甲河黑臭", "县住建局", "2025年底前"],
        [2, "乙厂超排", "县生态环境局", "2025年底前"],
        [3, "丙矿修复", "县自然资源和规划局", "2026年底前"],
        ["(二)共性问题"],
        [1, "管网不全", "县住建局", "2026年底前"],
        [2, "监管不严", "县生态环境局", "长期坚持"],
        ["二、交办信访件"],
        ["第一批"],
        [1, "噪声扰民", "县公安局", "2025年6月底前"],
        [2, "油烟扰民", "县城管局", "2025年6月底前"],
        ["第二批"],
        [1, "粉尘扰民", "县住建局", "2025年9月底前"],
        [2, "异味扰民", "县生态环境局", "2025年9月底前"],
    ]
    for r, values in enumerate(rows, start=1):
        sheet.row(r, values)
    return [sheet]


@pytest.mark.parametrize("fmt", ["xlsx", "xls"])
def test_parts_numbered_each_from_one_stay_apart(tmp_path: Path, fmt: str) -> None:
    # Many offices number 个性 and 共性 problems, and each batch of petitions, from 1 again.
    path = tmp_path / f"分别编号.{fmt}"
    (write_xls if fmt == "xls" else write_xlsx)(path, _restarting_ledger())
    plan = read_ledger_workbook(path)
    assert plan.refused == []
    assert [(t.kind.label, t.seq) for t in plan.tasks] == [
        ("个性问题", "1"), ("个性问题", "2"), ("个性问题", "3"),
        ("共性问题", "共性-1"), ("共性问题", "共性-2"),
        ("交办信访件", "1"), ("交办信访件", "2"),
        ("交办信访件", "第二批-1"), ("交办信访件", "第二批-2"),
    ]  # fmt: skip
    assert [t.batch for t in plan.tasks[5:]] == ["第一批", "第一批", "第二批", "第二批"]
    renamed = [i.reason_zh for i in plan.warnings if "重新编起" in i.reason_zh]
    assert len(renamed) == 2 and "共性-1" in renamed[0] and "第二批-1" in renamed[1]


def test_straight_numbering_and_a_mistyped_duplicate_keep_their_numbers(tmp_path: Path) -> None:
    sheet = SheetSpec("台账")
    sheet.row(0, ["序号", "问题描述", "责任单位"])
    rows: list[list[object]] = [
        ["(一)个性问题"], [1, "甲", "县住建局"], [2, "乙", "县水利局"],
        ["(二)共性问题"], [3, "丙", "县住建局"], [2, "丁", "县林业局"],
    ]  # fmt: skip
    for r, values in enumerate(rows, start=1):
        sheet.row(r, values)
    plan = read_ledger_workbook(write_xlsx(tmp_path / "连续编号.xlsx", [sheet]))
    assert [t.seq for t in plan.tasks] == ["1", "2", "3"]
    [refused] = plan.refused
    assert refused.row == 7 and "重复" in refused.reason_zh
