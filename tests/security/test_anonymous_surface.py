"""What anyone may call, and what it costs: business figures need an administrator or the
monitoring scrape token; the health report is computed at most once per interval and writes
nothing; every anonymous route is limited per client address."""

from __future__ import annotations

import asyncio
import secrets
import shutil
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from pydantic import ValidationError

from atelier.app import create_app
from atelier.settings import Settings
from tests.helpers.accounts import create_key, register

NATIVE_METRICS = "/monitoring/metrics"
ND_METRICS = "/compat/nanodesigner/monitoring/metrics"
SCRAPE_TOKEN = "scrape-" + secrets.token_urlsafe(24)
HEALTH_ROUTES = (
    "/monitoring/health",
    "/compat/nanodesigner/monitoring/health",
    "/compat/pixova/health",
    "/compat/dreamy-studio/health",
    "/compat/nanobanana/health",
)


def configured(settings: Settings, **groups: dict[str, Any]) -> Settings:
    """The test settings with some fields of some groups changed, validated as a deployment's."""
    data = settings.model_dump()
    for group, fields in groups.items():
        data[group] = {**data.get(group, {}), **fields}
    return Settings.model_validate(data)


@asynccontextmanager
async def serving(settings: Settings, address: str = "127.0.0.1") -> AsyncIterator[tuple[FastAPI, httpx.AsyncClient]]:
    app = create_app(settings)
    transport = httpx.ASGITransport(app=app, client=(address, 4000))
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=transport, base_url="http://testserver") as client,
    ):
        yield app, client


def from_address(app: FastAPI, address: str) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=app, client=(address, 4000))
    return httpx.AsyncClient(transport=transport, base_url="http://testserver")


def bearer(value: str | bytes) -> dict[str, Any]:
    raw = value if isinstance(value, bytes) else value.encode()
    return {"Authorization": b"Bearer " + raw}


async def test_anonymous_business_figures_are_refused_in_each_contracts_shape(client: httpx.AsyncClient) -> None:
    native = await client.get(NATIVE_METRICS)
    assert native.status_code == 401, native.text
    assert native.json()["error"]["code"] == "UNAUTHORIZED" and "business" not in native.text
    assert native.headers["www-authenticate"] == "Bearer"

    nanodesigner = await client.get(ND_METRICS)
    assert nanodesigner.status_code == 401, nanodesigner.text
    body = nanodesigner.json()
    assert set(body) == {"detail", "error_code", "trace_id", "timestamp"}, body
    assert body["error_code"] == "UNAUTHORIZED"


async def test_business_figures_are_for_administrators(client: httpx.AsyncClient) -> None:
    admin = await register(client)  # the first account is the administrator
    member = await register(client)
    admin_key, member_key = await create_key(client, admin), await create_key(client, member)
    for path in (NATIVE_METRICS, ND_METRICS):
        for headers in (member.jwt_headers, {"X-API-Key": member_key}, bearer(member_key)):
            refused = await client.get(path, headers=headers)
            assert refused.status_code == 403, (path, refused.text)
            assert "business" not in refused.text
        for headers in (admin.jwt_headers, {"X-API-Key": admin_key}, bearer(admin_key)):
            admitted = await client.get(path, headers=headers)
            assert admitted.status_code == 200, (path, admitted.text)
            assert admitted.json()["business"]["users_signup"] == 2
    nd_refused = (await client.get(ND_METRICS, headers=member.jwt_headers)).json()
    assert nd_refused["error_code"] == "ADMIN_REQUIRED" and set(nd_refused) >= {"detail", "timestamp"}
    assert (await client.get(NATIVE_METRICS, headers=member.jwt_headers)).json()["error"]["code"] == "ADMIN_REQUIRED"


async def test_the_scrape_token_reads_business_figures_and_nothing_like_it_does(settings: Settings) -> None:
    async with serving(configured(settings, monitoring={"scrape_token": SCRAPE_TOKEN})) as (_, client):
        for path in (NATIVE_METRICS, ND_METRICS):
            admitted = await client.get(path, headers=bearer(SCRAPE_TOKEN), params={"hours": 2})
            assert admitted.status_code == 200, (path, admitted.text)
            assert set(admitted.json()) == {"performance", "business", "system"}
            for wrong in (
                SCRAPE_TOKEN[:-1],
                SCRAPE_TOKEN + "x",
                "x" * len(SCRAPE_TOKEN),
                SCRAPE_TOKEN[:-1].encode() + "é".encode(),
                "jéton-ünïcode-ʕ•ᴥ•ʔ".encode(),
                b"\xff\xfe\x80",
            ):
                refused = await client.get(path, headers=bearer(wrong))
                assert refused.status_code == 401, (path, wrong, refused.text)
            scheme = await client.get(path, headers={"Authorization": f"Token {SCRAPE_TOKEN}"})
            assert scheme.status_code == 401, scheme.text
    async with serving(settings) as (_, client):  # no token configured: a bearer value is no pass
        for path in (NATIVE_METRICS, ND_METRICS):
            assert (await client.get(path, headers=bearer(SCRAPE_TOKEN))).status_code == 401


async def test_an_empty_scrape_token_is_no_token_and_a_short_one_is_refused(settings: Settings) -> None:
    async with serving(configured(settings, monitoring={"scrape_token": ""})) as (app, client):
        assert app.state.runtime.settings.monitoring.scrape_token is None
        for headers in ({"Authorization": "Bearer "}, {"Authorization": "Bearer"}, bearer(b" ")):
            assert (await client.get(NATIVE_METRICS, headers=headers)).status_code == 401
    with pytest.raises(ValidationError, match="at least 16 characters"):
        configured(settings, monitoring={"scrape_token": "short"})


async def test_health_report_is_computed_once_per_interval_under_concurrent_calls(settings: Settings) -> None:
    async with serving(configured(settings, monitoring={"health_cache_seconds": 300})) as (app, client):
        runs: list[int] = []

        async def counted() -> str:
            runs.append(1)
            await asyncio.sleep(0.05)  # long enough for every concurrent caller to be waiting
            return "healthy"

        app.state.runtime.health_checks["counted"] = counted
        responses = await asyncio.gather(*(client.get("/monitoring/health") for _ in range(12)))
        responses += [await client.get(path) for path in HEALTH_ROUTES for _ in range(3)]
        assert len(runs) == 1, f"the report was computed {len(runs)} times"
        assert [r.status_code for r in responses] == [200] * len(responses), [r.text for r in responses]
        native = [r.json() for r in responses if r.url.path == "/monitoring/health"]
        assert all(body["services"]["counted"]["status"] == "healthy" for body in native)
        assert len({body["timestamp"] for body in native}) == 1  # one report, served to all
        for _ in range(5):
            assert (await client.get("/health")).status_code == 200  # liveness runs no check
        assert len(runs) == 1


async def test_health_report_is_computed_again_once_the_interval_has_passed(settings: Settings) -> None:
    async with serving(configured(settings, monitoring={"health_cache_seconds": 5})) as (app, client):
        runs: list[int] = []

        async def counted() -> str:
            runs.append(1)
            return "degraded" if len(runs) > 1 else "healthy"

        now = [1000.0]
        app.state.runtime.health_reports.clock = lambda: now[0]
        app.state.runtime.health_checks["counted"] = counted
        first = (await client.get("/monitoring/health")).json()
        now[0] += 4.9
        assert (await client.get("/monitoring/health")).json() == first and len(runs) == 1
        now[0] += 0.2  # past the interval
        again = (await client.get("/monitoring/health")).json()
        assert len(runs) == 2 and again["services"]["counted"]["status"] == "degraded"
        assert again["status"] == "degraded" and again["timestamp"] > first["timestamp"]


def _files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def _replace_with_a_file(root: Path) -> None:
    shutil.rmtree(root)
    root.write_bytes(b"not a folder")


async def test_storage_health_writes_no_file(settings: Settings) -> None:
    local = configured(settings, storage={"backend": "local"}, monitoring={"health_cache_seconds": 0})
    async with serving(local) as (app, client):
        root: Path = app.state.runtime.storage.root
        before = _files(root)
        for _ in range(5):
            body = (await client.get("/monitoring/health")).json()
            assert body["services"]["storage"]["status"] == "healthy", body
        assert _files(root) == before  # nothing written, nothing rewritten

        await asyncio.to_thread(_replace_with_a_file, root)  # nothing can be stored under it now
        broken = (await client.get("/monitoring/health")).json()
        assert broken["services"]["storage"]["status"] == "unhealthy", broken
        assert broken["status"] == "unhealthy"


@pytest.mark.parametrize(
    "path",
    [
        "/health",
        *HEALTH_ROUTES,
        NATIVE_METRICS,
        ND_METRICS,
        "/files/p/renders/x.png?exp=1&sig=0",
    ],
)
async def test_anonymous_routes_are_limited_per_address(settings: Settings, path: str) -> None:
    limited = configured(settings, limits={"anonymous_per_ip": "3/minute"})
    async with serving(limited, address="10.1.2.3") as (app, client):
        codes = [(await client.get(path)).status_code for _ in range(3)]
        assert 429 not in codes, codes
        refused = await client.get(path)
        assert refused.status_code == 429, refused.text
        assert refused.headers["retry-after"].isdigit() and int(refused.headers["retry-after"]) >= 1
        async with from_address(app, "10.9.8.7") as other:  # another address has its own budget
            assert (await other.get(path)).status_code != 429


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/v1/auth/login", {"email": "a@example.com", "password": "whatever1"}),
        ("/v1/auth/register", {"email": "", "password": ""}),
        ("/compat/nanobanana/v1/auth/login", {"email": "a@example.com", "password": "whatever1"}),
        ("/compat/nanobanana/v1/auth/register", {"email": "", "password": ""}),
    ],
)
async def test_login_and_register_are_limited_tighter_than_health(
    settings: Settings, path: str, body: dict[str, str]
) -> None:
    limited = configured(settings, limits={"anonymous_per_ip": "100/minute", "per_ip": "2/minute"})
    async with serving(limited, address="10.1.2.4") as (_, client):
        codes = [(await client.post(path, json=body)).status_code for _ in range(2)]
        assert 429 not in codes, codes
        refused = await client.post(path, json=body)
        assert refused.status_code == 429, refused.text
        assert int(refused.headers["retry-after"]) >= 1
        # health has its own, larger budget per address
        assert [(await client.get("/monitoring/health")).status_code for _ in range(3)] == [200] * 3
