"""佐证材料: adding evidence files to a task, listing, describing, removing and handing out copies.

Adding copies every file into the attachment store first, outside any transaction (a USB stick
is slow), then registers all of them in one transaction: a batch is added whole or not at all.
Cancelling, or a failure, removes the objects this batch created that no row refers to.

Duplicates: the same content added to the same task again is skipped (reported, not an error), so
dropping a folder twice does not double it; the same content on another task gets its own row and
shares the stored object.
"""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
from collections.abc import Sequence
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from ledger_app.domain.errors import CancelledError, LedgerError, NotFoundError, ValidationError
from ledger_app.domain.progress import CancelFn, ProgressFn
from ledger_app.store import models as m
from ledger_app.store.attachments import (
    CHUNK,
    AttachmentStore,
    SourceFileError,
    StoredObject,
    StoreWriteError,
    format_size,
    fs_path,
    too_large,
)
from ledger_app.store.backup import needed_by_backups
from ledger_app.store.file_names import unique_name, windows_safe_name
from ledger_app.store.fileops import make_dirs

from . import attachment_check, evidence_zip
from .attachment_base import AttachmentInfo, attachment_row, guess_media_type, info_of, referenced
from .attachment_check import CheckReport, RepairReport
from .tasks import live_task

if TYPE_CHECKING:
    from . import Ledger

log = logging.getLogger(__name__)

DEFAULT_MAX_MB = 200
# Files Windows and Office leave in folders; never evidence. Skipped when a folder is walked.
_JUNK_NAMES = frozenset({"thumbs.db", "ehthumbs.db", "desktop.ini", ".ds_store"})
_JUNK_PREFIXES = ("~$", "._")  # Office lock files, macOS resource forks


@dataclass(frozen=True, slots=True)
class AddedFile:
    attachment_id: int
    source: Path
    name: str
    size: int
    sha256: str
    new_object: bool  # False: the content was already in the store (another task has it)


@dataclass(frozen=True, slots=True)
class RefusedFile:
    source: Path
    reason: str  # Chinese, for the clerk


@dataclass(slots=True)
class AddReport:
    added: list[AddedFile] = field(default_factory=list)
    duplicates: list[RefusedFile] = field(default_factory=list)  # already on this task: skipped
    refused: list[RefusedFile] = field(default_factory=list)  # too large, empty, unreadable, missing
    ignored: list[Path] = field(default_factory=list)  # Thumbs.db, desktop.ini, ~$ lock files
    bytes_stored: int = 0  # new bytes written to the store (dedup makes it less than the total)

    def summary(self) -> str:
        total = sum(a.size for a in self.added)
        parts = [f"已添加 {len(self.added)} 个文件(共 {format_size(total)})"]
        if self.duplicates:
            parts.append(f"{len(self.duplicates)} 个已在本任务中,未重复添加")
        if self.refused:
            parts.append(f"{len(self.refused)} 个未能添加")
        if self.ignored:
            parts.append(f"忽略系统文件 {len(self.ignored)} 个")
        return ",".join(parts) + "。"


def _is_junk(name: str) -> bool:
    return name.lower() in _JUNK_NAMES or name.startswith(_JUNK_PREFIXES)


def _collect(
    paths: Sequence[Path | str], max_size: int, report: AddReport, cancelled: CancelFn
) -> list[tuple[Path, int]]:
    """The files to copy, folders walked recursively in name order, with their sizes; refusals go
    into ``report`` (missing, empty, too large) before a single byte is copied."""
    files: list[tuple[Path, int]] = []
    seen: set[str] = set()

    def take(path: Path) -> None:
        key = os.path.normcase(os.path.abspath(path))
        if key in seen:
            return
        seen.add(key)
        try:
            size = os.stat(fs_path(path)).st_size
        except OSError as exc:
            report.refused.append(RefusedFile(path, f"无法读取文件:{path.name}({exc.strerror or exc})"))
            return
        if size > max_size:
            report.refused.append(RefusedFile(path, too_large(path, max_size).message_zh))
        elif size == 0:
            report.refused.append(RefusedFile(path, f"文件是空的(0 字节),未添加:{path.name}"))
        else:
            files.append((path, size))

    for given in paths:
        path = Path(given)
        if cancelled():
            raise CancelledError()
        native = fs_path(path)  # long paths on Windows: deep folders copied from USB sticks
        if os.path.isdir(native):
            errors: list[OSError] = []
            for dirpath, dirnames, filenames in os.walk(native, onerror=errors.append):
                if cancelled():
                    raise CancelledError()
                dirnames.sort()
                for name in sorted(filenames):
                    if _is_junk(name):
                        report.ignored.append(Path(dirpath) / name)
                    else:
                        take(Path(dirpath) / name)
            for exc in errors:
                where = Path(exc.filename or path)
                report.refused.append(RefusedFile(where, f"无法打开文件夹:{where}({exc.strerror or exc})"))
        elif os.path.isfile(native):
            take(path)
        elif os.path.exists(native):
            report.refused.append(RefusedFile(path, f"不是普通文件,未添加:{path}"))
        else:
            report.refused.append(RefusedFile(path, f"找不到文件或文件夹:{path}"))
    return files


class Attachments:
    """``ledger.attachments``: the evidence files (佐证材料) of tasks, their store, its check, and the zip."""

    def __init__(self, ledger: Ledger) -> None:
        self.ledger = ledger

    @property
    def store(self) -> AttachmentStore:
        """The attachment store beside the ledger file."""
        return AttachmentStore(self.ledger.attachments_dir)

    def attachment_max_bytes(self) -> int:
        """The size limit for one file, from the ledger setting ``attachment_max_mb``."""
        mb = self.ledger.settings.current().attachment_max_mb
        return (mb if mb > 0 else DEFAULT_MAX_MB) * 1024 * 1024

    # -- the store's check, in attachment_check.py -------------------------------------------------
    def check_store(
        self, *, verify: bool = True, progress: ProgressFn | None = None, cancelled: CancelFn | None = None
    ) -> CheckReport:
        """Compare the rows with the files. ``verify`` re-reads and re-hashes every referenced file
        (slow for a big store: run it from a worker); without it only presence is checked."""
        return attachment_check.check_store(
            self.ledger, verify=verify, progress=progress, cancelled=cancelled
        )

    def repair_store(self, report: CheckReport) -> RepairReport:
        """Repair what ``report`` found and can be repaired; everything else is listed as unrepaired."""
        return attachment_check.repair_store(self.ledger, report)

    # -- the evidence zip, in evidence_zip.py ---------------------------------------------------------
    def export_evidence_zip(
        self,
        task_ids: Sequence[int],
        out_zip: Path | str,
        *,
        progress: ProgressFn | None = None,
        cancelled: CancelFn | None = None,
    ) -> Path:
        """Write the live evidence files of ``task_ids`` to ``out_zip`` laid out by task; returns its path."""
        return evidence_zip.export_evidence_zip(
            self.ledger, task_ids, out_zip, progress=progress, cancelled=cancelled
        )

    # -- adding -----------------------------------------------------------------------------------
    def add_attachments(
        self,
        task_id: int,
        paths: Sequence[Path | str],
        *,
        description: str = "",
        measure_id: int | None = None,
        progress_id: int | None = None,
        progress: ProgressFn | None = None,
        cancelled: CancelFn | None = None,
        max_size: int | None = None,
    ) -> AddReport:
        """Copy files (folders: recursively) into the store and attach them to a task, optionally to
        one of its measures or progress entries. ``progress(done_bytes, total_bytes, text)``; when
        ``cancelled()`` turns true, CancelledError is raised and nothing is added.
        """
        limit = max_size if max_size is not None else self.attachment_max_bytes()
        report_progress = progress or (lambda done, total, text: None)
        is_cancelled = cancelled or (lambda: False)
        with self.ledger.reading() as session:
            self._check_targets(session, task_id, measure_id, progress_id)
        report = AddReport()
        report_progress(0, 0, "正在查找文件…")
        files = _collect(paths, limit, report, is_cancelled)
        total = sum(size for _path, size in files)
        created: set[str] = set()
        try:
            copied = self._copy_all(files, total, limit, report, report_progress, is_cancelled, created)
            if is_cancelled():
                raise CancelledError()
            if copied:
                report_progress(total, total, "正在登记…")
                self._register(task_id, copied, description.strip(), measure_id, progress_id, report)
        finally:
            self._drop_unreferenced(created)
        report.bytes_stored = sum(a.size for a in report.added if a.new_object)
        return report

    @staticmethod
    def _check_targets(
        session: Session, task_id: int, measure_id: int | None, progress_id: int | None
    ) -> None:
        live_task(session, task_id)
        if measure_id is not None:
            measure = session.get(m.Measure, measure_id)
            if measure is None or measure.problem_id != task_id:
                raise NotFoundError(
                    "所选整改措施不属于该任务。", f"measure {measure_id} is not on task {task_id}"
                )
        if progress_id is not None:
            entry = session.get(m.ProgressEntry, progress_id)
            if entry is None or entry.problem_id != task_id:
                raise NotFoundError(
                    "所选整改进展不属于该任务。", f"progress entry {progress_id} is not on task {task_id}"
                )

    def _copy_all(
        self,
        files: list[tuple[Path, int]],
        total: int,
        limit: int,
        report: AddReport,
        progress: ProgressFn,
        cancelled: CancelFn,
        created: set[str],
    ) -> list[tuple[Path, StoredObject]]:
        copied: list[tuple[Path, Future[StoredObject]]] = []
        done = 0
        with self.store.batch(created) as batch:
            for index, (path, size) in enumerate(files, 1):
                text = f"正在复制第 {index}/{len(files)} 个文件:{path.name}"
                progress(done, total, text)
                start = done

                def on_bytes(n: int, text: str = text) -> None:
                    nonlocal done
                    done = min(done + n, total)
                    progress(done, total, text)

                try:
                    future = batch.put(path, max_size=limit, on_bytes=on_bytes, cancelled=cancelled)
                    copied.append((path, future))
                except SourceFileError as exc:
                    report.refused.append(RefusedFile(path, exc.message_zh))
                done = start + size
            progress(total, total, "正在写入磁盘…")
        # Leaving the batch waited for every file; a write error of any of them stops the whole add.
        return [(path, future.result()) for path, future in copied]

    def _register(
        self,
        task_id: int,
        copied: list[tuple[Path, StoredObject]],
        description: str,
        measure_id: int | None,
        progress_id: int | None,
        report: AddReport,
    ) -> None:
        store = self.store
        with self.ledger.changing(f"添加佐证材料({len(copied)} 个文件)") as session:
            self._check_targets(session, task_id, measure_id, progress_id)
            existing = dict(
                session.execute(
                    select(m.Attachment.sha256, m.Attachment.original_name).where(
                        m.Attachment.problem_id == task_id, m.Attachment.deleted_at.is_(None)
                    )
                ).all()
            )
            rows: list[tuple[Path, StoredObject, m.Attachment]] = []
            for path, stored in copied:
                if stored.sha256 in existing:
                    same = existing[stored.sha256]
                    report.duplicates.append(
                        RefusedFile(path, f"本任务已有内容相同的文件「{same}」,未重复添加:{path.name}")
                    )
                    continue
                row = m.Attachment(
                    problem_id=task_id,
                    measure_id=measure_id,
                    progress_id=progress_id,
                    sha256=stored.sha256,
                    original_name=path.name,
                    size=stored.size,
                    media_type=guess_media_type(path.name),
                    description=description,
                    added_at=session.info["now"],
                    added_by=self.ledger.actor,
                )
                session.add(row)
                existing[stored.sha256] = path.name
                rows.append((path, stored, row))
            session.flush()
            # A check --repair running at the same time could have moved a just-copied object aside.
            gone = [path.name for path, stored, _row in rows if not store.has(stored.sha256)]
            if gone:
                raise StoreWriteError(
                    f"复制到附件库的文件在登记前不见了:{'、'.join(gone[:5])};请重新添加。",
                    "copied objects vanished before they were registered",
                )
        report.added.extend(
            AddedFile(row.id, path, row.original_name, row.size, row.sha256, stored.created)
            for path, stored, row in rows
        )

    def _drop_unreferenced(self, shas: set[str]) -> None:
        """Remove objects of this batch that no row refers to (cancel, failure). Runs in a ``finally``:
        it must not hide the error that brought us here, so its own failure is only logged; what
        stays behind is an orphan the check reports."""
        if not shas:
            return
        try:
            with self.ledger.reading() as session:
                keep = referenced(session, shas)
            # A file added again after the ledger dropped it may be one a kept backup needs.
            keep |= needed_by_backups(self.ledger.path) & shas
            store = self.store
            for sha in shas - keep:
                store.remove_object(sha)
        except Exception:
            log.warning("could not remove unreferenced objects after an add", exc_info=True)

    # -- reading and editing ----------------------------------------------------------------------
    def list_attachments(self, task_id: int, *, include_deleted: bool = False) -> list[AttachmentInfo]:
        """The task's evidence files, oldest first; ``include_deleted`` adds the removed ones."""
        query = select(m.Attachment).where(m.Attachment.problem_id == task_id).order_by(m.Attachment.id)
        if not include_deleted:
            query = query.where(m.Attachment.deleted_at.is_(None))
        with self.ledger.reading() as session:
            live_task(session, task_id)
            return [info_of(row) for row in session.scalars(query)]

    def attachment(self, att_id: int) -> AttachmentInfo:
        with self.ledger.reading() as session:
            return info_of(attachment_row(session, att_id))

    def update_attachment_description(self, att_id: int, text: str) -> None:
        with self.ledger.changing("修改佐证材料说明") as session:
            attachment_row(session, att_id).description = str(text or "").strip()

    def remove_attachment(self, att_id: int) -> None:
        """Removes the file from the task, recoverably: the row is marked, the stored file stays."""
        with self.ledger.changing("删除佐证材料") as session:
            row = attachment_row(session, att_id)
            if row.deleted_at is None:
                row.deleted_at = session.info["now"]

    def restore_attachment(self, att_id: int) -> None:
        with self.ledger.changing("恢复佐证材料") as session:
            row = attachment_row(session, att_id)
            if row.deleted_at is None:
                return
            live_task(session, row.problem_id)
            twin = session.scalar(
                select(m.Attachment.original_name).where(
                    m.Attachment.problem_id == row.problem_id,
                    m.Attachment.sha256 == row.sha256,
                    m.Attachment.deleted_at.is_(None),
                )
            )
            if twin is not None:
                raise ValidationError(
                    f"本任务已有内容相同的文件「{twin}」,无需恢复。", "the task already has this content"
                )
            row.deleted_at = None

    # -- files out --------------------------------------------------------------------------------
    def attachment_file(self, att_id: int) -> Path:
        """The stored file itself (read-only, named by its hash). To open it in a viewer prefer
        ``attachment_view_copy``: Windows picks the program by the extension this path lacks."""
        info = self.attachment(att_id)
        path = self.store.object_path(info.sha256)
        if not os.path.isfile(fs_path(path)):
            raise _missing(info)
        return path

    def attachment_view_copy(self, att_id: int) -> Path:
        """A read-only copy under its original (Windows-safe) name in the temp folder, for the system
        viewer: the right program opens it, shows the real name, and cannot save over the evidence."""
        info = self.attachment(att_id)
        folder = Path(tempfile.gettempdir()) / "ledger_app-view" / info.sha256[:16]
        target = folder / windows_safe_name(info.name)
        try:
            if os.path.isfile(fs_path(target)) and os.stat(fs_path(target)).st_size == info.size:
                return target
            make_dirs(folder)
            if os.path.exists(fs_path(target)):
                os.chmod(fs_path(target), 0o600)
                os.unlink(fs_path(target))
            self._copy_out(info, target)
            os.chmod(fs_path(target), 0o444)
        except OSError as exc:
            raise LedgerError(
                f"无法打开「{info.name}」:{exc.strerror or exc}", f"cannot prepare a copy: {exc}"
            ) from exc
        return target

    def save_attachment_copy(self, att_id: int, dest_dir: Path | str) -> Path:
        """Copy the file into ``dest_dir`` under its original name made safe for Windows; never
        overwrites: "name (2).ext" when the name is taken. The copy is checked against its hash."""
        info = self.attachment(att_id)
        folder = Path(dest_dir)
        if not folder.is_dir():
            raise ValidationError(f"目标文件夹不存在:{folder}", f"no such folder: {folder}")
        name = windows_safe_name(info.name)
        while True:
            taken = {entry.casefold() for entry in os.listdir(fs_path(folder))}
            target = folder / unique_name(name, taken)
            try:
                self._copy_out(info, target)
                return target
            except FileExistsError:  # someone took the name between listing and writing
                continue
            except OSError as exc:
                raise LedgerError(
                    f"无法保存到 {folder}:{exc.strerror or exc}", f"cannot write to {folder}: {exc}"
                ) from exc

    def _copy_out(self, info: AttachmentInfo, target: Path) -> None:
        """Stream the object to a new file ``target`` (never overwriting), verifying its sha256."""
        source = self.store.object_path(info.sha256)
        if not os.path.isfile(fs_path(source)):
            raise _missing(info)
        digest = hashlib.sha256()
        with open(fs_path(source), "rb") as reader, open(fs_path(target), "xb") as writer:
            try:
                while chunk := reader.read(CHUNK):
                    digest.update(chunk)
                    writer.write(chunk)
            except BaseException:
                writer.close()
                os.unlink(fs_path(target))
                raise
        if digest.hexdigest() != info.sha256:
            os.unlink(fs_path(target))
            raise LedgerError(
                f"附件库中的「{info.name}」已损坏(内容与添加时不一致),请运行完整性检查。",
                f"stored object of attachment {info.id} is damaged",
            )

    def attachment_thumbnail(self, att_id: int, size: int = 160) -> Path | None:
        """A cached JPEG thumbnail for an image attachment, made on first use; None for other files.
        Slow the first time (reads the image): call it from a worker."""
        info = self.attachment(att_id)
        if not info.is_image:
            return None
        return self.store.thumbnail(info.sha256, size)


def _missing(info: AttachmentInfo) -> LedgerError:
    return LedgerError(
        f"附件库中找不到「{info.name}」的文件,可能被误删或移动;请运行完整性检查(ledger-cli check)。",
        f"the stored file of attachment {info.id} is missing",
    )
