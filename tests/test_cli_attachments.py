"""``ledger-cli check``, ``attach`` and ``evidence-zip``: output, exit codes, JSON."""

from __future__ import annotations

import json
import os
import time
import zipfile
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


@pytest.fixture
def db(ledger_path: Path) -> Path:
    with Ledger.open(ledger_path) as ledger:
        central = ledger.directory.create_round(name="中央第二轮", level=RoundLevel.CENTRAL)
        province = ledger.directory.create_round(name="省第一轮", level=RoundLevel.PROVINCIAL)
        ledger.tasks.create_task(
            round_id=central, kind=ProblemKind.SPECIFIC, seq=1, description="河道黑臭水体"
        )
        ledger.tasks.create_task(round_id=central, kind=ProblemKind.SPECIFIC, seq=2, description="扬尘污染")
        ledger.tasks.create_task(round_id=province, kind=ProblemKind.SPECIFIC, seq=1, description="噪声扰民")
    return ledger_path


def run(capsys: pytest.CaptureFixture[str], *argv: str | Path) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_attach_a_folder_then_zip_and_dump_it(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "材料"
    write(folder / "整改后.jpg", b"after")
    write(folder / "子目录" / "验收.pdf", b"%PDF")

    code, out, _ = run(capsys, "attach", "--db", db, "--task", "2", "--description", "区住建局", folder)
    assert code == EXIT_OK and "已添加 2 个文件" in out

    code, out, _ = run(capsys, "evidence-zip", "--db", db, "--task", "2", "-o", tmp_path / "e.zip")
    assert code == EXIT_OK and "e.zip" in out
    with zipfile.ZipFile(tmp_path / "e.zip") as archive:
        assert archive.namelist() == ["2-扬尘污染/整改后.jpg", "2-扬尘污染/验收.pdf"]

    code, out, _ = run(capsys, "dump", "--db", db)
    task = next(t for r in json.loads(out)["rounds"] for t in r["tasks"] if t["seq"] == "2")
    assert [(a["name"], a["size"], a["description"]) for a in task["attachments"]] == [
        ("整改后.jpg", 5, "区住建局"),
        ("验收.pdf", 4, "区住建局"),
    ]


def test_attach_reports_refused_files_with_exit_1(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    big = write(tmp_path / "视频.mp4", b"v" * (1024 * 1024 + 1))
    ok = write(tmp_path / "照片.jpg", b"jpg")
    code, out, _ = run(capsys, "attach", "--db", db, "--task", "2", "--max-mb", "1", big, ok)
    assert code == EXIT_PROBLEM_FOUND
    assert "已添加 1 个文件" in out and "文件过大" in out and "视频.mp4" in out


def test_an_ambiguous_or_unknown_seq_is_an_error(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    file = write(tmp_path / "a.txt", b"a")
    code, _, err = run(capsys, "attach", "--db", db, "--task", "1", file)
    assert code == EXIT_ERROR and "--round" in err and "中央第二轮" in err and "省第一轮" in err

    code, _, _ = run(capsys, "attach", "--db", db, "--task", "1", "--round", "省第一轮", file)
    assert code == EXIT_OK

    code, _, err = run(capsys, "attach", "--db", db, "--task", "99", file)
    assert code == EXIT_ERROR and "没有序号为 99 的任务" in err


def test_evidence_zip_of_all_tasks_across_rounds(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run(capsys, "attach", "--db", db, "--task", "1", "--round", "中央第二轮", write(tmp_path / "a.pdf", b"a"))
    run(capsys, "attach", "--db", db, "--task", "1", "--round", "省第一轮", write(tmp_path / "b.pdf", b"b"))

    code, _, _ = run(capsys, "evidence-zip", "--db", db, "--all", "-o", tmp_path / "all.zip")
    assert code == EXIT_OK
    with zipfile.ZipFile(tmp_path / "all.zip") as archive:
        assert archive.namelist() == ["中央第二轮/1-河道黑臭水体/a.pdf", "省第一轮/1-噪声扰民/b.pdf"]

    code, _, err = run(capsys, "evidence-zip", "--db", db, "--all", "-o", tmp_path / "all.rar")
    assert code == EXIT_ERROR and ".zip" in err
    with pytest.raises(SystemExit) as exited:  # neither --task nor --all: argparse refuses
        main(["evidence-zip", "--db", str(db), "-o", str(tmp_path / "x.zip")])
    assert exited.value.code == EXIT_ERROR


def test_check_exit_codes_text_and_json(db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run(capsys, "attach", "--db", db, "--task", "2", write(tmp_path / "验收意见.pdf", b"%PDF"))
    code, out, _ = run(capsys, "check", "--db", db)
    assert code == EXIT_OK and "未发现问题" in out

    with Ledger.open(db) as ledger:
        [att] = ledger.attachments.list_attachments(ledger.queries.list_tasks()[1].id)
        ledger.attachments.attachment_file(att.id).unlink()
    code, out, _ = run(capsys, "check", "--db", db)
    assert code == EXIT_PROBLEM_FOUND and "文件缺失" in out and "验收意见.pdf" in out and "--repair" in out

    code, out, _ = run(capsys, "check", "--db", db, "--json")
    data = json.loads(out)
    assert code == EXIT_PROBLEM_FOUND and data["ok"] is False and data["repair"] is None
    [missing] = data["check"]["missing"]
    assert (
        missing["attachments"][0]["name"] == "验收意见.pdf" and "序号 2" in missing["attachments"][0]["task"]
    )

    code, out, _ = run(capsys, "check", "--db", db, "--repair", "--json")
    data = json.loads(out)
    assert code == EXIT_PROBLEM_FOUND and data["ok"] is False
    [unrepaired] = data["repair"]["unrepaired"]
    assert unrepaired["kind"] == "missing" and "重新添加" in unrepaired["reason"]


def test_check_repair_moves_an_orphan_aside_and_then_exits_0(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run(capsys, "attach", "--db", db, "--task", "2", write(tmp_path / "a.pdf", b"%PDF"))
    orphan = write(db.with_name(f"{db.stem}.files") / "objects" / "ff" / ("0" * 62), b"stray bytes")
    old = time.time() - 3600
    os.utime(orphan, (old, old))

    code, out, _ = run(capsys, "check", "--db", db, "--repair")

    assert code == EXIT_OK and "lost+found" in out and not orphan.exists()
    code, _, _ = run(capsys, "check", "--db", db, "--quick")
    assert code == EXIT_OK


def test_check_of_a_file_that_is_not_a_ledger_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "check", "--db", write(tmp_path / "x.sqlite3", b"not sqlite"))
    assert code == EXIT_ERROR and err.startswith("错误:")
