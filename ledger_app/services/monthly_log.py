"""What the monthly round keeps in the ledger, shared by sending (monthly_round.py) and collecting
(monthly_replies.py): the ledger's identity, the logs of sheets sent and replies collected, and the
month keys and row checksums both sides read.

They live in the settings table as JSON (no schema change): the identity is a random id made on the
first send, which every sheet carries so that a reply is known to belong to this ledger; the send log
says which unit was sent which tasks for which month.
"""

from __future__ import annotations

import hashlib
import json

from sqlalchemy import select
from sqlalchemy.orm import Session

from ledger_app.domain.errors import ValidationError
from ledger_app.store import models as m

LEDGER_ID_KEY = "monthly_round.ledger_id"
SENT_KEY = "monthly_round.sent"
REPLIED_KEY = "monthly_round.replied"


def task_checksum(ledger_id: str, task_id: int, round_name: str, section: str, seq: str) -> str:
    """8 hex digits tying a row's task id to this ledger and to the task's round, section and 序号."""
    text = f"{ledger_id}|{round_name}|{section}|{seq}|{task_id}"
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:8]


def month_key(month: tuple[int, int]) -> str:
    return f"{month[0]:04d}-{month[1]:02d}"


def check_month(month: tuple[int, int]) -> tuple[int, int]:
    year, mon = month
    if not (1990 <= year <= 2100 and 1 <= mon <= 12):
        raise ValidationError(f"月份不正确:{year}-{mon}", f"bad month {year}-{mon}")
    return year, mon


def stored_text(session: Session, key: str) -> str | None:
    return session.scalar(select(m.Setting.value).where(m.Setting.key == key))


def store_text(session: Session, key: str, value: str) -> None:
    row = session.get(m.Setting, key)
    if row is None:
        session.add(m.Setting(key=key, value=value))
    else:
        row.value = value


def stored_log(session: Session, key: str) -> list[dict[str, object]]:
    """A JSON log kept under ``key``; an unreadable one reads as empty."""
    raw = stored_text(session, key)
    if not raw:
        return []
    try:
        value = json.loads(raw)
    except ValueError:
        return []  # a damaged log is no reason to refuse the next send; it starts again
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []
