"""One submit-and-wait: every API that waits for its job maps the outcome the same way. A
synchronous request whose job is canceled meanwhile is 409 ``CANCELED`` on the OpenAI API and
on the compat contracts alike (it was a 503 on /v1/images), each in its own error body."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select

from atelier.compat.nanobanana.generate import MODEL as NANOBANANA_MODEL
from atelier.jobs.models import Job, JobStatus
from atelier.kit.runtime import Runtime
from tests.helpers.accounts import Account, create_key, register
from tests.helpers.engines import SlowEngine

SLOW = "slow-test-model"
WAITING: list[tuple[str, dict[str, Any]]] = [
    ("/v1/images/generations", {"model": SLOW, "prompt": "a slow logo", "size": "256x256"}),
    ("/compat/nanobanana/v1/generate", {"prompt": "a slow logo"}),
]


async def _running_job(app: FastAPI, account: Account) -> str:
    """The account's job once a runner holds it (bounded: 600 looks, 10 ms apart)."""
    runtime: Runtime = app.state.runtime
    for _ in range(600):
        async with runtime.sessions() as session:
            query = select(Job.id).where(
                Job.organization_id == account.organization_id, Job.status == JobStatus.PROCESSING.value
            )
            job_id = (await session.execute(query)).scalar_one_or_none()
        if job_id:
            return job_id
        await asyncio.sleep(0.01)
    raise AssertionError("the job never started")


@pytest.mark.parametrize(("path", "body"), WAITING, ids=[p for p, _ in WAITING])
async def test_a_synchronous_request_whose_job_is_canceled_is_409(
    client: httpx.AsyncClient, app: FastAPI, path: str, body: dict[str, Any]
) -> None:
    engine = SlowEngine("slow", steps=100_000, delay=0.01)  # runs until canceled
    app.state.runtime.router.register(engine, models=[SLOW, NANOBANANA_MODEL])
    account = await register(client)
    headers = {"X-API-Key": await create_key(client, account)}
    waiting = asyncio.create_task(client.post(path, json=body, headers=headers))
    job_id = await _running_job(app, account)
    canceled = await client.post(f"/v1/generations/{job_id}/cancel", headers=account.jwt_headers)
    assert canceled.status_code == 200, canceled.text
    answer = await asyncio.wait_for(waiting, timeout=120)
    assert answer.status_code == 409, answer.text
    assert "CANCELED" in answer.text or "anceled" in answer.text
