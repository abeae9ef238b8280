"""All SQL of the webhooks domain."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import and_, or_, select, update

from atelier.kit.db import rowcount
from atelier.kit.repository import RepositoryBase
from atelier.webhooks.models import DeliveryStatus, WebhookAttempt, WebhookDelivery, WebhookEndpoint

OPEN = (DeliveryStatus.PENDING.value, DeliveryStatus.DELIVERING.value)


class EndpointRepository(RepositoryBase[WebhookEndpoint]):
    model = WebhookEndpoint

    async def active_for_org(self, organization_id: str) -> Sequence[WebhookEndpoint]:
        return await self.all(
            self.select().where(
                WebhookEndpoint.organization_id == organization_id, WebhookEndpoint.disabled_at.is_(None)
            )
        )

    async def list_for_org(self, organization_id: str) -> Sequence[WebhookEndpoint]:
        return await self.all(
            self.select()
            .where(WebhookEndpoint.organization_id == organization_id)
            .order_by(WebhookEndpoint.created_at.desc())
        )

    async def disable(self, endpoint_id: str, reason: str, now: datetime) -> None:
        await self.session.execute(
            update(WebhookEndpoint)
            .where(WebhookEndpoint.id == endpoint_id, WebhookEndpoint.disabled_at.is_(None))
            .values(disabled_at=now, disabled_reason=reason[:500])
        )


class DeliveryRepository(RepositoryBase[WebhookDelivery]):
    model = WebhookDelivery

    async def claim_due(self, now: datetime, until: datetime, token: str, limit: int) -> Sequence[WebhookDelivery]:
        """Take up to ``limit`` due deliveries (or ones whose claimer died) under a lease.
        A conditional UPDATE over rows locked with SKIP LOCKED on PostgreSQL (SQLite
        serialises writers), so concurrent dispatchers never take the same row."""
        due = (
            select(WebhookDelivery.id)
            .where(
                or_(
                    and_(
                        WebhookDelivery.status == DeliveryStatus.PENDING.value, WebhookDelivery.next_attempt_at <= now
                    ),
                    and_(WebhookDelivery.status == DeliveryStatus.DELIVERING.value, WebhookDelivery.lease_until < now),
                )
            )
            .order_by(WebhookDelivery.next_attempt_at)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        ids = list((await self.session.execute(due)).scalars().all())
        if not ids:
            return []
        await self.session.execute(
            update(WebhookDelivery)
            .where(WebhookDelivery.id.in_(ids))
            .values(status=DeliveryStatus.DELIVERING.value, lease_token=token, lease_until=until)
        )
        return await self.all(self.select().where(WebhookDelivery.lease_token == token))

    async def settle(self, delivery_id: str, token: str, **values: object) -> bool:
        """Record an attempt's outcome; only the lease holder can."""
        result = await self.session.execute(
            update(WebhookDelivery)
            .where(WebhookDelivery.id == delivery_id, WebhookDelivery.lease_token == token)
            .values(lease_token=None, lease_until=None, **values)
        )
        return rowcount(result) == 1

    async def cancel_open_for_endpoint(self, endpoint_id: str, reason: str) -> None:
        await self.session.execute(
            update(WebhookDelivery)
            .where(WebhookDelivery.endpoint_id == endpoint_id, WebhookDelivery.status.in_(OPEN))
            .values(status=DeliveryStatus.CANCELED.value, next_attempt_at=None, last_error=reason[:500])
        )

    async def recent(
        self,
        organization_id: str,
        *,
        endpoint_id: str | None = None,
        subject_id: str | None = None,
        status: str | None = None,
        limit: int = 50,
    ) -> Sequence[WebhookDelivery]:
        stmt = self.select().where(WebhookDelivery.organization_id == organization_id)
        if endpoint_id is not None:
            stmt = stmt.where(WebhookDelivery.endpoint_id == endpoint_id)
        if subject_id is not None:
            stmt = stmt.where(WebhookDelivery.subject_id == subject_id)
        if status is not None:
            stmt = stmt.where(WebhookDelivery.status == status)
        return await self.all(stmt.order_by(WebhookDelivery.created_at.desc(), WebhookDelivery.id).limit(limit))

    async def open_for_message(self, message_id: str, endpoint_id: str) -> WebhookDelivery | None:
        """A delivery of this event to this endpoint still waiting or being sent, if any."""
        return await self.one_or_none(
            self.select()
            .where(
                WebhookDelivery.message_id == message_id,
                WebhookDelivery.endpoint_id == endpoint_id,
                WebhookDelivery.status.in_(OPEN),
            )
            .limit(1)
        )

    async def attempts_of(self, delivery_ids: list[str]) -> Sequence[WebhookAttempt]:
        if not delivery_ids:
            return []
        rows = await self.session.execute(
            select(WebhookAttempt)
            .where(WebhookAttempt.delivery_id.in_(delivery_ids))
            .order_by(WebhookAttempt.delivery_id, WebhookAttempt.number)
        )
        return rows.scalars().all()

    async def next_due(self) -> datetime | None:
        """The earliest ``next_attempt_at`` of a pending delivery."""
        from sqlalchemy import func

        result = await self.session.execute(
            select(func.min(WebhookDelivery.next_attempt_at)).where(
                WebhookDelivery.status == DeliveryStatus.PENDING.value
            )
        )
        value: datetime | None = result.scalar_one_or_none()
        return value
