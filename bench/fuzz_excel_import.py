"""Fuzz read_ledger_workbook with mutated workbooks and count what happens.

    .venv/bin/python bench/fuzz_excel_import.py [--cases 1000] [--seed 1] [--jobs 2] [--keep DIR]

Each case is a workbook from tests/xlsx_mutations.py (byte flips, truncations, damaged zip members
and directories, odd cell contents, odd shapes, as .xlsx and .xls). Outcomes:

    ok       read, a plan came back
    refused  a LedgerError with a reason (what a hostile or broken file should get)
    crash    any other exception, or the worker process died (the Rust reader aborting)
    hang     no answer within --timeout seconds

Cases run in worker processes, so an abort or a hang costs one case, not the run. Crashing and
hanging cases are copied to --keep (default: a temporary folder) with their mutation noted.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import subprocess
import sys
import tempfile
import time
import traceback
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def worker() -> None:
    """Read paths from stdin, answer one JSON line each."""
    from ledger_app.domain.errors import LedgerError
    from ledger_app.io.excel_in.workbook import read_ledger_workbook

    for line in sys.stdin:
        path = Path(line.strip())
        started = time.perf_counter()
        try:
            plan = read_ledger_workbook(path)
            plan.to_json()
            result = {"outcome": "ok", "detail": f"{len(plan.tasks)} tasks, {len(plan.refused)} refused rows"}
        except LedgerError as exc:
            result = {"outcome": "refused", "detail": exc.message_zh[:120]}
        except BaseException as exc:  # counting every other way of failing is the point
            if isinstance(exc, KeyboardInterrupt):
                raise
            result = {"outcome": "crash", "detail": traceback.format_exc()[-1500:]}
        result["seconds"] = round(time.perf_counter() - started, 3)
        print(json.dumps(result, ensure_ascii=False), flush=True)


class Worker:
    def __init__(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, __file__, "--worker"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            bufsize=1,
        )

    def ask(self, path: Path, timeout: float) -> dict[str, object]:
        import selectors

        assert self.process.stdin and self.process.stdout
        self.process.stdin.write(f"{path}\n")
        self.process.stdin.flush()
        selector = selectors.DefaultSelector()
        selector.register(self.process.stdout, selectors.EVENT_READ)
        if not selector.select(timeout):
            self.stop()
            return {"outcome": "hang", "detail": f"no answer in {timeout} s"}
        line = self.process.stdout.readline()
        if not line:
            code = self.process.wait()
            return {"outcome": "crash", "detail": f"worker died (exit code {code})"}
        return json.loads(line)

    def stop(self) -> None:
        self.process.kill()
        self.process.wait()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--cases", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--timeout", type=float, default=5.0)
    parser.add_argument("--keep", type=Path, help="folder for crashing and hanging cases")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker()
        return

    from tests.xlsx_mutations import mutate

    keep = args.keep or Path(tempfile.mkdtemp(prefix="fuzz_import_keep_"))
    keep.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="fuzz_import_"))
    rng = random.Random(args.seed)
    counts: Counter[str] = Counter()
    by_mutation: Counter[tuple[str, str]] = Counter()
    slowest: list[tuple[float, str]] = []
    refusals: Counter[str] = Counter()
    current = Worker()
    started = time.perf_counter()
    try:
        for index in range(args.cases):
            path, note = mutate(rng, work, index)
            result = current.ask(path, args.timeout)
            outcome = str(result["outcome"])
            counts[outcome] += 1
            by_mutation[
                (note.split(":")[0] + ":" + note.split(":")[1].split()[0] if ":" in note else note, outcome)
            ] += 1
            if outcome == "refused":
                refusals[str(result["detail"])[:40]] += 1
            if "seconds" in result:
                slowest.append((float(result["seconds"]), note))
            if outcome in ("crash", "hang"):
                saved = keep / f"{outcome}_{path.name}"
                shutil.copyfile(path, saved)
                saved.with_suffix(saved.suffix + ".txt").write_text(
                    f"{note}\n\n{result['detail']}\n", encoding="utf-8"
                )
                print(f"  {outcome}: case {index} ({note}) → {saved}\n    {str(result['detail'])[-300:]}")
                if current.process.poll() is not None or outcome == "hang":
                    current = Worker()
            path.unlink()
            if (index + 1) % 100 == 0:
                print(f"  {index + 1} cases: {dict(counts)}", flush=True)
    finally:
        current.stop()
        shutil.rmtree(work, ignore_errors=True)
    elapsed = time.perf_counter() - started
    print(f"\n{args.cases} cases in {elapsed:.0f} s (seed {args.seed})")
    for outcome in ("ok", "refused", "crash", "hang"):
        print(f"  {outcome:8} {counts[outcome]}")
    print("\nby mutation:")
    for (mutation, outcome), count in sorted(by_mutation.items()):
        print(f"  {mutation:32} {outcome:8} {count}")
    print("\nmost common refusals:")
    for reason, count in refusals.most_common(8):
        print(f"  {count:5}  {reason}")
    slowest.sort(reverse=True)
    print("\nslowest cases:", ", ".join(f"{s:.2f} s ({n})" for s, n in slowest[:5]))
    if counts["crash"] or counts["hang"]:
        print(f"\ncrashing/hanging cases kept in {keep}")
        sys.exit(1)


if __name__ == "__main__":
    main()
