"""Storage failing part-way through a job's outputs, with the database fallback turned off
(``storage.fallback_max_bytes = 0``; tests/storage/test_fallback.py covers it on): the job
ends failed with the storage's reason, owns no assets and leaves no objects behind, and the
organization is not charged."""

from __future__ import annotations

from collections.abc import Iterator

import boto3
import httpx
import pytest

from atelier.app import create_app
from atelier.settings import Settings, StorageSettings
from tests.helpers.accounts import create_key, register
from tests.helpers.engines import SlowEngine
from tests.helpers.s3 import ACCESS_KEY, SECRET_KEY, S3Server


@pytest.fixture
def s3_taking_one_upload() -> Iterator[S3Server]:
    with S3Server(allowed_puts=1) as server:
        yield server


async def test_second_upload_failing_leaves_nothing_half_written(
    settings: Settings, s3_taking_one_upload: S3Server
) -> None:
    storage = StorageSettings(**s3_taking_one_upload.storage_settings(fallback_max_bytes=0))  # no fallback
    app = create_app(settings.model_copy(update={"storage": storage}))
    async with app.router.lifespan_context(app):
        app.state.runtime.router.register(SlowEngine("three", steps=1, price="0.05"), models=["three"])
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            await register(client)  # the first account is the unlimited admin; the member pays
            member = await register(client)
            headers = {"X-API-Key": await create_key(client, member)}
            before = (await client.get("/v1/credits", headers=headers)).json()
            response = await client.post(
                "/v1/generations",
                json={"prompt": "three marks", "model": "three", "n": 3, "size": "64x64"},
                headers={**headers, "Prefer": "wait=60"},
            )
            assert response.status_code == 200, response.text
            job = response.json()
            assert job["status"] == "failed", job
            assert job["error"]["code"] == "STORAGE_ERROR", job["error"]
            assert job["assets"] == []
            assert (await client.get("/v1/assets", headers=headers)).json()["total"] == 0
            after = (await client.get("/v1/credits", headers=headers)).json()
            assert after["remaining"] == before["remaining"]

    s3 = boto3.client(
        "s3",
        endpoint_url=s3_taking_one_upload.endpoint,
        region_name="us-east-1",
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
    )
    faults = s3_taking_one_upload.put_faults
    assert faults is not None and faults.puts > 1  # the first upload landed, later ones were refused
    listing = s3.list_objects_v2(Bucket=storage.s3_bucket)
    assert listing.get("KeyCount", 0) == 0, listing.get("Contents")


async def test_contracts_answer_a_storage_failure_with_503(settings: Settings, s3_taking_one_upload: S3Server) -> None:
    storage = StorageSettings(**s3_taking_one_upload.storage_settings(fallback_max_bytes=0))  # no fallback
    app = create_app(settings.model_copy(update={"storage": storage}))
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            account = await register(client)
            headers = {"Authorization": f"Bearer {await create_key(client, account)}"}
            # the one upload the server takes goes to the first render; every later one fails
            body = {
                "project_id": "p1",
                "prompts": {"task": "create", "instruction": "Create a modern logo design"},
                "outputs": {"count": 2, "dimensions": "256x256", "format": "png"},
            }
            render = await client.post("/compat/nanodesigner/render", json=body, headers=headers)
            assert render.status_code == 503, render.text
            assert render.json()["error_code"] == "STORAGE_ERROR" and "trace_id" in render.json()
            banana = await client.post("/compat/nanobanana/v1/generate", json={"prompt": "a banana"}, headers=headers)
            assert banana.status_code == 503 and set(banana.json()) == {"detail"}, banana.text
            openai = await client.post("/v1/images/generations", json={"prompt": "a banana"}, headers=headers)
            assert openai.status_code == 503, openai.text
            assert openai.json()["error"]["code"] == "storage_error"  # OpenAI's error body
            assert openai.json()["error"]["type"] == "server_error"
            assets = (await client.get("/v1/assets", headers=headers)).json()
            assert assets["total"] == 0
