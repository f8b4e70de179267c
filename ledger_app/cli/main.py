"""``ledger-cli``: the ledger from the command line. Every subcommand is a thin call into services."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from ledger_app.cli.common import (
    EXIT_ERROR,
    EXIT_INTERNAL,
    EXIT_OK,
    EXIT_PROBLEM_FOUND,
    Parser,
    Progress,
    add_db,
    day_arg,
    month_arg,
    open_ledger,
    write_text,
)
from ledger_app.console import setup_streams
from ledger_app.domain.errors import LedgerError, ValidationError
from ledger_app.io.import_plan import FIELD_LABELS

log = logging.getLogger("ledger_app.cli.main")


# -- subcommands -------------------------------------------------------------------------------
def cmd_new(args: argparse.Namespace) -> int:
    from ledger_app.services import Ledger

    if args.db.exists():
        raise ValidationError(
            f"文件已存在,未做任何更改:{args.db}(新建台账只写入新文件)",
            f"{args.db} exists; nothing was changed",
        )
    with Ledger.open(args.db, create=True):
        pass
    write_text(f"已新建空台账:{args.db} / created an empty ledger", None)
    return EXIT_OK


def cmd_demo(args: argparse.Namespace) -> int:
    from ledger_app.services.demo import generate_demo

    if args.db.exists() and args.db.stat().st_size > 0 and not args.force:
        raise ValidationError(
            f"文件已存在:{args.db}(演示数据只写入新台账;确需覆盖请加 --force)",
            f"{args.db} exists; use --force to replace it",
        )
    if args.db.exists() and args.force:
        args.db.unlink()
    existed = args.db.exists()
    try:
        with open_ledger(args, create=True) as ledger:
            counts = generate_demo(ledger, tasks=args.tasks, seed=args.seed)
    except BaseException:
        # Refused (--tasks 0) or interrupted: a half-made ledger left behind would make the next try fail.
        if not existed:
            args.db.unlink(missing_ok=True)
        raise
    print(
        f"已生成演示台账 {args.db}:任务 {counts['tasks']} 项,措施 {counts['measures']} 条,"
        f"进展 {counts['progress']} 条,已销号 {counts['closed']} 项。"
    )
    return EXIT_OK


def cmd_dump(args: argparse.Namespace) -> int:
    from ledger_app.io.dump import ledger_to_dict

    today = args.today or date.today()
    with open_ledger(args, lock=False) as ledger:
        data = ledger_to_dict(ledger.round_records(today=today), today=today)
    write_text(json.dumps(data, ensure_ascii=False, indent=2), args.output)
    return EXIT_OK


def _stats_text(stats: Any, sentence: str) -> str:
    from ledger_app.domain.model import ScheduleFlag, TaskStatus
    from ledger_app.domain.stats import percent

    t = stats.total
    lines = [
        f"任务总数 {t.total} 项:已完成 {t.completed} 项,已销号 {t.closed} 项,未完成 {t.open} 项。",
        f"整改率 {percent(t.rectification_rate)},销号率 {percent(t.close_out_rate)}。",
        "",
        "按状态:" + ",".join(f"{s.label} {stats.by_status.get(s, 0)}" for s in TaskStatus),
        "按进度:" + ",".join(f"{f.label} {stats.by_schedule.get(f, 0)}" for f in ScheduleFlag),
        "",
        "按督察批次:",
    ]
    for name, tally in stats.by_round.items():
        lines.append(
            f"  {name}:{tally.total} 项,已完成 {tally.completed},已销号 {tally.closed},滞后 {tally.lagging},"
            f"整改率 {percent(tally.rectification_rate)},销号率 {percent(tally.close_out_rate)}"
        )
    lines += ["", "按牵头(责任)单位:"]
    for name, tally in stats.by_unit.items():
        lines.append(
            f"  {name}:{tally.total} 项,已完成 {tally.completed},已销号 {tally.closed},滞后 {tally.lagging}"
        )
    lines += ["", sentence]
    return "\n".join(lines)


def cmd_stats(args: argparse.Namespace) -> int:
    from ledger_app.cli.reports import ranking_lines, save_charts

    # One call for the figures, the ranking and the charts: the overview page and the report make it too.
    with open_ledger(args, lock=False) as ledger:
        overview = ledger.overview(round_name=args.round, today=args.today)
    stats, sentence = overview.stats, overview.summary
    charts = save_charts(overview, args.chart_dir) if args.chart_dir else []
    if args.json:
        data = {
            "as_of": overview.as_of.isoformat(),
            **stats.as_dict(),
            "summary": sentence,
            "overview": overview.as_dict(),  # ranking, petitions by batch, months (issue 21)
        }
        if args.chart_dir:
            data["charts"] = [str(p) for p in charts]
        write_text(json.dumps(data, ensure_ascii=False, indent=2), None)
    else:
        # The ranking before the summary sentence, which stays the last line (scripts read it there).
        figures = _stats_text(stats, sentence).rpartition("\n")[0]
        lines = [figures, *ranking_lines(overview), "", *(f"图表已保存:{p}" for p in charts), sentence]
        write_text("\n".join(lines), None)
    return EXIT_OK


def cmd_export_monthly(args: argparse.Namespace) -> int:
    from ledger_app.services.reports import parse_status

    year, month = args.month
    statuses = [parse_status(text) for text in args.status or []]
    out = args.output
    if out.suffix.lower() != ".xlsx":
        raise ValidationError(f"输出文件应以 .xlsx 结尾:{out}", f"output must be .xlsx: {out}")
    with open_ledger(args, lock=False) as ledger:
        charts = None
        if args.charts:
            from ledger_app.cli.reports import save_charts as charts  # Qt, headless: only with --charts
        warnings = ledger.export_monthly_report(
            out,
            year=year,
            month=month,
            round_name=args.round,
            unit=args.unit,
            statuses=statuses,
            chart_images=charts,
        )
    for line in warnings:
        sys.stderr.write(f"注意:{line}\n")
    print(f"已导出 {year}年{month}月 月报:{out}")
    return EXIT_OK


def _pdf_output(path: Path) -> Path:
    if path.suffix.lower() != ".pdf":
        raise ValidationError(f"输出文件应以 .pdf 结尾:{path}", f"output must be .pdf: {path}")
    return path


def _section(args: argparse.Namespace) -> Any:
    from ledger_app.services.forms import parse_section

    return parse_section(args.section) if args.section else None


def cmd_signoff(args: argparse.Namespace) -> int:
    out = _pdf_output(args.output)
    with open_ledger(args) as ledger:
        if args.closed_in:
            ids = ledger.tasks_closed_in(*args.closed_in)
            if not ids:
                year, month = args.closed_in
                raise ValidationError(
                    f"{year}年{month}月没有销号的任务。", f"no task closed in {year}-{month:02d}"
                )
        else:
            ids = [ledger.resolve_task(args.task, round_name=args.round, section=_section(args))]
        count = ledger.write_signoff_forms(ids, out, progress_choice=args.progress)
    print(f"已生成销号审批表 {count} 份:{out}")
    return EXIT_OK


def cmd_report(args: argparse.Namespace) -> int:
    out = _pdf_output(args.output)
    with open_ledger(args, lock=False) as ledger:
        task_id = ledger.resolve_task(args.task, round_name=args.round, section=_section(args))
        ledger.write_evaluation_reports([task_id], out)
    print(f"已生成整改任务销号评估报告:{out}")
    return EXIT_OK


def cmd_notice(args: argparse.Namespace) -> int:
    from ledger_app.services.forms import parse_notice_kind

    out = _pdf_output(args.output)
    kind = parse_notice_kind(args.kind)
    with open_ledger(args) as ledger:
        issued = ledger.issue_unit_notice(
            unit=args.unit, kind=kind, out=out, issued_on=args.date, reply_by=args.reply_by
        )
    print(f"已生成{kind.label} {issued.number}({issued.unit},{issued.task_count} 项任务):{out}")
    return EXIT_OK


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
    from ledger_app.io.excel_in.workbook import read_ledger_workbook
    from ledger_app.services.import_rounds import default_target
    from ledger_app.services.importing import result_lines

    # The cycle collector paused for the whole command, not per step: each step leaves a million
    # objects (no cycles among them) that the next step's collections would walk again (~0.1 s).
    with gc_paused(), open_ledger(args, announce=True) as ledger:
        known = [u.name for u in ledger.list_units()]
        plan = read_ledger_workbook(args.file, sheet=args.sheet, known_units=known)
        # Section rows may name each task's round (the monthly report of several rounds does); the
        # round given or guessed from the title takes the tasks they do not.
        target = default_target(plan, ledger.list_rounds(), args.round)
        # Undated progress text is dated as --progress-date says, else as the sheet's own 填报 date.
        found = plan.report_date
        if args.progress_date is not None:
            day, source = args.progress_date, "--progress-date 指定"
        elif found is not None:
            day, source = found.day, found.describe()
        else:
            day, source = date.today(), "表中没有找到填报时间,按今天"
        records = plan.records(progress_date=day)
        result = ledger.import_records(
            records,
            source=str(args.file),
            dry_run=args.dry_run,
            confirm_future=args.allow_future,
            **target,
        )
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


def cmd_copy(args: argparse.Namespace) -> int:

    dest: Path = args.dest
    if dest.suffix.lower() not in (".sqlite3", ".db"):
        raise ValidationError(
            f"副本文件应以 .sqlite3(或 .db)结尾:{dest}", f"the copy must end in .sqlite3: {dest}"
        )
    progress = Progress()
    with open_ledger(args, lock=False) as ledger:
        try:
            copy = ledger.save_copy(dest, overwrite=args.force, progress=progress)
        finally:
            progress.close()
    write_text(copy.summary(), None)
    return EXIT_OK if copy.ok else EXIT_PROBLEM_FOUND


# -- the parser --------------------------------------------------------------------------------
Handler = Callable[[argparse.Namespace], int]


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(prog="ledger-cli", description="整改台账命令行工具 / rectification ledger CLI")
    from ledger_app import __version__

    parser.add_argument("--version", action="version", version=f"ledger-cli {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=Parser, metavar="命令")

    p = sub.add_parser("new", help="新建一个空台账 / make an empty ledger")
    add_db(p)
    p.set_defaults(handler=cmd_new)

    p = sub.add_parser("demo", help="生成演示台账 / build a synthetic demo ledger")
    add_db(p)
    p.add_argument("--tasks", type=int, default=300, help="任务数量(默认 300)")
    p.add_argument("--seed", type=int, default=1, help="随机种子,同一种子生成同一台账")
    p.add_argument("--force", action="store_true", help="覆盖已存在的文件")
    p.set_defaults(handler=cmd_demo)

    p = sub.add_parser("dump", help="整个台账导出为 JSON / the whole ledger as JSON")
    add_db(p)
    p.add_argument("--today", type=day_arg, help="按此日期计算进度(默认今天)")
    p.add_argument("-o", "--output", type=Path, help="写入文件(UTF-8),默认输出到屏幕")
    p.set_defaults(handler=cmd_dump)

    p = sub.add_parser("stats", help="统计:总数、按状态/进度/单位/批次、整改率、销号率")
    add_db(p)
    p.add_argument("--today", type=day_arg, help="按此日期计算进度(默认今天)")
    p.add_argument("--json", action="store_true", help="输出 JSON")
    p.add_argument("--round", help="只统计此督察批次(名称)")
    p.add_argument("--chart-dir", type=Path, help="把两张图表保存为 PNG 到此文件夹")
    p.set_defaults(handler=cmd_stats)

    p = sub.add_parser("export-monthly", help="导出月报 Excel / the monthly report workbook")
    add_db(p)
    p.add_argument("--month", type=month_arg, required=True, help="报告月份 YYYY-MM")
    p.add_argument("--round", help="只导出这个督察批次")
    p.add_argument("--unit", help="只导出这个单位牵头或参与的任务")
    p.add_argument("--status", action="append", help="只导出这些状态(可重复;如 整改中 或 in-progress)")
    p.add_argument("-o", "--output", type=Path, required=True, help="输出 .xlsx 文件")
    p.add_argument("--charts", action="store_true", help="在“统计”表中插入两张图表(同 stats --chart-dir)")
    p.set_defaults(handler=cmd_export_monthly)

    p = sub.add_parser("signoff", help="打印销号审批表 PDF / sign-off forms")
    add_db(p)
    which = p.add_mutually_exclusive_group(required=True)
    which.add_argument("--task", help="任务序号")
    which.add_argument("--closed-in", type=month_arg, help="这个月(YYYY-MM)销号的全部任务,合成一个 PDF")
    p.add_argument("--round", help="督察批次名称(序号重复时用来区分)")
    p.add_argument("--section", help="反馈问题 / 交办信访件 / 自查问题(序号重复时用来区分)")
    p.add_argument(
        "--progress",
        choices=("all", "latest"),
        default="all",
        help="整改落实情况:all 全部进展按日期汇总(默认),latest 只用最新一次进展",
    )
    p.add_argument("-o", "--output", type=Path, required=True, help="输出 .pdf 文件")
    p.set_defaults(handler=cmd_signoff)

    p = sub.add_parser("report", help="整改任务销号评估报告 PDF / evaluation report")
    add_db(p)
    p.add_argument("--task", required=True, help="任务序号")
    p.add_argument("--round", help="督察批次名称")
    p.add_argument("--section", help="反馈问题 / 交办信访件 / 自查问题")
    p.add_argument("-o", "--output", type=Path, required=True, help="输出 .pdf 文件")
    p.set_defaults(handler=cmd_report)

    p = sub.add_parser("notice", help="督办单 / 提醒函 PDF for a unit")
    add_db(p)
    p.add_argument("--unit", required=True, help="单位名称")
    p.add_argument("--kind", required=True, help="督办 或 提醒")
    p.add_argument("--date", type=day_arg, help="发文日期(默认今天)")
    p.add_argument("--reply-by", type=day_arg, help="回复期限(默认发文后 7 天)")
    p.add_argument("-o", "--output", type=Path, required=True, help="输出 .pdf 文件")
    p.set_defaults(handler=cmd_notice)

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

    p = sub.add_parser(
        "copy",
        help="另存副本:台账连同佐证材料 / copy the ledger with its evidence files",
        description="把台账文件和它的佐证材料文件夹(<名称>.files)一起复制到 DEST。"
        "退出码:0 完成;1 已复制,但原台账附件库中有缺失或损坏的文件;2 出错(未留下任何文件)。",
    )
    add_db(p)
    p.add_argument(
        "dest", type=Path, metavar="DEST", help="副本文件 (.sqlite3),佐证材料放在旁边的同名 .files 文件夹"
    )
    p.add_argument(
        "--force", action="store_true", help="覆盖已存在的副本文件(已有且非空的 .files 文件夹仍会拒绝)"
    )
    p.set_defaults(handler=cmd_copy)

    for register in EXTRA_COMMANDS:
        register(sub)
    return parser


# Feature modules add their subcommands here: callables taking the subparsers object.
EXTRA_COMMANDS: list[Callable[[Any], None]] = []


def _attachment_commands(sub: Any) -> None:
    from ledger_app.cli.attachments import register  # imported late: it uses this module's helpers

    register(sub)


EXTRA_COMMANDS.append(_attachment_commands)


def _self_test_command(sub: Any) -> None:
    from ledger_app.selftest import register  # `ledger-cli self-test`: the installation's checks

    register(sub)


EXTRA_COMMANDS.append(_self_test_command)


def _backup_commands(sub: Any) -> None:
    from ledger_app.cli.backups import register  # backups, backup, restore, archive

    register(sub)


EXTRA_COMMANDS.append(_backup_commands)


def _history_commands(sub: Any) -> None:
    from ledger_app.cli.history import register  # undo, redo

    register(sub)


EXTRA_COMMANDS.append(_history_commands)


def _plan_commands(sub: Any) -> None:
    from ledger_app.cli.plan import register  # import-plan

    register(sub)


EXTRA_COMMANDS.append(_plan_commands)


def _report_commands(sub: Any) -> None:
    from ledger_app.cli.reports import register  # progress-report

    register(sub)


EXTRA_COMMANDS.append(_report_commands)


def _monthly_commands(sub: Any) -> None:
    from ledger_app.cli.monthly import register  # distribute, collect: the monthly round with the units

    register(sub)


EXTRA_COMMANDS.append(_monthly_commands)


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
