"""``ledger-cli new``, ``demo``, ``dump``, ``stats`` and ``copy``: the ledger file as a whole."""

from __future__ import annotations

import argparse
import json
from datetime import date
from pathlib import Path
from typing import Any

from ledger_app.cli.common import (
    EXIT_OK,
    EXIT_PROBLEM_FOUND,
    Progress,
    add_db,
    day_arg,
    open_ledger,
    write_text,
)
from ledger_app.domain.errors import ValidationError


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
        data = ledger_to_dict(ledger.records.round_records(today=today), today=today)
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
        overview = ledger.overview.build(round_name=args.round, today=args.today)
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


def cmd_copy(args: argparse.Namespace) -> int:

    dest: Path = args.dest
    if dest.suffix.lower() not in (".sqlite3", ".db"):
        raise ValidationError(
            f"副本文件应以 .sqlite3(或 .db)结尾:{dest}", f"the copy must end in .sqlite3: {dest}"
        )
    progress = Progress()
    with open_ledger(args, lock=False) as ledger:
        try:
            copy = ledger.copies.save_copy(dest, overwrite=args.force, progress=progress)
        finally:
            progress.close()
    write_text(copy.summary(), None)
    return EXIT_OK if copy.ok else EXIT_PROBLEM_FOUND


def register(sub: Any) -> None:
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
