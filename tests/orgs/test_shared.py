"""Credits, budgets, rate limits, usage and the gallery belong to the organization: its
members draw on and see the same ones, and each job records the member who submitted it."""

from __future__ import annotations

import asyncio

import httpx
from fastapi import FastAPI
from sqlalchemy import select

from atelier.app import create_app
from atelier.billing import service
from atelier.jobs.models import Job
from atelier.settings import LimitSettings, Settings
from tests.helpers.engines import SlowEngine
from tests.orgs.team import Team, make_team


async def _key(client: httpx.AsyncClient, team: Team, role: str) -> dict[str, str]:
    minted = await client.post("/v1/keys", json={"name": role}, headers=team.headers("owner"))
    assert minted.status_code == 201
    return {"X-API-Key": minted.json()["key"]}


async def _generate(client: httpx.AsyncClient, headers: dict[str, str], prompt: str) -> httpx.Response:
    return await client.post(
        "/v1/generations",
        json={"prompt": prompt, "model": "paid", "size": "64x64"},
        headers={**headers, "Prefer": "wait=30"},
    )


async def test_members_share_one_budget(client: httpx.AsyncClient, app: FastAPI) -> None:
    app.state.runtime.router.register(SlowEngine("paid", steps=1, delay=0, price="0.05"), models=["paid"])
    team = await make_team(client)
    budget = await client.put("/v1/budgets", json={"monthly_usd": "0.10"}, headers=team.headers("admin"))
    assert budget.status_code == 200, budget.text
    member, owner = team.headers("member"), team.headers("owner")
    for headers in (member, owner):
        done = await _generate(client, headers, "one each")
        assert done.status_code == 200 and done.json()["status"] == "succeeded", done.text
    for headers in (member, owner):  # $0.10 spent between them: the organization's cap
        refused = await _generate(client, headers, "one more")
        assert refused.status_code == 402 and refused.json()["error"]["code"] == "BUDGET_EXCEEDED"
    # each member's own organization has no budget and is untouched
    own = await _generate(client, team.people["member"].jwt_headers, "at home")
    assert own.status_code == 200, own.text
    usage = (await client.get("/v1/usage", params={"group_by": "model"}, headers=team.headers("viewer"))).json()
    assert usage["data"] == [{"model": "paid", "images": 2, "jobs": 2, "failures": 0, "cost_usd": "0.100000"}]
    gallery = (await client.get("/v1/assets", headers=team.headers("viewer"))).json()
    assert len(gallery["data"]) == 2
    async with app.state.runtime.sessions() as session:
        jobs = (await session.execute(select(Job).where(Job.organization_id == team.organization_id))).scalars().all()
    assert sorted(j.user_id for j in jobs) == sorted([team.people["member"].user_id, team.people["owner"].user_id])


async def test_members_draw_on_one_credit_balance(client: httpx.AsyncClient, app: FastAPI) -> None:
    team = await make_team(client)
    runtime = app.state.runtime
    async with runtime.sessions() as session:
        org, _ = await service.org_plan(session, team.organization_id, runtime.plans)
        org.plan = "pro"
        account = await service.lock_account(session, org, service.get_plan("pro", runtime.plans))
        await service.set_allowance(session, account, 3, "grant", service.datetime.now(service.UTC))
        await session.commit()
    keys = [await _key(client, team, "member"), await _key(client, team, "admin")]
    admitted = []
    for i in range(4):
        response = await client.post(
            "/v1/generations", json={"prompt": f"p{i}", "size": "64x64"}, headers={**keys[i % 2], "Prefer": "wait=30"}
        )
        admitted.append(response.status_code)
    assert admitted == [200, 200, 200, 402], admitted
    credits = (await client.get("/v1/credits", headers=team.headers("viewer"))).json()
    assert credits["remaining"] == 0 and credits["total"] == 3


async def test_members_share_the_organizations_rate_limit(settings: Settings) -> None:
    setup: FastAPI = create_app(settings)  # the team made without spending the limit under test
    async with (
        setup.router.lifespan_context(setup),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=setup), base_url="http://t") as client,
    ):
        team = await make_team(client)
    limited = {
        "redis_namespace": settings.redis_namespace + "-org",
        "limits": LimitSettings(per_organization="6/minute"),
    }
    app: FastAPI = create_app(settings.model_copy(update=limited))
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client,
    ):
        people = ("viewer", "member", "admin", "owner")
        responses = await asyncio.gather(
            *(client.get("/v1/organization", headers=team.headers(people[i % 4])) for i in range(12))
        )
        codes = [r.status_code for r in responses]
        assert codes.count(200) == 6 and codes.count(429) == 6, codes
        # in their own organizations the same people are not limited by the team's counter
        own = await client.get("/v1/organization", headers=team.people["member"].jwt_headers)
        assert own.status_code == 200
