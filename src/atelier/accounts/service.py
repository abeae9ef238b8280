"""Accounts: registration, login and profile. The first account on a fresh install is its
admin and gets the ``unlimited`` plan; later ones get the configured default plan. Every
account is created with an organization of its own, which it owns (``organizations``)."""

from __future__ import annotations

import asyncio

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from atelier.accounts.models import Organization, Role, User
from atelier.accounts.repository import UserRepository
from atelier.audit import service as audit
from atelier.kit.db import session_scope
from atelier.kit.errors import Conflict, Forbidden, Unauthorized, ValidationFailed
from atelier.kit.security import create_access_token, hash_password, verify_password
from atelier.organizations.models import Membership, OrgRole
from atelier.organizations.repository import MembershipRepository
from atelier.settings import Settings

# Verifying against a real hash when the email is unknown keeps login timing uniform.
_DUMMY_HASH = hash_password("atelier-timing-equaliser")


def personal_organization_name(email: str, full_name: str | None) -> str:
    """The name of the organization an account gets of its own."""
    return f"{full_name or email.split('@')[0]}'s organization"


async def create_user(
    session: AsyncSession,
    settings: Settings,
    *,
    email: str,
    password: str,
    full_name: str | None = None,
    admin: bool | None = None,
) -> User:
    users = UserRepository(session)
    if await users.by_email(email):
        raise Conflict(f"An account with email {email} already exists", code="EMAIL_TAKEN")
    first = await users.total() == 0
    make_admin = first if admin is None else (admin or first)
    org = Organization(
        name=personal_organization_name(email, full_name),
        plan="unlimited" if first else settings.default_plan,
    )
    session.add(org)
    await session.flush()
    password_hash = await asyncio.to_thread(hash_password, password)
    user = User(
        email=email.lower(),
        password_hash=password_hash,
        full_name=full_name,
        role=Role.ADMIN.value if make_admin else Role.MEMBER.value,
        organization_id=org.id,
    )
    try:
        await users.add(user)
    except IntegrityError as exc:  # a concurrent registration of the same email
        raise Conflict(f"An account with email {email} already exists", code="EMAIL_TAKEN") from exc
    await MembershipRepository(session).add(
        Membership(organization_id=org.id, user_id=user.id, role=OrgRole.OWNER.value)
    )
    await audit.record(
        session,
        "user.registered",
        organization_id=org.id,
        actor_id=user.id,
        target=user.email,
        role=user.role,
        plan=org.plan,
    )
    return user


async def authenticate_password(session: AsyncSession, *, email: str, password: str, ip: str | None) -> User:
    user = await UserRepository(session).by_email(email)
    ok = await asyncio.to_thread(verify_password, user.password_hash if user else _DUMMY_HASH, password)
    if user is None or not ok or not user.is_active:
        await audit.record(
            session,
            "login.failed",
            organization_id=user.organization_id if user else None,
            target=email.lower(),
            ip=ip,
        )
        raise Unauthorized("Incorrect email or password", code="INVALID_CREDENTIALS")
    await audit.record(session, "login.succeeded", organization_id=user.organization_id, actor_id=user.id, ip=ip)
    return user


async def record_failed_login(
    session: AsyncSession, *, email: str, ip: str | None, organization_id: str | None
) -> None:
    await audit.record(session, "login.failed", organization_id=organization_id, target=email.lower(), ip=ip)


async def login(
    session: AsyncSession, sessions: async_sessionmaker[AsyncSession], *, email: str, password: str, ip: str | None
) -> User:
    """Password login. A failure is audited in a unit of work of its own, because this
    request's transaction rolls back with the error (and on SQLite must release its lock
    before another transaction can write)."""
    try:
        return await authenticate_password(session, email=email, password=password, ip=ip)
    except Unauthorized as exc:
        await session.rollback()
        async with session_scope(sessions) as audit_session:
            await record_failed_login(
                audit_session, email=email, ip=ip, organization_id=exc.details.pop("organization_id", None)
            )
        raise


def issue_token(user: User, settings: Settings, secret: str) -> tuple[str, object]:
    return create_access_token(
        user.id,
        secret,
        minutes=settings.auth.access_token_minutes,
        algorithm=settings.auth.jwt_algorithm,
        extra={"ver": user.token_version},
    )


async def update_profile(
    session: AsyncSession,
    user: User,
    *,
    full_name: str | None = None,
    avatar_url: str | None = None,
    password: str | None = None,
    current_password: str | None = None,
    email: str | None = None,
    fields_set: set[str],
) -> User:
    """A password change needs the current password, and ends every session (JWT) issued
    before it. A new email must not be another account's (sessions name the user by id,
    so they stay valid)."""
    if "password" in fields_set and password:
        if not current_password:
            raise ValidationFailed(
                "Changing the password needs the current one in current_password",
                details={"field": "current_password"},
            )
        if not await asyncio.to_thread(verify_password, user.password_hash, current_password):
            raise Forbidden("current_password is not this account's password", code="INVALID_CURRENT_PASSWORD")
    if "email" in fields_set and email and email.lower() != user.email:
        other = await UserRepository(session).by_email(email)
        if other is not None and other.id != user.id:
            raise Conflict(f"An account with email {email} already exists", code="EMAIL_TAKEN")
        user.email = email.lower()
        await audit.record(session, "user.email_changed", organization_id=user.organization_id, actor_id=user.id)
    if "full_name" in fields_set:
        user.full_name = full_name
    if "avatar_url" in fields_set:
        user.avatar_url = avatar_url
    if "password" in fields_set and password:
        user.password_hash = await asyncio.to_thread(hash_password, password)
        user.token_version += 1
        await audit.record(session, "user.password_changed", organization_id=user.organization_id, actor_id=user.id)
    try:
        await session.flush()
    except IntegrityError as exc:  # the same email taken by a concurrent change or registration
        raise Conflict(f"An account with email {email} already exists", code="EMAIL_TAKEN") from exc
    return user


async def _refuse_if_last_admin(session: AsyncSession, user: User) -> None:
    """Nobody could read the audit log or change plans without an active admin."""
    if len(await UserRepository(session).lock_active_admins()) <= 1:
        raise Conflict(f"{user.email} is the only admin; make another user admin first", code="LAST_ADMIN")


async def set_role(
    session: AsyncSession, user: User, role: Role, *, actor: User | None, ip: str | None = None, via: str = "api"
) -> User:
    """Give ``user`` the ``role``, audited as ``user.role_changed`` (``actor`` None: the CLI).
    The last admin cannot be demoted: nobody could read the audit log or change plans."""
    previous = user.role
    if previous == role.value:
        return user
    if previous == Role.ADMIN.value and user.is_active:
        await _refuse_if_last_admin(session, user)
    user.role = role.value
    await session.flush()
    await audit.record(
        session,
        "user.role_changed",
        organization_id=user.organization_id,
        actor_id=actor.id if actor else None,
        target=user.id,
        ip=ip,
        email=user.email,
        previous=previous,
        role=role.value,
        via=via,
    )
    return user


async def set_active(
    session: AsyncSession, user: User, active: bool, *, actor: User | None, ip: str | None = None, via: str = "api"
) -> User:
    """Enable or disable ``user``. Disabling ends every session at once (their JWTs carry an
    older token version; their keys are refused while the owner is disabled). The last
    active admin cannot be disabled."""
    if user.is_active == active:
        return user
    if not active and user.is_admin:
        await _refuse_if_last_admin(session, user)
    user.is_active = active
    if not active:
        user.token_version += 1
    await session.flush()
    await audit.record(
        session,
        "user.enabled" if active else "user.disabled",
        organization_id=user.organization_id,
        actor_id=actor.id if actor else None,
        target=user.id,
        ip=ip,
        email=user.email,
        via=via,
    )
    return user
