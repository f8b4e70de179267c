"""``ledger-cli stats --round --chart-dir`` and ``ledger-cli progress-report``: the same numbers as
the overview, charts drawn headless, the .docx read back."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from docx import Document
from PySide6.QtGui import QImage

from ledger_app.cli.main import main
from ledger_app.domain.model import ProblemKind, RoundLevel
from ledger_app.services import Ledger


@pytest.fixture
def small_ledger(ledger_path: Path) -> Path:
    with Ledger.open(ledger_path) as ledger:
        a = ledger.directory.create_round(
            name="第二轮中央生态环境保护督察", level=RoundLevel.CENTRAL, feedback_date=date(2026, 1, 1)
        )
        b = ledger.directory.create_round(name="第二轮省生态环境保护督察", level=RoundLevel.PROVINCIAL)
        for n in range(3):
            ledger.tasks.create_task(
                round_id=a,
                kind=ProblemKind.SPECIFIC,
                description=f"问题{n}",
                deadline="2026年3月底前",
                lead_units=["区水利局"],
            )
        ledger.tasks.create_task(
            round_id=b,
            kind=ProblemKind.PETITION,
            description="信访件",
            deadline="2026年12月底前",
            lead_units=["区城管局"],
            batch="第1批",
        )
    return ledger_path


def test_stats_for_one_round_with_charts(
    small_ledger: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    charts = tmp_path / "图表"
    code = main(
        [
            "stats",
            "--db",
            str(small_ledger),
            "--round",
            "第二轮中央生态环境保护督察",
            "--today",
            "2026-06-30",
            "--json",
            "--chart-dir",
            str(charts),
        ]
    )
    assert code == 0
    data = json.loads(capsys.readouterr().out)
    assert data["total"]["total"] == 3 and data["total"]["lagging"] == 3
    assert data["overview"]["round"] == "第二轮中央生态环境保护督察"
    assert [(r["unit"], r["colour"]) for r in data["overview"]["ranking"]] == [("区水利局", "red")]
    assert [m["month"] for m in data["overview"]["months"]] == [f"2026-0{m}" for m in range(1, 7)]
    assert [m["lagging"] for m in data["overview"]["months"]] == [
        0,
        0,
        0,
        3,
        3,
        3,
    ]  # due 3-31: lagging from April
    for path in map(Path, data["charts"]):
        image = QImage(str(path))
        assert path.parent == charts and not image.isNull() and image.width() >= 1200
    # All rounds, as text: the ranking and the petitions by batch follow the usual figures.
    assert main(["stats", "--db", str(small_ledger), "--today", "2026-06-30"]) == 0
    out = capsys.readouterr().out
    assert "任务总数 4 项" in out and "[红] 区水利局" in out and "第1批:1 件" in out


def test_stats_refuses_an_unknown_round(small_ledger: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["stats", "--db", str(small_ledger), "--round", "没有这个批次"]) == 2
    assert "没有这个批次" in capsys.readouterr().err


def test_progress_report_command(
    small_ledger: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "报告.docx"
    code = main(["progress-report", "--db", str(small_ledger), "--as-of", "2026-06-30", "-o", str(out)])
    assert code == 0
    body = "\n".join(p.text for p in Document(str(out)).paragraphs)
    assert "整改任务共4项\uff0c已完成整改0项" in body
    assert "问题0" in body and "信访件" in body
    assert "2026年6月30日" in body


def test_monthly_report_with_charts_in_the_stats_sheet(small_ledger: Path, tmp_path: Path) -> None:
    import openpyxl

    out = tmp_path / "月报.xlsx"
    assert (
        main(["export-monthly", "--db", str(small_ledger), "--month", "2026-06", "--charts", "-o", str(out)])
        == 0
    )
    sheet = openpyxl.load_workbook(out)["统计"]
    images = sheet._images  # openpyxl keeps a sheet's pictures here
    assert len(images) == 2
    # Under the figures, one below the other.
    rows = [image.anchor._from.row for image in images]
    assert rows[0] >= sheet.max_row - 1 and rows[1] > rows[0]
    # Without --charts: no pictures (and no Qt).
    plain = tmp_path / "plain.xlsx"
    assert main(["export-monthly", "--db", str(small_ledger), "--month", "2026-06", "-o", str(plain)]) == 0
    assert openpyxl.load_workbook(plain)["统计"]._images == []


def test_reminders_command(small_ledger: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "文书"
    args = ["reminders", "--db", str(small_ledger), "--out-dir", str(folder), "--date", "2026-06-30"]
    assert main([*args, "--dry-run"]) == 0
    assert "督办单:区水利局" in capsys.readouterr().out and not folder.exists()
    assert main(args) == 0
    assert "督办〔2026〕1号:区水利局,3 项任务" in capsys.readouterr().out
    assert [p.name for p in folder.iterdir()] == ["01-督办单-区水利局.pdf"]
    assert main(["stats", "--db", str(small_ledger), "--today", "2026-06-30"]) == 0
    assert "已发督办单 1 份、提醒函 0 份(本月 1 份、0 份)" in capsys.readouterr().out
