"""Writes audit events inside the caller's transaction, so an action and its record
commit together or not at all."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from atelier.audit.models import AuditEvent
from atelier.kit.context import current_request_id


async def record(
    session: AsyncSession,
    action: str,
    *,
    organization_id: str | None = None,
    actor_id: str | None = None,
    target: str | None = None,
    ip: str | None = None,
    **details: Any,
) -> None:
    session.add(
        AuditEvent(
            action=action,
            organization_id=organization_id,
            actor_id=actor_id,
            target=target,
            ip=ip,
            request_id=current_request_id(),
            details=details,
        )
    )
    await session.flush()


async def list_events(
    session: AsyncSession,
    *,
    action: str | None,
    limit: int,
    offset: int,
    actor_id: str | None = None,
    since: datetime | None = None,
    before: datetime | None = None,
    organization_id: str | None = None,
) -> list[AuditEvent]:
    """Newest first; ``since`` inclusive, ``before`` exclusive; one organization's only when given."""
    stmt = select(AuditEvent).order_by(AuditEvent.created_at.desc(), AuditEvent.id).limit(limit).offset(offset)
    if action:
        stmt = stmt.where(AuditEvent.action == action)
    if actor_id:
        stmt = stmt.where(AuditEvent.actor_id == actor_id)
    if since is not None:
        stmt = stmt.where(AuditEvent.created_at >= since)
    if before is not None:
        stmt = stmt.where(AuditEvent.created_at < before)
    if organization_id is not None:
        stmt = stmt.where(AuditEvent.organization_id == organization_id)
    return list((await session.execute(stmt)).scalars().all())
