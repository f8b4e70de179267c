"""Reading office ledgers: four real layouts, each as .xlsx (two writers) and .xls, alone and mixed."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from ledger_app.domain.model import ProblemKind, TaskStatus
from ledger_app.io.excel_in.workbook import ImportPlan, ParsedTask, read_ledger_workbook
from tests.xlsx_factory import (
    K,
    Layout,
    SheetSpec,
    layout_county,
    layout_filled_down,
    layout_measure_rows,
    layout_petitions,
    sample_tasks,
    write_xls,
    write_xlsx,
)

FORMATS = ["xlsx", "raw.xlsx", "xls"]
LAYOUT_EXTRAS = {"measure_units", "measure_dates"}  # checked by their own test


def project(task: ParsedTask) -> dict[str, object]:
    """A parsed task in the shape of xlsx_factory.expected_task."""
    return {
        "seq": task.seq,
        "kind": task.kind,
        "description": task.description,
        "lead_units": task.lead_units,
        "responsible_units": task.responsible_units,
        "cooperating_units": task.cooperating_units,
        "supervising_units": task.supervising_units,
        "leader": task.leader,
        "deadline_date": task.deadline.date,
        "long_term": task.deadline.long_term,
        "goal": task.goal,
        "measures": [m.text for m in task.measures],
        "progress": task.progress,
        "status": task.status,
        "note": task.note,
        "case_no": task.case_no,
        "batch": task.batch,
    }


def assert_tasks(plan: ImportPlan, layout: Layout) -> None:
    assert not plan.refused, [i.reason_zh for i in plan.refused]
    assert len(plan.tasks) == len(layout.expected)
    for task, expected in zip(plan.tasks, layout.expected, strict=True):
        wanted = {k: v for k, v in expected.items() if k not in LAYOUT_EXTRAS}
        assert project(task) == wanted, task.rows


def mixed_kinds() -> list:
    return sample_tasks(12, seed=3, kinds=(K.SPECIFIC, K.COMMON, K.PETITION, K.SELF_CHECK))


LAYOUTS = {
    "county": lambda: layout_county(mixed_kinds()),
    "county_circled": lambda: layout_county(sample_tasks(5, seed=8), measure_style="circled"),
    "county_paren": lambda: layout_county(sample_tasks(5, seed=9), measure_style="paren"),
    "measure_rows": lambda: layout_measure_rows(sample_tasks(6, seed=4)),
    "petitions": lambda: layout_petitions(
        sample_tasks(8, seed=5, kinds=(K.PETITION,), deadline_form="serial")
    ),
    "filled_down": lambda: layout_filled_down(sample_tasks(5, seed=6)),
}


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("name", sorted(LAYOUTS))
def test_each_layout_reads_back_what_was_written(tmp_path: Path, name: str, fmt: str) -> None:
    layout = LAYOUTS[name]()
    plan = read_ledger_workbook(layout.write(tmp_path, fmt))
    assert_tasks(plan, layout)


@pytest.mark.parametrize("name", sorted(LAYOUTS))
def test_xls_and_xlsx_of_the_same_content_give_the_same_tasks(tmp_path: Path, name: str) -> None:
    layout = LAYOUTS[name]()
    plans = [read_ledger_workbook(layout.write(tmp_path, fmt)) for fmt in FORMATS]
    tasks = [[t.to_json() for t in plan.tasks] for plan in plans]
    assert tasks[0] == tasks[1] == tasks[2]
    assert [p.to_json()["columns"] for p in plans[1:]] == [plans[0].to_json()["columns"]] * 2
    assert {p.format for p in plans} == {"xlsx", "xls"}


def test_county_layout_finds_the_two_row_header_sections_and_footer(tmp_path: Path) -> None:
    layout = layout_county(mixed_kinds())
    plan = read_ledger_workbook(layout.write(tmp_path))
    assert plan.header_rows == [3, 4]
    assert plan.title.startswith("青溪县第二轮")
    assert any("填报单位" in line for line in plan.preamble)
    fields = {c.letter: c.field for c in plan.columns}
    assert fields["C"] == "lead_units" and fields["D"] == "cooperating_units"
    assert fields["K"] == "status"  # 完成情况 holding status words is the status, not progress
    assert [t.kind for t in plan.tasks] == [t.kind for t in mixed_kinds()]
    assert {t.section for t in plan.tasks if t.kind is K.PETITION} == {"二、交办信访件"}
    # The footer (填报人 / 审核人) is no task and no refusal.
    assert all("填报人" not in t.description for t in plan.tasks)


def test_measure_rows_carry_their_own_units_and_deadlines(tmp_path: Path) -> None:
    layout = layout_measure_rows(sample_tasks(6, seed=4))
    plan = read_ledger_workbook(layout.write(tmp_path, "raw.xlsx"))
    for task, expected in zip(plan.tasks, layout.expected, strict=True):
        if len(task.measures) == 1:
            # One row: its units and deadline are the task's, not repeated on the measure.
            assert task.measures[0].lead_units == [] and task.measures[0].deadline.is_empty
            continue
        assert [m.lead_units for m in task.measures] == expected["measure_units"]
        assert [m.deadline.date for m in task.measures] == expected["measure_dates"]
        assert len(task.rows) == len(task.measures)
        assert [m.row for m in task.measures] == task.rows


def test_petition_layout_reads_batches_case_numbers_and_shared_unit_column(tmp_path: Path) -> None:
    tasks = sample_tasks(8, seed=5, kinds=(K.PETITION,), deadline_form="serial")
    plan = read_ledger_workbook(layout_petitions(tasks).write(tmp_path, "xls"))
    assert {t.kind for t in plan.tasks} == {ProblemKind.PETITION}
    assert [t.batch for t in plan.tasks] == ["第一批"] * 4 + ["第二批"] * 4
    assert [t.case_no for t in plan.tasks] == [t.case_no for t in tasks]
    assert plan.tasks[0].rows[0] == 4  # the row of column numbers under the header is skipped


def test_filled_down_layout_picks_the_ledger_sheet_and_scores_the_others(tmp_path: Path) -> None:
    plan = read_ledger_workbook(layout_filled_down(sample_tasks(5, seed=6)).write(tmp_path))
    assert plan.sheet == "2024年3月"
    scores = {s.name: s for s in plan.sheets}
    assert scores["2024年3月"].score > scores["旧台账"].score > 0
    assert scores["汇总"].note == "没有找到表头"  # one known column name is no header
    assert not scores["旧台账"].visible
    assert any("旧台账" in i.reason_zh for i in plan.warnings)


def test_naming_a_sheet_reads_that_sheet(tmp_path: Path) -> None:
    path = layout_filled_down(sample_tasks(3, seed=6)).write(tmp_path)
    plan = read_ledger_workbook(path, sheet="旧台账")
    assert [t.description for t in plan.tasks] == ["旧问题"]
    assert any("隐藏" in i.reason_zh for i in plan.warnings)


def mixed_sheet() -> tuple[SheetSpec, list[dict[str, object]]]:
    """Every shape in one sheet: merged measure rows, a filled-down task, numbered cells, blank rows,
    section rows of several styles, 合计 and footer lines."""
    s = SheetSpec("台账")
    s.merge(0, 0, 0, 7, "XX区第二轮中央生态环境保护督察反馈问题整改落实情况台账")
    s.row(1, ["序 号", "反馈问题", "牵头单位", "配合单位", "整改\n时限", "整改措施", "进展情况", "状态"])
    s.merge(2, 0, 2, 7, "一、反馈问题")
    # Task 1: three measure rows merged.
    s.merge(3, 0, 5, 0, 1.0)
    s.merge(3, 1, 5, 1, "污水处理厂超负荷运行")
    s.merge(3, 2, 5, 2, "区住建局")
    s.merge(3, 3, 5, 3, "区水利局、各街道")
    s.merge(3, 4, 5, 4, "2024年6月底前")
    s.row(3, ["扩容提标"], 5)
    s.row(4, ["排查混接"], 5)
    s.row(5, ["加强监测"], 5)
    s.merge(3, 6, 5, 6, "主体已完工")
    s.merge(3, 7, 5, 7, "序时推进")
    # a blank row, then task 2 filled down over two rows
    for r in (7, 8):
        s.row(r, ["2", "矿山修复不到位", "区自然资源和规划局", "", "立行立改、长期坚持"])
    s.put(7, 5, "1.建立台账\n2.争取资金")
    s.put(8, 5, "3.优先治理")
    s.put(7, 7, "已完成")
    s.row(9, ["二、交办信访件"])
    s.row(
        10, [1, "石材厂噪声扰民", "区生态环境局(牵头)、青溪街道", "", 45291.0, "", "已责令停产整改", "已办结"]
    )
    s.row(11, ["(一)自查问题"])
    s.row(12, [1, "河道垃圾", "区城管局", "", date(2024, 3, 31), "(1)清理;(2)巡查", "", "未启动"])
    s.row(13, ["合计", "3项"])
    s.row(15, ["填报人:李华", "", "审核人:王强"])
    s.row(16, ["联系电话:0571-88888888"])
    expected = [
        {"seq": "1", "kind": K.SPECIFIC, "lead_units": ["区住建局"], "cooperating_units": ["区水利局", "各街道"],
         "measures": ["扩容提标", "排查混接", "加强监测"], "deadline_date": date(2024, 6, 30),
         "status": TaskStatus.IN_PROGRESS, "rows": [4, 5, 6]},
        {"seq": "2", "kind": K.SPECIFIC, "lead_units": ["区自然资源和规划局"], "cooperating_units": [],
         "measures": ["建立台账", "争取资金", "优先治理"], "deadline_date": None,
         "status": TaskStatus.COMPLETED, "rows": [8, 9]},
        # "X(牵头)、Y": the marker sets X apart, so Y cooperates, whatever the column says.
        {"seq": "1", "kind": K.PETITION, "lead_units": ["区生态环境局"], "cooperating_units": ["青溪街道"],
         "measures": [], "deadline_date": date(2023, 12, 31), "status": TaskStatus.COMPLETED, "rows": [11]},
        {"seq": "1", "kind": K.SELF_CHECK, "lead_units": ["区城管局"], "cooperating_units": [],
         "measures": ["清理", "巡查"], "deadline_date": date(2024, 3, 31), "status": TaskStatus.NOT_STARTED,
         "rows": [13]},
    ]  # fmt: skip
    return s, expected


@pytest.mark.parametrize("fmt", ["xlsx", "xls"])
def test_mixed_shapes_in_one_sheet(tmp_path: Path, fmt: str) -> None:
    sheet, expected = mixed_sheet()
    path = tmp_path / f"mixed.{fmt}"
    (write_xls if fmt == "xls" else write_xlsx)(path, [sheet])
    plan = read_ledger_workbook(path)
    assert not plan.refused, [i.reason_zh for i in plan.refused]
    got = [
        {
            "seq": t.seq,
            "kind": t.kind,
            "lead_units": t.lead_units,
            "cooperating_units": t.cooperating_units,
            "measures": [m.text for m in t.measures],
            "deadline_date": t.deadline.date,
            "status": t.status,
            "rows": t.rows,
        }
        for t in plan.tasks
    ]
    assert got == expected
    assert plan.tasks[1].deadline.long_term
    assert any("合计" in i.reason_zh for i in plan.warnings)


def test_status_words_and_the_summary_table(tmp_path: Path) -> None:
    tasks = sample_tasks(40, seed=11)
    plan = read_ledger_workbook(layout_county(tasks).write(tmp_path))
    summary = plan.summary
    assert summary.tasks == 40
    assert summary.measures == sum(len(t.measures) for t in tasks)
    counts: dict[tuple[str, TaskStatus], int] = {}
    for t in tasks:
        counts[(t.status_word, t.status)] = counts.get((t.status_word, t.status), 0) + 1
    assert {(s.raw, s.status): s.count for s in summary.status_map} == counts
    lagging = [t for t in plan.tasks if t.status_raw in ("滞后", "未完成")]
    assert lagging and all("整改时限" in t.status_note for t in lagging)
    long_term = sum(t.long_term for t in tasks)
    assert summary.deadlines_parsed == 40 and summary.deadlines_not_understood == 0
    assert sum(t.deadline.long_term for t in plan.tasks) == long_term


def test_to_json_has_stable_keys(tmp_path: Path) -> None:
    plan = read_ledger_workbook(layout_measure_rows(sample_tasks(3, seed=4)).write(tmp_path))
    data = plan.to_json()
    assert list(data) == [
        "path", "format", "sheet", "sheets", "title", "preamble", "report_date", "report_date_line",
        "header_rows", "columns", "unmapped", "tasks", "issues", "summary",
    ]  # fmt: skip
    task = data["tasks"][0]
    assert task["deadline"]["date"] == plan.tasks[0].deadline.date.isoformat()
    assert task["status"] == plan.tasks[0].status.value
    assert data["unmapped"] == [
        {"index": 7, "letter": "H", "header": "督察组", "reason": "未能识别的列名", "ignored": False}
    ]
    import json

    json.dumps(data, ensure_ascii=False)  # everything in it is plain JSON


def test_to_record_hands_the_task_to_the_services(tmp_path: Path) -> None:
    plan = read_ledger_workbook(layout_county(sample_tasks(3, seed=2)).write(tmp_path))
    task = plan.tasks[0]
    record = task.to_record(round_name="第二轮省督察", progress_date=date(2024, 3, 5))
    assert record.seq == task.seq and record.description == task.description
    assert [m.text for m in record.measures] == [m.text for m in task.measures]
    assert record.lead_units == task.lead_units and record.status is task.status
    assert (record.progress[0].text if record.progress else "") == task.progress
