"""NanoBanana's README client code, run against Atelier with only the URL and key changed."""

from __future__ import annotations

import base64
import io
import time
from collections.abc import Iterator

import httpx
import pytest
import requests
from PIL import Image

from atelier.app import create_app
from atelier.settings import Settings, StorageSettings
from tests.helpers.live import LiveServer
from tests.helpers.s3 import S3Server

BASE = "/compat/nanobanana"


def nb_key(server: LiveServer) -> str:
    with httpx.Client(base_url=server.url + BASE) as client:
        creds = {"email": "nb@example.com", "password": "nb password"}
        client.post("/v1/auth/register", json=creds)
        token = client.post("/v1/auth/login", json=creds).json()["access_token"]
        key: str = client.post("/v1/keys", json={"name": "nb"}, headers={"Authorization": f"Bearer {token}"}).json()[
            "key"
        ]
        return key


def generate_with_retry(base: str, api_key: str, prompt: str, max_retries: int = 3) -> dict[str, object]:
    # The README's retry example, with its URL replaced by Atelier's.
    for attempt in range(max_retries):
        response = requests.post(
            f"{base}/v1/generate", headers={"Authorization": f"Bearer {api_key}"}, json={"prompt": prompt}
        )
        if response.status_code == 429:
            time.sleep((2**attempt) * 1)
            continue
        if response.status_code == 502:
            time.sleep((2**attempt) * 2)
            continue
        if response.status_code >= 400:
            response.raise_for_status()
        result: dict[str, object] = response.json()
        return result
    raise Exception("Max retries exceeded")


def test_readme_client_gets_a_real_image(live_server: LiveServer) -> None:
    key = nb_key(live_server)
    assert key.startswith("nb_")
    result = generate_with_retry(live_server.url + BASE, key, "A cute banana wearing sunglasses")
    assert set(result) == {"id", "url", "prompt", "created_at"}
    assert str(result["id"]).startswith("gen_") and result["prompt"] == "A cute banana wearing sunglasses"
    image = Image.open(io.BytesIO(httpx.get(str(result["url"])).content))
    assert image.size == (1024, 1024)


def test_sizes_styles_errors_usage_and_pricing(live_server: LiveServer) -> None:
    key = nb_key(live_server)
    auth = {"Authorization": f"Bearer {key}"}
    url = live_server.url + BASE
    wide = httpx.post(
        f"{url}/v1/generate",
        json={"prompt": "banana", "size": "1408x768", "style": "artistic"},
        headers=auth,
        timeout=60,
    ).json()
    assert Image.open(io.BytesIO(httpx.get(wide["url"]).content)).size == (1408, 768)
    bad = httpx.post(f"{url}/v1/generate", json={"prompt": "banana", "size": "100x100"}, headers=auth)
    assert bad.status_code == 400 and set(bad.json()) == {"detail"} and "size" in bad.json()["detail"]
    assert httpx.post(f"{url}/v1/generate", json={"prompt": "banana"}).status_code == 401
    usage = httpx.get(f"{url}/v1/usage", headers=auth).json()
    assert usage[0]["images"] == 1 and usage[0]["key_prefix"].startswith("nb_")
    tiers = {t["tier"]: t for t in httpx.get(f"{url}/v1/pricing").json()}
    assert tiers["Free"]["images_per_month"] == 50 and tiers["Pro"]["rate_limit_per_hour"] == 500
    assert tiers["Pay-as-you-go"]["price"] == "$0.02/image"


@pytest.fixture
def s3_refusing() -> Iterator[S3Server]:
    with S3Server(allowed_puts=0) as server:
        yield server


def test_readme_client_gets_the_base64_fallback_while_storage_refuses(
    settings: Settings, s3_refusing: S3Server
) -> None:
    storage = StorageSettings(**s3_refusing.storage_settings(fallback_drain_seconds=0.05))
    server = LiveServer(create_app(settings.model_copy(update={"storage": storage})))
    server.start()
    try:
        key = nb_key(server)
        held = generate_with_retry(server.url + BASE, key, "A banana while R2 is down")
        url = str(held["url"])
        assert url.startswith("data:image/png;base64,"), url[:80]
        assert Image.open(io.BytesIO(base64.b64decode(url.split(",", 1)[1]))).size == (1024, 1024)

        assert s3_refusing.put_faults is not None
        s3_refusing.put_faults.allowed = None  # storage recovers; the drain empties the database
        for _ in range(600):
            if httpx.get(f"{server.url}/monitoring/health").json()["services"]["storage"]["held_objects"] == 0:
                break
            time.sleep(0.05)
        else:
            pytest.fail("the storage fallback was never drained")
        stored = generate_with_retry(server.url + BASE, key, "A banana once R2 is back")
        assert str(stored["url"]).startswith(f"{s3_refusing.endpoint}/{storage.s3_bucket}/"), stored["url"]
        assert Image.open(io.BytesIO(httpx.get(str(stored["url"])).content)).size == (1024, 1024)
    finally:
        server.stop()
