from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import jwt

from atelier.kit.security import api_key_is_well_formed, mint_api_key
from tests.helpers.accounts import Account, create_key, register


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

    key_id = (await client.get("/v1/keys", headers=member.jwt_headers)).json()[0]["id"]
    assert (await client.delete(f"/v1/keys/{key_id}", headers=member.jwt_headers)).status_code == 200
    plan = await client.put(
        f"/v1/admin/organizations/{member.organization_id}/plan", json={"plan": "pro"}, headers=admin.jwt_headers
    )
    assert plan.status_code == 200, plan.text
    revoked = await audit_events(client, admin, "key.revoked")
    assert [(e["actor_id"], e["target"], e["organization_id"]) for e in revoked] == [
        (member.user_id, key_id, member.organization_id)
    ]
    changed = await audit_events(client, admin, "plan.changed")
    assert [(e["actor_id"], e["organization_id"]) for e in changed] == [(admin.user_id, member.organization_id)]
    assert changed[0]["details"]["previous"] == "free" and changed[0]["details"]["plan"] == "pro"


async def audit_events(client: httpx.AsyncClient, admin: Account, action: str) -> list[dict[str, Any]]:
    response = await client.get("/v1/audit", params={"action": action}, headers=admin.jwt_headers)
    assert response.status_code == 200, response.text
    events: list[dict[str, Any]] = response.json()
    assert all(e["action"] == action and e["request_id"] for e in events)
    return events


async def test_admin_changes_a_role_and_it_is_audited(client: httpx.AsyncClient) -> None:
    admin = await register(client)
    member = await register(client)
    url = f"/v1/admin/users/{member.user_id}/role"
    refused = await client.put(url, json={"role": "admin"}, headers=member.jwt_headers)
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "ADMIN_REQUIRED"
    assert (await client.get("/v1/me", headers=member.jwt_headers)).json()["role"] == "member"

    promoted = await client.put(url, json={"role": "admin"}, headers=admin.jwt_headers)
    assert promoted.status_code == 200, promoted.text
    assert promoted.json()["id"] == member.user_id and promoted.json()["role"] == "admin"
    assert (await client.get("/v1/me", headers=member.jwt_headers)).json()["role"] == "admin"
    # the promoted member can now read the audit log and finds its own promotion there
    events = await audit_events(client, member, "user.role_changed")
    assert [(e["actor_id"], e["target"]) for e in events] == [(admin.user_id, member.user_id)]
    assert events[0]["details"] == {"email": member.email, "previous": "member", "role": "admin", "via": "api"}
    assert events[0]["request_id"] == promoted.headers["x-request-id"]

    demoted = await client.put(
        f"/v1/admin/users/{admin.user_id}/role", json={"role": "member"}, headers=member.jwt_headers
    )
    assert demoted.status_code == 200 and demoted.json()["role"] == "member"
    assert (await client.get("/v1/audit", headers=admin.jwt_headers)).status_code == 403
    assert len(await audit_events(client, member, "user.role_changed")) == 2


async def test_role_change_refusals_name_the_problem(client: httpx.AsyncClient) -> None:
    admin = await register(client)
    member = await register(client)
    bad_role = await client.put(
        f"/v1/admin/users/{member.user_id}/role", json={"role": "owner"}, headers=admin.jwt_headers
    )
    assert bad_role.status_code == 422 and "role" in bad_role.json()["error"]["message"]
    missing = await client.put("/v1/admin/users/usr_nobody/role", json={"role": "admin"}, headers=admin.jwt_headers)
    assert missing.status_code == 404 and "usr_nobody" in missing.json()["error"]["message"]
    last = await client.put(f"/v1/admin/users/{admin.user_id}/role", json={"role": "member"}, headers=admin.jwt_headers)
    assert last.status_code == 409 and last.json()["error"]["code"] == "LAST_ADMIN"
    assert (await client.get("/v1/me", headers=admin.jwt_headers)).json()["role"] == "admin"
    read_only = await create_key(client, admin, scopes=["read"])
    scoped = await client.put(
        f"/v1/admin/users/{member.user_id}/role", json={"role": "admin"}, headers={"X-API-Key": read_only}
    )
    assert scoped.status_code == 403 and scoped.json()["error"]["code"] == "INSUFFICIENT_SCOPE"
    assert await audit_events(client, admin, "user.role_changed") == []


async def test_well_formed_but_unknown_key_is_refused(client: httpx.AsyncClient) -> None:
    await register(client)
    unknown = mint_api_key("atl")
    assert api_key_is_well_formed(unknown)
    for headers in ({"X-API-Key": unknown}, {"Authorization": f"Bearer {unknown}"}):
        response = await client.get("/v1/me", headers=headers)
        assert response.status_code == 401
        error = response.json()["error"]
        assert error["code"] == "INVALID_API_KEY" and error["message"] == "Unknown API key"


async def test_key_last_used_at_is_set_by_use(client: httpx.AsyncClient) -> None:
    account = await register(client)
    key = await create_key(client, account)
    unused = (await client.get("/v1/keys", headers=account.jwt_headers)).json()
    assert [k["last_used_at"] for k in unused] == [None]
    assert (await client.get("/v1/me", headers={"X-API-Key": key})).status_code == 200
    used = (await client.get("/v1/keys", headers=account.jwt_headers)).json()
    last_used = datetime.fromisoformat(used[0]["last_used_at"])
    assert last_used >= datetime.fromisoformat(used[0]["created_at"])
