"""credit ledger: the money a plan charges per image, on debit entries

Revision ID: 0007_ledger_amount_usd
Revises: 0004_idempotency
Create Date: 2026-11-24 09:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007_ledger_amount_usd"
down_revision = "0004_idempotency"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("credit_ledger", schema=None) as batch_op:
        batch_op.add_column(sa.Column("amount_usd", sa.Numeric(precision=14, scale=6), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("credit_ledger", schema=None) as batch_op:
        batch_op.drop_column("amount_usd")
