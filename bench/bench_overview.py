"""Benchmark: the overview (挂图作战) at 10,000 tasks, next to ``ledger-cli stats`` on the same ledger.

1. stats      ``ledger-cli stats --db …`` in a fresh process (it now prints the overview too), and
              ``stats --chart-dir`` (Qt loaded headless, two PNGs drawn).
2. service    ``Ledger.overview.build(rows=…)`` on rows already loaded (what the page's refresh calls):
              the history read (status records) and the counting; and ``overview()`` reading the rows.
3. page       the page's refresh in the real window (offscreen): the service call plus filling the
              figures, the ranking table and the charts.

Run:  .venv/bin/python bench/bench_overview.py [--db PATH] [--tasks 10000] [--repeat 5]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def timed(fn: Callable[[], object], repeat: int) -> tuple[float, float]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times), statistics.median(times)


def line(name: str, values: tuple[float, float]) -> None:
    print(f"{name:<48} min {values[0]:.3f} s   median {values[1]:.3f} s")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", type=Path)
    parser.add_argument("--tasks", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    cli = [str(Path(sys.executable).parent / "ledger-cli")]
    db = args.db
    if db is None:
        db = Path(tempfile.mkdtemp()) / "bench.sqlite3"
        subprocess.run([*cli, "demo", "--db", str(db), "--tasks", str(args.tasks)], check=True)
    print(f"ledger {db}; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")

    charts = Path(tempfile.mkdtemp())
    line(
        "ledger-cli stats (process)",
        timed(lambda: subprocess.run([*cli, "stats", "--db", str(db)], check=True, capture_output=True), 3),
    )
    line(
        "ledger-cli stats --chart-dir (process)",
        timed(
            lambda: subprocess.run(
                [*cli, "stats", "--db", str(db), "--chart-dir", str(charts)], check=True, capture_output=True
            ),
            3,
        ),
    )

    from ledger_app.services import Ledger

    today = date.today()
    with Ledger.open(db, lock=False) as ledger:
        rows = ledger.queries.list_tasks(today=today)
        feedback = {r.name: r.feedback_date for r in ledger.directory.list_rounds()}
        line(
            "list_tasks (the list's own load, for scale)",
            timed(lambda: ledger.queries.list_tasks(today=today), 3),
        )
        line("stats() (the old stats call)", timed(lambda: ledger.queries.stats(today=today), 3))

        def afresh() -> None:
            ledger.overview._history_cache = None  # as after an edit: the status history is read again

        line(
            "overview(): status history read afresh",
            timed(lambda: (afresh(), ledger.overview._overview_facts(rows, feedback)), args.repeat),
        )
        line(
            "overview(rows=…), history cached (no edit since)",
            timed(lambda: ledger.overview.build(rows=rows, today=today), args.repeat),
        )
        line(
            "overview(rows=…) after an edit",
            timed(lambda: (afresh(), ledger.overview.build(rows=rows, today=today)), args.repeat),
        )
        line("overview() reading the rows itself", timed(lambda: ledger.overview.build(today=today), 3))

    from PySide6.QtWidgets import QApplication

    from ledger_app.ui import workers
    from ledger_app.ui.app import choose_font
    from ledger_app.ui.main_window import MainWindow
    from ledger_app.ui.overview import OVERVIEW_TAB, install

    workers.SYNCHRONOUS = True
    app = QApplication.instance() or QApplication([])
    choose_font(app)
    window = MainWindow()
    tab = install(window)
    window.resize(1366, 768)
    window.show()
    window.open_path(db)
    app.processEvents()
    tab.tabs.setCurrentIndex(OVERVIEW_TAB)
    app.processEvents()

    def refresh() -> None:
        tab.refresh()
        tab.page.repaint()

    def refresh_after_edit() -> None:
        window.ledger.overview._history_cache = None
        refresh()

    line("page refresh, no edit since (service + widgets + paint)", timed(refresh, args.repeat))
    line("page refresh after an edit", timed(refresh_after_edit, args.repeat))
    window.close()


if __name__ == "__main__":
    main()
