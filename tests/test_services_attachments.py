"""佐证材料 services: adding, dedup, names, limits, cancel, crash, zip, integrity check and repair."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import stat
import subprocess
import sys
import tempfile
import textwrap
import time
import zipfile
from datetime import date
from pathlib import Path

import pytest

from ledger_app.domain.errors import CancelledError, LedgerError, NotFoundError, ValidationError
from ledger_app.domain.model import ProblemKind, RoundLevel
from ledger_app.io.dump import ledger_to_dict
from ledger_app.services import Ledger
from ledger_app.store import attachments as store_module
from ledger_app.store.attachments import StoreWriteError


def write(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def age(path: Path, seconds: float = 3600) -> None:
    old = time.time() - seconds
    os.utime(path, (old, old))


def objects(ledger: Ledger) -> dict[str, Path]:
    return ledger.attachments.store.scan().objects


def tmp_files(ledger: Ledger) -> list[Path]:
    folder = ledger.attachments.store.tmp_dir
    return list(folder.iterdir()) if folder.exists() else []


@pytest.fixture
def tasks(ledger: Ledger) -> dict[str, int]:
    round_id = ledger.directory.create_round(name="第二轮中央生态环境保护督察", level=RoundLevel.CENTRAL)
    return {
        "river": ledger.tasks.create_task(
            round_id=round_id,
            kind=ProblemKind.SPECIFIC,
            seq=3,
            description="某某河道黑臭水体整治不到位,群众反映强烈。\n第二段说明。",
        ),
        "noise": ledger.tasks.create_task(
            round_id=round_id, kind=ProblemKind.SPECIFIC, seq=12, description="工业园区噪声扰民"
        ),
    }


# -- adding ----------------------------------------------------------------------------------------
def test_a_folder_is_added_recursively_with_metadata(
    ledger: Ledger, tasks: dict[str, int], tmp_path: Path
) -> None:
    src = tmp_path / "U盘" / "3号问题"
    write(src / "整改前.jpg", b"\xff\xd8 before")
    write(src / "方案" / "整改方案.docx", b"PK plan")
    write(src / "方案" / "附件" / "验收意见.pdf", b"%PDF accepted")
    write(src / "方案" / "Thumbs.db", b"junk")
    write(src / "~$整改方案.docx", b"lock")

    report = ledger.attachments.add_attachments(tasks["river"], [src], description="区生态环境局报送")

    assert sorted(a.name for a in report.added) == ["整改前.jpg", "整改方案.docx", "验收意见.pdf"]
    assert sorted(p.name for p in report.ignored) == ["Thumbs.db", "~$整改方案.docx"]
    listed = ledger.attachments.list_attachments(tasks["river"])
    assert [a.name for a in listed] == [a.name for a in report.added]
    by_name = {a.name: a for a in listed}
    pdf = by_name["验收意见.pdf"]
    assert (pdf.size, pdf.media_type, pdf.added_by, pdf.description) == (
        13,
        "application/pdf",
        "测试员",
        "区生态环境局报送",
    )
    assert pdf.sha256 == hashlib.sha256(b"%PDF accepted").hexdigest()
    assert by_name["整改方案.docx"].media_type.endswith("wordprocessingml.document")
    assert by_name["整改前.jpg"].is_image
    assert ledger.attachments.attachment_file(pdf.id).read_bytes() == b"%PDF accepted"
    assert tmp_files(ledger) == []


def test_adding_is_audited_and_shows_in_the_task_history(
    ledger: Ledger, tasks: dict[str, int], tmp_path: Path
) -> None:
    report = ledger.attachments.add_attachments(tasks["river"], [write(tmp_path / "a.pdf", b"%PDF")])
    att_id = report.added[0].attachment_id
    ledger.attachments.update_attachment_description(att_id, "  验收材料 ")

    entries = ledger.history.for_task(tasks["river"])
    assert any(e.entity == "attachment" and e.action == "create" for e in entries)
    update = next(e for e in entries if e.entity == "attachment" and e.field == "description")
    assert (update.old_value, update.new_value) == ("", "验收材料")


def test_same_file_twice_on_one_task_is_one_row_and_on_another_task_shares_the_object(
    ledger: Ledger, tasks: dict[str, int], tmp_path: Path
) -> None:
    photo = write(tmp_path / "现场照片.jpg", b"same photo bytes")
    copy = write(tmp_path / "复制" / "现场照片 - 副本.jpg", b"same photo bytes")

    first = ledger.attachments.add_attachments(tasks["river"], [photo, copy])
    again = ledger.attachments.add_attachments(tasks["river"], [photo])
    other = ledger.attachments.add_attachments(tasks["noise"], [copy])

    assert len(first.added) == 1 and len(first.duplicates) == 1
    assert "现场照片.jpg" in first.duplicates[0].reason
    assert again.added == [] and len(again.duplicates) == 1
    assert len(other.added) == 1 and other.added[0].new_object is False
    assert len(ledger.attachments.list_attachments(tasks["river"])) == 1
    assert len(objects(ledger)) == 1
    assert first.bytes_stored == 16 and other.bytes_stored == 0


def test_files_over_the_size_limit_are_refused_with_a_reason_the_rest_is_added(
    ledger: Ledger, tasks: dict[str, int], tmp_path: Path
) -> None:
    ledger.settings.update(attachment_max_mb=1)
    big = write(tmp_path / "航拍视频.mp4", b"v" * (1024 * 1024 + 1))
    small = write(tmp_path / "说明.txt", b"ok")
    empty = write(tmp_path / "空.txt", b"")

    report = ledger.attachments.add_attachments(tasks["river"], [big, small, empty, tmp_path / "不存在.pdf"])

    assert [a.name for a in report.added] == ["说明.txt"]
    reasons = {r.source.name: r.reason for r in report.refused}
    assert "过大" in reasons["航拍视频.mp4"] and "1.0 MB" in reasons["航拍视频.mp4"]
    assert "空" in reasons["空.txt"]
    assert "找不到" in reasons["不存在.pdf"]
    assert len(objects(ledger)) == 1
    assert "2 个未能添加" not in report.summary() and "3 个未能添加" in report.summary()


def test_progress_counts_bytes_up_to_the_total(ledger: Ledger, tasks: dict[str, int], tmp_path: Path) -> None:
    files = [write(tmp_path / f"{i}.bin", os.urandom(300_000 * (i + 1))) for i in range(3)]
    calls: list[tuple[int, int, str]] = []

    ledger.attachments.add_attachments(
        tasks["river"], files, progress=lambda d, t, text: calls.append((d, t, text))
    )

    done = [d for d, t, _ in calls if t]
    assert done == sorted(done)
    assert calls[-1][:2] == (1_800_000, 1_800_000)
    assert any("2/3" in text for _, _, text in calls)


def test_cancel_leaves_no_rows_no_new_objects_and_no_temp_files(
    ledger: Ledger, tasks: dict[str, int], tmp_path: Path
) -> None:
    shared = write(tmp_path / "已有.pdf", b"already stored for another task")
    ledger.attachments.add_attachments(tasks["noise"], [shared])
    batch = [shared, *(write(tmp_path / f"new{i}.bin", os.urandom(2 * store_module.CHUNK)) for i in range(3))]
    texts: list[str] = []

    def cancelled() -> bool:  # the clerk presses Cancel while the third file is copied
        return any("3/4" in text for text in texts)

    with pytest.raises(CancelledError):
        ledger.attachments.add_attachments(
            tasks["river"], batch, progress=lambda d, t, text: texts.append(text), cancelled=cancelled
        )

    assert ledger.attachments.list_attachments(tasks["river"]) == []
    assert len(objects(ledger)) == 1  # the other task's file is still there
    assert ledger.attachments.attachment_file(
        ledger.attachments.list_attachments(tasks["noise"])[0].id
    ).exists()
    assert tmp_files(ledger) == []
    assert ledger.attachments.check_store().ok


def test_a_task_deleted_during_the_copy_adds_nothing_and_keeps_no_copies(
    ledger: Ledger, ledger_path: Path, tasks: dict[str, int], tmp_path: Path
) -> None:
    files = [write(tmp_path / f"{i}.bin", os.urandom(1000)) for i in range(3)]
    other_clerk = Ledger.open(ledger_path, actor="另一位")

    def progress(done: int, total: int, text: str) -> None:
        if "2/3" in text:
            other_clerk.tasks.delete_task(tasks["river"])

    with pytest.raises(NotFoundError):
        ledger.attachments.add_attachments(tasks["river"], files, progress=progress)
    other_clerk.close()
    assert objects(ledger) == {}


def test_a_disk_error_while_storing_adds_nothing_and_keeps_no_copies(
    ledger: Ledger, tasks: dict[str, int], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = [write(tmp_path / f"{i}.bin", os.urandom(1000)) for i in range(5)]
    real_fsync, calls = os.fsync, []

    def flaky(fd: int) -> None:
        if stat.S_ISREG(os.fstat(fd).st_mode):  # the copies, not their folders
            calls.append(fd)
            if len(calls) == 3:
                raise OSError(28, "No space left on device")
        real_fsync(fd)

    monkeypatch.setattr(store_module.os, "fsync", flaky)
    with pytest.raises(StoreWriteError, match="磁盘可能已满"):
        ledger.attachments.add_attachments(tasks["river"], files)
    assert ledger.attachments.list_attachments(tasks["river"]) == []
    assert objects(ledger) == {} and tmp_files(ledger) == []


def test_attaching_to_a_measure_of_another_task_is_refused(
    ledger: Ledger, tasks: dict[str, int], tmp_path: Path
) -> None:
    measure = ledger.tasks.add_measure(tasks["noise"], text="加装隔音屏障")
    with pytest.raises(NotFoundError, match="整改措施"):
        ledger.attachments.add_attachments(
            tasks["river"], [write(tmp_path / "a.txt", b"a")], measure_id=measure
        )
    report = ledger.attachments.add_attachments(tasks["noise"], [tmp_path / "a.txt"], measure_id=measure)
    assert ledger.attachments.attachment(report.added[0].attachment_id).measure_id == measure


def test_a_crash_mid_copy_leaves_an_unreferenced_temp_file_that_repair_removes(
    ledger: Ledger, ledger_path: Path, tasks: dict[str, int], tmp_path: Path
) -> None:
    big = write(tmp_path / "大文件.bin", os.urandom(3 * store_module.CHUNK))
    # A real crash: the process dies in the middle of the copy, no cleanup code runs.
    child = textwrap.dedent(
        f"""
        import os
        from ledger_app.services import Ledger
        # lock=False: the test process holds the ledger open; the crash is the subject here.
        with Ledger.open({str(ledger_path)!r}, lock=False) as ledger:
            def progress(done, total, text):
                if done > 0:
                    os._exit(9)
            ledger.attachments.add_attachments({tasks["river"]}, [{str(big)!r}], progress=progress)
        """
    )
    result = subprocess.run([sys.executable, "-c", child], capture_output=True, timeout=60)
    assert result.returncode == 9, result.stderr.decode()

    leftovers = tmp_files(ledger)
    assert len(leftovers) == 1 and 0 < leftovers[0].stat().st_size < big.stat().st_size
    assert ledger.attachments.list_attachments(tasks["river"]) == []
    assert ledger.attachments.check_store().in_flight == leftovers  # minutes old at most: maybe still copying
    age(leftovers[0])
    report = ledger.attachments.check_store()
    assert [i.path for i in report.leftovers] == leftovers and not report.ok

    repair = ledger.attachments.repair_store(report)

    assert repair.removed_tmp == leftovers and repair.ok
    assert tmp_files(ledger) == [] and ledger.attachments.check_store().ok


# -- names out -------------------------------------------------------------------------------------
ODD_NAMES = ["整改前照片.jpg", "CON", "aux.txt", 'a<b>:c"d|e?f*.txt', "trailing dot.", "目录 "]


def test_odd_names_round_trip_through_save_copy(
    ledger: Ledger, tasks: dict[str, int], tmp_path: Path
) -> None:
    files = [write(tmp_path / "src" / name, name.encode("utf-8")) for name in ODD_NAMES]
    report = ledger.attachments.add_attachments(tasks["river"], files)
    assert [a.name for a in ledger.attachments.list_attachments(tasks["river"])] == ODD_NAMES  # kept as given
    out = tmp_path / "out"
    out.mkdir()

    copies = [ledger.attachments.save_attachment_copy(a.attachment_id, out) for a in report.added]

    assert [c.name for c in copies] == [
        "整改前照片.jpg",
        "CON_",
        "aux_.txt",
        "a\uff1cb\uff1e\uff1ac\uff02d\uff5ce\uff1ff\uff0a.txt",
        "trailing dot",
        "目录",
    ]
    assert [c.read_bytes() for c in copies] == [n.encode("utf-8") for n in ODD_NAMES]
    again = ledger.attachments.save_attachment_copy(report.added[0].attachment_id, out)
    assert again.name == "整改前照片 (2).jpg" and copies[0].read_bytes() == again.read_bytes()


def test_a_long_name_from_a_windows_pc_is_shortened_on_the_way_out(
    ledger: Ledger, ledger_path: Path, tasks: dict[str, int], tmp_path: Path
) -> None:
    report = ledger.attachments.add_attachments(tasks["river"], [write(tmp_path / "a.pdf", b"%PDF long")])
    long_name = "关于" + "某某河道黑臭水体整治情况的报告" * 12 + ".pdf"  # 545 bytes: fine on NTFS, not here
    with sqlite3.connect(ledger_path) as db:
        db.execute("UPDATE attachments SET original_name = ?", (long_name,))
    out = tmp_path / "out"
    out.mkdir()

    copy = ledger.attachments.save_attachment_copy(report.added[0].attachment_id, out)

    assert copy.name.endswith(".pdf") and copy.name.startswith("关于某某河道")
    assert len(copy.name.encode("utf-8")) <= 255 and copy.read_bytes() == b"%PDF long"
    assert ledger.attachments.attachment(report.added[0].attachment_id).name == long_name


def test_view_copy_has_the_real_name_and_is_read_only(
    ledger: Ledger, tasks: dict[str, int], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "temp"))
    (tmp_path / "temp").mkdir()
    report = ledger.attachments.add_attachments(tasks["river"], [write(tmp_path / "aux.docx", b"PK doc")])
    view = ledger.attachments.attachment_view_copy(report.added[0].attachment_id)
    assert view.name == "aux_.docx" and view.read_bytes() == b"PK doc"
    assert view.is_relative_to(tmp_path / "temp")
    assert not view.stat().st_mode & 0o222
    assert ledger.attachments.attachment_view_copy(report.added[0].attachment_id) == view


def test_a_damaged_object_is_never_handed_out(ledger: Ledger, tasks: dict[str, int], tmp_path: Path) -> None:
    report = ledger.attachments.add_attachments(tasks["river"], [write(tmp_path / "a.pdf", b"%PDF original")])
    path = ledger.attachments.attachment_file(report.added[0].attachment_id)
    os.chmod(path, 0o644)
    path.write_bytes(b"%PDF 0riginal")
    out = tmp_path / "out"
    out.mkdir()

    with pytest.raises(LedgerError, match="已损坏"):
        ledger.attachments.save_attachment_copy(report.added[0].attachment_id, out)
    assert list(out.iterdir()) == []
    path.unlink()
    with pytest.raises(LedgerError, match="完整性检查"):
        ledger.attachments.attachment_file(report.added[0].attachment_id)


# -- remove and restore ----------------------------------------------------------------------------
def test_remove_is_recoverable_and_keeps_the_file(
    ledger: Ledger, tasks: dict[str, int], tmp_path: Path
) -> None:
    report = ledger.attachments.add_attachments(tasks["river"], [write(tmp_path / "a.pdf", b"%PDF")])
    att_id = report.added[0].attachment_id

    ledger.attachments.remove_attachment(att_id)

    assert ledger.attachments.list_attachments(tasks["river"]) == []
    [removed] = ledger.attachments.list_attachments(tasks["river"], include_deleted=True)
    assert removed.deleted_at is not None
    assert ledger.records.task_record(tasks["river"]).attachments == []
    assert ledger.attachments.check_store().ok  # a removed row still owns its file
    ledger.attachments.restore_attachment(att_id)
    assert [a.id for a in ledger.attachments.list_attachments(tasks["river"])] == [att_id]


def test_restoring_when_the_same_file_was_added_again_is_refused(
    ledger: Ledger, tasks: dict[str, int], tmp_path: Path
) -> None:
    source = write(tmp_path / "a.pdf", b"%PDF")
    first = ledger.attachments.add_attachments(tasks["river"], [source]).added[0].attachment_id
    ledger.attachments.remove_attachment(first)
    ledger.attachments.add_attachments(tasks["river"], [source])
    with pytest.raises(ValidationError, match="无需恢复"):
        ledger.attachments.restore_attachment(first)


# -- the JSON dump ---------------------------------------------------------------------------------
def test_the_dump_lists_live_attachments(ledger: Ledger, tasks: dict[str, int], tmp_path: Path) -> None:
    report = ledger.attachments.add_attachments(
        tasks["river"],
        [write(tmp_path / "验收.pdf", b"%PDF 1"), write(tmp_path / "b.jpg", b"jpg")],
        description="说明",
    )
    ledger.attachments.remove_attachment(report.added[1].attachment_id)

    data = ledger_to_dict(ledger.records.round_records(), today=date(2026, 1, 1))

    river = next(t for t in data["rounds"][0]["tasks"] if t["seq"] == "3")
    assert river["attachments"] == [
        {
            "name": "验收.pdf",
            "size": 6,
            "sha256": hashlib.sha256(b"%PDF 1").hexdigest(),
            "description": "说明",
        }
    ]


# -- the evidence zip ------------------------------------------------------------------------------
def test_zip_is_laid_out_by_task_with_unique_safe_names(
    ledger: Ledger, tasks: dict[str, int], tmp_path: Path
) -> None:
    ledger.attachments.add_attachments(
        tasks["river"],
        [
            write(tmp_path / "a" / "照片.JPG", b"one"),
            write(tmp_path / "b" / "照片.jpg", b"two"),  # same name on Windows, other content
            write(tmp_path / "c" / "CON.pdf", b"three"),
        ],
    )
    ledger.attachments.add_attachments(tasks["noise"], [write(tmp_path / "d" / "监测报告.pdf", b"four")])
    removed = ledger.attachments.add_attachments(tasks["noise"], [write(tmp_path / "e.txt", b"gone")]).added[
        0
    ]
    ledger.attachments.remove_attachment(removed.attachment_id)

    out = ledger.attachments.export_evidence_zip([tasks["noise"], tasks["river"]], tmp_path / "佐证材料.zip")

    with zipfile.ZipFile(out) as archive:
        names = archive.namelist()
        assert names == [
            "3-某某河道黑臭水体整治不到位,群众反映强烈/照片.JPG",
            "3-某某河道黑臭水体整治不到位,群众反映强烈/照片 (2).jpg",
            "3-某某河道黑臭水体整治不到位,群众反映强烈/CON_.pdf",
            "12-工业园区噪声扰民/监测报告.pdf",
        ]
        assert [archive.read(n) for n in names] == [b"one", b"two", b"three", b"four"]
        # Names flagged as UTF-8 (bit 11): Windows' own zip folders read them right since Windows 7.
        assert all(info.flag_bits & 0x800 for info in archive.infolist())
        assert archive.testzip() is None
    assert [p.name for p in tmp_path.glob("*.zip")] == ["佐证材料.zip"]  # no temporary file left


def test_zip_of_several_rounds_has_a_folder_per_round(
    ledger: Ledger, tasks: dict[str, int], tmp_path: Path
) -> None:
    round2 = ledger.directory.create_round(name="省第一轮督察回头看", level=RoundLevel.PROVINCIAL)
    other = ledger.tasks.create_task(
        round_id=round2, kind=ProblemKind.SPECIFIC, seq=3, description="扬尘污染"
    )
    ledger.attachments.add_attachments(tasks["river"], [write(tmp_path / "a.pdf", b"a")])
    ledger.attachments.add_attachments(other, [write(tmp_path / "b.pdf", b"b")])

    out = ledger.attachments.export_evidence_zip([tasks["river"], other], tmp_path / "e.zip")

    with zipfile.ZipFile(out) as archive:
        assert archive.namelist() == [
            "第二轮中央生态环境保护督察/3-某某河道黑臭水体整治不到位,群众反映强烈/a.pdf",
            "省第一轮督察回头看/3-扬尘污染/b.pdf",
        ]


def test_zip_refuses_missing_or_damaged_files_and_leaves_no_file(
    ledger: Ledger, tasks: dict[str, int], tmp_path: Path
) -> None:
    report = ledger.attachments.add_attachments(
        tasks["river"], [write(tmp_path / "a.pdf", b"%PDF a"), write(tmp_path / "b.pdf", b"%PDF b")]
    )
    damaged = ledger.attachments.attachment_file(report.added[1].attachment_id)
    os.chmod(damaged, 0o644)
    damaged.write_bytes(b"%PDF B")
    with pytest.raises(LedgerError, match="已损坏"):
        ledger.attachments.export_evidence_zip([tasks["river"]], tmp_path / "out.zip")
    damaged.unlink()
    with pytest.raises(LedgerError, match="找不到"):
        ledger.attachments.export_evidence_zip([tasks["river"]], tmp_path / "out.zip")
    with pytest.raises(ValidationError, match="没有佐证材料"):
        ledger.attachments.export_evidence_zip([tasks["noise"]], tmp_path / "out.zip")
    assert list(tmp_path.glob("*.zip")) == []


def test_zip_cancel_leaves_no_file(ledger: Ledger, tasks: dict[str, int], tmp_path: Path) -> None:
    ledger.attachments.add_attachments(
        tasks["river"], [write(tmp_path / f"{i}.bin", os.urandom(1000)) for i in range(3)]
    )
    calls: list[int] = []
    with pytest.raises(CancelledError):
        ledger.attachments.export_evidence_zip(
            [tasks["river"]],
            tmp_path / "out.zip",
            progress=lambda d, t, x: calls.append(d),
            cancelled=lambda: len(calls) > 2,
        )
    assert list(tmp_path.glob("*.zip")) == []


# -- integrity check and repair --------------------------------------------------------------------
def test_the_check_finds_each_kind_of_damage_and_repair_fixes_what_it_can(
    ledger: Ledger, tasks: dict[str, int], tmp_path: Path
) -> None:
    files = {
        n: write(tmp_path / n, f"content of {n}".encode()) for n in ("缺失.pdf", "损坏.jpg", "完好.docx")
    }
    ledger.attachments.add_attachments(tasks["river"], list(files.values()))
    by_name = {a.name: a for a in ledger.attachments.list_attachments(tasks["river"])}
    store = ledger.attachments.store
    ledger.attachments.attachment_file(by_name["缺失.pdf"].id).unlink()
    damaged = ledger.attachments.attachment_file(by_name["损坏.jpg"].id)
    os.chmod(damaged, 0o644)
    data = bytearray(damaged.read_bytes())
    data[3] ^= 0x01
    damaged.write_bytes(bytes(data))
    orphan = write(store.objects_dir / "ab" / ("c" * 62), b"nobody refers to me")
    leftover = write(store.tmp_dir / "deadbeef.part", b"half a file")
    for path in (orphan, leftover):
        age(path)
    fresh = write(store.tmp_dir / "copying.part", b"being written right now")

    report = ledger.attachments.check_store()

    assert not report.ok
    [missing] = report.missing
    assert missing.sha256 == by_name["缺失.pdf"].sha256 and missing.refs[0].name == "缺失.pdf"
    assert "缺失.pdf" in missing.describe() and "序号 3" in missing.describe()
    [bad] = report.damaged
    assert bad.refs[0].name == "损坏.jpg"
    assert bad.actual_sha256 == hashlib.sha256(bytes(data)).hexdigest()
    assert [i.path for i in report.orphans] == [orphan]
    assert [i.path for i in report.leftovers] == [leftover]
    assert report.in_flight == [fresh]
    assert any("缺失.pdf" in line for line in report.lines())

    repair = ledger.attachments.repair_store(report)

    assert repair.removed_tmp == [leftover] and fresh.exists()
    [(moved_from, moved_to)] = repair.moved
    assert moved_from == orphan and moved_to.read_bytes() == b"nobody refers to me"
    assert moved_to.parent.parent == store.lost_found_dir
    assert sorted(i.name for i, _why in repair.unrepaired) == ["损坏.jpg", "缺失.pdf"]
    assert all("重新添加" in why for _i, why in repair.unrepaired)
    assert damaged.read_bytes() == bytes(data)  # left in place: it may still partly open
    after = ledger.attachments.check_store()
    assert (len(after.missing), len(after.damaged), after.orphans, after.leftovers) == (1, 1, [], [])


def test_repair_restores_a_missing_file_from_an_identical_copy(
    ledger: Ledger, tasks: dict[str, int], tmp_path: Path
) -> None:
    source = write(tmp_path / "验收意见.pdf", b"%PDF accepted by the office")
    att_id = ledger.attachments.add_attachments(tasks["river"], [source]).added[0].attachment_id
    removed_task_file = write(tmp_path / "旧照片.jpg", b"an old photo")
    old = ledger.attachments.add_attachments(tasks["noise"], [removed_task_file]).added[0]
    # The row goes (an undo), its file becomes an orphan and is parked in lost+found by a repair…
    ledger.history.undo_last()
    age(ledger.attachments.store.object_path(old.sha256))
    first = ledger.attachments.repair_store(ledger.attachments.check_store())
    [(_from, parked)] = first.moved
    assert parked.name == f"{old.sha256[:12]}-旧照片.jpg"  # named from the audit history
    # …then the same photo is attached again, but its object is lost: lost+found has the bytes.
    ledger.attachments.add_attachments(tasks["noise"], [removed_task_file])
    ledger.attachments.store.object_path(old.sha256).unlink()
    os.chmod(ledger.attachments.attachment_file(att_id), 0o644)
    ledger.attachments.attachment_file(att_id).write_bytes(b"%PDF accepted by the offic3")

    report = ledger.attachments.check_store()
    assert report.repairable(report.missing[0]) and not report.repairable(report.damaged[0])
    repair = ledger.attachments.repair_store(report)

    assert [i.name for i in repair.restored] == ["旧照片.jpg"]
    assert ledger.attachments.store.object_path(old.sha256).read_bytes() == b"an old photo"
    assert parked.exists()  # copied back, the parked file stays
    assert [i.name for i, _ in repair.unrepaired] == ["验收意见.pdf"]


def test_a_quick_check_sees_missing_files_but_does_not_read_them(
    ledger: Ledger, tasks: dict[str, int], tmp_path: Path
) -> None:
    report = ledger.attachments.add_attachments(
        tasks["river"], [write(tmp_path / "a.pdf", b"%PDF a"), write(tmp_path / "b.pdf", b"%PDF b")]
    )
    first, second = (ledger.attachments.attachment_file(a.attachment_id) for a in report.added)
    os.chmod(first, 0o644)
    first.write_bytes(b"%PDF A")
    second.unlink()

    quick = ledger.attachments.check_store(verify=False)

    assert len(quick.missing) == 1 and quick.damaged == [] and quick.bytes_read == 0
    assert len(ledger.attachments.check_store().damaged) == 1


def test_check_of_a_ledger_without_attachments_is_ok_and_creates_nothing(ledger: Ledger) -> None:
    report = ledger.attachments.check_store()
    assert report.ok and report.rows == 0 and report.lines()[-1] == "未发现问题。"
    assert not ledger.attachments_dir.exists()
