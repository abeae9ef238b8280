"""Standard Webhooks signing. Signing secrets are ``whsec_`` + base64 of 32 bytes, derived
from the server secret and a per-endpoint random salt (or the organization id and a
generation, for per-job URLs): the database never holds a usable secret, and every process
that shares the server secret derives the same one."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

SECRET_PREFIX = "whsec_"


def _derive(server_secret: str, label: str) -> str:
    raw = hmac.new(server_secret.encode(), label.encode(), hashlib.sha256).digest()
    return SECRET_PREFIX + base64.b64encode(raw).decode()


def new_salt() -> str:
    return secrets.token_hex(16)


def endpoint_secret(server_secret: str, endpoint_id: str, salt: str) -> str:
    return _derive(server_secret, f"atelier-webhook-endpoint\n{endpoint_id}\n{salt}")


def organization_secret(server_secret: str, organization_id: str, generation: int) -> str:
    return _derive(server_secret, f"atelier-webhook-organization\n{organization_id}\n{generation}")


def signature(secret: str, message_id: str, timestamp: int, body: bytes) -> str:
    """``v1,<base64 HMAC-SHA256>`` over ``{id}.{timestamp}.{body}`` with the decoded secret."""
    key = base64.b64decode(secret.removeprefix(SECRET_PREFIX))
    signed = f"{message_id}.{timestamp}.".encode() + body
    return "v1," + base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()


def headers(secret: str, message_id: str, timestamp: int, body: bytes) -> dict[str, str]:
    return {
        "content-type": "application/json",
        "user-agent": "Atelier-Webhooks/1",
        "webhook-id": message_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": signature(secret, message_id, timestamp, body),
    }
