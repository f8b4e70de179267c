"""Per-PC state of the GUI, in QSettings: every key with its default, declared here and nowhere else.

Business settings (organisation name, report titles, 临期 window) live in the ledger, so they travel
with the file; only what belongs to this PC and this clerk is kept here.
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings

ORGANIZATION = "ledger_app"
APPLICATION = "ledger_app"

WINDOW_GEOMETRY = "window/geometry"  # QByteArray from QMainWindow.saveGeometry()
WINDOW_STATE = "window/state"  # toolbars and docks
SPLITTER_STATE = "window/splitter"  # list | task panel
TASK_TABLE_HEADER = "window/taskTableHeader"  # column widths and order, sort column (QHeaderView.saveState)
TASK_TABLE_COLUMNS = "window/taskTableColumns"  # columns the clerk showed or hid: "9:1,4:0" (logical:shown)
TASK_TABLE_ROUND_PLACED = "window/taskTableRoundPlaced"  # 督察批次 was moved to the front once
RECENT_LEDGERS = "ledgers/recent"  # newest first
OPERATOR_NAME = "operator/name"  # recorded as the actor of every change made on this PC
EXPORT_FOLDER = "exports/folder"  # where the last 月报 or PDF form was saved (the next save starts there)

MAX_RECENT = 8

_settings_file: Path | None = None


def use_settings_file(path: Path | None) -> None:
    """Keep the settings in an INI file instead of the registry (tests, portable installs)."""
    global _settings_file
    _settings_file = path


def store() -> QSettings:
    if _settings_file is not None:
        return QSettings(str(_settings_file), QSettings.Format.IniFormat)
    return QSettings(QSettings.Format.NativeFormat, QSettings.Scope.UserScope, ORGANIZATION, APPLICATION)


def get_bytes(key: str) -> QByteArray | None:
    value = store().value(key)
    return value if isinstance(value, QByteArray) and not value.isEmpty() else None


def set_bytes(key: str, value: QByteArray) -> None:
    store().setValue(key, value)


# -- recent ledgers ---------------------------------------------------------------------------
def recent_ledgers() -> list[Path]:
    value = store().value(RECENT_LEDGERS, [])
    if isinstance(value, str):  # QSettings hands back a one-element list as a plain string
        value = [value]
    return [Path(v) for v in value or [] if v]


def add_recent_ledger(path: Path) -> None:
    # abspath, not resolve(): on Windows resolve() turns a mapped drive (Z:\台账) into its UNC path
    # (\\server\share\台账), which the clerk does not recognise and which fails when Z: is mapped
    # to another server on another day. The path stays as the clerk chose it.
    path = Path(os.path.abspath(path))
    items = [path, *(p for p in recent_ledgers() if p != path)][:MAX_RECENT]
    store().setValue(RECENT_LEDGERS, [str(p) for p in items])


def remove_recent_ledger(path: Path) -> None:
    items = [p for p in recent_ledgers() if p != Path(path)]
    store().setValue(RECENT_LEDGERS, [str(p) for p in items])


# -- operator -----------------------------------------------------------------------------------
def operator_name() -> str:
    """The name written into the audit log; the OS user name until the clerk sets one."""
    value = str(store().value(OPERATOR_NAME, "")).strip()
    if value:
        return value
    from ledger_app.services import default_actor  # late: start-up shows a window before services load

    return default_actor()


def set_operator_name(name: str) -> None:
    store().setValue(OPERATOR_NAME, name.strip())
