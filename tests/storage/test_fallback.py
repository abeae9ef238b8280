"""The durable storage fallback: while S3 refuses uploads, jobs still succeed with their
images held in the database and served by Atelier's /files route; once S3 takes uploads
again the drain moves every object into the bucket exactly once."""

from __future__ import annotations

import asyncio
import base64
import io
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

import boto3
import httpx
import pytest
from fastapi import FastAPI
from PIL import Image

from atelier.app import create_app
from atelier.kit.db import create_engine
from atelier.kit.errors import StorageError
from atelier.settings import Settings, StorageSettings
from atelier.storage.drain import Drain
from atelier.storage.fallback import FallbackStorage
from atelier.storage.files import FilesUrls
from atelier.storage.held import HeldObjects
from atelier.storage.s3 import S3Storage
from tests.helpers.accounts import create_key, register
from tests.helpers.engines import SlowEngine
from tests.helpers.s3 import ACCESS_KEY, SECRET_KEY, FailPutsAfter, S3Server

PNG_PREFIX = "data:image/png;base64,"


@pytest.fixture
def s3_refusing() -> Iterator[S3Server]:
    with S3Server(allowed_puts=0) as server:
        yield server


def faults(server: S3Server) -> FailPutsAfter:
    assert server.put_faults is not None
    return server.put_faults


def bucket_keys(server: S3Server, bucket: str) -> list[str]:
    s3 = boto3.client(
        "s3",
        endpoint_url=server.endpoint,
        region_name="us-east-1",
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
    )
    listing = s3.list_objects_v2(Bucket=bucket)
    return sorted(item["Key"] for item in listing.get("Contents", []))


@asynccontextmanager
async def started(settings: Settings, storage: StorageSettings) -> AsyncIterator[FastAPI]:
    app = create_app(settings.model_copy(update={"storage": storage}))
    async with app.router.lifespan_context(app):
        yield app


async def wait_until_drained(storage: FallbackStorage) -> None:
    for _ in range(600):  # bounded: the drain runs every 0.05 s here
        if (await storage.held.stats())[0] == 0:
            return
        await asyncio.sleep(0.05)
    pytest.fail(f"the drain left {(await storage.held.stats())[0]} object(s) held")


async def storage_health(client: httpx.AsyncClient) -> dict[str, Any]:
    report: dict[str, Any] = (await client.get("/monitoring/health")).json()["services"]["storage"]
    return report


async def test_jobs_succeed_while_s3_refuses_and_the_drain_moves_everything(
    settings: Settings, s3_refusing: S3Server
) -> None:
    storage_settings = StorageSettings(**s3_refusing.storage_settings(fallback_drain_seconds=0.05))
    bucket = storage_settings.s3_bucket
    async with started(settings, storage_settings) as app:
        runtime = app.state.runtime
        storage: FallbackStorage = runtime.storage
        runtime.router.register(SlowEngine("three", steps=1, price="0.05"), models=["three"])
        transport = httpx.ASGITransport(app=app)
        async with (
            httpx.AsyncClient(transport=transport, base_url="http://testserver") as client,
            httpx.AsyncClient() as outside,
        ):
            account = await register(client)
            key = await create_key(client, account)
            response = await client.post(
                "/v1/generations",
                json={"prompt": "three marks", "model": "three", "n": 3, "size": "64x64"},
                headers={"X-API-Key": key, "Prefer": "wait=60"},
            )
            job = response.json()
            assert response.status_code == 200 and job["status"] == "succeeded", job
            assert len(job["assets"]) == 3
            assert any("held in" in note and "database" in note for note in job["notes"]), job["notes"]
            served: dict[str, bytes] = {}
            for asset in job["assets"]:
                assert asset["url"].startswith("http://testserver/files/"), asset["url"]
                got = await client.get(asset["url"])
                assert got.status_code == 200 and got.headers["content-type"] == "image/png"
                assert Image.open(io.BytesIO(got.content)).size == (64, 64)
                served[asset["id"]] = got.content

            banana = await client.post(
                "/compat/nanobanana/v1/generate",
                json={"prompt": "a banana"},
                headers={"Authorization": f"Bearer {key}"},
            )
            assert banana.status_code == 200, banana.text
            url = banana.json()["url"]
            assert url.startswith(PNG_PREFIX), url[:80]
            assert Image.open(io.BytesIO(base64.b64decode(url[len(PNG_PREFIX) :]))).size == (1024, 1024)

            health = await storage_health(client)
            # four images and the gallery thumbnail made for each: every object is held, none lost
            assert health["status"] == "degraded" and health["held_objects"] == 8, health
            assert (await client.get("/monitoring/health")).json()["status"] != "healthy"
            assert bucket_keys(s3_refusing, bucket) == []
            assert faults(s3_refusing).taken == []  # refused, not half-taken

            faults(s3_refusing).allowed = None  # S3 takes uploads again
            await wait_until_drained(storage)
            asset_keys = [f"{job['project_id']}/renders/{a['id']}.png" for a in job["assets"]]
            thumbs = [f"{job['project_id']}/thumbs/{a['id']}.webp" for a in job["assets"]]
            in_bucket = bucket_keys(s3_refusing, bucket)
            assert set(asset_keys + thumbs) < set(in_bucket) and len(in_bucket) == 8, in_bucket
            assert sorted(faults(s3_refusing).taken) == sorted(f"/{bucket}/{k}" for k in in_bucket)  # once each
            assert await storage.held.stats() == (0, 0)

            again = (await client.get(f"/v1/generations/{job['id']}", headers={"X-API-Key": key})).json()
            for asset in again["assets"]:
                assert asset["url"].startswith(f"{s3_refusing.endpoint}/{bucket}/"), asset["url"]
                from_s3 = await outside.get(asset["url"])
                assert from_s3.status_code == 200 and from_s3.content == served[asset["id"]]
            for asset in job["assets"]:  # the /files URLs handed out earlier still serve
                assert (await client.get(asset["url"])).content == served[asset["id"]]
            health = await storage_health(client)
            assert health["status"] == "healthy" and health["held_objects"] == 0, health
        drain = runtime.services.storage_drain
        assert drain.running
    assert not drain.running  # stopped with the app


async def test_the_bound_and_deletes(settings: Settings, s3_refusing: S3Server) -> None:
    # no drain round during the test: its claim would hold the write lock the delete needs
    storage_settings = StorageSettings(
        **s3_refusing.storage_settings(fallback_max_bytes=150, fallback_drain_seconds=3600)
    )
    async with started(settings, storage_settings) as app:
        storage: FallbackStorage = app.state.runtime.storage
        await storage.put("p/renders/a.png", b"a" * 100, "image/png")
        assert await storage.holds("p/renders/a.png") and await storage.exists("p/renders/a.png")
        with pytest.raises(StorageError):  # over the bound: the put fails as it would without fallback
            await storage.put("p/renders/b.png", b"b" * 100, "image/png")
        assert not await storage.exists("p/renders/b.png")
        await storage.put("p/renders/a.png", b"c" * 120, "image/png")  # replacing counts once
        assert await storage.get("p/renders/a.png") == b"c" * 120
        await storage.delete("p/renders/a.png")
        assert not await storage.exists("p/renders/a.png")
        assert await storage.held.stats() == (0, 0)


async def test_two_drains_at_once_move_each_object_exactly_once(
    settings: Settings, s3_refusing: S3Server, database_url: str
) -> None:
    storage_settings = StorageSettings(**s3_refusing.storage_settings(fallback_drain_seconds=3600))
    bucket = storage_settings.s3_bucket
    async with started(settings, storage_settings) as app:
        storage: FallbackStorage = app.state.runtime.storage
        keys = [f"p/renders/{i}.png" for i in range(8)]
        for i, key in enumerate(keys):
            await storage.put(key, bytes([i]) * 1000, "image/png")
        assert (await storage.held.stats())[0] == 8
        # Another process: its own engine and S3 client over the same database and bucket.
        other_engine = create_engine(database_url)
        other_held = HeldObjects.for_database(database_url, other_engine)
        other = FallbackStorage(
            S3Storage(storage_settings),
            other_held,
            FilesUrls(secret="x", public_url=None, fallback_url="x"),
            max_bytes=1,
        )
        try:
            faults(s3_refusing).allowed = None
            moved = await asyncio.gather(
                Drain(storage, interval=3600).run_once(), Drain(other, interval=3600).run_once()
            )
        finally:
            await other_held.close()
            await other_engine.dispose()
        assert sum(moved) == 8, moved
        assert sorted(faults(s3_refusing).taken) == sorted(f"/{bucket}/{k}" for k in keys)
        assert bucket_keys(s3_refusing, bucket) == sorted(keys)
        assert await storage.held.stats() == (0, 0)
        for i, key in enumerate(keys):
            assert await storage.primary.get(key) == bytes([i]) * 1000


async def test_deleting_an_asset_held_in_the_database(settings: Settings, s3_refusing: S3Server) -> None:
    storage_settings = StorageSettings(**s3_refusing.storage_settings(fallback_drain_seconds=3600))
    async with started(settings, storage_settings) as app:
        storage: FallbackStorage = app.state.runtime.storage
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            headers = {"X-API-Key": await create_key(client, await register(client))}
            job = (
                await client.post(
                    "/v1/generations",
                    json={"prompt": "one mark", "n": 1, "size": "64x64"},
                    headers={**headers, "Prefer": "wait=60"},
                )
            ).json()
            assert job["status"] == "succeeded", job
            asset = job["assets"][0]
            key = f"{job['project_id']}/renders/{asset['id']}.png"
            assert await storage.holds(key)
            deleted = await client.delete(f"/v1/assets/{asset['id']}", headers=headers)
            assert deleted.status_code == 204, deleted.text
            # gone from the table when the DELETE answers: removed after the request's commit,
            # not left to a background retry waiting for the request's own SQLite write lock
            assert await storage.held.stats() == (0, 0)
            assert not storage.held.forgotten
            assert not await storage.exists(key)
            assert (await client.get(asset["url"])).status_code == 404
            assert await storage.held.stats() == (0, 0)


async def test_a_held_object_is_listed_and_never_an_orphan(settings: Settings, s3_refusing: S3Server) -> None:
    storage_settings = StorageSettings(**s3_refusing.storage_settings(fallback_drain_seconds=3600))
    async with started(settings, storage_settings) as app:
        runtime = app.state.runtime
        storage: FallbackStorage = runtime.storage
        await storage.put("p/renders/held.png", b"h" * 10, "image/png")  # refused by S3: held
        assert await storage.holds("p/renders/held.png")
        listed = {item.key: item.modified async for item in storage.list_objects()}
        assert list(listed) == ["p/renders/held.png"]
        assert abs(listed["p/renders/held.png"] - datetime.now(UTC)) < timedelta(minutes=5)
        # no asset references it, and it is old enough: held objects still wait for the drain
        later = datetime.now(UTC) + timedelta(hours=2)
        assert await runtime.services.storage_orphans.run_once(now=later) == 0
        assert await storage.get("p/renders/held.png") == b"h" * 10
