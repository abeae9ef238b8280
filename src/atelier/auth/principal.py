"""Who is calling, resolved once per request.

:func:`resolve` reads the request's credentials (``auth.credentials``), looks the caller up
in one query and keeps the outcome on the request's scope, so the rate limiter, idempotency,
the route's access check and the compat layers all read the same principal. There is no
cache across requests: a revoked key, a disabled user or a changed password is refused on the
very next request in every process, because the database is asked every time.

A JWT acts in one of its user's organizations: the one ``X-Organization-ID`` names (403 if
the user is not a member), else their first membership. The member's role there caps the
principal's scopes (``organizations.roles``), for a JWT and for the member's API keys alike,
so a removed or demoted member loses access on the next request."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import cache

import jwt
from sqlalchemy import Select, and_, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.attributes import set_committed_value
from starlette.requests import HTTPConnection

from atelier.accounts.models import Organization, User
from atelier.auth.credentials import Credentials, credentials_from
from atelier.keys.models import ApiKey
from atelier.kit.db import param
from atelier.kit.errors import AtelierError, Forbidden, Unauthorized
from atelier.kit.runtime import Runtime
from atelier.kit.security import api_key_is_well_formed, decode_access_token, hash_api_key
from atelier.organizations.models import Membership
from atelier.organizations.roles import allowed_scopes

LAST_USED_GRANULARITY = timedelta(seconds=60)
_STATE_KEY = "atelier.caller"


@dataclass
class Principal:
    user: User
    organization: Organization
    api_key: ApiKey | None
    scopes: frozenset[str] = field(default_factory=frozenset)
    #: The user's role in ``organization`` (``organizations.models.OrgRole``); None for a
    #: principal that is no member (Pixova's anonymous mode).
    role: str | None = None

    @property
    def organization_id(self) -> str:
        return self.organization.id

    @property
    def subject(self) -> str:
        """The credential itself: one key, or the user behind a JWT."""
        return f"key:{self.api_key.id}" if self.api_key is not None else f"user:{self.user.id}"

    def has_scope(self, scope: str) -> bool:
        return scope in self.scopes

    def require_scope(self, scope: str) -> None:
        if scope not in self.scopes:
            raise self.refusal(scope)

    def refusal(self, wanted: str) -> Forbidden:
        """Why this principal may not do what needs the ``wanted`` scope: its key's scopes or
        its role in the organization."""
        if self.api_key is None and self.role is not None:
            message = f"Your role '{self.role}' in this organization does not allow this (needs the '{wanted}' scope)"
            return Forbidden(message, code="INSUFFICIENT_SCOPE", details={"role": self.role})
        return Forbidden(f"This API key lacks the '{wanted}' scope", code="INSUFFICIENT_SCOPE")

    async def attach(self, session: AsyncSession) -> Principal:
        """The same principal with its rows in ``session`` (no query: they were just read)."""
        user = await session.merge(self.user, load=False)
        org = await session.merge(self.organization, load=False)
        key = await session.merge(self.api_key, load=False) if self.api_key is not None else None
        return Principal(user=user, organization=org, api_key=key, scopes=self.scopes, role=self.role)


@dataclass(frozen=True)
class Resolution:
    credentials: Credentials
    principal: Principal | None = None
    error: AtelierError | None = None

    def require(self) -> Principal:
        if self.error is not None:
            raise self.error
        if self.principal is None:
            raise Unauthorized("Missing credentials: send 'Authorization: Bearer <key or token>' or 'X-API-Key'")
        return self.principal


async def resolve(conn: HTTPConnection) -> Resolution:
    """The caller of this request, looked up at most once however many layers ask."""
    state = conn.scope.setdefault("state", {})
    cached = state.get(_STATE_KEY)
    if isinstance(cached, Resolution):
        return cached
    credentials = credentials_from(conn)
    runtime: Runtime = conn.app.state.runtime
    resolution = await resolve_credentials(runtime, credentials)
    state[_STATE_KEY] = resolution
    return resolution


async def resolve_credentials(runtime: Runtime, credentials: Credentials) -> Resolution:
    if credentials.problem is not None:
        return Resolution(credentials, error=credentials.problem)
    if not credentials.present:
        return Resolution(credentials)
    try:
        async with runtime.read_sessions() as session:
            if credentials.api_key is not None:
                principal = await principal_from_key(session, credentials.api_key)
            else:
                assert credentials.token is not None
                principal = await principal_from_jwt(
                    session,
                    runtime,
                    credentials.token,
                    organization_id=credentials.organization_id,
                    fall_back=credentials.organization_from_console,
                )
    except AtelierError as exc:
        return Resolution(credentials, error=exc)
    if principal.api_key is not None:
        await _note_use(runtime, principal.api_key)
    return Resolution(credentials, principal=principal)


async def _note_use(runtime: Runtime, key: ApiKey) -> None:
    """Record the key's last use, at most once a minute, in a short write of its own (the
    lookup itself only reads, so it never waits for the database's writer)."""
    now = datetime.now(UTC)
    if key.last_used_at is not None and now - key.last_used_at <= LAST_USED_GRANULARITY:
        return
    async with runtime.sessions() as session:
        await session.execute(
            update(ApiKey)
            .where(
                ApiKey.id == key.id,
                or_(ApiKey.last_used_at.is_(None), ApiKey.last_used_at < now - LAST_USED_GRANULARITY),
            )
            .values(last_used_at=now)
            .execution_options(synchronize_session=False)
        )
        await session.commit()
    set_committed_value(key, "last_used_at", now)


@cache
def _key_lookup() -> Select[ApiKey, User, Organization, str]:
    """A key by its hash, with its owner, organization and the owner's role (None: not a member)."""
    member = and_(Membership.organization_id == ApiKey.organization_id, Membership.user_id == ApiKey.user_id)
    return (
        select(ApiKey, User, Organization, Membership.role)
        .join(User, User.id == ApiKey.user_id)
        .join(Organization, Organization.id == ApiKey.organization_id)
        .outerjoin(Membership, member)
        .where(ApiKey.key_hash == param("key_hash", ApiKey.key_hash))
    )


async def principal_from_key(session: AsyncSession, secret: str) -> Principal:
    """The active key for ``secret`` with its owner and organization, or 401 saying why not."""
    if not api_key_is_well_formed(secret):
        raise Unauthorized("Malformed API key", code="INVALID_API_KEY")
    row = (await session.execute(_key_lookup(), {"key_hash": hash_api_key(secret)})).one_or_none()
    if row is None:
        raise Unauthorized("Unknown API key", code="INVALID_API_KEY")
    key, user, org, role = row  # a Row unpacks as a tuple (Row.tuple() is deprecated: a warning a call)
    now = datetime.now(UTC)
    if key.revoked_at is not None:
        raise Unauthorized("API key has been revoked", code="API_KEY_REVOKED")
    if key.expires_at is not None and key.expires_at <= now:
        raise Unauthorized("API key has expired", code="API_KEY_EXPIRED")
    if not user.is_active:
        raise Unauthorized("API key owner is disabled", code="INVALID_API_KEY")
    if role is None:  # removal revokes a member's keys; this refuses any that escaped it
        raise Unauthorized("API key owner is no longer a member of its organization", code="API_KEY_REVOKED")
    scopes = frozenset(key.scopes or ()) & allowed_scopes(role)
    return Principal(user=user, organization=org, api_key=key, scopes=scopes, role=role)


async def user_from_jwt(session: AsyncSession, runtime: Runtime, token: str) -> User:
    """The active user a JWT was issued to, if it was issued since their last password change
    or disabling (its ``ver`` claim matches the user's token version)."""
    try:
        claims = decode_access_token(token, runtime.secret, algorithm=runtime.settings.auth.jwt_algorithm)
    except jwt.ExpiredSignatureError as exc:
        raise Unauthorized("Access token has expired", code="TOKEN_EXPIRED") from exc
    except jwt.PyJWTError as exc:
        raise Unauthorized("Invalid access token", code="INVALID_TOKEN") from exc
    user = await session.get(User, str(claims["sub"]))
    if user is None or not user.is_active:
        raise Unauthorized("Invalid access token", code="INVALID_TOKEN")
    if claims.get("ver", 0) != user.token_version:
        raise Unauthorized(
            "Access token was revoked (the password changed or the account was disabled); log in again",
            code="TOKEN_REVOKED",
        )
    return user


async def principal_from_jwt(
    session: AsyncSession,
    runtime: Runtime,
    token: str,
    *,
    organization_id: str | None = None,
    fall_back: bool = False,
) -> Principal:
    """The JWT's user acting in ``organization_id`` (``X-Organization-ID``), else in their
    first organization, with the scopes their role there allows. ``fall_back``: an
    ``organization_id`` the user is no member of (the console's stale choice) means their first."""
    user = await user_from_jwt(session, runtime, token)
    if fall_back and organization_id is not None:
        try:
            return await _acting(session, user, organization_id)
        except Forbidden:
            organization_id = None
    return await _acting(session, user, organization_id)


async def _acting(session: AsyncSession, user: User, organization_id: str | None) -> Principal:
    query = (
        select(Membership.role, Organization)
        .join(Organization, Organization.id == Membership.organization_id)
        .where(Membership.user_id == user.id)
        .order_by(Membership.created_at, Membership.id)
        .limit(1)
    )
    if organization_id is not None:
        query = query.where(Membership.organization_id == organization_id)
    row = (await session.execute(query)).one_or_none()
    if row is None:
        if organization_id is not None:
            raise Forbidden(
                f"You are not a member of organization {organization_id} (X-Organization-ID)", code="NOT_A_MEMBER"
            )
        raise Forbidden("You are not a member of any organization; accept an invitation first", code="NO_ORGANIZATION")
    role, org = row
    return Principal(user=user, organization=org, api_key=None, scopes=allowed_scopes(role), role=role)
