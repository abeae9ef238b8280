"""API keys: minted once, stored only as a hash, resolved on every authenticated call."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from atelier.accounts.models import User
from atelier.audit import service as audit
from atelier.keys.models import ApiKey
from atelier.keys.repository import ApiKeyRepository
from atelier.keys.schemas import KNOWN_SCOPES
from atelier.kit.errors import Forbidden, NotFound, ValidationFailed
from atelier.kit.security import hash_api_key, mint_api_key
from atelier.organizations.repository import MembershipRepository

DISPLAY_CHARS = 8


async def create_key(
    session: AsyncSession,
    user: User,
    *,
    organization_id: str | None = None,
    name: str,
    expires_at: datetime | None = None,
    scopes: Sequence[str] | None = None,
    granted: Collection[str] = KNOWN_SCOPES,
    prefix: str = "atl",
) -> tuple[ApiKey, str]:
    """Mint a key of ``organization_id`` (default: the user's own organization), which the
    user must be a member of, with ``scopes`` (all of ``granted`` when None): never a scope
    the minting credential lacks (``granted``), and never none at all."""
    organization_id = organization_id or user.organization_id
    if await MembershipRepository(session).find(organization_id, user.id) is None:
        raise Forbidden(
            f"{user.email} is not a member of organization {organization_id}; a key belongs to one of its creator's",
            code="NOT_A_MEMBER",
        )
    if expires_at is not None:
        if expires_at.tzinfo is None:
            expires_at = expires_at.replace(tzinfo=UTC)
        if expires_at <= datetime.now(UTC):
            raise ValidationFailed("expires_at must be in the future", details={"field": "expires_at"})
    if scopes is not None and not scopes:
        raise ValidationFailed("scopes must name at least one scope", details={"field": "scopes"})
    unknown = sorted(set(scopes or []) - set(KNOWN_SCOPES))
    if unknown:
        raise ValidationFailed(f"Unknown scopes: {', '.join(unknown)}", details={"field": "scopes"})
    beyond = sorted(set(scopes or []) - set(granted))
    if beyond:
        raise Forbidden(
            f"A key cannot grant scopes its creator lacks: {', '.join(beyond)}",
            code="INSUFFICIENT_SCOPE",
            details={"field": "scopes"},
        )
    chosen = [s for s in KNOWN_SCOPES if s in (scopes if scopes is not None else granted)]
    secret = mint_api_key(prefix)
    key = ApiKey(
        organization_id=organization_id,
        user_id=user.id,
        name=name,
        prefix=secret[: len(prefix) + 1 + DISPLAY_CHARS],
        key_hash=hash_api_key(secret),
        scopes=chosen,
        expires_at=expires_at,
    )
    await ApiKeyRepository(session).add(key)
    await audit.record(
        session,
        "key.created",
        organization_id=organization_id,
        actor_id=user.id,
        target=key.id,
        name=name,
        prefix=key.prefix,
    )
    return key, secret


async def revoke_key(session: AsyncSession, user: User, key_id: str, *, organization_id: str) -> ApiKey:
    key = await ApiKeyRepository(session).for_org(organization_id, key_id)
    if key is None:
        raise NotFound(f"API key {key_id} not found")
    if key.revoked_at is None:
        key.revoked_at = datetime.now(UTC)
        await audit.record(session, "key.revoked", organization_id=organization_id, actor_id=user.id, target=key.id)
    return key
