"""Ordered indexes on unit links; audit rows name the row they changed by its whole primary key.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 02:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Undo of a change to a row keyed by more than an integer id (a task's unit link, a setting)
    # needs to know which row it was.
    with op.batch_alter_table("audit_log") as batch:
        batch.add_column(sa.Column("entity_key", sa.String(length=500), nullable=True))
    # The task list reads every link in (task, role, position) order; without these SQLite sorted
    # all of them in a temporary B-tree on every load.
    op.create_index("ix_problem_units_order", "problem_units", ["problem_id", "role", "position"])
    op.create_index("ix_measure_units_order", "measure_units", ["measure_id", "role", "position"])


def downgrade() -> None:
    op.drop_index("ix_measure_units_order", table_name="measure_units")
    op.drop_index("ix_problem_units_order", table_name="problem_units")
    with op.batch_alter_table("audit_log") as batch:
        batch.drop_column("entity_key")
