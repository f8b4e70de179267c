"""``ledger-cli backups / backup / restore / archive`` end to end through ``cli.main``."""

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path

import pytest

from ledger_app.cli.main import main
from ledger_app.services import Ledger
from ledger_app.store.backup import backups_dir


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def dump(capsys: pytest.CaptureFixture[str], db: Path) -> str:
    code, out, _err = run(capsys, "dump", "--db", str(db), "--today", "2026-11-23")
    assert code == 0
    return out


@pytest.fixture
def db(demo_template: Path, tmp_path: Path) -> Path:
    path = tmp_path / "台账.sqlite3"
    shutil.copyfile(demo_template, path)
    evidence = tmp_path / "现场照片.jpg"
    evidence.write_bytes(b"\xff\xd8 photo" * 100)
    assert (
        main(
            [
                "attach",
                "--db",
                str(path),
                "--task",
                "1",
                "--round",
                "第二轮中央生态环境保护督察",
                "--section",
                "反馈问题",
                str(evidence),
            ]
        )
        == 0
    )
    return path


def test_backup_list_change_restore(capsys: pytest.CaptureFixture[str], db: Path) -> None:
    capsys.readouterr()
    original = dump(capsys, db)
    code, out, _ = run(capsys, "backups", "--db", str(db))
    assert code == 0 and "还没有备份" in out
    code, out, _ = run(capsys, "backup", "--db", str(db))
    assert code == 0 and "已备份" in out
    code, out, _ = run(capsys, "backups", "--db", str(db), "--json")
    listed = json.loads(out)
    (entry,) = listed["backups"]
    assert entry["reason"] == "manual" and entry["reason_label"] == "手动" and entry["tasks"] == 120
    assert listed["policy"] == {"keep_last": 10, "keep_daily": 30, "keep_monthly": 12}
    with Ledger.open(db) as ledger:
        ledger.tasks.delete_task(ledger.queries.list_tasks()[0].id)
    assert dump(capsys, db) != original
    # The backup by its file name alone: it is looked up in the ledger's backups folder.
    code, out, err = run(capsys, "restore", "--db", str(db), Path(entry["path"]).name)
    assert code == 0, err
    assert "恢复前的台账已备份为" in out
    assert dump(capsys, db) == original
    code, out, _ = run(capsys, "backups", "--db", str(db))
    assert "恢复前" in out and "手动" in out


def test_archive_and_restore_into_a_new_folder(
    capsys: pytest.CaptureFixture[str], db: Path, tmp_path: Path
) -> None:
    capsys.readouterr()
    original = dump(capsys, db)
    out_zip = tmp_path / "归档.zip"
    code, out, err = run(capsys, "archive", "--db", str(db), "-o", str(out_zip))
    assert code == 0, err
    assert "佐证材料 1 个文件" in out
    code, _out, err = run(capsys, "archive", "--db", str(db), "-o", str(out_zip))
    assert code == 2 and "文件已存在" in err
    target = tmp_path / "另一台电脑"
    code, out, err = run(capsys, "restore", "--db", str(db), str(out_zip), "--to", str(target))
    assert code == 0, err
    restored = target / "台账.sqlite3"
    assert dump(capsys, restored) == original
    assert sorted(p.name for p in (target / "台账.files" / "objects").rglob("*") if p.is_file())
    # Into a folder that is not empty: refused, one Chinese line, nothing changed.
    code, _out, err = run(capsys, "restore", "--db", str(db), str(out_zip), "--to", str(target))
    assert code == 2 and err.startswith("错误:") and "不是空的" in err and "Traceback" not in err
    # Without --to: refused (an archive never replaces the ledger).
    code, _out, err = run(capsys, "restore", "--db", str(db), str(out_zip))
    assert code == 2 and "--to" in err


def test_a_hostile_archive_is_refused_by_the_cli(
    capsys: pytest.CaptureFixture[str], db: Path, tmp_path: Path
) -> None:
    good = tmp_path / "good.zip"
    assert main(["archive", "--db", str(db), "-o", str(good)]) == 0
    bad = tmp_path / "bad.zip"
    with zipfile.ZipFile(good) as zin, zipfile.ZipFile(bad, "w") as zout:
        for info in zin.infolist():
            zout.writestr(info.filename, zin.read(info))
        zout.writestr("../escape.txt", b"x")
    capsys.readouterr()
    before = dump(capsys, db)
    code, _out, err = run(capsys, "restore", "--db", str(db), str(bad), "--to", str(tmp_path / "t"))
    assert code == 2 and "之外的路径" in err
    assert not (tmp_path / "t").exists() and not (tmp_path.parent / "escape.txt").exists()
    assert dump(capsys, db) == before


def test_refusals(capsys: pytest.CaptureFixture[str], db: Path, tmp_path: Path) -> None:
    capsys.readouterr()
    code, _out, err = run(capsys, "restore", "--db", str(db), "nope.sqlite3")
    assert code == 2 and "找不到备份文件" in err
    junk = tmp_path / "junk.sqlite3"
    junk.write_bytes(b"not a database at all" * 100)
    code, _out, err = run(capsys, "restore", "--db", str(db), str(junk))
    assert code == 2 and "台账" in err
    assert not backups_dir(db).exists()
    code, _out, err = run(capsys, "backups", "--db", str(tmp_path / "missing.sqlite3"))
    assert code == 2 and "找不到台账文件" in err
