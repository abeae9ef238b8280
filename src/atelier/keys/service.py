"""API keys: minted once, stored only as a hash, resolved on every authenticated call."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from atelier.accounts.models import User
from atelier.audit import service as audit
from atelier.keys.models import ApiKey
from atelier.keys.repository import ApiKeyRepository
from atelier.keys.schemas import KNOWN_SCOPES
from atelier.kit.errors import NotFound, Unauthorized, ValidationFailed
from atelier.kit.security import api_key_is_well_formed, hash_api_key, mint_api_key

DISPLAY_CHARS = 8
LAST_USED_GRANULARITY = timedelta(seconds=60)


async def create_key(
    session: AsyncSession,
    user: User,
    *,
    name: str,
    expires_at: datetime | None = None,
    scopes: list[str] | None = None,
    prefix: str = "atl",
) -> tuple[ApiKey, str]:
    if expires_at is not None:
        if expires_at.tzinfo is None:
            expires_at = expires_at.replace(tzinfo=UTC)
        if expires_at <= datetime.now(UTC):
            raise ValidationFailed("expires_at must be in the future", details={"field": "expires_at"})
    unknown = sorted(set(scopes or []) - set(KNOWN_SCOPES))
    if unknown:
        raise ValidationFailed(f"Unknown scopes: {', '.join(unknown)}", details={"field": "scopes"})
    secret = mint_api_key(prefix)
    key = ApiKey(
        organization_id=user.organization_id,
        user_id=user.id,
        name=name,
        prefix=secret[: len(prefix) + 1 + DISPLAY_CHARS],
        key_hash=hash_api_key(secret),
        scopes=list(scopes) if scopes else list(KNOWN_SCOPES),
        expires_at=expires_at,
    )
    await ApiKeyRepository(session).add(key)
    await audit.record(
        session,
        "key.created",
        organization_id=user.organization_id,
        actor_id=user.id,
        target=key.id,
        name=name,
        prefix=key.prefix,
    )
    return key, secret


async def revoke_key(session: AsyncSession, user: User, key_id: str) -> ApiKey:
    key = await ApiKeyRepository(session).for_org(user.organization_id, key_id)
    if key is None:
        raise NotFound(f"API key {key_id} not found")
    if key.revoked_at is None:
        key.revoked_at = datetime.now(UTC)
        await audit.record(
            session, "key.revoked", organization_id=user.organization_id, actor_id=user.id, target=key.id
        )
    return key


async def resolve_key(session: AsyncSession, secret: str) -> ApiKey:
    """The active key for ``secret``, or 401 saying precisely why not."""
    if not api_key_is_well_formed(secret):
        raise Unauthorized("Malformed API key", code="INVALID_API_KEY")
    key = await ApiKeyRepository(session).by_hash(hash_api_key(secret))
    if key is None:
        raise Unauthorized("Unknown API key", code="INVALID_API_KEY")
    now = datetime.now(UTC)
    if key.revoked_at is not None:
        raise Unauthorized("API key has been revoked", code="API_KEY_REVOKED")
    if key.expires_at is not None and key.expires_at <= now:
        raise Unauthorized("API key has expired", code="API_KEY_EXPIRED")
    if key.last_used_at is None or now - key.last_used_at > LAST_USED_GRANULARITY:
        key.last_used_at = now
    return key
