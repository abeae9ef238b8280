"""A synchronous request in the server is woken by the news that an ``atelier worker`` (here:
a second Atelier process on the same database and Redis) finished its job, not by polling
its row: the server reads the row again only every ``jobs.wait_fallback_seconds``, set far
beyond the request's wait, so only the announcement can answer it with the finished job."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
from fastapi import FastAPI

from atelier.app import create_app
from atelier.engines.base import CancelToken, GenerationRequest, GenerationResult, ProgressCallback
from atelier.settings import JobSettings, Settings
from tests.helpers.accounts import create_key, register
from tests.helpers.engines import SlowEngine

MODEL = "gated-test-model"


class GatedEngine(SlowEngine):
    """Finishes only once the test opens the gate."""

    def __init__(self, gate: asyncio.Event) -> None:
        super().__init__("gated", steps=1, delay=0)
        self.gate = gate

    async def generate(
        self, request: GenerationRequest, progress: ProgressCallback, cancel: CancelToken
    ) -> GenerationResult:
        await self.gate.wait()
        return await super().generate(request, progress, cancel)


@asynccontextmanager
async def running(settings: Settings) -> AsyncIterator[FastAPI]:
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        yield app


async def test_a_job_finished_by_a_worker_wakes_the_waiting_request(settings: Settings, redis_url: str) -> None:
    shared = settings.model_copy(update={"redis_url": redis_url})
    server_settings = shared.model_copy(
        update={"jobs": JobSettings(run_in_server=False, wait_fallback_seconds=60, sync_wait_seconds=30)}
    )
    gate = asyncio.Event()
    async with running(server_settings) as server, running(shared) as worker:
        worker.state.runtime.router.register(GatedEngine(gate), models=[MODEL])
        server.state.runtime.router.register(GatedEngine(gate), models=[MODEL])  # routes the name
        finished = server.state.runtime.job_queue.finished
        waiting_for = finished.waiters
        woken: list[str] = []
        wake = finished.wake

        def recording(job_id: str) -> None:
            woken.append(job_id)
            wake(job_id)

        finished.wake = recording  # the listener wakes through it when the news arrives
        transport = httpx.ASGITransport(app=server)
        async with httpx.AsyncClient(transport=transport, base_url="http://server") as client:
            account = await register(client)
            headers = {"X-API-Key": await create_key(client, account), "Prefer": "wait=25"}
            request = asyncio.create_task(
                client.post(
                    "/v1/generations", json={"prompt": "a logo", "model": MODEL, "size": "64x64"}, headers=headers
                )
            )
            for _ in range(1000):  # until the request waits (bounded: 10 s of 10 ms looks)
                if waiting_for or request.done():
                    break
                await asyncio.sleep(0.01)
            assert waiting_for and not request.done()
            gate.set()  # the worker finishes the job now
            answer = await asyncio.wait_for(request, timeout=60)
    assert answer.status_code == 200, answer.text
    assert answer.json()["status"] == "succeeded"
    assert woken == [answer.json()["id"]]  # by the worker's announcement, received over Redis
