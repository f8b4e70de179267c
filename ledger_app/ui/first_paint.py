"""Start-up order: the task list is painted first, what a clerk does not need in that instant right after.

The task panel and the feature menus (export, import, evidence) cost as much start-up time as the
list itself (bench/bench_startup.py); built after the list's first paint they are there a moment
later, while the clerk is still reading the list.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, QObject, QTimer

# A load that fails (or a ledger with nothing to paint) must not leave the menus missing for good.
FALLBACK_MS = 3000
# Between two pieces of deferred work (see _step), and before the panel (main_window._open_first_read).
WAIT_MS = 1


class _AfterPaint(QObject):
    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self._window = window
        self._loaded = False
        self._done = False
        self._callbacks: list[Callable[[], object]] = []
        self._last: list[Callable[[], object]] = []  # after all the others (the start-up probe's "ready")
        window.rowsLoaded.connect(self._on_loaded)
        window.table.viewport().installEventFilter(self)
        QTimer.singleShot(FALLBACK_MS, self, self._run)  # dropped with the window

    def add(self, callback: Callable[[], object], *, last: bool = False) -> None:
        if self._done:
            QTimer.singleShot(0, self, callback)
        elif last:
            self._last.append(callback)
        else:
            self._callbacks.append(callback)

    def _on_loaded(self) -> None:
        self._loaded = True
        self._window.table.viewport().update()  # a paint is due even when Qt had nothing new to draw

    def eventFilter(self, _watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        if self._loaded and not self._done and event.type() == QEvent.Type.Paint:
            QTimer.singleShot(0, self, self._run)  # after this paint has reached the screen
        return False

    def _run(self, *, at_once: bool = False) -> None:
        if self._done:
            return
        self._done = True
        self._window.table.viewport().removeEventFilter(self)
        todo = [*self._callbacks, *self._last]
        self._callbacks, self._last = [], []
        if at_once:
            for callback in todo:
                callback()
        else:
            self._step(todo)

    def _step(self, todo: list[Callable[[], object]]) -> None:
        # One piece of work per turn of the event loop: a click or a key pressed meanwhile is
        # handled between them, instead of after the whole second of deferred start-up work.
        callback = todo.pop(0)
        try:
            callback()
        finally:  # a feature that fails to install (reported by the excepthook) leaves the others
            if todo:
                # 1 ms, not 0: a 0 ms single shot is a posted event in Qt 6, and a chain of those runs
                # before any timer or input is looked at; a real timer lets them in between.
                QTimer.singleShot(WAIT_MS, self, lambda: self._step(todo))


def start_waiting(window: Any) -> _AfterPaint:
    """The window's waiting list, made now if it is not yet. An event filter installed after this one
    sees the list's paint first (Qt calls the newest first): the start-up probe relies on that."""
    helper = getattr(window, "_after_first_paint", None)
    if helper is None:
        helper = window._after_first_paint = _AfterPaint(window)
    return helper


def after_list_painted(window: Any, callback: Callable[[], object], *, last: bool = False) -> None:
    """Run ``callback`` once, just after the list's first paint with loaded rows: in the order added,
    one per turn of the event loop (``last``: after every other)."""
    start_waiting(window).add(callback, last=last)


def waiting_for_first_paint(window: Any) -> bool:
    """True between the start-up's first ``after_list_painted`` and the list's first paint."""
    helper = getattr(window, "_after_first_paint", None)
    return helper is not None and not helper._done


def run_pending(window: Any) -> None:
    """No list is coming (no ledger was opened): run what waits for it now."""
    helper = getattr(window, "_after_first_paint", None)
    if helper is not None:
        helper._run(at_once=True)
