"""备份与恢复 services: backups with rotation, when they are due, restore, the evidence they need, archives."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import zipfile
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from ledger_app.domain.errors import (
    CancelledError,
    LedgerError,
    NewerLedgerError,
    NotALedgerError,
    ValidationError,
)
from ledger_app.domain.retention import RetentionPolicy
from ledger_app.io.dump import ledger_to_dict
from ledger_app.services import Ledger
from ledger_app.services.archive import restore_archive
from ledger_app.services.backups import backup_due, restore_backup, take_backup
from ledger_app.store import backup as store_backup
from ledger_app.store.backup import backups_dir, list_backups

TODAY = date(2026, 11, 23)


def dump(ledger: Ledger) -> dict[str, Any]:
    return ledger_to_dict(ledger.records.round_records(today=TODAY), today=TODAY)


def dump_of(path: Path) -> dict[str, Any]:
    with Ledger.open(path) as opened:
        return dump(opened)


def store_files(ledger_path: Path) -> dict[str, bytes]:
    """Every object of the ledger's store by its relative path, with its bytes."""
    root = ledger_path.with_name(f"{ledger_path.stem}.files") / "objects"
    if not root.exists():
        return {}
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def write(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


@pytest.fixture
def evidence_ledger(demo_ledger: Ledger, tmp_path: Path) -> Ledger:
    """The 120-task demo ledger with evidence files on two tasks (one removed to the trash)."""
    ids = [t.id for t in demo_ledger.queries.list_tasks()]
    src = tmp_path / "U盘"
    demo_ledger.attachments.add_attachments(
        ids[0], [write(src / "整改前.jpg", b"\xff\xd8 before" * 50), write(src / "方案.pdf", b"%PDF plan")]
    )
    report = demo_ledger.attachments.add_attachments(
        ids[1], [write(src / "验收意见.docx", b"PK accepted" * 20)]
    )
    demo_ledger.attachments.remove_attachment(report.added[0].attachment_id)
    return demo_ledger


# -- taking and listing --------------------------------------------------------------------------------
def test_a_backup_is_listed_with_what_it_holds(evidence_ledger: Ledger) -> None:
    result = evidence_ledger.backups.backup_now()
    (info,) = evidence_ledger.backups.list_backups()
    assert info.path == result.path and info.reason == "manual" and info.reason_label == "手动"
    assert info.tasks == evidence_ledger.tasks.count_tasks()
    assert info.size == result.path.stat().st_size > 0
    assert info.last_change is not None and info.last_change == store_backup.ledger_change_mark(
        evidence_ledger.path
    )
    assert abs(info.taken_at - datetime.now()) < timedelta(minutes=1)
    overview = evidence_ledger.backups.backup_overview()
    assert overview.total_size == info.size and overview.policy == RetentionPolicy()


def test_a_damaged_backup_and_foreign_files_are_listed_or_skipped_not_a_crash(ledger: Ledger) -> None:
    good = ledger.backups.backup_now().path
    folder = backups_dir(ledger.path)
    broken = folder / "ledger-20260101-090000-000000-periodic.sqlite3"
    broken.write_bytes(b"SQLite format 3\x00" + b"\x00" * 100)
    (folder / "notes.txt").write_text("mine")
    (folder / "other-20260101-090000-000000-manual.sqlite3").write_bytes(b"not ours: another stem")
    listed = ledger.backups.list_backups()
    assert [b.path for b in listed] == [good, broken]
    assert not listed[0].damaged and listed[1].damaged and listed[1].tasks is None
    assert listed[1].reason_label == "定时"


def test_rotation_after_each_backup_never_touches_other_files(ledger: Ledger) -> None:
    ledger.settings.update(backup_keep_last=2, backup_keep_daily=0, backup_keep_monthly=0)
    folder = backups_dir(ledger.path)
    folder.mkdir()
    foreign = [
        folder / "notes.txt",
        folder / "ledger-手工备份.sqlite3",
        folder / "other-20200101-000000-manual.sqlite3",
    ]
    for path in foreign:
        path.write_text("not ours")
    old = folder / "ledger-20200101-000000-000000-manual.sqlite3"
    shutil.copyfile(ledger.path, old)
    made = [ledger.backups.backup_now().path for _ in range(3)]
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        [p.name for p in foreign] + [made[1].name, made[2].name]
    )
    with pytest.raises(ValidationError):
        ledger.settings.update(backup_keep_last=0)


def test_import_backups_go_through_the_rotation(ledger: Ledger) -> None:
    from ledger_app.domain.model import ProblemKind
    from ledger_app.domain.records import TaskRecord

    ledger.settings.update(backup_keep_last=1, backup_keep_daily=0, backup_keep_monthly=0)
    for n in range(3):
        record = TaskRecord(
            seq=str(n + 1), kind=ProblemKind.PETITION, description=f"噪声扰民{n}", round_name="第一批"
        )
        result = ledger.imports.import_records([record])
        assert result.backup is not None and result.backup.name.endswith("-before-import.sqlite3")
    assert [b.path for b in ledger.backups.list_backups()] == [result.backup]


def test_when_automatic_backups_are_due(ledger: Ledger) -> None:
    assert backup_due(ledger.path, "open") and backup_due(ledger.path, "periodic")  # none yet
    made = ledger.backups.backup_if_due("open")
    assert made is not None and made.path.name.endswith("-open.sqlite3")
    assert ledger.backups.backup_if_due("periodic") is None  # nothing changed since
    assert ledger.backups.backup_if_due("close") is None
    ledger.directory.create_unit("区住建局")
    assert ledger.backups.backup_if_due("open") is None  # changed, but the newest is not a day old
    later = datetime.now() + timedelta(days=1, minutes=1)
    assert backup_due(ledger.path, "open", now=later)
    periodic = ledger.backups.backup_if_due("periodic")
    assert periodic is not None and ledger.backups.backup_if_due("close") is None
    ledger.directory.create_unit("区水务局")
    assert ledger.backups.backup_if_due("close") is not None


def test_after_restoring_an_older_backup_new_edits_count_as_a_change(ledger: Ledger) -> None:
    """Same audit row number, different edits: the change id tells them apart."""
    ledger.directory.create_unit("甲")
    first = ledger.backups.backup_now().path
    ledger.directory.create_unit("乙")
    ledger.backups.backup_now()
    ledger.close()
    restore_backup(ledger.path, first)  # the log is back to "甲"; the before-restore backup holds "乙"
    with Ledger.open(ledger.path) as again:
        again.directory.create_unit("丙")  # the same row number "乙" had
        assert again.backups.backup_if_due("periodic") is not None


# -- restore ---------------------------------------------------------------------------------------------
def test_backup_changes_restore_gives_back_the_same_dump_and_evidence(evidence_ledger: Ledger) -> None:
    ledger = evidence_ledger
    before_dump, before_files = dump(ledger), store_files(ledger.path)
    backup = ledger.backups.backup_now().path
    ids = [t.id for t in ledger.queries.list_tasks()]
    ledger.tasks.update_task(ids[0], description="改过的描述")
    ledger.tasks.delete_task(ids[2])
    ledger.attachments.add_attachments(ids[3], [write(ledger.path.parent / "新.jpg", b"new evidence")])
    changed = dump(ledger)
    assert changed != before_dump
    path = ledger.path
    ledger.close()
    result = restore_backup(path, backup)
    assert result.missing == () and result.tasks == len(ids)
    assert dump_of(path) == before_dump
    # The evidence store only grows: every file the restored ledger needs is there, byte for byte.
    after_files = store_files(path)
    assert {k: v for k, v in after_files.items() if k in before_files} == before_files
    # And the state it replaced is a backup of its own, restorable in turn.
    assert result.before_restore is not None and result.before_restore.name.endswith(
        "-before-restore.sqlite3"
    )
    restore_backup(path, result.before_restore)
    assert dump_of(path) == changed


def test_restore_reports_evidence_the_store_lacks(evidence_ledger: Ledger) -> None:
    backup = evidence_ledger.backups.backup_now().path
    store = evidence_ledger.attachments.store
    sha = next(iter(store.scan().objects))
    victim = store.object_path(sha)
    os.chmod(victim, 0o600)
    victim.unlink()
    evidence_ledger.close()
    result = restore_backup(evidence_ledger.path, backup)
    assert len(result.missing) == 1 and "检查佐证材料库" in result.summary()


@pytest.mark.parametrize("kind", ["garbage", "empty", "not-ours", "newer", "missing"])
def test_a_bad_backup_is_refused_and_the_ledger_unchanged(ledger: Ledger, tmp_path: Path, kind: str) -> None:
    ledger.directory.create_unit("区住建局")
    bad = tmp_path / "bad.sqlite3"
    if kind == "garbage":
        bad.write_bytes(b"SQLite format 3\x00" + os.urandom(5000))
    elif kind == "empty":
        bad.write_bytes(b"")
    elif kind == "not-ours":
        with sqlite3.connect(bad) as conn:
            conn.execute("CREATE TABLE t (x)")
    elif kind == "newer":
        shutil.copyfile(ledger.path, bad)
        with sqlite3.connect(bad) as conn:
            conn.execute("UPDATE alembic_version SET version_num = '9999'")
    path = ledger.path
    ledger.close()
    before = path.read_bytes()
    with pytest.raises((NotALedgerError, NewerLedgerError)):
        restore_backup(path, bad)
    assert path.read_bytes() == before
    assert not backups_dir(path).exists()  # refused before anything was written


def test_a_damaged_ledger_is_replaced_and_its_bytes_kept(ledger: Ledger) -> None:
    ledger.directory.create_unit("区住建局")
    backup = ledger.backups.backup_now().path
    path = ledger.path
    ledger.close()
    path.write_bytes(b"SQLite format 3\x00" + b"\xff" * 4000)  # damaged beyond SQLite's reading
    result = restore_backup(path, backup)
    assert result.before_restore is not None and result.before_restore.name.endswith("-damaged.sqlite3")
    assert result.before_restore.read_bytes().startswith(b"SQLite format 3\x00\xff")
    with Ledger.open(path) as again:
        assert [u.name for u in again.directory.list_units()] == ["区住建局"]


def test_restore_is_cancelled_before_the_ledger_is_touched(ledger: Ledger) -> None:
    ledger.directory.create_unit("甲")
    backup = ledger.backups.backup_now().path
    ledger.directory.create_unit("乙")
    path = ledger.path
    ledger.close()
    with pytest.raises(CancelledError):
        restore_backup(path, backup, cancelled=lambda: True)
    with Ledger.open(path) as again:
        assert {u.name for u in again.directory.list_units()} == {"甲", "乙"}


# -- evidence a kept backup needs ------------------------------------------------------------------------
def _undo_all_adds(ledger: Ledger, report: Any) -> str:
    """Undo an add: the attachment row is gone, its object is left unreferenced."""
    ledger.history.undo_last()
    with sqlite3.connect(ledger.path) as conn:
        assert conn.execute("SELECT count(*) FROM attachments").fetchone()[0] == 0
    return report.added[0].sha256


def _aged(ledger: Ledger, sha: str) -> None:
    path = ledger.attachments.store.object_path(sha)
    old = datetime.now().timestamp() - 3600
    os.utime(path, (old, old))


def test_the_repair_keeps_files_a_kept_backup_needs(ledger: Ledger, tmp_path: Path) -> None:
    from ledger_app.domain.model import ProblemKind, RoundLevel

    round_id = ledger.directory.create_round(name="第二轮中央生态环境保护督察", level=RoundLevel.CENTRAL)
    task = ledger.tasks.create_task(round_id=round_id, kind=ProblemKind.SPECIFIC, seq=1, description="河道")
    kept = ledger.attachments.add_attachments(task, [write(tmp_path / "a.jpg", b"needed by the backup")])
    ledger.backups.backup_now()
    sha_kept = _undo_all_adds(ledger, kept)
    loose = ledger.attachments.add_attachments(task, [write(tmp_path / "b.jpg", b"needed by nobody")])
    sha_loose = _undo_all_adds(ledger, loose)
    _aged(ledger, sha_kept)
    _aged(ledger, sha_loose)
    report = ledger.attachments.check_store()
    assert [i.sha256 for i in report.orphans] == [sha_loose]
    assert report.for_backups == 1 and any("保留的备份需要" in line for line in report.lines())
    ledger.attachments.repair_store(report)
    store = ledger.attachments.store
    assert store.has(sha_kept) and not store.has(sha_loose)
    # Once no kept backup needs it any more, it is an orphan like any other.
    for backup in ledger.backups.list_backups():
        backup.path.unlink()
    assert [i.sha256 for i in ledger.attachments.check_store().orphans] == [sha_kept]


def test_a_repair_planned_before_a_backup_does_not_move_what_the_backup_needs(
    ledger: Ledger, tmp_path: Path
) -> None:
    from ledger_app.domain.model import ProblemKind, RoundLevel

    round_id = ledger.directory.create_round(name="第一批", level=RoundLevel.CENTRAL)
    task = ledger.tasks.create_task(round_id=round_id, kind=ProblemKind.SPECIFIC, seq=1, description="河道")
    added = ledger.attachments.add_attachments(task, [write(tmp_path / "a.jpg", b"evidence")])
    sha = added.added[0].sha256
    before_undo = ledger.backups.backup_now().path  # taken while the row exists
    before_undo.rename(before_undo.with_suffix(".hold"))  # hidden while the check runs
    ledger.history.undo_last()
    _aged(ledger, sha)
    report = ledger.attachments.check_store()
    assert [i.sha256 for i in report.orphans] == [sha]
    before_undo.with_suffix(".hold").rename(before_undo)  # the backup is back before the repair
    ledger.attachments.repair_store(report)
    assert ledger.attachments.store.has(sha)


def test_a_failed_add_does_not_remove_a_file_a_kept_backup_needs(ledger: Ledger, tmp_path: Path) -> None:
    from ledger_app.domain.model import ProblemKind, RoundLevel

    round_id = ledger.directory.create_round(name="第一批", level=RoundLevel.CENTRAL)
    task = ledger.tasks.create_task(round_id=round_id, kind=ProblemKind.SPECIFIC, seq=1, description="河道")
    source = write(tmp_path / "a.jpg", b"evidence kept by a backup")
    sha = hashlib.sha256(source.read_bytes()).hexdigest()
    added = ledger.attachments.add_attachments(task, [source])
    ledger.backups.backup_now()
    ledger.history.undo_last()
    path = ledger.attachments.store.object_path(sha)
    os.chmod(path, 0o600)
    path.unlink()  # gone from the store (say, moved aside by hand): a new add creates it again
    assert added.added[0].sha256 == sha
    # The add copies the file, then is cancelled before registering it: its new objects are dropped…
    copied = {"done": False}

    def progress(_done: int, _total: int, text: str) -> None:
        copied["done"] = copied["done"] or text == "正在写入磁盘…"

    other = write(tmp_path / "b.jpg", b"x" * 10)
    with pytest.raises(CancelledError):
        ledger.attachments.add_attachments(
            task, [source, other], progress=progress, cancelled=lambda: copied["done"]
        )
    assert not ledger.attachments.store.has(hashlib.sha256(other.read_bytes()).hexdigest())
    # …except the one the backup needs.
    assert ledger.attachments.store.has(sha)


# -- archives --------------------------------------------------------------------------------------------
def test_archive_then_restore_into_an_empty_folder_is_identical(
    evidence_ledger: Ledger, tmp_path: Path
) -> None:
    out = tmp_path / "归档.zip"
    result = evidence_ledger.archive.save_archive(out)
    assert result.files == 3 and result.tasks == evidence_ledger.tasks.count_tasks() and not result.missing
    with zipfile.ZipFile(out) as zf:
        manifest = json.loads(zf.read("manifest.json"))
        names = sorted(zf.namelist())
    assert manifest["format_version"] == 1 and manifest["tasks"] == result.tasks
    assert {m["path"] for m in manifest["members"]} | {"manifest.json"} == set(names)
    assert sorted(p.name for p in tmp_path.iterdir() if ".part" in p.name) == []
    target = tmp_path / "新电脑" / "台账"
    target.parent.mkdir()
    restored = restore_archive(out, target)
    assert restored.ledger == target / evidence_ledger.path.name
    assert sorted(p.name for p in target.iterdir()) == ["demo.files", "demo.sqlite3"]
    assert dump_of(restored.ledger) == dump(evidence_ledger)
    assert store_files(restored.ledger) == store_files(evidence_ledger.path)
    assert sorted(p.name for p in target.parent.iterdir()) == ["台账"]  # no temporary folder left
    # A second restore into the now non-empty folder is refused.
    with pytest.raises(ValidationError, match="不是空的"):
        restore_archive(out, target)


def test_an_existing_empty_folder_is_a_fine_target(ledger: Ledger, tmp_path: Path) -> None:
    ledger.directory.create_unit("区住建局")
    out = tmp_path / "a.zip"
    ledger.archive.save_archive(out)
    target = tmp_path / "empty"
    target.mkdir()
    restored = restore_archive(out, target)
    with Ledger.open(restored.ledger) as again:
        assert [u.name for u in again.directory.list_units()] == ["区住建局"]
    with pytest.raises(ValidationError):
        ledger.archive.save_archive(out)  # an existing archive is not overwritten without asking


def _rezip(source: Path, dest: Path, change: Any) -> Path:
    """A copy of the archive with its members passed through ``change(name, data) -> [(name, data)]``."""
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(dest, "w") as zout:
        for info in zin.infolist():
            for name, data in change(info.filename, zin.read(info)):
                zout.writestr(name, data)
    return dest


def _manifest_edit(edit: Any) -> Any:
    def change(name: str, data: bytes) -> list[tuple[str, bytes]]:
        if name == "manifest.json":
            manifest = json.loads(data)
            edit(manifest)
            return [(name, json.dumps(manifest).encode())]
        return [(name, data)]

    return change


def _hostile(kind: str, good: Path, tmp_path: Path) -> Path:
    bad = tmp_path / f"{kind}.zip"
    if kind == "not-a-zip":
        bad.write_bytes(b"PK\x03\x04 but not really a zip")
        return bad
    if kind in ("dotdot", "absolute", "drive", "backslash"):
        evil = {"dotdot": "../../evil.txt", "absolute": "/tmp/evil.txt", "drive": "C:/evil.txt"}.get(
            kind, "files\\objects\\evil"
        )

        def add_evil(name: str, data: bytes) -> list[tuple[str, bytes]]:
            extra = [(evil, b"evil")] if name == "ledger.sqlite3" else []
            return [(name, data), *extra]

        return _rezip(good, bad, add_evil)
    if kind == "extra":
        return _rezip(
            good, bad, lambda n, d: [(n, d), ("readme.txt", b"hi")] if n == "ledger.sqlite3" else [(n, d)]
        )
    if kind == "missing-file":
        return _rezip(good, bad, lambda n, d: [] if n.startswith("files/") else [(n, d)])
    if kind == "wrong-checksum":
        return _rezip(
            good, bad, lambda n, d: [(n, d[:-1] + bytes([d[-1] ^ 1]))] if n.startswith("files/") else [(n, d)]
        )
    if kind == "unlisted":
        return _rezip(good, bad, _manifest_edit(lambda m: m["members"].pop()))
    if kind == "no-manifest":
        return _rezip(good, bad, lambda n, d: [] if n == "manifest.json" else [(n, d)])
    if kind == "newer-format":
        return _rezip(good, bad, _manifest_edit(lambda m: m.update(format_version=99)))
    if kind == "evidence-unlisted-and-absent":
        # Member and manifest entry both dropped: consistent, but the ledger needs the file.
        def drop(name: str, data: bytes) -> list[tuple[str, bytes]]:
            if name.startswith("files/"):
                return []
            if name == "manifest.json":
                manifest = json.loads(data)
                manifest["members"] = [m for m in manifest["members"] if not m["path"].startswith("files/")]
                return [(name, json.dumps(manifest).encode())]
            return [(name, data)]

        return _rezip(good, bad, drop)
    if kind == "bomb":
        with zipfile.ZipFile(bad, "w", zipfile.ZIP_DEFLATED) as zf:
            zf.writestr("ledger.sqlite3", b"\x00" * (64 << 20))
            zf.writestr("manifest.json", "{}")
        return bad
    raise AssertionError(kind)


HOSTILE = {
    "not-a-zip": "不是有效的 zip",
    "dotdot": "之外的路径",
    "absolute": "之外的路径",
    "drive": "之外的路径",
    "backslash": "之外的路径",
    "extra": "不应有的文件",
    "missing-file": "缺少清单中列出的文件",
    "wrong-checksum": "校验值",
    "unlisted": "不在清单中",
    "no-manifest": "缺少清单文件",
    "newer-format": "更新版本",
    "evidence-unlisted-and-absent": "缺少台账需要的",
    "bomb": "压缩炸弹",
}


@pytest.mark.parametrize("kind", sorted(HOSTILE))
def test_hostile_archives_are_refused_and_nothing_is_changed(
    evidence_ledger: Ledger, tmp_path: Path, kind: str
) -> None:
    good = tmp_path / "good.zip"
    evidence_ledger.archive.save_archive(good)
    before = dump(evidence_ledger)
    bad = _hostile(kind, good, tmp_path)
    playground = tmp_path / "target-parent"
    playground.mkdir()
    with pytest.raises(LedgerError, match=HOSTILE[kind]) as caught:
        restore_archive(bad, playground / "restored")
    assert "未做任何更改" in caught.value.message_zh
    assert list(playground.iterdir()) == []  # nothing extracted, no temporary folder left
    assert not (tmp_path / "evil.txt").exists() and not Path("/tmp/evil.txt").exists()
    assert dump(evidence_ledger) == before


def test_archive_restore_can_be_cancelled_without_leaving_anything(
    evidence_ledger: Ledger, tmp_path: Path
) -> None:
    out = tmp_path / "a.zip"
    evidence_ledger.archive.save_archive(out)
    (tmp_path / "x").mkdir()
    with pytest.raises(CancelledError):
        restore_archive(out, tmp_path / "x" / "y", cancelled=lambda: True)
    assert list((tmp_path / "x").iterdir()) == []
    with pytest.raises(CancelledError):
        evidence_ledger.archive.save_archive(tmp_path / "b.zip", cancelled=lambda: True)
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix in (".zip", ".part")) == ["a.zip"]


def test_take_backup_on_an_unreadable_ledger_is_a_clear_error(tmp_path: Path) -> None:
    broken = tmp_path / "broken.sqlite3"
    broken.write_bytes(b"x" * 8192)
    with pytest.raises(LedgerError, match="无法备份台账"):
        take_backup(broken, "manual")
    assert list_backups(broken) == []


def test_bulk_operations_are_backed_up_first(demo_ledger: Ledger) -> None:

    ids = [t.id for t in demo_ledger.queries.list_tasks()]
    demo_ledger.tasks.delete_tasks(ids[:1])
    assert list_backups(demo_ledger.path) == []  # one task: no backup
    demo_ledger.tasks.delete_tasks(ids[1:4])
    (bulk,) = list_backups(demo_ledger.path)
    assert bulk.reason == "bulk" and bulk.reason_label == "批量操作前" and bulk.tasks == len(ids) - 1
    units = demo_ledger.directory.list_units()
    demo_ledger.directory.merge_units(units[0].id, units[1].id)
    assert [b.reason for b in list_backups(demo_ledger.path)] == ["bulk", "bulk"]


def test_a_restore_blocked_by_another_programs_lock_gives_up_and_changes_nothing(
    ledger: Ledger, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sqlite3
    import time

    from ledger_app.store import backup as store_backup

    ledger.directory.create_unit("甲")
    backup = ledger.backups.backup_now().path
    ledger.directory.create_unit("乙")
    path = ledger.path
    ledger.close()
    monkeypatch.setattr(store_backup, "BUSY_LIMIT", 0.5)
    holder = sqlite3.connect(path)
    holder.execute("BEGIN EXCLUSIVE")  # another program in the middle of a long write
    try:
        started = time.monotonic()
        with pytest.raises(LedgerError, match="另一个程序"):
            restore_backup(path, backup)
        assert time.monotonic() - started < 30  # it used to retry for ever
    finally:
        holder.rollback()
        holder.close()
    with Ledger.open(path) as again:
        assert sorted(u.name for u in again.directory.list_units()) == ["乙", "甲"]
