from __future__ import annotations

import asyncio
import secrets
import subprocess
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI

from atelier.app import create_app
from atelier.settings import LimitSettings, Settings
from tests.helpers.accounts import create_key, register
from tests.helpers.live import free_port
from tests.jobs.test_crash_recovery import base_env, serve


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


async def test_several_windows_at_once_the_tightest_decides(settings: Settings) -> None:
    app: FastAPI = create_app(limited(settings, "100/minute;3/10 seconds"))
    transport = httpx.ASGITransport(app=app)
    async with app.router.lifespan_context(app), httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        account = await register(client)
        key = await create_key(client, account)
        responses = await asyncio.gather(*(client.get("/v1/me", headers={"X-API-Key": key}) for _ in range(10)))
    codes = [r.status_code for r in responses]
    assert codes.count(200) == 3 and codes.count(429) == 7
    admitted = [r for r in responses if r.status_code == 200]
    assert all(
        "3;w=10" in r.headers["ratelimit-policy"] and "100;w=60" in r.headers["ratelimit-policy"] for r in admitted
    )
    assert sorted(r.headers["x-ratelimit-limit"] for r in admitted) == ["3", "3", "3"]
    for refused in (r for r in responses if r.status_code == 429):
        error = refused.json()["error"]
        assert error["details"] == {"limit": "3 per 10 seconds", "scope": "key", "per": "credential"}
        assert "3 per 10 seconds" in error["message"] and 1 <= int(refused.headers["retry-after"]) <= 10


async def test_keys_of_one_organization_share_its_limit(settings: Settings) -> None:
    setup: FastAPI = create_app(settings)  # keys made without spending the limit under test
    setup_transport = httpx.ASGITransport(app=setup)
    async with (
        setup.router.lifespan_context(setup),
        httpx.AsyncClient(transport=setup_transport, base_url="http://t") as client,
    ):
        account = await register(client)
        keys = [await create_key(client, account), await create_key(client, account)]
    own_counters = {
        "redis_namespace": settings.redis_namespace + "-org",
        "limits": LimitSettings(per_organization="5/minute"),
    }
    app: FastAPI = create_app(settings.model_copy(update=own_counters))
    transport = httpx.ASGITransport(app=app)
    async with app.router.lifespan_context(app), httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        responses = await asyncio.gather(*(client.get("/v1/me", headers={"X-API-Key": keys[i % 2]}) for i in range(10)))
    codes = [r.status_code for r in responses]
    assert codes.count(200) == 5 and codes.count(429) == 5
    refused = next(r for r in responses if r.status_code == 429).json()["error"]
    assert refused["details"] == {"limit": "5 per 60 seconds", "scope": "organization", "per": "organization"}


async def test_login_is_limited_per_address(settings: Settings) -> None:
    app: FastAPI = create_app(settings.model_copy(update={"limits": LimitSettings(per_ip="3/minute")}))
    transport = httpx.ASGITransport(app=app)
    async with app.router.lifespan_context(app), httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        codes = [
            (await client.post("/v1/auth/login", json={"email": "a@example.com", "password": "whatever1"})).status_code
            for _ in range(5)
        ]
    assert codes == [401, 401, 401, 429, 429]


def test_two_processes_share_one_limit_through_redis(
    settings: Settings, redis_url: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    """Two `atelier serve` processes, one database, one Redis: 50 concurrent requests split
    between them, exactly 10 admitted."""
    env = base_env(tmp_path, settings.resolved_database_url, request)
    env.update(
        {
            "ATELIER_LIMITS__ENABLED": "true",
            "ATELIER_LIMITS__PER_KEY": "10/minute",
            "ATELIER_REDIS_URL": redis_url,
            "ATELIER_REDIS_NAMESPACE": f"two-processes-{secrets.token_hex(6)}",
            "ATELIER_AUTH__SECRET_KEY": settings.signing_secret(),
        }
    )
    ports = [free_port(), free_port()]
    servers = []
    try:
        for index, port in enumerate(ports):
            servers.append(serve(env, port, tmp_path / f"serve-{index}.log"))
        urls = [f"http://127.0.0.1:{port}" for port in ports]
        assert servers[0].pid != servers[1].pid
        with httpx.Client(base_url=urls[0], timeout=30) as c:
            creds = {"email": "redis@example.com", "password": "redis password"}
            assert c.post("/v1/auth/register", json=creds).status_code == 201
            token = c.post("/v1/auth/login", json=creds).json()["access_token"]
        with httpx.Client(base_url=urls[1], timeout=30) as c:  # the other process knows the same user
            created = c.post("/v1/keys", json={"name": "k"}, headers={"Authorization": f"Bearer {token}"})
            assert created.status_code == 201, created.text
            key = created.json()["key"]

        async def fire() -> list[httpx.Response]:
            limits = httpx.Limits(max_connections=100)
            async with httpx.AsyncClient(timeout=60, limits=limits) as client:
                return await asyncio.gather(
                    *(client.get(f"{urls[i % 2]}/v1/me", headers={"X-API-Key": key}) for i in range(50))
                )

        responses = asyncio.run(fire())
        codes = [r.status_code for r in responses]
        assert codes.count(200) == 10 and codes.count(429) == 40, codes
        by_process = [[r.status_code for r in responses[i::2]] for i in range(2)]
        assert all(429 in codes for codes in by_process)  # each process refuses once the shared count is spent
        refused = next(r for r in responses if r.status_code == 429).json()["error"]
        assert refused["details"]["limit"] == "10 per 60 seconds"
    finally:
        for proc in servers:
            proc.terminate()
        for proc in servers:
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=30)


def test_websocket_handshakes_count_against_the_key(settings: Settings) -> None:
    """A socket is a request like another: a key over its limit cannot open sockets either;
    the refusal is a close with 4429 and the limit named."""
    from websockets.exceptions import ConnectionClosed
    from websockets.sync.client import connect

    from tests.helpers.live import LiveServer

    server = LiveServer(create_app(limited(settings, "3/minute")))
    server.start()
    try:
        creds = {"email": f"ws-{secrets.token_hex(3)}@example.com", "password": "ws limits password"}
        assert httpx.post(f"{server.url}/v1/auth/register", json=creds, timeout=30).status_code == 201
        token = httpx.post(f"{server.url}/v1/auth/login", json=creds, timeout=30).json()["access_token"]
        key = httpx.post(
            f"{server.url}/v1/keys", json={"name": "ws"}, headers={"Authorization": f"Bearer {token}"}, timeout=30
        ).json()["key"]
        job = httpx.post(f"{server.url}/v1/generations", json={"prompt": "x"}, headers={"X-API-Key": key}, timeout=60)
        assert job.status_code == 202, job.text  # the key's first request of three
        url = server.url.replace("http://", "ws://") + f"/v1/generations/{job.json()['id']}/ws?api_key={key}"
        codes = []
        for _ in range(3):
            with connect(url, open_timeout=30) as socket:
                try:
                    while True:
                        socket.recv(timeout=60)
                except ConnectionClosed as closed:
                    assert closed.rcvd is not None
                    codes.append((closed.rcvd.code, closed.rcvd.reason))
    finally:
        server.stop()
    assert [code for code, _ in codes] == [1000, 1000, 4429], codes
    assert "Rate limit exceeded" in codes[-1][1]
