"""organizations have members with roles (one owner membership per existing user in their
own organization) and invitations; keys minted with every scope get the new members scope

Revision ID: 0013_organization_members
Revises: 0012_thumbnails
Create Date: 2026-12-03 06:00:00
"""

from __future__ import annotations

import json
import secrets

import sqlalchemy as sa
from alembic import op

revision = "0013_organization_members"
down_revision = "0012_thumbnails"
branch_labels = None
depends_on = None

EVERY_SCOPE_BEFORE = {"read", "generate", "gallery", "keys", "account", "billing", "webhooks", "admin"}


def upgrade() -> None:
    op.create_table(
        "organization_members",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("organization_id", sa.String(length=40), nullable=False),
        sa.Column("user_id", sa.String(length=40), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name=op.f("fk_organization_members_organization_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_organization_members_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_organization_members")),
        sa.UniqueConstraint("organization_id", "user_id", name="uq_organization_members_pair"),
    )
    op.create_index(op.f("ix_organization_members_organization_id"), "organization_members", ["organization_id"])
    op.create_index(op.f("ix_organization_members_user_id"), "organization_members", ["user_id"])
    op.create_table(
        "organization_invitations",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("organization_id", sa.String(length=40), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("invited_by", sa.String(length=40), nullable=True),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("accepted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("accepted_by", sa.String(length=40), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name=op.f("fk_organization_invitations_organization_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["invited_by"], ["users.id"], name=op.f("fk_organization_invitations_invited_by_users"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["accepted_by"],
            ["users.id"],
            name=op.f("fk_organization_invitations_accepted_by_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_organization_invitations")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_organization_invitations_token_hash")),
    )
    op.create_index(
        op.f("ix_organization_invitations_organization_id"), "organization_invitations", ["organization_id"]
    )
    op.create_index(op.f("ix_organization_invitations_email"), "organization_invitations", ["email"])
    conn = op.get_bind()
    users = sa.table(
        "users", sa.column("id", sa.String()), sa.column("organization_id", sa.String()), sa.column("created_at")
    )
    members = sa.table(
        "organization_members",
        sa.column("id", sa.String()),
        sa.column("organization_id", sa.String()),
        sa.column("user_id", sa.String()),
        sa.column("role", sa.String()),
        sa.column("created_at"),  # untyped: the user's value copied as the database gave it
    )
    rows = conn.execute(sa.select(users.c.id, users.c.organization_id, users.c.created_at)).all()
    if rows:  # every user owns the organization registration made for them
        conn.execute(
            members.insert(),
            [
                {
                    "id": f"mem_{secrets.token_hex(12)}",
                    "organization_id": org_id,
                    "user_id": user_id,
                    "role": "owner",
                    "created_at": created_at,
                }
                for user_id, org_id, created_at in rows
            ],
        )
    keys = sa.table("api_keys", sa.column("id", sa.String()), sa.column("scopes", sa.JSON()))
    for key_id, scopes in conn.execute(sa.select(keys.c.id, keys.c.scopes)).all():
        held = set(json.loads(scopes) if isinstance(scopes, str) else scopes or [])
        if held >= EVERY_SCOPE_BEFORE:  # minted with "every scope": keep meaning every scope
            ordered = ["read", "generate", "gallery", "keys", "account", "billing", "webhooks", "members", "admin"]
            conn.execute(keys.update().where(keys.c.id == key_id).values(scopes=ordered))


def downgrade() -> None:
    op.drop_table("organization_invitations")
    op.drop_table("organization_members")
