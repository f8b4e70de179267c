"""What the attachment services share: the rows' view of the store, media types, task labels."""

from __future__ import annotations

import mimetypes
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from ledger_app.domain.errors import NotFoundError
from ledger_app.domain.model import ProblemKind
from ledger_app.store import models as m

# Python's own table (not the Windows registry, which differs per PC), plus what offices here use.
_MIME = mimetypes.MimeTypes()
for _type, _ext in (
    ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".docx"),
    ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx"),
    ("application/vnd.openxmlformats-officedocument.presentationml.presentation", ".pptx"),
    ("application/wps-office.wps", ".wps"),  # WPS 文字
    ("application/wps-office.et", ".et"),  # WPS 表格
    ("application/wps-office.dps", ".dps"),  # WPS 演示
    ("application/ofd", ".ofd"),  # 版式文档, the Chinese e-document format
    ("application/vnd.rar", ".rar"),
    ("application/x-7z-compressed", ".7z"),
    ("image/heic", ".heic"),
):
    _MIME.add_type(_type, _ext)


def guess_media_type(name: str) -> str:
    media_type, _encoding = _MIME.guess_type(name.lower(), strict=False)
    return media_type or "application/octet-stream"


@dataclass(frozen=True, slots=True)
class AttachmentInfo:
    """One evidence file of a task, as the 佐证材料 tab lists it."""

    id: int
    task_id: int
    name: str  # the original file name, as the clerk's PC had it
    size: int
    sha256: str
    media_type: str
    description: str
    added_at: datetime
    added_by: str
    measure_id: int | None = None
    progress_id: int | None = None
    deleted_at: datetime | None = None

    @property
    def is_image(self) -> bool:
        return self.media_type.startswith("image/")


def task_label(round_name: str, kind: str, seq: str) -> str:
    """E.g. "第二轮中央督察 反馈问题 序号 3": enough for a clerk to find the task."""
    return f"{round_name} {ProblemKind(kind).section.label} 序号 {seq}"


def attachment_row(session: Session, att_id: int, *, include_deleted: bool = True) -> m.Attachment:
    row = session.get(m.Attachment, att_id)
    if row is None or (row.deleted_at is not None and not include_deleted):
        raise NotFoundError("佐证材料不存在或已被删除。", f"no attachment {att_id}")
    return row


def referenced(session: Session, shas: set[str]) -> set[str]:
    """Which of ``shas`` some row (removed ones included: they can be restored) refers to."""
    found: set[str] = set()
    wanted = sorted(shas)
    for start in range(0, len(wanted), 900):
        chunk = wanted[start : start + 900]
        found.update(session.scalars(select(m.Attachment.sha256).where(m.Attachment.sha256.in_(chunk))))
    return found


def info_of(row: m.Attachment) -> AttachmentInfo:
    return AttachmentInfo(
        id=row.id,
        task_id=row.problem_id,
        name=row.original_name,
        size=row.size,
        sha256=row.sha256,
        media_type=row.media_type,
        description=row.description,
        added_at=row.added_at,
        added_by=row.added_by,
        measure_id=row.measure_id,
        progress_id=row.progress_id,
        deleted_at=row.deleted_at,
    )
