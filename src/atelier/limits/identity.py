"""Who a request counts against: its API key or the user behind its JWT, that
credential's organization, or the client address. Lookups are cached briefly."""

from __future__ import annotations

import hashlib
import time

import jwt
from sqlalchemy import select
from starlette.requests import Request

from atelier.accounts.models import User
from atelier.keys.models import ApiKey
from atelier.kit.runtime import Runtime
from atelier.kit.security import decode_access_token

CACHE_SECONDS = 60.0


class IdentityResolver:
    def __init__(self) -> None:
        self._orgs: dict[str, tuple[float, str | None]] = {}

    def runtime(self, request: Request) -> Runtime:
        runtime: Runtime = request.app.state.runtime
        return runtime

    def credential(self, request: Request) -> str | None:
        key = request.headers.get("x-api-key")
        if key:
            return "key:" + hashlib.sha256(key.encode()).hexdigest()
        scheme, _, value = request.headers.get("authorization", "").partition(" ")
        value = value.strip()
        if scheme.lower() != "bearer" or not value:
            return None
        if value.count(".") == 2:
            try:
                claims = decode_access_token(value, self.runtime(request).secret)
            except jwt.PyJWTError:
                return None  # the route will refuse it; nothing to count against
            return f"user:{claims['sub']}"
        return "key:" + hashlib.sha256(value.encode()).hexdigest()

    async def organization(self, request: Request, credential: str) -> str | None:
        cached = self._orgs.get(credential)
        if cached and cached[0] > time.monotonic():
            return cached[1]
        kind, _, ident = credential.partition(":")
        async with self.runtime(request).sessions() as session:
            if kind == "key":
                org = (
                    await session.execute(select(ApiKey.organization_id).where(ApiKey.key_hash == ident))
                ).scalar_one_or_none()
            else:
                org = (await session.execute(select(User.organization_id).where(User.id == ident))).scalar_one_or_none()
        self._orgs[credential] = (time.monotonic() + CACHE_SECONDS, org)
        return org

    async def subject(self, request: Request, per: str) -> str | None:
        if per == "ip":
            return request.client.host if request.client else "unknown"
        credential = self.credential(request)
        if credential is None:
            return None
        if per == "organization":
            org = await self.organization(request, credential)
            return f"org:{org}" if org else None
        return credential
