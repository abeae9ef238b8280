"""The console's session: the same JWT ``POST /v1/auth/login`` issues, kept in a cookie.

The cookie is ``HttpOnly`` (scripts never see it), ``SameSite=Lax`` (not sent on cross-site
posts), and ``Secure`` whenever the request came over TLS, directly or through a proxy that
says so in ``X-Forwarded-Proto``. Because it is the API's own token, a password change or a
disabled account ends the session on the next request, like every other JWT.

As a credential (``auth.credentials``) the cookie is read only when the request carries no
header credential, and only for requests that cannot change anything (GET, HEAD) or whose
``X-CSRF-Token`` header matches (``console.csrf``); on a WebSocket only from this server's
own origin (browsers send cookies with cross-site socket handshakes)."""

from __future__ import annotations

from datetime import datetime

from starlette.requests import HTTPConnection
from starlette.responses import Response

from atelier.console import csrf
from atelier.kit.errors import AtelierError, Forbidden

SESSION_COOKIE = "atelier_session"
#: The organization the console's switcher chose (an id, not a credential: membership is
#: checked on every request as for ``X-Organization-ID``).
ORGANIZATION_COOKIE = "atelier_org"


def is_tls(conn: HTTPConnection) -> bool:
    forwarded = conn.headers.get("x-forwarded-proto", "").split(",")[0].strip().lower()
    return conn.url.scheme in {"https", "wss"} or forwarded == "https"


def set_session(response: Response, conn: HTTPConnection, token: str, expires: datetime) -> None:
    response.set_cookie(
        SESSION_COOKIE, token, expires=expires, path="/", httponly=True, secure=is_tls(conn), samesite="lax"
    )


def clear_session(response: Response, conn: HTTPConnection) -> None:
    response.delete_cookie(SESSION_COOKIE, path="/", httponly=True, secure=is_tls(conn), samesite="lax")


def ensure_nonce(response: Response, conn: HTTPConnection, nonce: str) -> None:
    """Give the browser its CSRF nonce cookie if it had none."""
    if conn.cookies.get(csrf.NONCE_COOKIE) != nonce:
        response.set_cookie(csrf.NONCE_COOKIE, nonce, path="/", httponly=True, secure=is_tls(conn), samesite="lax")


def _same_origin(conn: HTTPConnection) -> bool:
    origin = conn.headers.get("origin")
    host = conn.headers.get("host")
    if not origin or not host:
        return False
    return origin.split("://", 1)[-1].rstrip("/") == host


def cookie_credential(conn: HTTPConnection, secret: str) -> tuple[str | None, AtelierError | None]:
    """The session cookie's token if this request may use it as its credential, or why not."""
    token = conn.cookies.get(SESSION_COOKIE)
    if not token:
        return None, None
    if conn.scope["type"] == "websocket":
        if _same_origin(conn):
            return token, None
        return None, Forbidden("A session cookie is accepted only from this server's pages", code="CROSS_ORIGIN")
    if conn.scope.get("method", "GET") in csrf.SAFE_METHODS or csrf.header_admits(conn, secret, token):
        return token, None
    return None, Forbidden("Missing or wrong X-CSRF-Token header for a session request", code="CSRF_FAILED")
