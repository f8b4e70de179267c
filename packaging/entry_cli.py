"""PyInstaller entry of the console program ``ledger-cli``.

A launcher rather than ``ledger_app/cli/main.py`` itself: run as a script, cli/main.py would be imported a
second time as ``ledger_app.cli.main`` by the modules that extend it, with its own copy of every global.
"""

import sys

from ledger_app.cli.main import main

if __name__ == "__main__":
    sys.exit(main())
