"""Shared fixtures: offscreen Qt, and a migrated template ledger copied per test (fast)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

# Before any Qt import: tests never need a display.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from ledger_app.services import Ledger

# GUI fixtures (per-test QSettings, synchronous workers, recorded message boxes, the main window).
pytest_plugins = ["tests.ui_support"]


@pytest.fixture(scope="session")
def template_ledger(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An empty, fully migrated ledger built once per test session."""
    path = tmp_path_factory.mktemp("template") / "template.sqlite3"
    Ledger.open(path, create=True).close()
    return path


@pytest.fixture
def ledger_path(template_ledger: Path, tmp_path: Path) -> Path:
    path = tmp_path / "ledger.sqlite3"
    shutil.copyfile(template_ledger, path)
    return path


@pytest.fixture
def ledger(ledger_path: Path) -> Iterator[Ledger]:
    with Ledger.open(ledger_path, actor="测试员") as opened:
        yield opened


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 120-task demo ledger built once per session (fixed seed and date: stable content)."""
    from datetime import date

    from ledger_app.services.demo import generate_demo

    path = tmp_path_factory.mktemp("demo") / "demo.sqlite3"
    with Ledger.open(path, create=True, actor="演示") as opened:
        generate_demo(opened, tasks=120, seed=7, today=date(2026, 11, 23))
    return path


@pytest.fixture
def demo_ledger(demo_template: Path, tmp_path: Path) -> Iterator[Ledger]:
    path = tmp_path / "demo.sqlite3"
    shutil.copyfile(demo_template, path)
    with Ledger.open(path, actor="测试员") as opened:
        yield opened
