"""CSRF protection for the console: a per-browser nonce in an HttpOnly cookie, and a token
that is the HMAC of that nonce and the session cookie under the server's secret.

Every console form carries the token in a ``csrf_token`` field and every script request in
an ``X-CSRF-Token`` header. A cross-site page can make the browser send the cookies but can
neither read the token nor compute it (it needs the secret), and a token stops working once
the session changes (sign-in, sign-out), so one planted before sign-in is useless after."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from starlette.requests import HTTPConnection

NONCE_COOKIE = "atelier_csrf"
HEADER = "x-csrf-token"
FIELD = "csrf_token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def new_nonce() -> str:
    return secrets.token_urlsafe(24)


def token_for(secret: str, nonce: str, session: str | None) -> str:
    message = f"csrf|{nonce}|{session or ''}".encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def verify(secret: str, nonce: str | None, session: str | None, presented: str | None) -> bool:
    """Whether ``presented`` is the token for this browser's nonce and session."""
    if not nonce or not presented:
        return False
    return hmac.compare_digest(token_for(secret, nonce, session), presented)


def header_admits(conn: HTTPConnection, secret: str, session: str | None) -> bool:
    """A script request's ``X-CSRF-Token`` header matches its cookies."""
    return verify(secret, conn.cookies.get(NONCE_COOKIE), session, conn.headers.get(HEADER))
