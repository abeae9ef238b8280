"""Hostile input from anyone on the network is refused with a 4xx, never a 500, and refusals
never tell the caller what Atelier's own resolver knows."""

from __future__ import annotations

import httpx
import pytest

from atelier.kit.pagination import MAX_OFFSET, MAX_PAGE
from tests.helpers.accounts import register

NON_ASCII = "%C3%A9"  # "é": hmac.compare_digest refuses non-ASCII str


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", f"/files/a/b.png?exp=4102444800&sig={NON_ASCII}"),
        ("GET", f"/compat/prompt-to-json/preview/spec_x?exp=4102444800&sig={NON_ASCII}"),
        ("POST", f"/compat/dreamy-studio/api/webhooks/fal/job_x?token={NON_ASCII}"),
    ],
)
async def test_a_non_ascii_signature_is_refused_not_a_crash(client: httpx.AsyncClient, method: str, path: str) -> None:
    response = await client.request(method, path, json={"status": "OK"})
    assert response.status_code in {401, 403}, response.text


@pytest.mark.parametrize("offset", [2**63, MAX_OFFSET + 1])
@pytest.mark.parametrize("path", ["/v1/assets", "/v1/credits/ledger", "/v1/audit"])
async def test_an_offset_past_the_documented_maximum_is_a_422(
    client: httpx.AsyncClient, path: str, offset: int
) -> None:
    account = await register(client)  # the first account is the admin: /v1/audit answers it
    response = await client.get(path, params={"offset": offset}, headers=account.jwt_headers)
    assert response.status_code == 422, response.text
    assert response.json()["error"]["details"]["fields"][0]["field"] == "offset"
    within = await client.get(path, params={"offset": MAX_OFFSET}, headers=account.jwt_headers)
    assert within.status_code == 200, within.text


@pytest.mark.parametrize("page", [2**63, MAX_PAGE + 1])
async def test_a_dreamy_studio_page_past_the_maximum_is_its_validation_error(
    client: httpx.AsyncClient, page: int
) -> None:
    account = await register(client)
    response = await client.get("/compat/dreamy-studio/api/gallery", params={"page": page}, headers=account.jwt_headers)
    assert response.status_code == 400, response.text  # Dreamy Studio documents 400 for validation
    assert response.json()["success"] is False and "page" in response.json()["details"]


async def test_an_unknown_design_type_is_refused_at_submit(client: httpx.AsyncClient) -> None:
    account = await register(client)
    response = await client.post(
        "/v1/generations", json={"prompt": "a logo", "design_type": "zzz", "size": "64x64"}, headers=account.jwt_headers
    )
    assert response.status_code == 422, response.text
    assert response.json()["error"]["details"]["fields"][0]["field"] == "design_type"
    alias = await client.post(  # the aliases the design engine knows are still taken
        "/v1/generations",
        json={"prompt": "a flyer", "design_type": "flyer", "size": "64x64"},
        headers={**account.jwt_headers, "Prefer": "wait=30"},
    )
    assert alias.status_code == 200 and alias.json()["status"] == "succeeded", alias.text


@pytest.mark.parametrize("url", ["http://127.0.0.1:9/hook", "http://localhost:9/hook", "http://10.1.2.3/hook"])
async def test_a_private_per_job_webhook_url_is_refused_at_submit(client: httpx.AsyncClient, url: str) -> None:
    account = await register(client)
    response = await client.post(
        "/v1/generations", json={"prompt": "a logo", "size": "64x64", "webhook_url": url}, headers=account.jwt_headers
    )
    assert response.status_code == 422, response.text
    error = response.json()["error"]
    assert "webhook_url" in error["message"] and "non-public" in error["message"]


@pytest.mark.parametrize("path", ["/v1/webhooks", "/v1/generations"])
async def test_a_refused_webhook_url_does_not_reveal_what_a_name_resolves_to(
    client: httpx.AsyncClient, path: str
) -> None:
    account = await register(client)
    field = "url" if path == "/v1/webhooks" else "webhook_url"
    body = {"prompt": "a logo", "size": "64x64"} if path == "/v1/generations" else {}
    response = await client.post(path, json={**body, field: "http://localhost:9/hook"}, headers=account.jwt_headers)
    assert response.status_code == 422, response.text
    message = response.json()["error"]["message"]
    assert "localhost" in message
    assert "127.0.0.1" not in message and "::1" not in message, message
