"""A job's failure, its cancellation and its progress reach the organization's endpoint as
webhook events, end to end through the API, the runner and the dispatcher."""

from __future__ import annotations

import asyncio
import time
from typing import Any

from atelier.settings import Settings
from tests.helpers.accounts import create_key
from tests.helpers.engines import SlowEngine
from tests.webhooks.conftest import Harness, harness
from tests.webhooks.receiver import Receiver

PROGRESS_INTERVAL = 0.5  # seconds: the documented bound on job.progress events


async def delivered(h: Harness, receiver: Receiver, job_id: str, final: str) -> list[dict[str, Any]]:
    """The verified bodies received for ``job_id``, once the ``final`` event has arrived."""
    for _ in range(600):
        bodies = [r.body for r in receiver.received if r.verified and r.body["data"].get("job_id") == job_id]
        if any(b["type"] == final for b in bodies):
            return bodies
        await asyncio.sleep(0.05)
    raise AssertionError(f"{final} never delivered; got {[b['type'] for b in bodies]}")


async def submit(h: Harness, key: str, model: str, **extra: Any) -> dict[str, Any]:
    response = await h.client.post(
        "/v1/generations",
        json={"prompt": "a fern logo", "size": "64x64", "model": model, **extra},
        headers={"X-API-Key": key},
    )
    assert response.status_code == 202, response.text
    body: dict[str, Any] = response.json()
    return body


async def test_failed_job_is_announced_with_its_reason(
    settings: Settings, receiver_server: tuple[str, Receiver]
) -> None:
    base, receiver = receiver_server
    async with harness(settings, dispatch_in_process=True) as h:
        h.runtime.router.register(SlowEngine("broken", steps=1, fail="permanent"), models=["broken"])
        await h.endpoint(receiver, base, "/hooks", event_types=["job.*"])
        key = await create_key(h.client, h.account)
        job = await submit(h, key, "broken")
        bodies = await delivered(h, receiver, job["id"], "job.failed")
    failed = next(b for b in bodies if b["type"] == "job.failed")
    assert failed["data"]["status"] == "failed"
    assert "bad request upstream" in str(failed["data"])
    assert [b["type"] for b in bodies].count("job.failed") == 1
    assert "job.succeeded" not in {b["type"] for b in bodies}


async def test_canceled_job_is_announced(settings: Settings, receiver_server: tuple[str, Receiver]) -> None:
    base, receiver = receiver_server
    async with harness(settings, dispatch_in_process=True) as h:
        h.runtime.router.register(SlowEngine("slow", steps=400, delay=0.05), models=["slow"])
        await h.endpoint(receiver, base, "/hooks", event_types=["job.*"])
        key = await create_key(h.client, h.account)
        job = await submit(h, key, "slow")
        await delivered(h, receiver, job["id"], "job.started")
        canceled = await h.client.post(f"/v1/generations/{job['id']}/cancel", headers={"X-API-Key": key})
        assert canceled.status_code == 200, canceled.text
        bodies = await delivered(h, receiver, job["id"], "job.canceled")
    types = [b["type"] for b in bodies]
    assert types.count("job.canceled") == 1 and "job.succeeded" not in types


async def test_progress_events_come_at_most_every_half_second(
    settings: Settings, receiver_server: tuple[str, Receiver]
) -> None:
    base, receiver = receiver_server
    steps = 40
    async with harness(settings, dispatch_in_process=True) as h:
        h.runtime.router.register(SlowEngine("steady", steps=steps, delay=0.05), models=["steady"])
        await h.endpoint(receiver, base, "/hooks", event_types=["job.*"])
        key = await create_key(h.client, h.account)
        started = time.monotonic()
        job = await submit(h, key, "steady")
        bodies = await delivered(h, receiver, job["id"], "job.succeeded")
        elapsed = time.monotonic() - started
    progress = [b for b in bodies if b["type"] == "job.progress"]
    # Every step reported progress; the runner forwarded at most one per interval of the
    # time the whole job took (however slow this machine), and at least one.
    assert 1 <= len(progress) <= int(elapsed / PROGRESS_INTERVAL) + 1
    assert len(progress) < steps - 1
    fractions = [b["data"]["progress"] for b in progress]
    assert fractions == sorted(fractions) and all(0 < f < 1 for f in fractions)
