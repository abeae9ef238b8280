"""The daily budget cap, and GET /v1/usage grouped by day, key and model within from/to."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import httpx
from fastapi import FastAPI

from atelier.billing.models import UsageDay
from tests.billing.test_ledger import engines, generate
from tests.helpers.accounts import create_key, register


async def test_the_daily_budget_refuses_past_its_cap(client: httpx.AsyncClient, app: FastAPI) -> None:
    engines(app)  # $0.01 per image
    admin = await register(client)  # unlimited: only the budget limits it
    key = await create_key(client, admin)
    headers = {"X-API-Key": key}
    caps = await client.put("/v1/budgets", json={"daily_usd": "0.05", "monthly_usd": "10"}, headers=headers)
    assert caps.status_code == 200, caps.text
    assert (await generate(client, key, "cheap", 4)).json()["status"] == "succeeded"
    refused = await generate(client, key, "cheap", 2)
    assert refused.status_code == 402, refused.text
    error = refused.json()["error"]
    assert error["code"] == "BUDGET_EXCEEDED" and "daily budget of $0.05" in error["message"]
    assert error["details"]["period"] == f"d:{datetime.now(UTC):%Y-%m-%d}"
    assert (await generate(client, key, "cheap", 1)).json()["status"] == "succeeded"  # exactly $0.05
    assert (await generate(client, key, "cheap", 1)).status_code == 402
    assert (await client.put("/v1/budgets", json={"daily_usd": None}, headers=headers)).status_code == 200
    assert (await generate(client, key, "cheap", 1)).json()["status"] == "succeeded"  # only the monthly cap now


async def test_usage_by_day_key_and_model_within_dates(client: httpx.AsyncClient, app: FastAPI) -> None:
    engines(app)  # cheap: $0.01 per image; broken always fails
    admin = await register(client)
    first, second = await create_key(client, admin), await create_key(client, admin)
    assert (await generate(client, first, "cheap", 2)).json()["status"] == "succeeded"
    assert (await generate(client, first, "cheap", 3)).json()["status"] == "succeeded"
    assert (await generate(client, second, "cheap", 1)).json()["status"] == "succeeded"
    assert (await generate(client, second, "broken", 2)).json()["status"] == "failed"
    keys = {k["prefix"]: k["id"] for k in (await client.get("/v1/keys", headers=admin.jwt_headers)).json()}
    first_id = next(v for p, v in keys.items() if first.startswith(p))
    second_id = next(v for p, v in keys.items() if second.startswith(p))
    today = datetime.now(UTC).strftime("%Y-%m-%d")
    async with app.state.runtime.sessions() as session:  # earlier days, as past settlements left them
        for day, images, cost in (("2026-01-05", 7, "0.07"), ("2026-01-20", 4, "0.04")):
            session.add(
                UsageDay(
                    organization_id=admin.organization_id,
                    api_key_id=first_id,
                    day=day,
                    model="cheap",
                    images=images,
                    jobs=1,
                    failures=0,
                    cost_usd=Decimal(cost),
                )
            )
        await session.commit()

    async def usage(**params: str) -> list[dict[str, object]]:
        response = await client.get("/v1/usage", params=params, headers=admin.jwt_headers)
        assert response.status_code == 200, response.text
        data: list[dict[str, object]] = response.json()["data"]
        return data

    assert await usage(group_by="day") == [
        {"day": "2026-01-05", "images": 7, "jobs": 1, "failures": 0, "cost_usd": "0.070000"},
        {"day": "2026-01-20", "images": 4, "jobs": 1, "failures": 0, "cost_usd": "0.040000"},
        {"day": today, "images": 6, "jobs": 4, "failures": 1, "cost_usd": "0.060000"},
    ]
    by_key = await usage(group_by="key", to=today)
    assert sorted(by_key, key=lambda row: str(row["key"])) == sorted(
        [
            {"key": first_id, "images": 16, "jobs": 4, "failures": 0, "cost_usd": "0.160000"},
            {"key": second_id, "images": 1, "jobs": 2, "failures": 1, "cost_usd": "0.010000"},
        ],
        key=lambda row: str(row["key"]),
    )
    by_key = await usage(group_by="key", **{"from": today})
    assert sorted(by_key, key=lambda row: str(row["key"])) == sorted(
        [
            {"key": first_id, "images": 5, "jobs": 2, "failures": 0, "cost_usd": "0.050000"},
            {"key": second_id, "images": 1, "jobs": 2, "failures": 1, "cost_usd": "0.010000"},
        ],
        key=lambda row: str(row["key"]),
    )
    assert await usage(group_by="day", **{"from": "2026-01-06", "to": "2026-01-31"}) == [
        {"day": "2026-01-20", "images": 4, "jobs": 1, "failures": 0, "cost_usd": "0.040000"}
    ]
    assert await usage(group_by="model", **{"from": "2026-01-01", "to": "2026-01-19"}) == [
        {"model": "cheap", "images": 7, "jobs": 1, "failures": 0, "cost_usd": "0.070000"}
    ]
    assert await usage(group_by="model", **{"from": "2025-01-01", "to": "2025-12-31"}) == []
    bad = await client.get("/v1/usage", params={"group_by": "week"}, headers=admin.jwt_headers)
    assert bad.status_code == 422 and "group_by" in bad.text


async def test_budgets_show_each_capped_period_and_its_alerts(client: httpx.AsyncClient, app: FastAPI) -> None:
    engines(app)  # $0.01 per image
    admin = await register(client)
    key = await create_key(client, admin)
    headers = {"X-API-Key": key}
    empty = (await client.get("/v1/budgets", headers=headers)).json()
    assert empty["periods"] == [] and empty["thresholds"] == [50, 80, 100]
    assert (await client.put("/v1/budgets", json={"daily_usd": "0.05"}, headers=headers)).status_code == 200
    assert (await generate(client, key, "cheap", 4)).json()["status"] == "succeeded"
    [daily] = (await client.get("/v1/budgets", headers=headers)).json()["periods"]
    assert daily["kind"] == "daily" and daily["period"] == f"d:{datetime.now(UTC):%Y-%m-%d}"
    assert daily["cap_usd"] == "0.0500" and daily["used_pct"] == 80 and daily["alerted_pct"] == 80
