"""``ledger-cli copy``: the ledger and its evidence files, exit codes, one-line refusals."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from ledger_app.cli.common import EXIT_ERROR, EXIT_OK, EXIT_PROBLEM_FOUND
from ledger_app.cli.main import main
from ledger_app.domain.model import ProblemKind, RoundLevel
from ledger_app.services import Ledger


def write(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def run(capsys: pytest.CaptureFixture[str], *argv: str | Path) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def db(ledger_path: Path, tmp_path: Path) -> Path:
    with Ledger.open(ledger_path) as ledger:
        round_id = ledger.directory.create_round(name="中央第二轮", level=RoundLevel.CENTRAL)
        task = ledger.tasks.create_task(
            round_id=round_id, kind=ProblemKind.SPECIFIC, seq=1, description="河道黑臭"
        )
        ledger.attachments.add_attachments(
            task,
            [write(tmp_path / "src" / "整改后.jpg", b"after"), write(tmp_path / "src" / "验收.pdf", b"%PDF")],
        )
    return ledger_path


def test_copy_writes_the_ledger_and_its_evidence(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    dest = tmp_path / "U盘" / "副本.sqlite3"
    dest.parent.mkdir()
    code, out, err = run(capsys, "copy", "--db", db, dest)
    assert code == EXIT_OK, err
    assert str(dest) in out and "佐证材料 2 个文件" in out
    assert sorted(p.name for p in dest.parent.iterdir()) == ["副本.files", "副本.sqlite3"]
    # The copy is a whole ledger: its dump lists the evidence, and its check finds nothing wrong.
    code, out, _ = run(capsys, "dump", "--db", dest)
    (task,) = [t for r in json.loads(out)["rounds"] for t in r["tasks"]]
    assert sorted(a["name"] for a in task["attachments"]) == ["整改后.jpg", "验收.pdf"]
    code, out, _ = run(capsys, "check", "--db", dest)
    assert code == EXIT_OK, out


def test_an_existing_copy_is_replaced_only_with_force(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    dest = write(tmp_path / "副本.sqlite3", b"older copy")
    code, _, err = run(capsys, "copy", "--db", db, dest)
    assert code == EXIT_ERROR and "文件已存在" in err and err.count("\n") == 1
    assert dest.read_bytes() == b"older copy"
    code, _, err = run(capsys, "copy", "--db", db, dest, "--force")
    assert code == EXIT_OK, err
    with Ledger.open(dest) as copy:
        assert copy.tasks.count_tasks() == 1


def test_a_foreign_attachment_folder_is_refused_even_with_force(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    dest = write(tmp_path / "副本.sqlite3", b"older copy")
    write(tmp_path / "副本.files" / "objects" / "00" / "11", b"someone's evidence")
    code, out, err = run(capsys, "copy", "--db", db, dest, "--force")
    assert code == EXIT_ERROR and out == ""
    assert err.startswith("错误:") and "副本.files" in err and " / " in err and err.count("\n") == 1
    assert dest.read_bytes() == b"older copy"


@pytest.mark.parametrize(
    ("dest", "expected"),
    [
        ("ledger.sqlite3", "正在使用的台账文件本身"),
        ("copy.txt", ".sqlite3"),
        ("无此文件夹/copy.sqlite3", "目标文件夹不存在"),
    ],
)
def test_refusals_exit_2_with_one_line(
    db: Path, capsys: pytest.CaptureFixture[str], dest: str, expected: str
) -> None:
    code, _, err = run(capsys, "copy", "--db", db, db.parent / dest, "--force")
    assert code == EXIT_ERROR and expected in err and err.count("\n") == 1


def test_missing_database_and_missing_argument(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "copy", "--db", tmp_path / "none.sqlite3", tmp_path / "c.sqlite3")
    assert code == EXIT_ERROR and "找不到台账文件" in err
    assert not (tmp_path / "c.sqlite3").exists()
    with pytest.raises(SystemExit) as exited:  # no DEST: argparse refuses
        main(["copy", "--db", str(tmp_path / "none.sqlite3")])
    assert exited.value.code == EXIT_ERROR and "参数错误" in capsys.readouterr().err


def test_evidence_missing_in_the_original_gives_exit_1(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with Ledger.open(db) as ledger:
        (pdf,) = [
            a
            for a in ledger.attachments.list_attachments(ledger.queries.list_tasks()[0].id)
            if a.name == "验收.pdf"
        ]
        lost = ledger.attachments.store.object_path(pdf.sha256)
    os.chmod(lost, 0o644)
    lost.unlink()
    dest = tmp_path / "副本.sqlite3"
    code, out, _ = run(capsys, "copy", "--db", db, dest)
    assert code == EXIT_PROBLEM_FOUND
    assert "验收.pdf" in out and dest.exists()
