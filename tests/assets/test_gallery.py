"""The gallery: pagination, filters (project, favourite, public, dates), favourite and
publish, deletion (the file goes, the record stays out of sight), other organizations."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
from fastapi import FastAPI
from sqlalchemy import update

from atelier.jobs.models import Asset
from tests.helpers.accounts import create_key, register
from tests.helpers.engines import SlowEngine
from tests.helpers.signed_urls import assert_no_longer_served, key_of


async def key_headers(client: httpx.AsyncClient) -> dict[str, str]:
    return {"X-API-Key": await create_key(client, await register(client))}


async def generate(client: httpx.AsyncClient, headers: dict[str, str], **body: object) -> dict[str, object]:
    payload = {"prompt": "tile", "model": "fast", "size": "64x64", **body}
    response = await client.post("/v1/generations", json=payload, headers={**headers, "Prefer": "wait=30"})
    assert response.status_code == 200, response.text
    job: dict[str, object] = response.json()
    assert job["status"] == "succeeded"
    return job


async def test_pages_and_filters(client: httpx.AsyncClient, app: FastAPI) -> None:
    app.state.runtime.router.register(SlowEngine("fast", steps=1, delay=0), models=["fast"])
    headers = await key_headers(client)
    project = (await client.post("/v1/projects", json={"name": "Brand"}, headers=headers)).json()
    await generate(client, headers, n=3)
    await generate(client, headers, n=2, project=project["id"])

    first = (await client.get("/v1/assets", params={"limit": 2}, headers=headers)).json()
    second = (await client.get("/v1/assets", params={"limit": 2, "offset": 2}, headers=headers)).json()
    third = (await client.get("/v1/assets", params={"limit": 2, "offset": 4}, headers=headers)).json()
    ids = [a["id"] for page in (first, second, third) for a in page["data"]]
    assert first["total"] == 5 and len(ids) == 5 and len(set(ids)) == 5

    in_project = (await client.get("/v1/assets", params={"project": project["id"]}, headers=headers)).json()
    assert in_project["total"] == 2 and {a["project_id"] for a in in_project["data"]} == {project["id"]}

    target = ids[0]
    patched = await client.patch(f"/v1/assets/{target}", json={"favorite": True, "public": True}, headers=headers)
    assert patched.status_code == 200 and patched.json()["favorite"] and patched.json()["public"]
    favorites = (await client.get("/v1/assets", params={"favorite": "true"}, headers=headers)).json()
    assert [a["id"] for a in favorites["data"]] == [target]
    public = (await client.get("/v1/assets", params={"public": "true"}, headers=headers)).json()
    assert [a["id"] for a in public["data"]] == [target]
    assert (await client.get("/v1/assets", params={"public": "false"}, headers=headers)).json()["total"] == 4

    # Back-date two assets to see the date range at work.
    async with app.state.runtime.sessions() as session:
        old = datetime.now(UTC) - timedelta(days=10)
        await session.execute(update(Asset).where(Asset.id.in_(ids[3:])).values(created_at=old))
        await session.commit()
    since = (datetime.now(UTC) - timedelta(days=1)).isoformat()
    until = (datetime.now(UTC) - timedelta(days=5)).isoformat()
    recent = (await client.get("/v1/assets", params={"since": since}, headers=headers)).json()
    older = (await client.get("/v1/assets", params={"until": until}, headers=headers)).json()
    assert recent["total"] == 3 and {a["id"] for a in older["data"]} == set(ids[3:])


async def test_delete_removes_the_file_and_hides_the_asset(client: httpx.AsyncClient, app: FastAPI) -> None:
    app.state.runtime.router.register(SlowEngine("fast", steps=1, delay=0), models=["fast"])
    headers = await key_headers(client)
    job = await generate(client, headers, n=2)
    assets = job["assets"]
    assert isinstance(assets, list)
    gone, kept = assets[0]["id"], assets[1]["id"]
    url = assets[0]["url"]
    assert (await client.get(url)).status_code == 200
    assert (await client.delete(f"/v1/assets/{gone}", headers=headers)).status_code == 204
    assert (await client.get(f"/v1/assets/{gone}", headers=headers)).status_code == 404
    assert (await client.patch(f"/v1/assets/{gone}", json={"favorite": True}, headers=headers)).status_code == 404
    assert (await client.delete(f"/v1/assets/{gone}", headers=headers)).status_code == 404
    storage = app.state.runtime.storage
    assert not await storage.exists(key_of(url, storage))
    await assert_no_longer_served(client, storage, url)
    listed = (await client.get("/v1/assets", headers=headers)).json()
    assert [a["id"] for a in listed["data"]] == [kept]
    again = (await client.get(f"/v1/generations/{job['id']}", headers=headers)).json()
    assert [a["id"] for a in again["assets"]] == [kept]


async def test_other_organizations_see_nothing(client: httpx.AsyncClient, app: FastAPI) -> None:
    app.state.runtime.router.register(SlowEngine("fast", steps=1, delay=0), models=["fast"])
    owner = await key_headers(client)
    stranger = await key_headers(client)
    job = await generate(client, owner)
    assets = job["assets"]
    assert isinstance(assets, list)
    asset_id = assets[0]["id"]
    assert (await client.get("/v1/assets", headers=stranger)).json()["total"] == 0
    assert (await client.get(f"/v1/assets/{asset_id}", headers=stranger)).status_code == 404
    assert (await client.patch(f"/v1/assets/{asset_id}", json={"public": True}, headers=stranger)).status_code == 404
    assert (await client.delete(f"/v1/assets/{asset_id}", headers=stranger)).status_code == 404
    assert (await client.get(f"/v1/generations/{job['id']}", headers=stranger)).status_code == 404
    assert (await client.get(f"/v1/assets/{asset_id}", headers=owner)).status_code == 200


async def test_bad_filters_are_named(client: httpx.AsyncClient) -> None:
    headers = await key_headers(client)
    for params, needle in (
        ({"limit": 0}, "limit"),
        ({"since": "yesterday"}, "since"),
        ({"favorite": "maybe"}, "favorite"),
    ):
        response = await client.get("/v1/assets", params=params, headers=headers)
        assert response.status_code == 422 and needle in response.text, response.text
