"""``ledger-cli import-excel``: an office's Excel ledger into this one, all or nothing, with a report
of every refused row."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from ledger_app.cli.common import EXIT_OK, EXIT_PROBLEM_FOUND, add_db, day_arg, open_ledger, write_text
from ledger_app.io.import_plan import FIELD_LABELS


def _plan_text(plan: Any) -> list[str]:
    summary = plan.summary
    lines = [
        f"文件:{plan.path}  工作表:{plan.sheet}  表头行:{'、'.join(map(str, plan.header_rows))}",
        "识别的列:"
        + ";".join(f"{c.letter}「{c.header}」→{FIELD_LABELS.get(c.field, c.field)}" for c in plan.columns),
    ]
    if plan.unmapped:
        lines.append(
            "未识别的列(内容记入备注):" + ";".join(f"{c.letter}「{c.header}」" for c in plan.unmapped)
        )
    lines.append(
        f"任务 {summary.tasks} 项,措施 {summary.measures} 条,单位 {summary.units} 个;"
        f"整改时限识别 {summary.deadlines_parsed} 项,未能识别 {summary.deadlines_not_understood} 项,"
        f"空白 {summary.deadlines_empty} 项;拒收 {summary.refused_rows} 行,提示 {summary.warnings} 条。"
    )
    if summary.status_map:
        lines.append(
            "状态对照:"
            + ";".join(f"「{s.raw or '(空)'}」→{s.status.label} {s.count} 项" for s in summary.status_map)
        )
    for issue in plan.issues:
        where = f"{issue.sheet} 第{issue.row}行" if issue.row else issue.sheet
        where += f" {issue.column}列" if issue.column else ""
        kind = "拒收" if issue.severity == "refused" else "提示"
        lines.append(f"  [{kind}] {where}:{issue.reason_zh}")
    return lines


def cmd_import_excel(args: argparse.Namespace) -> int:
    from ledger_app.gcpause import gc_paused
    from ledger_app.services.importing import progress_day, result_lines

    # The cycle collector paused for the whole command, not per step: each step leaves a million
    # objects (no cycles among them) that the next step's collections would walk again (~0.1 s).
    with gc_paused(), open_ledger(args, announce=True) as ledger:
        plan = ledger.imports.read_workbook(args.file, sheet=args.sheet)
        day = progress_day(plan, args.progress_date)
        # Section rows may name each task's round (the monthly report of several rounds does); the
        # round given, or the service's guess from the title, takes the tasks they do not.
        result = ledger.imports.import_workbook(
            plan,
            target=args.round,
            progress_date=day,
            dry_run=args.dry_run,
            confirm_future=args.allow_future,
        )
    if args.progress_date is not None:
        source = "--progress-date 指定"
    elif plan.report_date is not None:
        source = plan.report_date.describe()
    else:
        source = "表中没有找到填报时间,按今天"
    if args.json:
        dated = {"date": day.isoformat(), "source": source}
        write_text(
            json.dumps(
                {"plan": plan.to_json(), "progress_date": dated, "result": result.to_json()},
                ensure_ascii=False,
                indent=2,
            ),
            None,
        )
    else:
        date_line = f"进展日期:{day.isoformat()}({source};“整改进展”列中没有写日期的文字记为这一天的进展)"
        write_text("\n".join([*_plan_text(plan), date_line, "", *result_lines(result)]), None)
    return EXIT_PROBLEM_FOUND if plan.refused else EXIT_OK


def register(sub: Any) -> None:
    p = sub.add_parser("import-excel", help="导入 Excel 台账 / import an office's Excel ledger")
    p.add_argument("file", type=Path, help=".xlsx / .xlsm / .xls 文件")
    add_db(p)
    p.add_argument(
        "--round",
        help="导入到这个督察批次(没有则新建);默认按表格标题判断。分组行写明批次的任务(多批次月报)导入到各自的批次",
    )
    p.add_argument("--sheet", help="工作表名称(默认自动选择最像台账的工作表)")
    p.add_argument(
        "--progress-date",
        type=day_arg,
        help="“整改进展”列内容记为哪天的进展(默认表中的填报时间,没有则今天;已写明日期的进展按其日期)",
    )
    p.add_argument(
        "--allow-future",
        action="store_true",
        help="确认导入晚于今天的进展日期(最多一个月之后;更晚的一律拒绝)",
    )
    p.add_argument("--dry-run", action="store_true", help="只试运行并报告,不修改台账")
    p.add_argument("--json", action="store_true", help="以 JSON 输出报告")
    p.set_defaults(handler=cmd_import_excel)
