"""``ledger-cli undo`` and ``ledger-cli redo``: the same undo history the GUI's 撤销/重做 use.

The redo stack lives in the ledger (services/history.py), so a change undone in the window can be
redone here and the other way round, as long as the operator (``--actor``) is the same.
"""

from __future__ import annotations

import argparse
from typing import Any

from ledger_app.cli.common import EXIT_OK, add_db, open_ledger, write_text


def _open(args: argparse.Namespace) -> Any:
    if args.actor:
        from ledger_app.services import Ledger

        return Ledger.open(args.db, actor=args.actor)
    return open_ledger(args)


def cmd_undo(args: argparse.Namespace) -> int:
    with _open(args) as ledger:
        label = ledger.history.undo_label()
        if args.dry_run:
            write_text(f"可以撤销:{label}" if label else "没有可以撤销的操作。", None)
            return EXIT_OK
        ledger.history.undo_last()  # nothing to undo: a ValidationError, reported as exit 2 like any refusal
        write_text(f"已撤销:{label}", None)
    return EXIT_OK


def cmd_redo(args: argparse.Namespace) -> int:
    with _open(args) as ledger:
        label = ledger.history.redo_label()
        if args.dry_run:
            write_text(f"可以重做:{label}" if label else "没有可以重做的操作。", None)
            return EXIT_OK
        ledger.history.redo_last()
        write_text(f"已重做:{label}", None)
    return EXIT_OK


def register(sub: Any) -> None:
    for name, handler, what in (
        ("undo", cmd_undo, "撤销操作员的上一次修改 / undo the operator's last change"),
        ("redo", cmd_redo, "重做刚撤销的修改 / redo the change undone last"),
    ):
        p = sub.add_parser(name, help=what)
        add_db(p)
        p.add_argument("--actor", help="操作员(默认:本机登录名;与程序里的操作员相同时共用撤销记录)")
        p.add_argument("--dry-run", action="store_true", help="只显示会撤销/重做什么,不修改台账")
        p.set_defaults(handler=handler)
