"""``ledger-cli`` subcommands for backups: ``backups``, ``backup``, ``restore`` and ``archive``.

Registered in ``cli.main.FAMILIES``; each handler is a thin call into ``services.backups`` /
``services.archive``. A refused backup or archive exits 2 with one Chinese line (``cli.main``).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from ledger_app.cli.common import EXIT_OK, EXIT_PROBLEM_FOUND, Progress, add_db, open_ledger, write_text
from ledger_app.domain.errors import NotALedgerError, ValidationError
from ledger_app.store.attachments import format_size


def _when(value: Any) -> str:
    return value.strftime("%Y-%m-%d %H:%M:%S") if value is not None else ""


def _require_ledger(path: Path) -> None:
    if not path.is_file():
        raise NotALedgerError(f"找不到台账文件:{path}", f"ledger file not found: {path}")


def cmd_backups(args: argparse.Namespace) -> int:
    from ledger_app.services.backups import backup_overview

    _require_ledger(args.db)
    overview = backup_overview(args.db)
    if args.json:
        data = {
            "folder": str(overview.folder),
            "total_size": overview.total_size,
            "policy": {
                "keep_last": overview.policy.keep_last,
                "keep_daily": overview.policy.keep_daily,
                "keep_monthly": overview.policy.keep_monthly,
            },
            "backups": [
                {
                    "path": str(b.path),
                    "taken_at": b.taken_at.isoformat(timespec="seconds"),
                    "reason": b.reason,
                    "reason_label": b.reason_label,
                    "size": b.size,
                    "tasks": b.tasks,
                    "last_change": b.last_change.at.isoformat(timespec="seconds")
                    if b.last_change and b.last_change.at
                    else None,
                    "damaged": b.damaged,
                    "error": b.error,
                }
                for b in overview.backups
            ],
        }
        write_text(json.dumps(data, ensure_ascii=False, indent=2), None)
        return EXIT_OK
    lines = [
        f"备份文件夹 {overview.folder}:共 {len(overview.backups)} 份,{format_size(overview.total_size)};"
        f"保留规则:{overview.policy.describe()}。"
    ]
    if not overview.backups:
        lines.append("还没有备份。")
    for b in overview.backups:
        if b.damaged:
            lines.append(
                f"  {_when(b.taken_at)}  {b.reason_label}  {format_size(b.size)}  已损坏:{b.error}  {b.path.name}"
            )
            continue
        last = _when(b.last_change.at) if b.last_change else "—"
        lines.append(
            f"  {_when(b.taken_at)}  {b.reason_label}  {format_size(b.size)}  {b.tasks} 项任务  "
            f"最后修改 {last}  {b.path.name}"
        )
    write_text("\n".join(lines), None)
    return EXIT_OK


def cmd_backup(args: argparse.Namespace) -> int:
    with open_ledger(args) as ledger:
        result = ledger.backups.backup_now("manual")
    print(f"已备份:{result.path}")
    if result.removed:
        print(f"按保留规则删除了 {len(result.removed)} 份较早的备份。")
    return EXIT_OK


def _find_backup(db: Path, source: Path) -> Path:
    """The file as given, or a backup of that name in the ledger's backups folder."""
    from ledger_app.store.backup import backups_dir

    if source.exists():
        return source
    beside = backups_dir(db) / source.name
    if source.name == str(source) and beside.exists():
        return beside
    raise NotALedgerError(f"找不到备份文件:{source}", f"no such backup: {source}")


def cmd_restore(args: argparse.Namespace) -> int:
    progress = Progress()
    try:
        if args.source.suffix.lower() == ".zip":
            from ledger_app.services.archive import restore_archive

            if args.to is None:
                raise ValidationError(
                    "从归档恢复需要用 --to 指定一个新的(或空的)文件夹;归档不会覆盖现有台账。",
                    "restoring an archive needs --to NEW_FOLDER",
                )
            restored = restore_archive(args.source, args.to, progress=progress)
            progress.close()
            print(restored.summary())
            return EXIT_PROBLEM_FOUND if restored.missing or restored.damaged else EXIT_OK
        from ledger_app.services.backups import restore_backup

        if args.to is not None:
            raise ValidationError(
                "--to 只用于从归档 (.zip) 恢复;备份文件恢复到 --db 指定的台账。", "--to is for archives only"
            )
        result = restore_backup(args.db, _find_backup(args.db, args.source), progress=progress)
    finally:
        progress.close()
    print(result.summary())
    return EXIT_PROBLEM_FOUND if result.missing else EXIT_OK


def cmd_archive(args: argparse.Namespace) -> int:
    progress = Progress()
    with open_ledger(args) as ledger:
        try:
            result = ledger.archive.save_archive(args.output, overwrite=args.force, progress=progress)
        finally:
            progress.close()
    print(result.summary())
    return EXIT_PROBLEM_FOUND if result.missing or result.damaged else EXIT_OK


def register(sub: Any) -> None:
    p = sub.add_parser("backups", help="列出台账的备份 / list the ledger's backups")
    add_db(p)
    p.add_argument("--json", action="store_true", help="以 JSON 输出")
    p.set_defaults(handler=cmd_backups)

    p = sub.add_parser("backup", help="立即备份台账 / back up the ledger now")
    add_db(p)
    p.set_defaults(handler=cmd_backup)

    p = sub.add_parser(
        "restore",
        help="从备份或归档恢复 / restore from a backup or an archive",
        description="备份文件 (.sqlite3):先备份当前台账,再用它替换 --db 的内容。"
        "归档 (.zip):恢复到 --to 指定的新文件夹(须不存在或为空),不改动 --db。"
        "退出码:0 完成;1 已恢复,但缺少部分佐证材料;2 拒绝或出错(台账未改变)。",
    )
    add_db(p)
    p.add_argument("source", type=Path, metavar="BACKUP|ARCHIVE", help="备份文件(或其文件名)或归档 .zip")
    p.add_argument("--to", type=Path, metavar="NEW_FOLDER", help="从归档恢复到的新文件夹")
    p.set_defaults(handler=cmd_restore)

    p = sub.add_parser(
        "archive",
        help="导出归档:台账和佐证材料打包为一个 zip / one zip with the ledger and its evidence",
        description="退出码:0 完成;1 已导出,但附件库中有缺失或损坏的文件;2 出错(未留下文件)。",
    )
    add_db(p)
    p.add_argument("-o", "--output", type=Path, required=True, help="归档文件 (.zip)")
    p.add_argument("--force", action="store_true", help="覆盖已存在的归档文件")
    p.set_defaults(handler=cmd_archive)
