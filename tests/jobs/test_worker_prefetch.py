"""A worker takes from the Redis job stream only the jobs it can start (``jobs.concurrency``)
plus ``jobs.prefetch``, so a burst is shared by every worker instead of being taken whole by
the first one to read (taskiq's stream broker reads 100 at a time by default: with two
workers, one ran the whole burst four at a time and the other sat idle)."""

from __future__ import annotations

import secrets

import redis.asyncio as aioredis
from taskiq import BrokerMessage

from atelier.jobs.dispatch import TASK_NAME, build_broker
from atelier.settings import JobSettings, Settings


async def _delivered(settings: Settings, jobs: int) -> int:
    broker = build_broker(settings)
    await broker.startup()
    client = aioredis.from_url(str(settings.redis_url))
    stream, group = f"{settings.redis_namespace}:jobs", f"{settings.redis_namespace}:runners"
    try:
        for index in range(jobs):
            await broker.kick(BrokerMessage(task_id=f"t{index}", task_name=TASK_NAME, message=b"{}", labels={}))
        listening = broker.listen()
        await anext(listening)  # the worker asks for its first job
        pending = await client.xpending(stream, group)
        await listening.aclose()
        return int(pending["pending"])
    finally:
        await client.delete(stream)
        await client.aclose()
        await broker.shutdown()


async def test_a_worker_takes_only_what_it_can_start(settings: Settings, redis_url: str) -> None:
    namespace = f"prefetch-{secrets.token_hex(4)}"
    base = settings.model_copy(update={"redis_url": redis_url, "redis_namespace": namespace})
    two = base.model_copy(update={"jobs": JobSettings(concurrency=2)})
    assert await _delivered(two, 12) == 2
    ahead = base.model_copy(update={"jobs": JobSettings(concurrency=3, prefetch=2), "redis_namespace": namespace + "b"})
    assert await _delivered(ahead, 12) == 5
