from __future__ import annotations

import httpx

from tests.helpers.accounts import create_key, register


async def test_users_cannot_see_or_touch_each_others_projects_or_keys(client: httpx.AsyncClient) -> None:
    alice = await register(client)
    bob = await register(client)
    project = (await client.post("/v1/projects", json={"name": "Secret"}, headers=alice.jwt_headers)).json()
    await create_key(client, alice)
    alice_key_id = (await client.get("/v1/keys", headers=alice.jwt_headers)).json()[0]["id"]

    assert (await client.get(f"/v1/projects/{project['id']}", headers=bob.jwt_headers)).status_code == 404
    assert (await client.get("/v1/projects", headers=bob.jwt_headers)).json() == []
    assert (await client.get("/v1/keys", headers=bob.jwt_headers)).json() == []
    assert (await client.delete(f"/v1/keys/{alice_key_id}", headers=bob.jwt_headers)).status_code == 404
    # Alice's key is untouched by Bob's attempt.
    keys = (await client.get("/v1/keys", headers=alice.jwt_headers)).json()
    assert keys[0]["revoked_at"] is None
    assert (await client.get(f"/v1/projects/{project['id']}", headers=alice.jwt_headers)).status_code == 200


async def test_nobody_generates_into_or_reads_another_organizations_work(client: httpx.AsyncClient) -> None:
    alice = await register(client)
    bob = await register(client)
    project = (await client.post("/v1/projects", json={"name": "Secret"}, headers=alice.jwt_headers)).json()
    job = await client.post(
        "/v1/generations",
        json={"prompt": "a fern logo", "size": "64x64", "project": project["id"]},
        headers={**alice.jwt_headers, "Prefer": "wait=60"},
    )
    assert job.status_code == 200, job.text
    asset_id = job.json()["assets"][0]["id"]

    intrusion = await client.post(
        "/v1/generations", json={"prompt": "x", "size": "64x64", "project": project["id"]}, headers=bob.jwt_headers
    )
    assert intrusion.status_code == 404, intrusion.text
    assert (await client.get(f"/v1/generations/{job.json()['id']}", headers=bob.jwt_headers)).status_code == 404
    assert (await client.get(f"/v1/assets/{asset_id}", headers=bob.jwt_headers)).status_code == 404
    patched = await client.patch(f"/v1/assets/{asset_id}", json={"public": True}, headers=bob.jwt_headers)
    assert patched.status_code == 404
    assert (await client.delete(f"/v1/assets/{asset_id}", headers=bob.jwt_headers)).status_code == 404
    assert (await client.get("/v1/assets", headers=bob.jwt_headers)).json()["total"] == 0
    mine = (await client.get(f"/v1/assets/{asset_id}", headers=alice.jwt_headers)).json()
    assert mine["public"] is False
