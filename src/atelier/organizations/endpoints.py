"""``/v1/organization``: the organization the caller acts in, its members and invitations;
``/v1/invitations/{token}/accept`` for the invitee."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request, Security
from fastapi.security import HTTPAuthorizationCredentials

from atelier.accounts.models import Organization, User
from atelier.auth.access import API_KEY_HEADER, BEARER, Access, declare, requires
from atelier.auth.credentials import credentials_from
from atelier.auth.dependencies import ReadPrincipal
from atelier.auth.principal import Principal, user_from_jwt
from atelier.auth.scopes import Scope
from atelier.kit.deps import RuntimeDep, SessionDep, after_commit
from atelier.kit.errors import Forbidden, Unauthorized
from atelier.kit.runtime import Runtime
from atelier.organizations import deletion, service
from atelier.organizations.mail import InvitationMail, send_invitation
from atelier.organizations.repository import MembershipRepository
from atelier.organizations.schemas import (
    DeletedOut,
    InvitationIn,
    InvitationOut,
    MemberOut,
    MembershipOut,
    OrganizationOut,
    RemovedOut,
    RoleIn,
)

router = APIRouter(prefix="/v1", tags=["organizations"])

MembersPrincipal = Annotated[Principal, Depends(requires(Scope.MEMBERS))]
#: Removing someone needs ``members``; leaving (removing oneself) only ``account``.
RemovalPrincipal = Annotated[Principal, Depends(requires(Scope.MEMBERS, Scope.ACCOUNT))]
TokenPath = Annotated[str, Path(min_length=16, max_length=200)]
#: Deleting the organization: its owners (the only role with ``organization``).
OwnerPrincipal = Annotated[Principal, Depends(requires(Scope.ORGANIZATION))]


def _actor(principal: Principal, request: Request) -> service.Actor:
    return service.Actor(principal.user.id, principal.role, ip=request.client.host if request.client else None)


async def _invitee(
    request: Request,
    session: SessionDep,
    _key: str | None = Security(API_KEY_HEADER, scopes=["account"]),
    _bearer: HTTPAuthorizationCredentials | None = Security(BEARER, scopes=["account"]),
) -> User:
    """The signed-in user (a JWT or the console's session), whatever organizations they are in
    (perhaps none yet): an invitation is accepted by a person, not by an API key."""
    credentials = credentials_from(request)
    if credentials.problem is not None:
        raise credentials.problem
    if credentials.token is None:
        if credentials.api_key is not None:
            raise Forbidden("Accept an invitation signed in as the invitee (a JWT), not with an API key")
        raise Unauthorized("Sign in as the invited account to accept an invitation")
    runtime: Runtime = request.app.state.runtime
    return await user_from_jwt(session, runtime, credentials.token)


Invitee = Annotated[User, Depends(declare(_invitee, Access(frozenset({Scope.ACCOUNT.value}))))]


@router.get("/organization", response_model=OrganizationOut, summary="The organization the caller acts in")
async def get_organization(principal: ReadPrincipal, session: SessionDep) -> OrganizationOut:
    org = principal.organization
    members = await MembershipRepository(session).members(org.id)
    return OrganizationOut(
        id=org.id,
        name=org.name,
        plan=org.plan,
        created_at=org.created_at,
        role=principal.role or "",
        members=len(members),
    )


@router.get("/organizations", response_model=list[MembershipOut], summary="Every organization the caller is in")
async def list_organizations(principal: ReadPrincipal, session: SessionDep) -> list[MembershipOut]:
    rows = await MembershipRepository(session).of_user(principal.user.id)
    return [MembershipOut(organization_id=o.id, name=o.name, role=m.role, joined_at=m.created_at) for m, o in rows]


@router.get("/organization/members", response_model=list[MemberOut], summary="The organization's members")
async def list_members(principal: ReadPrincipal, session: SessionDep) -> list[MemberOut]:
    rows = await MembershipRepository(session).members(principal.organization_id)
    return [
        MemberOut(
            user_id=u.id,
            email=u.email,
            full_name=u.full_name,
            role=m.role,
            is_active=u.is_active,
            joined_at=m.created_at,
        )
        for m, u in rows
    ]


@router.post(
    "/organization/invitations", response_model=InvitationOut, status_code=201, summary="Invite someone by email"
)
async def create_invitation(
    body: InvitationIn, request: Request, principal: MembersPrincipal, session: SessionDep, runtime: RuntimeDep
) -> InvitationOut:
    settings = runtime.settings
    invitation, token = await service.invite(
        session,
        principal.organization_id,
        email=str(body.email),
        role=body.role,
        actor=_actor(principal, request),
        hours=settings.organizations.invitation_hours,
    )
    base = (settings.server.public_url or str(request.base_url)).rstrip("/")
    accept_url = f"{base}/v1/invitations/{token}/accept"
    out = InvitationOut(
        id=invitation.id,
        organization_id=invitation.organization_id,
        email=invitation.email,
        role=invitation.role,
        expires_at=invitation.expires_at,
        delivery="email" if settings.smtp.enabled else "shown",
    )
    if not settings.smtp.enabled:
        return out.model_copy(update={"token": token, "accept_url": accept_url})
    mail = InvitationMail(
        to=invitation.email,
        organization_name=principal.organization.name,
        inviter_email=principal.user.email,
        role=invitation.role,
        accept_url=accept_url,
        token=token,
        expires_at=invitation.expires_at,
    )

    async def deliver() -> None:
        await send_invitation(settings.smtp, mail)

    after_commit(session, deliver)
    return out


@router.post("/invitations/{token}/accept", response_model=MembershipOut, summary="Accept an invitation (the invitee)")
async def accept_invitation(token: TokenPath, request: Request, user: Invitee, session: SessionDep) -> MembershipOut:
    ip = request.client.host if request.client else None
    membership, org = await service.accept(session, user, token, ip=ip)
    return MembershipOut(organization_id=org.id, name=org.name, role=membership.role, joined_at=membership.created_at)


@router.patch("/organization/members/{user_id}", response_model=MemberOut, summary="Change a member's role")
async def patch_member(
    user_id: str, body: RoleIn, request: Request, principal: MembersPrincipal, session: SessionDep
) -> MemberOut:
    membership = await service.set_role(
        session, principal.organization_id, user_id, body.role, actor=_actor(principal, request)
    )
    user = await session.get(User, user_id)
    assert user is not None  # the membership's foreign key
    return MemberOut(
        user_id=user.id,
        email=user.email,
        full_name=user.full_name,
        role=membership.role,
        is_active=user.is_active,
        joined_at=membership.created_at,
    )


@router.delete(
    "/organization/members/{user_id}",
    response_model=RemovedOut,
    summary="Remove a member (or leave) and revoke their keys",
)
async def delete_member(user_id: str, request: Request, principal: RemovalPrincipal, session: SessionDep) -> RemovedOut:
    if user_id != principal.user.id:
        principal.require_scope(Scope.MEMBERS.value)
    revoked = await service.remove_member(session, principal.organization_id, user_id, actor=_actor(principal, request))
    return RemovedOut(user_id=user_id, organization_id=principal.organization_id, keys_revoked=revoked)


@router.delete("/organization", response_model=DeletedOut, summary="Delete the organization (its owners)")
async def delete_organization(
    request: Request,
    principal: OwnerPrincipal,
    session: SessionDep,
    runtime: RuntimeDep,
    confirm: str = Query(..., max_length=64, description="The organization's id, to confirm."),
) -> DeletedOut:
    """Revokes every key, removes every member and pending invitation, cancels its jobs and
    empties its gallery; its ledger, usage and audit stay. Members left without an
    organization get a personal one."""
    if principal.api_key is not None:
        raise Forbidden("Deleting an organization needs a signed-in owner, not an API key", code="SIGNED_IN_REQUIRED")
    organization = await session.get(Organization, principal.organization_id)
    assert organization is not None  # the principal's membership's foreign key
    gone = await deletion.delete_organization(
        session, runtime, organization, confirm=confirm, actor=_actor(principal, request)
    )
    return DeletedOut(organization_id=organization.id, **gone)
