"""另存副本: a whole copy of a ledger — its database and the evidence files that database refers to.

A ledger is two things on disk: ``台账.sqlite3`` and its attachment store ``台账.files/``. The database
alone is a ledger whose 佐证材料 are all missing, so a copy made here is always both:

1. the database, through SQLite's online backup (a consistent snapshot even while the ledger is in use);
2. the stored files *that snapshot* refers to — live attachments and removed ones, which can be restored
   from the copy as from the original — each re-hashed while it is copied, so damage in the original
   is reported instead of travelling on unnoticed. The snapshot is taken first: an object is always
   stored before the row that names it is committed, so every file the snapshot names is there.

Left out on purpose: ``thumbs/`` (a cache, rebuilt on demand), ``tmp/`` (copies in flight), files no
row refers to and ``lost+found/`` (what the integrity check set aside stays with the original, where
``ledger-cli check`` reports it).

Both parts are written under temporary names beside the destination and renamed only when complete;
cancelling or a failure removes them, so the destination never holds half a copy. An existing
destination file is replaced only with ``overwrite`` (the GUI's file dialog has asked). An existing
attachment folder of the destination's name is used only when it is empty: a non-empty one may hold
another ledger's evidence, and mixing into it or deleting it is not ours to decide, so the copy is
refused and the clerk told to pick another name or move that folder away.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import shutil
import sqlite3
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from sqlalchemy import func, select

from ledger_app.domain.errors import CancelledError, LedgerError, ValidationError
from ledger_app.domain.progress import CancelFn, ProgressFn
from ledger_app.store import models as m
from ledger_app.store.attachments import CHUNK, READ_ONLY, READ_WRITE, AttachmentStore, format_size
from ledger_app.store.backup import backup_copy
from ledger_app.store.database import make_engine
from ledger_app.store.fileops import fs_path, make_dirs, rename_new, replace_file

if TYPE_CHECKING:
    from . import Ledger


log = logging.getLogger(__name__)

# Room left free on the destination beyond the copy itself: a USB stick filled to the last byte
# makes the next save of any program fail.
SPACE_MARGIN = 1 << 20
NAMES_SHOWN = 10  # missing or damaged files named in the summary; the rest are counted


def attachments_dir_for(ledger_path: Path) -> Path:
    """The attachment store that belongs to a ledger file: ``台账.sqlite3`` → ``台账.files/``
    (the rule ``LedgerCore.attachments_dir`` applies to an open ledger)."""
    return ledger_path.with_name(f"{ledger_path.stem}.files")


@dataclass(frozen=True, slots=True)
class LedgerCopy:
    """What a copy wrote and what it found wrong in the original's attachment store."""

    path: Path  # the copied ledger file
    files_dir: Path  # its attachment folder (not created when the ledger has no evidence files)
    files: int  # stored files copied
    bytes: int  # their size
    missing: tuple[str, ...] = ()  # attachments whose file the original store lacks
    damaged: tuple[str, ...] = ()  # attachments whose file no longer matches its checksum (copied as is)

    @property
    def ok(self) -> bool:
        return not self.missing and not self.damaged

    def summary(self) -> str:
        """For the clerk: where the copy is, what it holds, and what was wrong already in the original."""
        lines = [f"已另存副本:{self.path}"]
        if self.files:
            lines.append(
                f"佐证材料 {self.files} 个文件({format_size(self.bytes)})已一并复制到 {self.files_dir.name}。"
            )
        else:
            lines.append("台账中没有佐证材料文件。")
        for label, names in (("缺失", self.missing), ("已损坏(按原样复制)", self.damaged)):
            if names:
                shown = "、".join(names[:NAMES_SHOWN]) + (
                    f" 等 {len(names)} 个" if len(names) > NAMES_SHOWN else ""
                )
                lines.append(f"原台账附件库中{label}的文件:{shown};请对原台账运行完整性检查。")
        return "\n".join(lines)


@dataclass(frozen=True, slots=True)
class _Wanted:
    sha256: str
    name: str  # one original name of the content, for messages
    size: int


def _same_or_inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def _check_destination(source: Path, dest: Path, *, overwrite: bool) -> None:
    """Refuse a destination that would overwrite the ledger or its evidence, or mix evidence."""
    src, target = source.resolve(), dest.resolve()
    src_files, dest_files = attachments_dir_for(src), attachments_dir_for(target)
    same = target == src
    if not same and os.path.exists(fs_path(target)):
        with contextlib.suppress(OSError):
            same = os.path.samefile(fs_path(target), fs_path(src))  # a hard link, another spelling
    if same:
        raise ValidationError(
            "副本不能保存为正在使用的台账文件本身,请换一个文件名。", "the copy cannot be the ledger itself"
        )
    if _same_or_inside(target, src_files):
        raise ValidationError(
            f"副本不能保存在台账自己的佐证材料文件夹 {src_files} 里,请换一个位置。",
            "the copy cannot go inside the ledger's own attachment folder",
        )
    if _same_or_inside(dest_files, src_files) or _same_or_inside(src_files, dest_files):
        # "台账.db" beside "台账.sqlite3" would share "台账.files/" with the original.
        raise ValidationError(
            f"副本的佐证材料文件夹 {dest_files.name} 会与当前台账的 {src_files.name} 重合,请换一个文件名。",
            "the copy's attachment folder would overlap the ledger's own",
        )
    if target == dest_files:
        raise ValidationError(
            f"副本的文件名不能以 .files 结尾:{dest.name}", "the copy's name cannot end in .files"
        )
    if not os.path.isdir(fs_path(target.parent)):
        raise ValidationError(f"目标文件夹不存在:{target.parent}", f"no such folder: {target.parent}")
    if os.path.isdir(fs_path(target)):
        raise ValidationError(f"这是一个文件夹,不能作为副本文件名:{dest}", f"{dest} is a folder")
    if os.path.lexists(fs_path(target)) and not overwrite:
        raise ValidationError(
            f"文件已存在:{dest}(副本不会覆盖已有文件,请换一个文件名)", f"{dest} exists; not overwritten"
        )
    if os.path.lexists(fs_path(dest_files)):
        if not os.path.isdir(fs_path(dest_files)):
            raise ValidationError(
                f"目标位置已有名为 {dest_files.name} 的文件,副本的佐证材料无处存放;请换一个文件名。",
                f"{dest_files} exists and is not a folder",
            )
        if os.listdir(fs_path(dest_files)):
            raise ValidationError(
                f"目标位置已有佐证材料文件夹 {dest_files},且里面有文件(可能属于另一个台账)。"
                "为免材料混在一起或被覆盖,副本未保存;请换一个文件名,或先把该文件夹移走。",
                f"{dest_files} exists and is not empty; the copy was not written",
            )


def wanted_files(snapshot: Path) -> list[_Wanted]:
    """Each distinct stored file the copied database refers to, removed attachments included."""
    a = m.Attachment
    query = (
        select(a.sha256, func.min(a.original_name), func.max(a.size)).group_by(a.sha256).order_by(a.sha256)
    )
    engine = make_engine(snapshot)
    try:
        with engine.connect() as conn:
            return [_Wanted(sha, name, int(size or 0)) for sha, name, size in conn.execute(query)]
    finally:
        engine.dispose()


def remove_tree(folder: Path) -> None:
    """Remove a folder this copy made; a failure is logged, not raised (it runs while unwinding)."""
    if not os.path.lexists(fs_path(folder)):
        return
    # Stored objects are read-only, and Windows refuses to delete a read-only file.
    for dirpath, _dirnames, filenames in os.walk(fs_path(folder)):
        for name in filenames:
            with contextlib.suppress(OSError):
                os.chmod(os.path.join(dirpath, name), READ_WRITE)
    try:
        shutil.rmtree(fs_path(folder))
    except OSError:
        log.warning("could not remove the unfinished copy %s", folder, exc_info=True)


def remove_file(path: Path) -> None:
    try:
        Path(fs_path(path)).unlink(missing_ok=True)
    except OSError:
        log.warning("could not remove the unfinished copy %s", path, exc_info=True)


def sync_dir(folder: Path) -> None:
    """Make renames in ``folder`` durable (POSIX); Windows cannot open a folder for fsync."""
    if os.name == "nt":
        return
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _write_error(where: Path, exc: OSError) -> LedgerError:
    return LedgerError(
        f"无法写入 {where}:{exc.strerror or exc}(磁盘可能已满、U盘已拔出或没有写入权限);副本未保存。",
        f"cannot write {where}: {exc}",
    )


class _Copier:
    """Copies the wanted objects into a fresh store folder, hashing each on the way."""

    def __init__(self, source: AttachmentStore, target: AttachmentStore, total: int, done: int) -> None:
        self.source = source
        self.target = target
        self.total = total
        self.done = done
        self.missing: list[str] = []
        self.damaged: list[str] = []
        self.files = 0
        self.bytes = 0
        self._dirs: set[Path] = set()

    def run(self, wanted: list[_Wanted], progress: ProgressFn, cancelled: CancelFn) -> None:
        for index, item in enumerate(wanted, 1):
            if cancelled():
                raise CancelledError()
            text = f"正在复制佐证材料(第 {index}/{len(wanted)} 个):{item.name}"
            progress(self.done, self.total, text)
            start = self.done
            self._copy(item, text, progress, cancelled)
            self.done = start + item.size  # the estimate stays right when a file is missing or shorter

    def _copy(self, item: _Wanted, text: str, progress: ProgressFn, cancelled: CancelFn) -> None:
        try:
            source = self.source.object_path(item.sha256)
            target = self.target.object_path(item.sha256)
        except ValueError:  # not a checksum: the row is damaged, there is no file to look for
            self.missing.append(item.name)
            return
        try:
            reader = open(fs_path(source), "rb")  # noqa: SIM115 - read errors and write errors differ
        except FileNotFoundError:
            self.missing.append(item.name)
            return
        except OSError as exc:
            self.damaged.append(f"{item.name}(无法读取:{exc.strerror or exc})")
            return
        with reader:
            if target.parent not in self._dirs:
                try:
                    make_dirs(target.parent)
                except OSError as exc:
                    raise _write_error(target.parent, exc) from exc
                self._dirs.add(target.parent)
            copied = self._stream(reader, target, text, progress, cancelled)
        if copied is None:
            self.damaged.append(f"{item.name}(无法读取)")
            remove_file(target)
            return
        with contextlib.suppress(OSError):
            os.chmod(fs_path(target), READ_ONLY)  # as in the store: a viewer cannot save over evidence
        digest, size = copied
        if digest != item.sha256:
            self.damaged.append(item.name)
        self.files += 1
        self.bytes += size

    def _stream(
        self, reader: BinaryIO, target: Path, text: str, progress: ProgressFn, cancelled: CancelFn
    ) -> tuple[str, int] | None:
        """Copy ``reader`` to the new file ``target``: (sha256, size) of what was read, None on a read error."""
        digest = hashlib.sha256()
        size = 0
        try:
            writer = open(fs_path(target), "xb")  # noqa: SIM115
        except OSError as exc:
            raise _write_error(target, exc) from exc
        with writer:
            while True:
                if cancelled():
                    raise CancelledError()
                try:
                    chunk = reader.read(CHUNK)
                except OSError:
                    return None
                if not chunk:
                    break
                digest.update(chunk)
                size += len(chunk)
                try:
                    writer.write(chunk)
                except OSError as exc:
                    raise _write_error(target, exc) from exc
                self.done = min(self.done + len(chunk), self.total)
                progress(self.done, self.total, text)
            try:
                writer.flush()
                os.fsync(writer.fileno())  # on the stick before the folder gets its final name
            except OSError as exc:
                raise _write_error(target, exc) from exc
        return digest.hexdigest(), size


def _check_space(folder: Path, needed: int) -> None:
    try:
        free = shutil.disk_usage(fs_path(folder)).free
    except OSError:
        return  # unknown (some network shares): let the writes tell
    if free < needed + SPACE_MARGIN:
        raise ValidationError(
            f"目标磁盘空间不足:副本需要约 {format_size(needed)},{folder} 所在磁盘只剩 {format_size(free)}。",
            f"not enough space in {folder}: need {needed} bytes, {free} free",
        )


def copy_ledger(
    source: Path,
    dest: Path | str,
    *,
    overwrite: bool = False,
    progress: ProgressFn | None = None,
    cancelled: CancelFn | None = None,
) -> LedgerCopy:
    """Copy the ledger file ``source`` and the evidence files it refers to to ``dest`` and the
    attachment folder beside it (``dest`` stem + ``.files``).

    ``progress(done_bytes, total_bytes, text)``; when ``cancelled()`` turns true CancelledError is
    raised. On cancel or failure nothing is left at the destination (an existing file replaced with
    ``overwrite`` is only replaced at the very end). Raises ValidationError for a destination it
    refuses (see the module docstring), LedgerError when the destination cannot be written.
    """
    source, dest = Path(source), Path(dest)
    report = progress or (lambda done, total, text: None)
    is_cancelled = cancelled or (lambda: False)
    _check_destination(source, dest, overwrite=overwrite)
    dest_files = attachments_dir_for(dest)
    token = uuid.uuid4().hex[:8]
    tmp_db = dest.with_name(f"{dest.name}.{token}.copying")
    tmp_files = dest.with_name(f"{dest_files.name}.{token}.copying")
    try:
        db_size = os.stat(fs_path(source)).st_size
    except OSError as exc:
        raise LedgerError(f"无法读取台账文件:{source}({exc.strerror or exc})", str(exc)) from exc
    _check_space(dest.parent, db_size)
    try:
        if is_cancelled():
            raise CancelledError()
        report(0, db_size, "正在复制台账数据…")
        try:
            backup_copy(source, "副本", dest=tmp_db)
        except sqlite3.Error as exc:
            raise LedgerError(
                f"复制台账数据时出错:{exc}(可能是目标磁盘已满或不可写,或原台账文件已损坏)",
                f"database copy failed: {exc}",
            ) from exc
        except OSError as exc:
            raise _write_error(dest.parent, exc) from exc
        wanted = wanted_files(tmp_db)
        files_bytes = sum(w.size for w in wanted)
        _check_space(dest.parent, files_bytes)
        copier = _Copier(
            AttachmentStore(attachments_dir_for(source)),
            AttachmentStore(tmp_files),
            db_size + files_bytes,
            db_size,
        )
        copier.run(wanted, report, is_cancelled)
        if is_cancelled():
            raise CancelledError()
        report(copier.total, copier.total, "正在完成…")
        _finish(tmp_db, tmp_files, dest, dest_files, has_files=copier.files > 0)
    except BaseException:
        remove_file(tmp_db)
        remove_tree(tmp_files)
        raise
    return LedgerCopy(
        dest, dest_files, copier.files, copier.bytes, tuple(copier.missing), tuple(copier.damaged)
    )


def _finish(tmp_db: Path, tmp_files: Path, dest: Path, dest_files: Path, *, has_files: bool) -> None:
    """Give both parts their final names: the folder first, the ledger file last, so a ledger file
    at ``dest`` never lacks its folder; a failure between the two takes the folder back."""
    placed = False
    try:
        if has_files:
            if os.path.isdir(fs_path(dest_files)):
                os.rmdir(fs_path(dest_files))  # checked empty; fails (and stops us) if filled meanwhile
            rename_new(fs_path(tmp_files), fs_path(dest_files))
            placed = True
        replace_file(fs_path(tmp_db), fs_path(dest))
    except BaseException as exc:  # Ctrl+C in the CLI too: no folder without its ledger file
        if placed:
            with contextlib.suppress(OSError):
                rename_new(fs_path(dest_files), fs_path(tmp_files))  # the outer cleanup removes it
        if isinstance(exc, OSError):
            raise _write_error(dest, exc) from exc
        raise
    sync_dir(dest.parent)


class Copies:
    """``ledger.copies``: 另存副本, this ledger and its evidence saved as a separate ledger."""

    def __init__(self, ledger: Ledger) -> None:
        self.ledger = ledger

    def save_copy(
        self,
        dest: Path | str,
        *,
        overwrite: bool = False,
        progress: ProgressFn | None = None,
        cancelled: CancelFn | None = None,
    ) -> LedgerCopy:
        """另存副本: this ledger and its evidence files to ``dest`` (see ``copy_ledger``)."""
        return copy_ledger(
            self.ledger.path, dest, overwrite=overwrite, progress=progress, cancelled=cancelled
        )
