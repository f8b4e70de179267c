"""另存副本 as a service: the database and every evidence file it refers to, whole or not at all."""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
from collections import namedtuple
from pathlib import Path

import pytest

from ledger_app.domain.errors import CancelledError, LedgerError, ValidationError
from ledger_app.domain.model import ProblemKind, RoundLevel
from ledger_app.services import Ledger, ledger_copy
from ledger_app.services.ledger_copy import attachments_dir_for


def write(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def tree(folder: Path) -> set[str]:
    """Every entry below ``folder`` (files and folders), relative: what a clerk would find there."""
    return {str(p.relative_to(folder)) for p in folder.rglob("*")}


@pytest.fixture
def filled(ledger: Ledger, tmp_path: Path) -> dict[str, int]:
    """Two tasks with evidence: one live, one removed attachment, one task in the trash, one shared file."""
    round_id = ledger.directory.create_round(name="第二轮中央生态环境保护督察", level=RoundLevel.CENTRAL)
    river = ledger.tasks.create_task(
        round_id=round_id, kind=ProblemKind.SPECIFIC, seq=3, description="河道黑臭"
    )
    noise = ledger.tasks.create_task(
        round_id=round_id, kind=ProblemKind.SPECIFIC, seq=12, description="噪声扰民"
    )
    src = tmp_path / "U盘"
    ledger.attachments.add_attachments(
        river,
        [
            write(src / "整改前.jpg", b"\xff\xd8 before" * 1000),
            write(src / "验收意见.pdf", b"%PDF accepted"),
            write(src / "方案.docx", os.urandom(3 * 1024 * 1024 + 17)),  # several chunks
        ],
    )
    ledger.attachments.add_attachments(
        noise, [write(src / "现场.jpg", b"\xff\xd8 before" * 1000)]
    )  # shared object
    ledger.attachments.add_attachments(noise, [write(src / "旧照片.png", b"\x89PNG old")])
    removed = next(a for a in ledger.attachments.list_attachments(noise) if a.name == "旧照片.png")
    ledger.attachments.remove_attachment(removed.id)
    ledger.tasks.delete_task(noise)
    return {"river": river, "noise": noise, "removed": removed.id}


def attachment_rows(path: Path) -> list[tuple[object, ...]]:
    """Every attachment row, removed ones and those of trashed tasks included."""
    with sqlite3.connect(path) as conn:
        return conn.execute(
            "SELECT id, problem_id, original_name, sha256, size, deleted_at FROM attachments ORDER BY id"
        ).fetchall()


def test_the_copy_has_every_attachment_byte_for_byte_and_opens_as_a_ledger(
    ledger: Ledger, filled: dict[str, int], tmp_path: Path
) -> None:
    ledger.attachments.attachment_thumbnail(
        ledger.attachments.list_attachments(filled["river"])[0].id
    )  # a cache not to copy
    dest = tmp_path / "U盘备份" / "台账-副本.sqlite3"
    dest.parent.mkdir()
    steps: list[tuple[int, int, str]] = []

    result = ledger.copies.save_copy(
        dest, progress=lambda done, total, text: steps.append((done, total, text))
    )

    assert result.path == dest and result.files_dir == dest.parent / "台账-副本.files"
    assert result.ok and result.missing == () and result.damaged == ()
    # Only the ledger file and its folder: no temporary names left beside them.
    assert sorted(p.name for p in dest.parent.iterdir()) == ["台账-副本.files", "台账-副本.sqlite3"]
    originals = ledger.attachments.store.scan().objects
    assert result.files == len(originals) == 4  # five rows, one shared object
    assert result.bytes == sum(os.path.getsize(p) for p in originals.values())
    with Ledger.open(dest) as copy:
        copied = copy.attachments.store.scan().objects
        assert set(copied) == set(originals)
        for sha, path in copied.items():
            data = Path(path).read_bytes()
            assert data == Path(originals[sha]).read_bytes()
            assert hashlib.sha256(data).hexdigest() == sha
        assert not (copy.attachments_dir / "thumbs").exists()
        assert copy.attachments.check_store().ok
        rows = attachment_rows(dest)
        assert rows == attachment_rows(ledger.path) and len(rows) == 5
        assert {row[3] for row in rows} == set(copied)
        # The trashed task and its removed attachment can be restored from the copy, with the file.
        copy.tasks.restore_task(filled["noise"])
        copy.attachments.restore_attachment(filled["removed"])
        assert copy.attachments.attachment_file(filled["removed"]).read_bytes() == b"\x89PNG old"
    done = [d for d, _t, _x in steps]
    assert done == sorted(done), "progress never goes back"
    assert steps[-1][0] == steps[-1][1] == os.path.getsize(ledger.path) + result.bytes


def test_restoring_in_the_copy_leaves_the_original_alone(
    ledger: Ledger, filled: dict[str, int], tmp_path: Path
) -> None:
    dest = tmp_path / "copy.sqlite3"
    ledger.copies.save_copy(dest)
    with Ledger.open(dest) as copy:
        copy.tasks.restore_task(filled["noise"])
        assert [t.id for t in copy.queries.list_tasks(deleted=True)] == []
    assert [t.id for t in ledger.queries.list_tasks(deleted=True)] == [filled["noise"]]


def test_a_ledger_without_evidence_gets_no_folder(ledger: Ledger, tmp_path: Path) -> None:
    ledger.directory.create_unit("区住建局")
    dest = tmp_path / "out" / "copy.sqlite3"
    dest.parent.mkdir()
    result = ledger.copies.save_copy(dest)
    assert (result.files, result.bytes) == (0, 0)
    assert [p.name for p in dest.parent.iterdir()] == ["copy.sqlite3"]
    assert "没有佐证材料" in result.summary()
    with Ledger.open(dest) as copy:
        assert [u.name for u in copy.directory.list_units()] == ["区住建局"]


def test_the_folder_rule_is_the_ledgers_own(ledger: Ledger) -> None:
    assert attachments_dir_for(ledger.path) == ledger.attachments_dir


# -- cancel and failure -----------------------------------------------------------------------------
@pytest.mark.parametrize("where", ["database", "first file", "middle", "last chunk"])
def test_cancel_at_any_point_leaves_nothing(
    ledger: Ledger, filled: dict[str, int], tmp_path: Path, where: str
) -> None:
    trial: list[str] = []
    ledger.copies.save_copy(tmp_path / "trial.sqlite3", progress=lambda _d, _t, text: trial.append(text))
    # The progress calls of a whole copy; the last one ("正在完成…") comes after the final check.
    stop_at = {"database": 1, "first file": 2, "middle": len(trial) // 2, "last chunk": len(trial) - 1}[where]
    dest = tmp_path / "out" / "copy.sqlite3"
    dest.parent.mkdir()
    calls = 0

    def progress(_done: int, _total: int, _text: str) -> None:
        nonlocal calls
        calls += 1

    with pytest.raises(CancelledError):
        ledger.copies.save_copy(dest, progress=progress, cancelled=lambda: calls >= stop_at)
    assert list(dest.parent.iterdir()) == []


def test_cancel_keeps_an_existing_copy_that_was_to_be_replaced(
    ledger: Ledger, filled: dict[str, int], tmp_path: Path
) -> None:
    dest = write(tmp_path / "copy.sqlite3", b"last week's copy")
    before = tree(tmp_path)
    calls = 0

    def cancelled() -> bool:
        nonlocal calls
        calls += 1
        return calls > 3

    with pytest.raises(CancelledError):
        ledger.copies.save_copy(dest, overwrite=True, cancelled=cancelled)
    assert tree(tmp_path) == before
    assert dest.read_bytes() == b"last week's copy"


def test_a_write_error_half_way_leaves_nothing_and_says_why(
    ledger: Ledger, filled: dict[str, int], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dest = tmp_path / "out" / "copy.sqlite3"
    dest.parent.mkdir()
    real_open = open
    written = 0

    def failing_open(path: object, mode: str = "r", *args: object, **kwargs: object) -> object:
        nonlocal written
        if mode == "xb":
            written += 1
            if written == 3:  # the stick is full at the third file
                raise OSError(28, "No space left on device")
        return real_open(path, mode, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr("builtins.open", failing_open)
    with pytest.raises(LedgerError) as info:
        ledger.copies.save_copy(dest)
    assert "无法写入" in info.value.message_zh and "副本未保存" in info.value.message_zh
    assert list(dest.parent.iterdir()) == []


def test_a_locked_destination_file_at_the_last_step_leaves_no_folder_behind(
    ledger: Ledger, filled: dict[str, int], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Windows refuses to replace a file another program has open (the old copy, opened in the app)."""
    dest = write(tmp_path / "out" / "copy.sqlite3", b"old copy, open elsewhere")
    real_replace = os.replace

    def replace(src: object, dst: object) -> None:
        if os.fspath(dst) == os.fspath(dest):  # type: ignore[arg-type]
            raise PermissionError(13, "The process cannot access the file")
        real_replace(src, dst)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "replace", replace)
    with pytest.raises(LedgerError) as info:
        ledger.copies.save_copy(dest, overwrite=True)
    assert "无法写入" in info.value.message_zh
    assert [p.name for p in dest.parent.iterdir()] == ["copy.sqlite3"]
    assert dest.read_bytes() == b"old copy, open elsewhere"


def test_not_enough_space_is_refused_before_writing(
    ledger: Ledger, filled: dict[str, int], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dest = tmp_path / "out" / "copy.sqlite3"
    dest.parent.mkdir()
    usage = namedtuple("usage", "total used free")
    monkeypatch.setattr(ledger_copy.shutil, "disk_usage", lambda _path: usage(10**9, 10**9 - 1000, 1000))
    with pytest.raises(ValidationError) as info:
        ledger.copies.save_copy(dest)
    assert "空间不足" in info.value.message_zh
    assert list(dest.parent.iterdir()) == []


# -- what the original's store already lacks ---------------------------------------------------------
def test_missing_and_damaged_files_in_the_original_are_reported_not_hidden(
    ledger: Ledger, filled: dict[str, int], tmp_path: Path
) -> None:
    by_name = {a.name: a for a in ledger.attachments.list_attachments(filled["river"])}
    store = ledger.attachments.store
    gone = store.object_path(by_name["验收意见.pdf"].sha256)
    os.chmod(gone, 0o644)
    gone.unlink()
    damaged = store.object_path(by_name["方案.docx"].sha256)
    os.chmod(damaged, 0o644)
    damaged.write_bytes(b"overwritten by a viewer")

    dest = tmp_path / "copy.sqlite3"
    result = ledger.copies.save_copy(dest)

    assert not result.ok
    assert result.missing == ("验收意见.pdf",)
    assert result.damaged == ("方案.docx",)
    summary = result.summary()
    assert "验收意见.pdf" in summary and "方案.docx" in summary and "完整性检查" in summary
    with Ledger.open(dest) as copy:
        # The damaged bytes travel as they are (the original has nothing better), the rest is whole.
        assert copy.attachments.store.object_path(by_name["方案.docx"].sha256).read_bytes() == (
            b"overwritten by a viewer"
        )
        assert (
            copy.attachments.attachment_file(by_name["整改前.jpg"].id).read_bytes()
            == b"\xff\xd8 before" * 1000
        )


# -- refused destinations ------------------------------------------------------------------------------
def test_the_ledger_itself_is_refused(ledger: Ledger, filled: dict[str, int]) -> None:
    with pytest.raises(ValidationError) as info:
        ledger.copies.save_copy(ledger.path, overwrite=True)
    assert "正在使用的台账文件本身" in info.value.message_zh
    # Another spelling of the same file too.
    with pytest.raises(ValidationError):
        ledger.copies.save_copy(ledger.path.parent / "." / ledger.path.name, overwrite=True)


def test_inside_its_own_attachment_folder_is_refused(
    ledger: Ledger, filled: dict[str, int], tmp_path: Path
) -> None:
    before = tree(ledger.attachments_dir)
    with pytest.raises(ValidationError) as info:
        ledger.copies.save_copy(ledger.attachments_dir / "objects" / "copy.sqlite3")
    assert "佐证材料文件夹" in info.value.message_zh
    assert tree(ledger.attachments_dir) == before


def test_a_name_that_would_share_the_ledgers_folder_is_refused(
    ledger: Ledger, filled: dict[str, int]
) -> None:
    # "ledger.db" beside "ledger.sqlite3" would use the same "ledger.files/".
    with pytest.raises(ValidationError) as info:
        ledger.copies.save_copy(ledger.path.with_suffix(".db"))
    assert "重合" in info.value.message_zh
    assert not ledger.path.with_suffix(".db").exists()


def test_an_existing_file_is_kept_unless_overwrite(
    ledger: Ledger, filled: dict[str, int], tmp_path: Path
) -> None:
    dest = write(tmp_path / "copy.sqlite3", b"keep me")
    with pytest.raises(ValidationError) as info:
        ledger.copies.save_copy(dest)
    assert "文件已存在" in info.value.message_zh and dest.read_bytes() == b"keep me"
    ledger.copies.save_copy(dest, overwrite=True)
    with Ledger.open(dest) as copy:
        assert copy.tasks.count_tasks() == 1


def test_a_non_empty_attachment_folder_at_the_destination_is_refused(
    ledger: Ledger, filled: dict[str, int], tmp_path: Path
) -> None:
    dest = write(tmp_path / "copy.sqlite3", b"another ledger")
    other = write(tmp_path / "copy.files" / "objects" / "ab" / "cd", b"another ledger's evidence")
    before = tree(tmp_path)
    with pytest.raises(ValidationError) as info:
        ledger.copies.save_copy(
            dest, overwrite=True
        )  # the dialog's "replace?" covers the file, not the folder
    message = info.value.message_zh
    assert "copy.files" in message and "换一个文件名" in message
    assert tree(tmp_path) == before and other.read_bytes() == b"another ledger's evidence"
    assert dest.read_bytes() == b"another ledger"


def test_an_empty_attachment_folder_at_the_destination_is_used(
    ledger: Ledger, filled: dict[str, int], tmp_path: Path
) -> None:
    dest = tmp_path / "copy.sqlite3"
    (tmp_path / "copy.files").mkdir()
    result = ledger.copies.save_copy(dest)
    assert result.files == 4
    with Ledger.open(dest) as copy:
        assert copy.attachments.check_store().ok


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (lambda tmp: tmp / "没有这个文件夹" / "copy.sqlite3", "目标文件夹不存在"),
        (lambda tmp: (tmp / "a-folder.sqlite3").mkdir() or tmp / "a-folder.sqlite3", "是一个文件夹"),
        (lambda tmp: write(tmp / "clash.files", b"x").with_suffix(".sqlite3"), "clash.files"),
    ],
)
def test_destinations_that_cannot_hold_a_copy(
    ledger: Ledger, filled: dict[str, int], tmp_path: Path, make: object, expected: str
) -> None:
    dest = make(tmp_path)  # type: ignore[operator]
    with pytest.raises(ValidationError) as info:
        ledger.copies.save_copy(dest, overwrite=True)
    assert expected in info.value.message_zh


def test_a_copy_of_a_copy_is_whole(ledger: Ledger, filled: dict[str, int], tmp_path: Path) -> None:
    first = tmp_path / "first.sqlite3"
    ledger.copies.save_copy(first)
    second = tmp_path / "second" / "second.sqlite3"
    second.parent.mkdir()
    with Ledger.open(first) as copy:
        result = copy.copies.save_copy(second)
    assert result.ok and result.files == 4
    shutil.rmtree(tmp_path / "U盘")  # the sources are gone: the copy does not depend on them
    with Ledger.open(second) as again:
        assert again.attachments.check_store().ok
