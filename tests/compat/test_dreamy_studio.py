"""Dreamy Studio's Python SDK example, run against Atelier with only URL and token changed."""

from __future__ import annotations

import io
import time
from typing import Any

import httpx
import pytest
import requests
from PIL import Image

from tests.helpers.live import LiveServer

BASE = "/compat/dreamy-studio"


class DreamyStudioAPI:
    # Copied in shape from the document's Python example.
    def __init__(self, base_url: str, token: str):
        self.base_url = base_url
        self.headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}

    def request(self, endpoint: str, method: str = "GET", data: dict[str, Any] | None = None) -> Any:
        url = f"{self.base_url}{endpoint}"
        if method == "GET":
            response = requests.get(url, headers=self.headers)
        elif method == "POST":
            response = requests.post(url, headers=self.headers, json=data)
        elif method == "PATCH":
            response = requests.patch(url, headers=self.headers, json=data)
        elif method == "DELETE":
            response = requests.delete(url, headers=self.headers)
        response.raise_for_status()
        return response.json()

    def generate_image(self, **params: Any) -> Any:
        return self.request("/api/generate", "POST", params)

    def get_generation_status(self, generation_id: str) -> Any:
        return self.request(f"/api/generate/{generation_id}")

    def get_images(self, page: int = 1, limit: int = 20) -> Any:
        return self.request(f"/api/gallery?page={page}&limit={limit}")

    def get_credits(self) -> Any:
        return self.request("/api/credits")


def token_for(server: LiveServer, email: str) -> str:
    with httpx.Client(base_url=server.url) as client:
        creds = {"email": email, "password": "dreamy password"}
        client.post("/v1/auth/register", json=creds)
        token: str = client.post("/v1/auth/login", json=creds).json()["access_token"]
        return token


def test_sdk_example_end_to_end(live_server: LiveServer) -> None:
    token_for(live_server, "admin@example.com")
    api = DreamyStudioAPI(live_server.url + BASE, token_for(live_server, "dreamer@example.com"))
    result = api.generate_image(
        model="fal-ai/flux/dev", prompt="A beautiful sunset over mountains", image_size="square_hd", num_images=1
    )
    generation = result["generation"]
    assert (
        result["success"] and generation["status"] == "in_queue" and "Use the status endpoint" in generation["message"]
    )
    for _ in range(200):
        status = api.get_generation_status(generation["id"])["generation"]
        if status["status"] == "completed":
            break
        time.sleep(0.05)
    assert status["status"] == "completed" and status["model"] == "fal-ai/flux/dev" and status["queuePosition"] is None
    image = Image.open(io.BytesIO(httpx.get(status["images"][0]["url"]).content))
    assert image.size == (1024, 1024)

    sync = api.generate_image(
        model="fal-ai/flux/schnell",
        prompt="poster for 'Dream' fest",
        image_size="landscape_16_9",
        num_images=2,
        sync_mode=True,
        format="jpeg",
        seed=42,
    )
    assert sync["generation"]["status"] == "completed" and len(sync["generation"]["images"]) == 2
    assert sync["generation"]["images"][0]["width"] == 1820

    gallery = api.get_images()
    assert gallery["pagination"] == {"page": 1, "limit": 20, "total": 3, "totalPages": 1}
    first = gallery["images"][0]
    assert first["isFavorited"] is False and first["prompt"]
    patched = api.request(f"/api/gallery/{first['id']}", "PATCH", {"is_favorited": True})
    assert patched["image"]["is_favorited"] is True
    assert [i["id"] for i in api.request("/api/gallery/favorites/list")["images"]] == [first["id"]]
    assert api.request(f"/api/gallery/{first['id']}")["image"]["generation"]["model"]
    assert api.request(f"/api/gallery/{first['id']}", "DELETE")["message"] == "Image deleted successfully"

    credits = api.get_credits()["credits"]
    assert credits["total"] == 50 and credits["remaining"] == 47 and credits["lastRefill"]


def test_validation_errors_credits_and_webhook(live_server: LiveServer) -> None:
    token_for(live_server, "admin@example.com")
    token = token_for(live_server, "poor@example.com")
    headers = {"Authorization": f"Bearer {token}"}
    url = live_server.url + BASE
    bad = httpx.post(
        f"{url}/api/generate",
        headers=headers,
        json={"model": "fal-ai/flux/dev", "prompt": "x", "num_images": 5, "guidance_scale": 30},
    )
    assert bad.status_code == 400 and bad.json()["success"] is False and bad.json()["error"] == "Validation failed"
    assert "num_images" in bad.json()["details"]
    missing = httpx.post(f"{url}/api/generate", headers=headers, json={"model": "fal-ai/flux/dev"})
    assert missing.status_code == 400 and "prompt" in missing.json()["details"]
    with pytest.raises(requests.HTTPError):
        DreamyStudioAPI(url, "not-a-token").get_credits()
    unverified = httpx.post(f"{url}/api/webhooks/fal/job_x", json={"status": "OK", "payload": {"images": []}})
    assert unverified.status_code == 401 and unverified.json()["success"] is False


def test_generation_class_is_limited_to_10_per_minute(live_server: LiveServer) -> None:
    token_for(live_server, "admin@example.com")
    headers = {"Authorization": f"Bearer {token_for(live_server, 'busy@example.com')}"}
    codes = [
        httpx.post(
            f"{live_server.url}{BASE}/api/generate",
            headers=headers,
            json={"model": "fal-ai/flux/schnell", "prompt": f"p{i}", "num_images": 1},
        ).status_code
        for i in range(11)
    ]
    assert codes[:10] == [200] * 10 and codes[10] == 429
