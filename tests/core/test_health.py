from __future__ import annotations

import asyncio
from collections.abc import Iterator

import httpx
import pytest
from fastapi import FastAPI

from atelier.engines.base import CancelToken, GenerationRequest, no_progress
from atelier.engines.breaker import CircuitBreaker
from atelier.engines.providers.openai_images import OpenAIImagesEngine
from atelier.engines.routing import Deployment
from atelier.kit.errors import ProviderAuthError
from tests.helpers.accounts import register
from tests.helpers.engines import SlowEngine
from tests.helpers.live import LiveServer
from tests.providers.conftest import Fake
from tests.providers.fakes import openai_fake
from tests.providers.fakes.base import FakeState


async def test_liveness(client: httpx.AsyncClient) -> None:
    response = await client.get("/health")
    assert response.status_code == 200 and response.json()["status"] == "ok"


async def test_monitoring_health_reports_components(client: httpx.AsyncClient, app: object) -> None:
    body = (await client.get("/monitoring/health")).json()
    assert body["status"] == "healthy"
    assert body["services"]["database"]["status"] == "healthy"
    assert body["services"]["database"]["checked_at"]

    async def broken() -> str:
        raise ConnectionError("down")

    app.state.runtime.health_checks["database"] = broken  # type: ignore[attr-defined]
    response = await client.get("/monitoring/health")
    assert response.status_code == 503 and response.json()["status"] == "unhealthy"


async def test_metrics_report_real_request_figures(client: httpx.AsyncClient) -> None:
    admin = await register(client)  # the first account is the administrator
    for _ in range(3):
        await client.get("/health")
    await client.get("/does-not-exist")
    body = (await client.get("/monitoring/metrics", params={"hours": 1}, headers=admin.jwt_headers)).json()
    perf = body["performance"]
    assert perf["request_count"] >= 4
    assert perf["status_codes"]["200"] >= 3 and perf["status_codes"]["404"] == 1
    assert body["system"]["memory_usage_mb"] > 0 and 0 <= body["system"]["disk_usage_percent"] <= 100
    assert body["business"]["users_signup"] == 1
    bad = await client.get("/monitoring/metrics", params={"hours": 25}, headers=admin.jwt_headers)
    assert bad.status_code == 422 and "hours" in bad.text


@pytest.fixture
def openai_server() -> Iterator[Fake]:
    state = FakeState()
    server = LiveServer(openai_fake.build(state))
    server.start()
    try:
        yield Fake(state, server.url)
    finally:
        server.stop()


async def test_each_provider_deployment_is_a_component(client: httpx.AsyncClient, app: FastAPI) -> None:
    body = (await client.get("/monitoring/health")).json()
    design = body["services"]["provider:atelier-design"]
    assert design["status"] == "healthy" and design["checked_at"] and design["breaker"] == "closed"
    assert design["provider"] == "design" and body["status"] == "healthy"
    router = app.state.runtime.router
    components = {name for name in body["services"] if name.startswith("provider:")}
    assert components == {f"provider:{d.name}" for d in router.all_deployments()}


async def test_open_breaker_and_missing_credentials_show_in_health(
    client: httpx.AsyncClient, app: FastAPI, openai_server: Fake
) -> None:
    router = app.state.runtime.router
    spec = openai_server.spec("gpt-image-1", provider="openai", base="/v1", api_key="sk-rejected-by-the-provider")
    breaker = CircuitBreaker(failure_threshold=2, cooldown_seconds=3600)
    router.register(OpenAIImagesEngine(spec), models=["rejected"], provider="openai", breaker=breaker)
    before = (await client.get("/monitoring/health")).json()
    assert before["services"]["provider:openai/gpt-image-1"]["status"] == "healthy"
    assert openai_server.state.seen == []  # health asks the engine, never the provider

    for _ in range(2):  # the provider rejects the key twice: the breaker opens
        with pytest.raises(ProviderAuthError):
            await router.run("rejected", GenerationRequest(prompt="p"), no_progress, CancelToken())
    assert len(openai_server.state.seen) == 2
    opened = (await client.get("/monitoring/health")).json()
    component = opened["services"]["provider:openai/gpt-image-1"]
    assert component["status"] == "degraded" and component["breaker"] == "open" and component["checked_at"]
    assert "circuit open" in component["detail"]
    assert opened["status"] == "degraded" and opened["services"]["provider:atelier-design"]["status"] == "healthy"

    keyless = OpenAIImagesEngine(openai_server.spec("dall-e-3", provider="openai", api_key=None))
    router.register(keyless, models=["keyless"], provider="openai")
    response = await client.get("/monitoring/health")
    missing = response.json()["services"]["provider:openai/dall-e-3"]
    assert missing["status"] == "unhealthy" and "credentials" in missing["detail"]
    assert response.status_code == 200 and response.json()["status"] == "degraded"
    assert len(openai_server.state.seen) == 2


async def test_no_usable_deployment_makes_the_service_unhealthy(
    client: httpx.AsyncClient, app: FastAPI, openai_server: Fake
) -> None:
    router = app.state.runtime.router
    keyless = Deployment("openai/gpt-image-1", OpenAIImagesEngine(openai_server.spec("gpt-image-1", api_key=None)))
    router.routes = {"gpt-image-1": [keyless]}
    response = await client.get("/monitoring/health")
    body = response.json()
    assert response.status_code == 503 and body["status"] == "unhealthy"
    assert body["services"]["database"]["status"] == "healthy"
    assert [name for name in body["services"] if name.startswith("provider:")] == ["provider:openai/gpt-image-1"]


async def test_a_router_with_no_deployment_or_a_failing_check_is_unhealthy(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    router = app.state.runtime.router
    saved = router.routes
    router.routes = {}
    response = await client.get("/monitoring/health")
    assert response.status_code == 503 and response.json()["status"] == "unhealthy"
    assert not [name for name in response.json()["services"] if name.startswith("provider:")]

    class HangingCheck(SlowEngine):
        async def health(self) -> str:
            await asyncio.sleep(30)  # past the check timeout: the whole group times out
            return "healthy"

    router.routes = saved
    router.register(HangingCheck("hanging-check"), models=["hanging-check"])
    body = (await client.get("/monitoring/health")).json()
    assert body["status"] == "unhealthy", body
    assert body["services"]["provider:*"]["status"] == "unhealthy"
    assert body["services"]["provider:*"]["detail"] == "TimeoutError"
