"""The sheet's own 填报 date (title lines or under the table) dates undated progress; future-dated
progress in a sheet is reported, and the import asks for it to be confirmed (CLI: --allow-future)."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest

from ledger_app.cli.main import main
from ledger_app.domain.dates import FutureDateUnconfirmed
from ledger_app.domain.errors import ValidationError
from ledger_app.domain.model import RoundLevel
from ledger_app.io.excel_in.report_date import find_report_date
from ledger_app.io.excel_in.workbook import read_ledger_workbook
from ledger_app.services import Ledger

from .xlsx_factory import SheetSpec, write_xls, write_xlsx

HEADER = ["序号", "问题描述", "责任单位", "整改时限", "整改进展"]
TASKS = [
    [1, "柳河水库周边企业偷排废水", "区生态环境局", "2023年6月底前", "已关停3家企业,正在复核"],
    [2, "城区污水管网混接错接", "区住建局", "2023年12月31日", "完成改造12公里"],
]
NOV_30 = date(2022, 11, 30)


def sheet(above: list[list[str]], below: list[list[str]], tasks: list[list[object]] = TASKS) -> SheetSpec:
    """Title lines, the table, a blank row, then the lines under the table (each list one row)."""
    spec = SheetSpec("整改台账")
    row = 0
    for line in above:
        spec.row(row, line)
        row += 1
    spec.row(row, HEADER)
    for values in tasks:
        row += 1
        spec.row(row, values)
    row += 1
    for line in below:
        row += 1
        spec.row(row, line)
    return spec


SHAPES = {
    "填报时间 in the 填报单位 line": (
        [["XX区整改落实情况台账"], ["填报单位:XX区整改办", "", "", "", "填报时间:2022年11月30日"]],
        [],
        NOV_30,
        "填报时间",
    ),
    "填报日期 with dots under the table": (
        [["XX区整改落实情况台账"]],
        [["填报人:李华", "", "审核人:王强"], ["填报日期 2022.11.30"]],
        NOV_30,
        "填报日期",
    ),
    "截至 month end alone under the table": (
        [["XX区整改落实情况台账"]],
        [["截至2022年11月底"]],
        NOV_30,
        "截至",
    ),
    "截至 in the title's brackets": ([["XX区整改落实情况台账(截至2022年11月30日)"]], [], NOV_30, "截至"),
    "full-width digits and colon": ([["台账"], ["填报时间：２０２２年１１月３０日"]], [], NOV_30, "填报时间"),
    "填报 date beats a cut-off": (
        [["XX区整改落实情况台账(截至2022年10月31日)"]],
        [["填报时间:2022年11月30日"]],
        NOV_30,
        "填报时间",
    ),
}


@pytest.mark.parametrize("shape", list(SHAPES))
@pytest.mark.parametrize("fmt", ["xlsx", "xls"])
def test_the_report_date_is_found_in_each_shape(tmp_path: Path, shape: str, fmt: str) -> None:
    above, below, day, word = SHAPES[shape]
    path = tmp_path / f"台账.{fmt}"
    (write_xls if fmt == "xls" else write_xlsx)(path, [sheet(above, below)])
    plan = read_ledger_workbook(path)
    assert [t.seq for t in plan.tasks] == ["1", "2"]  # a date line under the table is no task
    assert not plan.refused
    assert plan.report_date is not None
    assert (plan.report_date.day, plan.report_date.word) == (day, word)
    assert plan.report_date.describe() == f"表中{word}:2022年11月30日"
    assert plan.to_json()["report_date"] == "2022-11-30"
    records = plan.records(progress_date=plan.report_date.day)
    assert [[(p.date, p.text) for p in r.progress] for r in records] == [
        [(NOV_30, "已关停3家企业,正在复核")],
        [(NOV_30, "完成改造12公里")],
    ]


def test_a_sheet_without_a_date_has_none(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "台账.xlsx", [sheet([["XX区整改落实情况台账"]], [["填报人:李华"]])])
    plan = read_ledger_workbook(path)
    assert plan.report_date is None and plan.to_json()["report_date"] is None


@pytest.mark.parametrize(
    "lines",
    [
        ["填报时间:11月30日"],  # no year
        ["填报时间:2022年13月1日"],
        ["填报时间:2202年11月30日"],  # outside the year window
        ["2022年11月30日"],  # a date with no word saying what it is
        ["整改时限:2022年11月30日"],
    ],
)
def test_no_date_is_guessed(lines: list[str]) -> None:
    assert find_report_date(lines) is None


def test_a_progress_cell_starting_with_a_cutoff_is_still_progress(tmp_path: Path) -> None:
    tasks = [*TASKS, [3, "河道垃圾", "区水利局", "2023年6月底前", "截至2022年11月底,已清理河道8公里"]]
    path = write_xlsx(tmp_path / "台账.xlsx", [sheet([["台账"]], [], tasks)])
    plan = read_ledger_workbook(path)
    assert [t.seq for t in plan.tasks] == ["1", "2", "3"]
    assert plan.tasks[2].progress == "截至2022年11月底,已清理河道8公里"


# -- progress dated after today in the sheet ------------------------------------------------------
def dated(day: date, text: str) -> str:
    return f"{day.year}年{day.month}月{day.day}日:{text}"


def test_progress_dated_far_ahead_is_kept_as_undated_text_with_a_warning(tmp_path: Path) -> None:
    far = date.today() + timedelta(days=400)
    tasks = [[1, "柳河水库", "区生态环境局", "2027年6月底前", dated(far, "完成验收")]]
    plan = read_ledger_workbook(write_xlsx(tmp_path / "a.xlsx", [sheet([["台账"]], [], tasks)]))
    assert plan.tasks[0].progress_entries == []
    [warning] = [i for i in plan.issues if "整改进展" in i.reason_zh]
    assert "超过一个月" in warning.reason_zh and warning.row == 3 and warning.column == "E"
    [record] = plan.records(progress_date=NOV_30)
    assert [(p.date, p.text) for p in record.progress] == [(NOV_30, dated(far, "完成验收"))]


def test_progress_dated_days_ahead_is_kept_with_a_warning(tmp_path: Path) -> None:
    soon = date.today() + timedelta(days=5)
    tasks = [[1, "柳河水库", "区生态环境局", "2027年6月底前", dated(soon, "计划完成验收")]]
    plan = read_ledger_workbook(write_xlsx(tmp_path / "a.xlsx", [sheet([["台账"]], [], tasks)]))
    assert plan.tasks[0].progress_entries == [(soon, "计划完成验收")]
    assert any("晚于今天" in i.reason_zh and i.severity == "warning" for i in plan.issues)


def test_the_import_service_asks_for_future_progress_to_be_confirmed(ledger: Ledger, tmp_path: Path) -> None:
    soon = date.today() + timedelta(days=5)
    tasks = [[1, "柳河水库", "区生态环境局", "2027年6月底前", dated(soon, "计划完成验收")]]
    plan = read_ledger_workbook(write_xlsx(tmp_path / "a.xlsx", [sheet([["台账"]], [], tasks)]))
    records = plan.records(progress_date=NOV_30)
    target = {"new_round": ("第二轮省督察", RoundLevel.PROVINCIAL)}
    with pytest.raises(FutureDateUnconfirmed, match="晚于今天"):
        ledger.imports.import_records(records, **target)  # type: ignore[arg-type]
    assert ledger.directory.list_rounds() == []  # refused before anything was written
    ledger.imports.import_records(records, confirm_future=True, **target)  # type: ignore[arg-type]
    [row] = ledger.queries.list_tasks()
    assert [p.date for p in ledger.records.task_record(row.id).progress] == [soon]


def test_the_import_service_refuses_progress_over_a_month_ahead(ledger: Ledger, tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "a.xlsx", [sheet([["台账"]], [])])
    records = read_ledger_workbook(path).records(progress_date=date.today() + timedelta(days=32))
    with pytest.raises(ValidationError, match="晚一个多月") as refused:
        ledger.imports.import_records(
            records, new_round=("第二轮省督察", RoundLevel.PROVINCIAL), confirm_future=True
        )
    assert "反馈问题 1" in refused.value.message_zh


# -- the CLI -----------------------------------------------------------------------------------------
@pytest.fixture
def dated_sheet(tmp_path: Path) -> Path:
    above = [["第二轮省生态环境保护督察整改落实情况台账"], ["填报时间:2022年11月30日"]]
    return write_xlsx(tmp_path / "台账.xlsx", [sheet(above, [])])


def progress_dates(ledger_path: Path) -> set[date]:
    with Ledger.open(ledger_path) as opened:
        return {
            p.date for row in opened.queries.list_tasks() for p in opened.records.task_record(row.id).progress
        }


def test_the_cli_dates_progress_as_the_sheet_says_and_says_so(
    dated_sheet: Path, ledger_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["import-excel", str(dated_sheet), "--db", str(ledger_path)]) == 0
    out = capsys.readouterr().out
    assert "进展日期:2022-11-30(表中填报时间:2022年11月30日" in out
    assert progress_dates(ledger_path) == {NOV_30}


def test_progress_date_given_on_the_command_line_wins(
    dated_sheet: Path, ledger_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["import-excel", str(dated_sheet), "--db", str(ledger_path), "--progress-date", "2022年12月5日"]
    assert main([*args, "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["progress_date"] == {"date": "2022-12-05", "source": "--progress-date 指定"}
    assert out["plan"]["report_date"] == "2022-11-30"
    assert progress_dates(ledger_path) == {date(2022, 12, 5)}


def test_the_cli_takes_future_progress_only_with_allow_future(
    dated_sheet: Path, ledger_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    soon = (date.today() + timedelta(days=3)).isoformat()
    args = ["import-excel", str(dated_sheet), "--db", str(ledger_path), "--progress-date", soon]
    assert main(args) != 0
    assert "晚于今天" in capsys.readouterr().err
    assert progress_dates(ledger_path) == set()
    assert main([*args, "--allow-future"]) == 0
    assert progress_dates(ledger_path) == {date.fromisoformat(soon)}
    far = (date.today() + timedelta(days=40)).isoformat()
    assert main([*args[:-1], far, "--allow-future"]) != 0
    assert "晚一个多月" in capsys.readouterr().err


def test_cli_dates_take_every_form_and_say_why_not(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["import-excel", "x.xlsx", "--db", "x.sqlite3", "--progress-date", "2022-11-31"])
    assert "2022年11月只有 30 天" in capsys.readouterr().err
