"""The orphan reconciler deletes only what nothing references and what is older than the safe
age: an asset's object, a queued job's input, an object this process is still writing and a
young orphan all stay. On the local folder, and on S3 when ``ATELIER_TEST_S3`` is set."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
from fastapi import FastAPI

from atelier.jobs.orphans import Reconciler
from tests.helpers.accounts import create_key, register

LATER = timedelta(hours=2)  # past the default safe age of an hour


async def listed(storage: object) -> set[str]:
    return {item.key async for item in storage.list_objects()}  # type: ignore[attr-defined]


async def test_only_old_unreferenced_objects_are_deleted(app: FastAPI, client: httpx.AsyncClient) -> None:
    runtime = app.state.runtime
    storage = runtime.storage
    reconciler: Reconciler = runtime.services.storage_orphans
    assert reconciler.running and reconciler.orphan_after == timedelta(hours=1)
    headers = {"X-API-Key": await create_key(client, await register(client))}
    job = (
        await client.post(
            "/v1/generations",
            json={"prompt": "one mark", "n": 1, "size": "64x64"},
            headers={**headers, "Prefer": "wait=60"},
        )
    ).json()
    assert job["status"] == "succeeded", job
    project = job["project_id"]
    asset_key = f"{project}/renders/{job['assets'][0]['id']}.png"
    input_key = f"{project}/inputs/{job['id']}-0"  # a job's input lives as long as its job
    thumb_key = f"{project}/thumbs/{job['assets'][0]['id']}.webp"  # made when the image was stored
    orphan = f"{project}/renders/ast_never_committed.png"
    orphan_thumb = f"{project}/thumbs/ast_never_committed.webp"
    foreign = "someone-else/backup.tar"  # not one of Atelier's keys: a shared bucket's other objects stay
    for key in (input_key, orphan, orphan_thumb, foreign):
        await storage.put(key, b"bytes", "image/png")
    assert {asset_key, thumb_key, input_key, orphan} <= await listed(storage)

    assert await reconciler.run_once() == 0  # too young
    assert await storage.exists(orphan)

    with reconciler.writing() as mark:
        writing = f"{project}/renders/ast_being_written.png"
        mark(writing)
        await storage.put(writing, b"bytes", "image/png")
        assert await reconciler.run_once(now=datetime.now(UTC) + LATER) == 2  # the orphan and its thumbnail
        assert await storage.exists(writing)
    assert not await storage.exists(orphan) and not await storage.exists(orphan_thumb)
    assert await storage.exists(asset_key) and await storage.exists(input_key) and await storage.exists(thumb_key)
    assert (await client.get(job["assets"][0]["url"])).status_code == 200

    assert await reconciler.run_once(now=datetime.now(UTC) + LATER) == 1  # written, never committed
    assert not await storage.exists(writing)
    assert {asset_key, thumb_key, input_key, foreign} <= await listed(storage)
