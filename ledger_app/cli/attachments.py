"""``ledger-cli`` subcommands for evidence files: ``check``, ``attach`` and ``evidence-zip``.

Registered in ``cli.main.FAMILIES``; each handler is a thin call into the services.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from ledger_app.cli.common import EXIT_OK, EXIT_PROBLEM_FOUND, Progress, add_db, open_ledger, write_text
from ledger_app.domain.errors import NotFoundError, ValidationError
from ledger_app.domain.model import Section


def _section(text: str) -> Section:
    for section in Section:
        if text in (section.value, section.label):
            return section
    choices = "、".join(f"{s.label}({s.value})" for s in Section)
    raise argparse.ArgumentTypeError(f"未知的类别:{text}(可用:{choices})")


def resolve_task(ledger: Any, seq: str, round_name: str | None = None, section: Section | None = None) -> int:
    """The id of the live task with 序号 ``seq``; the round and section narrow it when it is ambiguous."""
    from ledger_app.services import TaskFilter

    flt = TaskFilter(round_id=ledger.directory.round_by_name(round_name).id if round_name else None)
    wanted = seq.strip()
    rows = [
        r
        for r in ledger.queries.list_tasks(flt)
        if r.seq == wanted and (section is None or r.kind.section is section)
    ]
    if not rows:
        where = f"督察批次「{round_name}」中" if round_name else "台账中"
        raise NotFoundError(f"{where}没有序号为 {wanted} 的任务。", f"no task with seq {wanted!r}")
    if len(rows) > 1:
        found = "、".join(f"{r.round_name} {r.kind.section.label} {r.seq}" for r in rows)
        raise ValidationError(
            f"序号 {wanted} 对应多项任务:{found};请用 --round 指定督察批次,或用 --section 指定类别。",
            f"seq {wanted!r} is ambiguous; use --round or --section",
        )
    return int(rows[0].id)


def cmd_check(args: argparse.Namespace) -> int:
    progress = Progress()
    # Only --repair writes; a check alone may run beside a program that has the ledger open.
    with open_ledger(args, lock=args.repair) as ledger:
        try:
            ledger_report = ledger.check.check_ledger(progress=progress)
            report = ledger.attachments.check_store(verify=not args.quick, progress=progress)
            repair = ledger.attachments.repair_store(report) if args.repair and not report.ok else None
        finally:
            progress.close()
    # The repair mends the evidence store only; what the ledger check found needs a person.
    ok = ledger_report.ok and (report.ok if repair is None else repair.ok)
    if args.json:
        data = {
            "ok": ok,
            "ledger": ledger_report.as_dict(),
            "check": report.as_dict(),
            "repair": repair.as_dict() if repair else None,
        }
        write_text(json.dumps(data, ensure_ascii=False, indent=2), None)
    else:
        lines = [*ledger_report.lines(), ""]
        if not ledger_report.ok:
            lines += [
                "台账中的这些改动不是通过本程序做的。请从改动之前的备份恢复,或核实后在程序中改回正确的值。",
                "",
            ]
        lines += report.lines()
        if repair is not None:
            lines += ["", "修复结果:", *repair.lines()]
        elif not report.ok:
            lines += ["", "可加 --repair 修复能自动修复的问题(无记录引用的文件会移到 lost+found,不会删除)。"]
        write_text("\n".join(lines), None)
    return EXIT_OK if ok else EXIT_PROBLEM_FOUND


def cmd_attach(args: argparse.Namespace) -> int:
    progress = Progress()
    with open_ledger(args) as ledger:
        task_id = resolve_task(ledger, args.task, args.round, args.section)
        if args.max_mb is not None and args.max_mb <= 0:
            raise ValidationError(f"--max-mb 应为正整数:{args.max_mb}", "--max-mb must be positive")
        max_size = args.max_mb * 1024 * 1024 if args.max_mb else None
        try:
            report = ledger.attachments.add_attachments(
                task_id, args.files, description=args.description, progress=progress, max_size=max_size
            )
        finally:
            progress.close()
    lines = [report.summary()]
    lines += [f"  - {item.reason}" for item in (*report.duplicates, *report.refused)]
    write_text("\n".join(lines), None)
    return EXIT_PROBLEM_FOUND if report.refused else EXIT_OK


def cmd_evidence_zip(args: argparse.Namespace) -> int:
    from ledger_app.services import TaskFilter

    out: Path = args.output
    if out.suffix.lower() != ".zip":
        raise ValidationError(f"输出文件应以 .zip 结尾:{out}", f"output must be .zip: {out}")
    progress = Progress()
    with open_ledger(args) as ledger:
        if args.all:
            flt = TaskFilter(round_id=ledger.directory.round_by_name(args.round).id if args.round else None)
            ids = [
                r.id
                for r in ledger.queries.list_tasks(flt)
                if args.section is None or r.kind.section is args.section
            ]
        else:
            ids = [resolve_task(ledger, args.task, args.round, args.section)]
        try:
            ledger.attachments.export_evidence_zip(ids, out, progress=progress)
        finally:
            progress.close()
    print(f"已导出佐证材料压缩包:{out}")
    return EXIT_OK


def register(sub: Any) -> None:
    p = sub.add_parser(
        "check",
        help="检查台账:数据库文件、修改日志链条、数据与日志是否一致,以及附件库 / check the ledger and its evidence",
        description="退出码:0 正常;1 发现问题(--repair 后仍有未修复的问题);2 出错。",
    )
    add_db(p)
    p.add_argument("--repair", action="store_true", help="修复能自动修复的问题(不删除任何用户文件)")
    p.add_argument("--quick", action="store_true", help="只检查文件是否存在,不重新计算校验值")
    p.add_argument("--json", action="store_true", help="输出 JSON")
    p.set_defaults(handler=cmd_check)

    p = sub.add_parser("attach", help="给任务添加佐证材料(文件或文件夹) / add evidence files to a task")
    add_db(p)
    p.add_argument("--task", required=True, metavar="序号", help="任务序号")
    p.add_argument("--round", help="督察批次名称(序号在多个批次中重复时必填)")
    p.add_argument("--section", type=_section, help="类别:反馈问题、交办信访件、自查问题")
    p.add_argument("--description", default="", help="说明,写入每个文件")
    p.add_argument("--max-mb", type=int, help="单个文件大小上限(MB),默认用台账设置")
    p.add_argument("files", nargs="+", type=Path, metavar="文件", help="文件或文件夹(文件夹含子文件夹)")
    p.set_defaults(handler=cmd_attach)

    p = sub.add_parser("evidence-zip", help="佐证材料打包为 zip(序号-问题摘要/文件名) / evidence as a zip")
    add_db(p)
    which = p.add_mutually_exclusive_group(required=True)
    which.add_argument("--task", metavar="序号", help="一项任务的序号")
    which.add_argument("--all", action="store_true", help="所有任务(可用 --round、--section 限定)")
    p.add_argument("--round", help="督察批次名称")
    p.add_argument("--section", type=_section, help="类别:反馈问题、交办信访件、自查问题")
    p.add_argument("-o", "--output", type=Path, required=True, help="输出 .zip 文件")
    p.set_defaults(handler=cmd_evidence_zip)
