"""Paths as a Windows clerk sees them: Explorer's "show in folder", recent ledgers kept as chosen."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from ledger_app.ui import settings_store
from ledger_app.ui.exports.common import explorer_select_arguments


def test_show_in_folder_quotes_a_path_with_commas(qapp: object) -> None:
    args = explorer_select_arguments(Path("C:/台账/2026,11月/月报,第一批.xlsx"))
    # One quoted argument after "/select,": Explorer must not split the name at its commas.
    assert args.startswith('/select,"') and args.endswith('"')
    assert args.count('"') == 2 and "月报,第一批.xlsx" in args


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symbolic links")
def test_recent_ledgers_keep_the_path_the_clerk_chose(ui_settings: Path, tmp_path: Path) -> None:
    # A mapped drive is to Windows what a symbolic link is here: resolving it would replace the
    # clerk's Z:\\ path by the server's UNC path.
    real = tmp_path / "server" / "share"
    real.mkdir(parents=True)
    drive = tmp_path / "Z盘"
    drive.symlink_to(real, target_is_directory=True)
    chosen = drive / "台账.sqlite3"
    settings_store.add_recent_ledger(chosen)
    assert settings_store.recent_ledgers()[0] == chosen


def test_start_up_skips_a_recent_ledger_that_does_not_answer(
    ui_settings: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ledger_app.ui import app

    slow, good = tmp_path / "网络盘" / "台账.sqlite3", tmp_path / "本机.sqlite3"
    good.write_bytes(b"")
    settings_store.add_recent_ledger(good)
    settings_store.add_recent_ledger(slow)
    asked: list[Path] = []

    def exists_within(path: Path, seconds: float = 1.5) -> bool | None:
        asked.append(path)
        return None if path == slow else path.exists()

    monkeypatch.setattr(app, "exists_within", exists_within)
    assert app.initial_ledger(None) == (good, False)
    assert asked == [slow, good]
    assert slow in settings_store.recent_ledgers()  # unreachable now is not gone
