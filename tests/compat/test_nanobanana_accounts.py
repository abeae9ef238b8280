"""NanoBanana's documented account, key and health routes, as its README uses them."""

from __future__ import annotations

import httpx

from tests.helpers.accounts import register

BASE = "/compat/nanobanana"


async def test_register_login_keys_and_revoke(client: httpx.AsyncClient) -> None:
    creds = {"email": "banana@example.com", "password": "long password"}
    registered = await client.post(f"{BASE}/v1/auth/register", json=creds)
    assert registered.status_code == 201
    # Registering signs in, as the real product's dashboard expects; login does too.
    assert registered.json()["user"]["email"] == creds["email"] and registered.json()["access_token"]
    token = (await client.post(f"{BASE}/v1/auth/login", json=creds)).json()["access_token"]
    auth = {"Authorization": f"Bearer {token}"}

    created = await client.post(f"{BASE}/v1/keys", json={"name": "prod"}, headers=auth)
    assert created.status_code == 201
    key = created.json()["key"]
    assert key.startswith("nb_")
    listed = (await client.get(f"{BASE}/v1/keys", headers=auth)).json()["keys"]
    assert listed[0]["prefix"].startswith("nb_") and listed[0]["prefix"].endswith("...")
    assert "key" not in listed[0] and key not in str(listed)
    # The key authenticates like any Atelier key, as a Bearer token.
    assert (await client.get(f"{BASE}/v1/keys", headers={"Authorization": f"Bearer {key}"})).status_code == 200

    assert (await client.delete(f"{BASE}/v1/keys/{listed[0]['id']}", headers=auth)).status_code == 204
    refused = await client.get(f"{BASE}/v1/keys", headers={"Authorization": f"Bearer {key}"})
    assert refused.status_code == 401 and refused.json() == {"detail": "API key has been revoked"}


async def test_errors_use_the_detail_shape(client: httpx.AsyncClient) -> None:
    bad = await client.post(f"{BASE}/v1/auth/register", json={"email": "not-an-email", "password": "x"})
    assert bad.status_code == 400 and set(bad.json()) == {"detail"}
    wrong = await client.post(f"{BASE}/v1/auth/login", json={"email": "a@example.com", "password": "whatever1"})
    assert wrong.status_code == 401 and wrong.json() == {"detail": "Incorrect email or password"}


async def test_health_shapes_of_every_contract(client: httpx.AsyncClient) -> None:
    assert (await client.get(f"{BASE}/health")).json() == {"status": "healthy"}
    dreamy = (await client.get("/compat/dreamy-studio/health")).json()
    assert dreamy["status"] == "ok" and dreamy["message"] == "Dreamy API is running" and dreamy["timestamp"]
    pixova = (await client.get("/compat/pixova/health")).json()
    assert pixova["status"] == "healthy" and "logo_generator" in pixova["services"]
    assert isinstance(pixova["uptime_seconds"], int) and pixova["version"]
    nd = (await client.get("/compat/nanodesigner/monitoring/health")).json()
    assert nd["services"]["database"]["status"] == "healthy"
    admin = await register(client)
    metrics = await client.get(
        "/compat/nanodesigner/monitoring/metrics", params={"hours": 30}, headers=admin.jwt_headers
    )
    assert metrics.status_code == 422
    assert metrics.json()["error_code"] == "VALIDATION_ERROR" and metrics.json()["trace_id"]
