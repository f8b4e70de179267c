"""Fuzz the plan reader (read_plan) with mutated plans, .txt and .docx, and count what happens.

    .venv/bin/python bench/fuzz_plan_import.py [--cases 1000] [--seed 1] [--timeout 10] [--keep DIR]

Each case is a plan from tests/plan_mutations.py (lines shuffled, repeated, dropped, odd lines, widths
swapped, encodings, bytes flipped or cut; Word files with damaged or hostile parts). Outcomes:

    ok       read: tasks (and the lines not understood) came back
    refused  PlanRefused with a Chinese reason (what a broken or hostile file should get)
    crash    any other exception, or the worker process died
    hang     no answer within --timeout seconds
    unclear  a refusal without a Chinese message

Cases run in a worker process, so a crash or hang costs one case, not the run; such cases are kept.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import selectors
import subprocess
import sys
import tempfile
import time
import traceback
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

_CJK = re.compile("[\u4e00-\u9fff]")


def worker() -> None:
    from ledger_app.domain.errors import LedgerError
    from ledger_app.io.plan import read_plan

    for line in sys.stdin:
        path = Path(line.strip())
        started = time.perf_counter()
        try:
            reading = read_plan(path)
            reading.to_json()
            reading.records(round_name="x")
            result = {"outcome": "ok", "detail": f"{len(reading.tasks)} tasks, {len(reading.issues)} issues"}
        except LedgerError as exc:
            outcome = "refused" if _CJK.search(exc.message_zh) else "unclear"
            result = {"outcome": outcome, "detail": exc.message_zh[:100]}
        except BaseException as exc:
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
            text=True,
            encoding="utf-8",
        )

    def ask(self, path: Path, timeout: float) -> dict[str, object]:
        assert self.process.stdin and self.process.stdout
        self.process.stdin.write(f"{path}\n")
        self.process.stdin.flush()
        selector = selectors.DefaultSelector()
        selector.register(self.process.stdout, selectors.EVENT_READ)
        if not selector.select(timeout):
            return {"outcome": "hang", "detail": f"no answer in {timeout} s"}
        line = self.process.stdout.readline()
        if not line:
            return {"outcome": "crash", "detail": f"worker died ({self.process.poll()})"}
        return json.loads(line)

    def stop(self) -> None:
        self.process.kill()
        self.process.wait()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--timeout", type=float, default=10.0)
    parser.add_argument("--keep", type=Path)
    parser.add_argument("--worker", action="store_true")
    args = parser.parse_args()
    if args.worker:
        worker()
        return
    from tests.plan_mutations import make_case

    rng = random.Random(args.seed)
    keep = args.keep or Path(tempfile.mkdtemp(prefix="fuzz-plan-"))
    keep.mkdir(parents=True, exist_ok=True)
    counts: Counter[str] = Counter()
    by_kind: Counter[tuple[str, str]] = Counter()
    reasons: Counter[str] = Counter()
    slowest = (0.0, "")
    started = time.perf_counter()
    current = Worker()
    with tempfile.TemporaryDirectory() as scratch:
        for number in range(args.cases):
            name, data, suffix = make_case(rng)
            path = Path(scratch) / f"case{number}{suffix}"
            path.write_bytes(data)
            result = current.ask(path, args.timeout)
            outcome = str(result["outcome"])
            counts[outcome] += 1
            by_kind[(name.split()[0], outcome)] += 1
            if outcome == "refused":
                reasons[str(result["detail"])[:40]] += 1
            seconds = float(result.get("seconds", args.timeout))  # type: ignore[arg-type]
            if seconds > slowest[0]:
                slowest = (seconds, name)
            if outcome in ("crash", "hang", "unclear"):
                kept = keep / f"case{number}-{outcome}{suffix}"
                kept.write_bytes(data)
                print(f"case {number} ({name}): {outcome}: {result['detail']}\n  kept as {kept}")
                if outcome in ("crash", "hang"):
                    current.stop()
                    current = Worker()
    current.stop()
    total = time.perf_counter() - started
    print(
        f"{args.cases} cases in {total:.1f} s (seed {args.seed}): "
        + ", ".join(f"{k} {v}" for k, v in sorted(counts.items()))
    )
    print("by kind: " + ", ".join(f"{k}/{o} {v}" for (k, o), v in sorted(by_kind.items())))
    print(f"slowest case: {slowest[0]:.2f} s ({slowest[1]})")
    print("refusals:")
    for reason, count in reasons.most_common(12):
        print(f"  {count:4d}  {reason}")


if __name__ == "__main__":
    main()
