"""Benchmark: import the 10,000-task monthly report into an empty ledger, side by side with its floor.

The workbook is the monthly report (月报) of the 10k demo ledger, as ``ledger-cli demo --tasks 10000``
then ``ledger-cli export-monthly`` make it. Each variant runs in a fresh process, --runs times; the
table gives min and median of wall-clock and CPU seconds (user + system, resource.getrusage: the
machine is shared, and CPU time is steadier than wall time on a loaded one).

  floor     python-calamine reading every cell (and the merged ranges) of the same sheet, plus plain
            sqlite3 inserting the same rows (units, tasks, their unit links, measures, theirs, progress)
            into an empty ledger file with the ledger's PRAGMAs, in one transaction
  import    what ``ledger-cli import-excel`` does: read_ledger_workbook, the records, the round from
            the section rows, import_records (backup of the ledger, audit rows, one transaction)
  reimport  the same file again into the ledger that already has it (nothing to change)

The rows the floor inserts are the rows our import wrote, taken from the imported ledger beforehand,
except the audit rows (one a task, with the task as JSON): the floor leaves them out, so it is the
stricter floor. Module import time (SQLAlchemy, openpyxl, …) is left out of both and printed apart.
Our import writes on a second thread (see services/import_bulk.py), so its CPU seconds can exceed
its wall seconds: compare wall with wall.

    .venv/bin/python bench/bench_import_roundtrip.py [--tasks 10000] [--runs 5] [--keep DIR]
    .venv/bin/python bench/bench_import_roundtrip.py --profile import|reimport [--keep DIR]
"""

from __future__ import annotations

import argparse
import pickle
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TODAY = date(2026, 11, 23)  # the demo's "today": the same ledger on every run
YEAR, MONTH = 2026, 10
FLOOR_TABLES = (
    "rounds",
    "units",
    "problems",
    "problem_units",
    "measures",
    "measure_units",
    "progress_entries",
)


def cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


# -- the work, in a child process ---------------------------------------------------------------
def run_floor(folder: Path, target: Path) -> int:
    import sqlite3

    import python_calamine

    with (folder / "rows.pickle").open("rb") as handle:
        tables = pickle.load(handle)
    started, cpu0 = time.perf_counter(), cpu()
    book = python_calamine.CalamineWorkbook.from_path(str(folder / "report.xlsx"))
    sheet = book.get_sheet_by_name("台账")
    cells = sheet.to_python()
    merged = sheet.merged_cell_ranges or []
    conn = sqlite3.connect(target, isolation_level=None)
    for pragma in ("journal_mode=DELETE", "synchronous=FULL", "foreign_keys=ON"):
        conn.execute(f"PRAGMA {pragma}")
    conn.execute("BEGIN")
    rows = 0
    for name, columns, values in tables:
        marks = ", ".join("?" * len(columns))
        conn.executemany(f"INSERT INTO {name} ({', '.join(columns)}) VALUES ({marks})", values)
        rows += len(values)
    conn.execute("COMMIT")
    conn.close()
    report(started, cpu0, f"{len(cells)} rows, {len(merged)} merged ranges read; {rows} rows inserted")
    return 0


def run_import(folder: Path, target: Path) -> int:
    from ledger_app.gcpause import gc_paused
    from ledger_app.services import Ledger

    # The steps of cli.cmd_import_excel, with the collector paused around them as it does.
    with gc_paused(), Ledger.open(target) as ledger:
        started, cpu0 = time.perf_counter(), cpu()
        plan = ledger.imports.read_workbook(folder / "report.xlsx")
        read_wall, read_cpu = time.perf_counter() - started, cpu() - cpu0
        result = ledger.imports.import_workbook(plan, progress_date=TODAY)
        report(
            started,
            cpu0,
            f"read {read_wall:.3f} s (cpu {read_cpu:.3f}); created {len(result.created)}, "
            f"unchanged {result.unchanged}, changed {len(result.changed)}",
        )
    return 0


def report(started: float, cpu0: float, note: str) -> None:
    print(f"{time.perf_counter() - started:.4f} {cpu() - cpu0:.4f} {note}")


def child(mode: str, folder: Path) -> int:
    target = folder / f"work-{mode}.sqlite3"
    shutil.copyfile(folder / ("imported.sqlite3" if mode == "reimport" else "empty.sqlite3"), target)
    for backups in folder.glob("work-*.backups"):
        shutil.rmtree(backups, ignore_errors=True)
    try:
        return run_floor(folder, target) if mode == "floor" else run_import(folder, target)
    finally:
        target.unlink(missing_ok=True)


# -- setting up, in the parent ------------------------------------------------------------------
def prepare(folder: Path, tasks: int) -> None:
    from ledger_app.services import Ledger
    from ledger_app.services.demo import generate_demo

    report_path = folder / "report.xlsx"
    if report_path.exists() and (folder / "rows.pickle").exists():
        print(f"using the workbook already in {folder}")
        return
    started = time.perf_counter()
    demo = folder / "demo.sqlite3"
    demo.unlink(missing_ok=True)
    with Ledger.open(demo, create=True, actor="bench") as ledger:
        generate_demo(ledger, tasks=tasks, seed=1, today=TODAY)
        ledger.reports.export_monthly_report(report_path, year=YEAR, month=MONTH)
    Ledger.open(folder / "empty.sqlite3", create=True).close()
    print(f"demo ledger and its {YEAR}-{MONTH:02d} report made in {time.perf_counter() - started:.1f} s")
    # Our import once, to give the floor the very rows it writes and the re-import its ledger.
    shutil.copyfile(folder / "empty.sqlite3", folder / "imported.sqlite3")
    out = subprocess.run(
        [sys.executable, __file__, "--child", "import", str(folder), "--target", "imported.sqlite3"],
        capture_output=True,
        text=True,
        check=True,
    )
    print(f"first import: {out.stdout.strip()}")
    import sqlite3

    conn = sqlite3.connect(folder / "imported.sqlite3")
    tables = []
    for name in FLOOR_TABLES:
        columns = [row[1] for row in conn.execute(f"PRAGMA table_info({name})")]
        tables.append((name, columns, conn.execute(f"SELECT {', '.join(columns)} FROM {name}").fetchall()))
    conn.close()
    with (folder / "rows.pickle").open("wb") as handle:
        pickle.dump(tables, handle)
    print("rows for the floor: " + ", ".join(f"{name} {len(values)}" for name, _, values in tables))


def timed(mode: str, folder: Path, runs: int) -> tuple[list[float], list[float], str]:
    wall, spent, note = [], [], ""
    for _ in range(runs):
        out = subprocess.run(
            [sys.executable, __file__, "--child", mode, str(folder)],
            capture_output=True,
            text=True,
            check=True,
        )
        first, second, note = out.stdout.strip().split(" ", 2)
        wall.append(float(first))
        spent.append(float(second))
    return wall, spent, note


def module_import_seconds() -> float:
    code = "import time; t = time.perf_counter(); import ledger_app.services, ledger_app.io.excel_in.workbook; print(time.perf_counter() - t)"
    return float(
        subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    )


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--tasks", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--keep", type=Path, help="folder for the ledgers and the workbook (kept, reused)")
    parser.add_argument("--profile", choices=("import", "reimport"), help="cProfile one run instead")
    parser.add_argument("--child", nargs=2, metavar=("MODE", "FOLDER"), help=argparse.SUPPRESS)
    parser.add_argument("--target", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        mode, folder = args.child[0], Path(args.child[1])
        if args.target:  # the set-up import, into a ledger that stays
            return run_import(folder, folder / args.target)
        return child(mode, folder)
    folder = args.keep or Path(tempfile.mkdtemp(prefix="bench_roundtrip_"))
    folder.mkdir(parents=True, exist_ok=True)
    prepare(folder, args.tasks)
    if args.profile:
        import cProfile
        import pstats

        cProfile.runctx(
            "child(args.profile, folder)", globals(), {"args": args, "folder": folder}, "/tmp/import.prof"
        )
        pstats.Stats("/tmp/import.prof").sort_stats("tottime").print_stats(30)
        return 0
    print(
        f"\n{args.tasks} tasks, {(folder / 'report.xlsx').stat().st_size / 1e6:.1f} MB workbook, "
        f"{args.runs} fresh processes each, in {folder}"
    )
    results = {mode: timed(mode, folder, args.runs) for mode in ("floor", "import", "reimport")}
    print(f"  {'seconds':12}{'wall min':>9}{'median':>8}{'cpu min':>9}{'median':>8}")
    for mode, (wall, spent, note) in results.items():
        print(
            f"  {mode:12}{min(wall):9.3f}{statistics.median(wall):8.3f}{min(spent):9.3f}"
            f"{statistics.median(spent):8.3f}   {note}"
        )
    floor_wall, floor_cpu = (statistics.median(x) for x in results["floor"][:2])
    for mode in ("import", "reimport"):
        wall, spent = (statistics.median(x) for x in results[mode][:2])
        print(f"  {mode} / floor (median): wall {wall / floor_wall:.2f}x, cpu {spent / floor_cpu:.2f}x")
    print(f"  (module imports before the work, not counted: {module_import_seconds():.2f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
