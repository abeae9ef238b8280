"""Who is calling: every authenticated route accepts ``Authorization: Bearer <api key or
JWT>`` or ``X-API-Key: <api key>``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

import jwt
from fastapi import Depends, Request
from sqlalchemy.ext.asyncio import AsyncSession

from atelier.accounts.models import Organization, User
from atelier.keys.models import ApiKey
from atelier.keys.service import resolve_key
from atelier.kit.deps import RuntimeDep, SessionDep
from atelier.kit.errors import Forbidden, Unauthorized
from atelier.kit.runtime import Runtime
from atelier.kit.security import decode_access_token


@dataclass
class Principal:
    user: User
    organization: Organization
    api_key: ApiKey | None

    @property
    def organization_id(self) -> str:
        return self.organization.id

    def require_scope(self, scope: str) -> None:
        if self.api_key is not None and scope not in self.api_key.scopes:
            raise Forbidden(f"This API key lacks the '{scope}' scope", code="INSUFFICIENT_SCOPE")


def credentials_from(request: Request) -> tuple[str | None, str | None]:
    """(api_key, jwt) as sent; either may be None."""
    api_key = request.headers.get("x-api-key") or None
    token: str | None = None
    authorization = request.headers.get("authorization")
    if authorization:
        scheme, _, value = authorization.partition(" ")
        if scheme.lower() != "bearer" or not value.strip():
            raise Unauthorized("Authorization header must be 'Bearer <token>'", code="INVALID_AUTH_HEADER")
        value = value.strip()
        if value.count(".") == 2:
            token = value
        elif api_key is None:
            api_key = value
    return api_key, token


async def user_from_jwt(session: AsyncSession, runtime: Runtime, token: str) -> User:
    try:
        claims = decode_access_token(token, runtime.secret, algorithm=runtime.settings.auth.jwt_algorithm)
    except jwt.ExpiredSignatureError as exc:
        raise Unauthorized("Access token has expired", code="TOKEN_EXPIRED") from exc
    except jwt.PyJWTError as exc:
        raise Unauthorized("Invalid access token", code="INVALID_TOKEN") from exc
    user = await session.get(User, claims["sub"])
    if user is None or not user.is_active:
        raise Unauthorized("Invalid access token", code="INVALID_TOKEN")
    return user


async def principal_for(
    session: AsyncSession, runtime: Runtime, *, api_key: str | None, token: str | None
) -> Principal:
    key: ApiKey | None = None
    if api_key is not None:
        key = await resolve_key(session, api_key)
        user = await session.get(User, key.user_id)
        if user is None or not user.is_active:
            raise Unauthorized("API key owner is disabled", code="INVALID_API_KEY")
    elif token is not None:
        user = await user_from_jwt(session, runtime, token)
    else:
        raise Unauthorized("Missing credentials: send 'Authorization: Bearer <key or token>' or 'X-API-Key'")
    org = await session.get(Organization, key.organization_id if key else user.organization_id)
    if org is None:
        raise Unauthorized("Organization no longer exists")
    return Principal(user=user, organization=org, api_key=key)


async def authenticate(request: Request, session: SessionDep, runtime: RuntimeDep) -> Principal:
    api_key, token = credentials_from(request)
    principal = await principal_for(session, runtime, api_key=api_key, token=token)
    request.state.principal = principal
    return principal


async def require_admin(principal: Annotated[Principal, Depends(authenticate)]) -> Principal:
    if not principal.user.is_admin:
        raise Forbidden("Administrator role required", code="ADMIN_REQUIRED")
    return principal


CurrentPrincipal = Annotated[Principal, Depends(authenticate)]
AdminPrincipal = Annotated[Principal, Depends(require_admin)]
