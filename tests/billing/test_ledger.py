"""The credit ledger tells the whole story (grant, reservation, debit, refund, monthly refill),
and pay-as-you-go's price per image is charged, capped by budgets and never charged for failures."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import httpx
from fastapi import FastAPI
from sqlalchemy import select, update

from atelier.billing.models import BudgetPeriod, CreditAccount
from tests.billing.test_economy import ledger_matches, member_with_credits
from tests.helpers.accounts import Account, create_key, register
from tests.helpers.engines import SlowEngine

WAIT = {"Prefer": "wait=30"}


def engines(app: FastAPI) -> None:
    router = app.state.runtime.router
    router.register(SlowEngine("cheap", steps=1, delay=0, price="0.01"), models=["cheap"])
    router.register(SlowEngine("broken", steps=1, delay=0, fail="permanent", price="0.01"), models=["broken"])


async def generate(client: httpx.AsyncClient, key: str, model: str, n: int) -> httpx.Response:
    body = {"prompt": f"{n} from {model}", "model": model, "n": n, "size": "64x64"}
    return await client.post("/v1/generations", json=body, headers={"X-API-Key": key, **WAIT})


async def ledger(client: httpx.AsyncClient, key: str) -> list[dict[str, Any]]:
    response = await client.get("/v1/credits/ledger", headers={"X-API-Key": key})
    assert response.status_code == 200, response.text
    entries: list[dict[str, Any]] = response.json()
    return entries


async def payg_member(client: httpx.AsyncClient) -> tuple[Account, str]:
    admin = await register(client)
    member = await register(client)
    changed = await client.put(
        f"/v1/admin/organizations/{member.organization_id}/plan", json={"plan": "payg"}, headers=admin.jwt_headers
    )
    assert changed.status_code == 200, changed.text
    return member, await create_key(client, member)


async def test_pay_as_you_go_charges_each_image_within_the_budget(client: httpx.AsyncClient, app: FastAPI) -> None:
    engines(app)
    member, key = await payg_member(client)
    headers = {"X-API-Key": key}
    assert (await client.put("/v1/budgets", json={"monthly_usd": "0.15"}, headers=headers)).status_code == 200
    # each image: $0.01 provider cost + $0.02 plan price
    first = await generate(client, key, "cheap", 3)
    assert first.status_code == 200 and first.json()["status"] == "succeeded"
    failed = await generate(client, key, "broken", 2)  # $0.06 estimated: $0.15 reached, not passed
    assert failed.status_code == 200 and failed.json()["status"] == "failed"
    refused = await generate(client, key, "cheap", 3)  # $0.09 spent + $0.09 > $0.15
    assert refused.status_code == 402 and refused.json()["error"]["code"] == "BUDGET_EXCEEDED", refused.text
    assert "this request $0.09" in refused.json()["error"]["message"]
    second = await generate(client, key, "cheap", 2)  # $0.09 + $0.06 = $0.15: exactly the cap
    assert second.status_code == 200 and second.json()["status"] == "succeeded"
    last = await generate(client, key, "cheap", 1)
    assert last.status_code == 402 and last.json()["error"]["code"] == "BUDGET_EXCEEDED"

    usage = (await client.get("/v1/usage", params={"group_by": "model"}, headers=headers)).json()["data"]
    assert usage == [
        {"model": "broken", "images": 0, "jobs": 1, "failures": 1, "cost_usd": "0.000000"},
        {"model": "cheap", "images": 5, "jobs": 2, "failures": 0, "cost_usd": "0.150000"},
    ]
    entries = await ledger(client, key)
    debits = {e["job_id"]: e for e in entries if e["kind"] == "debit"}
    assert set(debits) == {first.json()["id"], second.json()["id"]}  # nothing for the failed job
    assert debits[first.json()["id"]]["amount_usd"] == "0.060000"
    assert debits[second.json()["id"]]["amount_usd"] == "0.040000"
    # no credits are reserved on pay-as-you-go: a job's only entry is its debit
    assert [(e["kind"], e["amount"]) for e in entries if e["job_id"]] == [("debit", 0), ("debit", 0)]
    async with app.state.runtime.sessions() as session:
        periods = (
            await session.execute(select(BudgetPeriod).where(BudgetPeriod.organization_id == member.organization_id))
        ).scalars()
        spent = [(p.period[:2], p.spent_usd, p.reserved_usd) for p in periods]
    assert spent == [("m:", Decimal("0.15"), Decimal("0"))]  # nothing left reserved by the failed job


async def test_the_plan_price_is_charged_without_a_budget(client: httpx.AsyncClient, app: FastAPI) -> None:
    engines(app)
    _, key = await payg_member(client)
    assert (await generate(client, key, "cheap", 4)).status_code == 200
    usage = (await client.get("/v1/usage", params={"group_by": "model"}, headers={"X-API-Key": key})).json()
    assert usage["data"][0]["cost_usd"] == "0.120000"  # 4 × ($0.01 + $0.02)


async def test_ledger_records_reservation_debit_and_refund(client: httpx.AsyncClient, app: FastAPI) -> None:
    engines(app)
    member, key = await member_with_credits(client, app, 5)
    ok = await generate(client, key, "cheap", 2)
    bad = await generate(client, key, "broken", 1)
    assert ok.json()["status"] == "succeeded" and bad.json()["status"] == "failed"
    entries = await ledger(client, key)
    times = [e["created_at"] for e in entries]
    assert times == sorted(times, reverse=True)  # newest first

    def story(job_id: str) -> list[tuple[str, int]]:
        return sorted((e["kind"], e["amount"]) for e in entries if e["job_id"] == job_id)

    assert story(ok.json()["id"]) == [("debit", 0), ("reservation", -2)]
    assert story(bad.json()["id"]) == [("refund", 1), ("reservation", -1)]
    debit = next(e for e in entries if e["kind"] == "debit")
    assert debit["note"] == "2 images; 2 reserved credits spent" and debit["amount_usd"] is None
    assert debit["balance_after"] == 3
    assert [e["kind"] for e in entries if e["job_id"] is None] == ["grant", "grant"]  # the plan's, then the test's
    assert await ledger_matches(app, member.organization_id) == (3, 3)
    credits = (await client.get("/v1/credits", headers={"X-API-Key": key})).json()
    assert credits["remaining"] == 3 and credits["total"] == 5
    page = await client.get("/v1/credits/ledger", params={"limit": 2, "offset": 1}, headers={"X-API-Key": key})
    assert [e["id"] for e in page.json()] == [e["id"] for e in entries[1:3]]


async def test_a_new_month_refills_to_the_plan_allowance(client: httpx.AsyncClient, app: FastAPI) -> None:
    engines(app)
    member, key = await member_with_credits(client, app, 5)
    assert (await generate(client, key, "cheap", 2)).json()["status"] == "succeeded"
    before = (await client.get("/v1/credits", headers={"X-API-Key": key})).json()
    async with app.state.runtime.sessions() as session:  # the account was last refilled in another month
        mine = CreditAccount.organization_id == member.organization_id
        await session.execute(update(CreditAccount).where(mine).values(period="2000-01"))
        await session.commit()
    credits = (await client.get("/v1/credits", headers={"X-API-Key": key})).json()
    assert credits["plan"] == "pro" and credits["remaining"] == 2000 and credits["total"] == 2000
    assert credits["last_refill"] > before["last_refill"]
    newest = (await ledger(client, key))[0]
    assert (newest["kind"], newest["amount"], newest["balance_after"]) == ("refill", 1997, 2000)
    assert newest["note"] == "monthly allowance 2000"
    assert await ledger_matches(app, member.organization_id) == (2000, 2000)
    again = (await client.get("/v1/credits", headers={"X-API-Key": key})).json()
    assert again["last_refill"] == credits["last_refill"]  # once per month
    assert len([e for e in await ledger(client, key) if e["kind"] == "refill"]) == 1


async def test_the_plan_price_lives_on_the_job_row_and_no_image_embeds_it(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    """What admission fixed (the reservation, the plan's price) is job state, not request:
    it is in columns of its own, and an image's metadata is the allow list and nothing else."""
    from atelier.images.metadata import read
    from atelier.jobs.models import Job

    engines(app)
    _member, key = await payg_member(client)
    done = await generate(client, key, "cheap", 1)
    assert done.status_code == 200 and done.json()["status"] == "succeeded", done.text
    job_id = done.json()["id"]
    async with app.state.runtime.sessions() as session:
        job = await session.get(Job, job_id)
    assert job is not None
    assert job.price_per_image_usd == Decimal("0.02") and job.reserved_cost_usd == Decimal("0.03")
    assert set(job.params) >= {"prompt", "model", "n", "width", "height"}
    assert not {"estimated_cost_usd", "plan_price_per_image_usd", "input_keys", "has_mask"} & set(job.params)
    asset = done.json()["assets"][0]
    image = await client.get(asset["url"])
    assert image.status_code == 200
    meta = read(image.content)
    assert meta is not None and set(meta) == {"prompt", "model", "size", "engine", "job_id", "asset_id"}
    assert meta["job_id"] == job_id
