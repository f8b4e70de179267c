"""归档: the whole ledger in one zip, to move it to another PC, and restoring such a zip into a new folder.

An archive holds exactly::

    manifest.json                 format, version, when, the app's version, task count, every member's sha256 and size
    ledger.sqlite3                an online-backup snapshot of the ledger
    files/objects/ab/cdef…        each stored evidence file the snapshot refers to, under its sha256

An archive comes from outside and is untrusted. Restoring refuses, before writing anything, a file that
is not a zip, a member path that could leave the folder (``..``, absolute, drive letters, backslashes),
a member the format does not have, a member missing from the manifest or the other way round, sizes
that differ from the manifest, or declared sizes beyond the limits (a zip bomb); then, while extracting,
a checksum that does not match. Everything is extracted into a temporary folder beside the target and
renamed into place only when whole and checked, so a refused or cancelled restore leaves nothing.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import shutil
import sqlite3
import uuid
import zipfile
import zlib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from ledger_app import __version__
from ledger_app.domain.errors import CancelledError, LedgerError, ValidationError
from ledger_app.domain.progress import CancelFn, ProgressFn
from ledger_app.store.attachments import CHUNK, READ_ONLY, AttachmentStore, format_size
from ledger_app.store.backup import backup_copy, replace_path
from ledger_app.store.file_names import windows_safe_name
from ledger_app.store.fileops import fs_path, make_dir_new, make_dirs, rename_new

from .backups import check_ledger_file
from .ledger_copy import attachments_dir_for, remove_file, remove_tree, sync_dir, wanted_files

if TYPE_CHECKING:
    from . import Ledger

log = logging.getLogger(__name__)

FORMAT = "ledger_app-archive"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
LEDGER_MEMBER = "ledger.sqlite3"
OBJECT_MEMBER = re.compile(r"files/objects/([0-9a-f]{2})/([0-9a-f]{62})")
# Limits against zip bombs and nonsense, far above any real ledger.
MAX_MEMBERS = 500_000
MAX_MANIFEST_BYTES = 64 << 20
MAX_TOTAL_BYTES = 256 << 30
MAX_RATIO = 200  # declared size / compressed size of a large member
RATIO_FLOOR = 8 << 20  # members smaller than this are not held to the ratio
SPACE_MARGIN = 16 << 20


@dataclass(frozen=True, slots=True)
class ArchiveResult:
    path: Path
    tasks: int
    files: int
    bytes: int  # size of the zip
    missing: tuple[str, ...] = ()  # evidence the ledger needs that the store lacked (not in the archive)
    damaged: tuple[str, ...] = ()  # stored files whose content no longer matched (archived as they are)

    def summary(self) -> str:
        lines = [
            f"已导出归档 {self.path}({format_size(self.bytes)}):{self.tasks} 项任务,佐证材料 {self.files} 个文件。"
        ]
        if self.missing:
            lines.append(f"附件库中缺失、未能归档的文件:{'、'.join(self.missing[:10])};请运行完整性检查。")
        if self.damaged:
            lines.append(f"附件库中已损坏(按原样归档)的文件:{'、'.join(self.damaged[:10])}。")
        return "\n".join(lines)


@dataclass(frozen=True, slots=True)
class ArchiveRestore:
    ledger: Path  # the restored ledger file, inside the new folder
    tasks: int
    files: int
    missing: tuple[str, ...] = ()  # evidence already missing when the archive was made
    damaged: tuple[str, ...] = ()

    def summary(self) -> str:
        lines = [f"已从归档恢复台账:{self.ledger}({self.tasks} 项任务,佐证材料 {self.files} 个文件)。"]
        if self.missing:
            lines.append(f"归档时原附件库中已缺失的文件:{'、'.join(self.missing[:10])}。")
        if self.damaged:
            lines.append(f"归档时原附件库中已损坏的文件:{'、'.join(self.damaged[:10])}。")
        return "\n".join(lines)


def _refuse(zh: str, en: str) -> ValidationError:
    return ValidationError(f"归档文件不能使用:{zh};未做任何更改。", f"archive refused: {en}")


def _stream(
    reader: IO[bytes], writer: IO[bytes], on_bytes: Any, cancelled: CancelFn, limit: int | None = None
) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    while chunk := reader.read(CHUNK):
        if cancelled():
            raise CancelledError()
        size += len(chunk)
        if limit is not None and size > limit:
            raise _refuse("文件实际大小超过声明的大小", "member larger than declared")
        digest.update(chunk)
        writer.write(chunk)
        on_bytes(len(chunk))
    return digest.hexdigest(), size


# -- writing ---------------------------------------------------------------------------------------------
def write_archive(
    ledger_path: Path,
    dest: Path,
    *,
    overwrite: bool = False,
    progress: ProgressFn | None = None,
    cancelled: CancelFn | None = None,
) -> ArchiveResult:
    """Write the archive of the ledger file ``ledger_path`` to ``dest`` (a .zip), whole or not at all."""
    ledger_path, dest = Path(ledger_path), Path(dest)
    report = progress or (lambda done, total, text: None)
    is_cancelled = cancelled or (lambda: False)
    if dest.exists() and not overwrite:
        raise ValidationError(f"文件已存在:{dest}(归档不会覆盖已有文件)", f"{dest} exists")
    if not dest.parent.is_dir():
        raise ValidationError(f"目标文件夹不存在:{dest.parent}", f"no such folder: {dest.parent}")
    token = uuid.uuid4().hex[:8]
    snapshot = dest.with_name(f"{dest.name}.{token}.ledger.part")
    tmp_zip = dest.with_name(f"{dest.name}.{token}.part")
    try:
        report(0, 1, "正在复制台账数据…")
        try:
            backup_copy(ledger_path, "archive", dest=snapshot)
        except (sqlite3.Error, OSError) as exc:
            raise LedgerError(f"无法读取台账或写入 {dest.parent}:{exc}", f"snapshot failed: {exc}") from exc
        tasks = check_ledger_file(snapshot)
        wanted = wanted_files(snapshot)
        store = AttachmentStore(attachments_dir_for(ledger_path))
        total = snapshot.stat().st_size + sum(w.size for w in wanted)
        done = 0

        def on_bytes(n: int) -> None:
            nonlocal done
            done += n
            report(min(done, total), total, text)

        members: list[dict[str, Any]] = []
        missing: list[dict[str, str]] = []
        damaged: list[str] = []
        try:
            with zipfile.ZipFile(tmp_zip, "w") as zf:
                text = "正在写入台账数据…"
                info = zipfile.ZipInfo(LEDGER_MEMBER, date_time=datetime.now().timetuple()[:6])
                info.compress_type = zipfile.ZIP_DEFLATED
                with open(snapshot, "rb") as reader, zf.open(info, "w", force_zip64=True) as writer:
                    sha, size = _stream(reader, writer, on_bytes, is_cancelled)
                members.append({"path": LEDGER_MEMBER, "sha256": sha, "size": size})
                for index, item in enumerate(wanted, 1):
                    text = f"正在写入佐证材料(第 {index}/{len(wanted)} 个):{item.name}"
                    try:
                        source = store.object_path(item.sha256)
                        reader = open(fs_path(source), "rb")  # noqa: SIM115 - read and write errors differ
                    except (ValueError, OSError):
                        missing.append({"sha256": item.sha256, "name": item.name})
                        continue
                    name = f"files/objects/{item.sha256[:2]}/{item.sha256[2:]}"
                    # Evidence is mostly photos, PDFs and Office files, already compressed: stored as is.
                    info = zipfile.ZipInfo(name, date_time=datetime.now().timetuple()[:6])
                    info.compress_type = zipfile.ZIP_STORED
                    with reader, zf.open(info, "w", force_zip64=item.size > (1 << 30)) as writer:
                        sha, size = _stream(reader, writer, on_bytes, is_cancelled)
                    entry = {"path": name, "sha256": sha, "size": size}
                    if sha != item.sha256:
                        entry["damaged"] = True
                        damaged.append(item.name)
                    members.append(entry)
                manifest = {
                    "format": FORMAT,
                    "format_version": FORMAT_VERSION,
                    "created": datetime.now().isoformat(timespec="seconds"),
                    "app_version": __version__,
                    "ledger_name": ledger_path.name,
                    "tasks": tasks,
                    "members": members,
                    "missing": missing,
                }
                zf.writestr(
                    MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1), zipfile.ZIP_DEFLATED
                )
            with open(tmp_zip, "rb+") as fh:
                os.fsync(fh.fileno())
        except OSError as exc:
            raise LedgerError(
                f"无法写入归档 {dest}:{exc.strerror or exc}(磁盘可能已满或没有写入权限);未留下文件。",
                f"cannot write {dest}: {exc}",
            ) from exc
        replace_path(tmp_zip, dest)
        sync_dir(dest.parent)
    finally:
        remove_file(snapshot)
        remove_file(tmp_zip)
    return ArchiveResult(
        dest, tasks, len(members) - 1, dest.stat().st_size, tuple(m["name"] for m in missing), tuple(damaged)
    )


class Archive:
    """``ledger.archive``: 导出归档, this ledger and its evidence in one zip."""

    def __init__(self, ledger: Ledger) -> None:
        self.ledger = ledger

    def save_archive(
        self,
        dest: Path | str,
        *,
        overwrite: bool = False,
        progress: ProgressFn | None = None,
        cancelled: CancelFn | None = None,
    ) -> ArchiveResult:
        """导出归档: this ledger and its evidence in one zip (see ``write_archive``)."""
        return write_archive(
            self.ledger.path, Path(dest), overwrite=overwrite, progress=progress, cancelled=cancelled
        )


# -- reading ---------------------------------------------------------------------------------------------
def _unsafe(name: str) -> bool:
    parts = name.split("/")
    return (
        not name
        or "\\" in name
        or name.startswith("/")
        or re.match(r"^[A-Za-z]:", name) is not None
        or ":" in name
        or "\x00" in name
        or any(part in ("", ".", "..") for part in parts)
    )


def _open_zip(archive: Path) -> zipfile.ZipFile:
    if not archive.is_file():
        raise ValidationError(f"找不到归档文件:{archive}", f"no such archive: {archive}")
    try:
        return zipfile.ZipFile(archive)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise _refuse(f"{archive.name} 不是有效的 zip 归档", f"not a zip: {exc}") from exc


def _read_manifest(zf: zipfile.ZipFile) -> tuple[dict[str, Any], dict[str, zipfile.ZipInfo]]:
    """Check names, sizes and the manifest against each other; nothing is extracted yet."""
    infos = zf.infolist()
    if len(infos) > MAX_MEMBERS:
        raise _refuse(f"成员过多({len(infos)} 个)", "too many members")
    by_name: dict[str, zipfile.ZipInfo] = {}
    for info in infos:
        if _unsafe(info.filename):
            raise _refuse(f"含有指向归档文件夹之外的路径:{info.filename}", f"unsafe path {info.filename!r}")
        if info.filename in by_name:
            raise _refuse(f"同一文件出现两次:{info.filename}", f"duplicate member {info.filename!r}")
        if info.filename not in (MANIFEST, LEDGER_MEMBER) and not OBJECT_MEMBER.fullmatch(info.filename):
            raise _refuse(f"含有不应有的文件:{info.filename}", f"unexpected member {info.filename!r}")
        if info.flag_bits & 0x1:
            raise _refuse("文件已加密", "encrypted member")
        if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise _refuse(f"{info.filename} 的压缩比异常(可能是“压缩炸弹”)", "zip bomb (ratio)")
        by_name[info.filename] = info
    if sum(i.file_size for i in infos) > MAX_TOTAL_BYTES:
        raise _refuse("声明的解压大小超出上限(可能是“压缩炸弹”)", "zip bomb (total size)")
    if MANIFEST not in by_name:
        raise _refuse("缺少清单文件 manifest.json", "no manifest")
    if LEDGER_MEMBER not in by_name:
        raise _refuse("缺少台账数据 ledger.sqlite3", "no ledger member")
    if by_name[MANIFEST].file_size > MAX_MANIFEST_BYTES:
        raise _refuse("清单文件过大", "manifest too large")
    try:
        manifest = json.loads(zf.read(MANIFEST).decode("utf-8"))
    except (ValueError, zipfile.BadZipFile, OSError) as exc:
        raise _refuse("清单文件 manifest.json 无法读取", f"bad manifest: {exc}") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise _refuse("不是整改台账的归档(清单格式不对)", "not a ledger archive")
    version = manifest.get("format_version")
    if not isinstance(version, int) or version > FORMAT_VERSION:
        raise _refuse(f"归档由更新版本的软件创建(格式 {version}),请升级本软件", "newer archive format")
    listed: dict[str, dict[str, Any]] = {}
    for entry in manifest.get("members") or []:
        if not isinstance(entry, dict) or not isinstance(entry.get("path"), str):
            raise _refuse("清单内容不完整", "bad manifest entry")
        if not isinstance(entry.get("sha256"), str) or not isinstance(entry.get("size"), int):
            raise _refuse(f"清单中 {entry['path']} 缺少校验值或大小", "manifest entry without sha256/size")
        listed[entry["path"]] = entry
    for name, info in by_name.items():
        if name == MANIFEST:
            continue
        if name not in listed:
            raise _refuse(f"{name} 不在清单中", f"{name} not in the manifest")
        if info.file_size != listed[name]["size"]:
            raise _refuse(f"{name} 的大小与清单不符", f"{name}: size differs from the manifest")
    for name in listed:
        if name not in by_name:
            raise _refuse(f"缺少清单中列出的文件 {name}", f"{name} missing from the archive")
    manifest["_listed"] = listed
    return manifest, by_name


def _ledger_name(manifest: dict[str, Any]) -> str:
    raw = manifest.get("ledger_name")
    name = windows_safe_name(raw if isinstance(raw, str) else "", fallback="台账.sqlite3")
    if name.lower().endswith(".files") or "." not in name.strip("."):
        name += ".sqlite3"
    return name


def _check_target(folder: Path, needed: int) -> None:
    if folder.exists() and not folder.is_dir():
        raise ValidationError(f"目标位置已有同名文件:{folder}", f"{folder} is a file")
    if folder.is_dir() and any(folder.iterdir()):
        raise ValidationError(
            f"目标文件夹 {folder} 不是空的;为免覆盖其中的文件,请选择一个新的或空的文件夹。",
            f"{folder} is not empty",
        )
    if not folder.parent.is_dir():
        raise ValidationError(
            f"目标文件夹的上级文件夹不存在:{folder.parent}", f"no such folder {folder.parent}"
        )
    try:
        free = shutil.disk_usage(folder.parent).free
    except OSError:
        return
    if free < needed + SPACE_MARGIN:
        raise ValidationError(
            f"磁盘空间不足:恢复需要约 {format_size(needed)},只剩 {format_size(free)}。",
            f"not enough space: need {needed}, {free} free",
        )


def restore_archive(
    archive: Path | str,
    folder: Path | str,
    *,
    progress: ProgressFn | None = None,
    cancelled: CancelFn | None = None,
) -> ArchiveRestore:
    """Restore ``archive`` into the new (absent or empty) ``folder``: the ledger file and its ``.files``.

    Raises ValidationError for a refused archive or target; nothing is left behind then.
    """
    archive, folder = Path(archive), Path(folder).absolute()
    report = progress or (lambda done, total, text: None)
    is_cancelled = cancelled or (lambda: False)
    with _open_zip(archive) as zf:
        manifest, by_name = _read_manifest(zf)
        listed = manifest["_listed"]
        total = sum(i.file_size for i in by_name.values())
        _check_target(folder, total)
        name = _ledger_name(manifest)
        tmp = folder.parent / f".{folder.name}.{uuid.uuid4().hex[:8]}.restoring"
        try:
            make_dir_new(tmp)
            ledger = tmp / name
            store = AttachmentStore(tmp / f"{Path(name).stem}.files")
            done = 0
            damaged: list[str] = []

            def on_bytes(n: int) -> None:
                nonlocal done
                done += n
                report(min(done, total), total, text)

            for member, info in by_name.items():
                if member == MANIFEST:
                    continue
                text = "正在恢复台账数据…" if member == LEDGER_MEMBER else "正在恢复佐证材料…"
                if member == LEDGER_MEMBER:
                    target = ledger
                else:
                    found = OBJECT_MEMBER.fullmatch(member)
                    assert found is not None  # _read_manifest let only these through
                    target = store.object_path(found[1] + found[2])
                    make_dirs(target.parent)
                try:
                    with zf.open(info) as reader, open(fs_path(target), "xb") as writer:
                        sha, _size = _stream(reader, writer, on_bytes, is_cancelled, limit=info.file_size)
                        writer.flush()
                        os.fsync(writer.fileno())
                except (zipfile.BadZipFile, EOFError, zlib.error) as exc:
                    raise _refuse(f"{member} 已损坏", f"{member}: {exc}") from exc
                if sha != listed[member]["sha256"]:
                    raise _refuse(f"{member} 的校验值与清单不符", f"{member}: checksum mismatch")
                if member != LEDGER_MEMBER:
                    if sha != target.parent.name + target.name:
                        if not listed[member].get("damaged"):
                            raise _refuse(f"{member} 的内容与其校验值名称不符", f"{member}: content mismatch")
                        damaged.append(member)
                    os.chmod(fs_path(target), READ_ONLY)
            try:
                tasks = check_ledger_file(ledger)
            except LedgerError as exc:
                raise _refuse(f"其中的台账数据不可用({exc.message_zh})", "ledger member unusable") from exc
            needed = {w.sha256 for w in wanted_files(ledger)}
            absent = {sha for sha in needed if not _has(store, sha)}
            known_missing = {
                m.get("sha256"): str(m.get("name", ""))
                for m in manifest.get("missing") or []
                if isinstance(m, dict)
            }
            unexplained = absent - set(known_missing)
            if unexplained:
                raise _refuse(f"缺少台账需要的 {len(unexplained)} 个佐证材料文件", "evidence files missing")
            if is_cancelled():
                raise CancelledError()
            report(total, total, "正在完成…")
            if folder.is_dir():
                folder.rmdir()  # checked empty; fails (and stops us) if filled meanwhile
            rename_new(tmp, folder)
        except OSError as exc:
            remove_tree(tmp)
            raise LedgerError(
                f"无法写入 {folder}:{exc.strerror or exc}(磁盘可能已满或没有写入权限);未留下文件。",
                f"cannot write {folder}: {exc}",
            ) from exc
        except BaseException:
            remove_tree(tmp)
            raise
    sync_dir(folder.parent)
    files = sum(1 for m in by_name if m not in (MANIFEST, LEDGER_MEMBER))
    return ArchiveRestore(
        folder / name, tasks, files, tuple(sorted(known_missing[s] for s in absent)), tuple(damaged)
    )


def _has(store: AttachmentStore, sha: str) -> bool:
    try:
        return store.has(sha)
    except ValueError:
        return False
