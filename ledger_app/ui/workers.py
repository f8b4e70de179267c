"""Background work for the GUI: run a function off the UI thread, with a late progress dialog and Cancel.

    run_task(parent, fn, on_done=..., on_error=..., progress_title="正在导出…")

``fn(progress, cancelled)`` runs on a worker thread. ``progress(done, total, text)`` may be called
from it at any rate; ``cancelled()`` tells it the clerk pressed Cancel (it should then raise
``CancelledError`` or return early). The result or the exception comes back to the main thread by
a queued signal, so ``on_done`` / ``on_error`` may touch widgets. The progress dialog only appears
after ``DIALOG_DELAY_MS``, so short work never flashes one.

Tests set ``workers.SYNCHRONOUS = True`` (the ``sync_workers`` fixture) to run every task at once
on the calling thread, callbacks included.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, QTimer, Signal, Slot
from PySide6.QtWidgets import QProgressDialog, QWidget

from ledger_app.domain.errors import CancelledError
from ledger_app.domain.progress import CancelFn, ProgressFn

log = logging.getLogger(__name__)

WorkFn = Callable[[ProgressFn, CancelFn], Any]

_PROGRESS_SCALE = 1_000_000
SYNCHRONOUS = False  # tests: run tasks on the calling thread
DIALOG_DELAY_MS = 500

# One worker thread: the ledger is a single SQLite file, so reads and writes are serialised here
# rather than competing for its lock (Anki does the same with a one-thread executor).
_pool: QThreadPool | None = None
_running: set[TaskHandle] = set()  # keeps Python wrappers alive until their result is delivered


def pool() -> QThreadPool:
    global _pool
    if _pool is None:
        _pool = QThreadPool()
        _pool.setMaxThreadCount(1)
    return _pool


def wait_for_all(timeout_ms: int = 30_000) -> bool:
    """Block until queued work is done (at exit, before the ledger's engine is closed)."""
    return pool().waitForDone(timeout_ms) if _pool is not None else True


class _Signals(QObject):
    progressed = Signal(int, int, str)
    finished = Signal(object)
    failed = Signal(object)


class _Runnable(QRunnable):
    def __init__(self, handle: TaskHandle) -> None:
        super().__init__()
        self.setAutoDelete(False)  # the handle owns it; Qt deleting it under Python would crash
        self._handle = handle

    def run(self) -> None:
        self._handle._execute()


class TaskHandle(QObject):
    """One piece of background work. ``cancel()`` asks it to stop; ``is_running`` until delivered."""

    def __init__(
        self,
        parent: QWidget | None,
        fn: WorkFn,
        on_done: Callable[[Any], None] | None,
        on_error: Callable[[BaseException], None] | None,
        progress_title: str | None,
        cancellable: bool,
    ) -> None:
        # No QObject parent: the handle must outlive a dialog that closes while the work runs.
        super().__init__()
        self._parent = parent
        self._fn = fn
        self._on_done = on_done
        self._on_error = on_error
        self._title = progress_title
        self._cancellable = cancellable
        self._cancel = threading.Event()
        self._dialog: QProgressDialog | None = None
        self._last_progress: tuple[int, int, str] = (0, 0, "")
        self.is_running = True
        self._signals = _Signals()
        # The handle lives in the main thread: these queued connections deliver there.
        self._signals.progressed.connect(self._on_progress, Qt.ConnectionType.QueuedConnection)
        self._signals.finished.connect(self._deliver_result, Qt.ConnectionType.QueuedConnection)
        self._signals.failed.connect(self._deliver_error, Qt.ConnectionType.QueuedConnection)
        self._timer: QTimer | None = None

    # -- the worker side ------------------------------------------------------------------
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def _progress(self, done: int, total: int, text: str = "") -> None:
        done, total = int(done), int(total)
        if total > _PROGRESS_SCALE:
            # Byte counts of big copies pass 2**31, which neither the signal nor QProgressDialog hold.
            done, total = done * _PROGRESS_SCALE // total, _PROGRESS_SCALE
        self._signals.progressed.emit(done, total, str(text))

    def _execute(self) -> None:
        try:
            result = self._fn(self._progress, self.cancelled)
        except BaseException as exc:  # delivered to on_error: nothing may escape a worker thread
            self._signals.failed.emit(exc)
        else:
            self._signals.finished.emit(result)

    # -- the main-thread side -------------------------------------------------------------
    def cancel(self) -> None:
        self._cancel.set()
        if self._dialog is not None:
            self._dialog.setLabelText("正在取消…")

    def _start(self) -> None:
        if self._title:
            self._timer = QTimer(self)
            self._timer.setSingleShot(True)
            self._timer.timeout.connect(self._show_dialog)
            self._timer.start(DIALOG_DELAY_MS)
        self._runnable = _Runnable(self)
        pool().start(self._runnable)

    @Slot()
    def _show_dialog(self) -> None:
        if not self.is_running:
            return
        dialog = QProgressDialog(self._title or "", "取消" if self._cancellable else "", 0, 0, self._parent)
        dialog.setWindowTitle(self._title or "请稍候")
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(0)
        dialog.setMinimumWidth(380)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        if not self._cancellable:
            dialog.setCancelButton(None)
        dialog.canceled.connect(self.cancel)
        self._dialog = dialog
        self._on_progress(*self._last_progress)
        dialog.show()

    @Slot(int, int, str)
    def _on_progress(self, done: int, total: int, text: str) -> None:
        self._last_progress = (done, total, text)
        dialog = self._dialog
        if dialog is None or self.cancelled():
            return
        dialog.setMaximum(max(total, 0))
        dialog.setValue(min(done, total) if total > 0 else 0)
        if text:
            dialog.setLabelText(text)

    def _finish(self) -> None:
        self.is_running = False
        if self._timer is not None:
            self._timer.stop()
        if self._dialog is not None:
            self._dialog.hide()
            self._dialog.deleteLater()
            self._dialog = None
        _running.discard(self)

    @Slot(object)
    def _deliver_result(self, result: object) -> None:
        self._finish()
        if self.cancelled():
            self._call_error(CancelledError())
        elif self._on_done is not None:
            self._on_done(result)

    @Slot(object)
    def _deliver_error(self, exc: object) -> None:
        self._finish()
        self._call_error(exc if isinstance(exc, BaseException) else RuntimeError(str(exc)))

    def _call_error(self, exc: BaseException) -> None:
        if self._on_error is not None:
            self._on_error(exc)
        elif not isinstance(exc, CancelledError):
            from .errors import show_error  # late: errors imports widgets this module does not need

            show_error(self._parent, exc)


def run_task(
    parent: QWidget | None,
    fn: WorkFn,
    *,
    on_done: Callable[[Any], None] | None = None,
    on_error: Callable[[BaseException], None] | None = None,
    progress_title: str | None = None,
    cancellable: bool = True,
) -> TaskHandle:
    """Run ``fn(progress, cancelled)`` off the UI thread and hand its result to ``on_done``.

    Without ``on_error`` a failure is shown to the clerk (a LedgerError's Chinese message; anything
    else as an unexpected error, logged); a cancelled task then just ends. With ``progress_title``
    a progress dialog (with 取消 when ``cancellable``) shows if the work lasts over half a second.
    """
    handle = TaskHandle(parent, fn, on_done, on_error, progress_title, cancellable)
    _running.add(handle)
    if SYNCHRONOUS:
        try:
            result = fn(handle._progress, handle.cancelled)
        except BaseException as exc:
            handle._finish()
            handle._call_error(exc)
        else:
            handle._finish()
            if on_done is not None:
                on_done(result)
        return handle
    handle._start()
    return handle
