"""Webhook endpoints, the organization's signing secret for per-job URLs, and ``emit``:
queueing an event's deliveries in the caller's transaction."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from atelier.audit import service as audit
from atelier.kit.db import utcnow
from atelier.kit.errors import Conflict, NotFound, ValidationFailed
from atelier.kit.ids import new_id, storable
from atelier.webhooks import events, signing, wakeup
from atelier.webhooks.models import DeliveryStatus, WebhookDelivery, WebhookEndpoint, WebhookOrgSecret
from atelier.webhooks.presence import NO_ENDPOINTS
from atelier.webhooks.repository import DeliveryRepository, EndpointRepository

#: Each endpoint is another fan-out of every event; a bound keeps one organization's
#: subscriptions from flooding the deliveries queue.
MAX_ENDPOINTS = 25


def payload(event_type: str, data: dict[str, Any], occurred_at: datetime) -> str:
    """The Standard Webhooks envelope, minified; stored as sent so retries are byte-identical."""
    body = {"type": event_type, "timestamp": occurred_at.isoformat().replace("+00:00", "Z"), "data": data}
    return json.dumps(body, separators=(",", ":"), ensure_ascii=False, default=str)


async def emit(
    session: AsyncSession,
    organization_id: str,
    event_type: str,
    data: dict[str, Any],
    *,
    webhook_url: str | None = None,
    subject_id: str | None = None,
    occurred_at: datetime | None = None,
    absence_seconds: float = 0.0,
) -> str | None:
    """Queue one event for the organization's subscribed endpoints (and ``webhook_url``, a
    per-job URL signed with the organization's secret) in the caller's transaction: the
    deliveries commit with the change they announce, or not at all. Returns the event's
    ``webhook-id``, or None when nobody listens. ``occurred_at`` (default now) is the
    envelope's timestamp and when the first attempt falls due. ``absence_seconds``: how long
    an organization found without endpoints is taken to have none (:mod:`.presence`)."""
    if not events.valid_type(event_type):
        raise ValueError(f"invalid webhook event type {event_type!r}")
    active = await NO_ENDPOINTS.find(
        organization_id, absence_seconds, lambda: EndpointRepository(session).active_for_org(organization_id)
    )
    endpoints = [e for e in active or () if events.matches(e.event_types, event_type)]
    targets: list[tuple[str | None, str]] = [(e.id, e.url) for e in endpoints]
    if webhook_url:
        targets.append((None, webhook_url))
    if not targets:
        return None
    now = occurred_at or utcnow()
    message_id = new_id("msg")
    body = payload(event_type, data, now)
    for endpoint_id, url in targets:
        session.add(
            WebhookDelivery(
                message_id=message_id,
                organization_id=organization_id,
                endpoint_id=endpoint_id,
                url=url,
                event_type=event_type,
                subject_id=subject_id,
                payload=body,
                status=DeliveryStatus.PENDING.value,
                next_attempt_at=now,
            )
        )
    await session.flush()
    wakeup.wake_after_commit(session)
    return message_id


async def create_endpoint(
    session: AsyncSession,
    server_secret: str,
    organization_id: str,
    *,
    url: str,
    event_types: list[str],
    description: str | None,
) -> tuple[WebhookEndpoint, str]:
    """The endpoint and its signing secret (to show once). ``url`` is checked by the caller."""
    unknown = events.unknown_filters(event_types)
    if unknown:
        raise ValidationFailed(
            f"Unknown event types: {', '.join(unknown)} "
            f"(known: {', '.join(events.EVENT_TYPES)}, or a group like job.*)",
            details={"field": "event_types"},
        )
    repository = EndpointRepository(session)
    if len(await repository.list_for_org(organization_id)) >= MAX_ENDPOINTS:
        raise Conflict(
            f"An organization can register at most {MAX_ENDPOINTS} webhook endpoints; delete one first",
            code="TOO_MANY_ENDPOINTS",
        )
    endpoint = WebhookEndpoint(
        id=new_id("whe"),
        organization_id=organization_id,
        url=url,
        description=description,
        event_types=sorted(set(event_types)),
        secret_salt=signing.new_salt(),
    )
    await repository.add(endpoint)
    return endpoint, signing.endpoint_secret(server_secret, endpoint.id, endpoint.secret_salt)


async def get_endpoint(session: AsyncSession, organization_id: str, endpoint_id: str) -> WebhookEndpoint:
    endpoint = await EndpointRepository(session).get(endpoint_id) if storable(endpoint_id) else None
    if endpoint is None or endpoint.organization_id != organization_id:
        raise NotFound(f"Webhook endpoint {endpoint_id} not found")
    return endpoint


async def rotate_endpoint_secret(
    session: AsyncSession, server_secret: str, organization_id: str, endpoint_id: str, *, actor_id: str | None = None
) -> str:
    """A new signing secret for the endpoint (to show once); the old one stops at once,
    pending retries included, since a delivery is signed when it is sent."""
    endpoint = await get_endpoint(session, organization_id, endpoint_id)
    endpoint.secret_salt = signing.new_salt()
    await session.flush()
    await audit.record(
        session, "webhook.secret_rotated", organization_id=organization_id, actor_id=actor_id, target=endpoint.id
    )
    return signing.endpoint_secret(server_secret, endpoint.id, endpoint.secret_salt)


async def delete_endpoint(session: AsyncSession, organization_id: str, endpoint_id: str) -> None:
    endpoint = await get_endpoint(session, organization_id, endpoint_id)
    await EndpointRepository(session).delete(endpoint)


async def list_endpoints(session: AsyncSession, organization_id: str) -> Sequence[WebhookEndpoint]:
    return await EndpointRepository(session).list_for_org(organization_id)


async def organization_generation(session: AsyncSession, organization_id: str) -> int:
    row = await session.get(WebhookOrgSecret, organization_id)
    return row.generation if row else 0


async def organization_secret(session: AsyncSession, server_secret: str, organization_id: str) -> str:
    """The secret per-job webhook URLs of this organization are signed with."""
    generation = await organization_generation(session, organization_id)
    return signing.organization_secret(server_secret, organization_id, generation)


async def rotate_organization_secret(session: AsyncSession, server_secret: str, organization_id: str) -> str:
    row = (
        await session.execute(
            select(WebhookOrgSecret).where(WebhookOrgSecret.organization_id == organization_id).with_for_update()
        )
    ).scalar_one_or_none()
    if row is None:
        row = WebhookOrgSecret(organization_id=organization_id, generation=0)
        session.add(row)
    row.generation += 1
    row.rotated_at = utcnow()
    await session.flush()
    return signing.organization_secret(server_secret, organization_id, row.generation)


async def redeliver(
    session: AsyncSession, organization_id: str, endpoint_id: str, delivery_id: str, *, actor_id: str | None = None
) -> WebhookDelivery:
    """Queue the event of ``delivery_id`` again for its endpoint: a new delivery row with the
    same ``webhook-id`` and the same bytes (receivers deduplicate on it), sent by the
    dispatcher like any other. Refused while that event is still on its way to the endpoint,
    or once the endpoint is disabled."""
    endpoint = await get_endpoint(session, organization_id, endpoint_id)
    repo = DeliveryRepository(session)
    original = await repo.get(delivery_id) if storable(delivery_id) else None
    if original is None or original.organization_id != organization_id or original.endpoint_id != endpoint.id:
        raise NotFound(f"Webhook delivery {delivery_id} not found")
    if endpoint.disabled_at is not None:
        raise Conflict(
            f"Webhook endpoint {endpoint.id} is disabled ({endpoint.disabled_reason or 'no reason given'})",
            code="ENDPOINT_DISABLED",
        )
    if await repo.open_for_message(original.message_id, endpoint.id) is not None:
        raise Conflict(
            f"Event {original.message_id} is still being delivered to this endpoint; wait for it to finish",
            code="DELIVERY_PENDING",
        )
    copy = WebhookDelivery(
        id=new_id("whd"),
        message_id=original.message_id,
        organization_id=organization_id,
        endpoint_id=endpoint.id,
        url=endpoint.url,
        event_type=original.event_type,
        subject_id=original.subject_id,
        payload=original.payload,
        status=DeliveryStatus.PENDING.value,
        next_attempt_at=utcnow(),
    )
    await repo.add(copy)
    await audit.record(
        session,
        "webhook.redelivered",
        organization_id=organization_id,
        actor_id=actor_id,
        target=copy.id,
        original=original.id,
        webhook_id=original.message_id,
    )
    wakeup.wake_after_commit(session)
    return copy


async def recent_deliveries(
    session: AsyncSession,
    organization_id: str,
    *,
    endpoint_id: str | None = None,
    subject_id: str | None = None,
    status: str | None = None,
    limit: int = 50,
) -> list[tuple[WebhookDelivery, list[Any]]]:
    repo = DeliveryRepository(session)
    rows = await repo.recent(
        organization_id, endpoint_id=endpoint_id, subject_id=subject_id, status=status, limit=limit
    )
    attempts = await repo.attempts_of([r.id for r in rows])
    by_delivery: dict[str, list[Any]] = {}
    for attempt in attempts:
        by_delivery.setdefault(attempt.delivery_id, []).append(attempt)
    return [(row, by_delivery.get(row.id, [])) for row in rows]
