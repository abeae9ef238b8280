"""Stored responses are sealed with the instance secret.

Why encrypt instead of storing a reference without the secret: a replay exists to hand a
client that lost the first response exactly that response, and for ``POST /v1/keys`` that
means the key itself; a reference re-rendered without it would leave the client with a key
it can never use. Sealing every stored response (not only those a route flagged) means a new
route that returns a shown-once secret cannot forget to: the database never holds one in
plaintext, and a replay is served only to the principal that made the first request."""

from __future__ import annotations

import base64
import hashlib
import json
from typing import Any

from cryptography.fernet import Fernet, InvalidToken


class Sealer:
    def __init__(self, secret: str) -> None:
        derived = hashlib.sha256(b"atelier idempotency v1\x00" + secret.encode()).digest()
        self._fernet = Fernet(base64.urlsafe_b64encode(derived))

    def seal(self, status: int, headers: list[list[str]], body: bytes) -> bytes:
        plain = {"status": status, "headers": headers, "body": base64.b64encode(body).decode()}
        return self._fernet.encrypt(json.dumps(plain).encode())

    def open(self, sealed: bytes) -> tuple[int, list[list[str]], bytes] | None:
        """The stored response, or None when it cannot be read (the instance secret changed)."""
        try:
            plain: dict[str, Any] = json.loads(self._fernet.decrypt(sealed))
        except (InvalidToken, ValueError):
            return None
        return int(plain["status"]), list(plain["headers"]), base64.b64decode(plain["body"])
