from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, ConfigDict

from atelier.audit import service
from atelier.auth.dependencies import AdminPrincipal, Principal, Scope, requires
from atelier.kit.deps import SessionDep
from atelier.kit.pagination import Limit1000, Offset

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


@router.get("", response_model=list[AuditEventOut], summary="Security audit log (admins)")
async def list_audit(
    _: AdminPrincipal,
    session: SessionDep,
    action: str | None = Query(None, max_length=64),
    limit: Limit1000 = 100,
    offset: Offset = 0,
) -> list[AuditEventOut]:
    events = await service.list_events(session, action=action, limit=limit, offset=offset)
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
