"""``ledger-cli signoff``, ``report`` and ``notice``: the PDF forms, the calls the GUI's print dialogs make."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from ledger_app.cli.common import EXIT_OK, add_db, day_arg, month_arg, open_ledger
from ledger_app.domain.errors import ValidationError


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
            ids = ledger.forms.tasks_closed_in(*args.closed_in)
            if not ids:
                year, month = args.closed_in
                raise ValidationError(
                    f"{year}年{month}月没有销号的任务。", f"no task closed in {year}-{month:02d}"
                )
        else:
            ids = [ledger.queries.resolve_task(args.task, round_name=args.round, section=_section(args))]
        count = ledger.forms.write_signoff_forms(ids, out, progress_choice=args.progress)
    print(f"已生成销号审批表 {count} 份:{out}")
    return EXIT_OK


def cmd_report(args: argparse.Namespace) -> int:
    out = _pdf_output(args.output)
    with open_ledger(args, lock=False) as ledger:
        task_id = ledger.queries.resolve_task(args.task, round_name=args.round, section=_section(args))
        ledger.forms.write_evaluation_reports([task_id], out)
    print(f"已生成整改任务销号评估报告:{out}")
    return EXIT_OK


def cmd_notice(args: argparse.Namespace) -> int:
    from ledger_app.services.forms import parse_notice_kind

    out = _pdf_output(args.output)
    kind = parse_notice_kind(args.kind)
    with open_ledger(args) as ledger:
        issued = ledger.forms.issue_unit_notice(
            unit=args.unit, kind=kind, out=out, issued_on=args.date, reply_by=args.reply_by
        )
    print(f"已生成{kind.label} {issued.number}({issued.unit},{issued.task_count} 项任务):{out}")
    return EXIT_OK


def register(sub: Any) -> None:
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
