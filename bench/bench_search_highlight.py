"""Benchmark: a search keystroke in the task list at 10,000 tasks, filter and paint (issue 18).

For each keystroke of a search word (default 污水: "污", then "污水") it times, in one process:

  filter   what the debounced ``searchChanged`` runs: the proxy re-filter and the counts label;
  paint    a forced repaint of the list's viewport afterwards (the highlight delegate and the
           "匹配:…" hint are painted here, for the visible rows only);
  hint     ``MatchHintRole`` of every visible row (the lazy "which part matched" lookup), when the
           code has it.

It also times ``search_texts`` (the search index, built once in a worker after loading).

``--root`` runs another checkout's code (e.g. ``git archive HEAD | tar -x -C /tmp/old``) on the same
machine and ledger, for a before/after comparison; the ledger is copied so that neither run migrates
the other's file.

Run:  .venv/bin/python bench/bench_search_highlight.py --db LEDGER [--root DIR] [--word 污水] [--repeat 5]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def ms(samples: list[float]) -> str:
    return f"min {min(samples) * 1000:7.1f} ms  median {statistics.median(samples) * 1000:7.1f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--db", type=Path, required=True, help="a demo ledger (ledger-cli demo --tasks 10000)"
    )
    parser.add_argument("--root", type=Path, default=Path(__file__).resolve().parent.parent)
    parser.add_argument("--word", default="污水")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    sys.path.insert(0, str(args.root.resolve()))

    import ledger_app
    from ledger_app.services import Ledger
    from ledger_app.ui import settings_store, workers
    from ledger_app.ui.app import create_application
    from ledger_app.ui.main_window import MainWindow

    work = Path(tempfile.mkdtemp(prefix="bench-search-"))
    db = work / "ledger.sqlite3"
    shutil.copyfile(args.db, db)
    settings_store.use_settings_file(work / "ui.ini")
    app = create_application([sys.argv[0]])
    ledger = Ledger.open(db)
    print(f"code {Path(ledger_app.__file__).parent}, ledger {args.db} ({ledger.tasks.count_tasks()} tasks)")

    samples = []
    for _ in range(args.repeat):
        t = time.perf_counter()
        ledger.queries.search_texts()
        samples.append(time.perf_counter() - t)
    print(f"search_texts (index build)          {ms(samples)}")

    workers.SYNCHRONOUS = True
    window = MainWindow()
    window.resize(1366, 768)
    window.show()
    app.processEvents()
    window.set_ledger(ledger)
    app.processEvents()
    viewport = window.table.viewport()
    has_hint = hasattr(ledger_app.ui.task_table, "MatchHintRole")

    word = args.word
    per_key: list[dict[str, list[float]]] = [{"filter": [], "paint": [], "hint": []} for _ in word]
    counts = []
    for _ in range(args.repeat):
        window._on_search_changed("")
        app.processEvents()
        for i in range(len(word)):
            typed = word[: i + 1]
            t0 = time.perf_counter()
            window._on_search_changed(typed)
            t1 = time.perf_counter()
            viewport.repaint()
            t2 = time.perf_counter()
            if has_hint:
                from ledger_app.ui.task_table import COL_SUMMARY, MatchHintRole

                window.proxy.matches.reset(window.proxy.search_words, window.proxy._texts)  # cold cache
                t2 = time.perf_counter()

                first = window.table.rowAt(0)
                last = window.table.rowAt(viewport.height() - 1)
                last = window.proxy.rowCount() - 1 if last < 0 else last
                for row in range(max(first, 0), last + 1):
                    window.proxy.index(row, COL_SUMMARY).data(MatchHintRole)
            t3 = time.perf_counter()
            per_key[i]["filter"].append(t1 - t0)
            per_key[i]["paint"].append(t2 - t1)
            per_key[i]["hint"].append(t3 - t2)
            if i == len(word) - 1:
                counts.append(window.proxy.rowCount())
    for i, timings in enumerate(per_key):
        print(f"keystroke “{word[: i + 1]}”: filter {ms(timings['filter'])}")
        print(f"{'':>16}paint  {ms(timings['paint'])}")
        if has_hint:
            print(f"{'':>16}hints  {ms(timings['hint'])}  (where it matched, visible rows, cold cache)")
    print(f"rows matching “{word}”: {counts[-1]}")
    window.close()
    ledger.close()


if __name__ == "__main__":
    main()
