"""``ledger-cli export-monthly`` (the monthly report workbook), ``progress-report``, ``reminders`` and the
overview's additions to ``ledger-cli stats`` (``--round``, ``--chart-dir``). Registered in
``cli.main.FAMILIES``; thin calls into the services the GUI calls.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from ledger_app.cli.common import EXIT_OK, add_db, day_arg, month_arg, open_ledger, write_text
from ledger_app.domain.errors import ValidationError
from ledger_app.domain.model import NoticeKind

NOTICE_ORDER = (NoticeKind.SUPERVISION_ORDER, NoticeKind.REMINDER)


def save_charts(overview: Any, folder: Path) -> list[Path]:
    """The overview's two charts as PNG in ``folder``, drawn headless by the GUI's own chart code.

    Qt is imported here only, and only for this option: ``stats`` without it never loads Qt.
    """
    from ledger_app.ui.overview.charts import save_charts_headless

    return save_charts_headless(overview, folder)


def ranking_lines(overview: Any) -> list[str]:
    """红黄绿榜 as ``stats`` prints it, with the rule it is decided by."""
    from ledger_app.domain.stats import percent

    lines = ["红黄绿榜(" + overview.rule + "):"]
    for rank in overview.ranking:
        lines.append(
            f"  [{rank.colour.label}] {rank.unit}:{rank.tasks} 项,已完成 {rank.completed},滞后 {rank.lagging},"
            f"临期 {rank.due_soon},整改率 {percent(rank.rectification_rate)}({rank.reason()})"
        )
    if overview.petition_batches:
        lines += ["", "交办信访件按批次:"]
        for batch in overview.petition_batches:
            t = batch.tally
            lines.append(
                f"  {batch.label}:{t.total} 件,已完成 {t.completed},已销号 {t.closed},"
                f"整改率 {percent(t.rectification_rate)},销号率 {percent(t.close_out_rate)}"
            )
    lines += ["", f"逾期(滞后){overview.total.lagging} 项,30 天内到期 {overview.due_30} 项。"]
    total, month = (
        [counts.get(kind, 0) for kind in NOTICE_ORDER]
        for counts in (overview.notices_total, overview.notices_month)
    )
    lines.append(f"已发督办单 {total[0]} 份、提醒函 {total[1]} 份(本月 {month[0]} 份、{month[1]} 份)。")
    return lines


def cmd_reminders(args: argparse.Namespace) -> int:
    from ledger_app.domain.ranking import REMINDER_RULE, reminder_plan

    with open_ledger(args, lock=args.dry_run is False) as ledger:
        if args.dry_run:
            overview = ledger.overview.build(round_name=args.round, today=args.date)
            plan = reminder_plan(overview.ranking)
            lines = [f"规则:{REMINDER_RULE}", *(f"  {kind.label}:{unit}" for unit, kind in plan)]
            lines.append(f"共 {len(plan)} 份(未发出,去掉 --dry-run 即生成并编号)。")
            write_text("\n".join(lines), None)
            return EXIT_OK
        issued = ledger.overview.issue_reminders(
            args.out_dir, issued_on=args.date, reply_by=args.reply_by, round_name=args.round
        )
    lines = [f"  {n.number}:{n.unit},{n.task_count} 项任务 → {n.path.name}" for n in issued]
    write_text("\n".join([f"已生成 {len(issued)} 份督办单/提醒函,保存在 {args.out_dir}:", *lines]), None)
    return EXIT_OK


def cmd_progress_report(args: argparse.Namespace) -> int:
    with open_ledger(args) as ledger:
        report = ledger.overview.export_progress_report(args.output, round_name=args.round, as_of=args.as_of)
    write_text(f"已生成整改落实情况报告:{args.output}({len(report.blocks)} 段)", None)
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
        warnings = ledger.reports.export_monthly_report(
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


def register(sub: Any) -> None:
    p = sub.add_parser("export-monthly", help="导出月报 Excel / the monthly report workbook")
    add_db(p)
    p.add_argument("--month", type=month_arg, required=True, help="报告月份 YYYY-MM")
    p.add_argument("--round", help="只导出这个督察批次")
    p.add_argument("--unit", help="只导出这个单位牵头或参与的任务")
    p.add_argument("--status", action="append", help="只导出这些状态(可重复;如 整改中 或 in-progress)")
    p.add_argument("-o", "--output", type=Path, required=True, help="输出 .xlsx 文件")
    p.add_argument("--charts", action="store_true", help="在“统计”表中插入两张图表(同 stats --chart-dir)")
    p.set_defaults(handler=cmd_export_monthly)

    p = sub.add_parser("reminders", help="一键发督办单/提醒函:每个滞后或临期的单位一份,编号并登记")
    add_db(p)
    p.add_argument("--out-dir", type=Path, required=True, help="PDF 保存到此文件夹")
    p.add_argument("--round", help="只看此督察批次的任务")
    p.add_argument("--date", type=day_arg, help="发文日期(默认今天;按此日期判断滞后、临期)")
    p.add_argument("--reply-by", type=day_arg, help="要求回复日期(默认发文后 7 天)")
    p.add_argument("--dry-run", action="store_true", help="只列出将发给哪些单位,不生成、不编号")
    p.set_defaults(handler=cmd_reminders)

    p = sub.add_parser(
        "progress-report", help="整改落实情况报告 (Word, GB/T 9704 版式) / the progress report as .docx"
    )
    add_db(p)
    p.add_argument("--round", help="督察批次名称(默认全部)")
    p.add_argument("--as-of", type=day_arg, help="截至日期(默认今天)")
    p.add_argument("-o", "--output", type=Path, required=True, help="输出文件 .docx")
    p.set_defaults(handler=cmd_progress_report)
