"""50 async jobs, the process running them killed with SIGKILL mid-way and restarted: every
job ends succeeded exactly once, with exactly one asset, and is settled exactly once; the
objects the killed runner stored and never committed are deleted by the orphan reconciler.

On the embedded default (SQLite, in-memory broker) and, when the scale-out services are
configured, on PostgreSQL with the Redis stream broker (and S3 storage with ``ATELIER_TEST_S3``)."""

from __future__ import annotations

import asyncio
import os
import secrets
import signal
import subprocess
import sys
import time
from pathlib import Path

import boto3
import httpx
import pytest
from sqlalchemy import text

from atelier.kit.db import create_engine
from tests.conftest import PG_URL, REDIS_URL, S3_TEST
from tests.helpers.live import free_port
from tests.helpers.s3 import ACCESS_KEY, SECRET_KEY, S3Server

JOBS = 50
ATELIER = [sys.executable, "-m", "atelier.cli"]


def base_env(tmp_path: Path, database_url: str, request: pytest.FixtureRequest) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ATELIER_")}
    env.update(
        {
            "ATELIER_DATA_DIR": str(tmp_path / "crash-data"),
            "ATELIER_DATABASE_URL": database_url,
            "ATELIER_JOBS__LEASE_SECONDS": "3",
            "ATELIER_JOBS__CONCURRENCY": "2",
            "ATELIER_JOBS__POLL_SECONDS": "0.5",
            "ATELIER_LIMITS__ENABLED": "false",
            # no safe age: every runner's own in-flight objects are registered, and the
            # killed one's are orphans at once
            "ATELIER_STORAGE__ORPHAN_AFTER_SECONDS": "0",
            "ATELIER_STORAGE__RECONCILE_SECONDS": "0.5",
        }
    )
    if PG_URL and REDIS_URL:
        env["ATELIER_REDIS_URL"] = REDIS_URL
        env["ATELIER_REDIS_NAMESPACE"] = f"crash-{secrets.token_hex(6)}"
    if S3_TEST:
        server: S3Server = request.getfixturevalue("s3_server")
        for name, value in server.storage_settings().items():
            env[f"ATELIER_STORAGE__{name.upper()}"] = str(value)
    return env


def stored_keys(env: dict[str, str]) -> set[str]:
    """Every object in the processes' storage: the bucket, or the local folder."""
    if env.get("ATELIER_STORAGE__BACKEND") == "s3":
        s3 = boto3.client(
            "s3",
            endpoint_url=env["ATELIER_STORAGE__S3_ENDPOINT_URL"],
            region_name="us-east-1",
            aws_access_key_id=ACCESS_KEY,
            aws_secret_access_key=SECRET_KEY,
        )
        pages = s3.get_paginator("list_objects_v2").paginate(Bucket=env["ATELIER_STORAGE__S3_BUCKET"])
        return {item["Key"] for page in pages for item in page.get("Contents", [])}
    root = Path(env["ATELIER_DATA_DIR"]) / "storage"
    return {
        path.relative_to(root).as_posix()
        for path in root.rglob("*")
        if path.is_file() and not any(part.startswith(".") for part in path.relative_to(root).parts)
    }


def unreferenced(env: dict[str, str], database_url: str) -> set[str]:
    referenced = set(query(database_url, "SELECT storage_key, 1 FROM assets WHERE deleted_at IS NULL"))
    thumbnails = "SELECT thumbnail_key, 1 FROM assets WHERE deleted_at IS NULL AND thumbnail_key IS NOT NULL"
    referenced |= set(query(database_url, thumbnails))
    referenced |= set(query(database_url, 'SELECT "key", 1 FROM storage_fallback'))
    return stored_keys(env) - referenced


def assert_no_orphans_left(env: dict[str, str], database_url: str) -> None:
    """What the killed runner stored and never committed is deleted by a live runner's
    reconciler; every asset's object is still there."""
    deadline = time.monotonic() + 60
    while (left := unreferenced(env, database_url)) and time.monotonic() < deadline:
        time.sleep(0.25)
    assert left == set(), f"{len(left)} unreferenced object(s) left: {sorted(left)[:5]}"
    assets = set(query(database_url, "SELECT storage_key, 1 FROM assets"))
    held = set(query(database_url, 'SELECT "key", 1 FROM storage_fallback'))
    assert len(assets) == JOBS and assets <= stored_keys(env) | held


def spawn(args: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen([*ATELIER, *args], env=env, stdout=subprocess.DEVNULL, stderr=log.open("ab"))


def serve(env: dict[str, str], port: int, log: Path) -> subprocess.Popen[bytes]:
    proc = spawn(["serve", "--port", str(port)], env, log)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/health").status_code == 200:
                return proc
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    proc.kill()
    raise AssertionError("server did not start: " + log.read_text()[-3000:])


def query(database_url: str, sql: str) -> dict[str, int]:
    async def go() -> dict[str, int]:
        engine = create_engine(database_url)
        async with engine.connect() as conn:
            rows = {k: v for k, v in (await conn.execute(text(sql))).all()}
        await engine.dispose()
        return rows

    return asyncio.run(go())


def statuses(database_url: str) -> dict[str, int]:
    return query(database_url, "SELECT status, count(*) FROM jobs GROUP BY status")


def submit_all(url: str) -> tuple[dict[str, str], list[str]]:
    creds = {"email": "crash@example.com", "password": "crash password"}
    httpx.post(f"{url}/v1/auth/register", json=creds)
    token = httpx.post(f"{url}/v1/auth/login", json=creds).json()["access_token"]
    headers = {"Authorization": f"Bearer {token}"}
    ids = []
    with httpx.Client(base_url=url, headers=headers, timeout=30) as client:
        for i in range(JOBS):
            body = {"prompt": f"poster {i} for 'Crash Test' festival", "size": "1024x1024"}
            response = client.post("/v1/generations", json=body)
            assert response.status_code == 202, response.text
            ids.append(response.json()["id"])
    return headers, ids


def wait_for(database_url: str, predicate: str, succeeded: int, seconds: float) -> dict[str, int]:
    deadline = time.monotonic() + seconds
    while True:
        counts = statuses(database_url)
        done = counts.get("succeeded", 0)
        if (done >= succeeded if predicate == "at least" else done == succeeded) or time.monotonic() > deadline:
            return counts
        time.sleep(0.1)


def stream_until_final(url: str, headers: dict[str, str], job_id: str) -> str:
    events = []
    with httpx.stream("GET", f"{url}/v1/generations/{job_id}/events", headers=headers, timeout=240) as stream:
        for line in stream.iter_lines():
            if line.startswith("event: "):
                events.append(line[7:])
                if line[7:] in {"job.succeeded", "job.failed", "job.canceled"}:
                    break
    return events[-1]


def kill(proc: subprocess.Popen[bytes]) -> None:
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)


def assert_went_through_redis(env: dict[str, str]) -> None:
    if "ATELIER_REDIS_URL" not in env:
        return
    import redis

    client = redis.Redis.from_url(env["ATELIER_REDIS_URL"])
    try:
        assert client.xlen(f"{env['ATELIER_REDIS_NAMESPACE']}:jobs") >= JOBS
    finally:
        client.close()


def assert_each_job_done_once(database_url: str, ids: list[str], url: str, headers: dict[str, str]) -> None:
    counts = wait_for(database_url, "exactly", JOBS, 240)
    assert counts == {"succeeded": JOBS}
    per_job = query(database_url, "SELECT job_id, count(*) FROM assets GROUP BY job_id")
    assert set(per_job) == set(ids) and set(per_job.values()) == {1}
    # Settlement (the economy hook's on_finished) ran once per job, never twice.
    usage = query(
        database_url, "SELECT 'jobs', sum(jobs) FROM usage_days UNION ALL SELECT 'images', sum(images) FROM usage_days"
    )
    assert usage == {"jobs": JOBS, "images": JOBS}
    for job_id in ids[:3]:
        job = httpx.get(f"{url}/v1/generations/{job_id}", headers=headers).json()
        assert job["status"] == "succeeded" and len(job["assets"]) == 1


def test_server_killed_mid_way_loses_nothing_and_finishes_nothing_twice(
    tmp_path: Path, database_url: str, request: pytest.FixtureRequest
) -> None:
    env = base_env(tmp_path, database_url, request)
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log = tmp_path / "server.log"
    server = serve(env, port, log)
    try:
        headers, ids = submit_all(url)
        wait_for(database_url, "at least", 3, 120)
        kill(server)
        assert statuses(database_url).get("succeeded", 0) < JOBS, "the kill came too late to test anything"
        server = serve(env, port, log)
        assert_each_job_done_once(database_url, ids, url, headers)
        assert_went_through_redis(env)
        assert_no_orphans_left(env, database_url)
    finally:
        server.kill()
        server.wait(timeout=30)


def test_worker_killed_mid_way_another_worker_finishes_the_rest(
    tmp_path: Path, database_url: str, request: pytest.FixtureRequest
) -> None:
    env = {**base_env(tmp_path, database_url, request), "ATELIER_JOBS__RUN_IN_SERVER": "false"}
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log = tmp_path / "processes.log"
    server = serve(env, port, log)
    worker = spawn(["worker"], env, log)
    try:
        headers, ids = submit_all(url)
        assert wait_for(database_url, "at least", 3, 120).get("succeeded", 0) >= 3, log.read_text()[-3000:]
        kill(worker)
        assert statuses(database_url).get("succeeded", 0) < JOBS, "the kill came too late to test anything"
        worker = spawn(["worker", "--concurrency", "3"], env, log)
        # Live events from a job another process runs: the server streams what the worker does.
        assert stream_until_final(url, headers, ids[-1]) == "job.succeeded"
        assert_each_job_done_once(database_url, ids, url, headers)
        assert_went_through_redis(env)
        assert_no_orphans_left(env, database_url)
    finally:
        for proc in (server, worker):
            proc.kill()
            proc.wait(timeout=30)
