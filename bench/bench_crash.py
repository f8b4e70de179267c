#!/usr/bin/env python3
"""Crash and contention figures for issue 17, at full size (not part of the test run).

    python bench/bench_crash.py [--kills 200] [--import-kills 10] [--tasks 2000] [--saves 500]

Runs tests/crash_harness.py: SIGKILLs during random edits, during an Excel import of ``--tasks``
tasks, and two writers racing with the lock bypassed (guarded by ``expected``, and unguarded for
comparison). Prints each result as JSON.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

HARNESS = Path(__file__).resolve().parents[1] / "tests" / "crash_harness.py"


def run(*args: str) -> dict[str, object]:
    done = subprocess.run([sys.executable, str(HARNESS), *args], capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--kills", type=int, default=200)
    parser.add_argument("--import-kills", type=int, default=10)
    parser.add_argument("--tasks", type=int, default=2000)
    parser.add_argument("--saves", type=int, default=500)
    args = parser.parse_args()
    for name, argv in [
        ("edits", ["edits", "--kills", str(args.kills)]),
        ("imports", ["imports", "--kills", str(args.import_kills), "--tasks", str(args.tasks)]),
        ("contention (guarded)", ["contention", "--saves", str(args.saves)]),
        ("contention (unguarded, for comparison)", ["contention", "--saves", str(args.saves), "--unguarded"]),
    ]:
        print(f"{name}: {json.dumps(run(*argv), ensure_ascii=False)}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
