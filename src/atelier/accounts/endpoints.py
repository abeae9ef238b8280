from __future__ import annotations

from fastapi import APIRouter, Request
from sqlalchemy.ext.asyncio import AsyncSession

from atelier.accounts import service
from atelier.accounts.models import Organization, User
from atelier.accounts.repository import UserRepository
from atelier.accounts.schemas import (
    LoginIn,
    MeOut,
    MeUpdate,
    OrganizationOut,
    RegisterIn,
    RoleIn,
    StatusIn,
    TokenOut,
    UserOut,
)
from atelier.auth.dependencies import PUBLIC, AccountPrincipal, AdminPrincipal, ReadPrincipal
from atelier.kit.deps import RuntimeDep, SessionDep
from atelier.kit.errors import Forbidden, NotFound

router = APIRouter(prefix="/v1", tags=["accounts"])


def client_ip(request: Request) -> str | None:
    return request.client.host if request.client else None


async def user_or_404(session: AsyncSession, user_id: str) -> User:
    user = await UserRepository(session).get(user_id)
    if user is None:
        raise NotFound(f"User {user_id} not found")
    return user


async def me_out(session: AsyncSession, user: User, org: Organization | None = None) -> MeOut:
    """The user, with the organization they act in (``X-Organization-ID``; default their own)."""
    org = org or await session.get(Organization, user.organization_id)
    assert org is not None
    fields = UserOut.model_validate(user).model_dump() | {"organization_id": org.id}
    return MeOut(**fields, organization=OrganizationOut.model_validate(org))


@router.post(
    "/auth/register", response_model=MeOut, status_code=201, summary="Create an account", dependencies=[PUBLIC]
)
async def register(body: RegisterIn, session: SessionDep, runtime: RuntimeDep) -> MeOut:
    if not runtime.settings.auth.open_registration:
        raise Forbidden("Registration is closed on this server", code="REGISTRATION_CLOSED")
    user = await service.create_user(
        session, runtime.settings, email=body.email, password=body.password, full_name=body.full_name
    )
    return await me_out(session, user)


@router.post(
    "/auth/login", response_model=TokenOut, summary="Exchange email and password for a JWT", dependencies=[PUBLIC]
)
async def login(body: LoginIn, request: Request, session: SessionDep, runtime: RuntimeDep) -> TokenOut:
    user = await service.login(
        session, runtime.sessions, email=body.email, password=body.password, ip=client_ip(request)
    )
    token, expires = service.issue_token(user, runtime.settings, runtime.secret)
    return TokenOut(access_token=token, expires_at=expires)  # type: ignore[arg-type]


@router.get("/me", response_model=MeOut, summary="The calling user")
async def get_me(principal: ReadPrincipal, session: SessionDep) -> MeOut:
    return await me_out(session, principal.user, principal.organization)


@router.patch("/me", response_model=MeOut, summary="Update the calling user's profile")
async def patch_me(body: MeUpdate, principal: AccountPrincipal, session: SessionDep) -> MeOut:
    user = await service.update_profile(
        session, principal.user, **body.model_dump(exclude_unset=True), fields_set=body.model_fields_set
    )
    return await me_out(session, user, principal.organization)


@router.put("/admin/users/{user_id}/role", response_model=UserOut, summary="Change a user's role (admins)")
async def put_role(
    user_id: str, body: RoleIn, request: Request, principal: AdminPrincipal, session: SessionDep
) -> UserOut:
    user = await user_or_404(session, user_id)
    user = await service.set_role(session, user, body.role, actor=principal.user, ip=client_ip(request))
    return UserOut.model_validate(user)


@router.put("/admin/users/{user_id}/status", response_model=UserOut, summary="Enable or disable a user (admins)")
async def put_status(
    user_id: str, body: StatusIn, request: Request, principal: AdminPrincipal, session: SessionDep
) -> UserOut:
    user = await user_or_404(session, user_id)
    user = await service.set_active(session, user, body.active, actor=principal.user, ip=client_ip(request))
    return UserOut.model_validate(user)
