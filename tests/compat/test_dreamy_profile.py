from __future__ import annotations

import httpx

from tests.helpers.accounts import register

BASE = "/compat/dreamy-studio"


async def test_profile_get_and_patch(client: httpx.AsyncClient) -> None:
    account = await register(client)
    me = await client.get(f"{BASE}/api/auth/me", headers=account.jwt_headers)
    assert me.status_code == 200
    body = me.json()
    assert body["success"] is True and body["user"]["email"] == account.email
    assert set(body["user"]) == {"id", "email", "full_name", "avatar_url", "created_at", "updated_at"}

    patch = {"full_name": "John Doe", "avatar_url": "https://example.com/avatar.jpg"}
    updated = (await client.patch(f"{BASE}/api/auth/me", json=patch, headers=account.jwt_headers)).json()
    assert updated["success"] and updated["user"]["full_name"] == "John Doe"
    assert updated["user"]["avatar_url"] == patch["avatar_url"]


async def test_errors_use_the_envelope(client: httpx.AsyncClient) -> None:
    unauth = await client.get(f"{BASE}/api/auth/me", headers={"Authorization": "Bearer nope.nope.nope"})
    assert unauth.status_code == 401
    assert unauth.json()["success"] is False and unauth.json()["error"] == "Invalid or expired token"
    account = await register(client)
    bad = await client.patch(f"{BASE}/api/auth/me", json={"avatar_url": 5}, headers=account.jwt_headers)
    assert bad.status_code == 400
    assert bad.json()["error"] == "Validation failed" and "avatar_url" in bad.json()["details"]
