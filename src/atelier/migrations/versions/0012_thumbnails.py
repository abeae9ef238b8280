"""assets: the storage key of each image's small WebP thumbnail (made when it is stored)

Revision ID: 0012_thumbnails
Revises: 0009_sessions_and_scopes
Create Date: 2026-12-02 16:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012_thumbnails"
down_revision = "0009_sessions_and_scopes"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("assets", schema=None) as batch_op:
        batch_op.add_column(sa.Column("thumbnail_key", sa.String(length=500), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("assets", schema=None) as batch_op:
        batch_op.drop_column("thumbnail_key")
