"""POST /v1/webhooks/{endpoint}/deliveries/{delivery}/redeliver: the same event (same
webhook-id, same bytes) queued again for the endpoint and sent by the dispatcher, against a
real receiver that verifies every request."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from atelier.audit.models import AuditEvent
from atelier.kit.db import session_scope
from atelier.settings import Settings
from atelier.webhooks import emit
from atelier.webhooks.models import WebhookDelivery
from tests.helpers.accounts import create_key, register
from tests.webhooks.conftest import Harness, harness
from tests.webhooks.receiver import Receiver


async def emit_now(h: Harness, event_type: str, data: dict[str, Any]) -> str | None:
    async with session_scope(h.runtime.sessions) as session:
        return await emit(session, h.org, event_type, data, occurred_at=h.clock())


async def deliveries(h: Harness, endpoint_id: str) -> list[dict[str, Any]]:
    response = await h.client.get(f"/v1/webhooks/{endpoint_id}/deliveries", headers=h.account.jwt_headers)
    assert response.status_code == 200, response.text
    rows: list[dict[str, Any]] = response.json()
    return rows


def redeliver_path(endpoint_id: str, delivery_id: str) -> str:
    return f"/v1/webhooks/{endpoint_id}/deliveries/{delivery_id}/redeliver"


async def test_redelivery_sends_the_same_event_again(settings: Settings, receiver_server: tuple[str, Receiver]) -> None:
    base, receiver = receiver_server
    async with harness(settings) as h:
        endpoint = await h.endpoint(receiver, base, "/hook")
        webhook_id = await emit_now(h, "job.succeeded", {"job_id": "job_1"})
        assert await h.drain() == 1
        [first] = await deliveries(h, endpoint["id"])
        assert first["status"] == "succeeded"

        response = await h.client.post(redeliver_path(endpoint["id"], first["id"]), headers=h.account.jwt_headers)
        assert response.status_code == 202, response.text
        queued = response.json()
        assert queued["id"] != first["id"] and queued["webhook_id"] == webhook_id
        assert queued["status"] == "pending" and queued["attempts"] == 0

        # While it is pending, a second redelivery of the same event is refused.
        again = await h.client.post(redeliver_path(endpoint["id"], first["id"]), headers=h.account.jwt_headers)
        assert again.status_code == 409 and again.json()["error"]["code"] == "DELIVERY_PENDING"
        pending = await h.client.post(redeliver_path(endpoint["id"], queued["id"]), headers=h.account.jwt_headers)
        assert pending.status_code == 409

        h.clock.advance(60)  # the test's clock started before the redelivery was queued
        assert await h.drain() == 1
        rows = await deliveries(h, endpoint["id"])
        assert [r["id"] for r in rows].count(queued["id"]) == 1 and len(rows) == 2
        assert all(r["status"] == "succeeded" and r["webhook_id"] == webhook_id for r in rows)
        arrived = receiver.at("/hook")
        assert [r.webhook_id for r in arrived] == [webhook_id, webhook_id]
        assert all(r.verified for r in arrived) and arrived[0].body == arrived[1].body

        async with session_scope(h.runtime.sessions) as session:
            payloads = (await session.execute(select(WebhookDelivery.payload))).scalars().all()
            assert len(set(payloads)) == 1  # byte-identical
            audit = (
                await session.execute(select(AuditEvent).where(AuditEvent.action == "webhook.redelivered"))
            ).scalar_one()
            assert audit.target == queued["id"] and audit.actor_id == h.account.user_id


async def test_redelivering_a_failed_delivery(settings: Settings, receiver_server: tuple[str, Receiver]) -> None:
    base, receiver = receiver_server
    receiver.scripts["/picky"] = lambda attempt: (400, {}) if attempt == 1 else (200, {})
    async with harness(settings) as h:
        endpoint = await h.endpoint(receiver, base, "/picky")
        await emit_now(h, "job.failed", {"job_id": "job_2"})
        await h.drain()
        [failed] = await deliveries(h, endpoint["id"])
        assert failed["status"] == "failed" and failed["last_status_code"] == 400
        response = await h.client.post(redeliver_path(endpoint["id"], failed["id"]), headers=h.account.jwt_headers)
        assert response.status_code == 202
        h.clock.advance(60)
        assert await h.drain() == 1
        statuses = {r["id"]: r["status"] for r in await deliveries(h, endpoint["id"])}
        assert statuses == {failed["id"]: "failed", response.json()["id"]: "succeeded"}


async def test_unknown_or_foreign_ids_are_404(settings: Settings, receiver_server: tuple[str, Receiver]) -> None:
    base, receiver = receiver_server
    async with harness(settings) as h:
        endpoint = await h.endpoint(receiver, base, "/a")
        other_endpoint = await h.endpoint(receiver, base, "/b")
        await emit_now(h, "job.succeeded", {"job_id": "job_3"})
        await h.drain()
        [delivery] = await deliveries(h, endpoint["id"])
        headers = h.account.jwt_headers
        for path in [
            redeliver_path(endpoint["id"], "whd_nope"),
            redeliver_path("whe_nope", delivery["id"]),
            redeliver_path(other_endpoint["id"], delivery["id"]),  # a delivery of another endpoint
            redeliver_path(endpoint["id"], "whd_%00"),  # PostgreSQL's text holds no NUL: still a 404
            redeliver_path("whe_%00", delivery["id"]),
        ]:
            response = await h.client.post(path, headers=headers)
            assert response.status_code == 404, (path, response.text)
        stranger = await register(h.client)
        response = await h.client.post(redeliver_path(endpoint["id"], delivery["id"]), headers=stranger.jwt_headers)
        assert response.status_code == 404
        assert len(await deliveries(h, endpoint["id"])) == 1


async def test_disabled_endpoint_is_409(settings: Settings, receiver_server: tuple[str, Receiver]) -> None:
    base, receiver = receiver_server
    receiver.scripts["/gone"] = lambda attempt: (410, {})
    async with harness(settings) as h:
        endpoint = await h.endpoint(receiver, base, "/gone")
        await emit_now(h, "job.succeeded", {"job_id": "job_4"})
        await h.drain()
        [delivery] = await deliveries(h, endpoint["id"])
        response = await h.client.post(redeliver_path(endpoint["id"], delivery["id"]), headers=h.account.jwt_headers)
        assert response.status_code == 409 and response.json()["error"]["code"] == "ENDPOINT_DISABLED"
        assert "410" in response.json()["error"]["message"]


async def test_redelivery_needs_the_webhooks_scope(settings: Settings, receiver_server: tuple[str, Receiver]) -> None:
    base, receiver = receiver_server
    async with harness(settings) as h:
        endpoint = await h.endpoint(receiver, base, "/s")
        await emit_now(h, "job.succeeded", {"job_id": "job_5"})
        await h.drain()
        [delivery] = await deliveries(h, endpoint["id"])
        key = await create_key(h.client, h.account, scopes=["read"])
        response = await h.client.post(
            redeliver_path(endpoint["id"], delivery["id"]), headers={"Authorization": f"Bearer {key}"}
        )
        assert response.status_code == 403 and "webhooks" in response.text
        assert (await h.client.post(redeliver_path(endpoint["id"], delivery["id"]))).status_code == 401


async def test_rotating_an_endpoint_secret_signs_later_deliveries_with_the_new_one(
    settings: Settings, receiver_server: tuple[str, Receiver]
) -> None:
    base, receiver = receiver_server
    async with harness(settings) as h:
        endpoint = await h.endpoint(receiver, base, "/rot")
        path = f"/v1/webhooks/{endpoint['id']}/secret/rotate"
        stranger = await register(h.client)
        assert (await h.client.post(path, headers=stranger.jwt_headers)).status_code == 404
        response = await h.client.post(path, headers=h.account.jwt_headers)
        assert response.status_code == 200, response.text
        rotated = response.json()["secret"]
        assert rotated.startswith("whsec_") and rotated != endpoint["secret"]
        await emit_now(h, "job.succeeded", {"job_id": "job_6"})
        await h.drain()
        assert [r.verified for r in receiver.at("/rot")] == [False]  # the receiver still holds the old one
        receiver.secrets["/rot"] = rotated
        await emit_now(h, "job.succeeded", {"job_id": "job_7"})
        await h.drain()
        assert [r.verified for r in receiver.at("/rot")] == [False, True]
