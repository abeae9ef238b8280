"""assets: soft deletion

Revision ID: 0006_assets_deleted
Revises: 0002_pipeline
Create Date: 2026-11-23 06:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006_assets_deleted"
down_revision = "0002_pipeline"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("assets", schema=None) as batch_op:
        batch_op.add_column(sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("jobs", schema=None) as batch_op:
        # The sweeper's query: queued jobs and expired leases, oldest first.
        batch_op.create_index("ix_jobs_status_created_at", ["status", "created_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("jobs", schema=None) as batch_op:
        batch_op.drop_index("ix_jobs_status_created_at")
    with op.batch_alter_table("assets", schema=None) as batch_op:
        batch_op.drop_column("deleted_at")
