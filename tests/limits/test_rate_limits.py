from __future__ import annotations

import asyncio

import httpx
from fastapi import FastAPI

from atelier.app import create_app
from atelier.settings import LimitSettings, Settings
from tests.helpers.accounts import create_key, register
from tests.helpers.live import LiveServer


def limited(settings: Settings, per_key: str) -> Settings:
    return settings.model_copy(update={"limits": LimitSettings(per_key=per_key)})


async def test_headers_on_every_limited_response(client: httpx.AsyncClient) -> None:
    account = await register(client)
    key = await create_key(client, account)
    response = await client.get("/v1/me", headers={"X-API-Key": key})
    assert response.status_code == 200
    assert response.headers["x-ratelimit-limit"] and response.headers["x-ratelimit-remaining"]
    assert response.headers["ratelimit"].startswith("limit=") and "w=60" in response.headers["ratelimit-policy"]


async def test_exactly_n_admitted_in_memory(settings: Settings) -> None:
    app: FastAPI = create_app(limited(settings, "10/minute"))
    transport = httpx.ASGITransport(app=app)
    async with app.router.lifespan_context(app), httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        account = await register(client)
        key = await create_key(client, account)
        responses = await asyncio.gather(*(client.get("/v1/me", headers={"X-API-Key": key}) for _ in range(50)))
    # create_key itself used one request of the JWT's own budget, not the key's
    codes = [r.status_code for r in responses]
    assert codes.count(200) == 10 and codes.count(429) == 40
    refused = next(r for r in responses if r.status_code == 429)
    assert refused.headers["retry-after"].isdigit() and int(refused.headers["retry-after"]) >= 1
    assert "10 per 60 seconds" in refused.json()["error"]["message"]


async def test_login_is_limited_per_address(settings: Settings) -> None:
    app: FastAPI = create_app(settings.model_copy(update={"limits": LimitSettings(per_ip="3/minute")}))
    transport = httpx.ASGITransport(app=app)
    async with app.router.lifespan_context(app), httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        codes = [
            (await client.post("/v1/auth/login", json={"email": "a@example.com", "password": "whatever1"})).status_code
            for _ in range(5)
        ]
    assert codes == [401, 401, 401, 429, 429]


def test_two_processes_share_one_limit_through_redis(settings: Settings, redis_url: str) -> None:
    shared = limited(settings.model_copy(update={"redis_url": redis_url}), "10/minute")
    first, second = LiveServer(create_app(shared)), LiveServer(create_app(shared))
    first.start()
    second.start()
    try:
        with httpx.Client(base_url=first.url) as c:
            creds = {"email": "redis@example.com", "password": "redis password"}
            c.post("/v1/auth/register", json=creds)
            token = c.post("/v1/auth/login", json=creds).json()["access_token"]
            key = c.post("/v1/keys", json={"name": "k"}, headers={"Authorization": f"Bearer {token}"}).json()["key"]

        async def fire() -> list[int]:
            async with httpx.AsyncClient() as client:
                responses = await asyncio.gather(
                    *(client.get(f"{(first, second)[i % 2].url}/v1/me", headers={"X-API-Key": key}) for i in range(50))
                )
            return [r.status_code for r in responses]

        codes = asyncio.run(fire())
        assert codes.count(200) == 10 and codes.count(429) == 40
    finally:
        first.stop()
        second.stop()
