"""The Qt binding itself: a release that mishandles references aborts the app mid-session."""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QLabel, QWidget


class _Emitter(QObject):
    fired = Signal(bool)


def test_void_qt_calls_keep_none_alive(qapp: object) -> None:
    # PySide6 6.12.0 on CPython 3.11 dropped one reference to None per call of a method returning
    # nothing; a clerk's session makes thousands of such calls before Python aborts.
    label, widget = QLabel(), QWidget()
    before = sys.getrefcount(None)
    for _ in range(500):
        label.setText("整改")
        widget.setEnabled(True)
    assert sys.getrefcount(None) - before >= -5


def test_emits_keep_true_alive(qapp: object) -> None:
    emitter = _Emitter()
    emitter.fired.connect(lambda _flag: None)
    before = sys.getrefcount(True)
    for _ in range(500):
        emitter.fired.emit(True)
    assert sys.getrefcount(True) - before >= -5
