"""Pixova's documented Python example against Atelier (plus an API key, its only change)."""

from __future__ import annotations

import io

import httpx
import requests
from fastapi import FastAPI
from PIL import Image

from atelier.compat.pixova.routes import ROUTE
from tests.helpers.engines import SlowEngine
from tests.helpers.live import LiveServer
from tests.helpers.signed_urls import tamper

BASE = "/compat/pixova"


def api_key(server: LiveServer) -> str:
    with httpx.Client(base_url=server.url) as client:
        creds = {"email": "pixova@example.com", "password": "pixova password"}
        client.post("/v1/auth/register", json=creds)
        token = client.post("/v1/auth/login", json=creds).json()["access_token"]
        key: str = client.post("/v1/keys", json={"name": "px"}, headers={"Authorization": f"Bearer {token}"}).json()[
            "key"
        ]
        return key


def test_documented_example_returns_three_different_variations(live_server: LiveServer) -> None:
    key = api_key(live_server)
    response = requests.post(
        f"{live_server.url}{BASE}/api/generate",
        headers={"X-API-Key": key},
        json={
            "user_id": "test",
            "prompt": "elegant coffee shop logo",
            "design_type": "logo",
            "style": "elegant",
            "quality": "high",
            "num_variations": 3,
        },
    )
    assert response.status_code == 200, response.text
    assert response.headers["x-request-id"] and response.headers["x-ratelimit-limit"] == "100"
    body = response.json()
    assert body["success"] and body["num_generated"] == 3 and len(body["variations"]) == 3
    images = []
    for number, variation in enumerate(body["variations"], start=1):
        assert variation["variation_number"] == number and variation["success"]
        assert variation["model_used"] == "atelier-design"
        data = httpx.get(variation["image_url"]).content
        image = Image.open(io.BytesIO(data))
        assert image.size == (1536, 1536)
        images.append(data)
    assert len(set(images)) == 3

    download = httpx.get(f"{live_server.url}{BASE}/api/download", params={"url": body["variations"][0]["image_url"]})
    assert download.status_code == 200 and download.content == images[0]
    assert download.headers["access-control-allow-origin"] == "*"


def test_types_quality_and_refusals(live_server: LiveServer) -> None:
    key = api_key(live_server)
    url = f"{live_server.url}{BASE}"
    banner = httpx.post(
        f"{url}/api/generate",
        headers={"X-API-Key": key},
        timeout=60,
        json={
            "user_id": "u",
            "prompt": "banner for 'Hart & Vale' law firm",
            "design_type": "banner",
            "quality": "ultra",
        },
    )
    variation = banner.json()["variations"][0]
    assert (variation["width"], variation["height"]) == (2048, 682)
    bad = httpx.post(
        f"{url}/api/generate",
        headers={"X-API-Key": key},
        json={"user_id": "u", "prompt": "x", "style": "grunge", "num_variations": 9},
    )
    assert bad.status_code == 422 and bad.json()["success"] is False
    assert bad.json()["error"]["code"] == "VALIDATION_ERROR" and bad.json()["request_id"]
    proxy = httpx.get(f"{url}/api/download", params={"url": "http://169.254.169.254/latest/meta-data"})
    assert proxy.status_code == 422 and "allow-listed" in proxy.json()["error"]["message"]
    forged = tamper(variation["image_url"])
    assert httpx.get(f"{url}/api/download", params={"url": forged}).status_code == 403
    health = httpx.get(f"{url}/health").json()
    assert health["services"]["logo_generator"]["status"] == "healthy"


class UnhealthyEngine(SlowEngine):
    async def health(self) -> str:
        return "unhealthy"


async def test_logo_generator_health_is_the_engines_not_the_databases(client: httpx.AsyncClient, app: FastAPI) -> None:
    healthy = (await client.get(f"{BASE}/health")).json()
    assert healthy["services"]["logo_generator"]["status"] == "healthy"
    app.state.runtime.services["router"].register(UnhealthyEngine("broken-logos"), models=[ROUTE])
    response = await client.get(f"{BASE}/health")
    body = response.json()
    assert body["services"]["database"]["status"] == "healthy"
    assert body["services"]["logo_generator"]["status"] == "unhealthy"
    assert response.status_code == 503 and body["status"] == "unhealthy"
