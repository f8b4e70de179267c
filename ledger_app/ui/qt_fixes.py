"""Work-arounds for bugs of the Qt binding, applied once when ``ledger_app.ui`` is imported.

PySide6 6.12.0 (shiboken6 6.12.0) hands back two singletons without taking a reference to them:
``None`` from every method that returns nothing (``setText``, ``beginFilterChange``, ``QTimer.start``…)
and ``True`` from ``SignalInstance.emit()``. Each such call drops one reference. On Python 3.11,
where these singletons are not immortal, their counts (a few thousand) reach zero after a few
minutes of clicking and the interpreter aborts with "Fatal Python error: none_dealloc" (or
``bool_dealloc``). Measured here: -1 per call; PySide6 6.11.3 does not have the bug.

The fix gives the affected singletons a reference reserve far larger than any session can spend.
It acts only when a probe shows the leak, and never on Python 3.12+ (immortal singletons).
"""

from __future__ import annotations

import ctypes
import sys

_RESERVE = 1 << 40  # a trillion calls
_PROBES = 20


def _leaks(singleton: object, call: object) -> bool:
    before = sys.getrefcount(singleton)
    for _ in range(_PROBES):
        call()  # type: ignore[operator]
    return sys.getrefcount(singleton) <= before - _PROBES


def leaking_singletons() -> list[object]:
    """Which of None / True / False the installed binding leaks."""
    from PySide6.QtCore import QObject, Signal

    class _Probe(QObject):
        ping = Signal()

    probe = _Probe()
    found: list[object] = []
    if _leaks(None, lambda: probe.setObjectName("probe")):
        found.append(None)
    if _leaks(True, probe.ping.emit):
        found.extend([True, False])  # False too: the same code path may hand it out
    return found


def apply() -> list[object]:
    """Pad the reference counts of the leaked singletons; returns the ones padded."""
    if sys.version_info >= (3, 12):  # immortal singletons: a lost reference is harmless
        return []
    padded = leaking_singletons()
    for singleton in padded:
        # ob_refcnt is the first field of every CPython object.
        ctypes.c_ssize_t.from_address(id(singleton)).value += _RESERVE
    return padded


PADDED = apply()
