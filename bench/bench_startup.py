"""Benchmark: start-up to a usable list of 10,000 tasks, side by side with a bare Qt table and LibreOffice.

Whole fresh processes, timed from outside (start → exit), in turn within each round so that a drift of
the shared machine's speed hits all of them alike:

  python -m     ``python -m ledger_app --db LEDGER`` until the first paint of the loaded list
  ledger-app    the gui-script entry point, same ledger, same exit point
  bare Qt       a bare QTableView over a QAbstractTableModel of 10,000 × 9 strings, until painted (the floor)
  LibreOffice   ``soffice --headless --convert-to csv`` of the same ledger's monthly report (.xlsx), with
                the CSV filter options that keep Chinese (shared/stack-notes.md)

The app's exit point is ``LEDGER_APP_BENCH_EXIT=1`` (ledger_app/ui/startup_probe.py): it prints its
marks (seconds since process start: splash, window, list painted) and exits right after the list's
first paint, so no teardown is timed. Offscreen (QT_QPA_PLATFORM=offscreen); settings, logs and the
LibreOffice profile are kept in the work folder, so nothing of the user's is read or changed.
Python runs with bytecode caching on (PYTHONPYCACHEPREFIX in the work folder), as an installed app
does: a source tree run with PYTHONDONTWRITEBYTECODE=1 would compile every module on every start.
The first round is a warm-up and is not counted.

Run:  .venv/bin/python bench/bench_startup.py [--tasks 10000] [--runs 5] [--reuse] [--workdir DIR] [--until ready]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

LO_FILTER = "csv:Text - txt - csv (StarCalc):44,34,76"

FLOOR_CHILD = r"""
import os, sys
from PySide6.QtCore import QAbstractTableModel, QEvent, QModelIndex, QObject, Qt, QTimer
from PySide6.QtWidgets import QApplication, QTableView

class Model(QAbstractTableModel):
    def __init__(self, rows):
        super().__init__()
        self.rows = rows
    def rowCount(self, parent=QModelIndex()):
        return len(self.rows)
    def columnCount(self, parent=QModelIndex()):
        return 9
    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole:
            return self.rows[index.row()][index.column()]
        return None

def painted():
    sys.stdout.write("painted\n")
    sys.stdout.flush()
    os._exit(0)

class Watch(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint:  # seen before the view draws: leave once it has
            QTimer.singleShot(0, painted)
        return False

app = QApplication(sys.argv[:1])
rows = [[f"第{r}行第{c}列的文字内容" for c in range(9)] for r in range(int(sys.argv[1]))]
view = QTableView()
view.setModel(Model(rows))
view.verticalHeader().setDefaultSectionSize(24)
watch = Watch()
view.viewport().installEventFilter(watch)
view.resize(1440, 880)
view.show()
app.exec()
"""


def run(cmd: list[str], *, env: dict[str, str] | None = None, timeout: float = 60) -> tuple[float, str]:
    """Wall seconds of one whole process (start → reaped) and what it printed."""
    start = time.perf_counter()
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=timeout, check=False)
    except subprocess.TimeoutExpired as exc:  # e.g. the app waits on a dialog: the ledger was refused
        raise SystemExit(f"no exit after {timeout} s: {' '.join(cmd)}\n{exc.stderr!r}") from exc
    wall = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"failed ({done.returncode}): {' '.join(cmd)}\n{done.stdout}\n{done.stderr}")
    return wall, done.stdout


def cli(*args: str) -> None:
    subprocess.run([sys.executable, "-m", "ledger_app.cli.main", *args], check=True)


def prepare(workdir: Path, tasks: int, month: str, reuse: bool) -> tuple[Path, Path]:
    ledger, report = workdir / f"demo-{tasks}.sqlite3", workdir / f"monthly-{tasks}.xlsx"
    if not (reuse and ledger.exists()):
        print(f"building a {tasks}-task demo ledger at {ledger} …", flush=True)
        cli("demo", "--db", str(ledger), "--tasks", str(tasks), "--force")
        report.unlink(missing_ok=True)
    if not (reuse and report.exists()):
        print(f"exporting its monthly report ({month}) to {report} …", flush=True)
        cli("export-monthly", "--db", str(ledger), "--month", month, "-o", str(report))
    return ledger, report


def drop_cut_backups(ledger: Path) -> None:
    """The app leaves at once when timed (os._exit): an automatic backup it had begun in a worker
    (--until ready: the one taken on opening) stays behind as ``.part`` files, 30 MB a run."""
    for part in ledger.with_name(f"{ledger.stem}.backups").glob("*.part*"):
        part.unlink(missing_ok=True)


def gui_script() -> Path:
    folder = Path(sys.executable).parent
    for name in ("ledger-app", "ledger-app.exe"):
        if (folder / name).exists():
            return folder / name
    raise SystemExit(f"no ledger-app entry point beside {sys.executable}: pip install -e . first")


def child_env(workdir: Path) -> dict[str, str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", LEDGER_APP_BENCH_EXIT="1")
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(workdir / "pycache")
    for var, sub in (("XDG_CONFIG_HOME", "config"), ("XDG_STATE_HOME", "state"), ("XDG_DATA_HOME", "data")):
        env[var] = str(workdir / sub)
    return env


def fmt(samples: list[float], unit: str = "s") -> str:
    if unit == "×":
        return f"{min(samples):6.2f}× {statistics.median(samples):6.2f}× {max(samples):6.2f}×"
    return f"{min(samples):6.3f} s {statistics.median(samples):6.3f} s {max(samples):6.3f} s"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--tasks", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5, help="counted rounds (each runs every command once)")
    parser.add_argument("--workdir", type=Path, default=None, help="default: <tmp>/bench-startup")
    parser.add_argument("--reuse", action="store_true", help="keep the ledger and report of an earlier run")
    parser.add_argument("--month", default=f"{date.today():%Y-%m}", help="month of the report (YYYY-MM)")
    parser.add_argument("--no-libreoffice", action="store_true", help="skip LibreOffice (ratios then absent)")
    parser.add_argument(
        "--until",
        choices=("paint", "ready"),
        default="paint",
        help="paint: the list's first paint (default); ready: also the task panel and menus built after it",
    )
    args = parser.parse_args()

    import tempfile

    workdir = (args.workdir or Path(tempfile.gettempdir()) / "bench-startup").resolve()
    workdir.mkdir(parents=True, exist_ok=True)
    ledger, report = prepare(workdir, args.tasks, args.month, args.reuse)
    env = child_env(workdir)
    if args.until == "ready":
        env["LEDGER_APP_BENCH_EXIT"] = "ready"
    python = sys.executable
    commands: dict[str, list[str]] = {
        "python -m": [python, "-m", "ledger_app", "--db", str(ledger)],
        "ledger-app": [str(gui_script()), "--db", str(ledger)],
        "bare Qt": [python, "-c", FLOOR_CHILD, str(args.tasks)],
    }
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice and not args.no_libreoffice:
        out = workdir / "lo-out"
        profile = (workdir / "lo-profile").as_uri()
        commands["LibreOffice"] = [
            soffice, f"-env:UserInstallation={profile}", "--headless",
            "--convert-to", LO_FILTER, "--outdir", str(out), str(report),
        ]  # fmt: skip
    elif not args.no_libreoffice:
        print("LibreOffice (soffice) not found: no ratios")

    walls: dict[str, list[float]] = {name: [] for name in commands}
    marks: dict[str, dict[str, list[float]]] = {"python -m": {}, "ledger-app": {}}
    print(
        f"ledger {ledger.name} ({ledger.stat().st_size / 1e6:.1f} MB), report {report.name} "
        f"({report.stat().st_size / 1e6:.1f} MB); 1 warm-up round + {args.runs} counted, in turn",
        flush=True,
    )
    for round_no in range(args.runs + 1):
        for name, cmd in commands.items():
            wall, out = run(cmd, env=env)
            if name in marks:
                drop_cut_backups(ledger)
                line = next((x for x in out.splitlines() if x.startswith("{")), None)
                if line is None:
                    raise SystemExit(f"{name}: no marks printed (is LEDGER_APP_BENCH_EXIT supported?)\n{out}")
                found = json.loads(line)
                if found.get("rows") != args.tasks:
                    raise SystemExit(f"{name}: {found.get('rows')} rows painted, {args.tasks} expected")
                if round_no:
                    for key, value in found.items():
                        if key not in ("rows", "panel"):
                            marks[name].setdefault(key, []).append(value)
            if round_no:
                walls[name].append(wall)

    until = "list painted" if args.until == "paint" else "panel, menus ready"
    print(f"\nprocess start → exit ({args.runs} fresh processes each)     min      median   max")
    for name, samples in walls.items():
        label = {
            "python -m": f"ours, python -m ledger_app, {until}",
            "ledger-app": f"ours, ledger-app entry point, {until}",
            "bare Qt": f"floor: bare QTableView {args.tasks} × 9 painted",
            "LibreOffice": "LibreOffice headless opens the monthly report",
        }[name]
        print(f"  {label:<48} {fmt(samples)}")
    print("\ninside the app: seconds since process start (median); cpu: the process's CPU seconds then")
    for name, found in marks.items():
        text = ", ".join(f"{key} {statistics.median(values):.3f}" for key, values in found.items())
        print(f"  {name:<12} {text}")
    print("\nratios, round by round                                min      median   max")
    pairs = [("python -m", "bare Qt"), ("ledger-app", "python -m")]
    if "LibreOffice" in walls:
        pairs = [
            ("python -m", "LibreOffice"),
            ("ledger-app", "LibreOffice"),
            ("bare Qt", "LibreOffice"),
            *pairs,
        ]
    for a, b in pairs:
        ratios = [x / y for x, y in zip(walls[a], walls[b], strict=True)]
        print(f"  {a + ' / ' + b:<48} {fmt(ratios, '×')}")
    if "LibreOffice" in walls:
        print("  target: ours / LibreOffice ≤ 0.35×, and ledger-app ≈ python -m")


if __name__ == "__main__":
    main()
