"""One request pipeline: the caller is resolved once per request whatever asks for it, and
CORS is the outermost layer, so a 429 or a 500 still reaches a browser client."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import FastAPI

from atelier.app import create_app
from atelier.auth import principal as principal_module
from atelier.auth.dependencies import PUBLIC
from atelier.settings import LimitSettings, ServerSettings, Settings
from tests.helpers.accounts import create_key, register

ORIGIN = "https://console.example"


@pytest.fixture
async def cors_app(settings: Settings) -> AsyncIterator[FastAPI]:
    app = create_app(
        settings.model_copy(
            update={
                "server": ServerSettings(cors_origins=[ORIGIN]),
                "limits": LimitSettings(per_key="3/minute", per_organization="1000/minute"),
            }
        )
    )

    @app.get("/boom", dependencies=[PUBLIC])
    async def boom() -> None:
        raise RuntimeError("a bug of ours")

    async with app.router.lifespan_context(app):
        yield app


async def test_the_caller_is_looked_up_once_per_request(
    client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    account = await register(client)
    key = await create_key(client, account)
    calls: list[str] = []
    original = principal_module.principal_from_key

    async def counting(session: object, secret: str) -> principal_module.Principal:
        calls.append(secret)
        return await original(session, secret)  # type: ignore[arg-type]

    monkeypatch.setattr(principal_module, "principal_from_key", counting)
    # rate limits (per key and per organization), idempotency and the route all need the caller
    response = await client.post(
        "/v1/projects", json={"name": "once"}, headers={"X-API-Key": key, "Idempotency-Key": "once-1"}
    )
    assert response.status_code == 201, response.text
    assert calls == [key]


async def test_a_429_carries_cors_headers(cors_app: FastAPI) -> None:
    transport = httpx.ASGITransport(app=cors_app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        account = await register(client)
        headers = {"X-API-Key": await create_key(client, account), "Origin": ORIGIN}
        statuses = [(await client.get("/v1/me", headers=headers)) for _ in range(4)]
        assert [r.status_code for r in statuses] == [200, 200, 200, 429]
        assert statuses[-1].headers["access-control-allow-origin"] == ORIGIN
        assert "retry-after" in statuses[-1].headers["access-control-expose-headers"].lower()


async def test_a_500_carries_cors_headers_and_the_request_id(cors_app: FastAPI) -> None:
    transport = httpx.ASGITransport(app=cors_app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        response = await client.get("/boom", headers={"Origin": ORIGIN})
        assert response.status_code == 500
        assert response.headers["access-control-allow-origin"] == ORIGIN
        assert response.headers["x-request-id"].startswith("req_")
        assert "a bug of ours" not in response.text
