"""One request pipeline: the caller is resolved once per request whatever asks for it, and
CORS is the outermost layer, so a 429 or a 500 still reaches a browser client."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import event

from atelier.app import create_app
from atelier.auth import principal as principal_module
from atelier.auth.dependencies import PUBLIC
from atelier.images.metadata import read as read_metadata
from atelier.settings import LimitSettings, ServerSettings, Settings
from tests.helpers.accounts import create_key, register
from tests.helpers.statements import job_reads, recorded

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


async def test_resolving_the_caller_only_reads(client: httpx.AsyncClient, app: FastAPI, settings: Settings) -> None:
    """The lookup runs in a read session: on SQLite it never takes the write lock, so every
    authenticated request does not queue behind the one writer."""
    if not settings.resolved_database_url.startswith("sqlite"):
        pytest.skip("BEGIN IMMEDIATE is SQLite's; PostgreSQL reads never take a write lock")
    account = await register(client)
    headers = {"X-API-Key": await create_key(client, account)}
    assert (await client.get("/v1/me", headers=headers)).status_code == 200  # notes the key's use
    statements: list[tuple[int, str]] = []

    def record(conn: object, _cursor: object, statement: str, *_args: object) -> None:
        statements.append((id(conn), statement.strip().upper()))

    engine = app.state.runtime.engine.sync_engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        assert (await client.get("/v1/me", headers=headers)).status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", record)
    # background loops share the engine: look at the transaction the key lookup ran in
    lookups = [i for i, (_, s) in enumerate(statements) if "FROM API_KEYS" in s]
    assert lookups, statements
    for index in lookups:
        conn = statements[index][0]
        began = next(s for c, s in reversed(statements[:index]) if c == conn and s.startswith("BEGIN"))
        assert began == "BEGIN", statements


async def test_an_image_says_what_made_it_and_nothing_about_the_account(client: httpx.AsyncClient) -> None:
    account = await register(client)
    headers = {"X-API-Key": await create_key(client, account), "Prefer": "wait=60"}
    job = await client.post(
        "/v1/generations",
        json={"prompt": "logo for 'Fern'", "size": "256x256", "seed": 7, "constraints": {"palette_hex": ["#2F7D4F"]}},
        headers=headers,
    )
    assert job.status_code == 200, job.text
    asset = job.json()["assets"][0]
    image = await client.get(asset["url"])
    meta = read_metadata(image.content)
    assert meta is not None
    assert set(meta) == {"prompt", "model", "seed", "size", "engine", "job_id", "asset_id"}, meta
    assert meta["size"] == "256x256" and meta["seed"] == 7 and meta["job_id"] == job.json()["id"]


async def test_a_synchronous_generation_finished_here_reads_no_job_row(app: FastAPI, client: httpx.AsyncClient) -> None:
    """The wait is registered before the job commits and woken by the runner's announcement,
    which hands over the job as committed; the runner's claim and final UPDATEs return the row
    (RETURNING): no SELECT of the job at all, where there were a read before waiting, a
    re-read after, and one after each UPDATE (a job finished by another process is read once)."""
    account = await register(client)
    headers = {"X-API-Key": await create_key(client, account)}
    body = {"prompt": "logo for 'Fern'", "size": "256x256", "response_format": "b64_json"}
    assert (await client.post("/v1/images/generations", json=body, headers=headers)).status_code == 200
    async with recorded(app.state.runtime) as statements:
        response = await client.post("/v1/images/generations", json=body, headers=headers)
    assert response.status_code == 200, response.text
    assert not job_reads(statements), statements
    claims = [s for s in statements if s.startswith("UPDATE JOBS SET STATUS") and "RETURNING" in s]
    assert len(claims) == 2, claims  # the claim and the final state
