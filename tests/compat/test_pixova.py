"""Pixova's documented Python example against Atelier (plus an API key, its only change)."""

from __future__ import annotations

import io

import httpx
import pytest
import requests
from fastapi import FastAPI
from PIL import Image, ImageChops, ImageStat

from atelier.compat.pixova.routes import ROUTE
from tests.helpers.engines import SlowEngine
from tests.helpers.live import LiveServer
from tests.helpers.signed_urls import tamper

BASE = "/compat/pixova"
#: Mean absolute difference per channel (0-255) two variations must at least show: a
#: re-encode or a few moved pixels stay far below it; a different layout or palette does not.
VISIBLE = 8.0


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
    app.state.runtime.router.register(UnhealthyEngine("broken-logos"), models=[ROUTE])
    response = await client.get(f"{BASE}/health")
    body = response.json()
    assert body["services"]["database"]["status"] == "healthy"
    assert body["services"]["logo_generator"]["status"] == "unhealthy"
    assert response.status_code == 503 and body["status"] == "unhealthy"


def _pixels(data: bytes) -> Image.Image:
    return Image.open(io.BytesIO(data)).convert("RGB")


def mean_abs_difference(a: Image.Image, b: Image.Image) -> float:
    """Mean absolute difference per channel, 0-255, over every pixel."""
    return sum(ImageStat.Stat(ImageChops.difference(a, b)).mean) / 3


def _generate(server: LiveServer, key: str, **fields: object) -> dict[str, object]:
    response = httpx.post(
        f"{server.url}{BASE}/api/generate",
        headers={"X-API-Key": key},
        json={"user_id": "u", **fields},
        timeout=120,
    )
    assert response.status_code == 200, response.text
    body: dict[str, object] = response.json()
    return body


def test_variations_are_visibly_different(live_server: LiveServer) -> None:
    body = _generate(live_server, api_key(live_server), prompt="elegant coffee shop logo", num_variations=3)
    images = [_pixels(httpx.get(v["image_url"]).content) for v in body["variations"]]  # type: ignore[attr-defined]
    differences = [mean_abs_difference(a, b) for i, a in enumerate(images) for b in images[i + 1 :]]
    assert len(differences) == 3 and min(differences) >= VISIBLE


@pytest.mark.parametrize(
    ("design_type", "size"), [("social", (1024, 1024)), ("flyer", (768, 1024)), ("banner", (1024, 341))]
)
def test_social_flyer_and_banner(live_server: LiveServer, design_type: str, size: tuple[int, int]) -> None:
    prompt = f"{design_type} for 'Harbor Lights' summer festival"
    body = _generate(live_server, api_key(live_server), prompt=prompt, design_type=design_type, num_variations=2)
    assert body["design_type"] == design_type and body["num_generated"] == 2
    variations = body["variations"]
    images = []
    for variation in variations:  # type: ignore[attr-defined]
        assert (variation["width"], variation["height"]) == size
        image = _pixels(httpx.get(variation["image_url"]).content)
        assert image.size == size
        colors = image.getcolors(maxcolors=1 << 20) or []
        assert len(colors) > 8  # a design, not a flat fill
        images.append(image)
    assert mean_abs_difference(*images) >= VISIBLE
