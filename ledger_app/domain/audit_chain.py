"""The audit log as a hash chain: each row holds the hash of the row before it and of its own content.

    row_hash = sha256(prev_hash + canonical JSON of the row's content), as 64 hex digits

The one place that defines a row's hash. The audit hook, the bulk import, the demo and the ledger
check call it; migration 0003 keeps a frozen copy (a test proves the two agree), because a migration
must compute what the format was when it was written, whatever this module becomes later.

Hashed: every column of ``audit_log`` except ``undone`` (undo flips it on rows already written) and
the two hash columns themselves. ``id`` is in, so rows cannot be swapped or renumbered unnoticed.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from typing import Any

# The "previous hash" of the first row.
GENESIS = "0" * 64
# The content columns in the order they are hashed (the argument order of ``row_hash``).
HASHED_COLUMNS = (
    "id",
    "change_id",
    "at",
    "actor",
    "action",
    "entity",
    "entity_id",
    "entity_key",
    "problem_id",
    "field",
    "old_value",
    "new_value",
    "reason",
)
_encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def moment_text(at: datetime | str) -> str:
    """``at`` in one form whether it comes as a datetime (the ORM) or as SQLite's stored text.

    Text that is not a moment (typed into the file by another tool) is hashed as it is: the row then
    fails its check instead of stopping it.
    """
    if isinstance(at, datetime):
        return at.isoformat()
    try:
        return datetime.fromisoformat(str(at)).isoformat()
    except ValueError:
        return str(at)


def row_hash(
    prev_hash: str,
    id: int,
    change_id: str,
    at: datetime | str,
    actor: str,
    action: str,
    entity: str,
    entity_id: int | None,
    entity_key: str | None,
    problem_id: int | None,
    field: str,
    old_value: str | None,
    new_value: str | None,
    reason: str,
) -> str:
    """The chain hash of one audit row, given the hash of the row before it (``GENESIS`` for the first)."""
    content: list[Any] = [
        prev_hash,
        id,
        change_id,
        moment_text(at),
        actor,
        action,
        entity,
        entity_id,
        entity_key,
        problem_id,
        field,
        old_value,
        new_value,
        reason,
    ]
    return hashlib.sha256(_encode(content).encode("utf-8")).hexdigest()
