from __future__ import annotations

from datetime import UTC, datetime, timedelta

from fastapi import APIRouter

from atelier.auth.dependencies import KeysPrincipal
from atelier.keys import service
from atelier.keys.repository import ApiKeyRepository
from atelier.keys.schemas import KeyCreate, KeyCreated, KeyOut
from atelier.kit.deps import SessionDep

router = APIRouter(prefix="/v1/keys", tags=["keys"])


@router.post("", response_model=KeyCreated, status_code=201, summary="Create an API key (shown once)")
async def create_key(body: KeyCreate, principal: KeysPrincipal, session: SessionDep) -> KeyCreated:
    expires_at = body.expires_at
    if expires_at is None and body.expires_in_days:
        expires_at = datetime.now(UTC) + timedelta(days=body.expires_in_days)
    key, secret = await service.create_key(
        session,
        principal.user,
        organization_id=principal.organization_id,
        name=body.name,
        expires_at=expires_at,
        scopes=[s.value for s in body.scopes] if body.scopes is not None else None,
        granted=principal.scopes,
    )
    return KeyCreated(**KeyOut.model_validate(key).model_dump(), key=secret)


@router.get("", response_model=list[KeyOut], summary="List API keys (never the keys themselves)")
async def list_keys(principal: KeysPrincipal, session: SessionDep) -> list[KeyOut]:
    keys = await ApiKeyRepository(session).list_for_org(principal.organization_id)
    return [KeyOut.model_validate(k) for k in keys]


@router.delete("/{key_id}", response_model=KeyOut, summary="Revoke an API key")
async def revoke_key(key_id: str, principal: KeysPrincipal, session: SessionDep) -> KeyOut:
    return KeyOut.model_validate(
        await service.revoke_key(session, principal.user, key_id, organization_id=principal.organization_id)
    )
