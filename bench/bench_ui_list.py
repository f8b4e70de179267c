"""Benchmark: the main window's task list at 10,000 tasks, side by side with the floors of stack-notes.

1. start   process start → main window painted with all rows loaded (``python -m ledger_app`` path:
           QApplication, window, open ledger, rows in a worker, first paint of the filled list),
           process start → first paint of the (still empty) window, and → the start-up splash.
   floor   process start → painted bare QTableView over a QAbstractTableModel of 10,000 × 9 strings.
2. load    in process: ``list_tasks`` (what the worker runs), ``set_rows`` into the model, first paint,
           ``search_texts`` (the search index, built in a second worker).
3. filter  per keystroke of the search word "彭红" ("彭", then "彭红"), the proxy re-filter plus the
           counts label; a combo filter (round + 滞后); clearing.
   floor   a bare QSortFilterProxyModel whose filterAcceptsRow checks one pre-joined string per row.
4. sort    clicking each column header (source-model sort with Python keys).
5. edit    one task edited in the panel: re-read its row and search text, update, re-sort.

Offscreen (QT_QPA_PLATFORM=offscreen). Min and median of --runs fresh processes for 1, of --repeat
repetitions for 2-5.

Run:  .venv/bin/python bench/bench_ui_list.py [--tasks 10000] [--db PATH] [--runs 5]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# -- child processes -------------------------------------------------------------------------------
APP_CHILD = r"""
import json, sys, time
from pathlib import Path
from PySide6.QtCore import QEvent, QObject
from ledger_app.ui import settings_store
settings_store.use_settings_file(Path(sys.argv[2]))
from ledger_app.ui.app import create_application
from ledger_app.ui.main_window import MainWindow

app = create_application(sys.argv[:1])
marks = {}

class Watch(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint:
            marks.setdefault("window_painted", time.time())
            if window.model.rowCount() and "rows_painted" not in marks:
                marks["rows_painted"] = time.time()
                print(json.dumps(marks), flush=True)
                app.quit()
        return False

window = MainWindow()
watch = Watch()
window.table.viewport().installEventFilter(watch)
window.show()
window.open_path(Path(sys.argv[1]))
app.exec()
"""

SPLASH_CHILD = r"""
import json, sys, time
from PySide6.QtCore import QEvent, QObject
from ledger_app.ui.app import create_application, show_splash

painted = []

class Watch(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint and not painted:
            painted.append(time.time())
        return False

app = create_application(sys.argv[:1])
watch = Watch()
app.installEventFilter(watch)
splash = show_splash()
while not painted:
    app.processEvents()
print(json.dumps({"splash_painted": painted[0]}), flush=True)
"""

FLOOR_CHILD = r"""
import json, sys, time
from PySide6.QtCore import QAbstractTableModel, QEvent, QModelIndex, QObject, Qt
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

class Watch(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint:
            print(json.dumps({"rows_painted": time.time()}), flush=True)
            app.quit()
        return False

app = QApplication(sys.argv[:1])
rows = [[f"第{r}行第{c}列的文字内容" for c in range(9)] for r in range(int(sys.argv[1]))]
view = QTableView()
view.setModel(Model(rows))
view.verticalHeader().setDefaultSectionSize(24)
watch = Watch()
view.viewport().installEventFilter(watch)
view.resize(1400, 850)
view.show()
app.exec()
"""


def run_child(code: str, *args: str) -> dict[str, float]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT))
    start = time.time()
    out = subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, env=env, check=True, timeout=120
    )
    line = next(line for line in out.stdout.splitlines() if line.startswith("{"))
    return {key: value - start for key, value in json.loads(line).items()}


# -- helpers -------------------------------------------------------------------------------------
def stats(samples: list[float]) -> str:
    return f"min {min(samples) * 1000:8.1f} ms   median {statistics.median(samples) * 1000:8.1f} ms"


def timed(fn: Callable[[], object], repeat: int, setup: Callable[[], object] | None = None) -> list[float]:
    samples = []
    for _ in range(repeat):
        if setup is not None:
            setup()
        t = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - t)
    return samples


def ensure_demo(path: Path, tasks: int) -> None:
    if path.exists():
        return
    from ledger_app.services import Ledger
    from ledger_app.services.demo import generate_demo

    print(f"building a {tasks}-task demo ledger at {path} …", flush=True)
    with Ledger.open(path, create=True, actor="bench") as ledger:
        generate_demo(ledger, tasks=tasks, seed=1)


def row(label: str, samples: list[float], floor: list[float] | None = None) -> None:
    print(f"  {label:<44} {stats(samples)}")
    if floor is not None:
        print(f"  {'  floor':<44} {stats(floor)}")


# -- in-process measurements ----------------------------------------------------------------------
def in_process(db: Path, settings_file: Path, repeat: int) -> None:
    from PySide6.QtCore import QSortFilterProxyModel, Qt
    from PySide6.QtGui import QStandardItemModel

    from ledger_app.domain.model import ScheduleFlag
    from ledger_app.services import Ledger, TaskFilter
    from ledger_app.ui import settings_store, workers
    from ledger_app.ui.app import create_application
    from ledger_app.ui.main_window import MainWindow
    from ledger_app.ui.task_table import HEADERS

    settings_store.use_settings_file(settings_file)
    app = create_application([sys.argv[0]])
    ledger = Ledger.open(db)

    print("\n2. load (in process)")
    row("list_tasks (the loading worker)", timed(ledger.queries.list_tasks, repeat))
    row("search_texts (the search-index worker)", timed(ledger.queries.search_texts, repeat))
    rows = ledger.queries.list_tasks()
    window = MainWindow()
    window.resize(1440, 880)
    window.show()
    app.processEvents()

    def fill_and_paint() -> None:
        window.model.set_rows(rows)
        window.table.viewport().repaint()

    row("set_rows + first paint of the list", timed(fill_and_paint, repeat))

    workers.SYNCHRONOUS = True  # the window's own loading path, end to end, on this thread
    window.set_ledger(ledger)
    app.processEvents()
    bar, proxy = window.filter_bar, window.proxy
    print(f"  rows in the list: {window.model.rowCount()}")

    print("\n3. filter (one keystroke = re-filter + counts label)")

    def keystrokes(text: str) -> list[list[float]]:
        per_key: list[list[float]] = [[] for _ in text]
        for _ in range(repeat):
            bar.reset()
            for i in range(len(text)):
                t = time.perf_counter()
                window._on_search_changed(text[: i + 1])  # what the debounced searchChanged calls
                per_key[i].append(time.perf_counter() - t)
        return per_key

    for i, samples in enumerate(keystrokes("彭红")):
        row(f"search “{'彭红'[: i + 1]}” → {proxy.rowCount()} rows" if i else "search “彭”", samples)

    row(
        "clear the search (all rows back)",
        timed(lambda: window._on_search_changed(""), repeat, setup=lambda: window._on_search_changed("彭红")),
    )
    round_id = ledger.directory.list_rounds()[-1].id

    def combo() -> None:
        window._on_filter_changed(TaskFilter(round_id=round_id, schedule=ScheduleFlag.LAGGING))
        window._on_filter_changed(TaskFilter())

    samples = timed(combo, repeat)
    row("combo: round + 滞后, then back to all (÷2)", [s / 2 for s in samples])

    # Floor: a bare proxy checking one pre-joined lower-cased string per row.
    texts = ledger.queries.search_texts()
    joined = [texts[r.id] for r in rows]

    class Floor(QSortFilterProxyModel):
        word = ""

        def filterAcceptsRow(self, source_row: int, _parent: object) -> bool:  # noqa: N802
            return self.word in joined[source_row]

    source = QStandardItemModel(len(rows), 1)
    floor = Floor()
    floor.setSourceModel(source)

    def floor_filter() -> None:
        floor.beginFilterChange()
        floor.word = "彭红"
        floor.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        floor.beginFilterChange()
        floor.word = ""
        floor.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    row("  floor: pre-joined string per row (÷2)", [s / 2 for s in timed(floor_filter, repeat)])

    print("\n4. sort (header click)")
    for column, title in enumerate(HEADERS):

        def sort(column: int = column) -> None:
            proxy.sort(column, Qt.SortOrder.AscendingOrder)
            proxy.sort(column, Qt.SortOrder.DescendingOrder)

        row(f"sort by {title} (÷2)", [s / 2 for s in timed(sort, repeat)])
    proxy.sort(0, Qt.SortOrder.AscendingOrder)

    print("\n5. edit of one task")
    task_id = rows[len(rows) // 2].id
    row("task_rows + search_texts_for (one task)", timed(
        lambda: (ledger.queries.task_rows([task_id]), ledger.queries.search_texts([task_id])), repeat
    ))  # fmt: skip
    row(
        "taskChanged → row, search text, re-sort, counts",
        timed(lambda: window._on_task_changed(task_id), repeat),
    )
    window.close()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--tasks", type=int, default=10_000)
    parser.add_argument("--db", type=Path, help="a demo ledger to use (built when missing)")
    parser.add_argument("--runs", type=int, default=5, help="fresh processes for the start-up timing")
    parser.add_argument("--repeat", type=int, default=5, help="repetitions of each in-process timing")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="bench-ui-"))
    db = args.db or Path(tempfile.gettempdir()) / f"bench-ui-{args.tasks}.sqlite3"
    ensure_demo(db, args.tasks)
    settings_file = workdir / "ui.ini"

    import PySide6

    print(
        f"ledger {db} ({db.stat().st_size / 1e6:.1f} MB), PySide6 {PySide6.__version__}, Python {sys.version.split()[0]}"
    )
    print("\n1. start (fresh processes, offscreen)")
    app_runs = [run_child(APP_CHILD, str(db), str(settings_file)) for _ in range(args.runs)]
    splash_runs = [run_child(SPLASH_CHILD) for _ in range(args.runs)]
    floor_runs = [run_child(FLOOR_CHILD, str(args.tasks)) for _ in range(args.runs)]
    row("process start → splash painted (ledger-app)", [r["splash_painted"] for r in splash_runs])
    row("process start → window painted (empty)", [r["window_painted"] for r in app_runs])
    row("process start → list painted with all rows", [r["rows_painted"] for r in app_runs])
    row("  floor: bare QTableView of 10k × 9", [r["rows_painted"] for r in floor_runs])
    in_process(db, settings_file, args.repeat)


if __name__ == "__main__":
    main()
