from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, ConfigDict

from atelier.accounts.repository import UserRepository
from atelier.audit import service
from atelier.auth.dependencies import AdminPrincipal, Principal, Scope, requires
from atelier.kit.deps import SessionDep
from atelier.kit.errors import ValidationFailed
from atelier.kit.pagination import NO_NUL, Limit1000, Offset

router = APIRouter(prefix="/v1/audit", tags=["audit"])


class AuditEventOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: str
    action: str
    organization_id: str | None
    actor_id: str | None
    target: str | None
    ip: str | None
    request_id: str | None
    details: dict[str, Any]
    created_at: datetime


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


@router.get("", response_model=list[AuditEventOut], summary="Security audit log (admins)")
async def list_audit(
    _: AdminPrincipal,
    session: SessionDep,
    action: str | None = Query(None, max_length=64, pattern=NO_NUL),
    actor: str | None = Query(None, max_length=320, pattern=NO_NUL, description="The acting user's id or email"),
    from_: date | None = Query(None, alias="from", description="First day (UTC), inclusive"),
    to: date | None = Query(None, description="Last day (UTC), inclusive"),
    limit: Limit1000 = 100,
    offset: Offset = 0,
) -> list[AuditEventOut]:
    if from_ and to and to < from_:
        raise ValidationFailed("'to' is before 'from'", details={"field": "to"})
    actor_id = actor.strip() if actor else None
    if actor_id and "@" in actor_id:
        user = await UserRepository(session).by_email(actor_id)
        if user is None:
            return []
        actor_id = user.id
    events = await service.list_events(
        session,
        action=action,
        actor_id=actor_id,
        since=_day_start(from_) if from_ else None,
        before=_day_start(to + timedelta(days=1)) if to and to < date.max else None,
        limit=limit,
        offset=offset,
    )
    return [AuditEventOut.model_validate(e) for e in events]


#: The organization's own log: its admins and owners (the ``members`` scope).
organization_router = APIRouter(prefix="/v1/organization", tags=["organizations"])
OrgAuditPrincipal = Annotated[Principal, Depends(requires(Scope.MEMBERS))]


@organization_router.get("/audit", response_model=list[AuditEventOut], summary="The organization's audit log")
async def list_organization_audit(
    principal: OrgAuditPrincipal,
    session: SessionDep,
    action: str | None = Query(None, max_length=64),
    limit: Limit1000 = 100,
    offset: Offset = 0,
) -> list[AuditEventOut]:
    events = await service.list_events(
        session, action=action, limit=limit, offset=offset, organization_id=principal.organization_id
    )
    return [AuditEventOut.model_validate(e) for e in events]
