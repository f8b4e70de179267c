"""Benchmark: the task panel on a large ledger (what the clerk waits for after a click or an edit).

1. build    TaskPanel construction (loads its Qt Designer forms) and first show.
2. select   show_task() of tasks spread over the ledger: record read, every tab filled, events processed.
3. edit     one field committed (update_task) and the panel reloaded, as after leaving a field.
4. history  reload with the 操作记录 tab visible (reads the audit log too).
   floor    task_record() alone: the service read every reload needs.

Offscreen. Min and median of --repeat repetitions, in one process.

Run:  .venv/bin/python bench/bench_task_panel.py [--tasks 10000] [--db PATH] [--repeat 20]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from PySide6.QtWidgets import QApplication  # noqa: E402

from ledger_app.services import Ledger  # noqa: E402


def timed(label: str, runs: list[Callable[[], object]]) -> None:
    times = []
    for run in runs:
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    print(f"{label:<38} min {min(times) * 1000:7.1f} ms   median {statistics.median(times) * 1000:7.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=10_000)
    parser.add_argument("--db", type=Path, help="an existing ledger (copied first); else a demo is generated")
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()

    app = QApplication([])
    workdir = Path(tempfile.mkdtemp(prefix="bench_panel_"))
    path = workdir / "ledger.sqlite3"
    if args.db:
        path.write_bytes(args.db.read_bytes())
    else:
        from datetime import date

        from ledger_app.services.demo import generate_demo

        with Ledger.open(path, create=True, actor="演示") as ledger:
            generate_demo(ledger, tasks=args.tasks, seed=7, today=date(2026, 11, 23))
    from ledger_app.ui.task_panel import TaskPanel

    ledger = Ledger.open(path, actor="基准")
    ids = [row.id for row in ledger.queries.list_tasks()]
    step = max(1, len(ids) // args.repeat)
    sample = ids[::step][: args.repeat]
    print(f"{len(ids)} tasks, {len(sample)} samples")

    panels: list[TaskPanel] = []

    def build() -> None:
        panel = TaskPanel(ledger)
        panel.resize(1000, 800)
        panel.show()
        app.processEvents()
        panels.append(panel)

    timed("build + first show", [build] * 3)
    panel = panels[-1]

    def select(task_id: int) -> Callable[[], None]:
        return lambda: (panel.show_task(task_id), app.processEvents())

    timed("show_task (select a task)", [select(i) for i in sample])

    def edit(n: int) -> None:
        panel.basic.text_edits["leader"].setText(f"基准领导{n}")
        panel.basic.flush()  # what leaving the field does
        app.processEvents()

    panel.show_task(sample[0])
    timed("edit one field: commit + reload", [lambda n=n: edit(n) for n in range(len(sample))])
    panel.tabs.setCurrentIndex(panel.tabs.indexOf(panel.history))
    timed("reload with 操作记录 visible", [lambda: (panel.refresh(), app.processEvents())] * len(sample))
    timed("floor: task_record() alone", [lambda i=i: ledger.records.task_record(i) for i in sample])
    for built in panels:
        built.deleteLater()
    app.processEvents()
    ledger.close()


if __name__ == "__main__":
    main()
