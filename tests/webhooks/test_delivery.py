"""Delivery per the Standard Webhooks specification, against a real receiver that verifies
every request with the ``standardwebhooks`` package."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

from sqlalchemy import select

from atelier.kit.db import session_scope
from atelier.settings import Settings
from atelier.webhooks import emit
from atelier.webhooks.models import WebhookDelivery
from tests.helpers.live import free_port
from tests.webhooks.conftest import Harness, harness
from tests.webhooks.receiver import Receiver, ReceiverServer


async def emit_now(h: Harness, event_type: str, data: dict[str, Any], **kw: Any) -> str | None:
    async with session_scope(h.runtime.sessions) as session:
        return await emit(session, h.org, event_type, data, occurred_at=h.clock(), **kw)


async def deliveries(h: Harness, path: str = "") -> list[dict[str, Any]]:
    response = await h.client.get(f"/v1/webhooks{path}/deliveries", headers=h.account.jwt_headers)
    assert response.status_code == 200, response.text
    rows: list[dict[str, Any]] = response.json()
    return rows


async def test_every_delivery_verifies_and_is_recorded(
    settings: Settings, receiver_server: tuple[str, Receiver]
) -> None:
    base, receiver = receiver_server
    async with harness(settings, dispatch_in_process=True) as h:
        endpoint = await h.endpoint(receiver, base, "/all")
        await h.endpoint(receiver, base, "/jobs-only", event_types=["job.*"])
        ids = [await emit_now(h, "job.succeeded", {"job_id": f"job_{i}", "n": i}) for i in range(3)]
        budget_id = await emit_now(h, "budget.threshold", {"threshold": 80})
        for _ in range(500):  # the in-process dispatcher is woken by the commit
            if {r["status"] for r in await deliveries(h)} == {"succeeded"}:
                break
            await asyncio.sleep(0.02)
        assert receiver.successes("/all") == {i: 1 for i in [*ids, budget_id]}
        assert receiver.successes("/jobs-only") == {i: 1 for i in ids}
        assert all(r.verified for r in receiver.received)
        first = next(r for r in receiver.at("/all") if r.webhook_id == ids[0])  # arrival order is not promised
        assert first.body["type"] == "job.succeeded" and first.body["data"]["job_id"] == "job_0"
        assert first.body["timestamp"].endswith("Z")
        assert first.headers["webhook-signature"].startswith("v1,")
        assert first.headers["content-type"] == "application/json"

        rows = await deliveries(h, "/" + endpoint["id"])
        assert len(rows) == 4
        assert {r["status"] for r in rows} == {"succeeded"}
        assert {r["webhook_id"] for r in rows} == {*ids, budget_id}
        assert all(r["attempts"] == 1 and r["last_status_code"] == 200 for r in rows)
        assert all(r["attempt_log"][0]["status_code"] == 200 for r in rows)


async def test_receiver_failing_twice_gets_each_event_once(
    settings: Settings, receiver_server: tuple[str, Receiver]
) -> None:
    base, receiver = receiver_server
    receiver.scripts["/flaky"] = lambda attempt: (503, {}) if attempt <= 2 else (200, {})
    async with harness(settings, retry_delays_seconds=[5, 300, 1800]) as h:
        await h.endpoint(receiver, base, "/flaky")
        ids = [await emit_now(h, "job.progress", {"job_id": "job_x", "progress": i / 10}) for i in range(4)]
        assert await h.drain() == 4  # first attempts: all 503
        assert await h.drain() == 0  # nothing due before the 5 s retry
        h.clock.advance(5)
        assert await h.drain() == 4  # second attempts: 503 again
        h.clock.advance(299)
        assert await h.drain() == 0
        h.clock.advance(1)
        assert await h.drain() == 4  # third attempts succeed
        h.clock.advance(3600)
        assert await h.drain() == 0

    assert receiver.successes("/flaky") == {i: 1 for i in ids}
    assert len(receiver.at("/flaky")) == 12 and all(r.verified for r in receiver.at("/flaky"))
    # Every retry reuses the webhook-id and resends the same body under a fresh signature.
    for webhook_id in ids:
        tries = [r for r in receiver.at("/flaky") if r.webhook_id == webhook_id]
        assert [r.answered for r in tries] == [503, 503, 200]
        assert len({str(r.body) for r in tries}) == 1


async def test_receiver_refusing_connections_then_up(settings: Settings) -> None:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    async with harness(settings, retry_delays_seconds=[5, 300]) as h:
        server = ReceiverServer(port=port)
        receiver = server.receiver
        await h.endpoint(receiver, base, "/late")
        ids = [await emit_now(h, "job.succeeded", {"job_id": f"job_{i}"}) for i in range(3)]
        assert await h.drain() == 3  # connection refused
        h.clock.advance(5)
        assert await h.drain() == 3  # still down
        rows = await deliveries(h)
        assert {r["status"] for r in rows} == {"pending"}
        assert all(r["attempts"] == 2 and r["last_status_code"] is None for r in rows)
        assert all("connect" in r["last_error"].lower() for r in rows)
        with server:
            h.clock.advance(300)
            assert await h.drain() == 3
            assert receiver.successes("/late") == {i: 1 for i in ids}
        assert {r["status"] for r in await deliveries(h)} == {"succeeded"}


async def test_gone_disables_the_endpoint(settings: Settings, receiver_server: tuple[str, Receiver]) -> None:
    base, receiver = receiver_server
    receiver.scripts["/gone"] = lambda attempt: (410, {})
    async with harness(settings) as h:
        endpoint = await h.endpoint(receiver, base, "/gone")
        await h.endpoint(receiver, base, "/fine")
        await emit_now(h, "job.started", {"job_id": "job_1"})
        await h.drain()
        listed = (await h.client.get(f"/v1/webhooks/{endpoint['id']}", headers=h.account.jwt_headers)).json()
        assert listed["status"] == "disabled" and "410" in listed["disabled_reason"]
        await emit_now(h, "job.succeeded", {"job_id": "job_1"})
        h.clock.advance(86400)
        await h.drain()
        rows = await deliveries(h, "/" + endpoint["id"])
        assert [(r["status"], r["attempts"]) for r in rows] == [("failed", 1)]
    assert len(receiver.at("/gone")) == 1
    assert len(receiver.successes("/fine")) == 2


async def test_client_errors_fail_without_retry(settings: Settings, receiver_server: tuple[str, Receiver]) -> None:
    base, receiver = receiver_server
    receiver.scripts["/bad"] = lambda attempt: (400, {})
    async with harness(settings) as h:
        endpoint = await h.endpoint(receiver, base, "/bad")
        await emit_now(h, "job.failed", {"job_id": "job_1"})
        await h.drain()
        h.clock.advance(86400)
        assert await h.drain() == 0
        [row] = await deliveries(h, "/" + endpoint["id"])
        assert (row["status"], row["attempts"], row["last_status_code"], row["next_attempt_at"]) == (
            "failed",
            1,
            400,
            None,
        )
        still = (await h.client.get(f"/v1/webhooks/{endpoint['id']}", headers=h.account.jwt_headers)).json()
        assert still["status"] == "active"


async def test_retry_after_is_honoured(settings: Settings, receiver_server: tuple[str, Receiver]) -> None:
    base, receiver = receiver_server
    receiver.scripts["/busy"] = lambda attempt: (429, {"Retry-After": "120"}) if attempt == 1 else (200, {})
    receiver.scripts["/date"] = lambda attempt: (
        (503, {"Retry-After": (h.clock() + timedelta(seconds=90)).strftime("%a, %d %b %Y %H:%M:%S GMT")})
        if attempt == 1
        else (200, {})
    )
    async with harness(settings, retry_delays_seconds=[5, 5]) as h:
        await h.endpoint(receiver, base, "/busy")
        await h.endpoint(receiver, base, "/date")
        await emit_now(h, "job.succeeded", {"job_id": "job_1"})
        started = h.clock()
        await h.drain()
        async with session_scope(h.runtime.sessions) as session:
            rows = (await session.execute(select(WebhookDelivery))).scalars().all()
            due = {r.url.rsplit("/", 1)[1]: r.next_attempt_at for r in rows}
        assert due["busy"] == started + timedelta(seconds=120)
        assert started + timedelta(seconds=89) <= due["date"] <= started + timedelta(seconds=90)
        h.clock.advance(60)  # past the schedule's 5 s, before what the receivers asked for
        assert await h.drain() == 0
        h.clock.advance(31)
        assert await h.drain() == 1
        h.clock.advance(30)
        assert await h.drain() == 1
    assert [r.answered for r in receiver.at("/busy")] == [429, 200]
    assert [r.answered for r in receiver.at("/date")] == [503, 200]


async def test_gives_up_when_the_schedule_runs_out(settings: Settings, receiver_server: tuple[str, Receiver]) -> None:
    base, receiver = receiver_server
    receiver.scripts["/down"] = lambda attempt: (500, {})
    async with harness(settings, retry_delays_seconds=[1, 2]) as h:
        await h.endpoint(receiver, base, "/down")
        await emit_now(h, "job.succeeded", {"job_id": "job_1"})
        for _ in range(5):
            await h.drain()
            h.clock.advance(2)
        [row] = await deliveries(h)
        assert row["status"] == "failed" and row["attempts"] == 3
        assert row["last_error"].startswith("gave up after 3 attempts")
        assert [a["status_code"] for a in row["attempt_log"]] == [500, 500, 500]
    assert len(receiver.at("/down")) == 3


async def test_redirects_are_not_followed(settings: Settings, receiver_server: tuple[str, Receiver]) -> None:
    base, receiver = receiver_server
    receiver.scripts["/moved"] = lambda attempt: (307, {"Location": base + "/elsewhere"})
    async with harness(settings, retry_delays_seconds=[5]) as h:
        await h.endpoint(receiver, base, "/moved")
        await emit_now(h, "job.succeeded", {"job_id": "job_1"})
        await h.drain()
        [row] = await deliveries(h)
        assert row["status"] == "pending" and row["attempts"] == 1  # a failure, retried on schedule
        h.clock.advance(5)
        await h.drain()
        [row] = await deliveries(h)
        assert row["status"] == "failed" and row["attempts"] == 2
    assert [r.path for r in receiver.received] == ["/moved", "/moved"]


async def test_a_receiver_that_hangs_is_timed_out_and_retried(
    settings: Settings, receiver_server: tuple[str, Receiver]
) -> None:
    base, receiver = receiver_server
    # The first attempt hangs well past the per-attempt limit; the retry answers at once.
    receiver.delays["/slow"] = lambda attempt: 3.0 if attempt == 1 else 0.0
    receiver.scripts["/slow"] = lambda attempt: (503, {}) if attempt == 1 else (200, {})
    async with harness(settings, retry_delays_seconds=[5, 300], timeout_seconds=0.3) as h:
        await h.endpoint(receiver, base, "/slow")
        webhook_id = await emit_now(h, "job.succeeded", {"job_id": "job_t"})
        assert await h.drain() == 1
        [row] = await deliveries(h)
        assert row["status"] == "pending" and row["attempts"] == 1 and row["last_status_code"] is None
        assert "took longer than 0.3s" in row["last_error"]
        h.clock.advance(5)
        assert await h.drain() == 1
        [row] = await deliveries(h)
        assert row["status"] == "succeeded" and row["attempts"] == 2 and row["last_status_code"] == 200
    assert receiver.successes("/slow") == {webhook_id: 1}
