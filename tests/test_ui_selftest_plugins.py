"""The self-test proves the GUI can start: it loads the platform plugin, not merely finds the file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QLibraryInfo

from ledger_app.ui import selftest_qt
from ledger_app.ui.selftest_qt import platform_plugin_name, plugin_problem


def real_plugins() -> Path:
    return Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.PluginsPath))


def test_the_platform_plugin_in_use_loads(qapp: Any) -> None:
    assert plugin_problem(real_plugins() / "platforms" / platform_plugin_name()) is None


def test_a_damaged_plugin_file_is_found_by_loading_it(qapp: Any, tmp_path: Path) -> None:
    fake = tmp_path / "platforms" / platform_plugin_name()
    fake.parent.mkdir()
    fake.write_bytes(b"MZ\x90\x00 quarantined by the antivirus" + b"\0" * 4096)
    problem = plugin_problem(fake)
    assert problem is not None and fake.name in problem
    assert "不存在" in (plugin_problem(tmp_path / "platforms" / "gone.dll") or "")


def test_the_self_test_fails_when_the_platform_plugin_cannot_load(
    qapp: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    broken = tmp_path / "plugins"
    (broken / "platforms").mkdir(parents=True)
    (broken / "platforms" / platform_plugin_name()).write_bytes(b"\0" * 1024)
    real = QLibraryInfo.path

    def path(which: QLibraryInfo.LibraryPath) -> str:
        return str(broken) if which == QLibraryInfo.LibraryPath.PluginsPath else real(which)

    monkeypatch.setattr(QLibraryInfo, "path", staticmethod(path))  # the class check_qt imports
    with pytest.raises(AssertionError, match="窗口插件无法加载"):
        selftest_qt.check_qt()


def test_the_plugin_named_follows_qt_qpa_platform(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    assert "qoffscreen" in platform_plugin_name()
    monkeypatch.delenv("QT_QPA_PLATFORM")
    assert any(name in platform_plugin_name() for name in ("qwindows", "qxcb", "qcocoa"))
