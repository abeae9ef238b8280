"""A job's life as the hooks, the database and other processes see it: admission in the
job's own transaction, events in the transaction of each change, settlement exactly once,
leases that only one runner can hold, orphans resumed, cancellation across processes."""

from __future__ import annotations

import asyncio
import base64
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from atelier.jobs import execution, service
from atelier.jobs.execution import claim
from atelier.jobs.hooks import JobEvent, Outcome, Submission
from atelier.jobs.models import Asset, Job
from atelier.jobs.params import GenerationParams
from atelier.kit.errors import InsufficientCredits
from atelier.kit.runtime import Runtime
from tests.helpers.accounts import create_key, register
from tests.helpers.engines import SlowEngine, solid_png


@dataclass
class RecordingHook:
    """Records what it saw, reading the job row through the hook's own session."""

    refuse: bool = False
    seen: list[tuple[str, str, str | None]] = field(default_factory=list)
    outcomes: list[Outcome] = field(default_factory=list)

    async def before_submit(self, session: AsyncSession, submission: Submission) -> None:
        job = await session.get(Job, submission.job_id)
        self.seen.append(("before_submit", submission.job_id, job.status if job else None))
        if self.refuse:
            raise InsufficientCredits("No credits left for this test")

    async def on_event(self, session: AsyncSession, event: JobEvent) -> None:
        status = (await session.execute(select(Job.status).where(Job.id == event.job_id))).scalar_one()
        self.seen.append((event.type, event.job_id, status))

    async def on_finished(self, session: AsyncSession, outcome: Outcome) -> None:
        assets = await session.scalar(select(func.count()).select_from(Asset).where(Asset.job_id == outcome.job_id))
        self.outcomes.append(outcome)
        self.seen.append(("on_finished", outcome.job_id, f"{outcome.status}:{assets}"))


def runtime_of(app: FastAPI) -> Runtime:
    runtime: Runtime = app.state.runtime
    return runtime


def install(app: FastAPI, hook: RecordingHook, engine: SlowEngine) -> None:
    runtime = runtime_of(app)
    runtime.services.job_hooks.append(hook)
    runtime.router.register(engine, models=[engine.name])


async def key_headers(client: httpx.AsyncClient) -> dict[str, str]:
    return {"X-API-Key": await create_key(client, await register(client))}


async def wait_status(client: httpx.AsyncClient, headers: dict[str, str], job_id: str, *wanted: str) -> dict[str, Any]:
    for _ in range(500):
        job: dict[str, Any] = (await client.get(f"/v1/generations/{job_id}", headers=headers)).json()
        if job["status"] in wanted:
            return job
        await asyncio.sleep(0.02)
    raise AssertionError(f"job {job_id} stayed {job['status']}")


async def test_hooks_run_inside_each_change(client: httpx.AsyncClient, app: FastAPI) -> None:
    hook = RecordingHook()
    install(app, hook, SlowEngine("quick", steps=40, delay=0))
    headers = await key_headers(client)
    body = {"prompt": "x", "model": "quick", "n": 2, "size": "64x64"}
    job = (await client.post("/v1/generations", json=body, headers={**headers, "Prefer": "wait=30"})).json()
    assert job["status"] == "succeeded"
    kinds = [kind for kind, job_id, _ in hook.seen if job_id == job["id"]]
    # Admission runs before the job's row exists (a refusal writes no job; what the hooks
    # decide goes into its one INSERT); each event sees its own change.
    assert hook.seen[0] == ("before_submit", job["id"], None)
    assert kinds[1] == "job.started" and ("job.started", job["id"], "processing") in hook.seen
    assert kinds[-2:] == ["job.succeeded", "on_finished"]
    assert ("job.succeeded", job["id"], "succeeded") in hook.seen and (
        "on_finished",
        job["id"],
        "succeeded:2",
    ) in hook.seen
    assert kinds.count("job.progress") < 40, "progress is reported at most every 500 ms, not on every engine step"
    assert [(o.status, o.images, o.cost_usd) for o in hook.outcomes] == [("succeeded", 2, Decimal("0.10"))]


async def test_a_job_that_ends_within_the_progress_interval_writes_no_progress(
    client: httpx.AsyncClient, app: FastAPI, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Its final state says it all: no progress UPDATE, no job.progress event or webhook."""
    monkeypatch.setattr(execution, "PROGRESS_INTERVAL", 3600.0)
    hook = RecordingHook()
    install(app, hook, SlowEngine("quick", steps=40, delay=0))
    headers = await key_headers(client)
    body = {"prompt": "x", "model": "quick", "size": "64x64"}
    job = (await client.post("/v1/generations", json=body, headers={**headers, "Prefer": "wait=30"})).json()
    assert job["status"] == "succeeded" and job["progress"] == 1.0
    kinds = [kind for kind, job_id, _ in hook.seen if job_id == job["id"]]
    assert "job.progress" not in kinds and kinds[-2:] == ["job.succeeded", "on_finished"]


async def test_a_refusal_creates_nothing(client: httpx.AsyncClient, app: FastAPI) -> None:
    hook = RecordingHook(refuse=True)
    install(app, hook, SlowEngine("quick", steps=1, delay=0))
    headers = await key_headers(client)
    reference = "data:image/png;base64," + base64.b64encode(solid_png(16, 16)).decode()
    body = {"prompt": "x", "model": "quick", "references": [reference]}
    response = await client.post("/v1/generations", json=body, headers=headers)
    assert response.status_code == 402 and "No credits left" in response.text
    runtime = runtime_of(app)
    async with runtime.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(Job)) == 0
    refused_id = hook.seen[0][1]
    project_inputs = [key for key in await stored_keys(runtime) if refused_id in key]
    assert project_inputs == [] and hook.outcomes == []


async def stored_keys(runtime: Runtime) -> list[str]:
    root = getattr(runtime.storage, "root", None)
    if root is None:  # S3 runs: the storage tests cover listing there
        return []
    return [str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()]


async def test_cancel_requested_by_another_process(client: httpx.AsyncClient, app: FastAPI) -> None:
    hook = RecordingHook()
    install(app, hook, SlowEngine("slow", steps=2000, delay=0.01))
    headers = await key_headers(client)
    job_id = (await client.post("/v1/generations", json={"prompt": "x", "model": "slow"}, headers=headers)).json()["id"]
    await wait_status(client, headers, job_id, "processing")
    runtime = runtime_of(app)
    async with runtime.sessions() as session:  # what POST /cancel on another server writes
        await session.execute(update(Job).where(Job.id == job_id).values(cancel_requested=True))
        await session.commit()
    job = await wait_status(client, headers, job_id, "canceled", "succeeded", "failed")
    assert job["status"] == "canceled" and job["assets"] == []
    assert [(o.status, o.images) for o in hook.outcomes] == [("canceled", 0)]


async def test_cancel_of_a_queued_job_settles_at_once(client: httpx.AsyncClient, app: FastAPI) -> None:
    hook = RecordingHook()
    install(app, hook, SlowEngine("quick", steps=1, delay=0))
    runtime = runtime_of(app)
    await runtime.job_queue.stop()  # no runner: jobs stay queued
    headers = await key_headers(client)
    job_id = (await client.post("/v1/generations", json={"prompt": "x", "model": "quick"}, headers=headers)).json()[
        "id"
    ]
    canceled = (await client.post(f"/v1/generations/{job_id}/cancel", headers=headers)).json()
    assert canceled["status"] == "canceled" and canceled["error"]["code"] == "CANCELED"
    assert [(o.status, o.images) for o in hook.outcomes] == [("canceled", 0)]
    again = (await client.post(f"/v1/generations/{job_id}/cancel", headers=headers)).json()
    assert again["status"] == "canceled" and len(hook.outcomes) == 1


async def test_only_one_runner_claims_a_job(client: httpx.AsyncClient, app: FastAPI) -> None:
    runtime = runtime_of(app)
    await runtime.job_queue.stop()
    install(app, RecordingHook(), SlowEngine("quick", steps=1, delay=0))
    headers = await key_headers(client)
    job_id = (await client.post("/v1/generations", json={"prompt": "x", "model": "quick"}, headers=headers)).json()[
        "id"
    ]
    claims = await asyncio.gather(*(claim(runtime, job_id, f"runner-{i}") for i in range(4)))
    assert sum(c is not None for c in claims) == 1


async def test_orphaned_job_is_resumed_and_finished_once(client: httpx.AsyncClient, app: FastAPI) -> None:
    hook = RecordingHook()
    install(app, hook, SlowEngine("quick", steps=1, delay=0))
    runtime = runtime_of(app)
    account = await register(client)
    async with runtime.sessions() as session:
        # A job whose runner died holding it: never kicked here, only the sweeper can find it.
        job = await service.submit_generation(
            session,
            runtime,
            service.Actor(account.organization_id, account.user_id),
            GenerationParams("x", model="quick"),
        )
        job.status, job.lease_token, job.runs = "processing", "dead", 1
        job.lease_until = datetime.now(UTC) - timedelta(seconds=5)
        await session.commit()
    finished = await service.wait_for_job(runtime, job.id, 30)
    assert finished.status == "succeeded" and finished.runs == 2
    assert [o.status for o in hook.outcomes] == ["succeeded"]


async def test_prefer_wait_is_bounded(client: httpx.AsyncClient, app: FastAPI) -> None:
    install(app, RecordingHook(), SlowEngine("slow", steps=2000, delay=0.01))
    headers = await key_headers(client)
    response = await client.post(
        "/v1/generations", json={"prompt": "x", "model": "slow"}, headers={**headers, "Prefer": "wait=1"}
    )
    assert response.status_code == 202 and response.json()["status"] in {"queued", "processing"}
    await client.post(f"/v1/generations/{response.json()['id']}/cancel", headers=headers)


async def test_shutdown_hands_running_jobs_back(client: httpx.AsyncClient, app: FastAPI) -> None:
    hook = RecordingHook()
    install(app, hook, SlowEngine("slow", steps=2000, delay=0.01))
    headers = await key_headers(client)
    job_id = (await client.post("/v1/generations", json={"prompt": "x", "model": "slow"}, headers=headers)).json()["id"]
    await wait_status(client, headers, job_id, "processing")
    await runtime_of(app).job_queue.stop()
    async with runtime_of(app).sessions() as session:
        job = await session.get(Job, job_id)
        assert job is not None
        assert (job.status, job.lease_token, job.lease_until) == ("queued", None, None)
    assert hook.outcomes == []  # not finished: the next runner starts it again
