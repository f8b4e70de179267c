"""Putting files in place on Windows: a rename refused while a scanner holds the file is retried."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from ledger_app.store import fileops
from ledger_app.store.fileops import RETRY_DELAYS, replace_file


def held(winerror: int) -> PermissionError:
    exc = PermissionError(errno.EACCES, "Access is denied")
    exc.winerror = winerror  # type: ignore[attr-defined]  # as Windows sets it
    return exc


def test_a_rename_refused_while_a_scanner_holds_the_file_succeeds_after_a_pause(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    src, dst = tmp_path / "月报.xlsx.tmp", tmp_path / "月报.xlsx"
    src.write_text("新")
    dst.write_text("旧")
    real = os.replace
    failures = [held(32), held(5)]

    def flaky(a: object, b: object) -> None:
        if failures:
            raise failures.pop(0)
        real(a, b)  # type: ignore[arg-type]

    monkeypatch.setattr(fileops.os, "replace", flaky)
    pauses: list[float] = []
    replace_file(src, dst, sleep=pauses.append)
    assert dst.read_text() == "新" and not src.exists()
    assert pauses == list(RETRY_DELAYS[:2])


def test_a_file_held_for_good_is_reported_after_the_retries(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def always(_a: object, _b: object) -> None:
        raise held(32)

    monkeypatch.setattr(fileops.os, "replace", always)
    pauses: list[float] = []
    with pytest.raises(PermissionError):
        replace_file(tmp_path / "a", tmp_path / "b", sleep=pauses.append)
    assert pauses == list(RETRY_DELAYS)  # about 1.5 s in all, then the clerk is told


def test_other_failures_are_not_retried(tmp_path: Path) -> None:
    pauses: list[float] = []
    with pytest.raises(FileNotFoundError):
        replace_file(tmp_path / "missing", tmp_path / "b", sleep=pauses.append)
    # A plain POSIX permission error (a read-only folder) is no scanner either.
    assert not fileops.is_transient(PermissionError(errno.EACCES, "denied"))
    assert pauses == []


def test_every_rename_in_the_program_goes_through_the_helper() -> None:
    root = Path(__file__).resolve().parents[1] / "ledger_app"
    offenders = []
    for path in root.rglob("*.py"):
        if path.name == "fileops.py":
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            code = line.split("#")[0]
            if "os.replace(" in code or "os.rename(" in code or (".rename(" in code and "Path" in code):
                offenders.append(f"{path.relative_to(root)}:{number}: {line.strip()}")
            if ".replace(out)" in code or ".replace(dest)" in code or ".replace(target)" in code:
                offenders.append(f"{path.relative_to(root)}:{number}: {line.strip()}")
    assert offenders == []


# -- long paths --------------------------------------------------------------------------------------
def test_long_folder_paths_get_the_windows_prefix() -> None:
    long = "C:\\Users\\张三\\Documents\\" + "整改台账佐证材料" * 40
    assert len(long) > 300
    assert fileops.fs_path(long, windows=True) == "\\\\?\\" + long
    assert fileops.fs_path("\\\\server\\share\\" + "很长" * 150, windows=True).startswith(
        "\\\\?\\UNC\\server"
    )
    assert fileops.fs_path("C:\\短路径", windows=True) == "C:\\短路径"


def test_make_dirs_goes_through_the_prefix(monkeypatch: pytest.MonkeyPatch) -> None:
    made: list[str] = []
    monkeypatch.setattr(fileops.os, "makedirs", lambda path, exist_ok: made.append(path))
    folder = "D:\\台账\\" + "子文件夹" * 70
    fileops.make_dirs(folder, windows=True)
    assert made == ["\\\\?\\" + folder]


def test_a_ledger_with_evidence_works_under_a_300_character_folder(tmp_path: Path) -> None:
    from ledger_app.domain.model import ProblemKind, RoundLevel
    from ledger_app.services import Ledger

    deep = tmp_path
    while len(str(deep)) < 300:
        deep = deep / "evidence-folder-材料"  # > 300 characters, < 512 bytes (SQLite's own limit on POSIX)
    path = deep / "台账.sqlite3"
    photo = tmp_path / "现场照片.jpg"
    photo.write_bytes(b"\xff\xd8\xff" + b"0" * 100)
    with Ledger.open(path, create=True) as ledger:
        round_id = ledger.directory.create_round(name="第二轮中央生态环境保护督察", level=RoundLevel.CENTRAL)
        task_id = ledger.tasks.create_task(
            round_id=round_id, seq="1", kind=ProblemKind.SPECIFIC, description="黑臭水体"
        )
        report = ledger.attachments.add_attachments(task_id, [photo])
        assert len(report.added) == 1
        ledger.copies.save_copy(deep / "副本.sqlite3")
    assert len(str(path)) > 300 and path.exists()
    assert (deep / "副本.files").is_dir() and (deep / "副本.sqlite3").exists()


def test_no_folder_is_made_around_the_helper() -> None:
    root = Path(__file__).resolve().parents[1] / "ledger_app"
    offenders = [
        f"{path.relative_to(root)}:{number}"
        for folder in ("store", "services", "io")
        for path in (root / folder).rglob("*.py")
        if path.name != "fileops.py"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if ".mkdir(" in line.split("#")[0] or "os.makedirs(" in line.split("#")[0]
    ]
    assert offenders == []


# -- a network share that does not answer --------------------------------------------------------------
def test_exists_within_gives_up_on_a_path_that_hangs(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import threading
    import time

    release = threading.Event()

    class Hanging(type(tmp_path)):  # type: ignore[misc]
        def exists(self) -> bool:  # type: ignore[override]
            release.wait(10)
            return True

    started = time.perf_counter()
    assert fileops.exists_within(Hanging(tmp_path / "x"), seconds=0.2) is None
    assert time.perf_counter() - started < 1.0
    release.set()
    assert fileops.exists_within(tmp_path) is True
    assert fileops.exists_within(tmp_path / "没有") is False
