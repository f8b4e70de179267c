#!/usr/bin/env python3
"""Set up and run the project on a fresh machine (Windows or Linux), with nothing but Python.

    python dev.py run [ledger-app options]   create/refresh .venv, then start the GUI
    python dev.py test [pytest options]      create/refresh .venv, then run the whole test suite
    python dev.py cli  [ledger-cli options]  create/refresh .venv, then run the command-line tool

The virtual environment is refreshed only when pyproject.toml changed since the last install.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
STAMP = VENV / ".installed-from"


def venv_python() -> Path:
    return VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def ensure_venv(extras: str) -> Path:
    python = venv_python()
    if not python.exists():
        print(f"creating virtual environment in {VENV} …", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    want = hashlib.sha256((ROOT / "pyproject.toml").read_bytes() + extras.encode()).hexdigest()
    if not STAMP.exists() or STAMP.read_text().strip() != want:
        print("installing dependencies …", flush=True)
        pip = [str(python), "-m", "pip", "--disable-pip-version-check", "-q"]
        subprocess.run([*pip, "install", "--upgrade", "pip"], check=True)
        subprocess.run([*pip, "install", "-e", f"{ROOT}[{extras}]"], check=True)
        STAMP.write_text(want)
    return python


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in {"run", "test", "cli"}:
        print(__doc__)
        return 2
    command, rest = argv[0], argv[1:]
    # One environment for all three: alternating run and test must not reinstall it each time.
    python = str(ensure_venv("dev"))
    if command == "run":
        return subprocess.call([python, "-m", "ledger_app", *rest], cwd=ROOT)
    if command == "cli":
        return subprocess.call([python, "-m", "ledger_app.cli.main", *rest], cwd=ROOT)
    env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")}
    return subprocess.call([python, "-m", "pytest", *rest], cwd=ROOT, env=env)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
