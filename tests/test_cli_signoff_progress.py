"""``ledger-cli signoff --progress all|latest``: what 整改落实情况 says on the printed form."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader

from ledger_app.cli.main import main
from ledger_app.domain.model import ProblemKind, RoundLevel
from ledger_app.services import Ledger


@pytest.fixture
def task_with_history(ledger: Ledger) -> Ledger:
    round_id = ledger.directory.create_round(name="第二轮中央生态环境保护督察", level=RoundLevel.CENTRAL)
    task = ledger.tasks.create_task(
        round_id=round_id,
        kind=ProblemKind.SPECIFIC,
        seq=7,
        description="青溪河黑臭水体整治",
        lead_units=["区住建局"],
        deadline="2025年12月底前",
    )
    for day, text in (
        (date(2025, 3, 20), "完成排口排查。"),
        (date(2025, 6, 18), "截污纳管完成一半。"),
        (date(2025, 9, 30), "截污纳管全部完工。"),
    ):
        ledger.tasks.add_progress(task, entry_date=day, text=text)
    return ledger


def _signoff(ledger: Ledger, out: Path, *extra: str) -> str:
    code = main(["signoff", "--db", str(ledger.path), "--task", "7", "-o", str(out), *extra])
    assert code == 0
    return re.sub(r"\s+", "", "".join(p.extract_text() or "" for p in PdfReader(str(out)).pages))


def test_all_progress_by_default(task_with_history: Ledger, tmp_path: Path) -> None:
    text = _signoff(task_with_history, tmp_path / "a.pdf")
    assert "2025年3月：完成排口排查。2025年6月：截污纳管完成一半。2025年9月：截污纳管全部完工。" in text


def test_latest_only(task_with_history: Ledger, tmp_path: Path) -> None:
    text = _signoff(task_with_history, tmp_path / "l.pdf", "--progress", "latest")
    assert "截污纳管全部完工。" in text
    assert "完成排口排查" not in text and "2025年3月" not in text


def test_an_unknown_choice_is_refused(
    task_with_history: Ledger, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exc:
        main(
            [
                "signoff",
                "--db",
                str(task_with_history.path),
                "--task",
                "7",
                "-o",
                str(tmp_path / "x.pdf"),
                "--progress",
                "some",
            ]
        )
    assert exc.value.code == 2
    assert "latest" in capsys.readouterr().err
