"""Idempotency-Key on the seed contracts' POSTs: the same machinery as the native API, with
refusals in each contract's own error body."""

from __future__ import annotations

import httpx
from fastapi import FastAPI
from sqlalchemy import func, select

from atelier.jobs.models import Job
from tests.helpers.accounts import create_key, register
from tests.helpers.engines import SlowEngine

DREAMY = "/compat/dreamy-studio"


async def jobs(app: FastAPI) -> int:
    async with app.state.runtime.sessions() as session:
        return int((await session.execute(select(func.count()).select_from(Job))).scalar_one())


async def test_a_replayed_dreamy_generation_creates_nothing(client: httpx.AsyncClient, app: FastAPI) -> None:
    app.state.runtime.router.register(SlowEngine("quick", steps=1, delay=0), models=["fal-ai/flux/dev"])
    account = await register(client)
    headers = {"Authorization": f"Bearer {await create_key(client, account)}", "Idempotency-Key": "dreamy-1"}
    body = {"model": "fal-ai/flux/dev", "prompt": "an owl at dusk", "sync_mode": True}
    first = await client.post(f"{DREAMY}/api/generate", json=body, headers=headers)
    assert first.status_code == 200, first.text
    replay = await client.post(f"{DREAMY}/api/generate", json=body, headers=headers)
    assert replay.status_code == 200 and replay.content == first.content
    assert replay.headers["idempotent-replayed"] == "true"
    assert await jobs(app) == 1
    reused = await client.post(f"{DREAMY}/api/generate", json={**body, "prompt": "a fox"}, headers=headers)
    assert reused.status_code == 422
    assert reused.json()["success"] is False and "Idempotency-Key" in str(reused.json())
    assert await jobs(app) == 1


async def test_a_replayed_nanodesigner_render_creates_nothing(client: httpx.AsyncClient, app: FastAPI) -> None:
    account = await register(client)
    headers = {"Authorization": f"Bearer {await create_key(client, account)}", "Idempotency-Key": "render-7"}
    body = {
        "project_id": "project-1",
        "prompts": {"task": "create", "instruction": "Create a modern logo design"},
        "outputs": {"count": 1, "dimensions": "256x256", "format": "png"},
    }
    first = await client.post("/compat/nanodesigner/render", json=body, headers=headers)
    assert first.status_code == 200, first.text
    replay = await client.post("/compat/nanodesigner/render", json=body, headers=headers)
    assert replay.status_code == 200 and replay.json() == first.json()
    assert await jobs(app) == 1
    reused = await client.post("/compat/nanodesigner/render", json={**body, "project_id": "project-2"}, headers=headers)
    assert reused.status_code == 422
    assert reused.json()["error_code"] == "IDEMPOTENCY_KEY_REUSED" and "detail" in reused.json()
    assert await jobs(app) == 1
