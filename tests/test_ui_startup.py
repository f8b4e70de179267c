"""Start-up: what is imported before the window shows, the list painted before SQLAlchemy, the Ledger,
the panel and the menus, and the benchmark's exit point (LEDGER_APP_BENCH_EXIT, ui/startup_probe.py).
No timings here: bench/bench_startup.py measures them."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox

from ledger_app.services import Ledger
from ledger_app.services.demo import generate_demo
from ledger_app.store.lock import lock_path, read_holder
from ledger_app.ui import first_paint, ledger_files
from ledger_app.ui.main_window import MainWindow
from tests.test_ui_ledger_sharing import lock_by_another_pc

HEAVY = ("openpyxl", "reportlab", "PIL", "python_calamine", "alembic", "pypdfium2")


def child_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", **extra)
    for var in ("XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_DATA_HOME"):
        env[var] = str(tmp_path / var.lower())  # the clerk's settings and logs stay untouched
    return env


def run_child(code: str, tmp_path: Path, *args: str, **extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output=True,
        text=True,
        env=child_env(tmp_path, **extra),
        timeout=120,
        check=False,
    )


@pytest.fixture
def demo_path(tmp_path: Path) -> Path:
    path = tmp_path / "demo.sqlite3"
    with Ledger.open(path, create=True, actor="测试员") as ledger:
        generate_demo(ledger, tasks=30, seed=3)
    return path


def test_entry_point_modules_import_nothing_heavy(tmp_path: Path) -> None:
    # What the gui-script and ``python -m`` import before the splash: Qt and the start-up code only.
    code = (
        "import sys, json\n"
        "import ledger_app.__main__, ledger_app.ui.app\n"
        "print(json.dumps(sorted(sys.modules)))\n"
    )
    done = run_child(code, tmp_path)
    assert done.returncode == 0, done.stderr
    loaded = set(json.loads(done.stdout))
    assert "ledger_app.ui.app" in loaded
    heavy = sorted(m for m in loaded if m.split(".")[0] in (*HEAVY, "sqlalchemy"))
    assert heavy == []
    assert not {"ledger_app.services", "ledger_app.ui.main_window"} & loaded


def test_nothing_heavy_is_imported_before_the_list_is_painted(tmp_path: Path, demo_path: Path) -> None:
    # The whole start-up through ui.app.main, stopped at the list's first paint: the modules loaded
    # by then (the task panel and the feature menus come after that paint).
    code = (
        "import json, os, sys\n"
        "from ledger_app.ui import startup_probe\n"
        "def finish(window=None):\n"
        "    print(json.dumps({'rows': window.model.rowCount(), 'panel': window.panel is not None,\n"
        "                      'ledger': window.ledger is not None, 'modules': sorted(sys.modules)}),\n"
        "          flush=True)\n"
        "    if window.first_read is not None:\n"
        "        window.first_read.release()\n"
        "    if window.ledger is not None:\n"
        "        window.ledger.close()\n"
        "    os._exit(0)\n"
        "startup_probe.finish = finish\n"
        "from ledger_app.ui.app import main\n"
        "main(['ledger-app', '--db', sys.argv[1]])\n"
    )
    done = run_child(code, tmp_path, str(demo_path), LEDGER_APP_BENCH_EXIT="1")
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout.strip().splitlines()[-1])
    assert found["rows"] == 30
    assert found["panel"] is False  # built right after this paint
    assert found["ledger"] is False  # the list was read with sqlite3 alone (services/first_read.py)…
    loaded = set(found["modules"])
    assert sorted(m for m in loaded if m.split(".")[0] in (*HEAVY, "sqlalchemy")) == []  # …before this
    assert "ledger_app.store.models" not in loaded
    assert "ledger_app.ui.task_panel" not in loaded
    assert "ledger_app.ui.import_wizard" not in loaded


@pytest.mark.parametrize("mode", ["1", "ready"])
def test_bench_exit_flag_prints_marks_and_exits(tmp_path: Path, demo_path: Path, mode: str) -> None:
    code = "import sys\nfrom ledger_app.__main__ import main\nsys.argv[1:] = ['--db', sys.argv[1]]\nmain()\n"
    done = run_child(code, tmp_path, str(demo_path), LEDGER_APP_BENCH_EXIT=mode)
    assert done.returncode == 0, done.stderr
    marks = json.loads(done.stdout.strip().splitlines()[-1])
    assert marks["rows"] == 30
    assert 0 < marks["splash_painted"] <= marks["window_painted"] <= marks["list_painted"]
    assert marks["panel"] is (mode == "ready")
    if mode == "ready":
        assert marks["ready"] >= marks["list_painted"]
    # The ledger's lock was given back: the next start finds no stale one.
    assert not list(tmp_path.glob("demo.sqlite3.lock"))


def test_without_the_flag_the_probe_does_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    from ledger_app.ui import startup_probe

    monkeypatch.delenv(startup_probe.ENV_VAR, raising=False)
    startup_probe.mark("never")
    assert not startup_probe.enabled()
    assert "never" not in startup_probe._marks
    monkeypatch.setenv(startup_probe.ENV_VAR, "yes please")  # only "1" and "ready" switch it on
    assert not startup_probe.enabled()


def test_panel_and_late_work_follow_the_first_paint(
    qtbot, ui_settings, sync_workers, demo_path: Path
) -> None:
    window = MainWindow()
    qtbot.addWidget(window)
    window.defer_panel = True
    later: list[str] = []
    first_paint.after_list_painted(window, lambda: later.append("menus"))
    window.show()
    window.set_ledger(Ledger.open(demo_path, actor="测试员"))
    assert window.model.rowCount() == 30
    assert window.panel is None and later == []  # nothing before the list is on screen
    assert not window.proxy._texts  # the search index too is built after the paint
    qtbot.waitUntil(lambda: window.panel is not None and later == ["menus"], timeout=5000)
    # The panel shows the task the list selected meanwhile, and is no longer waited for.
    assert window.panel is not None
    assert window.panel.task_id is not None
    assert window.panel.task_id == window.proxy.task_id_at(window.table.currentIndex().row())
    qtbot.waitUntil(lambda: bool(window.proxy._texts), timeout=5000)  # the search index
    assert not first_paint.waiting_for_first_paint(window)
    first_paint.after_list_painted(window, lambda: later.append("again"))
    qtbot.waitUntil(lambda: later == ["menus", "again"], timeout=5000)


def test_no_ledger_runs_the_waiting_work_at_once(qtbot, ui_settings) -> None:
    window = MainWindow()
    qtbot.addWidget(window)
    later: list[str] = []
    first_paint.after_list_painted(window, lambda: later.append("menus"))
    assert first_paint.waiting_for_first_paint(window)
    first_paint.run_pending(window)
    assert later == ["menus"]
    assert not first_paint.waiting_for_first_paint(window)


def test_a_window_built_without_the_start_up_order_has_its_panel_at_once(
    qtbot, ui_settings, sync_workers, demo_path: Path
) -> None:
    window = MainWindow()
    qtbot.addWidget(window)
    window.set_ledger(Ledger.open(demo_path, actor="测试员"))
    assert window.panel is not None
    assert window.proxy._texts


@pytest.fixture
def start_window(qtbot, ui_settings, sync_workers) -> MainWindow:
    """The main window as ui/app.py sets it up, before a ledger is opened."""
    window = MainWindow()
    qtbot.addWidget(window)
    window.defer_panel = True
    window.show()
    return window


def test_start_up_shows_the_first_read_then_opens_the_ledger_after_the_paint(
    qtbot, start_window: MainWindow, demo_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(first_paint, "FALLBACK_MS", 600_000)  # the paint, not the fallback, opens it
    window = start_window
    opened: list[Ledger] = []
    window.ledgerOpened.connect(opened.append)
    expected = Ledger.open(demo_path, actor="测试员")
    try:
        rows = expected.queries.list_tasks()
        rounds = expected.directory.list_rounds()
    finally:
        expected.close()
    assert window.open_at_start(demo_path)
    # The list, the filter bar and the title at once; the Ledger not yet, the lock already.
    assert window.ledger is None and window.first_read is not None
    assert not any(a.isEnabled() for a in window._ledger_actions)
    assert [window.model.rows[i].id for i in range(window.model.rowCount())] == [r.id for r in rows]
    assert window.filter_bar.round_combo.count() == len(rounds) + 1
    assert demo_path.name in window.windowTitle()
    holder = read_holder(demo_path)
    assert holder is not None and holder.pid == os.getpid()
    qtbot.waitUntil(lambda: window.ledger is not None and window.panel is not None, timeout=5000)
    assert window.first_read is None
    assert opened == [window.ledger]
    assert read_holder(demo_path) == holder  # the Ledger took over the same lock
    assert window.panel.task_id == window.proxy.task_id_at(window.table.currentIndex().row())
    qtbot.waitUntil(lambda: bool(window.proxy._texts), timeout=5000)  # the search index
    assert window._ledger_actions and all(a.isEnabled() for a in window._ledger_actions)
    window.close()
    assert not lock_path(demo_path).exists()


def test_closing_before_the_ledger_opened_gives_the_lock_back(
    start_window: MainWindow, demo_path: Path
) -> None:
    assert start_window.open_at_start(demo_path)
    assert start_window.first_read is not None
    start_window.close()
    assert start_window.first_read is None and start_window.ledger is None
    assert not lock_path(demo_path).exists()


def test_a_ledger_held_elsewhere_asks_the_read_only_question_at_start_up(
    start_window: MainWindow, boxes, demo_path: Path
) -> None:
    lock_by_another_pc(demo_path)
    boxes.answer = QMessageBox.StandardButton.Yes
    assert start_window.open_at_start(demo_path)
    question = boxes.texts("question")[-1]
    assert "李四" in question and "只读" in question
    assert start_window.ledger is not None and start_window.ledger.read_only
    assert start_window.first_read is None
    assert start_window.windowTitle().startswith("[只读]")


def test_a_newer_ledger_takes_the_ordinary_path_and_its_refusal_at_start_up(
    start_window: MainWindow, demo_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    conn = sqlite3.connect(demo_path)
    conn.execute("UPDATE alembic_version SET version_num = '9999'")  # from a newer release: refused
    conn.commit()
    conn.close()
    asked: list[str] = []
    monkeypatch.setattr(
        ledger_files, "ask_alternative", lambda _parent, message: asked.append(message) or "cancel"
    )
    assert not start_window.open_at_start(demo_path)
    assert asked and "更新版本" in asked[0]
    assert start_window.first_read is None and start_window.ledger is None
    assert not lock_path(demo_path).exists()


def test_the_work_after_the_paint_leaves_room_for_the_clerk_between_pieces(qtbot, ui_settings) -> None:
    """One piece of deferred work per turn of the event loop, a failing one not stopping the rest."""
    from PySide6.QtCore import QTimer

    window = MainWindow()
    qtbot.addWidget(window)
    done: list[str] = []
    clicks: list[str] = []

    def first() -> None:
        done.append("ledger")
        QTimer.singleShot(0, lambda: clicks.append(f"click after {len(done)}"))  # the clerk clicks now

    def broken() -> None:
        done.append("broken")
        raise RuntimeError("a feature that fails to install")

    first_paint.after_list_painted(window, lambda: done.append("ready"), last=True)
    for callback in (first, broken, lambda: done.append("menus")):
        first_paint.after_list_painted(window, callback)
    with qtbot.capture_exceptions() as raised:  # what the excepthook would show the clerk
        first_paint.start_waiting(window)._run()
        qtbot.waitUntil(lambda: done == ["ledger", "broken", "menus", "ready"], timeout=3000)
    assert [str(e[1]) for e in raised] == ["a feature that fails to install"]
    assert clicks == ["click after 1"]  # handled before the next piece of work, not after all of it
