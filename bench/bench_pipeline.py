"""The generation pipeline, end to end over real HTTP, each figure beside its baseline.

(b) Synchronous generation through ``POST /v1/images/generations`` with an API key (auth,
    rate limits, admission, job row, dispatch, run, storage, signed URL) against a bare
    FastAPI endpoint that parses the same JSON and returns the same response body, served
    the same way in the same run: latency (sequential) and throughput (concurrent), ratio.
(c) Async jobs per second end to end (``POST /v1/generations`` 202 → every job
    succeeded) on the embedded default (SQLite, in-memory broker) and, when reachable,
    PostgreSQL + the Redis stream broker.

Two engines: ``atelier-design`` at 256² (the real built-in work) and a bench-only engine
returning a pre-encoded image (what the pipeline itself costs). The bench engine is
registered by this script on the running server; no default configuration reaches it.

Usage: ``python bench/bench_pipeline.py [--requests 60] [--jobs 100]``.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import os
import secrets
import socket
import statistics
import tempfile
import threading
import time
from collections.abc import Awaitable, Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import uvicorn
from fastapi import FastAPI
from PIL import Image
from pydantic import BaseModel

from atelier.app import create_app
from atelier.engines.base import (
    CancelToken,
    Capabilities,
    GeneratedImage,
    GenerationRequest,
    GenerationResult,
    ProgressCallback,
    Task,
)
from atelier.settings import Settings

PG_URL = os.environ.get("BENCH_DATABASE_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/test")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")
SIZE = 256
CONCURRENCY = 8


class PrerenderedEngine:
    """Returns the same encoded image every time: the pipeline's cost without rendering."""

    name = "bench-prerendered"

    def __init__(self) -> None:
        out = io.BytesIO()
        Image.new("RGB", (SIZE, SIZE), (30, 90, 200)).save(out, "PNG")
        self.png = out.getvalue()

    def capabilities(self) -> Capabilities:
        return Capabilities(tasks=frozenset({Task.GENERATE}), max_n=10)

    def price_per_image(self, request: GenerationRequest) -> Decimal:
        return Decimal("0")

    async def health(self) -> str:
        return "healthy"

    async def generate(
        self, request: GenerationRequest, progress: ProgressCallback, cancel: CancelToken
    ) -> GenerationResult:
        await progress(1.0, "done")
        image = GeneratedImage(self.png, SIZE, SIZE, request.output_format)
        return GenerationResult(images=[image] * request.n, engine=self.name, model=self.name)


class Served:
    def __init__(self, app: FastAPI) -> None:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.app = app
        config = uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning", access_log=False)
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> Served:
        self.thread.start()
        while not self.server.started:
            time.sleep(0.02)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=30)


def settings_for(data_dir: Path, *, database_url: str | None = None) -> Settings:
    """The embedded default, or PostgreSQL + Redis when ``database_url`` is given."""
    return Settings(
        environment="test",  # type: ignore[arg-type]
        data_dir=data_dir,
        database_url=database_url,
        redis_url=REDIS_URL if database_url else None,
        redis_namespace=f"bench-{secrets.token_hex(4)}",
        auth={"secret_key": secrets.token_urlsafe(48)},  # type: ignore[arg-type]
        limits={"per_key": "1000000/minute", "per_organization": "1000000/minute"},  # type: ignore[arg-type]
        log={"level": "WARNING"},  # type: ignore[arg-type]
        jobs={"concurrency": 4},  # type: ignore[arg-type]
    )


def api_key(url: str) -> str:
    with httpx.Client(base_url=url, timeout=30) as client:
        creds = {"email": f"bench-{secrets.token_hex(3)}@example.com", "password": "bench password"}
        client.post("/v1/auth/register", json=creds).raise_for_status()
        token = client.post("/v1/auth/login", json=creds).json()["access_token"]
        created = client.post("/v1/keys", json={"name": "bench"}, headers={"Authorization": f"Bearer {token}"})
        key: str = created.json()["key"]
        return key


class ImagesBody(BaseModel):
    prompt: str
    model: str = "atelier-design"
    n: int = 1
    size: str | None = None
    response_format: str | None = None


def bare_app(response: dict[str, Any]) -> FastAPI:
    app = FastAPI()

    @app.post("/v1/images/generations")
    async def generations(body: ImagesBody) -> dict[str, Any]:
        return response

    return app


async def timed(calls: int, concurrency: int, call: Callable[[], Awaitable[None]]) -> tuple[list[float], float]:
    latencies: list[float] = []
    queue = iter(range(calls))

    async def worker() -> None:
        for _ in queue:
            started = time.perf_counter()
            await call()
            latencies.append((time.perf_counter() - started) * 1000)

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return latencies, calls / (time.perf_counter() - started)


async def sync_figures(url: str, key: str | None, body: dict[str, Any], requests: int) -> dict[str, float]:
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    async with httpx.AsyncClient(base_url=url, headers=headers, timeout=120) as client:

        async def call() -> None:
            response = await client.post("/v1/images/generations", json=body)
            response.raise_for_status()

        await timed(5, 1, call)  # warm up
        sequential, _ = await timed(requests, 1, call)
        _, throughput = await timed(requests, CONCURRENCY, call)
    ordered = sorted(sequential)
    return {
        "p50": statistics.median(ordered),
        "p95": ordered[int(len(ordered) * 0.95) - 1],
        "rps": throughput,
    }


def bench_sync(requests: int) -> None:
    print(f"\n(b) synchronous POST /v1/images/generations, {SIZE}², response_format=url, {requests} requests")
    print(f"    latency sequential, throughput with {CONCURRENCY} concurrent clients; same run, same server setup")
    columns = ("p50 ms", "p95 ms", "req/s")
    print(
        f"{'engine':<20} {'endpoint':<10} "
        + " ".join(f"{c:>8}" for c in columns)
        + f" {'p50 ratio':>10} {'req/s ratio':>12}"
    )
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app(settings_for(Path(tmp)))
        with Served(app) as atelier:
            app.state.runtime.router.register(PrerenderedEngine(), models=["bench-prerendered"])
            key = api_key(atelier.url)
            for model in ("atelier-design", "bench-prerendered"):
                body = {
                    "prompt": "logo for 'Bench' coffee",
                    "model": model,
                    "size": f"{SIZE}x{SIZE}",
                    "response_format": "url",
                }
                sample = httpx.post(
                    f"{atelier.url}/v1/images/generations",
                    json=body,
                    headers={"Authorization": f"Bearer {key}"},
                    timeout=60,
                ).json()
                ours = asyncio.run(sync_figures(atelier.url, key, body, requests))
                with Served(bare_app(sample)) as bare:
                    base = asyncio.run(sync_figures(bare.url, None, body, requests))
                print(
                    f"{model:<20} {'atelier':<10} {ours['p50']:>8.1f} {ours['p95']:>8.1f} {ours['rps']:>8.1f} "
                    f"{ours['p50'] / base['p50']:>10.1f} {base['rps'] / ours['rps']:>12.1f}"
                )
                print(
                    f"{'':<20} {'bare':<10} {base['p50']:>8.1f} {base['p95']:>8.1f} {base['rps']:>8.1f} "
                    f"{1.0:>10.1f} {1.0:>12.1f}"
                )


async def run_jobs(url: str, key: str, model: str, jobs: int) -> float:
    headers = {"Authorization": f"Bearer {key}"}
    body = {"prompt": "badge for 'Bench' club", "model": model, "size": f"{SIZE}x{SIZE}"}
    async with httpx.AsyncClient(base_url=url, headers=headers, timeout=120) as client:
        started = time.perf_counter()
        ids = []
        for _ in range(jobs):
            response = await client.post("/v1/generations", json=body)
            response.raise_for_status()
            ids.append(response.json()["id"])
        pending = set(ids)
        while pending:
            for job_id in list(pending):
                job = (await client.get(f"/v1/generations/{job_id}")).json()
                if job["status"] == "succeeded":
                    pending.discard(job_id)
                elif job["status"] in {"failed", "canceled"}:
                    raise RuntimeError(f"job {job_id} ended {job['status']}: {job['error']}")
            if pending:
                await asyncio.sleep(0.05)
        return jobs / (time.perf_counter() - started)


def scale_out_database() -> str | None:
    """A fresh ``atelier_bench`` database next to ``PG_URL`` and a Redis ping, or None."""

    async def prepare() -> str:
        import redis.asyncio as redis
        from sqlalchemy import text

        from atelier.kit.db import create_engine

        engine = create_engine(PG_URL)
        async with engine.connect() as conn:
            conn = await conn.execution_options(isolation_level="AUTOCOMMIT")
            await conn.execute(text('DROP DATABASE IF EXISTS "atelier_bench" WITH (FORCE)'))
            await conn.execute(text('CREATE DATABASE "atelier_bench"'))
        await engine.dispose()
        client = redis.Redis.from_url(REDIS_URL)
        await client.ping()
        await client.aclose()
        return PG_URL.rsplit("/", 1)[0] + "/atelier_bench"

    try:
        return asyncio.run(prepare())
    except Exception:
        return None


def bench_async(jobs: int) -> None:
    print(f"\n(c) async jobs end to end: {jobs} × POST /v1/generations (202) → all succeeded, {SIZE}², 4 runners")
    print(f"{'backend':<28} {'engine':<20} {'jobs/s':>8}")
    backends: list[tuple[str, str | None]] = [("SQLite + in-memory broker", None)]
    database = scale_out_database()
    if database:
        backends.append(("PostgreSQL + Redis stream", database))
    else:
        print("(PostgreSQL + Redis not reachable: scale-out row skipped)")
    for label, database_url in backends:
        with tempfile.TemporaryDirectory() as tmp:
            app = create_app(settings_for(Path(tmp), database_url=database_url))
            with Served(app) as atelier:
                app.state.runtime.router.register(PrerenderedEngine(), models=["bench-prerendered"])
                key = api_key(atelier.url)
                for model in ("atelier-design", "bench-prerendered"):
                    rate = asyncio.run(run_jobs(atelier.url, key, model, jobs))
                    print(f"{label:<28} {model:<20} {rate:>8.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=60)
    parser.add_argument("--jobs", type=int, default=100)
    args = parser.parse_args()
    bench_sync(args.requests)
    bench_async(args.jobs)


if __name__ == "__main__":
    main()
