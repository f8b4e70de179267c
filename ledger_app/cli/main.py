"""``ledger-cli``: the ledger from the command line. Every subcommand is a thin call into services."""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
from collections.abc import Sequence

from ledger_app.cli.common import (
    EXIT_ERROR,
    EXIT_INTERNAL,
    Parser,
)
from ledger_app.console import setup_streams
from ledger_app.domain.errors import LedgerError

log = logging.getLogger("ledger_app.cli.main")


# The command families in the order ``ledger-cli --help`` lists them; each module has ``register(sub)``.
FAMILIES = (
    "ledger_app.cli.ledger_file",  # new, demo, dump, stats, copy
    "ledger_app.cli.reports",  # export-monthly, progress-report, reminders
    "ledger_app.cli.forms",  # signoff, report, notice
    "ledger_app.cli.import_excel",  # import-excel
    "ledger_app.cli.plan",  # import-plan
    "ledger_app.cli.attachments",  # attach, evidence …
    "ledger_app.selftest",  # self-test: the installation's checks
    "ledger_app.cli.backups",  # backups, backup, restore, archive
    "ledger_app.cli.history",  # undo, redo
    "ledger_app.cli.monthly",  # distribute, collect: the monthly round with the units
)


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(prog="ledger-cli", description="整改台账命令行工具 / rectification ledger CLI")
    from ledger_app import __version__

    parser.add_argument("--version", action="version", version=f"ledger-cli {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=Parser, metavar="命令")

    for family in FAMILIES:
        importlib.import_module(family).register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    setup_streams()  # console: Unicode; file or pipe: UTF-8; never a crash on a character
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    args = build_parser().parse_args(argv)
    try:
        return int(args.handler(args))
    except LedgerError as exc:
        sys.stderr.write(f"错误:{exc.one_line()}\n")
        return EXIT_ERROR
    except KeyboardInterrupt:
        sys.stderr.write("已中断 / interrupted\n")
        return EXIT_ERROR
    except Exception as exc:
        # A full disk, a pulled USB stick, a read-only folder: the clerk's words (store/errors.py).
        from ledger_app.store.errors import storage_error

        known = storage_error(exc, getattr(args, "db", None))
        if known is not None:
            sys.stderr.write(f"错误:{known.one_line()}\n")
            return EXIT_ERROR
        # A bug: keep the traceback in the log, not on the clerk's screen.
        log.debug("internal error", exc_info=True)
        sys.stderr.write(f"内部错误,请把此信息发给维护人员:{type(exc).__name__}: {exc} / internal error\n")
        return EXIT_INTERNAL


if __name__ == "__main__":
    raise SystemExit(main())
