"""Pixova's contract suite of record: the calls its own frontend makes (``app/generate``: one
``POST /api/generate`` per variation with only ``Content-Type``, then ``GET /api/download``),
with the fields that code reads, against Atelier with the opt-in anonymous mode on; and
what the mode must not open."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator
from urllib.parse import quote

import httpx
import pytest
from fastapi import FastAPI
from PIL import Image

from atelier.settings import Settings
from tests.helpers.accounts import Account, create_key, register

BASE = "/compat/pixova"


def frontend_body(prompt: str = "Coffee shop logo with a steaming cup") -> dict[str, object]:
    """What the frontend's generate page posts for one variation (written from its source)."""
    return {
        "user_id": "5b0c6a8e-3f52-4b7e-9a53-2f1f0f8d9c11",  # its Supabase user id
        "prompt": prompt,
        "design_type": "logo",
        "style": "modern",
        "num_variations": 1,
        "quality": "high",
        "brand_text": None,
        "include_text_in_ai": False,
        "format": {"name": "Square", "width": 1000, "height": 1000},
    }


def anonymous_for(app: FastAPI, account: Account) -> None:
    """What an operator sets with ``ATELIER_COMPAT__PIXOVA_ANONYMOUS_ORGANIZATION``."""
    app.state.runtime.settings.compat.pixova_anonymous_organization = account.organization_id


def from_address(app: FastAPI, host: str) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=app, client=(host, 50000))
    return httpx.AsyncClient(transport=transport, base_url="http://testserver")


@pytest.fixture
async def owner(app: FastAPI, client: httpx.AsyncClient) -> AsyncIterator[Account]:
    account = await register(client)
    anonymous_for(app, account)
    yield account


def test_anonymous_mode_is_off_by_default(settings: Settings) -> None:
    assert settings.compat.pixova_anonymous_organization is None


async def test_without_the_mode_a_request_without_credential_is_refused(client: httpx.AsyncClient) -> None:
    refused = await client.post(f"{BASE}/api/generate", json=frontend_body())
    assert refused.status_code == 401 and refused.json()["success"] is False


async def test_the_frontends_generate_then_download(client: httpx.AsyncClient, owner: Account) -> None:
    response = await client.post(
        f"{BASE}/api/generate", json=frontend_body(), headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 200, response.text
    result = response.json()
    variation = result["variations"][0]  # the frontend reads result.variations?.[0]
    assert variation["success"] is True and variation["prompt"]
    assert isinstance(variation["model_used"], str) and variation["model_used"]
    assert isinstance(variation["generation_time_ms"], int)
    # then the frontend's download button: the backend's proxy, with the URL encoded
    download = await client.get(f"{BASE}/api/download?url={quote(variation['image_url'], safe='')}")
    assert download.status_code == 200 and download.headers["access-control-allow-origin"] == "*"
    assert Image.open(io.BytesIO(download.content)).size == (1536, 1536)
    # billed to the configured organization: its owner sees the image in the gallery
    gallery = (await client.get("/v1/assets", headers=owner.jwt_headers)).json()
    assert gallery["total"] == 1


async def test_request_id_is_the_requests_x_request_id(client: httpx.AsyncClient, owner: Account) -> None:
    response = await client.post(f"{BASE}/api/generate", json=frontend_body())
    assert response.json()["request_id"] == response.headers["x-request-id"]
    sent = await client.post(f"{BASE}/api/generate", json=frontend_body(), headers={"X-Request-ID": "req_pixova42"})
    assert sent.json()["request_id"] == "req_pixova42" == sent.headers["x-request-id"]


async def test_anonymous_requests_count_per_address(app: FastAPI, owner: Account) -> None:
    async with from_address(app, "198.51.100.7") as first, from_address(app, "203.0.113.9") as second:
        await first.post(f"{BASE}/api/generate", json=frontend_body())
        again = await first.post(f"{BASE}/api/generate", json=frontend_body())
        other = await second.post(f"{BASE}/api/generate", json=frontend_body())
    assert again.status_code == other.status_code == 200
    assert again.headers["x-ratelimit-limit"] == "100"
    assert again.headers["x-ratelimit-remaining"] == "98" and other.headers["x-ratelimit-remaining"] == "99"


async def test_anonymous_callers_get_the_generate_scope_only(client: httpx.AsyncClient, owner: Account) -> None:
    assert (await client.get("/v1/assets")).status_code == 401
    assert (await client.post("/v1/keys", json={"name": "x"})).status_code == 401
    assert (await client.post("/compat/nanodesigner/render", json={})).status_code == 401


async def test_a_credential_that_is_sent_is_checked(client: httpx.AsyncClient, owner: Account) -> None:
    bad = await client.post(f"{BASE}/api/generate", json=frontend_body(), headers={"X-API-Key": "atl_not_a_key"})
    assert bad.status_code == 401
    reader = await create_key(client, owner, scopes=["read"])
    narrow = await client.post(f"{BASE}/api/generate", json=frontend_body(), headers={"X-API-Key": reader})
    assert narrow.status_code == 403


async def test_idempotency_keeps_anonymous_callers_apart(app: FastAPI, owner: Account) -> None:
    key = {"Idempotency-Key": "pixova-once"}
    async with from_address(app, "198.51.100.7") as first, from_address(app, "203.0.113.9") as second:
        original = await first.post(f"{BASE}/api/generate", json=frontend_body(), headers=key)
        replay = await first.post(f"{BASE}/api/generate", json=frontend_body(), headers=key)
        elsewhere = await second.post(f"{BASE}/api/generate", json=frontend_body(), headers=key)
        as_owner = await first.post(f"{BASE}/api/generate", json=frontend_body(), headers={**key, **owner.jwt_headers})
    assert original.status_code == replay.status_code == 200
    assert replay.headers.get("idempotent-replayed") == "true" and replay.json() == original.json()
    for fresh in (elsewhere, as_owner):  # neither another address nor the owner is served that replay
        assert fresh.status_code == 200 and "idempotent-replayed" not in fresh.headers
        assert fresh.json()["request_id"] != original.json()["request_id"]


async def test_a_mode_naming_no_organization_says_so(app: FastAPI, client: httpx.AsyncClient) -> None:
    app.state.runtime.settings.compat.pixova_anonymous_organization = "org_missing"
    refused = await client.post(f"{BASE}/api/generate", json=frontend_body())
    assert refused.status_code == 503 and refused.json()["success"] is False
