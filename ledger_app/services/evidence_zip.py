"""The evidence of chosen tasks as one zip for the supervising office, laid out by task
(``ledger.attachments.export_evidence_zip``).

    序号-问题摘要/文件名                 tasks of one round
    督察批次/序号-问题摘要/文件名         tasks of several rounds

Every name is made safe for Windows and unique in its folder, ignoring case (" (2)"). Each file is
checked against its sha256 while it is written, so a damaged file never goes out unnoticed. The
zip is written under a temporary name beside the target and renamed at the end.
"""

from __future__ import annotations

import hashlib
import os
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import select

from ledger_app.domain.errors import CancelledError, LedgerError, NotFoundError, ValidationError
from ledger_app.domain.model import ProblemKind, Section
from ledger_app.domain.ordering import natural_key
from ledger_app.domain.progress import CancelFn, ProgressFn
from ledger_app.store import models as m
from ledger_app.store.attachments import CHUNK, AttachmentStore
from ledger_app.store.file_names import unique_name, windows_safe_name
from ledger_app.store.fileops import fs_path, replace_file

if TYPE_CHECKING:
    from . import Ledger

SUMMARY_CHARS = 20
# Short names: Explorer's own zip extraction still fails on paths over 260 characters.
FOLDER_CHARS = 40
FILE_CHARS = 80
ROUND_CHARS = 30
# Already compressed: deflating them again costs time and saves little or nothing. PDFs too: scans
# are compressed images inside, and deflating them ran at ~15 MB/s here for a few per cent.
_STORED_SUFFIXES = frozenset(
    {".jpg", ".jpeg", ".png", ".gif", ".webp", ".heic", ".mp4", ".mov", ".avi", ".mp3", ".pdf"}
    | {".zip", ".rar", ".7z", ".gz", ".docx", ".xlsx", ".pptx", ".ofd"}
)
_SUMMARY_TRIM = " ,.;:!?\u3001\u3002\uff0c\uff1b\uff1a\uff01\uff1f"  # ASCII and full-width punctuation


@dataclass(frozen=True, slots=True)
class _Entry:
    arcname: str
    sha256: str
    size: int
    name: str
    added_at: datetime


def task_folder_name(seq: str, description: str) -> str:
    """The 序号 and the first words of the problem description, e.g. "3-某某河道黑臭水体整治不到位"."""
    words = " ".join(description.split())[:SUMMARY_CHARS].rstrip(_SUMMARY_TRIM)
    label = f"{seq.strip()}-{words}" if words else seq.strip()
    return windows_safe_name(label, max_chars=FOLDER_CHARS)


def _zip_time(moment: datetime | None) -> tuple[int, int, int, int, int, int]:
    moment = moment or datetime.now()
    if moment.year < 1980:  # the zip format cannot say earlier
        moment = datetime(1980, 1, 1)
    return (moment.year, moment.month, moment.day, moment.hour, moment.minute, moment.second)


def _zip_entries(ledger: Ledger, task_ids: Sequence[int]) -> list[_Entry]:
    ids = sorted(set(task_ids))
    if not ids:
        raise ValidationError("没有选择任务。", "no tasks chosen")
    p, r, a = m.Problem, m.InspectionRound, m.Attachment
    tasks: dict[int, tuple[str, str, str, str, int, int]] = {}
    rows: list[tuple[int, str, str, int, datetime]] = []
    with ledger.reading() as session:
        for start in range(0, len(ids), 900):
            chunk = ids[start : start + 900]
            query = (
                select(p.id, p.seq, p.kind, p.description, r.name, r.position, r.id)
                .join(r, r.id == p.round_id)
                .where(p.id.in_(chunk), p.deleted_at.is_(None))
            )
            for tid, seq, kind, description, round_name, position, round_id in session.execute(query):
                tasks[tid] = (seq, kind, description, round_name, position, round_id)
            rows += session.execute(
                select(a.problem_id, a.original_name, a.sha256, a.size, a.added_at)
                .where(a.problem_id.in_(chunk), a.deleted_at.is_(None))
                .order_by(a.id)
            )
    if len(tasks) < len(ids):
        raise NotFoundError("所选任务中有的不存在或已被删除。", "some tasks are missing or deleted")
    sections = {s: i for i, s in enumerate(Section)}

    def order(tid: int) -> tuple[object, ...]:
        seq, kind, _d, _rn, position, round_id = tasks[tid]
        return (position, round_id, sections[ProblemKind(kind).section], natural_key(str(seq)))

    several_rounds = len({t[5] for t in tasks.values()}) > 1
    by_task: dict[int, list[tuple[str, str, int, datetime]]] = {}
    for tid, name, sha, size, added in rows:
        by_task.setdefault(tid, []).append((name, sha, size, added))
    entries: list[_Entry] = []
    taken: dict[str, set[str]] = {}  # folder → case-folded names already used in it
    for tid in sorted(by_task, key=order):
        seq, _kind, description, round_name, _pos, _rid = tasks[tid]
        parent = windows_safe_name(str(round_name), max_chars=ROUND_CHARS) + "/" if several_rounds else ""
        folder = unique_name(task_folder_name(str(seq), str(description)), taken.setdefault(parent, set()))
        taken[parent].add(folder.casefold())
        path = parent + folder + "/"
        used = taken.setdefault(path, set())
        for name, sha, size, added in by_task[tid]:
            file_name = unique_name(windows_safe_name(name, max_chars=FILE_CHARS), used, max_chars=FILE_CHARS)
            used.add(file_name.casefold())
            entries.append(_Entry(path + file_name, sha, size, name, added))
    return entries


def export_evidence_zip(
    ledger: Ledger,
    task_ids: Sequence[int],
    out_zip: Path | str,
    *,
    progress: ProgressFn | None = None,
    cancelled: CancelFn | None = None,
) -> Path:
    """Write the live evidence files of ``task_ids`` to ``out_zip``; returns its path.
    Tasks without evidence get no folder; no evidence at all is refused (an empty zip helps nobody).
    """
    out = Path(out_zip)
    entries = _zip_entries(ledger, task_ids)
    if not entries:
        raise ValidationError("所选任务没有佐证材料,未生成压缩包。", "the chosen tasks have no attachments")
    if not out.parent.is_dir():
        raise ValidationError(f"文件夹不存在:{out.parent}", f"no such folder: {out.parent}")
    store = ledger.attachments.store
    lost = [e for e in entries if not store.has(e.sha256)]
    if lost:
        names = "、".join(f"「{e.name}」" for e in lost[:5]) + (
            f" 等 {len(lost)} 个" if len(lost) > 5 else ""
        )
        raise LedgerError(
            f"附件库中找不到这些文件:{names};请先运行完整性检查(ledger-cli check)。",
            f"{len(lost)} stored files are missing",
        )
    report = progress or (lambda done, total, text: None)
    is_cancelled = cancelled or (lambda: False)
    tmp = out.with_name(f".{out.stem}.{os.getpid()}.tmp.zip")
    total = sum(e.size for e in entries)
    try:
        with zipfile.ZipFile(fs_path(tmp), "w", allowZip64=True) as archive:
            done = 0
            for index, entry in enumerate(entries, 1):
                text = f"正在打包第 {index}/{len(entries)} 个文件:{entry.name}"
                report(done, total, text)
                done = _write_entry(store, archive, entry, done, total, text, report, is_cancelled)
        if is_cancelled():
            raise CancelledError()
        replace_file(fs_path(tmp), fs_path(out))
    except PermissionError as exc:
        raise LedgerError(
            f"无法写入 {out}:文件可能正在被其他程序打开,请关闭后重试。", f"cannot write {out}: {exc}"
        ) from exc
    except OSError as exc:
        raise LedgerError(
            f"无法保存压缩包 {out}:{exc.strerror or exc}", f"cannot write {out}: {exc}"
        ) from exc
    finally:
        if os.path.exists(fs_path(tmp)):
            os.unlink(fs_path(tmp))
    report(total, total, "完成")
    return out


def _write_entry(
    store: AttachmentStore,
    archive: zipfile.ZipFile,
    entry: _Entry,
    done: int,
    total: int,
    text: str,
    report: ProgressFn,
    cancelled: CancelFn,
) -> int:
    info = zipfile.ZipInfo(entry.arcname, date_time=_zip_time(entry.added_at))
    stored = os.path.splitext(entry.arcname)[1].lower() in _STORED_SUFFIXES
    info.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
    # Level 1: PDFs and Word files are mostly compressed inside already, level 6 costs far more
    # time for a few per cent. (``compress_level`` is public only from Python 3.13.)
    info._compresslevel = 1
    info.external_attr = 0o644 << 16
    digest = hashlib.sha256()
    source = store.object_path(entry.sha256)
    with (
        open(fs_path(source), "rb") as reader,
        archive.open(info, "w", force_zip64=entry.size >= 1 << 31) as w,
    ):
        while chunk := reader.read(CHUNK):
            if cancelled():
                raise CancelledError()
            digest.update(chunk)
            w.write(chunk)
            done = min(done + len(chunk), total)
            report(done, total, text)
    if digest.hexdigest() != entry.sha256:
        raise LedgerError(
            f"附件库中的「{entry.name}」已损坏(内容与添加时不一致),未生成压缩包;请运行完整性检查。",
            f"stored file {entry.sha256} is damaged",
        )
    return done
