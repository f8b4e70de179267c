"""Benchmark: the monthly round (每月报) at 10,000 tasks, each step next to its floor.

  send      Ledger.monthly.distribute for every unit of a generated ledger (lead, responsible and cooperating
            units: every unit the demo has), one .xlsx each, styled, protected, print-ready
  floor     openpyxl write-only alone writing the same cell values into the same number of files,
            and openpyxl normal mode writing them with one named style (border, wrap) on every cell
  read      Ledger.monthly.read_replies over the units' replies (every task row answered), matching included
  floor     python-calamine alone reading every cell of the same files
  collect   Ledger.monthly.collect_replies: the backup and one transaction of every answer

Run:  .venv/bin/python bench/bench_monthly_round.py [--tasks 10000] [--keep /tmp/x]
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import openpyxl
import python_calamine
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, NamedStyle, Side

from ledger_app.services import Ledger
from ledger_app.services.demo import generate_demo

MONTH = (2026, 11)
ROLES = ("lead", "responsible", "cooperating")


def timed(label: str, fn, results: dict[str, float]):  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    value = fn()
    results[label] = time.perf_counter() - start
    print(f"{label:<28} {results[label]:8.2f} s", flush=True)
    return value


def cells_of(path: Path) -> list[list[object]]:
    book = python_calamine.CalamineWorkbook.from_path(str(path))
    rows = book.get_sheet_by_index(0).to_python()
    book.close()
    return rows


def floor_write(tables: list[list[list[object]]], out: Path) -> None:
    out.mkdir(exist_ok=True)
    for n, rows in enumerate(tables):
        wb = Workbook(write_only=True)
        ws = wb.create_sheet("月报表")
        for row in rows:
            ws.append(row)
        wb.save(out / f"{n}.xlsx")


def floor_styled(tables: list[list[list[object]]], out: Path) -> None:
    """The same values, every cell bordered and wrapped through one named style: what styling costs."""
    out.mkdir(exist_ok=True)
    thin = Side(style="thin")
    for n, rows in enumerate(tables):
        wb = Workbook()
        ws = wb.active
        style = NamedStyle(
            "body",
            border=Border(left=thin, right=thin, top=thin, bottom=thin),
            alignment=Alignment(wrap_text=True),
        )
        wb.add_named_style(style)
        for r, row in enumerate(rows, 1):
            for c, value in enumerate(row, 1):
                cell = ws.cell(r, c, value if value != "" else None)
                cell.style = "body"
        wb.save(out / f"{n}.xlsx")


def floor_read(paths: list[Path]) -> int:
    return sum(len(cells_of(p)) for p in paths)


def answer_all(paths: list[Path]) -> int:
    """Every task row answered, as the units would (not timed)."""
    answered = 0
    for path in paths:
        wb = openpyxl.load_workbook(path)
        ws = wb.worksheets[0]
        for row in ws.iter_rows(min_row=4):
            if row[12].value:
                row[5].value = f"本月完成第{row[0].value}项的阶段性工作,已组织现场核查并形成整改报告。"
                row[6].value = "序时推进"
                row[10].value = "王五"
                answered += 1
        wb.save(path)
    return answered


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tasks", type=int, default=10_000)
    parser.add_argument("--keep", type=Path, help="folder to keep the generated ledger in (reused)")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench_round_"))
    base = (args.keep or work) / f"demo{args.tasks}.sqlite3"
    if not base.exists():
        base.parent.mkdir(parents=True, exist_ok=True)
        print("generating the demo ledger…", flush=True)
        with Ledger.open(base, create=True, actor="bench") as ledger:
            generate_demo(ledger, tasks=args.tasks, seed=3, today=date(2026, 11, 23))
    db = work / "ledger.sqlite3"
    shutil.copyfile(base, db)
    results: dict[str, float] = {}
    try:
        with Ledger.open(db, actor="bench") as ledger:
            sent = timed(
                "send (distribute)",
                lambda: ledger.monthly.distribute(month=MONTH, out_dir=work / "out", roles=ROLES),
                results,
            )
            paths = [s.path for s in sent.sheets]
            rows = sum(s.task_count for s in sent.sheets)
            print(f"  {len(paths)} units, {rows} task rows", flush=True)
            tables = [cells_of(p) for p in paths]
            timed("  floor: openpyxl write-only", lambda: floor_write(tables, work / "floor"), results)
            timed("  floor: openpyxl styled", lambda: floor_styled(tables, work / "floor2"), results)
            answered = answer_all(paths)
            print(f"  {answered} rows answered", flush=True)
            review = timed(
                "read (read_replies)",
                lambda: ledger.monthly.read_replies([work / "out"], month=MONTH, today=date(2026, 12, 3)),
                results,
            )
            timed("  floor: calamine read", lambda: floor_read(paths), results)
            print(f"  new {review.count('new')}, conflict {review.count('conflict')}", flush=True)
            done = timed("collect (collect_replies)", lambda: ledger.monthly.collect_replies(review), results)
            print(f"  {done.added} progress entries added", flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
