"""HMAC signatures for expiring file URLs. The key, its expiry and the content type the file
is served with are signed together, so none of them can be changed without the secret."""

from __future__ import annotations

import hashlib
import hmac
import mimetypes
import time

from atelier.kit.secure_compare import constant_time_equals

DEFAULT_MEDIA_TYPE = "application/octet-stream"


def media_type_for(key: str) -> str:
    """The content type a key's extension implies (what a URL without ``ct`` serves)."""
    return mimetypes.guess_type(key)[0] or DEFAULT_MEDIA_TYPE


def sign(secret: str, key: str, expires: int, content_type: str | None = None) -> str:
    message = f"{key}\n{expires}\n{content_type or media_type_for(key)}".encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def verify(
    secret: str,
    key: str,
    expires: int,
    signature: str,
    *,
    content_type: str | None = None,
    now: float | None = None,
) -> str | None:
    """None when valid, else why not. The signature is checked before the expiry so a
    forged link never learns whether its expiry would have passed."""
    if not constant_time_equals(sign(secret, key, expires, content_type), signature):
        return "signature does not match"
    if (now if now is not None else time.time()) > expires:
        return "link has expired"
    return None
