"""``python -m ledger_app`` and the ``ledger-app`` gui-script: the GUI (``ledger-app [--db PATH]``)."""

from __future__ import annotations

import sys


def main() -> int:
    # Imported here so ``import ledger_app`` stays free of Qt (the CLI and the tests of lower floors).
    from ledger_app.ui.app import main as run_gui

    return run_gui(sys.argv)


if __name__ == "__main__":
    sys.exit(main())
