"""NanoDesigner's monitoring contract: business figures from the jobs table, and the health
services its document lists (redis, database, openrouter, storage), never faked healthy."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from atelier.app import create_app
from atelier.engines.providers.hosted import EngineSpec
from atelier.engines.providers.openrouter import OpenRouterEngine
from atelier.settings import Settings
from tests.helpers.accounts import create_key, register
from tests.helpers.engines import SlowEngine

BASE = "/compat/nanodesigner"


async def _finished(client: httpx.AsyncClient, headers: dict[str, str], body: dict[str, Any]) -> dict[str, Any]:
    response = await client.post("/v1/generations", json=body, headers={**headers, "Prefer": "wait=60"})
    assert response.status_code in {200, 202}, response.text
    job: dict[str, Any] = (await client.get(f"/v1/generations/{response.json()['id']}", headers=headers)).json()
    assert job["status"] in {"succeeded", "failed"}, job
    return job


async def test_business_figures_count_real_renders_and_metered_revenue(client: httpx.AsyncClient, app: FastAPI) -> None:
    router = app.state.runtime.router
    router.register(SlowEngine("ok", steps=1, delay=0), models=["ok"])
    router.register(SlowEngine("broken", steps=1, delay=0, fail="permanent"), models=["broken"])
    admin = await register(client)
    member = await register(client)
    paid = await client.put(
        f"/v1/admin/organizations/{member.organization_id}/plan", json={"plan": "payg"}, headers=admin.jwt_headers
    )
    assert paid.status_code == 200, paid.text
    headers = {"X-API-Key": await create_key(client, member)}
    before = (await client.get(f"{BASE}/monitoring/metrics", headers=admin.jwt_headers)).json()["business"]
    assert before["renders_total"] == 0 and before["revenue_total"] == 0.0

    one = await _finished(client, headers, {"prompt": "a", "model": "ok", "size": "64x64", "n": 1})
    two = await _finished(client, headers, {"prompt": "b", "model": "ok", "size": "64x64", "n": 2})
    failed = await _finished(client, headers, {"prompt": "c", "model": "broken", "size": "64x64"})
    assert [one["status"], two["status"], failed["status"]] == ["succeeded", "succeeded", "failed"]

    for path in (f"{BASE}/monitoring/metrics", "/monitoring/metrics"):
        business = (await client.get(path, params={"hours": 1}, headers=admin.jwt_headers)).json()["business"]
        assert business["renders_total"] == 3
        assert business["renders_success"] == 2
        assert business["renders_failure"] == 1
        # payg bills $0.02 per delivered image: 1 + 2 images; the failed render bills nothing
        assert business["revenue_total"] == 0.06
        assert business["users_signup"] == 2


async def test_unconfigured_redis_and_openrouter_are_reported_as_such(client: httpx.AsyncClient, app: FastAPI) -> None:
    if app.state.runtime.settings.redis_url:
        pytest.skip("this run configures Redis; the configured case is tested below")
    response = await client.get(f"{BASE}/monitoring/health")
    body = response.json()
    assert response.status_code == 200 and body["status"] == "healthy"
    services = body["services"]
    assert {"redis", "database", "openrouter", "storage"} <= set(services)
    assert services["redis"]["status"] == "not_configured" and services["redis"]["checked_at"]
    assert services["openrouter"]["status"] == "not_configured"
    assert services["database"]["status"] == "healthy" and services["storage"]["status"] == "healthy"


@pytest.fixture
async def redis_client(settings: Settings, redis_url: str) -> AsyncIterator[httpx.AsyncClient]:
    application = create_app(settings.model_copy(update={"redis_url": redis_url}))
    async with application.router.lifespan_context(application):
        transport = httpx.ASGITransport(app=application)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as c:
            yield c


async def test_configured_redis_is_pinged(redis_client: httpx.AsyncClient) -> None:
    redis = (await redis_client.get(f"{BASE}/monitoring/health")).json()["services"]["redis"]
    assert redis["status"] == "healthy"


async def test_configured_openrouter_reports_the_routers_health(client: httpx.AsyncClient, app: FastAPI) -> None:
    router = app.state.runtime.router

    def openrouter(api_key: str | None) -> OpenRouterEngine:
        spec = EngineSpec(
            name="openrouter/google/gemini-2.5-flash-image",
            model="google/gemini-2.5-flash-image",
            provider="openrouter",
            api_key=api_key,
            base_url="http://127.0.0.1:9",
        )
        return OpenRouterEngine(spec)

    router.register(openrouter("sk-or-test"), models=["or-test"], provider="openrouter")
    services = (await client.get(f"{BASE}/monitoring/health")).json()["services"]
    assert services["openrouter"]["status"] == "healthy"

    router.register(openrouter(None), models=["or-test"], provider="openrouter")  # key withdrawn
    body = (await client.get(f"{BASE}/monitoring/health")).json()
    assert body["services"]["openrouter"]["status"] == "unhealthy"
    assert body["status"] == "degraded"
