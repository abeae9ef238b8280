"""Password hashing (argon2id), API key minting with a checksum, and JWT access tokens."""

from __future__ import annotations

import hashlib
import secrets
import zlib
from datetime import UTC, datetime, timedelta
from typing import Any

import jwt
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from atelier.kit.secure_compare import constant_time_equals

_hasher = PasswordHasher()  # argon2id with the library's recommended parameters
_B62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
KEY_BODY_CHARS = 40  # ~238 bits of entropy
KEY_CHECK_CHARS = 6


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def _b62(value: int, width: int) -> str:
    out = []
    while value:
        value, rem = divmod(value, 62)
        out.append(_B62[rem])
    return "".join(reversed(out)).rjust(width, "0")[-width:]


def _checksum(body: str) -> str:
    return _b62(zlib.crc32(body.encode()), KEY_CHECK_CHARS)


def mint_api_key(prefix: str = "atl") -> str:
    """``<prefix>_<40 base62 chars><6 char CRC32 checksum>``: recognisable, high entropy,
    and a typo is caught without touching the database."""
    body = "".join(secrets.choice(_B62) for _ in range(KEY_BODY_CHARS))
    return f"{prefix}_{body}{_checksum(body)}"


def api_key_is_well_formed(key: str) -> bool:
    prefix, sep, rest = key.partition("_")
    if not sep or not prefix.isalnum() or len(rest) != KEY_BODY_CHARS + KEY_CHECK_CHARS:
        return False
    if any(ch not in _B62 for ch in rest):
        return False
    body, check = rest[:KEY_BODY_CHARS], rest[KEY_BODY_CHARS:]
    return constant_time_equals(_checksum(body), check)


def hash_api_key(key: str) -> str:
    """Keys carry ~238 random bits, so one SHA-256 is enough and allows an indexed lookup."""
    return hashlib.sha256(key.encode()).hexdigest()


def create_access_token(
    subject: str, secret: str, *, minutes: int, algorithm: str = "HS256", extra: dict[str, Any] | None = None
) -> tuple[str, datetime]:
    now = datetime.now(UTC)
    expires = now + timedelta(minutes=minutes)
    claims: dict[str, Any] = {"sub": subject, "iat": now, "exp": expires, "typ": "access"}
    if extra:
        claims.update(extra)
    return jwt.encode(claims, secret, algorithm=algorithm), expires


def decode_access_token(token: str, secret: str, *, algorithm: str = "HS256") -> dict[str, Any]:
    """Raises ``jwt.PyJWTError`` on any invalid, expired or tampered token."""
    claims: dict[str, Any] = jwt.decode(token, secret, algorithms=[algorithm], options={"require": ["sub", "exp"]})
    if claims.get("typ") != "access":
        raise jwt.InvalidTokenError("not an access token")
    return claims
