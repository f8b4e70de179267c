"""Benchmark: 另存副本 (``Ledger.copies.save_copy``), side by side with the floors of any whole copy.

Ledger: a 300-task demo ledger plus N evidence files (default 1,000, random bytes) of 10 KB-1 MB,
log-uniform: ~220 MB at the default seed.

    ours     Ledger.copies.save_copy: SQLite online backup + every referenced object copied, re-hashed,
             fsync'ed, written under temporary names and renamed at the end
    floor A  backup_copy + shutil.copytree of objects/ (no hashing, no fsync: what an unsafe copy costs)
    floor B  backup_copy + copy and fsync each object (what any durable copy costs; no hashing)

Sources were just written, so they are read from the page cache (a USB stick is far slower both
ways; there the writes dominate and the hashing disappears in them).

Run:  .venv/bin/python bench/bench_ledger_copy.py [--files 1000] [--runs 3] [--dir DIR]
"""

from __future__ import annotations

import argparse
import math
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ledger_app.services import Ledger  # noqa: E402
from ledger_app.services.demo import generate_demo  # noqa: E402
from ledger_app.store.backup import backup_copy  # noqa: E402

KB = 1024


def build(folder: Path, files: int, seed: int) -> Ledger:
    path = folder / "台账.sqlite3"
    ledger = Ledger.open(path, create=True, actor="bench")
    generate_demo(ledger, tasks=300, seed=seed, today=date(2026, 11, 23))
    rng = random.Random(seed)
    ids = [t.id for t in ledger.queries.list_tasks()]
    src = folder / "src"
    per_task = 50
    for start in range(0, files, per_task):
        batch = src / f"{start:05}"
        batch.mkdir(parents=True)
        for i in range(start, min(files, start + per_task)):
            size = int(math.exp(rng.uniform(math.log(10 * KB), math.log(1024 * KB))))
            (batch / f"{i:05}.jpg").write_bytes(rng.randbytes(size))
        ledger.attachments.add_attachments(ids[start // per_task % len(ids)], [batch])
    shutil.rmtree(src)
    return ledger


def floor_copytree(ledger: Ledger, dest: Path) -> None:
    backup_copy(ledger.path, "bench", dest=dest)
    shutil.copytree(ledger.attachments_dir / "objects", dest.with_name(f"{dest.stem}.files") / "objects")


def floor_fsync(ledger: Ledger, dest: Path) -> None:
    backup_copy(ledger.path, "bench", dest=dest)
    root = ledger.attachments_dir / "objects"
    target = dest.with_name(f"{dest.stem}.files") / "objects"
    for fan in os.scandir(root):
        (target / fan.name).mkdir(parents=True)
        for entry in os.scandir(fan.path):
            with open(entry.path, "rb") as reader, open(target / fan.name / entry.name, "xb") as writer:
                shutil.copyfileobj(reader, writer, 1 << 20)
                writer.flush()
                os.fsync(writer.fileno())


def ours(ledger: Ledger, dest: Path) -> None:
    ledger.copies.save_copy(dest)


def timed(fn: Callable[[Ledger, Path], None], ledger: Ledger, out: Path, runs: int) -> list[float]:
    times = []
    for run in range(runs):
        target = out / f"run{run}"
        target.mkdir()
        dest = target / "副本.sqlite3"
        start = time.perf_counter()
        fn(ledger, dest)
        times.append(time.perf_counter() - start)
        shutil.rmtree(target)
    return times


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--dir", type=Path)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(dir=args.dir) as tmp:
        folder = Path(tmp)
        ledger = build(folder, args.files, args.seed)
        scan = ledger.attachments.store.scan()
        total = sum(scan.sizes.values())
        db = ledger.path.stat().st_size
        print(f"ledger {db / 1e6:.1f} MB, {len(scan.objects)} objects, {total / 1e6:.1f} MB of evidence")
        out = folder / "out"
        out.mkdir()
        for name, fn in (
            ("floor A copytree", floor_copytree),
            ("floor B fsync", floor_fsync),
            ("save_copy", ours),
        ):
            times = timed(fn, ledger, out, args.runs)
            print(
                f"{name:18} min {min(times):6.2f} s  median {statistics.median(times):6.2f} s  "
                f"({(db + total) / 1e6 / min(times):6.0f} MB/s)"
            )
        ledger.close()


if __name__ == "__main__":
    main()
