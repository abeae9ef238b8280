"""Creating users and keys through the public API, as a client would."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

import httpx


@dataclass
class Account:
    email: str
    password: str
    token: str
    user_id: str
    organization_id: str

    @property
    def jwt_headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


async def register(client: httpx.AsyncClient, email: str | None = None, password: str = "correct horse") -> Account:
    email = email or f"user-{secrets.token_hex(4)}@example.com"
    created = await client.post("/v1/auth/register", json={"email": email, "password": password})
    assert created.status_code == 201, created.text
    login = await client.post("/v1/auth/login", json={"email": email, "password": password})
    assert login.status_code == 200, login.text
    body = created.json()
    return Account(email, password, login.json()["access_token"], body["id"], body["organization_id"])


async def create_key(client: httpx.AsyncClient, account: Account, **fields: object) -> str:
    response = await client.post("/v1/keys", json={"name": "test", **fields}, headers=account.jwt_headers)
    assert response.status_code == 201, response.text
    key: str = response.json()["key"]
    return key
