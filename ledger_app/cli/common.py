"""What every ``ledger-cli`` command module shares: exit codes, opening the ledger, writing text.

cli/main.py builds the parser and registers the command families (cli.attachments, cli.backups,
cli.plan …); each family module imports from here, never from cli/main.py, so no module of the CLI
imports another in a circle.
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import date
from enum import IntEnum
from pathlib import Path
from typing import Any, NoReturn

from ledger_app.console import ProgressLine
from ledger_app.domain.errors import ValidationError


class ExitCode(IntEnum):
    OK = 0
    PROBLEM_FOUND = 1  # e.g. `check` found damage, an import refused rows
    ERROR = 2  # bad arguments, missing file, refused input, a storage failure
    INTERNAL = 70  # a bug: the log has the traceback


EXIT_OK = ExitCode.OK
EXIT_PROBLEM_FOUND = ExitCode.PROBLEM_FOUND
EXIT_ERROR = ExitCode.ERROR
EXIT_INTERNAL = ExitCode.INTERNAL


class Parser(argparse.ArgumentParser):
    """Bad arguments: one line in Chinese and English, exit 2 (argparse would print English usage)."""

    def error(self, message: str) -> NoReturn:
        sys.stderr.write(f"参数错误:{message}(用 -h 查看用法) / bad arguments: {message}\n")
        raise SystemExit(EXIT_ERROR)


def day_arg(text: str) -> date:
    """Any form the app's one date parser reads (2026-12-20, 2026.12.20, 2026年12月20日, 20261220)."""
    from ledger_app.domain.dates import parse_day

    try:
        return parse_day(text)
    except ValidationError as refused:
        raise argparse.ArgumentTypeError(f"日期应写成 YYYY-MM-DD:{refused.message_zh}") from None


def month_arg(text: str) -> tuple[int, int]:
    try:
        year, month = text.split("-")
        value = (int(year), int(month))
        date(value[0], value[1], 1)
        return value
    except ValueError:
        raise argparse.ArgumentTypeError(f"月份应写成 YYYY-MM:{text}") from None


def write_text(text: str, out: Path | None) -> None:
    """To ``out`` as UTF-8, or to stdout under the output policy of ledger_app/console.py."""
    if out is None:
        sys.stdout.write(text + "\n")
        sys.stdout.flush()
    else:
        out.write_bytes((text + "\n").encode("utf-8"))


def open_ledger(
    args: argparse.Namespace, *, create: bool = False, lock: bool = True, announce: bool = False
) -> Any:
    """Open ``--db``. ``lock=False`` for commands that only read (they may run beside an open GUI);
    ``announce``: a ledger that does not exist yet is made, and the clerk is told so."""
    from ledger_app.services import Ledger
    from ledger_app.store.location import NETWORK_WARNING_EN, NETWORK_WARNING_ZH, is_network_path

    if lock and is_network_path(Path(args.db)):
        sys.stderr.write(f"注意:{NETWORK_WARNING_ZH} / warning: {NETWORK_WARNING_EN}\n")
    if announce and not Path(args.db).exists():
        ledger = Ledger.open(args.db, create=True)
        sys.stderr.write(f"已新建台账:{args.db} / created a new ledger\n")
        return ledger
    return Ledger.open(args.db, create=create, lock=lock)


def add_db(p: argparse.ArgumentParser, *, required: bool = True) -> None:
    p.add_argument("--db", type=Path, required=required, help="台账文件 (.sqlite3)")


class Progress:
    """A one-line progress indicator on stderr, only when it is a console (not in logs or pipes)."""

    def __init__(self) -> None:
        self.line = ProgressLine()
        self.last = 0.0

    def __call__(self, done: int, total: int, text: str) -> None:
        now = time.monotonic()
        if now - self.last < 0.2:
            return
        self.last = now
        percent = f"{done * 100 // total}% " if total else ""
        self.line.show(f"{percent}{text}")

    def close(self) -> None:
        self.line.clear()
