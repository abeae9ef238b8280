from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import httpx
from fastapi import FastAPI
from sqlalchemy import func, select, update

from atelier.app import create_app
from atelier.idempotency.models import IdempotencyRecord
from atelier.jobs.models import Job
from atelier.settings import LimitSettings, Settings
from tests.helpers.accounts import create_key, register
from tests.helpers.engines import SlowEngine


async def test_20_concurrent_requests_with_one_key_make_one_job(client: httpx.AsyncClient, app: FastAPI) -> None:
    app.state.runtime.router.register(SlowEngine("fast", steps=1, delay=0), models=["fast"])
    account = await register(client)
    key = await create_key(client, account)
    headers = {"X-API-Key": key, "Idempotency-Key": "order-42"}
    body = {"prompt": "one job only", "model": "fast", "size": "64x64"}
    responses = await asyncio.gather(*(client.post("/v1/generations", json=body, headers=headers) for _ in range(20)))
    codes = [r.status_code for r in responses]
    successes = [r for r in responses if r.status_code != 409]
    assert set(codes) <= {200, 202, 409} and successes
    assert len({r.content for r in successes}) == 1  # every success is the same stored response
    job_ids = {r.json()["id"] for r in successes}
    assert len(job_ids) == 1
    async with app.state.runtime.sessions() as session:
        assert (await session.execute(select(func.count()).select_from(Job))).scalar_one() == 1
    replay = await client.post("/v1/generations", json=body, headers=headers)
    assert replay.status_code == successes[0].status_code and replay.content == successes[0].content
    assert replay.headers["idempotent-replayed"] == "true"
    different = await client.post("/v1/generations", json={**body, "prompt": "another"}, headers=headers)
    assert different.status_code == 422 and different.json()["error"]["code"] == "IDEMPOTENCY_KEY_REUSED"


async def test_keys_are_scoped_per_organization(client: httpx.AsyncClient, app: FastAPI) -> None:
    app.state.runtime.router.register(SlowEngine("fast", steps=1, delay=0), models=["fast"])
    body = {"prompt": "same key, two orgs", "model": "fast", "size": "64x64"}
    ids = set()
    for _ in range(2):
        account = await register(client)
        key = await create_key(client, account)
        response = await client.post("/v1/generations", json=body, headers={"X-API-Key": key, "Idempotency-Key": "k"})
        assert response.status_code in {200, 202}
        ids.add(response.json()["id"])
    assert len(ids) == 2


async def test_a_refused_request_is_not_remembered_as_success(client: httpx.AsyncClient) -> None:
    account = await register(client)
    key = await create_key(client, account)
    headers = {"X-API-Key": key, "Idempotency-Key": "bad-1"}
    first = await client.post("/v1/generations", json={"prompt": "x", "model": "nope"}, headers=headers)
    again = await client.post("/v1/generations", json={"prompt": "x", "model": "nope"}, headers=headers)
    assert first.status_code == again.status_code == 422
    assert again.json() == first.json()


def remembered_for(record: IdempotencyRecord, ttl: timedelta) -> bool:
    """The expiry is set from the claim's clock reading, just before the row's created_at."""
    return ttl - timedelta(seconds=5) < record.expires_at - record.created_at <= ttl


async def test_an_expired_key_creates_a_new_job(client: httpx.AsyncClient, app: FastAPI) -> None:
    app.state.runtime.router.register(SlowEngine("fast", steps=1, delay=0), models=["fast"])
    account = await register(client)
    key = await create_key(client, account)
    headers = {"X-API-Key": key, "Idempotency-Key": "nightly-run"}
    body = {"prompt": "once a day", "model": "fast", "size": "64x64"}
    first = await client.post("/v1/generations", json=body, headers=headers)
    replay = await client.post("/v1/generations", json=body, headers=headers)
    assert replay.headers["idempotent-replayed"] == "true" and replay.json()["id"] == first.json()["id"]
    async with app.state.runtime.sessions() as session:  # the remembered answer's time has passed
        record = (await session.execute(select(IdempotencyRecord))).scalar_one()
        ttl = timedelta(seconds=app.state.runtime.settings.limits.idempotency_ttl_seconds)
        assert ttl == timedelta(hours=24) and remembered_for(record, ttl)
        await session.execute(update(IdempotencyRecord).values(expires_at=datetime.now(UTC) - timedelta(seconds=1)))
        await session.commit()
    again = await client.post("/v1/generations", json=body, headers=headers)
    assert again.status_code in {200, 202} and "idempotent-replayed" not in again.headers
    assert again.json()["id"] != first.json()["id"]
    async with app.state.runtime.sessions() as session:
        assert (await session.execute(select(func.count()).select_from(Job))).scalar_one() == 2
        record = (await session.execute(select(IdempotencyRecord))).scalar_one()  # the old one replaced
        assert record.expires_at > datetime.now(UTC)
    # and the new answer is the one remembered now
    latest = await client.post("/v1/generations", json=body, headers=headers)
    assert latest.json()["id"] == again.json()["id"] and latest.headers["idempotent-replayed"] == "true"
    changed = await client.post("/v1/generations", json={**body, "prompt": "changed"}, headers=headers)
    assert changed.status_code == 422


async def test_the_ttl_setting_sets_how_long_a_key_is_remembered(settings: Settings) -> None:
    app: FastAPI = create_app(settings.model_copy(update={"limits": LimitSettings(idempotency_ttl_seconds=120)}))
    transport = httpx.ASGITransport(app=app)
    async with app.router.lifespan_context(app), httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        account = await register(client)
        key = await create_key(client, account)
        response = await client.post(
            "/v1/projects", json={"name": "ttl"}, headers={"X-API-Key": key, "Idempotency-Key": "p-1"}
        )
        assert response.status_code == 201, response.text
        async with app.state.runtime.sessions() as session:
            record = (await session.execute(select(IdempotencyRecord))).scalar_one()
    assert remembered_for(record, timedelta(seconds=120))


async def test_a_body_that_fails_validation_leaves_the_key_free(client: httpx.AsyncClient, app: FastAPI) -> None:
    """Stripe's rule: a request whose parameters failed validation never started, so no
    result is saved under its key; the corrected request may use the same key."""
    app.state.runtime.router.register(SlowEngine("fast", steps=1, delay=0), models=["fast"])
    account = await register(client)
    key = await create_key(client, account)
    headers = {"X-API-Key": key, "Idempotency-Key": "fix-and-retry"}
    malformed = await client.post("/v1/generations", json={"model": "fast", "size": "64x64"}, headers=headers)
    assert malformed.status_code == 422 and malformed.json()["error"]["code"] == "VALIDATION_ERROR"
    body = {"prompt": "now whole", "model": "fast", "size": "64x64"}
    fixed = await client.post("/v1/generations", json=body, headers=headers)
    assert fixed.status_code in {200, 202}, fixed.text
    async with app.state.runtime.sessions() as session:
        assert (await session.execute(select(func.count()).select_from(Job))).scalar_one() == 1
