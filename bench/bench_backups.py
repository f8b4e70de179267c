"""Benchmark: automatic backups, restore and archives on a 10,000-task demo ledger.

    backup        take_backup (SQLite online backup + rotation), next to the floor: sqlite3's backup alone
    due check     backup_due("periodic"): is a backup needed (reads the newest backup's audit row)
    list          list_backups with the backups folder as it is after the runs
    restore       restore_backup over the ledger (backup of the current state + online backup into it)
    archive       save_archive with N evidence files (random bytes, 10 KB-1 MB log-uniform)
    unarchive     restore_archive of that zip into an empty folder (every member re-hashed)

The demo ledger is built once in --dir (default: a temporary folder) and reused when present.

Run:  .venv/bin/python bench/bench_backups.py [--tasks 10000] [--files 200] [--runs 5] [--dir DIR]
"""

from __future__ import annotations

import argparse
import math
import random
import shutil
import sqlite3
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
from ledger_app.services.archive import restore_archive  # noqa: E402
from ledger_app.services.backups import backup_due, restore_backup, take_backup  # noqa: E402
from ledger_app.services.demo import generate_demo  # noqa: E402
from ledger_app.store.attachments import format_size  # noqa: E402
from ledger_app.store.backup import list_backups  # noqa: E402

KB = 1024


def timed(fn: Callable[[], object], runs: int) -> tuple[float, float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times), statistics.median(times)


def build(folder: Path, tasks: int, files: int) -> Path:
    path = folder / f"台账-{tasks}.sqlite3"
    if path.exists():
        return path
    with Ledger.open(path, create=True, actor="bench") as ledger:
        generate_demo(ledger, tasks=tasks, seed=1, today=date(2026, 11, 23))
        rng = random.Random(1)
        ids = [t.id for t in ledger.queries.list_tasks()]
        src = folder / "src"
        src.mkdir()
        for i in range(files):
            size = int(math.exp(rng.uniform(math.log(10 * KB), math.log(1024 * KB))))
            (src / f"{i:05}.jpg").write_bytes(rng.randbytes(size))
        for i, file in enumerate(sorted(src.iterdir())):
            ledger.attachments.add_attachments(ids[i % len(ids)], [file])
        shutil.rmtree(src)
    return path


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tasks", type=int, default=10_000)
    parser.add_argument("--files", type=int, default=200)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--dir", type=Path)
    args = parser.parse_args()
    folder = args.dir or Path(tempfile.mkdtemp(prefix="bench_backups_"))
    folder.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    path = build(folder, args.tasks, args.files)
    print(
        f"ledger {path} ({format_size(path.stat().st_size)}), built/reused in {time.perf_counter() - started:.1f} s"
    )

    def floor() -> None:
        src = sqlite3.connect(path)
        dst = sqlite3.connect(folder / "floor.sqlite3")
        src.backup(dst)
        dst.close()
        src.close()

    lo, med = timed(floor, args.runs)
    print(f"floor   sqlite3 backup alone        min {lo:.3f} s  median {med:.3f} s")
    lo, med = timed(lambda: take_backup(path, "manual"), args.runs)
    print(f"backup  take_backup + rotation      min {lo:.3f} s  median {med:.3f} s")
    lo, med = timed(lambda: backup_due(path, "periodic"), args.runs)
    print(f"due     backup_due('periodic')      min {lo * 1000:.1f} ms  median {med * 1000:.1f} ms")
    count = len(list_backups(path))
    lo, med = timed(lambda: list_backups(path), args.runs)
    print(f"list    {count} backups                 min {lo * 1000:.1f} ms  median {med * 1000:.1f} ms")
    newest = list_backups(path)[0].path
    lo, med = timed(lambda: restore_backup(path, newest), args.runs)
    print(f"restore restore_backup              min {lo:.3f} s  median {med:.3f} s")

    out = folder / "归档.zip"

    def archive() -> None:
        with Ledger.open(path, actor="bench") as ledger:
            ledger.archive.save_archive(out, overwrite=True)

    lo, med = timed(archive, max(1, args.runs // 2))
    evidence = sum(
        p.stat().st_size for p in (folder / f"{path.stem}.files" / "objects").rglob("*") if p.is_file()
    )
    print(
        f"archive {args.files} files ({format_size(evidence)}) + ledger -> {format_size(out.stat().st_size)}"
        f"   min {lo:.3f} s  median {med:.3f} s"
    )
    number = [0]

    def unarchive() -> None:
        number[0] += 1
        target = folder / f"restored-{number[0]}"
        restore_archive(out, target)
        shutil.rmtree(target)

    lo, med = timed(unarchive, max(1, args.runs // 2))
    print(f"unarchive restore_archive           min {lo:.3f} s  median {med:.3f} s")


if __name__ == "__main__":
    main()
