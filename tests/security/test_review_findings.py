"""Findings of the adversarial review of issue 10's trust pipeline, each a probe that an
attacker holding only an API key can send."""

from __future__ import annotations

import httpx
import pytest

from tests.helpers.accounts import create_key, register


@pytest.mark.parametrize("path", ["/v1/specs/{id}", "/v1/specs/{id}/preview"])
@pytest.mark.parametrize("version", [2**31, 2**63])
async def test_a_huge_spec_version_is_a_422_not_a_500(client: httpx.AsyncClient, path: str, version: int) -> None:
    account = await register(client)
    headers = {"X-API-Key": await create_key(client, account, scopes=["read", "generate"])}
    spec = await client.post("/v1/specs", json={"prompt": "a chair"}, headers=headers)
    assert spec.status_code == 201, spec.text
    url = path.format(id=spec.json()["spec_id"])
    response = await client.get(url, params={"version": version}, headers=headers)
    assert response.status_code == 422, response.text
    assert (await client.get(url, params={"version": 1}, headers=headers)).status_code == 200


@pytest.mark.parametrize("url", ["http://[::1", "https://[not-an-address]/x.png"])
async def test_pixovas_anonymous_download_refuses_an_unparseable_url_with_a_4xx(
    client: httpx.AsyncClient, url: str
) -> None:
    response = await client.get("/compat/pixova/api/download", params={"url": url})
    assert response.status_code == 422, response.text
    assert response.json()["success"] is False
