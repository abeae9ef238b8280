"""End to end: a real generation's events reach the receiver, from both the organization's
endpoint and the webhook URL given with the job, each verified and each exactly once."""

from __future__ import annotations

import asyncio
from typing import Any

from atelier.settings import Settings
from tests.helpers.accounts import create_key
from tests.webhooks.conftest import harness
from tests.webhooks.receiver import Receiver


async def test_generation_events_are_delivered(settings: Settings, receiver_server: tuple[str, Receiver]) -> None:
    base, receiver = receiver_server
    async with harness(settings, dispatch_in_process=True, retry_delays_seconds=[0.2, 0.2, 0.2]) as h:
        await h.endpoint(receiver, base, "/org", event_types=["job.*"])
        receiver.secrets["/job"] = (
            await h.client.get("/v1/webhooks/signing-secret", headers=h.account.jwt_headers)
        ).json()["secret"]
        # The receiver is down for each event's first attempt: retries still deliver it once.
        receiver.scripts["/job"] = lambda attempt: (503, {}) if attempt == 1 else (200, {})
        key = await create_key(h.client, h.account)
        job = await h.client.post(
            "/v1/generations",
            json={"prompt": "a fern logo", "size": "256x256", "webhook_url": base + "/job"},
            headers={"Authorization": f"Bearer {key}", "Prefer": "wait=60"},
        )
        assert job.status_code == 200, job.text
        job_id = job.json()["id"]
        assert job.json()["status"] == "succeeded"

        rows: list[dict[str, Any]] = []
        for _ in range(500):
            rows = (
                await h.client.get(f"/v1/webhooks/deliveries?job_id={job_id}", headers=h.account.jwt_headers)
            ).json()
            if rows and all(r["status"] == "succeeded" for r in rows):
                break
            await asyncio.sleep(0.05)
        assert rows and {r["status"] for r in rows} == {"succeeded"}

    for path in ("/org", "/job"):
        got = [r for r in receiver.at(path) if r.verified and r.answered == 200]
        types = {r.body["type"] for r in got}
        assert {"job.started", "job.succeeded"} <= types, (path, types)
        assert all(r.body["data"]["job_id"] == job_id for r in got)
        assert all(count == 1 for count in receiver.successes(path).values())
    succeeded = next(r for r in receiver.at("/org") if r.body["type"] == "job.succeeded")
    assert succeeded.body["data"]["status"] == "succeeded"
    assert all(r.verified for r in receiver.received)
    # Same event, same webhook-id at both destinations.
    assert set(receiver.successes("/org")) == set(receiver.successes("/job"))
