"""The audit log becomes a hash chain: each row holds the hash of the row before it and of its content.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-07 12:30:00
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

# A frozen copy of ledger_app.domain.audit_chain.row_hash as it was when this migration was written.
# The migration must chain the rows of an old ledger the way release 0003 defined the chain, whatever
# the app's module becomes later (a later format change needs its own migration that rehashes);
# importing app code here would silently change what this step computes. A test proves that this
# copy and the app's function agree (tests/test_services_ledger_check.py).
GENESIS = "0" * 64
_encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
_COLUMNS = (
    "id, change_id, at, actor, action, entity, entity_id, entity_key, problem_id, field, old_value, "
    "new_value, reason"
)
_BATCH = 5000


def row_hash(prev_hash: str, row: tuple[Any, ...]) -> str:
    """``row`` is the audit row's values in _COLUMNS order; ``at`` as a datetime or its stored text."""
    at = row[2]
    if isinstance(at, datetime):
        moment = at.isoformat()
    else:
        try:
            moment = datetime.fromisoformat(str(at)).isoformat()
        except ValueError:  # not a moment (another tool's doing): hashed as it is, the check reports it
            moment = str(at)
    content = [prev_hash, row[0], row[1], moment, *row[3:]]
    return hashlib.sha256(_encode(content).encode("utf-8")).hexdigest()


def upgrade() -> None:
    with op.batch_alter_table("audit_log") as batch:
        batch.add_column(sa.Column("prev_hash", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("row_hash", sa.String(length=64), nullable=True))
    # Statements in the driver's own parameter style, a page at a time (keyset, not one long SELECT:
    # the rows are updated while the log is read). An office's log holds hundreds of thousands of rows;
    # bound through SQLAlchemy's text() the parameter handling alone took longer than the hashing.
    conn = op.get_bind()
    mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
    select = f"SELECT {_COLUMNS} FROM audit_log WHERE id > {mark} ORDER BY id LIMIT {_BATCH}"
    update = f"UPDATE audit_log SET prev_hash = {mark}, row_hash = {mark} WHERE id = {mark}"
    prev, last_id = GENESIS, -1
    while rows := conn.exec_driver_sql(select, (last_id,)).fetchall():
        updates = []
        for row in rows:
            digest = row_hash(prev, tuple(row))
            updates.append((prev, digest, row[0]))
            prev = digest
        conn.exec_driver_sql(update, updates)
        last_id = rows[-1][0]


def downgrade() -> None:
    with op.batch_alter_table("audit_log") as batch:
        batch.drop_column("row_hash")
        batch.drop_column("prev_hash")
