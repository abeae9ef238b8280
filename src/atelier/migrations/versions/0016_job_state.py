"""the job's own state in columns of its own: input object keys, the admission's budget
reservation, plan price and credits reserved (backfilled from the ledger), the provider request it waits on (fal's webhook inbox). They
were kept in ``params`` beside the request, so every output image's metadata could see them.

Revision ID: 0016_job_state
Revises: 0015_organization_deleted
Create Date: 2026-12-03 12:00:00
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0016_job_state"
down_revision = "0015_organization_deleted"
branch_labels = None
depends_on = None

#: params key → column
MOVED = {
    "input_keys": "input_keys",
    "has_mask": "has_mask",
    "estimated_cost_usd": "reserved_cost_usd",
    "plan_price_per_image_usd": "price_per_image_usd",
    "fal_webhook": "provider_request",
}

jobs = sa.table(
    "jobs",
    sa.column("id", sa.String),
    sa.column("params", sa.JSON),
    sa.column("input_keys", sa.JSON),
    sa.column("has_mask", sa.Boolean),
    sa.column("reserved_cost_usd", sa.Numeric(12, 6)),
    sa.column("price_per_image_usd", sa.Numeric(12, 6)),
    sa.column("reserved_credits", sa.Integer),
    sa.column("provider_request", sa.JSON),
)
ledger = sa.table(
    "credit_ledger", sa.column("job_id", sa.String), sa.column("kind", sa.String), sa.column("amount", sa.Integer)
)


def upgrade() -> None:
    with op.batch_alter_table("jobs") as batch:
        batch.add_column(sa.Column("input_keys", sa.JSON(), nullable=False, server_default="[]"))
        batch.add_column(sa.Column("has_mask", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch.add_column(sa.Column("reserved_cost_usd", sa.Numeric(12, 6), nullable=False, server_default="0"))
        batch.add_column(sa.Column("price_per_image_usd", sa.Numeric(12, 6), nullable=False, server_default="0"))
        batch.add_column(sa.Column("reserved_credits", sa.Integer(), nullable=False, server_default="0"))
        batch.add_column(sa.Column("provider_request", sa.JSON(), nullable=True))
    bind = op.get_bind()
    # what the ledger holds reserved for each job not yet settled (its reservation net of refunds)
    outstanding = (
        sa.select(-sa.func.coalesce(sa.func.sum(ledger.c.amount), 0))
        .where(ledger.c.job_id == jobs.c.id, ledger.c.kind.in_(("reservation", "refund")))
        .scalar_subquery()
    )
    bind.execute(sa.update(jobs).values(reserved_credits=outstanding))
    rows = bind.execute(sa.select(jobs.c.id, jobs.c.params)).all()
    for job_id, params in rows:
        if not isinstance(params, dict) or not any(key in params for key in MOVED):
            continue
        values: dict[str, Any] = {
            "params": {k: v for k, v in params.items() if k not in MOVED},
            "input_keys": list(params.get("input_keys") or []),
            "has_mask": bool(params.get("has_mask")),
            "reserved_cost_usd": Decimal(str(params.get("estimated_cost_usd") or "0")),
            "price_per_image_usd": Decimal(str(params.get("plan_price_per_image_usd") or "0")),
            "provider_request": params.get("fal_webhook"),
        }
        bind.execute(sa.update(jobs).where(jobs.c.id == job_id).values(**values))


def downgrade() -> None:
    bind = op.get_bind()
    rows = bind.execute(
        sa.select(
            jobs.c.id,
            jobs.c.params,
            jobs.c.input_keys,
            jobs.c.has_mask,
            jobs.c.reserved_cost_usd,
            jobs.c.price_per_image_usd,
            jobs.c.provider_request,
        )
    ).all()
    for job_id, params, input_keys, has_mask, reserved, price, provider_request in rows:
        record = dict(params or {})
        record.update(
            input_keys=input_keys or [],
            has_mask=bool(has_mask),
            estimated_cost_usd=str(reserved or 0),
            plan_price_per_image_usd=str(price or 0),
        )
        if provider_request is not None:
            record["fal_webhook"] = provider_request
        bind.execute(sa.update(jobs).where(jobs.c.id == job_id).values(params=record))
    with op.batch_alter_table("jobs") as batch:
        for column in (
            "provider_request",
            "reserved_credits",
            "price_per_image_usd",
            "reserved_cost_usd",
            "has_mask",
            "input_keys",
        ):
            batch.drop_column(column)
