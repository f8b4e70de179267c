"""``ledger-cli import-plan``: read a rectification plan (.txt / .docx) into the ledger.

Registered in ``cli.main.FAMILIES``; a thin call into ``ledger.imports.read_plan`` / ``import_plan``, the
same calls the GUI dialog makes.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from ledger_app.cli.common import (
    EXIT_ERROR,
    EXIT_OK,
    EXIT_PROBLEM_FOUND,
    Progress,
    add_db,
    open_ledger,
    write_text,
)


def cmd_import_plan(args: argparse.Namespace) -> int:
    from ledger_app.io.plan import PlanRefused, read_plan
    from ledger_app.services.importing import result_lines
    from ledger_app.services.plan_import import RESULT_SOURCE

    reading = None
    try:
        if not Path(args.db).exists():
            # Refuse a bad file before a new ledger is made for it; a new ledger knows no units anyway.
            reading = read_plan(args.file)
        with open_ledger(args, announce=True) as ledger:
            if reading is None:
                reading = ledger.imports.read_plan(path=args.file)
            result = None
            fresh = ledger.imports.new_units(reading)
            if reading.tasks:
                progress = Progress()
                try:
                    result = ledger.imports.import_plan(
                        reading, target=args.round, dry_run=args.dry_run, progress=progress
                    )
                finally:
                    progress.close()
    except PlanRefused as refused:
        # The clerk's file, not the tool, is at fault: one line, the exit of refused input, ledger untouched.
        sys.stderr.write(f"错误:{refused.one_line()}\n")
        return EXIT_ERROR
    if args.json:
        payload: dict[str, Any] = {
            "plan": reading.to_json(),
            "new_units": fresh,
            "result": result.to_json() if result else None,
        }
        write_text(json.dumps(payload, ensure_ascii=False, indent=2), None)
    else:
        out = reading.describe()
        if fresh:
            out.append(f"单位名录中还没有的单位 {len(fresh)} 个(导入时新增,请核对):" + "、".join(fresh))
        if result is not None:
            out += ["", *result_lines(result, source=RESULT_SOURCE)]
        else:
            out += ["", "没有可以导入的任务,台账未做任何修改。"]
        write_text("\n".join(out), None)
    return EXIT_PROBLEM_FOUND if reading.issues or result is None else EXIT_OK


def register(sub: Any) -> None:
    p = sub.add_parser(
        "import-plan", help="导入整改方案(.txt / .docx)/ import a rectification plan into the ledger"
    )
    p.add_argument("file", type=Path, help="整改方案或整改措施清单:.txt(UTF-8 或 GB18030)或 .docx")
    add_db(p)
    p.add_argument("--round", help="导入到哪个督察批次(已有的或新建的;默认按方案标题判断)")
    p.add_argument("--dry-run", action="store_true", help="只试运行并报告,不修改台账")
    p.add_argument("--json", action="store_true", help="以 JSON 输出报告")
    p.set_defaults(handler=cmd_import_plan)
