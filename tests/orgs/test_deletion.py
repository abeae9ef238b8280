"""Deleting an organization: only its owners, signed in, with its id to confirm; afterwards
no key, member or share link reaches it, its jobs are canceled and its gallery is empty, its
books stay, and an owner left without an organization gets a personal one."""

from __future__ import annotations

import httpx
from fastapi import FastAPI
from sqlalchemy import select

from atelier.accounts.models import Organization
from atelier.jobs.models import Asset
from tests.helpers.accounts import create_key
from tests.orgs.team import make_team


async def test_only_a_signed_in_owner_deletes_and_must_confirm(client: httpx.AsyncClient) -> None:
    team = await make_team(client)
    target = {"confirm": team.organization_id}
    for role in ("viewer", "member", "admin"):
        refused = await client.delete("/v1/organization", params=target, headers=team.headers(role))
        assert refused.status_code == 403, (role, refused.text)
    key = (await client.post("/v1/keys", json={"name": "everything"}, headers=team.headers("owner"))).json()["key"]
    by_key = await client.delete("/v1/organization", params=target, headers={"X-API-Key": key})
    assert by_key.status_code == 403, by_key.text
    wrong = await client.delete("/v1/organization", params={"confirm": "org_not_this"}, headers=team.headers("owner"))
    assert wrong.status_code == 422 and "confirm=" + team.organization_id in wrong.json()["error"]["message"]
    missing = await client.delete("/v1/organization", headers=team.headers("owner"))
    assert missing.status_code == 422
    still = await client.get("/v1/organization/members", headers=team.headers("viewer"))
    assert still.status_code == 200 and len(still.json()) == 4


async def test_after_deletion_nothing_reaches_it_and_its_owner_is_rehomed(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    team = await make_team(client)
    owner, admin = team.people["owner"], team.people["admin"]
    admins_key = (await client.post("/v1/keys", json={"name": "ci"}, headers=team.headers("admin"))).json()["key"]
    made = await client.post(
        "/v1/images/generations",
        json={"prompt": "logo for 'Fern'", "size": "256x256"},
        headers={"X-API-Key": admins_key},
    )
    assert made.status_code == 200, made.text
    assets = (await client.get("/v1/assets", headers=team.headers("admin"))).json()
    asset_id = (assets["data"] if isinstance(assets, dict) else assets)[0]["id"]
    published = await client.patch(f"/v1/assets/{asset_id}", json={"public": True}, headers=team.headers("admin"))
    assert published.status_code == 200, published.text
    share = published.json()["share_url"]
    assert (await client.get(share)).status_code == 200

    deleted = await client.delete(
        "/v1/organization", params={"confirm": team.organization_id}, headers=team.headers("owner")
    )
    assert deleted.status_code == 200, deleted.text
    assert deleted.json() == {
        "organization_id": team.organization_id,
        "keys_revoked": 1,
        "members_removed": 4,
        "jobs_canceled": 0,
        "assets_deleted": 1,
    }
    refused = await client.get("/v1/organization", headers={"X-API-Key": admins_key})
    assert refused.status_code == 401, refused.text
    for role in ("viewer", "member", "admin"):
        gone = await client.get("/v1/organization", headers=team.headers(role))
        assert gone.status_code == 403 and gone.json()["error"]["code"] == "NOT_A_MEMBER"
    assert (await client.get(share)).status_code == 404
    # the admin still works in their own organization; the owner, whose only one it was, in a new one
    own = await client.get("/v1/organization", headers=admin.jwt_headers)
    assert own.status_code == 200 and own.json()["id"] == admin.organization_id
    rehomed = await client.get("/v1/organization", headers=owner.jwt_headers)
    assert rehomed.status_code == 200, rehomed.text
    assert rehomed.json()["id"] != team.organization_id and rehomed.json()["role"] == "owner"
    async with app.state.runtime.sessions() as session:
        organization = await session.get(Organization, team.organization_id)
        assert organization is not None and organization.deleted_at is not None
        asset = (await session.execute(select(Asset).where(Asset.id == asset_id))).scalar_one()
        assert asset.deleted_at is not None and not asset.public
    storage = app.state.runtime.storage
    assert not await storage.exists(asset.storage_key)
    events = await client.get(
        "/v1/organization/audit", params={"action": "organization.created"}, headers=owner.jwt_headers
    )
    assert events.status_code == 200 and len(events.json()) == 1
    key_of_own = await create_key(client, owner)
    assert (await client.get("/v1/organization", headers={"X-API-Key": key_of_own})).json()["id"] == rehomed.json()[
        "id"
    ]
