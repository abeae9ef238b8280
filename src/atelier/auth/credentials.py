"""The credentials a request presents, read from every header (and, for WebSockets, query
parameter) that any contract uses: ``Authorization: Bearer <api key or JWT>``,
``X-API-Key: <api key>``, ``?api_key=`` and ``?token=``; failing those, the console's
session cookie (a JWT, admitted under the CSRF rules of ``console.session``). A JWT acts in
the organization ``X-Organization-ID`` names (``?organization_id=`` on a WebSocket); a console
session, failing those, the one its organization switcher chose (a cookie)."""

from __future__ import annotations

from dataclasses import dataclass

from starlette.requests import HTTPConnection

from atelier.console.session import ORGANIZATION_COOKIE, cookie_credential
from atelier.kit.errors import AtelierError, Unauthorized


@dataclass(frozen=True)
class Credentials:
    api_key: str | None = None
    token: str | None = None
    #: A malformed ``Authorization`` header, or a session cookie the CSRF rules refuse:
    #: refused when a route needs a caller.
    problem: AtelierError | None = None
    #: ``X-Organization-ID``: the organization a JWT acts in (a key's is its own).
    organization_id: str | None = None
    #: The organization is the console's choice (its cookie), not the request's header: a
    #: choice gone stale (the person left it) falls back to their first organization.
    organization_from_console: bool = False

    @property
    def present(self) -> bool:
        return bool(self.api_key or self.token or self.problem)


def _looks_like_jwt(value: str) -> bool:
    return value.count(".") == 2


def credentials_from(conn: HTTPConnection) -> Credentials:
    found = _credentials_from(conn)
    organization_id = conn.headers.get("x-organization-id", "").strip() or None
    if organization_id is None and conn.scope["type"] == "websocket":
        organization_id = conn.query_params.get("organization_id") or None
    if organization_id is None:
        return found
    return Credentials(found.api_key, found.token, found.problem, organization_id[:64], False)


def _credentials_from(conn: HTTPConnection) -> Credentials:
    api_key = conn.headers.get("x-api-key") or None
    token: str | None = None
    authorization = conn.headers.get("authorization")
    if authorization:
        scheme, _, value = authorization.partition(" ")
        value = value.strip()
        if scheme.lower() != "bearer" or not value:
            problem = Unauthorized("Authorization header must be 'Bearer <token>'", code="INVALID_AUTH_HEADER")
            return Credentials(api_key, None, problem)
        if _looks_like_jwt(value):
            token = value
        elif api_key is None:
            api_key = value
    if conn.scope["type"] == "websocket":  # browsers cannot set headers on a WebSocket
        for name in ("api_key", "token"):
            value = conn.query_params.get(name) or ""
            if not value:
                continue
            if _looks_like_jwt(value):
                token = token or value
            else:
                api_key = api_key or value
    if api_key is None and token is None:
        token, refused = cookie_credential(conn, conn.app.state.runtime.secret)
        chosen = (conn.cookies.get(ORGANIZATION_COOKIE) or "").strip()[:64] or None
        return Credentials(None, token, refused, chosen, chosen is not None)
    return Credentials(api_key, token)
