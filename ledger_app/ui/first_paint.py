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


class _AfterPaint(QObject):
    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self._window = window
        self._loaded = False
        self._done = False
        self._callbacks: list[Callable[[], object]] = []
        window.rowsLoaded.connect(self._on_loaded)
        window.table.viewport().installEventFilter(self)
        QTimer.singleShot(FALLBACK_MS, self, self._run)  # dropped with the window

    def add(self, callback: Callable[[], object]) -> None:
        if self._done:
            QTimer.singleShot(0, self, callback)
        else:
            self._callbacks.append(callback)

    def _on_loaded(self) -> None:
        self._loaded = True
        self._window.table.viewport().update()  # a paint is due even when Qt had nothing new to draw

    def eventFilter(self, _watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        if self._loaded and not self._done and event.type() == QEvent.Type.Paint:
            QTimer.singleShot(0, self, self._run)  # after this paint has reached the screen
        return False

    def _run(self) -> None:
        if self._done:
            return
        self._done = True
        self._window.table.viewport().removeEventFilter(self)
        callbacks, self._callbacks = self._callbacks, []
        for callback in callbacks:
            callback()


def after_list_painted(window: Any, callback: Callable[[], object]) -> None:
    """Run ``callback`` once, just after the list's first paint with loaded rows (in the order added)."""
    helper = getattr(window, "_after_first_paint", None)
    if helper is None:
        helper = window._after_first_paint = _AfterPaint(window)
    helper.add(callback)


def waiting_for_first_paint(window: Any) -> bool:
    """True between the start-up's first ``after_list_painted`` and the list's first paint."""
    helper = getattr(window, "_after_first_paint", None)
    return helper is not None and not helper._done


def run_pending(window: Any) -> None:
    """No list is coming (no ledger was opened): run what waits for it now."""
    helper = getattr(window, "_after_first_paint", None)
    if helper is not None:
        helper._run()
