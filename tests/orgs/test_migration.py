"""Migration 0013 gives every existing user an owner membership of the organization their
registration made, and keys minted with every scope the new ``members`` scope."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from alembic import command

from atelier.migrations.runner import alembic_config


def test_existing_users_become_owners_of_their_organizations(tmp_path: Path) -> None:
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'old.db'}")
    with engine.begin() as conn:
        command.upgrade(alembic_config(conn), "0012_thumbnails")
        now = "2026-01-01 00:00:00"
        for n in (1, 2):
            conn.execute(
                sa.text("INSERT INTO organizations (id, name, plan, created_at) VALUES (:id, 'o', 'free', :now)"),
                {"id": f"org_{n}", "now": now},
            )
            conn.execute(
                sa.text(
                    "INSERT INTO users (id, email, password_hash, role, organization_id, is_active, token_version,"
                    " created_at, updated_at) VALUES (:id, :email, 'x', 'member', :org, 1, 0, :now, :now)"
                ),
                {"id": f"usr_{n}", "email": f"u{n}@example.com", "org": f"org_{n}", "now": now},
            )
        every = '["read", "generate", "gallery", "keys", "account", "billing", "webhooks", "admin"]'
        for key_id, scopes in (("key_all", every), ("key_read", '["read"]')):
            conn.execute(
                sa.text(
                    "INSERT INTO api_keys (id, organization_id, user_id, name, prefix, key_hash, scopes, created_at)"
                    " VALUES (:id, 'org_1', 'usr_1', 'k', 'atl_', :id, :scopes, :now)"
                ),
                {"id": key_id, "scopes": scopes, "now": now},
            )
    with engine.begin() as conn:
        command.upgrade(alembic_config(conn), "0013_organization_members")
        members = conn.execute(sa.text("SELECT organization_id, user_id, role FROM organization_members")).all()
        scopes = {k: v for k, v in conn.execute(sa.text("SELECT id, scopes FROM api_keys")).all()}
    engine.dispose()
    assert sorted(tuple(m) for m in members) == [("org_1", "usr_1", "owner"), ("org_2", "usr_2", "owner")]
    assert '"members"' in scopes["key_all"] and scopes["key_read"] == '["read"]'
