"""Credits, budgets, plans and usage, exact under concurrency."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
from fastapi import FastAPI
from sqlalchemy import func, select

from atelier.billing import service
from atelier.billing.models import CreditAccount, CreditEntry
from tests.helpers.accounts import Account, create_key, register
from tests.helpers.engines import SlowEngine


class FlakyEngine(SlowEngine):
    """Fails every third call on purpose (about 30% of jobs)."""

    async def generate(self, request: Any, progress: Any, cancel: Any) -> Any:
        self.calls += 1
        if self.calls % 10 in {1, 4, 7}:
            from atelier.kit.errors import PermanentEngineError

            raise PermanentEngineError("provider refused")
        self.calls -= 1
        return await super().generate(request, progress, cancel)


async def member_with_credits(client: httpx.AsyncClient, app: FastAPI, credits: int) -> tuple[Account, str]:
    await register(client)  # the first account is the unlimited admin; the next is a metered member
    member = await register(client)
    runtime = app.state.runtime
    async with runtime.sessions() as session:
        plans = runtime.plans
        org, _ = await service.org_plan(session, member.organization_id, plans)
        org.plan = "pro"  # credits are the limit under test, not the free plan's hourly cap
        account = await service.lock_account(session, org, service.get_plan("pro", plans))
        await service.set_allowance(session, account, credits, "grant", service.datetime.now(service.UTC))
        await session.commit()
    return member, await create_key(client, member)


async def ledger_matches(app: FastAPI, org_id: str) -> tuple[int, int]:
    async with app.state.runtime.sessions() as session:
        balance = (
            await session.execute(select(CreditAccount.balance).where(CreditAccount.organization_id == org_id))
        ).scalar_one()
        total = (
            await session.execute(select(func.sum(CreditEntry.amount)).where(CreditEntry.organization_id == org_id))
        ).scalar_one()
    return balance, int(total)


async def wait_all_final(client: httpx.AsyncClient, headers: dict[str, str], ids: list[str]) -> list[dict[str, Any]]:
    jobs: list[dict[str, Any]] = []
    for job_id in ids:
        for _ in range(600):
            job = (await client.get(f"/v1/generations/{job_id}", headers=headers)).json()
            if job["status"] in {"succeeded", "failed", "canceled"}:
                break
            await asyncio.sleep(0.05)
        jobs.append(job)
    return jobs


async def test_200_concurrent_requests_for_50_credits(client: httpx.AsyncClient, app: FastAPI) -> None:
    app.state.runtime.router.register(SlowEngine("fast", steps=1, delay=0), models=["fast"])
    member, key = await member_with_credits(client, app, 50)
    headers = {"X-API-Key": key}
    responses = await asyncio.gather(
        *(
            client.post("/v1/generations", json={"prompt": f"p{i}", "model": "fast", "size": "64x64"}, headers=headers)
            for i in range(200)
        )
    )
    codes = [r.status_code for r in responses]
    assert codes.count(202) + codes.count(200) == 50 and codes.count(402) == 150
    assert all(r.json()["error"]["code"] == "INSUFFICIENT_CREDITS" for r in responses if r.status_code == 402)
    ids = [r.json()["id"] for r in responses if r.status_code in {200, 202}]
    jobs = await wait_all_final(client, headers, ids)
    assert {j["status"] for j in jobs} == {"succeeded"}
    balance, ledger_sum = await ledger_matches(app, member.organization_id)
    assert balance == 0 == ledger_sum
    credits = (await client.get("/v1/credits", headers=headers)).json()
    assert credits.get("remaining") == 0 and credits.get("total") == 50, credits


async def test_failures_are_refunded_and_balance_never_negative(client: httpx.AsyncClient, app: FastAPI) -> None:
    app.state.runtime.router.register(FlakyEngine("flaky", steps=1, delay=0), models=["flaky"])
    member, key = await member_with_credits(client, app, 50)
    headers = {"X-API-Key": key}
    responses = await asyncio.gather(
        *(
            client.post("/v1/generations", json={"prompt": f"p{i}", "model": "flaky", "size": "64x64"}, headers=headers)
            for i in range(200)
        )
    )
    ids = [r.json()["id"] for r in responses if r.status_code in {200, 202}]
    # Refunds of early failures free credits for requests still arriving, so more than 50 may be admitted.
    assert len(ids) >= 50
    assert all(r.status_code == 402 for r in responses if r.status_code not in {200, 202})
    jobs = await wait_all_final(client, headers, ids)
    failed = sum(1 for j in jobs if j["status"] == "failed")
    succeeded = sum(1 for j in jobs if j["status"] == "succeeded")
    assert failed > 0 and failed + succeeded == len(ids)
    balance, ledger_sum = await ledger_matches(app, member.organization_id)
    assert balance == ledger_sum == 50 - succeeded
    async with app.state.runtime.sessions() as session:
        lowest = (
            await session.execute(
                select(func.min(CreditEntry.balance_after)).where(CreditEntry.organization_id == member.organization_id)
            )
        ).scalar_one()
        refunds = (
            await session.execute(
                select(func.count()).where(
                    CreditEntry.organization_id == member.organization_id, CreditEntry.kind == "refund"
                )
            )
        ).scalar_one()
    assert lowest >= 0 and refunds == failed


async def test_monthly_budget_refuses_the_21st_image(client: httpx.AsyncClient, app: FastAPI) -> None:
    app.state.runtime.router.register(SlowEngine("paid", steps=1, delay=0, price="0.05"), models=["paid"])
    admin = await register(client)
    key = await create_key(client, admin)
    headers = {"X-API-Key": key}
    assert (await client.put("/v1/budgets", json={"monthly_usd": "1.00"}, headers=headers)).status_code == 200
    ids = []
    for i in range(20):
        response = await client.post(
            "/v1/generations",
            json={"prompt": f"p{i}", "model": "paid", "size": "64x64"},
            headers={**headers, "Prefer": "wait=30"},
        )
        assert response.status_code == 200, response.text
        ids.append(response.json()["id"])
    refused = await client.post(
        "/v1/generations", json={"prompt": "one more", "model": "paid", "size": "64x64"}, headers=headers
    )
    assert refused.status_code == 402 and refused.json()["error"]["code"] == "BUDGET_EXCEEDED"
    events = (await client.get("/v1/audit", params={"action": "budget.threshold"}, headers=headers)).json()
    assert sorted(e["details"]["threshold"] for e in events) == [50, 80, 100]
    usage = (await client.get("/v1/usage", params={"group_by": "model"}, headers=headers)).json()["data"]
    assert usage == [{"model": "paid", "images": 20, "jobs": 20, "failures": 0, "cost_usd": "1.000000"}]


async def test_plan_hourly_limit_and_admin_plan_change(client: httpx.AsyncClient, app: FastAPI) -> None:
    app.state.runtime.router.register(SlowEngine("fast", steps=1, delay=0), models=["fast"])
    admin = await register(client)
    member = await register(client)
    key = await create_key(client, member)
    headers = {"X-API-Key": key}
    ok = await client.post(
        "/v1/generations", json={"prompt": "x", "model": "fast", "n": 10, "size": "64x64"}, headers=headers
    )
    assert ok.status_code == 202
    limited = await client.post(
        "/v1/generations", json={"prompt": "x", "model": "fast", "size": "64x64"}, headers=headers
    )
    assert limited.status_code == 429 and "10 images per hour" in limited.json()["error"]["message"]
    assert limited.headers["retry-after"] == "3600"
    denied = await client.put(
        f"/v1/admin/organizations/{member.organization_id}/plan", json={"plan": "pro"}, headers=headers
    )
    assert denied.status_code == 403
    changed = await client.put(
        f"/v1/admin/organizations/{member.organization_id}/plan", json={"plan": "pro"}, headers=admin.jwt_headers
    )
    assert changed.status_code == 200
    credits = (await client.get("/v1/credits", headers=headers)).json()
    assert credits["plan"] == "pro" and credits["total"] == 2000
    assert (
        await client.post("/v1/generations", json={"prompt": "x", "model": "fast", "size": "64x64"}, headers=headers)
    ).status_code == 202
