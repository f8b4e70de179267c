"""Storage failures in the clerk's words: read-only media, a full disk, a vanished folder, a held lock.

Read-only media and a full disk are real here: a small tmpfs, remounted read-only or filled up (root
only; skipped elsewhere). Each case checks the message, that the ledger is unchanged, and that no
traceback reaches the clerk (CLI output is read whole).
"""

from __future__ import annotations

import errno
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from ledger_app.domain.errors import (
    DiskFullError,
    LedgerBusyError,
    ReadOnlyStorageError,
    StorageError,
    StorageGoneError,
)
from ledger_app.domain.model import ProblemKind, RoundLevel
from ledger_app.services import Ledger
from ledger_app.store.errors import storage_error


# -- the translation itself --------------------------------------------------------------------------
def sqlite_error(code: int, message: str) -> sqlite3.OperationalError:
    exc = sqlite3.OperationalError(message)
    exc.sqlite_errorcode = code  # type: ignore[attr-defined]
    return exc


@pytest.mark.parametrize(
    ("exc", "kind", "words"),
    [
        (sqlite_error(13, "database or disk is full"), DiskFullError, "磁盘空间不足"),
        (sqlite_error(5, "database is locked"), LedgerBusyError, "另一个程序"),
        (sqlite_error(8, "attempt to write a readonly database"), ReadOnlyStorageError, "只读"),
        (sqlite_error(10 | (3 << 8), "disk I/O error"), StorageGoneError, "拔出"),
        (sqlite_error(14, "unable to open database file"), StorageGoneError, "不可用"),
        (OSError(errno.ENOSPC, "No space left on device", "/mnt/u/x.xlsx"), DiskFullError, "/mnt/u/x.xlsx"),
        (OSError(errno.EROFS, "Read-only file system"), ReadOnlyStorageError, "只读"),
        (PermissionError(errno.EACCES, "Permission denied", "月报.xlsx"), StorageError, "Excel"),
        (FileNotFoundError(errno.ENOENT, "No such file"), StorageGoneError, "U盘"),
    ],
)
def test_storage_failures_get_chinese_words(exc: BaseException, kind: type, words: str) -> None:
    known = storage_error(exc, "台账.sqlite3")
    assert isinstance(known, kind)
    assert words in known.message_zh
    assert "Error" not in known.message_zh and "SELECT" not in known.message_zh


def test_an_ordinary_bug_is_not_dressed_up_as_a_storage_failure() -> None:
    assert storage_error(ValueError("bug")) is None
    assert storage_error(sqlite3.OperationalError("no such column: foo")) is None


# -- real failures on a small disk --------------------------------------------------------------------
def _mount(point: Path, size: str) -> None:
    point.mkdir()
    try:
        subprocess.run(
            ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(point)],
            check=True,
            capture_output=True,
        )
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("needs root to mount a small tmpfs")


@pytest.fixture
def disk(tmp_path: Path) -> Iterator[Path]:
    point = tmp_path / "U盘"
    _mount(point, "3m")
    yield point
    subprocess.run(["umount", "-l", str(point)], check=False, capture_output=True)


def _seeded(path: Path) -> None:
    with Ledger.open(path, create=True, actor="测试员") as ledger:
        round_id = ledger.directory.create_round(name="第二轮中央生态环境保护督察", level=RoundLevel.CENTRAL)
        ledger.tasks.create_task(
            round_id=round_id, seq="1", kind=ProblemKind.SPECIFIC, description="某河段黑臭水体"
        )


def _dump(path: Path) -> str:
    out = subprocess.run(
        [sys.executable, "-m", "ledger_app.cli.main", "dump", "--db", str(path), "--today", "2026-12-01"],
        capture_output=True,
        text=True,
        check=True,
    )
    return out.stdout


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ledger_app.cli.main", *args], capture_output=True, text=True
    )


def _fill(disk: Path) -> None:
    with (disk / "填满.bin").open("wb") as fh:
        try:
            while True:
                fh.write(b"\0" * 65536)
        except OSError:
            pass


def test_a_full_disk_refuses_the_edit_in_words_and_keeps_the_ledger(disk: Path) -> None:
    path = disk / "台账.sqlite3"
    _seeded(path)
    before = _dump(path)
    with Ledger.open(path, actor="测试员") as ledger:
        _fill(disk)
        task_id = ledger.queries.list_tasks()[0].id
        with pytest.raises(DiskFullError, match="磁盘空间不足"):
            for i in range(200):  # small edits may still fit in free pages: keep writing until full
                ledger.tasks.add_progress(
                    task_id, entry_date=date(2026, 11, 1), text="很长的进展" * 2000 + str(i)
                )
        with pytest.raises(DiskFullError):  # a change that needs no new page fails as clearly
            ledger.tasks.update_task(task_id, note="改了")
    (disk / "填满.bin").unlink()
    assert _dump(path) == before  # nothing half-written: every refused change left no trace
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()


def test_export_on_a_full_disk_says_so_once_and_leaves_no_half_file(disk: Path, tmp_path: Path) -> None:
    path = tmp_path / "台账.sqlite3"
    _seeded(path)
    _fill(disk)
    done = _cli("export-monthly", "--db", str(path), "--month", "2026-11", "-o", str(disk / "月报.xlsx"))
    assert done.returncode == 2
    assert "磁盘空间不足" in done.stderr or "无法保存" in done.stderr
    assert "Traceback" not in done.stderr and "Exception ignored" not in done.stderr
    assert sorted(p.name for p in disk.iterdir()) == ["填满.bin"]


def test_read_only_media_opens_read_only_and_refuses_writes_in_words(disk: Path) -> None:
    path = disk / "台账.sqlite3"
    _seeded(path)
    subprocess.run(["mount", "-o", "remount,ro", str(disk)], check=True)
    with pytest.raises(ReadOnlyStorageError, match="只读"):
        Ledger.open(path)
    with Ledger.open(path, read_only=True) as ledger:
        assert ledger.tasks.count_tasks() == 1
    done = _cli("import-excel", str(disk / "无.xlsx"), "--db", str(path))
    assert done.returncode == 2 and "只读" in done.stderr and "Traceback" not in done.stderr
    done = _cli("attach", "--db", str(path), "--task", "1", str(path))
    assert done.returncode == 2 and "只读" in done.stderr and "内部错误" not in done.stderr
    assert _cli("dump", "--db", str(path)).returncode == 0  # reading still works


def test_a_vanished_folder_is_named_not_a_crash(tmp_path: Path) -> None:
    folder = tmp_path / "U盘"
    folder.mkdir()
    path = folder / "台账.sqlite3"
    _seeded(path)
    with Ledger.open(path, actor="测试员") as ledger:
        task_id = ledger.queries.list_tasks()[0].id
        folder.rename(tmp_path / "拔出")
        try:
            with pytest.raises(StorageGoneError, match="拔出"):
                ledger.tasks.update_task(task_id, note="改了")
        finally:
            (tmp_path / "拔出").rename(folder)


def test_a_held_lock_is_a_clear_cli_refusal(ledger_path: Path) -> None:
    with Ledger.open(ledger_path, actor="张三"):
        done = _cli("new", "--db", str(ledger_path))
        assert done.returncode == 2 and "已存在" in done.stderr
        done = _cli("import-excel", str(ledger_path), "--db", str(ledger_path))
        assert done.returncode == 2
        assert "张三" in done.stderr and "Traceback" not in done.stderr and "内部错误" not in done.stderr
        assert _cli("stats", "--db", str(ledger_path)).returncode == 0  # reading needs no lock


def test_new_makes_an_empty_ledger_and_import_makes_a_missing_one(tmp_path: Path) -> None:
    path = tmp_path / "新台账" / "2026.sqlite3"
    done = _cli("new", "--db", str(path))
    assert done.returncode == 0 and "已新建空台账" in done.stdout
    with Ledger.open(path) as ledger:
        assert ledger.tasks.count_tasks() == 0
    shutil.rmtree(path.parent)
    workbook = tmp_path / "台账.xlsx"
    _seeded(tmp_path / "src.sqlite3")
    assert (
        _cli(
            "export-monthly", "--db", str(tmp_path / "src.sqlite3"), "--month", "2026-11", "-o", str(workbook)
        ).returncode
        == 0
    )
    done = _cli("import-excel", str(workbook), "--db", str(path))
    assert done.returncode in (0, 1), done.stderr
    assert "已新建台账" in done.stderr
    with Ledger.open(path) as ledger:
        assert ledger.tasks.count_tasks() == 1
