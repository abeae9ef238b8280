"""Contract bodies for credits, budgets, queueing and cancellation: Dreamy Studio's 402,
queue position and DELETE, and NanoDesigner's BUDGET_EXCEEDED as a 422."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import update

from atelier.app import create_app
from atelier.billing.models import CreditAccount
from atelier.compat.nanodesigner.render import MODEL as NANODESIGNER_MODEL
from atelier.settings import Settings
from tests.helpers.accounts import create_key, register
from tests.helpers.engines import SlowEngine

DREAMY = "/compat/dreamy-studio"
DREAMY_MODEL = "fal-ai/flux/dev"


async def _generation(client: httpx.AsyncClient, headers: dict[str, str], generation_id: str) -> dict[str, Any]:
    response = await client.get(f"{DREAMY}/api/generate/{generation_id}", headers=headers)
    assert response.status_code == 200, response.text
    generation: dict[str, Any] = response.json()["generation"]
    return generation


async def _until(client: httpx.AsyncClient, headers: dict[str, str], generation_id: str, status: str) -> dict[str, Any]:
    for _ in range(600):
        generation = await _generation(client, headers, generation_id)
        if generation["status"] == status:
            return generation
        await asyncio.sleep(0.02)
    return generation


async def test_dreamy_402_when_credits_run_out(client: httpx.AsyncClient, app: FastAPI) -> None:
    app.state.runtime.router.register(SlowEngine("quick", steps=1, delay=0), models=[DREAMY_MODEL])
    await register(client)  # the first account is the unlimited admin
    member = await register(client)  # free plan: 50 credits a month
    body = {"model": DREAMY_MODEL, "prompt": "owl", "num_images": 2, "sync_mode": True}
    first = await client.post(f"{DREAMY}/api/generate", json=body, headers=member.jwt_headers)
    assert first.status_code == 200, first.text
    async with app.state.runtime.sessions() as session:  # spend the month's credits but one
        await session.execute(
            update(CreditAccount).where(CreditAccount.organization_id == member.organization_id).values(balance=1)
        )
        await session.commit()
    refused = await client.post(f"{DREAMY}/api/generate", json=body, headers=member.jwt_headers)
    assert refused.status_code == 402
    out = refused.json()
    assert out["success"] is False and out["error"] == "Insufficient credits"
    assert "2 needed, 1 remaining" in out["details"]
    credits = (await client.get(f"{DREAMY}/api/credits", headers=member.jwt_headers)).json()["credits"]
    assert credits["remaining"] == 1


@pytest.fixture
async def one_at_a_time(settings: Settings) -> AsyncIterator[tuple[httpx.AsyncClient, FastAPI]]:
    """A server running one job at a time, so later jobs really wait in the queue."""
    jobs = settings.jobs.model_copy(update={"concurrency": 1})
    application = create_app(settings.model_copy(update={"jobs": jobs}))
    async with application.router.lifespan_context(application):
        transport = httpx.ASGITransport(app=application)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as c:
            yield c, application


async def test_dreamy_queue_position_and_cancel(one_at_a_time: tuple[httpx.AsyncClient, FastAPI]) -> None:
    client, app = one_at_a_time
    slow = SlowEngine("slow", steps=100_000, delay=0.01)  # runs until canceled
    app.state.runtime.router.register(slow, models=[DREAMY_MODEL])
    admin = await register(client)
    headers = admin.jwt_headers
    ids = []
    for prompt in ("first", "second", "third"):
        queued = await client.post(
            f"{DREAMY}/api/generate", json={"model": DREAMY_MODEL, "prompt": prompt}, headers=headers
        )
        assert queued.status_code == 200 and queued.json()["generation"]["status"] == "in_queue"
        ids.append(queued.json()["generation"]["id"])
    running = await _until(client, headers, ids[0], "processing")
    assert running["status"] == "processing" and running["queuePosition"] is None
    second, third = [await _generation(client, headers, i) for i in ids[1:]]
    assert (second["status"], second["queuePosition"]) == ("in_queue", 0)  # next to run
    assert (third["status"], third["queuePosition"]) == ("in_queue", 1)  # one job ahead of it

    canceled = await client.delete(f"{DREAMY}/api/generate/{ids[2]}", headers=headers)  # while queued
    assert canceled.status_code == 200
    assert canceled.json() == {"success": True, "message": "Generation cancelled successfully"}
    after = await _generation(client, headers, ids[2])
    assert after["status"] == "failed" and after["error"] == "Generation cancelled" and after["images"] == []

    stopped = await client.delete(f"{DREAMY}/api/generate/{ids[0]}", headers=headers)  # while running
    assert stopped.json()["message"] == "Generation cancelled successfully"
    ended = await _until(client, headers, ids[0], "failed")
    assert ended["error"] == "Generation cancelled" and ended["queuePosition"] is None
    await client.delete(f"{DREAMY}/api/generate/{ids[1]}", headers=headers)
    again = await client.delete(f"{DREAMY}/api/generate/{ids[2]}", headers=headers)
    assert again.status_code == 200  # canceling a canceled generation is not an error


async def test_nanodesigner_budget_exceeded_is_a_422(client: httpx.AsyncClient, app: FastAPI) -> None:
    priced = SlowEngine("priced", steps=1, delay=0, price="0.05")
    app.state.runtime.router.register(priced, models=[NANODESIGNER_MODEL])
    admin = await register(client)
    key = await create_key(client, admin)
    budget = await client.put("/v1/budgets", json={"daily_usd": "0.08"}, headers=admin.jwt_headers)
    assert budget.status_code == 200, budget.text
    render = {
        "project_id": "budget",
        "prompts": {"task": "create", "instruction": "a priced poster"},
        "outputs": {"count": 1, "dimensions": "512x512", "format": "png"},
    }
    headers = {"Authorization": f"Bearer {key}"}
    ok = await client.post("/compat/nanodesigner/render", json=render, headers=headers)
    assert ok.status_code == 200, ok.text
    assert ok.json()["audit"]["cost_usd"] == 0.05
    refused = await client.post("/compat/nanodesigner/render", json=render, headers=headers)  # 0.05 + 0.05 > 0.08
    assert refused.status_code == 422
    body = refused.json()
    assert set(body) == {"detail", "error_code", "trace_id", "timestamp"}
    assert body["error_code"] == "BUDGET_EXCEEDED" and "daily budget of $0.08" in body["detail"]
    assert priced.calls == 1
