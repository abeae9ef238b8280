"""sessions end with a password change; keys minted with every scope get the new ones;
stored idempotent responses from before sealing are dropped

Revision ID: 0009_sessions_and_scopes
Revises: 0008_storage_fallback
Create Date: 2026-12-02 06:00:00
"""

from __future__ import annotations

import json

import sqlalchemy as sa
from alembic import op

revision = "0009_sessions_and_scopes"
down_revision = "0008_storage_fallback"
branch_labels = None
depends_on = ("0004_idempotency",)

LEGACY_ALL = {"generate", "read", "keys", "admin"}
ALL = ["read", "generate", "gallery", "keys", "account", "billing", "webhooks", "admin"]


def upgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("token_version", sa.Integer(), server_default="0", nullable=False))
    conn = op.get_bind()
    keys = sa.table("api_keys", sa.column("id", sa.String()), sa.column("scopes", sa.JSON()))
    for key_id, scopes in conn.execute(sa.select(keys.c.id, keys.c.scopes)).all():
        held = set(json.loads(scopes) if isinstance(scopes, str) else scopes or [])
        if held >= LEGACY_ALL:  # minted with "every scope": keep meaning every scope
            conn.execute(keys.update().where(keys.c.id == key_id).values(scopes=ALL))
    # responses stored before they were sealed may hold plaintext secrets
    op.execute("DELETE FROM idempotency_keys")


def downgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("token_version")
