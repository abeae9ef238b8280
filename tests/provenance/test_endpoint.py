"""``GET /v1/assets/{id}/provenance``: the stored file's manifest and its validation, for the
asset's own organization only, reporting honestly what is not there or no longer holds."""

from __future__ import annotations

import httpx
from fastapi import FastAPI

from tests.helpers.accounts import create_key, register
from tests.provenance.c2pa_reading import generate

ALGORITHMIC = "http://cv.iptc.org/newscodes/digitalsourcetype/algorithmicMedia"


async def test_the_manifest_and_its_validation_are_reported(client: httpx.AsyncClient) -> None:
    account = await register(client)
    headers = {"X-API-Key": await create_key(client, account)}
    job, _ = await generate(client, headers, "webp")
    asset_id = job["assets"][0]["id"]

    response = await client.get(f"/v1/assets/{asset_id}/provenance", headers=headers)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["asset_id"] == asset_id and body["format"] == "webp" and body["present"] is True
    assert body["validation"] == {
        "state": "Valid",
        "valid": True,
        "trusted": False,
        "errors": [],
        "unreadable": None,
    }
    summary = body["summary"]
    assert summary["claim_generator"][0]["name"] == "Atelier"
    [action] = summary["actions"]
    assert action["action"] == "c2pa.created" and action["digitalSourceType"] == ALGORITHMIC
    assert summary["generation"]["job_id"] == job["id"] and summary["generation"]["engine"] == "atelier-design"
    assert summary["signer"]["common_name"] == "Atelier content signer" and summary["ingredients"] == []
    assert body["signed_by_this_server"] is True and body["signer_generated_locally"] is True
    assert body["synthid"] is False
    assert body["manifest_store"]["active_manifest"] in body["manifest_store"]["manifests"]
    # a JWT of the same organization reads it too
    assert (await client.get(f"/v1/assets/{asset_id}/provenance", headers=account.jwt_headers)).status_code == 200


async def test_other_organizations_and_anonymous_callers_get_nothing(client: httpx.AsyncClient) -> None:
    headers = {"X-API-Key": await create_key(client, await register(client))}
    job, _ = await generate(client, headers, "png")
    url = f"/v1/assets/{job['assets'][0]['id']}/provenance"
    stranger = {"X-API-Key": await create_key(client, await register(client))}
    assert (await client.get(url, headers=stranger)).status_code == 404
    assert (await client.get(url)).status_code == 401
    assert (await client.get("/v1/assets/ast_missing/provenance", headers=headers)).status_code == 404


async def test_a_key_without_the_read_scope_is_refused(client: httpx.AsyncClient) -> None:
    account = await register(client)
    headers = {"X-API-Key": await create_key(client, account)}
    job, _ = await generate(client, headers, "png")
    narrow = {"X-API-Key": await create_key(client, account, scopes=["generate"])}
    response = await client.get(f"/v1/assets/{job['assets'][0]['id']}/provenance", headers=narrow)
    assert response.status_code == 403


async def test_a_stored_file_changed_after_signing_is_reported_invalid(client: httpx.AsyncClient, app: FastAPI) -> None:
    headers = {"X-API-Key": await create_key(client, await register(client))}
    job, data = await generate(client, headers, "png")
    asset_id = job["assets"][0]["id"]
    key = f"{job['project_id']}/renders/{asset_id}.png"
    body = bytearray(data)
    body[body.rindex(b"IDAT") + 8] ^= 0xFF
    await app.state.runtime.storage.put(key, bytes(body), "image/png")

    report = (await client.get(f"/v1/assets/{asset_id}/provenance", headers=headers)).json()
    assert report["present"] is True
    assert report["validation"]["state"] == "Invalid" and report["validation"]["valid"] is False
    assert "assertion.dataHash.mismatch" in [e["code"] for e in report["validation"]["errors"]]


async def test_a_file_without_a_manifest_says_so(client: httpx.AsyncClient, app: FastAPI) -> None:
    from tests.helpers.engines import solid_png

    headers = {"X-API-Key": await create_key(client, await register(client))}
    job, _ = await generate(client, headers, "png")
    asset_id = job["assets"][0]["id"]
    await app.state.runtime.storage.put(f"{job['project_id']}/renders/{asset_id}.png", solid_png(8, 8), "image/png")
    report = (await client.get(f"/v1/assets/{asset_id}/provenance", headers=headers)).json()
    assert report["present"] is False and report["summary"] is None and report["manifest_store"] is None
    assert report["validation"]["valid"] is False and report["validation"]["state"] is None
