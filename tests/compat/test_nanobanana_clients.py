"""NanoBanana's shipped dashboard, replayed: the calls its API client makes (base URL
``…/v1``) with the bodies its pages send, and the fields its pages read from each answer.
A change that breaks the dashboard breaks these tests."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import httpx

from atelier.limits.rules import default_rules
from tests.helpers.accounts import register

API = "/compat/nanobanana/v1"


class Dashboard:
    """The dashboard's client: it stores ``access_token`` from register and login and sends
    it on every later call."""

    def __init__(self, client: httpx.AsyncClient) -> None:
        self.client = client
        self.token: str | None = None

    async def call(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        return await self.client.request(method, API + path, headers=headers, **kwargs)

    async def register(self, email: str, password: str) -> dict[str, Any]:
        answer = await self.call("POST", "/auth/register", json={"email": email, "password": password})
        assert answer.status_code == 201, answer.text
        body: dict[str, Any] = answer.json()
        self.token = body["access_token"]
        return body

    async def login(self, email: str, password: str) -> httpx.Response:
        answer = await self.call("POST", "/auth/login", json={"email": email, "password": password})
        if answer.status_code == 200:
            self.token = answer.json()["access_token"]
        return answer


async def generate_with(client: httpx.AsyncClient, key: str, prompt: str) -> None:
    answer = await client.post(f"{API}/generate", json={"prompt": prompt}, headers={"Authorization": f"Bearer {key}"})
    assert answer.status_code == 200, answer.text


async def test_register_signs_the_new_user_in(client: httpx.AsyncClient) -> None:
    await register(client)  # the install's admin, so this one is an ordinary user
    dash = Dashboard(client)
    body = await dash.register("new@example.com", "banana password")
    assert body["token_type"] == "bearer"
    assert body["user"]["email"] == "new@example.com" and body["user"]["id"]
    datetime.fromisoformat(body["user"]["created_at"])
    me = await dash.call("GET", "/auth/me")
    assert me.status_code == 200 and me.json()["id"] == body["user"]["id"]
    assert me.json()["email"] == "new@example.com"
    datetime.fromisoformat(me.json()["created_at"])

    taken = await Dashboard(client).call(
        "POST", "/auth/register", json={"email": "new@example.com", "password": "x" * 8}
    )
    assert taken.status_code == 409 and isinstance(taken.json()["detail"], str)


async def test_api_keys_page(client: httpx.AsyncClient) -> None:
    dash = Dashboard(client)
    await dash.register("keys@example.com", "banana password")
    named = await dash.call("POST", "/keys", json={"name": "prod"})
    assert named.status_code == 201, named.text
    created = named.json()
    assert created["key"].startswith("nb_") and created["name"] == "prod" and created["prefix"]
    datetime.fromisoformat(created["created_at"])
    for body in ({}, {"name": None}):  # the page's "create" without a name
        unnamed = await dash.call("POST", "/keys", json=body)
        assert unnamed.status_code == 201, unnamed.text
        assert unnamed.json()["name"]

    listed = await dash.call("GET", "/keys")
    assert listed.status_code == 200
    keys = listed.json()["keys"]
    assert len(keys) == 3
    for key in keys:
        assert {"id", "name", "prefix", "is_active", "last_used_at", "created_at"} <= set(key)
        assert key["is_active"] is True and "key" not in key
    assert (await dash.call("DELETE", f"/keys/{created['id']}")).status_code == 204
    after = {k["id"]: k["is_active"] for k in (await dash.call("GET", "/keys")).json()["keys"]}
    assert after[created["id"]] is False


async def test_dashboard_and_usage_pages(client: httpx.AsyncClient) -> None:
    dash = Dashboard(client)
    await dash.register("usage@example.com", "banana password")
    empty = (await dash.call("GET", "/usage/summary")).json()
    assert empty == {"total_images": 0, "total_keys": 0, "active_keys": 0, "top_keys": []}

    busy = (await dash.call("POST", "/keys", json={"name": "busy"})).json()
    quiet = (await dash.call("POST", "/keys", json={"name": "quiet"})).json()
    revoked = (await dash.call("POST", "/keys", json={"name": "old"})).json()
    await generate_with(client, busy["key"], "a banana")
    await generate_with(client, busy["key"], "two bananas")
    await generate_with(client, quiet["key"], "a peel")
    assert (await dash.call("DELETE", f"/keys/{revoked['id']}")).status_code == 204

    summary = (await dash.call("GET", "/usage/summary")).json()
    assert summary["total_images"] == 3 and summary["total_keys"] == 3 and summary["active_keys"] == 2
    top = summary["top_keys"]
    assert [(k["key_id"], k["image_count"]) for k in top] == [(busy["id"], 2), (quiet["id"], 1)]
    assert top[0]["key_name"] == "busy" and top[0]["key_prefix"].startswith("nb_")

    today = datetime.now(UTC).date().isoformat()
    daily = await dash.call("GET", "/usage/daily", params={"days": 30})
    assert daily.status_code == 200
    assert daily.json() == {"days": [{"usage_date": today, "image_count": 3}]}
    date.fromisoformat(daily.json()["days"][0]["usage_date"])
    assert (await dash.call("GET", "/usage/daily", params={"days": 0})).status_code == 400

    per_key = await dash.call("GET", f"/usage/key/{busy['id']}")
    assert per_key.status_code == 200
    assert per_key.json() == {
        "key_id": busy["id"],
        "key_name": "busy",
        "key_prefix": top[0]["key_prefix"],
        "total_images": 2,
        "daily_usage": [{"usage_date": today, "image_count": 2}],
    }
    missing = await dash.call("GET", "/usage/key/key_nope")
    assert missing.status_code == 404 and isinstance(missing.json()["detail"], str)


async def test_usage_of_another_accounts_key_is_not_found(client: httpx.AsyncClient) -> None:
    owner = Dashboard(client)
    await owner.register("owner@example.com", "banana password")
    key = (await owner.call("POST", "/keys", json={"name": "mine"})).json()
    other = Dashboard(client)
    await other.register("other@example.com", "banana password")
    assert (await other.call("GET", f"/usage/key/{key['id']}")).status_code == 404


async def test_settings_page_profile_and_password(client: httpx.AsyncClient) -> None:
    dash = Dashboard(client)
    await dash.register("before@example.com", "old password")
    rival = Dashboard(client)
    await rival.register("rival@example.com", "rival password")

    moved = await dash.call("PUT", "/auth/me", json={"email": "after@example.com"})
    assert moved.status_code == 200, moved.text
    assert moved.json()["email"] == "after@example.com"
    assert (await dash.call("GET", "/auth/me")).json()["email"] == "after@example.com"
    taken = await dash.call("PUT", "/auth/me", json={"email": "rival@example.com"})
    assert taken.status_code == 409

    # The page treats a 401 as "current password is incorrect".
    wrong = await dash.call("POST", "/auth/me/password", json={"current_password": "nope", "new_password": "x" * 10})
    assert wrong.status_code == 401 and isinstance(wrong.json()["detail"], str)
    short = await dash.call("POST", "/auth/me/password", json={"current_password": "old password", "new_password": "x"})
    assert short.status_code == 400

    old_token = dash.token
    changed = await dash.call(
        "POST", "/auth/me/password", json={"current_password": "old password", "new_password": "new password"}
    )
    assert changed.status_code in {200, 204}, changed.text
    # Like a native password change, it ends every session issued before it.
    refused = await client.get(f"{API}/auth/me", headers={"Authorization": f"Bearer {old_token}"})
    assert refused.status_code == 401
    assert (await dash.login("after@example.com", "old password")).status_code == 401
    assert (await dash.login("after@example.com", "new password")).status_code == 200
    assert (await dash.call("GET", "/auth/me")).status_code == 200


async def test_scopes_of_the_dashboard_routes(client: httpx.AsyncClient) -> None:
    """A read-only key reads usage and the profile but cannot manage keys or the account."""
    dash = Dashboard(client)
    await dash.register("scopes@example.com", "banana password")
    made = await dash.call("POST", "/keys", json={"name": "ro"})
    key_id = made.json()["id"]
    native = await client.post(
        "/v1/keys", json={"name": "ro", "scopes": ["read"]}, headers={"Authorization": f"Bearer {dash.token}"}
    )
    assert native.status_code == 201, native.text
    read_only = {"Authorization": f"Bearer {native.json()['key']}"}
    for path in ("/usage/summary", "/usage/daily", f"/usage/key/{key_id}", "/auth/me"):
        assert (await client.get(API + path, headers=read_only)).status_code == 200, path
    assert (await client.get(f"{API}/keys", headers=read_only)).status_code == 403
    assert (await client.put(f"{API}/auth/me", json={"email": "x@example.com"}, headers=read_only)).status_code == 403
    password = {"current_password": "banana password", "new_password": "another password"}
    assert (await client.post(f"{API}/auth/me/password", json=password, headers=read_only)).status_code == 403


def test_the_profile_is_limited_per_credential_not_as_a_sign_in() -> None:
    rules = default_rules("1000/minute", "3000/minute", "30/minute", "60/minute")

    def classes(method: str, path: str) -> set[str]:
        return {r.name for r in rules if r.matches(method, API + path)}

    for method, path in (("GET", "/auth/me"), ("PUT", "/auth/me"), ("POST", "/auth/me/password")):
        assert classes(method, path) == {"nanobanana"}, (method, path)
    assert classes("POST", "/auth/login") == {"nanobanana-auth"}
    assert classes("POST", "/auth/register") == {"nanobanana-auth"}
    assert classes("GET", "/usage/summary") == {"nanobanana"}
