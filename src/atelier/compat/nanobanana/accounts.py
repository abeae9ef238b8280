"""NanoBanana's account and key routes, on Atelier's accounts and keys services, in the
shapes its dashboard reads: register signs the new user in (``user`` plus ``access_token``),
keys are listed as ``{"keys": [...]}``. Its keys carry the ``nb_`` prefix and are listed by
their display prefix (``nb_abc1…``). The profile routes (``/v1/auth/me``) are in
:mod:`.profile`."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel, EmailStr, Field

from atelier.accounts import service as accounts
from atelier.accounts.models import User
from atelier.auth.dependencies import PUBLIC, KeysPrincipal
from atelier.keys import service as keys
from atelier.keys.models import ApiKey
from atelier.keys.repository import ApiKeyRepository
from atelier.kit.deps import RuntimeDep, SessionDep

router = APIRouter()


class Credentials(BaseModel):
    email: EmailStr
    password: str = Field(min_length=8, max_length=256)


class UserOut(BaseModel):
    id: str
    email: str
    created_at: datetime


class TokenOut(BaseModel):
    access_token: str
    token_type: str = "bearer"


class RegisteredOut(TokenOut):
    user: UserOut


class KeyIn(BaseModel):
    #: The dashboard sends ``null`` (or nothing) for a key without a name.
    name: str | None = Field(None, min_length=1, max_length=200)
    expires_at: datetime | None = None


class KeyOut(BaseModel):
    id: str
    name: str
    prefix: str
    is_active: bool
    created_at: datetime
    last_used_at: datetime | None
    expires_at: datetime | None


class KeyCreatedOut(KeyOut):
    key: str


class KeysOut(BaseModel):
    keys: list[KeyOut]


def key_out(key: ApiKey) -> KeyOut:
    return KeyOut(
        id=key.id,
        name=key.name,
        prefix=f"{key.prefix}...",
        is_active=key.revoked_at is None,
        created_at=key.created_at,
        last_used_at=key.last_used_at,
        expires_at=key.expires_at,
    )


def user_out(user: User) -> UserOut:
    return UserOut(id=user.id, email=user.email, created_at=user.created_at)


@router.post("/v1/auth/register", response_model=RegisteredOut, status_code=201, dependencies=[PUBLIC])
async def register(body: Credentials, session: SessionDep, runtime: RuntimeDep) -> RegisteredOut:
    user = await accounts.create_user(session, runtime.settings, email=body.email, password=body.password)
    token, _ = accounts.issue_token(user, runtime.settings, runtime.secret)
    return RegisteredOut(user=user_out(user), access_token=token)


@router.post("/v1/auth/login", response_model=TokenOut, dependencies=[PUBLIC])
async def login(body: Credentials, request: Request, session: SessionDep, runtime: RuntimeDep) -> TokenOut:
    ip = request.client.host if request.client else None
    user = await accounts.login(session, runtime.sessions, email=body.email, password=body.password, ip=ip)
    token, _ = accounts.issue_token(user, runtime.settings, runtime.secret)
    return TokenOut(access_token=token)


@router.post("/v1/keys", response_model=KeyCreatedOut, status_code=201)
async def create_key(body: KeyIn, principal: KeysPrincipal, session: SessionDep) -> KeyCreatedOut:
    key, secret = await keys.create_key(
        session,
        principal.user,
        organization_id=principal.organization_id,
        name=body.name or "default",
        expires_at=body.expires_at,
        granted=principal.scopes,
        prefix="nb",
    )
    return KeyCreatedOut(**key_out(key).model_dump(), key=secret)


@router.get("/v1/keys", response_model=KeysOut)
async def list_keys(principal: KeysPrincipal, session: SessionDep) -> KeysOut:
    return KeysOut(keys=[key_out(k) for k in await ApiKeyRepository(session).list_for_org(principal.organization_id)])


@router.delete("/v1/keys/{key_id}", status_code=204)
async def revoke_key(key_id: str, principal: KeysPrincipal, session: SessionDep) -> Response:
    await keys.revoke_key(session, principal.user, key_id, organization_id=principal.organization_id)
    return Response(status_code=204)
