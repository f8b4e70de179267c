"""``ledger-cli import-excel``: a monthly report of several rounds, reported and imported per round."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ledger_app.cli.main import main
from ledger_app.services import Ledger


@pytest.fixture
def report(demo_ledger: Ledger, tmp_path: Path) -> Path:
    path = tmp_path / "月报.xlsx"
    demo_ledger.reports.export_monthly_report(path, year=2026, month=10)
    return path


def test_dry_run_then_import_put_each_task_in_its_round(
    report: Path, demo_ledger: Ledger, ledger_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rounds = {r.name: r.task_count for r in demo_ledger.directory.list_rounds()}
    assert len(rounds) > 1
    assert main(["import-excel", str(report), "--db", str(ledger_path), "--dry-run"]) == 0
    out = capsys.readouterr().out
    for name, count in rounds.items():
        assert f"督察批次「{name}」(将新建):新增 {count} 项" in out
    assert "试运行" in out
    with Ledger.open(ledger_path) as target:
        assert target.directory.list_rounds() == []
    assert main(["import-excel", str(report), "--db", str(ledger_path), "--json"]) == 0
    result = json.loads(capsys.readouterr().out)["result"]
    assert {r["name"]: (r["new"], r["created"]) for r in result["rounds"]} == {
        name: (True, count) for name, count in rounds.items()
    }
    with Ledger.open(ledger_path) as target:
        assert {r.name: r.task_count for r in target.directory.list_rounds()} == rounds
    # The same file again: nothing new, nothing changed, in any round.
    assert main(["import-excel", str(report), "--db", str(ledger_path), "--json"]) == 0
    again = json.loads(capsys.readouterr().out)["result"]
    assert (again["created"], again["changed"], again["missing"]) == ([], [], [])
    assert sum(r["unchanged"] for r in again["rounds"]) == sum(rounds.values())


def test_a_report_of_one_round_takes_its_round_from_the_title(
    demo_ledger: Ledger, ledger_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    name = demo_ledger.directory.list_rounds()[0].name
    path = tmp_path / "一个批次.xlsx"
    demo_ledger.reports.export_monthly_report(path, year=2026, month=10, round_name=name)
    assert main(["import-excel", str(path), "--db", str(ledger_path)]) == 0
    assert f"督察批次「{name}」(已新建)" in capsys.readouterr().out
    with Ledger.open(ledger_path) as target:
        assert [r.name for r in target.directory.list_rounds()] == [name]


def test_parts_numbered_from_one_import_once_and_reimport_unchanged(
    ledger_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.test_io_excel_import_parts import _restarting_ledger
    from tests.xlsx_factory import write_xlsx

    path = write_xlsx(tmp_path / "分别编号.xlsx", _restarting_ledger())
    args = [
        "import-excel",
        str(path),
        "--db",
        str(ledger_path),
        "--round",
        "第三轮省生态环境保护督察",
        "--json",
    ]
    assert main(args) == 0
    first = json.loads(capsys.readouterr().out)["result"]
    assert len(first["created"]) == 9
    assert main(args) == 0
    again = json.loads(capsys.readouterr().out)["result"]
    assert (again["created"], again["changed"], again["missing"]) == ([], [], [])
    with Ledger.open(ledger_path) as ledger:
        assert sorted(t.seq for t in ledger.records.task_records()) == sorted(
            ["1", "2", "3", "共性-1", "共性-2", "1", "2", "第二批-1", "第二批-2"]
        )
