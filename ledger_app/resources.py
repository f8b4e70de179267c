"""The one place that knows where bundled files live: the package folder, or the PyInstaller bundle."""

from __future__ import annotations

import sys
from pathlib import Path


def app_root() -> Path:
    """Folder holding ``ledger_app/``, ``resources/`` and ``forms/``: the source tree or the bundle."""
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        return Path(frozen_root)
    return Path(__file__).resolve().parent.parent


def resource_path(*parts: str) -> Path:
    """A file under ``resources/`` (fonts, icons, style sheet, templates)."""
    return app_root().joinpath("resources", *parts)


def form_path(name: str) -> Path:
    """A Qt Designer file under ``forms/``."""
    return app_root() / "forms" / name


def migrations_path() -> Path:
    """alembic loads migration scripts by file path, so they ship as data in the bundle."""
    return app_root() / "ledger_app" / "store" / "migrations"
