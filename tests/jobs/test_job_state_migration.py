"""Migration 0016 moves the job's own state out of ``params`` (the request) into columns:
input keys, the budget reservation and plan price, and fal's webhook inbox."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import sqlalchemy as sa
from alembic import command

from atelier.migrations.runner import alembic_config

OLD_PARAMS = {
    "prompt": "a poster",
    "model": "atelier-design",
    "input_keys": ["prj_1/inputs/job_1-0", "prj_1/inputs/job_1-1"],
    "has_mask": True,
    "estimated_cost_usd": "0.120000",
    "plan_price_per_image_usd": "0.040000",
    "fal_webhook": {"request_id": "req_9", "notification": None},
}


def test_the_jobs_own_state_leaves_params_and_comes_back_on_downgrade(tmp_path: Path) -> None:
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'old.db'}")
    now = "2026-01-01 00:00:00"
    with engine.begin() as conn:
        command.upgrade(alembic_config(conn), "0015_organization_deleted")
        conn.execute(
            sa.text("INSERT INTO organizations (id, name, plan, created_at) VALUES ('org_1', 'o', 'free', :now)"),
            {"now": now},
        )
        conn.execute(
            sa.text(
                "INSERT INTO projects (id, organization_id, name, created_at) VALUES ('prj_1', 'org_1', 'p', :now)"
            ),
            {"now": now},
        )
        for job_id, params in (("job_1", OLD_PARAMS), ("job_2", {"prompt": "plain", "model": "m"})):
            conn.execute(
                sa.text(
                    "INSERT INTO jobs (id, organization_id, project_id, user_id, status, model, params, n, progress,"
                    " attempts, runs, cost_usd, notes, fidelity, cancel_requested, created_at) VALUES"
                    " (:id, 'org_1', 'prj_1', 'usr_1', 'queued', 'm', :params, 1, 0, '[]', 0, 0, '[]', '[]', 0, :now)"
                ),
                {"id": job_id, "params": json.dumps(params), "now": now},
            )
        # job_1 holds 3 credits reserved, 1 already refunded: 2 outstanding
        for entry_id, kind, amount in (("led_1", "reservation", -3), ("led_2", "refund", 1), ("led_3", "grant", 50)):
            conn.execute(
                sa.text(
                    "INSERT INTO credit_ledger (id, organization_id, kind, amount, balance_after, job_id, created_at)"
                    " VALUES (:id, 'org_1', :kind, :amount, 0, :job, :now)"
                ),
                {
                    "id": entry_id,
                    "kind": kind,
                    "amount": amount,
                    "job": None if kind == "grant" else "job_1",
                    "now": now,
                },
            )
    with engine.begin() as conn:
        command.upgrade(alembic_config(conn), "0016_job_state")
        rows = {
            row.id: row
            for row in conn.execute(
                sa.text(
                    "SELECT id, params, input_keys, has_mask, reserved_cost_usd, price_per_image_usd,"
                    " reserved_credits, provider_request FROM jobs"
                )
            )
        }
    moved = rows["job_1"]
    assert json.loads(moved.params) == {"prompt": "a poster", "model": "atelier-design"}
    assert json.loads(moved.input_keys) == OLD_PARAMS["input_keys"] and moved.has_mask
    assert Decimal(str(moved.reserved_cost_usd)) == Decimal("0.12")
    assert Decimal(str(moved.price_per_image_usd)) == Decimal("0.04")
    assert json.loads(moved.provider_request) == OLD_PARAMS["fal_webhook"]
    assert moved.reserved_credits == 2
    plain = rows["job_2"]
    assert json.loads(plain.params) == {"prompt": "plain", "model": "m"}
    assert json.loads(plain.input_keys) == [] and not plain.has_mask and plain.provider_request is None
    assert plain.reserved_credits == 0

    with engine.begin() as conn:
        command.downgrade(alembic_config(conn), "0015_organization_deleted")
        params = json.loads(conn.execute(sa.text("SELECT params FROM jobs WHERE id = 'job_1'")).scalar_one())
    engine.dispose()
    assert params["input_keys"] == OLD_PARAMS["input_keys"] and params["has_mask"] is True
    assert (
        Decimal(params["estimated_cost_usd"]) == Decimal("0.12") and params["fal_webhook"] == OLD_PARAMS["fal_webhook"]
    )
