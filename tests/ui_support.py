"""Fixtures for the GUI tests: per-test QSettings, synchronous workers, recorded message boxes, the window.

Import the fixtures a test module needs: ``from tests.ui_support import boxes, sync_workers, ...``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QMessageBox

from ledger_app.services import Ledger
from ledger_app.ui import settings_store, workers


@pytest.fixture
def ui_settings(tmp_path: Path) -> Iterator[Path]:
    """QSettings in a fresh INI file: tests never touch the clerk's registry or each other."""
    path = tmp_path / "ui-settings.ini"
    settings_store.use_settings_file(path)
    yield path
    settings_store.use_settings_file(None)


@pytest.fixture
def sync_workers(monkeypatch: pytest.MonkeyPatch) -> None:
    """Background work runs at once on the test's thread (results delivered before run_task returns)."""
    monkeypatch.setattr(workers, "SYNCHRONOUS", True)


@dataclass
class Boxes:
    """Every QMessageBox shown, as (kind, title, text); ``question`` answers with ``answer``."""

    shown: list[tuple[str, str, str]] = field(default_factory=list)
    answer: QMessageBox.StandardButton = QMessageBox.StandardButton.Yes

    def texts(self, kind: str | None = None) -> list[str]:
        return [text for k, _title, text in self.shown if kind is None or k == kind]

    def recorder(self, kind: str) -> Any:
        def show(_parent: object, title: str, text: str, *_args: object, **_kwargs: object) -> Any:
            self.shown.append((kind, title, text))
            if kind == "question":
                return self.answer
            return QMessageBox.StandardButton.Ok

        return staticmethod(show)


@pytest.fixture
def boxes(monkeypatch: pytest.MonkeyPatch) -> Boxes:
    recorded = Boxes()
    for kind in ("warning", "information", "critical", "question", "about"):
        monkeypatch.setattr(QMessageBox, kind, recorded.recorder(kind))
    return recorded


@pytest.fixture
def window(
    qtbot: Any, demo_ledger: Ledger, ui_settings: Path, sync_workers: None, boxes: Boxes
) -> Iterator[Any]:
    """The real main window showing the 120-task demo ledger."""
    from ledger_app.ui.main_window import MainWindow

    win = MainWindow()
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    win.set_ledger(demo_ledger)
    yield win
    win.close()
