"""A start-up stopwatch for bench/bench_startup.py: ``LEDGER_APP_BENCH_EXIT=1 ledger-app --db X``.

With the variable set the app prints one JSON line of marks (seconds since the process started:
splash painted, window painted, list painted; the process's CPU seconds; the rows in the list) and
exits right after the first paint of the loaded list, so a benchmark can time whole fresh
processes. ``LEDGER_APP_BENCH_EXIT=ready`` waits instead until what is built after that paint (task
panel, feature menus) is there too. Without the variable nothing here runs. Imports nothing of Qt
at module level: it is imported before the splash.
"""

from __future__ import annotations

import os
import sys
import time
from typing import Any

ENV_VAR = "LEDGER_APP_BENCH_EXIT"


def mode() -> str:
    """ "" (off), "1" (exit at the list's first paint) or "ready" (after the deferred start-up work)."""
    value = os.environ.get(ENV_VAR, "")
    return value if value in ("1", "ready") else ""


def enabled() -> bool:
    return bool(mode())


def _process_start() -> float:
    """Wall-clock time the process started (Linux: /proc, 10 ms resolution); elsewhere this import."""
    try:
        with open("/proc/self/stat", encoding="ascii") as fh:
            fields = fh.read().rsplit(")", 1)[1].split()
        started_ticks = int(fields[19])  # field 22 of stat(5); two fields precede the ")"
        with open("/proc/uptime", encoding="ascii") as fh:
            uptime = float(fh.read().split()[0])
        return time.time() - uptime + started_ticks / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return time.time()


_START = _process_start()
_marks: dict[str, float | int] = {}


def mark(name: str) -> None:
    """Note the first time ``name`` happened (only while benchmarking)."""
    if enabled() and name not in _marks:
        _marks[name] = round(time.time() - _START, 4)


def finish(window: Any = None) -> None:
    """Print the marks and leave at once: no teardown is part of what is measured, nothing was edited.

    Only the ledger's lock is given back (held by the Ledger, or still by the start-up read), so the
    next run does not find a stale one.
    """
    import json

    _marks["cpu"] = round(time.process_time(), 4)  # user + system, all threads
    if window is not None:
        _marks["rows"] = window.model.rowCount()
        _marks["panel"] = window.panel is not None
    sys.stdout.write(json.dumps(_marks) + "\n")
    sys.stdout.flush()
    ledger = getattr(window, "ledger", None)
    if ledger is not None:
        ledger.close()
    first_read = getattr(window, "first_read", None)
    if first_read is not None:
        first_read.release()
    os._exit(0)


def watch(window: Any) -> None:
    """Exit after the first paint of the task list that follows the first full load of rows."""
    from PySide6.QtCore import QEvent, QObject, QTimer

    from .first_paint import after_list_painted, start_waiting

    start_waiting(window)  # before our filter: ours must see the paint first, to mark it before the work
    loaded: list[bool] = []
    wait_for_ready = mode() == "ready"

    def painted() -> None:
        mark("list_painted")
        if not wait_for_ready:
            finish(window)

    class _Watch(QObject):
        def eventFilter(self, _obj: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
            # The filter sees the paint event before the table draws: the marks follow the drawing.
            if event.type() == QEvent.Type.Paint:
                if "window_painted" not in _marks:
                    QTimer.singleShot(0, lambda: mark("window_painted"))
                if loaded and "list_painted" not in _marks:
                    QTimer.singleShot(0, painted)
            return False

    def on_loaded() -> None:
        loaded.append(True)
        window.table.viewport().update()  # a paint is due even if Qt had nothing new to draw

    def ready() -> None:
        mark("ready")
        finish(window)

    window.rowsLoaded.connect(on_loaded)
    window._startup_probe = _Watch(window)  # kept alive with the window
    window.table.viewport().installEventFilter(window._startup_probe)
    if wait_for_ready:  # after the callbacks added later (the panel is added when the ledger opens)
        after_list_painted(window, lambda: QTimer.singleShot(0, ready), last=True)
