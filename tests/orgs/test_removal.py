"""Removing a member ends their access to the organization at once: their keys there are
revoked in the same transaction, their JWT is refused for it, and the rest of their
account (their own organization and its keys) is untouched."""

from __future__ import annotations

import httpx
from fastapi import FastAPI
from sqlalchemy import select

from atelier.keys.models import ApiKey
from tests.helpers.accounts import create_key
from tests.orgs.team import make_team


async def test_removal_revokes_the_members_keys_in_that_organization(client: httpx.AsyncClient, app: FastAPI) -> None:
    team = await make_team(client)
    admin = team.people["admin"]
    # the admin's keys in the team, and one in their own organization
    team_keys = []
    for name in ("laptop", "ci"):
        minted = await client.post("/v1/keys", json={"name": name}, headers=team.headers("admin"))
        assert minted.status_code == 201
        team_keys.append(minted.json()["key"])
    own_key = await create_key(client, admin)
    for key in team_keys:
        assert (await client.get("/v1/organization", headers={"X-API-Key": key})).json()["id"] == team.organization_id

    removed = await client.delete(f"/v1/organization/members/{admin.user_id}", headers=team.headers("owner"))
    assert removed.status_code == 200, removed.text
    assert removed.json() == {"user_id": admin.user_id, "organization_id": team.organization_id, "keys_revoked": 2}

    for key in team_keys:
        refused = await client.get("/v1/organization", headers={"X-API-Key": key})
        assert refused.status_code == 401 and refused.json()["error"]["code"] == "API_KEY_REVOKED"
    jwt = await client.get("/v1/organization/members", headers=team.headers("admin"))
    assert jwt.status_code == 403 and jwt.json()["error"]["code"] == "NOT_A_MEMBER"
    own = await client.get("/v1/organization", headers={"X-API-Key": own_key})
    assert own.status_code == 200 and own.json()["id"] == admin.organization_id
    async with app.state.runtime.sessions() as session:
        keys = (await session.execute(select(ApiKey).where(ApiKey.user_id == admin.user_id))).scalars().all()
    assert sorted((k.organization_id == team.organization_id, k.revoked_at is not None) for k in keys) == [
        (False, False),
        (True, True),
        (True, True),
    ]
    events = (
        await client.get(
            "/v1/organization/audit", params={"action": "organization.member_removed"}, headers=team.headers("owner")
        )
    ).json()
    assert len(events) == 1
    event = events[0]
    assert event["actor_id"] == team.people["owner"].user_id and event["target"] == admin.user_id
    assert event["details"]["keys_revoked"] == 2 and event["details"]["role"] == "admin"


async def test_a_removed_member_cannot_mint_keys_for_the_organization(client: httpx.AsyncClient) -> None:
    team = await make_team(client)
    member = team.people["member"]
    await client.delete(f"/v1/organization/members/{member.user_id}", headers=team.headers("admin"))
    minted = await client.post("/v1/keys", json={"name": "sneaky"}, headers=team.as_(member))
    assert minted.status_code == 403
    listed = (await client.get("/v1/organization/members", headers=team.headers("owner"))).json()
    assert member.user_id not in {m["user_id"] for m in listed}
    unknown = await client.delete(f"/v1/organization/members/{member.user_id}", headers=team.headers("owner"))
    assert unknown.status_code == 404 and unknown.json()["error"]["code"] == "MEMBER_NOT_FOUND"


async def test_role_changes_are_audited_with_the_acting_member(client: httpx.AsyncClient) -> None:
    team = await make_team(client)
    viewer = team.people["viewer"].user_id
    changed = await client.patch(
        f"/v1/organization/members/{viewer}", json={"role": "member"}, headers=team.headers("admin")
    )
    assert changed.status_code == 200 and changed.json()["role"] == "member"
    events = (
        await client.get(
            "/v1/organization/audit",
            params={"action": "organization.member_role_changed"},
            headers=team.headers("admin"),
        )
    ).json()
    assert [(e["actor_id"], e["target"], e["details"]["previous"], e["details"]["role"]) for e in events] == [
        (team.people["admin"].user_id, viewer, "viewer", "member")
    ]
    # another organization's log is not this one's
    other = (await client.get("/v1/organization/audit", headers=team.people["admin"].jwt_headers)).json()
    assert all(e["organization_id"] == team.people["admin"].organization_id for e in other)
