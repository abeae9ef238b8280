"""an organization can be deleted by its owners: deleted_at marks it (its ledger, usage and
audit rows stay, so the instance's books still add up)

Revision ID: 0015_organization_deleted
Revises: 0014_content_policy
Create Date: 2026-12-03 07:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015_organization_deleted"
down_revision = "0014_content_policy"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("organizations") as batch:
        batch.add_column(sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("organizations") as batch:
        batch.drop_column("deleted_at")
