"""``ledger-cli undo`` / ``redo`` share the undo history, and the redo stack, with the GUI."""

from __future__ import annotations

from pathlib import Path

import pytest

from ledger_app.cli.main import main
from ledger_app.domain.model import ProblemKind, RoundLevel
from ledger_app.services import Ledger


def test_undo_in_the_window_redo_on_the_command_line(
    ledger_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with Ledger.open(ledger_path, actor="李华") as window_ledger:  # what the GUI's 撤销 calls
        rid = window_ledger.directory.create_round(
            name="第二轮中央生态环境保护督察", level=RoundLevel.CENTRAL
        )
        task_id = window_ledger.tasks.create_task(
            round_id=rid, kind=ProblemKind.SPECIFIC, description="河道垃圾"
        )
        window_ledger.tasks.update_task(task_id, leader="王五")
        window_ledger.history.undo_last()
        seq = window_ledger.records.task_record(task_id).seq
    db = str(ledger_path)
    assert main(["redo", "--db", db, "--actor", "李华", "--dry-run"]) == 0
    assert capsys.readouterr().out.strip() == f"可以重做:修改任务 {seq} 的责任领导"
    assert main(["redo", "--db", db, "--actor", "李华"]) == 0
    assert capsys.readouterr().out.strip() == f"已重做:修改任务 {seq} 的责任领导"
    with Ledger.open(ledger_path) as check:
        assert check.records.task_record(task_id).leader == "王五"
    # Nothing left to redo: a refusal (exit 2) with its reason in Chinese, never a traceback.
    assert main(["redo", "--db", db, "--actor", "李华"]) == 2
    assert "没有可以重做的操作" in capsys.readouterr().err
    assert main(["undo", "--db", db, "--actor", "李华"]) == 0
    assert capsys.readouterr().out.strip() == f"已撤销:修改任务 {seq} 的责任领导"
    with Ledger.open(ledger_path, actor="李华") as window_ledger:
        assert window_ledger.records.task_record(task_id).leader == ""
        assert window_ledger.history.redo_label() == f"修改任务 {seq} 的责任领导"
