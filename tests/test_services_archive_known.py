"""归档 at its edges (issue 24): the manifest written, evidence missing or damaged in the store, every
refusal of an archive with its reason, the folder restored into, and the summaries the clerk reads;
expected names, counts and messages written out."""

from __future__ import annotations

import hashlib
import json
import os
import zipfile
from collections import namedtuple
from pathlib import Path
from typing import Any

import pytest

from ledger_app import __version__
from ledger_app.domain.errors import CancelledError, LedgerError, ValidationError
from ledger_app.domain.model import ProblemKind, RoundLevel
from ledger_app.services import Ledger
from ledger_app.services import archive as arc


def test_the_summaries() -> None:
    result = arc.ArchiveResult(Path("/u/归档.zip"), 3, 2, 2048)
    assert result.summary() == "已导出归档 /u/归档.zip(2.0 KB):3 项任务,佐证材料 2 个文件。"
    names = tuple(f"f{n}.jpg" for n in range(11))
    result = arc.ArchiveResult(Path("/u/a.zip"), 1, 0, 10, missing=names, damaged=("d.pdf",))
    assert result.summary().splitlines() == [
        "已导出归档 /u/a.zip(10 字节):1 项任务,佐证材料 0 个文件。",
        "附件库中缺失、未能归档的文件:" + "、".join(names[:10]) + ";请运行完整性检查。",
        "附件库中已损坏(按原样归档)的文件:d.pdf。",
    ]
    restored = arc.ArchiveRestore(Path("/n/台账.sqlite3"), 4, 1)
    assert restored.summary() == "已从归档恢复台账:/n/台账.sqlite3(4 项任务,佐证材料 1 个文件)。"
    restored = arc.ArchiveRestore(Path("/n/a.sqlite3"), 0, 0, missing=names, damaged=("d.pdf", "e.pdf"))
    assert restored.summary().splitlines() == [
        "已从归档恢复台账:/n/a.sqlite3(0 项任务,佐证材料 0 个文件)。",
        "归档时原附件库中已缺失的文件:" + "、".join(names[:10]) + "。",
        "归档时原附件库中已损坏的文件:d.pdf、e.pdf。",
    ]


@pytest.mark.parametrize(
    "name",
    ["", "a\\b", "/a", "C:a", "a:b", "a\x00b", "a//b", "./a", "a/./b", "a/../b", "..", "a/"],
)
def test_member_names_that_could_leave_the_folder(name: str) -> None:
    assert arc._unsafe(name)


@pytest.mark.parametrize("name", ["manifest.json", "files/objects/ab/" + "c" * 62, "a.b/c"])
def test_member_names_that_are_safe(name: str) -> None:
    assert not arc._unsafe(name)


def test_the_ledger_file_name_from_the_manifest() -> None:
    assert arc._ledger_name({"ledger_name": "台账.sqlite3"}) == "台账.sqlite3"
    assert arc._ledger_name({"ledger_name": 12}) == "台账.sqlite3"
    assert arc._ledger_name({}) == "台账.sqlite3"
    assert arc._ledger_name({"ledger_name": "台账"}) == "台账.sqlite3"
    assert arc._ledger_name({"ledger_name": "台账.files"}) == "台账.files.sqlite3"
    assert arc._ledger_name({"ledger_name": "台账.FILES"}) == "台账.FILES.sqlite3"
    assert arc._ledger_name({"ledger_name": ".db."}) == ".db.sqlite3"  # trailing dots go (Windows)
    assert arc._ledger_name({"ledger_name": "a.db"}) == "a.db"


def _ledger_with_evidence(ledger: Ledger, tmp_path: Path) -> list[str]:
    round_id = ledger.directory.create_round(name="第一轮", level=RoundLevel.CENTRAL)
    task = ledger.tasks.create_task(
        round_id=round_id, kind=ProblemKind.SPECIFIC, description="问题", lead_units=["甲局"]
    )
    files = []
    for name, data in (("a.jpg", b"photo" * 100), ("b.pdf", b"%PDF plan"), ("c.doc", b"doc")):
        (tmp_path / name).write_bytes(data)
        files.append(tmp_path / name)
    report = ledger.attachments.add_attachments(task, files)
    return [added.sha256 for added in report.added]


def test_an_archive_with_evidence_missing_and_damaged_in_the_store(ledger: Ledger, tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    shas = _ledger_with_evidence(ledger, src)
    store = ledger.attachments.store
    gone, broken = store.object_path(shas[1]), store.object_path(shas[2])
    os.chmod(gone, 0o600)
    gone.unlink()
    os.chmod(broken, 0o600)
    broken.write_bytes(b"changed")
    steps: list[tuple[int, int, str]] = []
    out = tmp_path / "归档.zip"
    result = ledger.archive.save_archive(out, progress=lambda d, t, text: steps.append((d, t, text)))
    assert (result.path, result.tasks, result.files) == (out, 1, 2)
    assert (result.missing, result.damaged) == (("b.pdf",), ("c.doc",))
    assert result.bytes == out.stat().st_size
    with zipfile.ZipFile(out) as zf:
        manifest = json.loads(zf.read("manifest.json"))
        infos = {i.filename: i for i in zf.infolist()}
        ledger_bytes = zf.read("ledger.sqlite3")
    assert set(manifest) == {
        "format",
        "format_version",
        "created",
        "app_version",
        "ledger_name",
        "tasks",
        "members",
        "missing",
    }
    assert (manifest["format"], manifest["format_version"], manifest["app_version"]) == (
        "ledger_app-archive",
        1,
        __version__,
    )
    assert (manifest["ledger_name"], manifest["tasks"]) == ("ledger.sqlite3", 1)
    assert manifest["missing"] == [{"sha256": shas[1], "name": "b.pdf"}]
    photo = f"files/objects/{shas[0][:2]}/{shas[0][2:]}"
    damaged = f"files/objects/{shas[2][:2]}/{shas[2][2:]}"
    assert manifest["members"][0] == {
        "path": "ledger.sqlite3",
        "sha256": hashlib.sha256(ledger_bytes).hexdigest(),
        "size": len(ledger_bytes),
    }
    assert sorted(manifest["members"][1:], key=lambda m: m["path"]) == sorted(
        [
            {"path": photo, "sha256": shas[0], "size": 500},
            {"path": damaged, "sha256": hashlib.sha256(b"changed").hexdigest(), "size": 7, "damaged": True},
        ],
        key=lambda m: m["path"],
    )
    # The ledger compressed, evidence stored as it is, the manifest compressed.
    assert infos["ledger.sqlite3"].compress_type == zipfile.ZIP_DEFLATED
    assert infos[photo].compress_type == zipfile.ZIP_STORED
    assert infos["manifest.json"].compress_type == zipfile.ZIP_DEFLATED
    total = len(ledger_bytes) + 500 + 9 + 3
    assert steps[0] == (0, 1, "正在复制台账数据…")
    assert steps[1] == (len(ledger_bytes), total, "正在写入台账数据…")
    # The stored files in the store's order: 500 and 7 bytes written, the missing one not.
    assert steps[-1][:2] == (len(ledger_bytes) + 500 + 7, total)
    assert steps[-1][2].startswith("正在写入佐证材料(第 3/3 个):")
    assert [p.name for p in tmp_path.iterdir() if ".part" in p.name] == []  # no part files left
    # Restored: the damaged file comes back as it was archived and is reported; the missing one too.
    target = tmp_path / "新" / "台账"
    target.parent.mkdir()
    restored = arc.restore_archive(out, target)
    assert (restored.ledger, restored.tasks, restored.files) == (target / "ledger.sqlite3", 1, 2)
    assert (restored.missing, restored.damaged) == (("b.pdf",), (damaged,))
    assert sorted(p.name for p in target.iterdir()) == ["ledger.files", "ledger.sqlite3"]
    restored_damaged = target / "ledger.files" / "objects" / shas[2][:2] / shas[2][2:]
    assert restored_damaged.read_bytes() == b"changed"
    assert not os.access(restored_damaged, os.W_OK) or os.geteuid() == 0
    assert oct(restored_damaged.stat().st_mode & 0o777) == oct(0o444)


def test_where_an_archive_cannot_be_written(ledger: Ledger, tmp_path: Path) -> None:
    out = tmp_path / "a.zip"
    out.write_bytes(b"old")
    with pytest.raises(ValidationError) as caught:
        ledger.archive.save_archive(out)
    assert caught.value.message_zh == f"文件已存在:{out}(归档不会覆盖已有文件)"
    assert ledger.archive.save_archive(out, overwrite=True).path == out
    with pytest.raises(ValidationError) as caught:
        ledger.archive.save_archive(tmp_path / "没有" / "a.zip")
    assert caught.value.message_zh == f"目标文件夹不存在:{tmp_path / '没有'}"
    broken = tmp_path / "broken.sqlite3"
    broken.write_bytes(b"x" * 4096)
    with pytest.raises(LedgerError) as caught:
        arc.write_archive(broken, tmp_path / "b.zip")
    assert caught.value.message_zh.startswith(f"无法读取台账或写入 {tmp_path}:")
    assert not [p.name for p in tmp_path.iterdir() if ".part" in p.name or p.name == "b.zip"]


def _archive(ledger: Ledger, tmp_path: Path) -> Path:
    ledger.directory.create_unit("区住建局")
    out = tmp_path / "good.zip"
    ledger.archive.save_archive(out)
    return out


def _rewrite(source: Path, dest: Path, members: dict[str, bytes] | None = None, manifest: Any = None) -> Path:
    with zipfile.ZipFile(source) as zin:
        data = {i.filename: zin.read(i) for i in zin.infolist()}
    if manifest is not None:
        data["manifest.json"] = manifest if isinstance(manifest, bytes) else json.dumps(manifest).encode()
    data.update(members or {})
    with zipfile.ZipFile(dest, "w") as zout:
        for name, body in data.items():
            zout.writestr(name, body)
    return dest


def _manifest(path: Path) -> dict[str, Any]:
    with zipfile.ZipFile(path) as zf:
        return json.loads(zf.read("manifest.json"))


def _refused(archive: Path, target: Path) -> str:
    with pytest.raises(ValidationError) as caught:
        arc.restore_archive(archive, target)
    assert caught.value.message_zh.startswith("归档文件不能使用:") and caught.value.message_zh.endswith(
        ";未做任何更改。"
    )
    return caught.value.message_zh.removeprefix("归档文件不能使用:").removesuffix(";未做任何更改。")


@pytest.mark.filterwarnings("ignore:Duplicate name")
def test_every_refusal_says_why(ledger: Ledger, tmp_path: Path) -> None:
    good = _archive(ledger, tmp_path)
    manifest = _manifest(good)
    target = tmp_path / "out" / "x"
    target.parent.mkdir()
    bad = tmp_path / "bad.zip"
    with pytest.raises(ValidationError) as caught:
        arc.restore_archive(tmp_path / "none.zip", target)
    assert caught.value.message_zh == f"找不到归档文件:{tmp_path / 'none.zip'}"
    bad.write_bytes(b"not a zip")
    assert _refused(bad, target) == "bad.zip 不是有效的 zip 归档"
    assert _refused(_rewrite(good, bad, manifest=b"{not json"), target) == "清单文件 manifest.json 无法读取"
    assert _refused(_rewrite(good, bad, manifest=[1, 2]), target) == "不是整改台账的归档(清单格式不对)"
    assert (
        _refused(_rewrite(good, bad, manifest={**manifest, "format": "other"}), target)
        == "不是整改台账的归档(清单格式不对)"
    )
    assert (
        _refused(_rewrite(good, bad, manifest={**manifest, "format_version": 2}), target)
        == "归档由更新版本的软件创建(格式 2),请升级本软件"
    )
    assert (
        _refused(_rewrite(good, bad, manifest={**manifest, "format_version": "1"}), target)
        == "归档由更新版本的软件创建(格式 1),请升级本软件"
    )
    assert _refused(_rewrite(good, bad, manifest={**manifest, "members": ["x"]}), target) == "清单内容不完整"
    assert (
        _refused(_rewrite(good, bad, manifest={**manifest, "members": [{"path": 1}]}), target)
        == "清单内容不完整"
    )
    no_sha = {**manifest, "members": [{"path": "ledger.sqlite3", "size": 1}]}
    assert _refused(_rewrite(good, bad, manifest=no_sha), target) == "清单中 ledger.sqlite3 缺少校验值或大小"
    no_size = {**manifest, "members": [{"path": "ledger.sqlite3", "sha256": "x", "size": "1"}]}
    assert _refused(_rewrite(good, bad, manifest=no_size), target) == "清单中 ledger.sqlite3 缺少校验值或大小"
    wrong_size = {**manifest, "members": [{**manifest["members"][0], "size": 1}]}
    assert _refused(_rewrite(good, bad, manifest=wrong_size), target) == "ledger.sqlite3 的大小与清单不符"
    extra = "files/objects/ab/" + "c" * 62
    listed_only = {**manifest, "members": [*manifest["members"], {"path": extra, "sha256": "x", "size": 1}]}
    assert _refused(_rewrite(good, bad, manifest=listed_only), target) == f"缺少清单中列出的文件 {extra}"
    no_members = {k: v for k, v in manifest.items() if k != "members"}
    assert _refused(_rewrite(good, bad, manifest=no_members), target) == "ledger.sqlite3 不在清单中"
    with zipfile.ZipFile(bad, "w") as zf:
        zf.writestr("ledger.sqlite3", b"x")
    assert _refused(bad, target) == "缺少清单文件 manifest.json"
    with zipfile.ZipFile(bad, "w") as zf:
        zf.writestr("manifest.json", b"{}")
    assert _refused(bad, target) == "缺少台账数据 ledger.sqlite3"
    with zipfile.ZipFile(bad, "w") as zf:
        zf.writestr("manifest.json", b"{}")
        zf.writestr("manifest.json", b"{}")
    assert _refused(bad, target) == "同一文件出现两次:manifest.json"
    assert list(target.parent.iterdir()) == []  # nothing was written


def test_encrypted_and_bombs_are_refused_before_reading(ledger: Ledger, tmp_path: Path) -> None:
    good = _archive(ledger, tmp_path)
    target = tmp_path / "out" / "x"
    target.parent.mkdir()
    bad = tmp_path / "bad.zip"
    data = bytearray(good.read_bytes())
    pos = 0
    while (pos := data.find(b"PK\x01\x02", pos)) >= 0:  # the central directory, which zipfile reads
        name_len = int.from_bytes(data[pos + 28 : pos + 30], "little")
        if data[pos + 46 : pos + 46 + name_len] == b"manifest.json":
            data[pos + 8] |= 0x1  # general purpose flags: encrypted
        pos += 4
    bad.write_bytes(bytes(data))
    assert _refused(bad, target) == "文件已加密"
    # A large member declared 201 times its compressed size (over 8 MiB): a zip bomb.
    with zipfile.ZipFile(bad, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("ledger.sqlite3", b"\x00" * ((8 << 20) + 1))
        zf.writestr("manifest.json", b"{}")
    assert _refused(bad, target) == "ledger.sqlite3 的压缩比异常(可能是“压缩炸弹”)"
    # 8 MiB exactly is not held to the ratio.
    with zipfile.ZipFile(bad, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("ledger.sqlite3", b"\x00" * (8 << 20))
        zf.writestr("manifest.json", b"{}")
    assert _refused(bad, target) == "不是整改台账的归档(清单格式不对)"
    assert list(target.parent.iterdir()) == []


def test_the_folder_restored_into(ledger: Ledger, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    good = _archive(ledger, tmp_path)
    parent = tmp_path / "p"
    parent.mkdir()
    (parent / "file").write_text("x")
    with pytest.raises(ValidationError) as caught:
        arc.restore_archive(good, parent / "file")
    assert caught.value.message_zh == f"目标位置已有同名文件:{parent / 'file'}"
    (parent / "full").mkdir()
    (parent / "full" / "x").write_text("x")
    with pytest.raises(ValidationError) as caught:
        arc.restore_archive(good, parent / "full")
    assert (
        caught.value.message_zh
        == f"目标文件夹 {parent / 'full'} 不是空的;为免覆盖其中的文件,请选择一个新的或空的文件夹。"
    )
    with pytest.raises(ValidationError) as caught:
        arc.restore_archive(good, parent / "a" / "b")
    assert caught.value.message_zh == f"目标文件夹的上级文件夹不存在:{parent / 'a'}"
    usage = namedtuple("usage", "total used free")
    needed = sum(i.file_size for i in zipfile.ZipFile(good).infolist())
    monkeypatch.setattr(arc.shutil, "disk_usage", lambda p: usage(0, 0, needed + (16 << 20) - 1))
    with pytest.raises(ValidationError) as caught:
        arc.restore_archive(good, parent / "new")
    assert caught.value.message_zh.startswith("磁盘空间不足:恢复需要约 ")
    monkeypatch.setattr(arc.shutil, "disk_usage", lambda p: usage(0, 0, needed + (16 << 20)))
    steps: list[tuple[int, int, str]] = []
    restored = arc.restore_archive(
        good, parent / "new", progress=lambda d, t, text: steps.append((d, t, text))
    )
    assert restored.ledger == parent / "new" / "ledger.sqlite3"
    size = restored.ledger.stat().st_size
    total = needed
    assert steps[-1] == (total, total, "正在完成…")
    assert steps[-2] == (min(size, total), total, "正在恢复台账数据…")

    def no_usage(path: Path) -> Any:
        raise OSError("no")

    monkeypatch.setattr(arc.shutil, "disk_usage", no_usage)  # unknown free space: go on
    assert arc.restore_archive(good, parent / "new2").tasks == 0
    assert sorted(p.name for p in parent.iterdir()) == ["file", "full", "new", "new2"]


def test_member_contents_checked_while_extracting(ledger: Ledger, tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    shas = _ledger_with_evidence(ledger, src)
    good = tmp_path / "good.zip"
    ledger.archive.save_archive(good)
    manifest = _manifest(good)
    target = tmp_path / "out" / "x"
    target.parent.mkdir()
    bad = tmp_path / "bad.zip"
    name = f"files/objects/{shas[0][:2]}/{shas[0][2:]}"
    # Other bytes of the same size, listed with their own checksum: not the file its name says.
    other = b"x" * 500
    swapped = {
        **manifest,
        "members": [
            {**m, "sha256": hashlib.sha256(other).hexdigest()} if m["path"] == name else m
            for m in manifest["members"]
        ],
    }
    assert _refused(_rewrite(good, bad, {name: other}, swapped), target) == f"{name} 的内容与其校验值名称不符"
    # The same bytes with the manifest's checksum changed.
    wrong = {
        **manifest,
        "members": [{**m, "sha256": "0" * 64} if m["path"] == name else m for m in manifest["members"]],
    }
    assert _refused(_rewrite(good, bad, manifest=wrong), target) == f"{name} 的校验值与清单不符"
    # The ledger member is no ledger.
    junk = b"not a ledger" * 100
    not_ledger = {
        **manifest,
        "members": [
            {"path": "ledger.sqlite3", "sha256": hashlib.sha256(junk).hexdigest(), "size": len(junk)}
            if m["path"] == "ledger.sqlite3"
            else m
            for m in manifest["members"]
        ],
    }
    message = _refused(_rewrite(good, bad, {"ledger.sqlite3": junk}, not_ledger), target)
    assert message.startswith("其中的台账数据不可用(文件已损坏或不是台账文件:")
    # A member larger than declared is caught while it is read.
    with pytest.raises(ValidationError):
        arc._stream(
            __import__("io").BytesIO(b"abc"),
            __import__("io").BytesIO(),
            lambda n: None,
            lambda: False,
            limit=2,
        )
    assert list(target.parent.iterdir()) == []


def test_cancelled_at_the_end_of_a_restore_leaves_nothing(ledger: Ledger, tmp_path: Path) -> None:
    good = _archive(ledger, tmp_path)
    parent = tmp_path / "p"
    parent.mkdir()
    calls: list[int] = []

    def counting() -> bool:
        calls.append(1)
        return False

    arc.restore_archive(good, parent / "counted", cancelled=counting)
    last = len(calls)
    calls.clear()

    def at_the_end() -> bool:  # asked once per chunk read, then once before the folder is put in place
        calls.append(1)
        return len(calls) == last

    with pytest.raises(CancelledError):
        arc.restore_archive(good, parent / "x", cancelled=at_the_end)
    assert sorted(p.name for p in parent.iterdir()) == ["counted"]


def test_the_limits_against_zip_bombs() -> None:
    assert (arc.MAX_MEMBERS, arc.MAX_MANIFEST_BYTES, arc.MAX_TOTAL_BYTES) == (
        500_000,
        64 * 2**20,
        256 * 2**30,
    )
    assert (arc.MAX_RATIO, arc.RATIO_FLOOR, arc.SPACE_MARGIN) == (200, 8 * 2**20, 16 * 2**20)
    names = tuple(f"d{n}.pdf" for n in range(11))
    result = arc.ArchiveResult(Path("/a.zip"), 0, 0, 0, damaged=names)
    assert (
        result.summary().splitlines()[1] == "附件库中已损坏(按原样归档)的文件:" + "、".join(names[:10]) + "。"
    )
    restored = arc.ArchiveRestore(Path("/a.sqlite3"), 0, 0, damaged=names)
    assert (
        restored.summary().splitlines()[1] == "归档时原附件库中已损坏的文件:" + "、".join(names[:10]) + "。"
    )
    refusal = arc._refuse("中文", "english")
    assert (refusal.message_zh, refusal.message_en) == (
        "归档文件不能使用:中文;未做任何更改。",
        "archive refused: english",
    )


def test_streaming_stops_when_cancelled() -> None:
    import io

    with pytest.raises(CancelledError):
        arc._stream(io.BytesIO(b"abc"), io.BytesIO(), lambda n: None, lambda: True)
    out = io.BytesIO()
    counted: list[int] = []
    sha, size = arc._stream(io.BytesIO(b"abc"), out, counted.append, lambda: False, limit=3)
    assert (sha, size, out.getvalue(), counted) == (hashlib.sha256(b"abc").hexdigest(), 3, b"abc", [3])


def test_an_archive_written_by_path_names_and_a_failed_write(
    ledger: Ledger, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "a.zip"
    out.write_bytes(b"old")
    with pytest.raises(ValidationError):
        arc.write_archive(str(ledger.path), str(out))  # type: ignore[arg-type]  # never overwrites unless asked
    out.unlink()
    assert arc.write_archive(str(ledger.path), str(out)).path == out  # type: ignore[arg-type]

    def no_space(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(arc.os, "fsync", no_space)
    with pytest.raises(LedgerError) as caught:
        arc.write_archive(ledger.path, tmp_path / "b.zip")
    assert caught.value.message_zh == (
        f"无法写入归档 {tmp_path / 'b.zip'}:No space left on device(磁盘可能已满或没有写入权限);未留下文件。"
    )
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith("b.zip")] == []


def test_limits_at_their_edges(ledger: Ledger, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    good = _archive(ledger, tmp_path)
    target = tmp_path / "out" / "x"
    target.parent.mkdir()
    with zipfile.ZipFile(good) as zf:
        infos = zf.infolist()
    total = sum(i.file_size for i in infos)
    manifest_size = next(i.file_size for i in infos if i.filename == "manifest.json")
    monkeypatch.setattr(arc, "MAX_MEMBERS", 1)
    assert _refused(good, target) == "成员过多(2 个)"
    monkeypatch.setattr(arc, "MAX_MEMBERS", 2)
    monkeypatch.setattr(arc, "MAX_TOTAL_BYTES", total - 1)
    assert _refused(good, target) == "声明的解压大小超出上限(可能是“压缩炸弹”)"
    monkeypatch.setattr(arc, "MAX_TOTAL_BYTES", total)
    monkeypatch.setattr(arc, "MAX_MANIFEST_BYTES", manifest_size - 1)
    assert _refused(good, target) == "清单文件过大"
    monkeypatch.setattr(arc, "MAX_MANIFEST_BYTES", manifest_size)
    assert arc.restore_archive(good, target).tasks == 0


def _declared_compressed(path: Path, member: str, size: int) -> None:
    """Write ``size`` as the compressed size of ``member`` in the central directory (what zipfile reads)."""
    data = bytearray(path.read_bytes())
    pos = 0
    while (pos := data.find(b"PK\x01\x02", pos)) >= 0:
        name_len = int.from_bytes(data[pos + 28 : pos + 30], "little")
        if data[pos + 46 : pos + 46 + name_len] == member.encode():
            data[pos + 20 : pos + 24] = size.to_bytes(4, "little")
        pos += 4
    path.write_bytes(bytes(data))


def test_the_ratio_is_held_against_the_declared_sizes(tmp_path: Path) -> None:
    target = tmp_path / "out" / "x"
    target.parent.mkdir()
    bad = tmp_path / "bad.zip"
    size = (
        200 * 41_944
    )  # 8,388,800 bytes, over the 8 MiB floor; declared compressed to exactly 1/200: allowed
    with zipfile.ZipFile(bad, "w") as zf:
        zf.writestr("ledger.sqlite3", b"\x00" * size)
        zf.writestr("manifest.json", b"{}")
    _declared_compressed(bad, "ledger.sqlite3", size // 200)
    assert _refused(bad, target) == "不是整改台账的归档(清单格式不对)"
    _declared_compressed(bad, "ledger.sqlite3", size // 200 - 1)
    assert _refused(bad, target) == "ledger.sqlite3 的压缩比异常(可能是“压缩炸弹”)"


def test_members_that_are_not_the_formats(ledger: Ledger, tmp_path: Path) -> None:
    good = _archive(ledger, tmp_path)
    target = tmp_path / "out" / "x"
    target.parent.mkdir()
    bad = tmp_path / "bad.zip"
    assert (
        _refused(_rewrite(good, bad, {"../evil.txt": b"x"}), target)
        == "含有指向归档文件夹之外的路径:../evil.txt"
    )
    assert _refused(_rewrite(good, bad, {"readme.txt": b"x"}), target) == "含有不应有的文件:readme.txt"
    # The ledger member's compressed bytes damaged: found while it is extracted.
    data = bytearray(good.read_bytes())
    with zipfile.ZipFile(good) as zf:
        info = zf.getinfo("ledger.sqlite3")
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    data[start + 10 : start + 60] = bytes(50)
    bad.write_bytes(bytes(data))
    assert _refused(bad, target) == "ledger.sqlite3 已损坏"
    assert list(target.parent.iterdir()) == []


def _three_files(ledger: Ledger, tmp_path: Path) -> tuple[Path, list[str]]:
    src = tmp_path / "src"
    src.mkdir()
    shas = _ledger_with_evidence(ledger, src)
    out = tmp_path / "three.zip"
    ledger.archive.save_archive(out)
    return out, shas


def test_a_restore_by_path_names_into_an_empty_folder_with_its_steps(ledger: Ledger, tmp_path: Path) -> None:
    out, _shas = _three_files(ledger, tmp_path)
    target = tmp_path / "empty"
    target.mkdir()
    texts: list[str] = []
    restored = arc.restore_archive(str(out), str(target), progress=lambda d, t, text: texts.append(text))  # type: ignore[arg-type]
    assert (restored.ledger, restored.files, restored.missing, restored.damaged) == (
        target / "ledger.sqlite3",
        3,
        (),
        (),
    )
    assert texts[0] == "正在恢复台账数据…"
    assert texts.count("正在恢复佐证材料…") == 3
    assert texts[-1] == "正在完成…"
    assert sorted(p.name for p in target.iterdir()) == ["ledger.files", "ledger.sqlite3"]


def test_evidence_the_ledger_needs_but_the_archive_lacks(ledger: Ledger, tmp_path: Path) -> None:
    out, shas = _three_files(ledger, tmp_path)
    manifest = _manifest(out)
    drop = f"files/objects/{shas[0][:2]}/{shas[0][2:]}"
    manifest["members"] = [m for m in manifest["members"] if m["path"] != drop]
    with zipfile.ZipFile(out) as zin, zipfile.ZipFile(tmp_path / "bad.zip", "w") as zout:
        for info in zin.infolist():
            if info.filename == "manifest.json":
                zout.writestr(info.filename, json.dumps(manifest))
            elif info.filename != drop:
                zout.writestr(info.filename, zin.read(info))
    target = tmp_path / "out" / "x"
    target.parent.mkdir()
    assert _refused(tmp_path / "bad.zip", target) == "缺少台账需要的 1 个佐证材料文件"
    assert list(target.parent.iterdir()) == []


def test_a_row_that_is_no_checksum_is_missing_evidence_and_known_as_such(
    ledger: Ledger, tmp_path: Path
) -> None:
    import sqlite3

    round_id = ledger.directory.create_round(name="第一轮", level=RoundLevel.CENTRAL)
    task = ledger.tasks.create_task(
        round_id=round_id, kind=ProblemKind.SPECIFIC, description="问题", lead_units=["甲局"]
    )
    with sqlite3.connect(ledger.path) as conn:
        conn.execute(
            "INSERT INTO attachments (problem_id, sha256, original_name, size, media_type, description,"
            " added_at, added_by, deleted_at) VALUES (?, 'not-a-sha', '坏.doc', 3, '', '', '2026-01-01', '', NULL)",
            (task,),
        )
    out = tmp_path / "a.zip"
    assert ledger.archive.save_archive(out).missing == ("坏.doc",)
    target = tmp_path / "x"
    restored = arc.restore_archive(out, target)
    assert (restored.files, restored.missing) == (0, ("坏.doc",))


def test_a_restore_that_cannot_be_put_in_place_leaves_nothing(
    ledger: Ledger, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    good = _archive(ledger, tmp_path)
    parent = tmp_path / "p"
    parent.mkdir()

    def refused(src: Path, dst: Path) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(arc, "rename_new", refused)
    with pytest.raises(LedgerError) as caught:
        arc.restore_archive(good, parent / "x")
    assert (
        caught.value.message_zh
        == f"无法写入 {parent / 'x'}:Permission denied(磁盘可能已满或没有写入权限);未留下文件。"
    )
    assert list(parent.iterdir()) == []
