"""The dispatcher: per-job URLs signed with the organization's secret, internal addresses
refused at delivery time, several dispatchers sharing one queue, and a crashed
dispatcher's deliveries retried under the same webhook-id."""

from __future__ import annotations

import asyncio
from typing import Any

from sqlalchemy import select

from atelier.jobs.hooks import JobEvent, Outcome, Submission
from atelier.kit.db import session_scope, utcnow
from atelier.settings import Settings
from atelier.webhooks import emit
from atelier.webhooks.hook import WebhookHook
from atelier.webhooks.models import WebhookDelivery
from atelier.webhooks.repository import DeliveryRepository
from tests.webhooks.conftest import Harness, harness
from tests.webhooks.receiver import Receiver


async def emit_now(h: Harness, event_type: str, data: dict[str, Any], **kw: Any) -> str | None:
    async with session_scope(h.runtime.sessions) as session:
        return await emit(session, h.org, event_type, data, occurred_at=h.clock(), **kw)


async def all_deliveries(h: Harness) -> list[WebhookDelivery]:
    async with session_scope(h.runtime.sessions) as session:
        return list((await session.execute(select(WebhookDelivery))).scalars().all())


async def test_per_job_url_is_signed_with_the_organization_secret(
    settings: Settings, receiver_server: tuple[str, Receiver]
) -> None:
    base, receiver = receiver_server
    async with harness(settings) as h:
        headers = h.account.jwt_headers
        receiver.secrets["/job"] = (await h.client.get("/v1/webhooks/signing-secret", headers=headers)).json()["secret"]
        first = await emit_now(h, "job.succeeded", {"job_id": "job_1"}, webhook_url=base + "/job", subject_id="job_1")
        await h.drain()
        rotated = (await h.client.post("/v1/webhooks/signing-secret/rotate", headers=headers)).json()["secret"]
        second = await emit_now(h, "job.succeeded", {"job_id": "job_2"}, webhook_url=base + "/job", subject_id="job_2")
        await h.drain()  # signed with the new secret: the receiver still holds the old one
        receiver.secrets["/job"] = rotated
        third = await emit_now(h, "job.succeeded", {"job_id": "job_3"}, webhook_url=base + "/job", subject_id="job_3")
        await h.drain()
        assert [(r.webhook_id, r.verified) for r in receiver.at("/job")] == [
            (first, True),
            (second, False),
            (third, True),
        ]
        rows = (await h.client.get("/v1/webhooks/deliveries?job_id=job_3", headers=headers)).json()
        assert [(r["webhook_id"], r["endpoint_id"], r["status"]) for r in rows] == [(third, None, "succeeded")]


async def test_internal_address_refused_at_delivery_without_the_allow_setting(
    settings: Settings, receiver_server: tuple[str, Receiver]
) -> None:
    base, receiver = receiver_server
    async with harness(settings, allow_private=[]) as h:
        targets = [base + "/job", "http://169.254.169.254/latest/meta-data/", "http://localhost:1/x"]
        for url in targets:
            await emit_now(h, "job.succeeded", {"job_id": "job_1"}, webhook_url=url)
        await h.drain()
        h.clock.advance(86400)
        assert await h.drain() == 0
        rows = await all_deliveries(h)
        assert sorted((r.url, r.status, r.attempts) for r in rows) == sorted((u, "failed", 1) for u in targets)
        assert all(r.last_error and r.last_error.startswith("refused:") and "non-public" in r.last_error for r in rows)
    assert receiver.received == []


async def test_allow_setting_lists_networks(settings: Settings, receiver_server: tuple[str, Receiver]) -> None:
    base, receiver = receiver_server
    async with harness(settings, allow_private=["127.0.0.0/8"]) as h:
        receiver.secrets["/job"] = await signing_secret(h)
        await emit_now(h, "job.succeeded", {"job_id": "job_1"}, webhook_url=base + "/job")
        await h.drain()
    assert len(receiver.successes("/job")) == 1


async def signing_secret(h: Harness) -> str:
    response = await h.client.get("/v1/webhooks/signing-secret", headers=h.account.jwt_headers)
    secret: str = response.json()["secret"]
    return secret


async def test_concurrent_dispatchers_deliver_each_event_once(
    settings: Settings, receiver_server: tuple[str, Receiver]
) -> None:
    base, receiver = receiver_server
    async with harness(settings, batch_size=3) as h:
        await h.endpoint(receiver, base, "/a")
        await h.endpoint(receiver, base, "/b")
        ids = [await emit_now(h, "job.progress", {"job_id": "job_1", "i": i}) for i in range(15)]
        dispatchers = [h.dispatcher() for _ in range(3)]

        async def work(dispatcher: Any) -> int:
            total = 0
            while handled := await dispatcher.run_once():
                total += handled
            return total

        counts = await asyncio.gather(*(work(d) for d in dispatchers))
        assert sum(counts) == 30
        assert {r.status for r in await all_deliveries(h)} == {"succeeded"}
    assert receiver.successes("/a") == {i: 1 for i in ids}
    assert receiver.successes("/b") == {i: 1 for i in ids}
    assert len(receiver.received) == 30


async def test_a_crashed_dispatchers_delivery_is_retried_under_the_same_id(
    settings: Settings, receiver_server: tuple[str, Receiver]
) -> None:
    base, receiver = receiver_server
    async with harness(settings, timeout_seconds=5) as h:
        await h.endpoint(receiver, base, "/a")
        webhook_id = await emit_now(h, "job.succeeded", {"job_id": "job_1"})
        async with session_scope(h.runtime.sessions) as session:  # claimed, then the process "dies"
            now = h.clock()
            claimed = await DeliveryRepository(session).claim_due(now, now + h.dispatcher().lease, "dead", 10)
        assert len(claimed) == 1
        assert await h.drain() == 0  # leased: nobody else takes it
        h.clock.advance(34)
        assert await h.drain() == 0
        h.clock.advance(2)  # lease (timeout + 30 s) expired
        assert await h.drain() == 1
        async with session_scope(h.runtime.sessions) as session:  # the dead claimer cannot settle it any more
            assert not await DeliveryRepository(session).settle(claimed[0].id, "dead", status="failed")
    assert receiver.successes("/a") == {webhook_id: 1}


async def test_job_hook_queues_job_events(settings: Settings, receiver_server: tuple[str, Receiver]) -> None:
    base, receiver = receiver_server
    async with harness(settings) as h:
        await h.endpoint(receiver, base, "/org", event_types=["job.succeeded"])
        receiver.secrets["/own"] = await signing_secret(h)
        hook = WebhookHook()
        async with session_scope(h.runtime.sessions) as session:
            await hook.before_submit(session, _submission(h.org))
            for kind in ("job.started", "job.progress", "job.succeeded"):
                event = JobEvent(kind, "job_77", h.org, {"id": "job_77", "status": kind[4:]}, base + "/own")
                await hook.on_event(session, event)
            await hook.on_finished(session, _outcome(h.org))
        assert any(isinstance(s, WebhookHook) for s in h.runtime.services.job_hooks)
        h.clock.now = utcnow()  # the hook stamps events with the real time
        await h.drain()
    # Deliveries are concurrent: the order of arrival is not promised, each event is.
    assert sorted(r.body["type"] for r in receiver.at("/own")) == ["job.progress", "job.started", "job.succeeded"]
    assert [r.body["type"] for r in receiver.at("/org")] == ["job.succeeded"]
    assert receiver.at("/org")[0].body["data"] == {"job_id": "job_77", "id": "job_77", "status": "succeeded"}
    assert all(r.verified for r in receiver.received)


async def test_rolled_back_events_are_never_delivered(
    settings: Settings, receiver_server: tuple[str, Receiver]
) -> None:
    base, receiver = receiver_server
    async with harness(settings) as h:
        await h.endpoint(receiver, base, "/a")
        try:
            async with session_scope(h.runtime.sessions) as session:
                await emit(session, h.org, "job.succeeded", {"job_id": "job_1"})
                raise RuntimeError("the state change failed")
        except RuntimeError:
            pass
        assert await h.drain() == 0
        assert await all_deliveries(h) == []
    assert receiver.received == []


def _submission(org: str) -> Submission:
    from decimal import Decimal

    return Submission("job_77", org, "usr_x", None, "m", 1, 64, 64, None, Decimal("0"))


def _outcome(org: str) -> Outcome:
    from decimal import Decimal

    return Outcome("job_77", org, None, "m", "succeeded", 1, Decimal("0"))
