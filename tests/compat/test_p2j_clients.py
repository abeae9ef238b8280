"""Prompt-to-JSON's contract suite of record: the calls its clients make (the document's
JavaScript example on v2, the original ``POST /generate`` that v1 clients and the product's own
tests still call, the preview joined to the base URL), asserting on the fields their code
reads; and the limit the document gives: 20 per minute per IP, per endpoint."""

from __future__ import annotations

import io

import httpx
from PIL import Image

from tests.helpers.accounts import create_key, register

BASE = "/compat/prompt-to-json"


async def both_factors(client: httpx.AsyncClient) -> dict[str, str]:
    account = await register(client)
    return {"X-API-Key": await create_key(client, account), **account.jwt_headers}


async def test_the_documents_javascript_client(client: httpx.AsyncClient) -> None:
    headers = {"Content-Type": "application/json", **await both_factors(client)}
    body = {
        "prompt": "Modern office building with sustainable features",
        "context": {"location": "urban", "capacity": "500 employees"},
        "style": "contemporary",
        "constraints": ["LEED certified", "natural lighting"],
    }
    result = (await client.post(f"{BASE}/api/v1/generate", json=body, headers=headers)).json()
    assert isinstance(result["spec_id"], str) and result["spec_json"]["objects"]  # what its console.log reads
    assert all(o["id"] and o["editable"] is True for o in result["spec_json"]["objects"])


async def test_preview_url_resolves_against_the_contract_base_url(client: httpx.AsyncClient) -> None:
    out = (
        await client.post(f"{BASE}/api/v1/generate", json={"prompt": "A desk"}, headers=await both_factors(client))
    ).json()
    assert out["preview_url"].startswith(f"/preview/{out['spec_id']}?")  # the document's /preview/<id>
    preview = await client.get(BASE + out["preview_url"])
    assert preview.status_code == 200 and Image.open(io.BytesIO(preview.content)).format == "PNG"
    unsigned = await client.get(f"{BASE}/preview/{out['spec_id']}?exp=4102444800&sig=forged")
    assert unsigned.status_code == 403  # still signed


async def test_the_original_generate_endpoint_remains_functional(client: httpx.AsyncClient) -> None:
    headers = await both_factors(client)
    response = await client.post(
        f"{BASE}/generate", json={"prompt": "A standing desk for a small studio"}, headers=headers
    )
    assert response.status_code == 200, response.text
    out = response.json()
    assert set(out) == {"spec", "success", "message"} and out["success"] is True
    assert out["spec"]["design_type"] == "furniture" and isinstance(out["spec"]["materials"], list)
    only_key = await client.post(
        f"{BASE}/generate", json={"prompt": "A desk"}, headers={"X-API-Key": headers["X-API-Key"]}
    )
    assert only_key.status_code == 401 and only_key.json()["error_code"] == "AUTHENTICATION_ERROR"
    missing = await client.post(f"{BASE}/generate", json={}, headers=headers)
    assert missing.status_code == 400 and missing.json()["error_code"] == "VALIDATION_ERROR"


async def test_the_limit_is_per_endpoint(client: httpx.AsyncClient) -> None:
    headers = await both_factors(client)
    for _ in range(20):  # 400s reached the route: they count
        assert (await client.post(f"{BASE}/api/v1/generate", json={"prompt": ""}, headers=headers)).status_code == 400
    refused = await client.post(f"{BASE}/api/v1/generate", json={"prompt": ""}, headers=headers)
    assert refused.status_code == 429 and refused.json()["detail"] == "Rate limit exceeded: 20 per minute"
    other = await client.post(f"{BASE}/generate", json={"prompt": "A desk"}, headers=headers)
    assert other.status_code == 200 and other.headers["x-ratelimit-remaining"] == "19"


async def test_refusals_before_the_route_do_not_count(client: httpx.AsyncClient) -> None:
    headers = await both_factors(client)
    for _ in range(25):
        unauthenticated = await client.post(f"{BASE}/api/v1/generate", json={"prompt": "A desk"})
        assert unauthenticated.status_code == 401
        no_such_route = await client.post(f"{BASE}/generate/v0", json={"prompt": "A desk"}, headers=headers)
        assert no_such_route.status_code == 404
    admitted = await client.post(f"{BASE}/api/v1/generate", json={"prompt": "A desk"}, headers=headers)
    assert admitted.status_code == 200 and admitted.headers["x-ratelimit-limit"] == "20"
    assert admitted.headers["x-ratelimit-remaining"] == "19"
