"""PyInstaller entry of the windowed program ``ledger-app`` (the GUI; ``--self-test`` for the checks)."""

import sys

from ledger_app.__main__ import main

if __name__ == "__main__":
    sys.exit(main())
