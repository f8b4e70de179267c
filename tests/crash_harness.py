"""Crash and contention harness: kill a writer at random moments, and let two writers race.

Run as a script (the test runs it small; ``bench/bench_crash.py`` runs it at full size):

    python tests/crash_harness.py edits --kills 200 --seed 1
    python tests/crash_harness.py imports --kills 10 --tasks 2000
    python tests/crash_harness.py contention --saves 500

It prints one JSON object. Children are forked from this process (POSIX only), which has imported
the services but holds no connection, so a child starts in milliseconds and a kill can land anywhere:
inside a transaction, in an fsync, between commit and acknowledgement.

- ``edits``: a child makes random edits (a progress entry with a unique text; the task's note set to
  an increasing counter; a measure added or removed) and writes an acknowledgement to a pipe after
  each commit. The parent SIGKILLs it after a random delay, reopens the ledger the way the program
  does (``Ledger.open``: no refusal allowed), runs ``PRAGMA integrity_check`` and checks every
  acknowledged edit is there (the note at least the last acknowledged counter).
- ``imports``: a child imports a monthly report of ``--tasks`` tasks into an empty ledger; the kill
  lands somewhere in it. The ledger must then dump exactly as before (empty) or exactly as after.
- ``contention``: two children open one ledger with the lock bypassed and each append their token to
  the same task's note by read-modify-write with ``expected`` (no lost updates) many times; a refused
  stale edit is retried. Counted: lost updates (a token missing at the end), internal errors
  (anything but a refusal), refusals. ``--unguarded`` writes without ``expected``, to show what the
  guard prevents.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import signal
import sqlite3
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from ledger_app.domain.errors import StaleEditError  # noqa: E402
from ledger_app.domain.model import ProblemKind, RoundLevel  # noqa: E402
from ledger_app.services import Ledger  # noqa: E402


# -- helpers ---------------------------------------------------------------------------------------
def _fork(child: Callable[..., None], *args: object) -> int:
    pid = os.fork()
    if pid == 0:  # the child never returns into the parent's code
        code = 0
        try:
            child(*args)
        except BaseException:
            traceback.print_exc()
            code = 3
        finally:
            os._exit(code)
    return pid


def _integrity(path: Path) -> str:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        conn.close()


def _seed_ledger(path: Path, tasks: int = 5) -> list[int]:
    with Ledger.open(path, create=True, actor="种子") as ledger:
        round_id = ledger.directory.create_round(name="第二轮中央生态环境保护督察", level=RoundLevel.CENTRAL)
        return [
            ledger.tasks.create_task(
                round_id=round_id,
                seq=str(i + 1),
                kind=ProblemKind.SPECIFIC,
                description=f"问题{i + 1}:某河段黑臭水体整治不到位",
                responsible_units=["区生态环境局"],
                deadline="2027年6月底前",
            )
            for i in range(tasks)
        ]


# -- edits -----------------------------------------------------------------------------------------
def _edit_child(path: Path, task_ids: list[int], ack_fd: int, seed: int, start: int) -> None:
    rng = random.Random(seed)
    ledger = Ledger.open(path, actor="崩溃测试")
    counter = start
    while True:
        task_id = rng.choice(task_ids)
        action = rng.random()
        counter += 1
        if action < 0.5:
            token = f"P{counter}"
            ledger.tasks.add_progress(task_id, entry_date=date(2026, 11, 1), text=f"进展 {token}")
            message = f"progress {task_id} {token}"
        elif action < 0.8:
            ledger.tasks.update_task(task_id, note=str(counter))
            message = f"note {task_id} {counter}"
        elif action < 0.9:
            ledger.tasks.add_measure(task_id, text=f"措施 M{counter}")
            message = f"measure {task_id} M{counter}"
        else:
            record = ledger.records.task_record(task_id)
            if record.measures:
                ledger.tasks.delete_measure(record.measures[-1].id)  # type: ignore[arg-type]
            message = "delete"
        os.write(ack_fd, (message + "\n").encode())


def run_edits(kills: int, seed: int, max_delay: float) -> dict[str, object]:
    rng = random.Random(seed)
    work = Path(tempfile.mkdtemp(prefix="crash-edits-"))
    path = work / "台账.sqlite3"
    task_ids = _seed_ledger(path)
    acked_progress: set[str] = set()
    acked_measures: set[str] = set()
    last_note: dict[int, int] = {}
    refused = integrity_failures = lost = hot_journals = 0
    errors: list[str] = []
    counter = 0
    for kill in range(kills):
        read_fd, write_fd = os.pipe()
        pid = _fork(_edit_child, path, task_ids, write_fd, seed * 100_003 + kill, counter)
        os.close(write_fd)
        time.sleep(rng.uniform(0.0, max_delay))
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        data = b""
        while chunk := os.read(read_fd, 65536):
            data += chunk
        os.close(read_fd)
        for line in data.decode().splitlines():
            kind, *rest = line.split()
            if kind == "progress":
                acked_progress.add(rest[1])
            elif kind == "note":
                last_note[int(rest[0])] = max(last_note.get(int(rest[0]), 0), int(rest[1]))
            elif kind == "measure":
                acked_measures.add(rest[1])
        counter += 100_000  # the next child counts from a fresh range: tokens never repeat
        if Path(str(path) + "-journal").exists() and Path(str(path) + "-journal").stat().st_size > 0:
            hot_journals += 1
        try:
            ledger = Ledger.open(path, actor="检查")
        except Exception as exc:
            refused += 1
            errors.append(f"kill {kill}: {type(exc).__name__}: {exc}")
            continue
        try:
            if _integrity(path) != "ok":
                integrity_failures += 1
            present_progress = set()
            present_measures = set()
            for task_id in task_ids:
                record = ledger.records.task_record(task_id)
                present_progress |= {p.text.split()[-1] for p in record.progress}
                present_measures |= {m.text.split()[-1] for m in record.measures}
                note = int(record.note or 0)
                if note < last_note.get(task_id, 0):
                    lost += 1
            lost += len(acked_progress - present_progress)
            # A measure may have been deleted by a later (acknowledged or not) edit: not a loss.
        finally:
            ledger.close()
    return {
        "kills": kills,
        "acknowledged_progress": len(acked_progress),
        "acknowledged_notes": len(last_note),
        "hot_journals_found": hot_journals,
        "refused_reopens": refused,
        "integrity_failures": integrity_failures,
        "lost_acknowledged_edits": lost,
        "errors": errors[:5],
    }


# -- imports ---------------------------------------------------------------------------------------
def _dump_digest(path: Path) -> str:
    from ledger_app.io.dump import ledger_to_dict

    today = date(2026, 12, 1)
    with Ledger.open(path, actor="检查") as ledger:
        data = ledger_to_dict(ledger.records.round_records(today=today), today=today)
    return hashlib.sha256(json.dumps(data, ensure_ascii=False, sort_keys=True).encode()).hexdigest()


def run_imports(kills: int, tasks: int, seed: int) -> dict[str, object]:
    from ledger_app.cli.main import main as cli_main
    from ledger_app.services.demo import generate_demo

    rng = random.Random(seed)
    work = Path(tempfile.mkdtemp(prefix="crash-import-"))
    source = work / "source.sqlite3"
    with Ledger.open(source, create=True, actor="演示") as ledger:
        generate_demo(ledger, tasks=tasks, seed=seed, today=date(2026, 11, 23))
    workbook = work / "月报.xlsx"
    assert cli_main(["export-monthly", "--db", str(source), "--month", "2026-11", "-o", str(workbook)]) == 0
    empty = work / "empty.sqlite3"
    Ledger.open(empty, create=True).close()
    done = work / "done.sqlite3"
    done.write_bytes(empty.read_bytes())
    started = time.perf_counter()
    assert cli_main(["import-excel", str(workbook), "--db", str(done)]) in (0, 1)
    duration = time.perf_counter() - started
    before, after = _dump_digest(empty), _dump_digest(done)
    outcomes = {"before": 0, "after": 0, "neither": 0, "refused": 0}
    devnull = os.open(os.devnull, os.O_WRONLY)
    for kill in range(kills):
        target = work / f"target-{kill}.sqlite3"
        target.write_bytes(empty.read_bytes())

        def child(target: Path = target) -> None:
            os.dup2(devnull, 1)
            os.dup2(devnull, 2)
            cli_main(["import-excel", str(workbook), "--db", str(target)])

        pid = _fork(child)
        time.sleep(rng.uniform(0.05, duration * 1.6))  # some land after the commit
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        try:
            digest = _dump_digest(target)
        except Exception:
            outcomes["refused"] += 1
            continue
        if _integrity(target) != "ok":
            outcomes["neither"] += 1
        elif digest == before:
            outcomes["before"] += 1
        elif digest == after:
            outcomes["after"] += 1
        else:
            outcomes["neither"] += 1
    os.close(devnull)
    return {"kills": kills, "tasks": tasks, "import_seconds": round(duration, 2), **outcomes}


# -- contention ------------------------------------------------------------------------------------
def _contend_child(path: Path, task_id: int, name: str, saves: int, guarded: bool, out: Path) -> None:
    ledger = Ledger.open(path, actor=name, lock=False)  # the lock bypassed on purpose
    done = refusals = internal = 0
    problems: list[str] = []
    while done < saves:
        try:
            note = ledger.records.task_record(task_id).note
            new = f"{note};{name}{done}" if note else f"{name}{done}"
            if guarded:
                ledger.tasks.update_task(task_id, expected={"note": note}, note=new)
            else:
                ledger.tasks.update_task(task_id, note=new)
            done += 1
        except StaleEditError:
            refusals += 1
        except Exception as exc:
            internal += 1
            problems.append(f"{type(exc).__name__}: {exc}")
            done += 1  # an internal error is counted, not retried forever
    out.write_text(json.dumps({"refusals": refusals, "internal": internal, "problems": problems[:3]}))


def run_contention(saves: int, guarded: bool) -> dict[str, object]:
    work = Path(tempfile.mkdtemp(prefix="contention-"))
    path = work / "台账.sqlite3"
    task_id = _seed_ledger(path, tasks=1)[0]
    per_child = saves // 2
    started = time.perf_counter()
    pids = [
        _fork(lambda n=n: _contend_child(path, task_id, n, per_child, guarded, work / f"{n}.json"))
        for n in ("A", "B")
    ]
    for pid in pids:
        os.waitpid(pid, 0)
    seconds = time.perf_counter() - started
    results = [json.loads((work / f"{n}.json").read_text()) for n in ("A", "B")]
    with Ledger.open(path) as ledger:
        tokens = ledger.records.task_record(task_id).note.split(";")
    expected = {f"{n}{i}" for n in ("A", "B") for i in range(per_child)}
    return {
        "saves": per_child * 2,
        "guarded": guarded,
        "seconds": round(seconds, 2),
        "lost_updates": len(expected - set(tokens)),
        "duplicated": len(tokens) - len(set(tokens)),
        "internal_errors": sum(r["internal"] for r in results),
        "stale_refusals_retried": sum(r["refusals"] for r in results),
        "problems": [p for r in results for p in r["problems"]],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    sub = parser.add_subparsers(dest="mode", required=True)
    p = sub.add_parser("edits")
    p.add_argument("--kills", type=int, default=200)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--max-delay", type=float, default=0.4)
    p = sub.add_parser("imports")
    p.add_argument("--kills", type=int, default=10)
    p.add_argument("--tasks", type=int, default=2000)
    p.add_argument("--seed", type=int, default=1)
    p = sub.add_parser("contention")
    p.add_argument("--saves", type=int, default=500)
    p.add_argument("--unguarded", action="store_true")
    args = parser.parse_args(argv)
    if args.mode == "edits":
        result = run_edits(args.kills, args.seed, args.max_delay)
    elif args.mode == "imports":
        result = run_imports(args.kills, args.tasks, args.seed)
    else:
        result = run_contention(args.saves, not args.unguarded)
    sys.stdout.write(json.dumps(result, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
