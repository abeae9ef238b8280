from __future__ import annotations

import asyncio
import base64
import io
import json

import httpx
from fastapi import FastAPI
from PIL import Image

from atelier.engines.config import RetryConfig
from atelier.images.metadata import read as read_metadata
from tests.helpers.accounts import create_key, register
from tests.helpers.engines import SlowEngine
from tests.helpers.signed_urls import key_of, tamper


async def key_headers(client: httpx.AsyncClient) -> dict[str, str]:
    account = await register(client)
    return {"X-API-Key": await create_key(client, account)}


async def test_sync_generation_with_prefer_wait(client: httpx.AsyncClient) -> None:
    headers = await key_headers(client)
    body = {"prompt": "modern logo for 'Nimbus' cloud startup", "n": 2, "size": "512x512", "format": "webp"}
    response = await client.post("/v1/generations", json=body, headers={**headers, "Prefer": "wait=60"})
    assert response.status_code == 200, response.text
    job = response.json()
    assert job["status"] == "succeeded" and job["engine"] == "atelier-design" and len(job["assets"]) == 2
    assert job["attempts"][0]["status"] == "succeeded"
    for asset in job["assets"]:
        image = await client.get(asset["url"])
        assert image.status_code == 200 and image.headers["content-type"] == "image/webp"
        decoded = Image.open(io.BytesIO(image.content))
        assert decoded.size == (512, 512) and decoded.format == "WEBP"
        meta = read_metadata(image.content)
        assert meta is not None and meta["job_id"] == job["id"] and meta["prompt"].startswith("modern logo")


async def test_async_generation_then_poll_and_gallery(client: httpx.AsyncClient) -> None:
    headers = await key_headers(client)
    created = await client.post("/v1/generations", json={"prompt": "poster for 'Tide' surf shop"}, headers=headers)
    assert created.status_code == 202 and created.json()["status"] in {"queued", "processing", "succeeded"}
    job_id = created.json()["id"]
    for _ in range(200):
        job = (await client.get(f"/v1/generations/{job_id}", headers=headers)).json()
        if job["status"] == "succeeded":
            break
        await asyncio.sleep(0.05)
    assert job["status"] == "succeeded"
    gallery = (await client.get("/v1/assets", headers=headers)).json()
    assert gallery["total"] == 1 and gallery["data"][0]["job_id"] == job_id
    asset_id = gallery["data"][0]["id"]
    detail = (await client.get(f"/v1/assets/{asset_id}", headers=headers)).json()
    assert detail["spec"]["design_type"] == "poster"
    patched = (await client.patch(f"/v1/assets/{asset_id}", json={"favorite": True}, headers=headers)).json()
    assert patched["favorite"] is True
    assert (await client.get("/v1/assets", params={"favorite": "false"}, headers=headers)).json()["total"] == 0
    assert (await client.delete(f"/v1/assets/{asset_id}", headers=headers)).status_code == 204
    assert (await client.get(f"/v1/assets/{asset_id}", headers=headers)).status_code == 404


async def test_signed_urls_refused_when_tampered_or_expired(client: httpx.AsyncClient, app: FastAPI) -> None:
    headers = await key_headers(client)
    job = (
        await client.post(
            "/v1/generations", json={"prompt": "icon", "size": "256x256"}, headers={**headers, "Prefer": "wait=60"}
        )
    ).json()
    url = job["assets"][0]["url"]
    assert (await client.get(url)).status_code == 200
    # Whoever serves the URL (Atelier's /files/ or the S3 store) judges it and says why.
    tampered = await client.get(tamper(url))
    assert tampered.status_code == 403 and "signature" in tampered.text.lower()
    storage = app.state.runtime.storage
    expired = await storage.signed_url(key_of(url, storage), expires_in=-10)
    refused = await client.get(expired)
    assert refused.status_code == 403 and "expired" in refused.text


async def test_bad_input_is_a_named_4xx(client: httpx.AsyncClient) -> None:
    headers = await key_headers(client)
    cases = [
        ({"prompt": "x", "n": 11}, "n"),
        ({"prompt": "x", "size": "1024by1024"}, "size"),
        ({"prompt": "x", "size": "4096x4096"}, "size"),
        ({"prompt": ""}, "prompt"),
        ({"prompt": "x" * 4001}, "prompt"),
        ({"prompt": "x", "format": "gif"}, "format"),
        ({"prompt": "x", "model": "no-such-model"}, "model"),
        ({"prompt": "x", "references": ["data:image/png;base64,aGVsbG8="]}, "not a decodable image"),
        ({"prompt": "x", "references": ["http://127.0.0.1/a.png"]}, "non-public"),
        ({"prompt": "x", "constraints": {"palette_hex": ["red"]}}, "palette_hex"),
    ]
    for body, needle in cases:
        response = await client.post("/v1/generations", json=body, headers=headers)
        assert 400 <= response.status_code < 500, (body, response.text)
        assert needle in response.text, (body, response.text)
    assert (await client.get("/v1/assets", headers=headers)).json()["total"] == 0


async def test_engine_failure_fails_the_job_and_leaves_no_asset(client: httpx.AsyncClient, app: FastAPI) -> None:
    router = app.state.runtime.router
    router.register(SlowEngine("broken", fail="permanent"), models=["broken-model"])
    headers = await key_headers(client)
    job = (
        await client.post(
            "/v1/generations", json={"prompt": "x", "model": "broken-model"}, headers={**headers, "Prefer": "wait=30"}
        )
    ).json()
    assert job["status"] == "failed" and "bad request upstream" in job["error"]["message"]
    assert job["assets"] == [] and (await client.get("/v1/assets", headers=headers)).json()["total"] == 0


async def test_fallback_to_next_deployment_on_retriable_failure(client: httpx.AsyncClient, app: FastAPI) -> None:
    router = app.state.runtime.router
    router.retry = RetryConfig(max_attempts=1)
    router.routes["chain"] = [
        router.register(SlowEngine("primary", fail="retriable")),
        router.register(SlowEngine("secondary")),
    ]
    headers = await key_headers(client)
    job = (
        await client.post(
            "/v1/generations", json={"prompt": "x", "model": "chain", "n": 2}, headers={**headers, "Prefer": "wait=30"}
        )
    ).json()
    assert job["status"] == "succeeded" and job["engine"] == "secondary"
    assert [a["status"] for a in job["attempts"]] == ["failed", "succeeded"]
    assert job["cost_usd"] == "0.100000"


async def test_cancel_queued_and_running(client: httpx.AsyncClient, app: FastAPI) -> None:
    router = app.state.runtime.router
    router.register(SlowEngine("slow", steps=400, delay=0.02), models=["slow"])
    headers = await key_headers(client)
    job_id = (await client.post("/v1/generations", json={"prompt": "x", "model": "slow"}, headers=headers)).json()["id"]
    for _ in range(200):
        if (await client.get(f"/v1/generations/{job_id}", headers=headers)).json()["status"] == "processing":
            break
        await asyncio.sleep(0.02)
    assert (await client.post(f"/v1/generations/{job_id}/cancel", headers=headers)).status_code == 200
    for _ in range(300):
        job = (await client.get(f"/v1/generations/{job_id}", headers=headers)).json()
        if job["status"] == "canceled":
            break
        await asyncio.sleep(0.02)
    assert job["status"] == "canceled" and job["assets"] == []


async def test_sse_stream_reports_progress_and_completion(client: httpx.AsyncClient, app: FastAPI) -> None:
    app.state.runtime.router.register(SlowEngine("stepper", steps=6, delay=0.15), models=["stepper"])
    headers = await key_headers(client)
    job_id = (await client.post("/v1/generations", json={"prompt": "x", "model": "stepper"}, headers=headers)).json()[
        "id"
    ]
    events = []
    async with client.stream("GET", f"/v1/generations/{job_id}/events", headers=headers) as stream:
        async for line in stream.aiter_lines():
            if line.startswith("event: "):
                events.append(line[7:])
            if line.startswith("data: ") and events[-1] == "job.succeeded":
                assert json.loads(line[6:])["assets"]
                break
    assert events[-1] == "job.succeeded" and "job.progress" in events


async def test_models_lists_routes_with_prices(client: httpx.AsyncClient) -> None:
    models = (await client.get("/v1/models")).json()["data"]
    names = {m["id"] for m in models}
    assert {"atelier-design", "gpt-image-1", "fal-ai/flux/dev", "provider-5/flux-fast"} <= names
    design = next(m for m in models if m["id"] == "atelier-design")
    # the design engine also edits around a given image and varies one (issue 12)
    assert design["capabilities"]["tasks"] == ["edit", "generate", "variations"]
    assert design["price_per_image_usd"] == "0"


async def test_b64_of_openai_route_decodes(client: httpx.AsyncClient) -> None:
    headers = await key_headers(client)
    body = {"prompt": "logo for 'Bee'", "n": 1, "size": "256x256", "response_format": "b64_json"}
    data = (await client.post("/v1/images/generations", json=body, headers=headers)).json()["data"]
    assert Image.open(io.BytesIO(base64.b64decode(data[0]["b64_json"]))).size == (256, 256)
