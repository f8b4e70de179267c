"""The content-addressed attachment store, Windows-safe names and thumbnails (no database here)."""

from __future__ import annotations

import hashlib
import os
import stat
import time
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from PIL import Image

from ledger_app.domain.errors import CancelledError
from ledger_app.store import attachments as store_module
from ledger_app.store.attachments import (
    AttachmentStore,
    SourceFileError,
    StoreWriteError,
    fs_path,
    make_thumbnail,
)
from ledger_app.store.file_names import split_extension, unique_name, windows_safe_name

FORBIDDEN = set('<>:"/\\|?*') | {chr(c) for c in range(32)}
DEVICES = {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"} | {
    f"{p}{d}" for p in ("COM", "LPT") for d in "0123456789\u00b9\u00b2\u00b3"
}


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def age(path: Path, seconds: float = 3600) -> None:
    old = time.time() - seconds
    os.utime(path, (old, old))


@pytest.fixture
def store(tmp_path: Path) -> AttachmentStore:
    return AttachmentStore(tmp_path / "ledger.files")


def write(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


# -- copying in --------------------------------------------------------------------------------
def test_put_file_stores_by_sha256_read_only_and_leaves_no_temp(
    store: AttachmentStore, tmp_path: Path
) -> None:
    data = os.urandom(3 * store_module.CHUNK + 17)  # several chunks
    stored = store.put_file(write(tmp_path / "照片.jpg", data))

    digest = sha(data)
    assert (stored.sha256, stored.size, stored.created) == (digest, len(data), True)
    path = store.object_path(digest)
    assert path == store.root / "objects" / digest[:2] / digest[2:]
    assert path.read_bytes() == data
    assert not os.stat(path).st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)
    assert list(store.tmp_dir.iterdir()) == []


def test_same_content_is_stored_once(store: AttachmentStore, tmp_path: Path) -> None:
    first = store.put_file(write(tmp_path / "a.pdf", b"same bytes"))
    second = store.put_file(write(tmp_path / "other name.pdf", b"same bytes"))

    assert first.sha256 == second.sha256
    assert (first.created, second.created) == (True, False)
    assert len(store.scan().objects) == 1


def test_a_damaged_object_of_other_size_is_replaced_by_a_fresh_copy(
    store: AttachmentStore, tmp_path: Path
) -> None:
    data = b"evidence" * 100
    stored = store.put_file(write(tmp_path / "a.txt", data))
    path = store.object_path(stored.sha256)
    os.chmod(path, 0o644)
    path.write_bytes(data[:10])  # truncated by a bad disk

    again = store.put_file(tmp_path / "a.txt")

    assert again.created is True
    assert path.read_bytes() == data


@pytest.mark.parametrize(
    ("content", "limit", "words"),
    [(b"x" * 2048, 1024, "过大"), (b"", None, "空")],
)
def test_refused_sources_leave_nothing_behind(
    store: AttachmentStore, tmp_path: Path, content: bytes, limit: int | None, words: str
) -> None:
    with pytest.raises(SourceFileError, match=words):
        store.put_file(write(tmp_path / "f.bin", content), max_size=limit)
    assert list(store.tmp_dir.iterdir()) == []
    assert store.scan().objects == {}


def test_missing_source_is_a_clear_refusal(store: AttachmentStore, tmp_path: Path) -> None:
    with pytest.raises(SourceFileError, match="找不到文件"):
        store.put_file(tmp_path / "gone.jpg")


def test_cancel_mid_copy_leaves_no_temp_and_no_object(store: AttachmentStore, tmp_path: Path) -> None:
    source = write(tmp_path / "big.bin", os.urandom(4 * store_module.CHUNK))
    chunks: list[int] = []

    with pytest.raises(CancelledError):
        store.put_file(source, on_bytes=chunks.append, cancelled=lambda: len(chunks) >= 2)

    assert len(chunks) == 2
    assert list(store.tmp_dir.iterdir()) == []
    assert store.scan().objects == {}


def test_disk_full_is_a_store_error_and_leaves_no_temp(
    store: AttachmentStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full(_fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(store_module.os, "fsync", full)
    with pytest.raises(StoreWriteError, match="无法写入附件库"):
        store.put_file(write(tmp_path / "a.txt", b"abc"))
    assert list(store.tmp_dir.iterdir()) == []


def test_a_batch_stores_many_files_and_collects_the_new_objects(
    store: AttachmentStore, tmp_path: Path
) -> None:
    existing = store.put_file(write(tmp_path / "old.txt", b"stored before"))
    sources = [write(tmp_path / f"{i}.bin", os.urandom(5000)) for i in range(8)]
    sources += [write(tmp_path / "twin.bin", sources[0].read_bytes()), tmp_path / "old.txt"]
    created: set[str] = set()

    with store.batch(created) as batch:
        futures = [batch.put(p) for p in sources]

    results = [f.result() for f in futures]
    assert [r.sha256 for r in results] == [sha(p.read_bytes()) for p in sources]
    assert created == {sha(p.read_bytes()) for p in sources[:8]}
    assert existing.sha256 not in created
    assert len(store.scan().objects) == 9 and list(store.tmp_dir.iterdir()) == []


def test_a_batch_write_error_comes_back_through_the_future(
    store: AttachmentStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def failing(_fd: int) -> None:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(store_module.os, "fsync", failing)
    created: set[str] = set()
    with store.batch(created) as batch:
        future = batch.put(write(tmp_path / "a.txt", b"abc"))
    with pytest.raises(StoreWriteError):
        future.result()
    assert created == set() and list(store.tmp_dir.iterdir()) == []


def test_scan_sorts_objects_stray_files_and_temp_files(store: AttachmentStore, tmp_path: Path) -> None:
    stored = store.put_file(write(tmp_path / "a.txt", b"abc"))
    stray = write(store.objects_dir / "ab" / "notes.txt", b"hand-made")
    old_tmp = write(store.tmp_dir / "dead.part", b"half")
    new_tmp = write(store.tmp_dir / "live.part", b"half")
    age(old_tmp)
    age(stray)

    scan = store.scan()

    assert scan.objects == {stored.sha256: str(store.object_path(stored.sha256))}
    assert scan.sizes == {stored.sha256: 3}
    assert scan.stray == [stray]
    assert sorted(scan.tmp) == sorted([old_tmp, new_tmp])
    assert scan.recent == {str(new_tmp), scan.objects[stored.sha256]}  # the aged files are not


def test_an_empty_store_folder_is_not_created_by_looking(store: AttachmentStore) -> None:
    assert store.scan().objects == {}
    assert store.thumbnail("0" * 64) is None
    assert not store.root.exists()


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("C:\\x\\short.jpg", "C:\\x\\short.jpg"),
        ("C:\\" + "d" * 250 + "\\f.jpg", "\\\\?\\C:\\" + "d" * 250 + "\\f.jpg"),
        ("\\\\server\\share\\" + "d" * 250, "\\\\?\\UNC\\server\\share\\" + "d" * 250),
    ],
)
def test_long_windows_paths_get_the_extended_prefix(path: str, expected: str) -> None:
    assert fs_path(Path(path), windows=True) == expected
    assert fs_path(Path(path), windows=False) == str(Path(path))


# -- names for copies handed out ----------------------------------------------------------------
@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("整改前照片.jpg", "整改前照片.jpg"),
        ("CON", "CON_"),
        ("con.txt", "con_.txt"),
        ("aux .txt", "aux_.txt"),
        ("COM1.tar.gz", "COM1_.tar.gz"),
        ("LPT\u00b9.doc", "LPT\u00b9_.doc"),
        ("CONIN$", "CONIN$_"),
        ("CONFIG.SYS", "CONFIG.SYS"),
        ("trailing. . ", "trailing"),
        ("  spaced  .pdf", "spaced  .pdf"),
        ("会议纪要:2023/5?.docx", "会议纪要\uff1a2023\uff0f5\uff1f.docx"),
        ('a<b>"c|d*e\\f.txt', "a\uff1cb\uff1e\uff02c\uff5cd\uff0ae\uff3cf.txt"),
        ("tab\there\x00.txt", "tabhere.txt"),
        ("", "未命名"),
        ("..", "未命名"),
    ],
)
def test_windows_safe_name(name: str, expected: str) -> None:
    assert windows_safe_name(name) == expected


def test_long_names_are_shortened_keeping_the_extension() -> None:
    chinese = "关于" + "某某河道黑臭水体整治情况的说明" * 20 + ".pdf"  # >255 bytes in UTF-8
    result = windows_safe_name(chinese)
    assert result.endswith(".pdf") and result.startswith("关于某某河道")
    assert len(result) <= 120 and len(result.encode("utf-8")) <= 255

    emoji = "\U0001f600" * 200 + ".png"  # each counts as two UTF-16 units on Windows
    result = windows_safe_name(emoji, max_chars=50)
    assert result.endswith(".png")
    assert len(result.encode("utf-16-le")) // 2 <= 50


@given(st.text(max_size=300))
def test_any_name_becomes_acceptable_to_windows(name: str) -> None:
    result = windows_safe_name(name, max_chars=60)
    assert result and not FORBIDDEN & set(result)
    assert result[-1] not in ". " and result[0] != " "
    assert result.split(".", 1)[0].rstrip(" ").upper() not in DEVICES
    assert len(result.encode("utf-16-le")) // 2 <= 60 and len(result.encode("utf-8")) <= 255


def test_unique_name_counts_up_ignoring_case() -> None:
    taken = {"photo.jpg", "photo (2).jpg"}
    assert unique_name("Photo.JPG", taken) == "Photo (3).JPG"
    assert unique_name("new.jpg", taken) == "new.jpg"
    long = "长" * 60 + ".docx"
    result = unique_name(long, {long.casefold()}, max_chars=40)
    assert result.endswith(" (2).docx") and len(result) <= 40


def test_split_extension() -> None:
    assert split_extension("报告.final.pdf") == ("报告.final", ".pdf")
    assert split_extension(".gitignore") == (".gitignore", "")
    assert split_extension("no extension") == ("no extension", "")


# -- thumbnails ----------------------------------------------------------------------------------
def test_thumbnail_of_a_sideways_phone_photo_is_upright_and_small(tmp_path: Path) -> None:
    photo = tmp_path / "IMG_0001.jpg"
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: rotate 90° to display
    Image.new("RGB", (800, 400), "green").save(photo, exif=exif)

    assert make_thumbnail(photo, tmp_path / "t.jpg", 160)
    with Image.open(tmp_path / "t.jpg") as thumb:
        assert thumb.size == (80, 160)  # upright: taller than wide


def test_thumbnail_of_a_transparent_png_and_of_a_non_image(tmp_path: Path) -> None:
    png = tmp_path / "logo.png"
    Image.new("RGBA", (300, 300), (255, 0, 0, 0)).save(png)
    assert make_thumbnail(png, tmp_path / "p.jpg", 100)
    with Image.open(tmp_path / "p.jpg") as thumb:
        assert thumb.size == (100, 100) and thumb.getpixel((50, 50)) == (255, 255, 255)

    pdf = write(tmp_path / "scan.pdf", b"%PDF-1.4 not an image")
    assert make_thumbnail(pdf, tmp_path / "x.jpg") is False
    assert not (tmp_path / "x.jpg").exists()
    assert list(tmp_path.glob(".*.tmp")) == []


def test_thumbnails_are_cached_by_sha256(store: AttachmentStore, tmp_path: Path) -> None:
    photo = tmp_path / "a.png"
    Image.new("RGB", (640, 480), "blue").save(photo)
    image = store.put_file(photo)
    other = store.put_file(write(tmp_path / "b.docx", b"PK not an image"))

    first = store.thumbnail(image.sha256)
    assert first == store.thumbs_dir / f"{image.sha256}-160.jpg"
    made = first.stat().st_mtime_ns
    time.sleep(0.01)
    assert store.thumbnail(image.sha256) == first and first.stat().st_mtime_ns == made

    assert store.thumbnail(other.sha256) is None
    assert (store.thumbs_dir / f"{other.sha256}-160.none").exists()  # not retried every time
