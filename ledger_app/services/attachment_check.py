"""The integrity check of the attachment store, and the repair of what can be repaired
(``ledger.attachments.check_store`` and ``repair_store`` call these).

The check compares the rows with the files: rows whose file is missing, files whose content no
longer matches their sha256 (every file is re-read), files nothing refers to (orphans), and
temporary files left by an interrupted copy. The repair never deletes user data: orphans are moved
to ``lost+found/``; a missing or damaged file is restored only from an identical copy found
elsewhere in the store (an orphan, a leftover, lost+found); nothing else can bring its bytes back.
Files written in the last minutes are left alone: they may belong to an add still running.
"""

from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from ledger_app.domain.errors import CancelledError, LedgerError
from ledger_app.domain.progress import CancelFn, ProgressFn
from ledger_app.store import models as m
from ledger_app.store.attachments import AttachmentStore, StoreScan, format_size, hash_file
from ledger_app.store.backup import needed_by_backups
from ledger_app.store.file_names import windows_safe_name
from ledger_app.store.fileops import fs_path

from .attachment_base import task_label

if TYPE_CHECKING:
    from . import Ledger

MISSING, DAMAGED, ORPHAN, LEFTOVER = "missing", "damaged", "orphan", "leftover"
KIND_LABELS = {
    MISSING: "文件缺失",
    DAMAGED: "内容已改变(校验值不符)",
    ORPHAN: "没有任何记录引用的文件",
    LEFTOVER: "复制中断留下的临时文件",
}


@dataclass(frozen=True, slots=True)
class AttachmentRef:
    """A row that refers to a stored file."""

    id: int
    task_id: int
    task: str  # "第二轮中央督察 反馈问题 序号 3"
    name: str
    removed: bool  # the attachment (or its task) is in the trash, still recoverable


@dataclass(frozen=True, slots=True)
class StoreIssue:
    kind: str  # MISSING, DAMAGED, ORPHAN or LEFTOVER
    path: Path
    sha256: str = ""  # the content the rows expect ("" for a stray or temporary file)
    refs: tuple[AttachmentRef, ...] = ()
    actual_sha256: str = ""  # DAMAGED: what the file hashes to now ("" when it cannot be read)
    detail: str = ""

    @property
    def name(self) -> str:
        return self.refs[0].name if self.refs else self.path.name

    def describe(self) -> str:
        if self.refs:
            shown = [f"「{r.name}」({r.task}{',已删除' if r.removed else ''})" for r in self.refs[:3]]
            more = f" 等 {len(self.refs)} 处" if len(self.refs) > 3 else ""
            text = f"{KIND_LABELS[self.kind]}:{'、'.join(shown)}{more}"
        else:
            text = f"{KIND_LABELS[self.kind]}:{self.path}"
        return f"{text}({self.detail})" if self.detail else text

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "path": str(self.path),
            "sha256": self.sha256,
            "actual_sha256": self.actual_sha256,
            "detail": self.detail,
            "message": self.describe(),
            "attachments": [
                {"id": r.id, "task_id": r.task_id, "task": r.task, "name": r.name, "removed": r.removed}
                for r in self.refs
            ],
        }


@dataclass(slots=True)
class CheckReport:
    root: Path
    verified: bool  # False: a quick check (existence only, no re-hashing)
    rows: int = 0
    objects: int = 0
    bytes_read: int = 0
    seconds: float = 0.0
    missing: list[StoreIssue] = field(default_factory=list)
    damaged: list[StoreIssue] = field(default_factory=list)
    orphans: list[StoreIssue] = field(default_factory=list)
    leftovers: list[StoreIssue] = field(default_factory=list)
    in_flight: list[Path] = field(default_factory=list)  # recent files left alone
    # Files no row of the ledger refers to that a kept backup needs: not orphans, never moved aside.
    for_backups: int = 0
    # sha256 → a file elsewhere in the store with exactly that content: what a repair copies back.
    copies: dict[str, Path] = field(default_factory=dict, repr=False)

    @property
    def issues(self) -> list[StoreIssue]:
        return [*self.missing, *self.damaged, *self.orphans, *self.leftovers]

    @property
    def ok(self) -> bool:
        return not self.issues

    def repairable(self, issue: StoreIssue) -> bool:
        return issue.kind in (ORPHAN, LEFTOVER) or issue.sha256 in self.copies

    def lines(self) -> list[str]:
        how = f"已重新校验 {format_size(self.bytes_read)}" if self.verified else "快速检查(未重新校验内容)"
        lines = [
            f"附件库 {self.root}:登记 {self.rows} 条文件记录,库中 {self.objects} 个文件,{how},"
            f"用时 {self.seconds:.1f} 秒。"
        ]
        if self.ok:
            lines.append("未发现问题。")
        for kind, issues in ((MISSING, self.missing), (DAMAGED, self.damaged), (ORPHAN, self.orphans)):
            if issues:
                lines.append(f"{KIND_LABELS[kind]} {len(issues)} 个:")
                for issue in issues:
                    can = "可自动修复" if self.repairable(issue) else "无法自动修复"
                    lines.append(f"  - {issue.describe()} [{can}]")
        if self.leftovers:
            lines.append(f"{KIND_LABELS[LEFTOVER]} {len(self.leftovers)} 个(可自动清除)。")
        if self.in_flight:
            lines.append(f"另有 {len(self.in_flight)} 个文件是最近写入的,可能正在添加中,本次未作判断。")
        if self.for_backups:
            lines.append(f"另有 {self.for_backups} 个文件台账已不再引用,但保留的备份需要它们,予以保留。")
        return lines

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "root": str(self.root),
            "verified": self.verified,
            "rows": self.rows,
            "objects": self.objects,
            "bytes_read": self.bytes_read,
            "seconds": round(self.seconds, 3),
            "missing": [i.as_dict() for i in self.missing],
            "damaged": [i.as_dict() for i in self.damaged],
            "orphans": [i.as_dict() for i in self.orphans],
            "leftovers": [i.as_dict() for i in self.leftovers],
            "in_flight": [str(p) for p in self.in_flight],
            "for_backups": self.for_backups,
            "repairable": [i.as_dict()["path"] for i in self.issues if self.repairable(i)],
        }


@dataclass(slots=True)
class RepairReport:
    lost_found: Path | None = None  # the folder orphans and damaged files were moved to
    restored: list[StoreIssue] = field(default_factory=list)
    moved: list[tuple[Path, Path]] = field(default_factory=list)
    removed_tmp: list[Path] = field(default_factory=list)
    unrepaired: list[tuple[StoreIssue, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.unrepaired

    def lines(self) -> list[str]:
        lines = []
        if self.restored:
            lines.append(f"已从相同内容的副本恢复 {len(self.restored)} 个文件:")
            lines += [f"  - 「{i.name}」" for i in self.restored]
        if self.moved:
            lines.append(f"已移到 {self.lost_found}({len(self.moved)} 个文件,未删除):")
            lines += [f"  - {src} → {dst.name}" for src, dst in self.moved]
        if self.removed_tmp:
            lines.append(f"已清除复制中断留下的临时文件 {len(self.removed_tmp)} 个。")
        if self.unrepaired:
            lines.append(f"无法自动修复 {len(self.unrepaired)} 个:")
            lines += [f"  - {issue.describe()}:{why}" for issue, why in self.unrepaired]
        return lines or ["没有需要修复的内容。"]

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "lost_found": str(self.lost_found) if self.lost_found else None,
            "restored": [i.as_dict() for i in self.restored],
            "moved": [{"from": str(s), "to": str(d)} for s, d in self.moved],
            "removed_tmp": [str(p) for p in self.removed_tmp],
            "unrepaired": [{**i.as_dict(), "reason": why} for i, why in self.unrepaired],
        }


class _Meter:
    """Byte progress over a phase of the check."""

    def __init__(self, total: int, progress: ProgressFn | None, cancelled: CancelFn | None) -> None:
        self.total, self.done = total, 0
        self.progress = progress or (lambda done, total, text: None)
        self.cancelled = cancelled or (lambda: False)
        self.text = ""

    def add(self, n: int) -> None:
        self.done += n
        self.progress(min(self.done, self.total), self.total, self.text)

    def hash(self, path: Path, text: str) -> str:
        self.text = text
        self.progress(min(self.done, self.total), self.total, text)
        return hash_file(path, on_bytes=self.add, cancelled=self.cancelled)


def _size(path: Path) -> int:
    try:
        return os.stat(fs_path(path)).st_size
    except OSError:
        return -1


def _refs(ledger: Ledger) -> tuple[dict[str, list[AttachmentRef]], dict[str, int], int]:
    a, p, r = m.Attachment, m.Problem, m.InspectionRound
    query = (
        select(a.id, a.problem_id, a.sha256, a.original_name, a.size, a.deleted_at, p.deleted_at)
        .add_columns(p.seq, p.kind, r.name)
        .join(p, p.id == a.problem_id)
        .join(r, r.id == p.round_id)
        .order_by(a.id)
    )
    refs: dict[str, list[AttachmentRef]] = {}
    sizes: dict[str, int] = {}
    with ledger.reading() as session:
        rows = session.connection().execute(query).all()
    for att_id, task_id, sha, name, size, removed, task_removed, seq, kind, round_name in rows:
        ref = AttachmentRef(
            att_id, task_id, task_label(round_name, kind, seq), name, bool(removed or task_removed)
        )
        refs.setdefault(sha, []).append(ref)
        sizes[sha] = size
    return refs, sizes, len(rows)


def check_store(
    ledger: Ledger,
    *,
    verify: bool = True,
    progress: ProgressFn | None = None,
    cancelled: CancelFn | None = None,
) -> CheckReport:
    """Compare the rows with the files. ``verify`` re-reads and re-hashes every referenced file
    (slow for a big store: run it from a worker); without it only presence is checked."""
    started = time.perf_counter()
    store = ledger.attachments.store
    refs, sizes, row_count = _refs(ledger)
    scan = store.scan()
    report = CheckReport(store.root, verify, rows=row_count, objects=len(scan.objects) + len(scan.stray))
    for sha, found in refs.items():
        if sha not in scan.objects:
            report.missing.append(StoreIssue(MISSING, store.object_path(sha), sha, tuple(found)))
    kept = needed_by_backups(ledger.path)
    unreferenced = [(Path(p), s) for s, p in scan.objects.items() if s not in refs and s not in kept]
    report.for_backups = sum(1 for s in scan.objects if s not in refs and s in kept)
    for path, sha in [*unreferenced, *((p, "") for p in scan.stray)]:
        if str(path) in scan.recent:
            report.in_flight.append(path)
        else:
            report.orphans.append(StoreIssue(ORPHAN, path, sha))
    for path in scan.tmp:
        if str(path) in scan.recent:
            report.in_flight.append(path)
        else:
            report.leftovers.append(StoreIssue(LEFTOVER, path))
    if verify:
        _verify(report, scan, refs, progress, cancelled)
    if report.missing or report.damaged:
        _find_copies(report, store, sizes, progress, cancelled)
    report.seconds = time.perf_counter() - started
    return report


def _verify(
    report: CheckReport,
    scan: StoreScan,
    refs: dict[str, list[AttachmentRef]],
    progress: ProgressFn | None,
    cancelled: CancelFn | None,
) -> None:
    targets = [(sha, Path(scan.objects[sha])) for sha in refs if sha in scan.objects]
    meter = _Meter(sum(max(scan.sizes.get(s, 0), 0) for s, _p in targets), progress, cancelled)
    for index, (sha, path) in enumerate(targets, 1):
        try:
            actual = meter.hash(path, f"正在校验第 {index}/{len(targets)} 个文件:{refs[sha][0].name}")
        except CancelledError:
            raise
        except OSError as exc:
            report.damaged.append(
                StoreIssue(DAMAGED, path, sha, tuple(refs[sha]), detail=f"无法读取:{exc.strerror or exc}")
            )
            continue
        if actual != sha:
            report.damaged.append(StoreIssue(DAMAGED, path, sha, tuple(refs[sha]), actual_sha256=actual))
    report.bytes_read = meter.done


def _find_copies(
    report: CheckReport,
    store: AttachmentStore,
    sizes: dict[str, int],
    progress: ProgressFn | None,
    cancelled: CancelFn | None,
) -> None:
    """Look for files elsewhere in the store holding the content of a missing or damaged one."""
    wanted = {i.sha256 for i in (*report.missing, *report.damaged)}
    wanted_sizes = {sizes[s] for s in wanted if s in sizes}
    candidates = [
        *(i.path for i in report.orphans),
        *(i.path for i in report.leftovers),
        *store.lost_found_files(),
    ]
    # Only a file of the right size can hold the right content: no need to read the others.
    candidates = [p for p in candidates if _size(p) in wanted_sizes]
    meter = _Meter(sum(_size(p) for p in candidates), progress, cancelled)
    for path in candidates:
        try:
            actual = meter.hash(path, "正在附件库中查找相同内容的副本…")
        except OSError:
            continue
        if actual in wanted:
            report.copies.setdefault(actual, path)
    report.bytes_read += meter.done


def repair_store(ledger: Ledger, report: CheckReport) -> RepairReport:
    """Repair what ``report`` found and can be repaired; everything else is listed as unrepaired.
    Each item is re-checked first: the store may have changed since the check ran."""
    store = ledger.attachments.store
    result = RepairReport()

    def aside(path: Path, name: str) -> Path:
        if result.lost_found is None:
            result.lost_found = store.new_lost_found_folder()
        target = store.move_aside(path, result.lost_found, windows_safe_name(name))
        result.moved.append((path, target))
        return target

    try:
        for issue in [*report.damaged, *report.missing]:
            _restore(store, report, issue, result, aside)
        _park_orphans(ledger, store, report, aside)
        for issue in report.leftovers:
            if os.path.isfile(fs_path(issue.path)) and not store.is_recent(issue.path):
                os.unlink(fs_path(issue.path))
                result.removed_tmp.append(issue.path)
    except OSError as exc:
        raise LedgerError(
            f"修复附件库时出错:{exc.strerror or exc}({exc.filename or ''})", f"repair failed: {exc}"
        ) from exc
    return result


def _restore(
    store: AttachmentStore, report: CheckReport, issue: StoreIssue, result: RepairReport, aside: Any
) -> None:
    target = store.object_path(issue.sha256)
    if os.path.isfile(fs_path(target)) and hash_file(target) == issue.sha256:
        result.restored.append(issue)  # already fine again (restored by hand meanwhile)
        return
    source = report.copies.get(issue.sha256)
    if source is None or not os.path.isfile(fs_path(source)) or hash_file(source) != issue.sha256:
        why = "附件库中没有内容相同的副本,无法自动修复;请从原始来源重新添加该文件"
        if issue.kind == DAMAGED:
            why += "(已损坏的文件保留在原处,可能仍能部分打开)"
        result.unrepaired.append((issue, why))
        return
    if os.path.isfile(fs_path(target)):  # keep the damaged bytes, never delete them
        aside(target, f"{issue.sha256[:12]}-已损坏-{issue.name}")
    stored = store.put_file(source)
    if stored.sha256 == issue.sha256:
        result.restored.append(issue)
    else:  # the copy changed under us
        result.unrepaired.append((issue, "副本在修复过程中被改动,请重新运行检查"))


def _park_orphans(ledger: Ledger, store: AttachmentStore, report: CheckReport, aside: Any) -> None:
    if not report.orphans:
        return
    with ledger.reading() as session:
        referenced = set(session.scalars(select(m.Attachment.sha256).distinct()))
        names = _names_from_history(session)
    referenced |= needed_by_backups(ledger.path)  # a backup taken since the check may need some
    for issue in report.orphans:
        if not os.path.isfile(fs_path(issue.path)) or issue.sha256 in referenced:
            continue  # gone, or referenced again since the check (an undo)
        if store.is_recent(issue.path):
            continue  # an add reused it meanwhile
        if issue.sha256:
            name = f"{issue.sha256[:12]}-{names.get(issue.sha256, '来源不明')}"
        else:
            name = "-".join(issue.path.relative_to(store.objects_dir).parts)
        aside(issue.path, name)


def _names_from_history(session: Any) -> dict[str, str]:
    """sha256 → the file name it last had, from the audit log (rows deleted or undone since)."""
    query = select(m.AuditEntry.old_value, m.AuditEntry.new_value).where(
        m.AuditEntry.entity == "attachment", m.AuditEntry.field == "*"
    )
    names: dict[str, str] = {}
    for old, new in session.execute(query):
        try:
            data = json.loads(new or old or "{}")
        except ValueError:
            continue
        if data.get("sha256") and data.get("original_name"):
            names[data["sha256"]] = data["original_name"]
    return names
