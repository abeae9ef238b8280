from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
import jwt

from tests.helpers.accounts import create_key, register


async def test_register_login_key_me_revoke_flow(client: httpx.AsyncClient) -> None:
    account = await register(client, "ada@example.com")
    key = await create_key(client, account)
    assert key.startswith("atl_")

    for headers in ({"Authorization": f"Bearer {key}"}, {"X-API-Key": key}):
        me = await client.get("/v1/me", headers=headers)
        assert me.status_code == 200, me.text
        assert me.json()["email"] == "ada@example.com"

    keys = (await client.get("/v1/keys", headers=account.jwt_headers)).json()
    assert len(keys) == 1 and "key" not in keys[0] and key.startswith(keys[0]["prefix"])

    revoked = await client.delete(f"/v1/keys/{keys[0]['id']}", headers=account.jwt_headers)
    assert revoked.status_code == 200 and revoked.json()["revoked_at"]
    after = await client.get("/v1/me", headers={"X-API-Key": key})
    assert after.status_code == 401
    assert after.json()["error"]["code"] == "API_KEY_REVOKED"


async def test_first_account_is_admin_later_ones_members(client: httpx.AsyncClient) -> None:
    first = await register(client)
    second = await register(client)
    me1 = (await client.get("/v1/me", headers=first.jwt_headers)).json()
    me2 = (await client.get("/v1/me", headers=second.jwt_headers)).json()
    assert me1["role"] == "admin" and me1["organization"]["plan"] == "unlimited"
    assert me2["role"] == "member" and me2["organization"]["plan"] == "free"
    assert me1["organization_id"] != me2["organization_id"]


async def test_expired_key_is_refused(client: httpx.AsyncClient, app: object) -> None:
    account = await register(client)
    soon = datetime.now(UTC) + timedelta(seconds=1)
    key = await create_key(client, account, expires_at=soon.isoformat())
    from sqlalchemy import update

    from atelier.keys.models import ApiKey

    runtime = app.state.runtime  # type: ignore[attr-defined]
    async with runtime.sessions() as session:  # move the expiry into the past instead of sleeping
        await session.execute(update(ApiKey).values(expires_at=datetime.now(UTC) - timedelta(seconds=5)))
        await session.commit()
    response = await client.get("/v1/me", headers={"X-API-Key": key})
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "API_KEY_EXPIRED"


async def test_past_expiry_rejected_at_creation(client: httpx.AsyncClient) -> None:
    account = await register(client)
    past = (datetime.now(UTC) - timedelta(days=1)).isoformat()
    response = await client.post("/v1/keys", json={"name": "x", "expires_at": past}, headers=account.jwt_headers)
    assert response.status_code == 422 and "expires_at" in response.text


async def test_malformed_unknown_and_missing_credentials(client: httpx.AsyncClient) -> None:
    account = await register(client)
    key = await create_key(client, account)
    tampered = key[:-1] + ("A" if key[-1] != "A" else "B")
    cases = {
        "INVALID_API_KEY": {"X-API-Key": "atl_short"},
        "UNAUTHORIZED": {},
        "INVALID_AUTH_HEADER": {"Authorization": "Basic abc"},
    }
    for code, headers in cases.items():
        response = await client.get("/v1/me", headers=headers)
        assert response.status_code == 401, headers
        assert response.json()["error"]["code"] == code
    bad_checksum = await client.get("/v1/me", headers={"X-API-Key": tampered})
    assert bad_checksum.status_code == 401 and "Malformed" in bad_checksum.json()["error"]["message"]


async def test_jwt_expired_and_tampered(client: httpx.AsyncClient, app: object) -> None:
    account = await register(client)
    secret = app.state.runtime.secret  # type: ignore[attr-defined]
    expired = jwt.encode(
        {"sub": account.user_id, "exp": datetime.now(UTC) - timedelta(minutes=1), "typ": "access"}, secret
    )
    response = await client.get("/v1/me", headers={"Authorization": f"Bearer {expired}"})
    assert response.status_code == 401 and response.json()["error"]["code"] == "TOKEN_EXPIRED"
    forged = jwt.encode(
        {"sub": account.user_id, "exp": datetime.now(UTC) + timedelta(hours=1), "typ": "access"}, "x" * 48
    )
    response = await client.get("/v1/me", headers={"Authorization": f"Bearer {forged}"})
    assert response.status_code == 401 and response.json()["error"]["code"] == "INVALID_TOKEN"


async def test_wrong_password_and_duplicate_email(client: httpx.AsyncClient) -> None:
    await register(client, "bob@example.com")
    bad = await client.post("/v1/auth/login", json={"email": "bob@example.com", "password": "wrong-password"})
    assert bad.status_code == 401 and bad.json()["error"]["code"] == "INVALID_CREDENTIALS"
    dup = await client.post("/v1/auth/register", json={"email": "BOB@example.com", "password": "another one"})
    assert dup.status_code == 409


async def test_patch_me(client: httpx.AsyncClient) -> None:
    account = await register(client)
    response = await client.patch(
        "/v1/me", json={"full_name": "Ada L", "avatar_url": "https://example.com/a.png"}, headers=account.jwt_headers
    )
    assert response.status_code == 200 and response.json()["full_name"] == "Ada L"
    bad = await client.patch("/v1/me", json={"avatar_url": "javascript:alert(1)"}, headers=account.jwt_headers)
    assert bad.status_code == 422 and "avatar_url" in bad.text
    unknown = await client.patch("/v1/me", json={"role": "admin"}, headers=account.jwt_headers)
    assert unknown.status_code == 422 and "role" in unknown.text


async def test_audit_log_admin_only(client: httpx.AsyncClient) -> None:
    admin = await register(client)
    member = await register(client)
    await client.post("/v1/auth/login", json={"email": member.email, "password": "nope-nope"})
    await create_key(client, member)
    assert (await client.get("/v1/audit", headers=member.jwt_headers)).status_code == 403
    events = (await client.get("/v1/audit", headers=admin.jwt_headers)).json()
    actions = {e["action"] for e in events}
    assert {"login.failed", "login.succeeded", "key.created", "user.registered"} <= actions, actions
