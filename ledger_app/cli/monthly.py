"""``ledger-cli distribute`` and ``ledger-cli collect``: the monthly round with the units (每月报).

Registered in ``cli.main.FAMILIES``; each handler is a thin call into the services.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from ledger_app.cli.common import (
    EXIT_OK,
    EXIT_PROBLEM_FOUND,
    Progress,
    add_db,
    day_arg,
    month_arg,
    open_ledger,
    write_text,
)
from ledger_app.domain.errors import ValidationError
from ledger_app.domain.model import UnitRole

_STATE_WORDS = {
    "new": "新填报",
    "already": "已导入过",
    "duplicate": "重复",
    "conflict": "有冲突",
    "empty": "未填写",
    "status-only": "只填了完成情况",
    "unmatched": "无法对应任务",
    "other-month": "不是本月的表",
}


def _role(text: str) -> UnitRole:
    for role in (UnitRole.LEAD, UnitRole.RESPONSIBLE, UnitRole.COOPERATING):
        if text in (role.value, role.label, role.label[:2]):
            return role
    raise argparse.ArgumentTypeError(f"未知的单位角色:{text}(可用:牵头、责任、配合)")


def _status_lines(ledger: Any, month: tuple[int, int]) -> tuple[list[str], int]:
    status = ledger.monthly.round_status(month)
    if not status:
        return [f"{month[0]}年{month[1]}月还没有发送过月报表。"], 0
    lines = [f"{month[0]}年{month[1]}月月报表:发送 {len(status)} 个单位"]
    missing = 0
    for item in status:
        if item.answered:
            lines.append(f"  已收回 {item.unit}({item.tasks} 项,{item.replied_at} 收回 {item.replied_file})")
        else:
            missing += 1
            lines.append(f"  未交回 {item.unit}({item.tasks} 项,{item.sent_at} 发送 {item.file})")
    lines.append(f"未交回:{missing} 个单位")
    return lines, missing


def cmd_distribute(args: argparse.Namespace) -> int:
    if args.status:
        with open_ledger(args, lock=False) as ledger:
            lines, missing = _status_lines(ledger, args.month)
        write_text("\n".join(lines), None)
        return EXIT_PROBLEM_FOUND if missing else EXIT_OK
    if args.out is None:
        raise ValidationError("请用 -o 指定输出文件夹。", "give the output folder with -o")
    progress = Progress()
    roles = args.role or [UnitRole.LEAD, UnitRole.RESPONSIBLE]
    with open_ledger(args) as ledger:
        try:
            result = ledger.monthly.distribute(
                month=args.month, out_dir=args.out, units=args.unit or None, roles=roles, progress=progress
            )
        finally:
            progress.close()
    lines = [f"已生成 {len(result.sheets)} 份月报表,保存在 {args.out}:"]
    lines += [f"  {s.path.name}({s.task_count} 项)" for s in result.sheets]
    if result.no_open_tasks:
        lines.append("没有未完成任务、未生成:" + "、".join(result.no_open_tasks))
    lines += [f"注意:{w}" for w in result.warnings]
    write_text("\n".join(lines), None)
    return EXIT_OK


def _review_lines(review: Any, taken: set[int]) -> list[str]:
    lines = [f"{review.month[0]}年{review.month[1]}月月报表,进展日期 {review.progress_date.isoformat()}"]
    for item in review.files:
        name = Path(item.path).name
        if item.refused:
            lines.append(f"[未读取] {name}:{item.refused}")
            continue
        lines.append(
            f"[{item.format or '表'}] {name}:{item.unit}(按{item.unit_from}识别),{len(item.answers)} 行"
        )
        lines += [f"    {note}" for note in item.notes]
        for answer in item.answers:
            if answer.state == "empty" and not answer.notes:
                continue
            word = "导入" if answer.key in taken else _STATE_WORDS.get(answer.state, answer.state)
            what = f"序号 {answer.seq}" if answer.seq else "(无序号)"
            line = f"  第{answer.row}行 {what} {answer.summary[:24]}:{word}"
            if answer.status_proposal:
                line += f";完成情况报为「{answer.status_proposal}」(现为{answer.current_status or '—'},请人工确认)"
            lines.append(line)
            lines += [f"      {note}" for note in answer.notes]
    counts = "、".join(f"{_STATE_WORDS[s]} {review.count(s)}" for s in _STATE_WORDS if review.count(s))
    lines.append(f"合计:{counts or '没有内容'}")
    return lines


def cmd_collect(args: argparse.Namespace) -> int:
    if args.remind is not None:
        if args.month is None:
            raise ValidationError("--remind 需要 --month。", "--remind needs --month")
        with open_ledger(args) as ledger:
            issued = ledger.monthly.remind_missing(args.month, args.remind)
        lines = [f"已生成催报提醒函 {len(issued)} 份:{args.remind}"]
        lines += [f"  {n.number} {n.unit}({n.task_count} 项任务):{n.path.name}" for n in issued]
        write_text("\n".join(lines), None)
        return EXIT_OK
    if args.missing:
        if args.month is None:
            raise ValidationError("--missing 需要 --month。", "--missing needs --month")
        with open_ledger(args, lock=False) as ledger:
            lines, missing = _status_lines(ledger, args.month)
        write_text("\n".join(lines), None)
        return EXIT_PROBLEM_FOUND if missing else EXIT_OK
    if not args.files:
        raise ValidationError("请给出要收回的文件或文件夹。", "give files or a folder")
    with open_ledger(args, lock=not args.dry_run) as ledger:
        review = ledger.monthly.read_replies(args.files, month=args.month, progress_date=args.date)
        taken: set[int] = set()
        result = None
        if not args.dry_run:
            result = ledger.monthly.collect_replies(review, confirm_future=args.date is not None)
            taken = {a.key for a in review.to_take}
    refused = [f for f in review.files if f.refused]
    left = len(review.left_for_review) + len(refused)
    if args.json:
        data = review.to_dict()
        data["taken"] = sorted(taken)
        data["added"] = result.added if result else 0
        data["backup"] = str(result.backup) if result and result.backup else None
        data["left_for_review"] = left
        write_text(json.dumps(data, ensure_ascii=False, indent=1), None)
    else:
        lines = _review_lines(review, taken)
        if result is not None:
            lines.append(
                f"已导入 {result.added} 条进展" + (f"(导入前已备份:{result.backup})" if result.backup else "")
            )
        elif args.dry_run:
            lines.append(f"试读,未写入台账;将导入 {len(review.to_take)} 条。")
        if left:
            lines.append(f"有 {left} 项需要人工处理(冲突、无法对应、不是本月或无法读取的文件),未导入。")
        proposals = review.status_proposals
        if proposals:
            lines.append(f"有 {len(proposals)} 项报了新的完成情况,状态未自动修改,请在任务中确认。")
        write_text("\n".join(lines), None)
    return EXIT_PROBLEM_FOUND if left else EXIT_OK


def register(sub: Any) -> None:
    p = sub.add_parser("distribute", help="发送月报表:每个单位一份本单位未完成任务的填报表")
    add_db(p)
    p.add_argument("--month", type=month_arg, required=True, help="月份 YYYY-MM")
    p.add_argument("-o", "--out", type=Path, help="输出文件夹")
    p.add_argument("--unit", action="append", help="只发给这个单位(可重复);默认所有有未完成任务的单位")
    p.add_argument(
        "--role", action="append", type=_role, help="按哪种角色发送:牵头、责任、配合(可重复;默认牵头和责任)"
    )
    p.add_argument("--status", action="store_true", help="列出本月已发送的单位和未交回的单位")
    p.set_defaults(handler=cmd_distribute)

    p = sub.add_parser("collect", help="收回月报表:读取各单位交回的表,导入进展")
    add_db(p)
    p.add_argument("files", nargs="*", type=Path, help="交回的 .xlsx/.xls 文件或所在文件夹")
    p.add_argument("--month", type=month_arg, help="月份 YYYY-MM(默认最近一次发送的月份)")
    p.add_argument("--date", type=day_arg, help="进展日期(默认该月最后一天,或今天若更早)")
    p.add_argument("--dry-run", action="store_true", help="只读取并列出,不写入台账")
    p.add_argument("--json", action="store_true", help="以 JSON 输出审核结果")
    p.add_argument("--missing", action="store_true", help="列出本月未交回的单位(需 --month)")
    p.add_argument(
        "--remind",
        type=Path,
        metavar="DIR",
        help="给本月未交回的每个单位生成一份催报提醒函 PDF(编号登记,需 --month),写入 DIR",
    )
    p.set_defaults(handler=cmd_collect)
