"""content policy: per-organization overrides, each asset's flag, each job's record of the checks that ran

Revision ID: 0014_content_policy
Revises: 0013_organization_members
Create Date: 2026-12-03 06:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014_content_policy"
down_revision = "0013_organization_members"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "content_policies",
        sa.Column("organization_id", sa.String(length=40), nullable=False),
        sa.Column("categories", sa.JSON(), nullable=False),
        sa.Column("text_threshold", sa.Float(), nullable=True),
        sa.Column("profanity_threshold", sa.Float(), nullable=True),
        sa.Column("image_threshold", sa.Float(), nullable=True),
        sa.Column("blocked_terms", sa.JSON(), nullable=False),
        sa.Column("updated_by", sa.String(length=40), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["organization_id"], ["organizations.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("organization_id"),
    )
    with op.batch_alter_table("assets", schema=None) as batch_op:
        batch_op.add_column(sa.Column("content_flag", sa.String(length=200), nullable=True))
    with op.batch_alter_table("jobs", schema=None) as batch_op:
        batch_op.add_column(sa.Column("content_checks", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("jobs", schema=None) as batch_op:
        batch_op.drop_column("content_checks")
    with op.batch_alter_table("assets", schema=None) as batch_op:
        batch_op.drop_column("content_flag")
    op.drop_table("content_policies")
