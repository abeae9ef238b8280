"""``/v1/admin``: the lists an administrator works from — every user with its role, every
organization with its plan. Changing them is in ``accounts.endpoints`` (roles, status) and
``billing.endpoints`` (plans)."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Query
from pydantic import Field

from atelier.accounts.repository import OrganizationRepository, UserRepository
from atelier.accounts.schemas import OrganizationOut, UserOut
from atelier.auth.dependencies import AdminPrincipal
from atelier.kit.deps import SessionDep
from atelier.kit.pagination import NO_NUL, Limit1000, Offset

router = APIRouter(prefix="/v1/admin", tags=["admin"])


class OrganizationRow(OrganizationOut):
    users: int
    deleted_at: datetime | None = Field(None, description="When its owners deleted it; null while it is live.")


@router.get("/users", response_model=list[UserOut], summary="Users, newest first (admins)")
async def list_users(
    _: AdminPrincipal,
    session: SessionDep,
    email: str | None = Query(None, max_length=320, pattern=NO_NUL, description="Only addresses containing this"),
    limit: Limit1000 = 100,
    offset: Offset = 0,
) -> list[UserOut]:
    users = await UserRepository(session).page(email=email, limit=limit, offset=offset)
    return [UserOut.model_validate(u) for u in users]


@router.get("/organizations", response_model=list[OrganizationRow], summary="Organizations and plans (admins)")
async def list_organizations(
    _: AdminPrincipal, session: SessionDep, limit: Limit1000 = 100, offset: Offset = 0
) -> list[OrganizationRow]:
    rows = await OrganizationRepository(session).page(limit=limit, offset=offset)
    return [
        OrganizationRow(id=org.id, name=org.name, plan=org.plan, users=n, deleted_at=org.deleted_at) for org, n in rows
    ]
