"""What the admin console reads: every user with its role, every organization with its plan
and size, and the audit log filtered by actor, action and day."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx

from tests.helpers.accounts import create_key, register


async def test_users_and_organizations_are_listed_for_admins_only(client: httpx.AsyncClient) -> None:
    admin = await register(client, "root@example.com")
    member = await register(client, "m_1%@example.com")
    assert (await client.get("/v1/admin/users", headers=member.jwt_headers)).status_code == 403
    assert (await client.get("/v1/admin/organizations", headers=member.jwt_headers)).status_code == 403
    users = (await client.get("/v1/admin/users", headers=admin.jwt_headers)).json()
    assert [(u["email"], u["role"]) for u in users] == [("m_1%@example.com", "member"), ("root@example.com", "admin")]
    found = (await client.get("/v1/admin/users", params={"email": "1%"}, headers=admin.jwt_headers)).json()
    assert [u["id"] for u in found] == [member.user_id]
    # LIKE wildcards in the filter are literal characters
    assert (await client.get("/v1/admin/users", params={"email": "_"}, headers=admin.jwt_headers)).json()[0][
        "id"
    ] == member.user_id
    assert (await client.get("/v1/admin/users", params={"email": "%x"}, headers=admin.jwt_headers)).json() == []
    orgs = {o["id"]: o for o in (await client.get("/v1/admin/organizations", headers=admin.jwt_headers)).json()}
    assert set(orgs) == {admin.organization_id, member.organization_id}
    assert orgs[admin.organization_id]["plan"] == "unlimited" and orgs[admin.organization_id]["users"] == 1
    assert orgs[member.organization_id]["plan"] == "free"


async def test_audit_log_filters_by_actor_action_and_day(client: httpx.AsyncClient) -> None:
    admin = await register(client, "boss@example.com")
    member = await register(client, "worker@example.com")
    await create_key(client, member)
    await create_key(client, admin)
    headers = admin.jwt_headers

    async def actions(**params: str) -> list[tuple[str, str | None]]:
        response = await client.get("/v1/audit", params=params, headers=headers)
        assert response.status_code == 200, response.text
        return [(e["action"], e["actor_id"]) for e in response.json()]

    assert await actions(action="key.created", actor=member.user_id) == [("key.created", member.user_id)]
    assert await actions(action="key.created", actor="WORKER@example.com") == [("key.created", member.user_id)]
    assert await actions(actor="nobody@example.com") == []
    today = datetime.now(UTC).date()
    assert len(await actions(action="key.created", **{"from": today.isoformat(), "to": today.isoformat()})) == 2
    assert await actions(**{"from": (today + timedelta(days=1)).isoformat()}) == []
    assert await actions(to=(today - timedelta(days=1)).isoformat()) == []
    assert len(await actions(action="key.created", to="9999-12-31")) == 2
    backwards = await client.get(
        "/v1/audit", params={"from": today.isoformat(), "to": (today - timedelta(days=1)).isoformat()}, headers=headers
    )
    assert backwards.status_code == 422 and "before" in backwards.text
    assert (await client.get("/v1/audit", params={"from": "yesterday"}, headers=headers)).status_code == 422
    for params in ({"actor": "a\x00b"}, {"action": "x\x00"}):
        assert (await client.get("/v1/audit", params=params, headers=headers)).status_code == 422
    assert (await client.get("/v1/admin/users", params={"email": "\x00"}, headers=headers)).status_code == 422
