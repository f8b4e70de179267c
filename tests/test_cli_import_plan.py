"""``ledger-cli import-plan``: a plan file into a ledger (made when missing), all or nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ledger_app.cli.main import main
from ledger_app.services import Ledger
from tests.plan_factory import PlanMeasure, PlanTask, add_table, docx_bytes, fields_plan

TASKS = [
    PlanTask("河道垃圾堆放。", responsible=["县水利局"], deadline="2024年底前",
             measures=[PlanMeasure("开展清理。"), PlanMeasure("建立巡河制度。")]),
    PlanTask("扬尘污染。", lead=["县住建局"], cooperating=["县城管局"], deadline="立行立改、长期坚持",
             supervising=["县委督查室"]),
]  # fmt: skip
ROUND = "第二轮省生态环境保护督察"


@pytest.fixture
def plan(tmp_path: Path) -> Path:
    path = tmp_path / "整改方案.txt"
    path.write_text(fields_plan(TASKS), encoding="gb18030")
    return path


def _dump(db: Path, capsys: pytest.CaptureFixture[str]) -> dict:  # type: ignore[type-arg]
    assert main(["dump", "--db", str(db), "--today", "2024-01-15"]) == 0
    return json.loads(capsys.readouterr().out)


def test_import_into_a_new_ledger(plan: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "新台账.sqlite3"
    assert main(["import-plan", str(plan), "--db", str(db), "--round", ROUND]) == 0
    captured = capsys.readouterr()
    assert "已新建台账" in captured.err
    assert "任务 2 项,措施 2 条" in captured.out and f"督察批次「{ROUND}」(已新建):新增 2 项" in captured.out
    data = _dump(db, capsys)
    (rnd,) = data["rounds"]
    assert rnd["name"] == ROUND
    river, dust = rnd["tasks"]
    assert (river["seq"], river["description"], river["responsible_units"]) == (
        "1",
        "河道垃圾堆放。",
        ["县水利局"],
    )
    assert [m["text"] for m in river["measures"]] == ["开展清理。", "建立巡河制度。"]
    assert river["deadline"] == "2024-12-31" and dust["deadline"] == "long-term"
    assert dust["lead_units"] == ["县住建局"] and dust["cooperating_units"] == ["县城管局"]
    assert dust["supervising_units"] == ["县委督查室"]
    # The same plan again: nothing duplicated.
    assert main(["import-plan", str(plan), "--db", str(db), "--round", ROUND, "--json"]) == 0
    again = json.loads(capsys.readouterr().out)["result"]
    assert again["created"] == [] and again["unchanged"] == 2


def test_dry_run_writes_nothing(plan: Path, ledger_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert (
        main(["import-plan", str(plan), "--db", str(ledger_path), "--round", ROUND, "--dry-run", "--json"])
        == 0
    )
    out = json.loads(capsys.readouterr().out)
    assert out["result"]["dry_run"] and len(out["result"]["created"]) == 2
    assert out["new_units"] == ["县水利局", "县住建局", "县城管局", "县委督查室"]
    assert [t["shape"] for t in out["plan"]["tasks"]] == ["fields", "fields"]
    with Ledger.open(ledger_path) as ledger:
        assert ledger.directory.list_rounds() == []


def test_round_guessed_from_the_title(
    plan: Path, ledger_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["import-plan", str(plan), "--db", str(ledger_path)]) == 0
    with Ledger.open(ledger_path) as ledger:
        assert [r.name for r in ledger.directory.list_rounds()] == ["第二轮省生态环境保护督察"]


def test_flagged_lines_exit_1_and_are_listed(
    tmp_path: Path, ledger_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "方案.txt"
    path.write_text(
        "一、问题甲。\n责任单位:县水利局\n整改时限:明年春天\n二、其他事项\n要高度重视。\n", encoding="utf-8"
    )
    assert main(["import-plan", str(path), "--db", str(ledger_path), "--round", ROUND]) == 1
    out = capsys.readouterr().out
    assert "[未导入] 第4行" in out and "[未导入] 第5行" in out and "[提示] 第3行" in out
    with Ledger.open(ledger_path) as ledger:
        assert [r.task_count for r in ledger.directory.list_rounds()] == [1]


def test_word_table_plan(tmp_path: Path, ledger_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "清单.docx"
    path.write_bytes(
        docx_bytes(lambda d: add_table(d, ["序号", "反馈问题", "责任单位", "整改时限", "整改措施"],
                                       [["1", "问题甲。", "县水利局", "2024年底前", "1.措施一\n2.措施二"]]))
    )  # fmt: skip
    assert main(["import-plan", str(path), "--db", str(ledger_path), "--round", ROUND]) == 0
    capsys.readouterr()
    data = _dump(ledger_path, capsys)
    assert [m["text"] for m in data["rounds"][0]["tasks"][0]["measures"]] == ["措施一", "措施二"]


@pytest.mark.parametrize("data", [b"\x00\x01binary" * 100, b"PK\x03\x04broken"])
def test_refused_file_exits_2_and_leaves_no_ledger(
    data: bytes, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "坏.docx"
    path.write_bytes(data)
    db = tmp_path / "不该出现.sqlite3"
    assert main(["import-plan", str(path), "--db", str(db), "--round", ROUND]) == 2
    err = capsys.readouterr().err
    assert err.startswith("错误:") and "Traceback" not in err
    assert not db.exists()


def test_refused_file_leaves_an_existing_ledger_unchanged(
    tmp_path: Path, ledger_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = ledger_path.read_bytes()
    path = tmp_path / "坏.txt"
    path.write_bytes(b"\x00" * 100)
    assert main(["import-plan", str(path), "--db", str(ledger_path), "--round", ROUND]) == 2
    assert ledger_path.read_bytes() == before
