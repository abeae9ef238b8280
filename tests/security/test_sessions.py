"""Sessions end when they should: a password change or an admin disabling a user ends
every JWT issued before it, and a revoked key is refused at once by every process."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
import jwt
from fastapi import FastAPI

from atelier.app import create_app
from atelier.settings import Settings
from tests.core.test_cli import cli_env, run
from tests.helpers.accounts import create_key, register


async def test_changing_the_password_needs_the_current_one(client: httpx.AsyncClient) -> None:
    account = await register(client)
    missing = await client.patch("/v1/me", json={"password": "a new long password"}, headers=account.jwt_headers)
    assert missing.status_code == 422 and "current_password" in missing.text
    wrong = await client.patch(
        "/v1/me",
        json={"password": "a new long password", "current_password": "not it at all"},
        headers=account.jwt_headers,
    )
    assert wrong.status_code == 403 and "INVALID_CURRENT_PASSWORD" in wrong.text
    login = await client.post("/v1/auth/login", json={"email": account.email, "password": account.password})
    assert login.status_code == 200


async def test_a_password_change_ends_every_earlier_session(client: httpx.AsyncClient) -> None:
    account = await register(client)
    second = await client.post("/v1/auth/login", json={"email": account.email, "password": account.password})
    other_session = {"Authorization": f"Bearer {second.json()['access_token']}"}
    changed = await client.patch(
        "/v1/me",
        json={"password": "a new long password", "current_password": account.password},
        headers=account.jwt_headers,
    )
    assert changed.status_code == 200, changed.text
    for headers in (account.jwt_headers, other_session):
        refused = await client.get("/v1/me", headers=headers)
        assert refused.status_code == 401 and "TOKEN_REVOKED" in refused.text
    fresh = await client.post("/v1/auth/login", json={"email": account.email, "password": "a new long password"})
    assert (await client.get("/v1/me", headers={"Authorization": f"Bearer {fresh.json()['access_token']}"})).is_success


async def test_an_admin_disabling_a_user_ends_their_sessions_and_keys(client: httpx.AsyncClient) -> None:
    admin = await register(client)
    user = await register(client)
    key = {"X-API-Key": await create_key(client, user)}
    disabled = await client.put(
        f"/v1/admin/users/{user.user_id}/status", json={"active": False}, headers=admin.jwt_headers
    )
    assert disabled.status_code == 200 and disabled.json()["is_active"] is False
    assert (await client.get("/v1/me", headers=user.jwt_headers)).status_code == 401
    assert (await client.get("/v1/me", headers=key)).status_code == 401
    login = await client.post("/v1/auth/login", json={"email": user.email, "password": user.password})
    assert login.status_code == 401
    enabled = await client.put(
        f"/v1/admin/users/{user.user_id}/status", json={"active": True}, headers=admin.jwt_headers
    )
    assert enabled.status_code == 200
    # the old session stays ended; the key (a credential of its own) works again
    assert (await client.get("/v1/me", headers=user.jwt_headers)).status_code == 401
    assert (await client.get("/v1/me", headers=key)).status_code == 200
    audit = (await client.get("/v1/audit", headers=admin.jwt_headers)).json()
    actions = {entry["action"] for entry in audit}
    assert {"user.disabled", "user.enabled"} <= actions


async def test_the_last_admin_cannot_be_disabled(client: httpx.AsyncClient) -> None:
    admin = await register(client)
    response = await client.put(
        f"/v1/admin/users/{admin.user_id}/status", json={"active": False}, headers=admin.jwt_headers
    )
    assert response.status_code == 409 and "LAST_ADMIN" in response.text


async def test_tokens_signed_another_way_are_refused(client: httpx.AsyncClient, settings: Settings) -> None:
    account = await register(client)
    claims = jwt.decode(account.token, options={"verify_signature": False})
    assert settings.auth.secret_key
    for token in (
        jwt.encode(claims, settings.auth.secret_key, algorithm="HS512"),  # not the configured algorithm
        jwt.encode(claims, None, algorithm="none"),  # unsigned
        jwt.encode({**claims, "typ": "refresh"}, settings.auth.secret_key, algorithm="HS256"),
    ):
        response = await client.get("/v1/me", headers={"Authorization": f"Bearer {token}"})
        assert response.status_code == 401, token


@asynccontextmanager
async def _second_process(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    """Another Atelier process on the same database (and Redis, on the scale-out pass)."""
    other: FastAPI = create_app(settings)
    async with other.router.lifespan_context(other):
        transport = httpx.ASGITransport(app=other)
        async with httpx.AsyncClient(transport=transport, base_url="http://other") as client:
            yield client


async def test_a_revoked_key_is_refused_at_once_by_every_process(client: httpx.AsyncClient, settings: Settings) -> None:
    account = await register(client)
    created = await client.post("/v1/keys", json={"name": "soon revoked"}, headers=account.jwt_headers)
    headers = {"X-API-Key": created.json()["key"]}
    async with _second_process(settings) as other:
        assert (await other.get("/v1/me", headers=headers)).status_code == 200  # warm whatever it keeps
        revoked = await client.delete(f"/v1/keys/{created.json()['id']}", headers=account.jwt_headers)
        assert revoked.status_code == 200
        refused = await other.get("/v1/me", headers=headers)
        assert refused.status_code == 401 and "API_KEY_REVOKED" in refused.text


def test_the_cli_disables_and_enables_an_account(tmp_path: Path, database_url: str) -> None:
    env = cli_env(tmp_path, database_url)
    assert run(["users", "create", "--email", "root@example.com", "--admin"], env, "a long password\n").returncode == 0
    assert run(["users", "create", "--email", "ann@example.com"], env, "a long password\n").returncode == 0
    disabled = run(["users", "set-active", "--email", "ann@example.com", "--disabled"], env)
    assert disabled.returncode == 0 and "disabled" in disabled.stdout
    last_admin = run(["users", "set-active", "--email", "root@example.com", "--disabled"], env)
    assert last_admin.returncode == 1 and "only admin" in last_admin.stderr
    enabled = run(["users", "set-active", "--email", "ann@example.com", "--active"], env)
    assert enabled.returncode == 0 and "active" in enabled.stdout
