"""Findings of the adversarial review of issue 10's trust pipeline, each a probe that an
attacker holding only an API key can send."""

from __future__ import annotations

import contextlib
import secrets

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import update
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect

from atelier.accounts.models import User
from tests.helpers.accounts import create_key, register
from tests.helpers.live import LiveServer


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


def _account_and_key(url: str, scopes: list[str]) -> tuple[str, str]:
    creds = {"email": f"review-{secrets.token_hex(3)}@example.com", "password": "review password"}
    assert httpx.post(f"{url}/v1/auth/register", json=creds, timeout=30).status_code == 201
    token: str = httpx.post(f"{url}/v1/auth/login", json=creds, timeout=30).json()["access_token"]
    created = httpx.post(
        f"{url}/v1/keys", json={"name": "r", "scopes": scopes}, headers={"Authorization": f"Bearer {token}"}, timeout=30
    )
    assert created.status_code == 201, created.text
    key: str = created.json()["key"]
    return token, key


def _ws(url: str, path: str) -> str:
    return url.replace("http://", "ws://") + path


def test_a_read_only_key_cannot_create_projects_through_the_render_socket(live_server: LiveServer) -> None:
    """Creating a project needs ``generate``; the NanoDesigner render socket, open to ``read``,
    created the project it was asked to watch (one row per socket, any slug, no rate limit)."""
    token, key = _account_and_key(live_server.url, ["read"])
    slug = f"spy-{secrets.token_hex(4)}"
    with (
        contextlib.suppress(ConnectionClosed),
        connect(
            _ws(live_server.url, f"/compat/nanodesigner/ws/render/{slug}?api_key={key}"), open_timeout=30
        ) as socket,
        contextlib.suppress(TimeoutError),
    ):
        socket.recv(timeout=0.5)
    projects = httpx.get(f"{live_server.url}/v1/projects", headers={"Authorization": f"Bearer {token}"}, timeout=30)
    assert projects.status_code == 200, projects.text
    body = projects.json()
    items = body["items"] if isinstance(body, dict) else body
    assert [p for p in items if slug in (p.get("slug"), p.get("name"))] == []


def test_revoking_a_key_ends_the_render_socket_it_opened(live_server: LiveServer) -> None:
    """A key revoked while its socket is open should stop receiving the project's events."""
    token, key = _account_and_key(live_server.url, ["read", "generate"])
    listed = httpx.get(f"{live_server.url}/v1/keys", headers={"Authorization": f"Bearer {token}"}, timeout=30).json()
    key_id = next(k["id"] for k in listed if key.startswith(k.get("prefix", "\x00")))
    with connect(
        _ws(live_server.url, f"/compat/nanodesigner/ws/render/launch?api_key={key}"), open_timeout=30
    ) as socket:
        revoked = httpx.delete(
            f"{live_server.url}/v1/keys/{key_id}", headers={"Authorization": f"Bearer {token}"}, timeout=30
        )
        assert revoked.status_code in (200, 204), revoked.text
        with pytest.raises(ConnectionClosed) as closed:
            while True:  # anything still sent to the revoked key, until the server closes
                socket.recv(timeout=30)
        assert closed.value.rcvd is not None and closed.value.rcvd.code == 4401


@pytest.mark.parametrize("idempotency_key", [b"a\x00b", b"tab\there", b"\x7f"])
async def test_an_idempotency_key_with_control_characters_is_a_422(
    client: httpx.AsyncClient, idempotency_key: bytes
) -> None:
    """A NUL reached PostgreSQL's text column: a 500 (behind any ASGI server that passes it on)."""
    account = await register(client)
    headers = {b"X-API-Key": (await create_key(client, account)).encode(), b"Idempotency-Key": idempotency_key}
    response = await client.post("/v1/projects", json={"name": "p"}, headers=headers)
    assert response.status_code == 422, response.text
    assert "Idempotency-Key" in response.json()["error"]["message"]


@pytest.mark.parametrize("path", ["/compat/prompt-to-json/api/v1/generate", "/compat/prompt-to-json/generate"])
async def test_prompt_to_json_stores_no_refusal_of_its_second_factor_under_an_idempotency_key(
    client: httpx.AsyncClient, path: str
) -> None:
    """Prompt-to-JSON's JWT factor is checked inside the route, after the key was claimed: its
    401 was stored and replayed, so a retry that adds the JWT still got the 401 for 24 hours."""
    account = await register(client)
    key = await create_key(client, account)
    body = {"prompt": "a wooden chair"}
    first = await client.post(path, json=body, headers={"X-API-Key": key, "Idempotency-Key": "p2j-1"})
    assert first.status_code == 401, first.text
    headers = {"X-API-Key": key, "Idempotency-Key": "p2j-1", **account.jwt_headers}
    retry = await client.post(path, json=body, headers=headers)
    assert retry.status_code == 200, retry.text
    assert "idempotent-replayed" not in retry.headers


async def test_prompt_to_json_refuses_a_jwt_of_another_user_of_the_keys_organization(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    """The contract's two factors are one account's: a key with a colleague's JWT is not."""
    owner = await register(client)
    colleague = await register(client)
    async with app.state.runtime.sessions() as session:
        await session.execute(
            update(User).where(User.id == colleague.user_id).values(organization_id=owner.organization_id)
        )
        await session.commit()
    key = await create_key(client, owner)
    response = await client.post(
        "/compat/prompt-to-json/api/v1/generate",
        json={"prompt": "a desk"},
        headers={"X-API-Key": key, **colleague.jwt_headers},
    )
    assert response.status_code == 403, response.text
    path, body = "/compat/prompt-to-json/api/v1/generate", {"prompt": "a desk"}
    mine = await client.post(path, json=body, headers={"X-API-Key": key, **owner.jwt_headers})
    assert mine.status_code == 200, mine.text
