"""Benchmark: the 佐证材料 tab's paths, side by side with the service and Pillow floors.

1. add     1,000 files (600 real JPEG photos 2048×1536, 400 PDF/Word/Excel-named files of 10 KB-2 MB)
           dropped as one folder: ``AttachmentsTab.add_paths`` with real background workers, timed until
           the table lists them all (and, separately, until every thumbnail is in).
   floor   ``Ledger.attachments.add_attachments`` on the same folder in a fresh ledger (no GUI).
2. thumbs  thumbnail generation rate over the 600 photos with an empty cache: ``ThumbnailLoader``
           (2 threads, JPEG decoded in the pool, QIcon made on the UI thread), and 40 phone-size photos
           (4000×3000).
   floor   ``make_thumbnail`` in a plain single-thread loop (Pillow only).
3. reload  ``AttachmentsTab.load`` of a task with 1,000 files: after an edit elsewhere in the panel (the
           files unchanged: only the query runs) and filled anew (after adding or removing a file).

Run:  QT_QPA_PLATFORM=offscreen .venv/bin/python bench/bench_attachments_ui.py [--files 1000] [--dir DIR]
"""

from __future__ import annotations

import argparse
import math
import os
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from evidence_samples import site_photo  # noqa: E402
from PIL import Image, ImageDraw  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from ledger_app.domain.model import ProblemKind, RoundLevel  # noqa: E402
from ledger_app.services import Ledger  # noqa: E402
from ledger_app.store.attachments import make_thumbnail  # noqa: E402


def make_files(folder: Path, count: int, seed: int = 7) -> tuple[list[Path], int]:
    """60 % real JPEG photos (variants of a few scenes), the rest office files of random bytes."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    scenes = [site_photo(folder / f"_scene{i}.jpg", 2048, 1536, seed=i) for i in range(8)]
    bases = [Image.open(p).convert("RGB") for p in scenes]
    for p in scenes:
        p.unlink()
    files: list[Path] = []
    photos = count * 6 // 10
    for number in range(count):
        if number < photos:
            image = bases[number % len(bases)].copy()
            draw = ImageDraw.Draw(image)
            x, y = rng.randrange(0, 1900), rng.randrange(0, 1400)
            draw.rectangle([x, y, x + 120, y + 90], fill=tuple(rng.randrange(256) for _ in range(3)))
            path = folder / f"现场照片-{number:04d}.jpg"
            image.save(path, "JPEG", quality=85)
        else:
            suffix = rng.choice([".pdf", ".pdf", ".docx", ".xlsx"])
            size = int(math.exp(rng.uniform(math.log(10_000), math.log(2_000_000))))
            path = folder / f"材料-{number:04d}{suffix}"
            path.write_bytes(rng.randbytes(size))
        files.append(path)
    return files, photos


def new_ledger(folder: Path) -> tuple[Ledger, int]:
    ledger = Ledger.open(folder / "ledger.sqlite3", create=True, actor="测试员")
    round_id = ledger.directory.create_round(name="第二轮中央生态环境保护督察", level=RoundLevel.CENTRAL)
    task = ledger.tasks.create_task(
        round_id=round_id, kind=ProblemKind.SPECIFIC, seq=1, description="柳河水库整治"
    )
    return ledger, task


def wait(app: QApplication, done: object, timeout: float = 600) -> None:
    end = time.perf_counter() + timeout
    while not done() and time.perf_counter() < end:  # type: ignore[operator]
        app.processEvents()
        time.sleep(0.002)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--dir", type=Path, default=None)
    args = parser.parse_args()
    app = QApplication([])
    from ledger_app.ui.attachments import thumbnails
    from ledger_app.ui.task_panel import TaskPanel

    work = Path(args.dir or tempfile.mkdtemp(prefix="bench_att_ui_"))
    print(f"working in {work}; {os.cpu_count()} CPUs")
    started = time.perf_counter()
    sources, photos = make_files(work / "sources", args.files)
    total = sum(p.stat().st_size for p in sources)
    print(
        f"made {len(sources)} files ({photos} JPEG photos), {total / 1e6:.0f} MB in {time.perf_counter() - started:.1f} s"
    )

    # 1. floor: the service alone
    ledger, task = new_ledger(work / "floor")
    t0 = time.perf_counter()
    report = ledger.attachments.add_attachments(task, [work / "sources"])
    floor_add = time.perf_counter() - t0
    assert len(report.added) == len(sources), report.summary()
    ledger.close()

    # 1. the tab: drop the folder, real workers; table filled, then thumbnails
    ledger, task = new_ledger(work / "tab")
    panel = TaskPanel(ledger)
    panel.resize(900, 700)
    panel.show()
    panel.show_task(task)
    tab = panel.attachments
    t0 = time.perf_counter()
    tab.add_paths([work / "sources"])
    wait(app, lambda: tab.table.rowCount() == len(sources))
    tab_add = time.perf_counter() - t0
    wait(app, lambda: tab.thumbnails.pending() == 0)
    tab_thumbs = time.perf_counter() - t0
    made = sum(1 for i in tab.infos if tab.thumbnails.icon(i.sha256) is not None)

    # 3. the tab with 1,000 files: reloaded after an edit elsewhere (files unchanged), and filled anew
    def best(fn: object, runs: int = 5) -> float:
        times = []
        for _ in range(runs):
            t1 = time.perf_counter()
            fn()  # type: ignore[operator]
            times.append(time.perf_counter() - t1)
        return min(times)

    reload = best(lambda: tab.load(panel.record))

    def refill() -> None:
        tab.infos = []
        tab.load(panel.record)

    fill = best(refill)

    # 2. thumbnail rate: loader (2 threads) vs a plain loop, empty cache each time
    store = ledger.attachments.store
    shas = [i.sha256 for i in tab.infos if i.is_image]

    def loader_rate(hashes: list[str]) -> float:
        shutil.rmtree(store.thumbs_dir, ignore_errors=True)
        loader = thumbnails.ThumbnailLoader()
        loader.set_store(store.root)
        t = time.perf_counter()
        loader.request(hashes)
        wait(app, lambda: loader.pending() == 0)
        return len(hashes) / (time.perf_counter() - t)

    def loop_rate(hashes: list[str]) -> float:
        out = work / "loop-thumbs"
        shutil.rmtree(out, ignore_errors=True)
        out.mkdir()
        t = time.perf_counter()
        for sha in hashes:
            make_thumbnail(store.object_path(sha), out / f"{sha}.jpg")
        return len(hashes) / (time.perf_counter() - t)

    # Best of three: the figures are rates of a CPU-bound job on a machine others share.
    rate_loader = max(loader_rate(shas) for _ in range(3))
    rate_loop = max(loop_rate(shas) for _ in range(3))

    phone = [
        site_photo(work / "phone" / f"手机照片-{i:02d}.jpg", 4000, 3000, seed=100 + i) for i in range(40)
    ]
    phone_report = ledger.attachments.add_attachments(task, phone)
    phone_shas = [a.sha256 for a in phone_report.added]
    phone_loader = max(loader_rate(phone_shas) for _ in range(3))
    phone_loop = max(loop_rate(phone_shas) for _ in range(3))

    print()
    print(f"1. add {len(sources)} files ({total / 1e6:.0f} MB) by dropping a folder on the tab")
    print(f"   tab, worker path: table lists all   {tab_add:6.2f} s  ({len(sources) / tab_add:5.0f} files/s)")
    print(f"   tab: all {made} thumbnails shown      {tab_thumbs:6.2f} s")
    print(
        f"   floor: Ledger.attachments.add_attachments       {floor_add:6.2f} s  ({len(sources) / floor_add:5.0f} files/s)"
    )
    print(
        f"2. thumbnails, empty cache, {len(shas)} photos 2048x1536 / {len(phone_shas)} phone photos 4000x3000"
    )
    print(f"   ThumbnailLoader (2 threads)         {rate_loader:6.0f} /s   {phone_loader:6.0f} /s")
    print(f"   floor: make_thumbnail loop          {rate_loop:6.0f} /s   {phone_loop:6.0f} /s")
    print(
        f"3. AttachmentsTab.load, {len(tab.infos)} files: unchanged {reload * 1000:4.0f} ms, filled anew {fill * 1000:4.0f} ms"
    )
    ledger.close()
    if args.dir is None:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
