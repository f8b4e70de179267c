"""Benchmark: the attachment store, side by side with the floors any safe copy and any check must pay.

1. add     1,000 files of mixed sizes (10 KB-2 MB, log-uniform; ~10 % duplicates of earlier files;
           60 % .jpg, 25 % .pdf, 10 % .docx, 5 % .xlsx) with
           ``Ledger.attachments.add_attachments``, 20 tasks × 50 files (one folder dropped per task).
   floor   ``shutil.copyfile`` + fsync of the same files into one folder (no hashing, no database), and
           ``shutil.copyfile`` alone (what an unsafe copy costs).
2. check   a store of 10,000 files of 5-50 KB: ``Ledger.attachments.check_store()`` (re-hashes every file) and
           ``check_store(verify=False)`` (presence only).
   floor   reading and sha256-hashing the same 10,000 files in a plain loop.
3. zip     ``export_evidence_zip`` of the 1,000 files of step 1.

Sources are freshly written, so they are read from the page cache (a USB stick is far slower); the
check is timed warm too unless --drop-caches works (root, and a kernel that allows it).

Run:  .venv/bin/python bench/bench_attachments.py [--files 1000] [--store-files 10000] [--dir DIR]
"""

from __future__ import annotations

import argparse
import hashlib
import math
import os
import random
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ledger_app.domain.model import ProblemKind, RoundLevel  # noqa: E402
from ledger_app.services import Ledger  # noqa: E402

MB = 1024 * 1024
# What offices hand in: mostly photos, then scans as PDF, Word and Excel files (random bytes inside,
# so deflate gains nothing: the zip time is a worst case for PDFs).
SUFFIXES, WEIGHTS = [".jpg", ".pdf", ".docx", ".xlsx"], [60, 25, 10, 5]


def timed(fn: Callable[[], object]) -> tuple[float, object]:
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def drop_caches() -> bool:
    os.sync()
    try:
        Path("/proc/sys/vm/drop_caches").write_text("3\n")
        return True
    except OSError:
        return False


def make_sources(folder: Path, count: int, low: int, high: int, dup_share: float, seed: int) -> list[Path]:
    rng = random.Random(seed)
    made: list[Path] = []
    for i in range(count):
        sub = folder / f"任务{i // 50:02d}"
        sub.mkdir(parents=True, exist_ok=True)
        path = sub / f"佐证材料_{i:05d}{rng.choices(SUFFIXES, WEIGHTS)[0]}"
        if made and rng.random() < dup_share:
            shutil.copyfile(rng.choice(made), path)  # the same photo sent twice under another name
        else:
            size = int(math.exp(rng.uniform(math.log(low), math.log(high))))
            path.write_bytes(rng.randbytes(size))
        made.append(path)
    return made


def total_mb(paths: list[Path]) -> float:
    return sum(p.stat().st_size for p in paths) / MB


def floor_copy(sources: list[Path], dest: Path, *, fsync: bool) -> None:
    dest.mkdir(parents=True, exist_ok=True)
    for i, src in enumerate(sources):
        target = dest / f"{i:05d}"
        shutil.copyfile(src, target)
        if fsync:
            fd = os.open(target, os.O_RDONLY)
            os.fsync(fd)
            os.close(fd)


def floor_hash(paths: list[Path]) -> None:
    for path in paths:
        digest = hashlib.sha256()
        with open(path, "rb") as f:
            while chunk := f.read(MB):
                digest.update(chunk)


def new_ledger(path: Path, tasks: int) -> tuple[Ledger, list[int]]:
    ledger = Ledger.open(path, create=True, actor="bench")
    round_id = ledger.directory.create_round(name="基准测试批次", level=RoundLevel.CENTRAL)
    ids = [
        ledger.tasks.create_task(
            round_id=round_id, kind=ProblemKind.SPECIFIC, seq=i + 1, description=f"问题 {i + 1}"
        )
        for i in range(tasks)
    ]
    return ledger, ids


def row(label: str, seconds: float, files: int, mb: float) -> str:
    return f"  {label:<44} {seconds:7.2f} s  {files / seconds:8.0f} files/s  {mb / seconds:7.1f} MB/s"


def bench_add(work: Path, count: int) -> None:
    sources = make_sources(work / "src", count, 10 * 1024, 2 * MB, 0.1, seed=1)
    mb = total_mb(sources)
    by_task = [sources[i : i + 50] for i in range(0, len(sources), 50)]
    ledger, ids = new_ledger(work / "add.sqlite3", len(by_task))
    print(f"add: {count} files, {mb:.0f} MB in {len(by_task)} batches of 50")
    seconds, reports = timed(
        lambda: [ledger.attachments.add_attachments(t, batch) for t, batch in zip(ids, by_task, strict=True)]
    )
    added = sum(len(r.added) for r in reports)  # type: ignore[attr-defined]
    stored = sum(r.bytes_stored for r in reports) / MB  # type: ignore[attr-defined]
    print(
        row("Ledger.attachments.add_attachments", seconds, count, mb)
        + f"  ({added} rows, {stored:.0f} MB stored)"
    )
    print(
        row(
            "floor: shutil.copyfile + fsync",
            timed(lambda: floor_copy(sources, work / "f1", fsync=True))[0],
            count,
            mb,
        )
    )
    print(
        row(
            "floor: shutil.copyfile (no fsync)",
            timed(lambda: floor_copy(sources, work / "f2", fsync=False))[0],
            count,
            mb,
        )
    )
    print(row("floor: sha256 of the sources", timed(lambda: floor_hash(sources))[0], count, mb))
    seconds, _ = timed(lambda: ledger.attachments.export_evidence_zip(ids, work / "all.zip"))
    print(row("export_evidence_zip (all 1,000)", seconds, count, mb))
    ledger.close()


def bench_check(work: Path, count: int) -> None:
    sources = make_sources(work / "small", count, 5 * 1024, 50 * 1024, 0.0, seed=2)
    mb = total_mb(sources)
    ledger, ids = new_ledger(work / "check.sqlite3", math.ceil(count / 50))
    seconds, _ = timed(
        lambda: [
            ledger.attachments.add_attachments(t, sources[i * 50 : (i + 1) * 50]) for i, t in enumerate(ids)
        ]
    )
    print(f"check: a store of {count} files, {mb:.0f} MB")
    print(row("(building it: add_attachments, small files)", seconds, count, mb))
    objects = list(ledger.attachments.store.scan().objects.values())
    cold = drop_caches()
    seconds, report = timed(ledger.attachments.check_store)
    assert report.ok, report.lines()  # type: ignore[attr-defined]
    print(row(f"Ledger.attachments.check_store() {'cold' if cold else 'warm'} cache", seconds, count, mb))
    seconds, _ = timed(ledger.attachments.check_store)
    print(row("Ledger.attachments.check_store() warm cache", seconds, count, mb))
    print(
        row(
            "Ledger.attachments.check_store(verify=False)",
            timed(lambda: ledger.attachments.check_store(verify=False))[0],
            count,
            mb,
        )
    )
    print(
        row(
            "floor: sha256 of the 10,000 objects, plain loop",
            timed(lambda: floor_hash(objects))[0],
            count,
            mb,
        )
    )
    ledger.close()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--store-files", type=int, default=10_000)
    parser.add_argument("--dir", type=Path, help="work folder (default: a temporary one, removed after)")
    args = parser.parse_args()
    work = args.dir or Path(tempfile.mkdtemp(prefix="bench-attachments-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        bench_add(work / "add", args.files)
        bench_check(work / "check", args.store_files)
    finally:
        if args.dir is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
