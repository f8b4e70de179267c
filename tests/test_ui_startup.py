"""Start-up: what is imported before the window shows, the list painted before the panel and menus are
built, and the benchmark's exit point (LEDGER_APP_BENCH_EXIT, ui/startup_probe.py). No timings here:
bench/bench_startup.py measures them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from ledger_app.services import Ledger
from ledger_app.services.demo import generate_demo
from ledger_app.ui import first_paint
from ledger_app.ui.main_window import MainWindow

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
        "                      'modules': sorted(sys.modules)}), flush=True)\n"
        "    window.ledger.close()\n"
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
    loaded = set(found["modules"])
    assert sorted(m for m in loaded if m.split(".")[0] in HEAVY) == []
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
