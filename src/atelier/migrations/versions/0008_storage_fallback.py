"""storage: objects held in the database while object storage refuses uploads

Revision ID: 0008_storage_fallback
Revises: 0001_core
Create Date: 2026-12-01 09:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008_storage_fallback"
down_revision = "0001_core"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "storage_fallback",
        sa.Column("key", sa.String(length=1024), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("content_type", sa.String(length=140), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("claim", sa.String(length=40), nullable=True),
        sa.Column("claimed_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_storage_fallback")),
    )


def downgrade() -> None:
    op.drop_table("storage_fallback")
