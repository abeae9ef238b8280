"""Organization membership: invitations, roles and removal, each audited in the caller's
transaction. ``actor_role`` None is the operator's CLI, which may do anything but leave an
organization without an owner."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from atelier.accounts.models import Organization, User
from atelier.accounts.repository import UserRepository
from atelier.audit import service as audit
from atelier.kit.errors import Conflict, Forbidden, Gone, NotFound
from atelier.organizations.models import RANK, Invitation, Membership, OrgRole
from atelier.organizations.repository import InvitationRepository, MembershipRepository


@dataclass(frozen=True)
class Actor:
    """Who changes the membership: a member (their id and role) or the CLI (both None)."""

    user_id: str | None
    role: str | None
    ip: str | None = None
    via: str = "api"


CLI = Actor(None, None, via="cli")


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _may_touch_owners(actor: Actor) -> bool:
    return actor.role is None or actor.role == OrgRole.OWNER.value


def _refuse_above(actor: Actor, role: str, what: str) -> None:
    """Only an owner grants, changes or removes the owner role; nobody grants above their own."""
    if actor.role is None:
        return
    if role == OrgRole.OWNER.value and not _may_touch_owners(actor):
        raise Forbidden(f"Only an owner can {what} an owner (your role: {actor.role})", code="OWNER_REQUIRED")
    if RANK[role] > RANK.get(actor.role, -1):
        raise Forbidden(f"A {actor.role} cannot {what} a {role}", code="ROLE_TOO_HIGH")


async def member_or_404(session: AsyncSession, organization_id: str, user_id: str) -> Membership:
    membership = await MembershipRepository(session).find(organization_id, user_id)
    if membership is None:
        raise NotFound(f"User {user_id} is not a member of this organization", code="MEMBER_NOT_FOUND")
    return membership


async def _refuse_if_last_owner(session: AsyncSession, membership: Membership) -> None:
    if membership.role != OrgRole.OWNER.value:
        return
    if len(await MembershipRepository(session).lock_owners(membership.organization_id)) <= 1:
        raise Conflict("This is the organization's last owner; make another member owner first", code="LAST_OWNER")


async def add_member(
    session: AsyncSession,
    organization_id: str,
    user: User,
    role: OrgRole,
    *,
    actor: Actor,
    invitation: str | None = None,
) -> Membership:
    repository = MembershipRepository(session)
    if await repository.find(organization_id, user.id) is not None:
        raise Conflict(f"{user.email} is already a member of this organization", code="ALREADY_MEMBER")
    membership = Membership(organization_id=organization_id, user_id=user.id, role=role.value)
    try:
        await repository.add(membership)
    except IntegrityError as exc:  # a concurrent accept or add of the same pair
        raise Conflict(f"{user.email} is already a member of this organization", code="ALREADY_MEMBER") from exc
    await audit.record(
        session,
        "organization.member_added",
        organization_id=organization_id,
        actor_id=actor.user_id or (user.id if invitation else None),
        target=user.id,
        ip=actor.ip,
        email=user.email,
        role=role.value,
        invitation=invitation,
        via=actor.via,
    )
    return membership


async def invite(
    session: AsyncSession, organization_id: str, *, email: str, role: OrgRole, actor: Actor, hours: int
) -> tuple[Invitation, str]:
    """A single-use invitation for ``email`` (the token is returned once; its hash is kept)."""
    _refuse_above(actor, role.value, "invite")
    existing = await UserRepository(session).by_email(email)
    if existing is not None and await MembershipRepository(session).find(organization_id, existing.id):
        raise Conflict(f"{email} is already a member of this organization", code="ALREADY_MEMBER")
    token = secrets.token_urlsafe(32)
    invitation = Invitation(
        organization_id=organization_id,
        email=email.lower(),
        role=role.value,
        token_hash=hash_token(token),
        invited_by=actor.user_id,
        expires_at=datetime.now(UTC) + timedelta(hours=hours),
    )
    await InvitationRepository(session).add(invitation)
    await audit.record(
        session,
        "organization.invitation_created",
        organization_id=organization_id,
        actor_id=actor.user_id,
        target=invitation.email,
        ip=actor.ip,
        invitation=invitation.id,
        role=role.value,
        via=actor.via,
    )
    return invitation, token


async def accept(session: AsyncSession, user: User, token: str, *, ip: str | None) -> tuple[Membership, Organization]:
    """``user`` joins with the invitation's role: only the invited email, once, before expiry."""
    repository = InvitationRepository(session)
    invitation = await repository.by_token_hash(hash_token(token))
    if invitation is None:
        raise NotFound("No such invitation (check the token)", code="INVITATION_NOT_FOUND")
    if invitation.accepted_at is not None:
        raise Conflict("This invitation has already been used", code="INVITATION_USED")
    now = datetime.now(UTC)
    if invitation.expires_at <= now:
        raise Gone(
            f"This invitation expired at {invitation.expires_at.isoformat(timespec='seconds')}; ask for a new one",
            code="INVITATION_EXPIRED",
        )
    if invitation.email != user.email.lower():
        raise Forbidden(
            "This invitation is for another email address; sign in as the invited account",
            code="INVITATION_WRONG_USER",
        )
    if not await repository.claim(invitation.id, user.id, now):
        raise Conflict("This invitation has already been used", code="INVITATION_USED")
    actor = Actor(user.id, None, ip=ip, via="invitation")
    membership = await add_member(
        session, invitation.organization_id, user, OrgRole(invitation.role), actor=actor, invitation=invitation.id
    )
    org = await session.get(Organization, invitation.organization_id)
    assert org is not None  # the invitation's foreign key
    return membership, org


async def set_role(
    session: AsyncSession, organization_id: str, user_id: str, role: OrgRole, *, actor: Actor
) -> Membership:
    membership = await member_or_404(session, organization_id, user_id)
    previous = membership.role
    if previous == role.value:
        return membership
    _refuse_above(actor, previous, "change")
    _refuse_above(actor, role.value, "make someone")
    await _refuse_if_last_owner(session, membership)
    membership.role = role.value
    await session.flush()
    await audit.record(
        session,
        "organization.member_role_changed",
        organization_id=organization_id,
        actor_id=actor.user_id,
        target=user_id,
        ip=actor.ip,
        previous=previous,
        role=role.value,
        via=actor.via,
    )
    return membership


async def remove_member(session: AsyncSession, organization_id: str, user_id: str, *, actor: Actor) -> int:
    """Remove the member (or, for themselves, leave) and revoke their keys in this
    organization in the same transaction; how many keys were revoked."""
    membership = await member_or_404(session, organization_id, user_id)
    leaving = actor.user_id == user_id
    if not leaving:
        _refuse_above(actor, membership.role, "remove")
    await _refuse_if_last_owner(session, membership)
    repository = MembershipRepository(session)
    revoked = await repository.revoke_keys(organization_id, user_id, datetime.now(UTC))
    await repository.delete(membership)
    await audit.record(
        session,
        "organization.member_left" if leaving else "organization.member_removed",
        organization_id=organization_id,
        actor_id=actor.user_id,
        target=user_id,
        ip=actor.ip,
        role=membership.role,
        keys_revoked=revoked,
        via=actor.via,
    )
    return revoked
