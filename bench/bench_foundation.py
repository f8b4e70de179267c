"""Benchmark: the ledger core at 10,000 tasks, side by side with plain-sqlite3 floors (shared/stack-notes.md).

Builds the ledger with ``ledger-cli demo --tasks N`` (timed; target < 60 s), then times each operation in
fresh processes, min and median of --repeat runs:
  import          ``import ledger_app.services`` (what every start-up pays before opening)
  open            ``Ledger.open(path)`` on the existing, up-to-date ledger (after the import)
  list all        ``ledger.queries.list_tasks()``: every live task with units, latest progress and schedule flag
  search 彭红      ``ledger.queries.list_tasks(TaskFilter(text="彭红"))``: two characters, the usual Chinese word
  search 雨污分流   the same with a four-character word
  stats           ``ledger.queries.stats()``
Each operation runs first in a freshly opened ledger ("cold", what a clerk's first action costs) and then
once more in the same process ("warm", e.g. the next keystroke of a search).
  search_texts + scan  ``ledger.queries.search_texts()`` (cold), then a Python scan of its texts for 彭红 (warm):
                  the in-memory search of shared/stack-notes.md, for comparison
Floors, also in fresh processes:
  floor/open+list   sqlite3: connect + all task rows with their latest progress (correlated subquery)
  floor/LIKE        sqlite3: substring search, LIKE '%词%' over the task's columns, unit names, measures and
                    progress entries (the columns the ledger searches), task ids only

Run:  .venv/bin/python bench/bench_foundation.py [--tasks 10000] [--repeat 5] [--db PATH] [--reuse]
      .venv/bin/python bench/bench_foundation.py --profile list   (cProfile of one operation, top 25)
"""

from __future__ import annotations

import argparse
import cProfile
import json
import pstats
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

WORD2, WORD4 = "彭红", "雨污分流"
TARGETS = {"open": 0.5, "list all": 0.3, "search 彭红": 0.1, "search 雨污分流": 0.1, "stats": 0.3}
BUILD_TARGET = 60.0

LATEST_PROGRESS_SQL = """
SELECT p.id, p.round_id, r.name, p.seq, p.kind, p.description, p.leader, p.deadline_text, p.deadline_date,
       p.deadline_long_term, p.status,
       (SELECT max(e.entry_date) FROM progress_entries e WHERE e.problem_id = p.id) AS latest
FROM problems p JOIN rounds r ON r.id = p.round_id
WHERE p.deleted_at IS NULL
"""
# The same columns the ledger's search looks at, so both find the same tasks.
LIKE_SQL = """
SELECT id FROM problems WHERE description LIKE :w OR goal LIKE :w OR note LIKE :w OR leader LIKE :w
    OR seq LIKE :w OR deadline_text LIKE :w OR contact LIKE :w OR case_no LIKE :w OR batch LIKE :w
UNION SELECT pu.problem_id FROM problem_units pu JOIN units u ON u.id = pu.unit_id WHERE u.name LIKE :w
UNION SELECT problem_id FROM measures WHERE text LIKE :w
UNION SELECT problem_id FROM progress_entries WHERE text LIKE :w
"""


# -- worker side: runs in a fresh process, prints one JSON line of timings ------------------------------
def _ops() -> dict[str, Callable[..., object]]:
    from ledger_app.services import TaskFilter

    return {
        "list all": lambda ledger: ledger.queries.list_tasks(),
        f"search {WORD2}": lambda ledger: ledger.queries.list_tasks(TaskFilter(text=WORD2)),
        f"search {WORD4}": lambda ledger: ledger.queries.list_tasks(TaskFilter(text=WORD4)),
        "stats": lambda ledger: ledger.queries.stats(),
    }


def worker_ledger(db: Path, op: str) -> dict[str, float | int]:
    t0 = time.perf_counter()
    from ledger_app.services import Ledger

    t1 = time.perf_counter()
    ledger = Ledger.open(db)
    t2 = time.perf_counter()
    result: dict[str, float | int] = {"import": t1 - t0, "open": t2 - t1}
    if op == "memory scan":
        # The alternative of shared/stack-notes.md: one pre-joined text per task, scanned in Python.
        start = time.perf_counter()
        texts = ledger.queries.search_texts()
        result["cold"] = time.perf_counter() - start  # building the texts, once per ledger load
        start = time.perf_counter()
        hits = [pid for pid, text in texts.items() if WORD2 in text]
        result["warm"] = time.perf_counter() - start  # one keystroke's scan
        result["rows"] = len(hits)
    elif op != "open":
        fn = _ops()[op]
        start = time.perf_counter()
        value = fn(ledger)
        result["cold"] = time.perf_counter() - start
        start = time.perf_counter()
        fn(ledger)
        result["warm"] = time.perf_counter() - start
        result["rows"] = len(value) if isinstance(value, list) else value.total.total  # type: ignore[attr-defined]
    ledger.close()
    return result


def worker_floor(db: Path, op: str) -> dict[str, float | int]:
    start = time.perf_counter()
    conn = sqlite3.connect(db)
    if op == "floor/open+list":
        rows = conn.execute(LATEST_PROGRESS_SQL).fetchall()
        cold = time.perf_counter() - start
        again = time.perf_counter()
        conn.execute(LATEST_PROGRESS_SQL).fetchall()
    else:
        word = WORD2 if op.endswith(WORD2) else WORD4
        rows = conn.execute(LIKE_SQL, {"w": f"%{word}%"}).fetchall()
        cold = time.perf_counter() - start
        again = time.perf_counter()
        conn.execute(LIKE_SQL, {"w": f"%{word}%"}).fetchall()
    warm = time.perf_counter() - again
    conn.close()
    return {"cold": cold, "warm": warm, "rows": len(rows)}


# -- driver side ---------------------------------------------------------------------------------------------
def run_worker(db: Path, op: str) -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, __file__, "--worker", op, "--db", str(db)],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def build(db: Path, tasks: int) -> float:
    db.unlink(missing_ok=True)
    start = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "ledger_app.cli.main",
            "demo",
            "--db",
            str(db),
            "--tasks",
            str(tasks),
            "--seed",
            "1",
        ],
        check=True,
        cwd=ROOT,
    )
    return time.perf_counter() - start


def describe(db: Path) -> str:
    conn = sqlite3.connect(db)
    counts = [
        conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
        for t in ("problems", "measures", "progress_entries")
    ]
    chars = conn.execute("SELECT avg(length(description)) FROM problems").fetchone()[0]
    conn.close()
    size = db.stat().st_size / 1e6
    return (
        f"{counts[0]:,} tasks, {counts[1]:,} measures, {counts[2]:,} progress entries; "
        f"description {chars:.0f} characters on average; file {size:.1f} MB"
    )


def fmt(values: list[float]) -> str:
    return f"{min(values):7.3f} {statistics.median(values):7.3f}"


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--tasks", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--db", type=Path)
    parser.add_argument("--reuse", action="store_true", help="keep an existing --db instead of rebuilding it")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--profile", choices=["open", "list", "search2", "search4", "stats"])
    args = parser.parse_args()

    if args.worker:
        fn = worker_floor if args.worker.startswith("floor/") else worker_ledger
        print(json.dumps(fn(args.db, args.worker)))
        return 0

    db = args.db or Path(tempfile.gettempdir()) / f"bench_foundation_{args.tasks}.sqlite3"
    if args.profile:
        return profile(db, args.profile)
    if args.reuse and db.exists():
        print(f"reusing {db}")
    else:
        seconds = build(db, args.tasks)
        verdict = "ok" if seconds < BUILD_TARGET else "MISSED"
        print(f"demo --tasks {args.tasks}: {seconds:.1f} s (target < {BUILD_TARGET:.0f} s: {verdict})")
    print(describe(db))

    ledger_ops = ["open", *(_op for _op in TARGETS if _op != "open")]
    times: dict[str, dict[str, list[float]]] = {}
    rows: dict[str, int] = {}
    for _ in range(args.repeat):
        for op in [
            *ledger_ops,
            "memory scan",
            "floor/open+list",
            f"floor/LIKE {WORD2}",
            f"floor/LIKE {WORD4}",
        ]:
            result = run_worker(db, op)
            slot = times.setdefault(op, {})
            for key, value in result.items():
                if key == "rows":
                    rows[op] = int(value)
                else:
                    slot.setdefault(key, []).append(value)

    print(f"\nseconds, min / median of {args.repeat} fresh processes\n")
    header = f"{'operation':<22}{'target':>8}  {'cold min  median':>16}  {'warm min  median':>16}  {'rows':>6}  verdict"
    print(header)
    print("-" * len(header))
    imports = times["open"]["import"]
    print(f"{'import services':<22}{'':>8}  {fmt(imports)}  {'':>16}  {'':>6}")
    opens = times["open"]["open"]
    verdict = "ok" if min(opens) <= TARGETS["open"] else "MISSED"
    print(f"{'open':<22}{TARGETS['open']:>8.3f}  {fmt(opens)}  {'':>16}  {'':>6}  {verdict}")
    for op in ledger_ops[1:]:
        cold, warm = times[op]["cold"], times[op]["warm"]
        verdict = "ok" if statistics.median(cold) <= TARGETS[op] else "MISSED"
        print(f"{op:<22}{TARGETS[op]:>8.3f}  {fmt(cold)}  {fmt(warm)}  {rows[op]:>6}  {verdict}")
    scan = times["memory scan"]
    print(
        f"{'search_texts + scan':<22}{'':>8}  {fmt(scan['cold'])}  {fmt(scan['warm'])}  {rows['memory scan']:>6}"
        f"  (cold: build the texts; warm: scan for {WORD2})"
    )
    print()
    for op in ("floor/open+list", f"floor/LIKE {WORD2}", f"floor/LIKE {WORD4}"):
        print(f"{op:<22}{'':>8}  {fmt(times[op]['cold'])}  {fmt(times[op]['warm'])}  {rows[op]:>6}")
    print(
        "\nopen+list with the ledger: "
        f"{statistics.median([o + c for o, c in zip(times['open']['open'], times['list all']['cold'], strict=True)]):.3f} s "
        f"median, against the floor's {statistics.median(times['floor/open+list']['cold']):.3f} s"
    )
    return 0


def profile(db: Path, which: str) -> int:
    from ledger_app.services import Ledger, TaskFilter

    if not db.exists():
        print(f"no ledger at {db}; run the benchmark once first")
        return 1
    calls: dict[str, Callable[[Ledger], object]] = {
        "list": lambda ledger: ledger.queries.list_tasks(),
        "search2": lambda ledger: ledger.queries.list_tasks(TaskFilter(text=WORD2)),
        "search4": lambda ledger: ledger.queries.list_tasks(TaskFilter(text=WORD4)),
        "stats": lambda ledger: ledger.queries.stats(),
    }
    profiler = cProfile.Profile()
    if which == "open":
        profiler.enable()
        Ledger.open(db).close()
        profiler.disable()
    else:
        ledger = Ledger.open(db)
        profiler.enable()
        calls[which](ledger)
        profiler.disable()
        ledger.close()
    stats = pstats.Stats(profiler)
    stats.sort_stats("cumulative").print_stats(25)
    stats.sort_stats("tottime").print_stats(15)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
