"""Who is waiting for which job to finish, and the news that one did.

A synchronous request registers here before it reads its job's row, so a job finished after
the read still wakes it. A job finished in this process wakes its waiters at once; with Redis
(``ATELIER_REDIS_URL``), every runner also publishes the job's id on one channel that every
process subscribes to, so a request in the server is woken when an ``atelier worker`` on
another machine finishes its job. Polling the row stays only as a slow fallback (a lost
message, or a worker sharing a database without Redis)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Iterator
from typing import Any

from atelier.jobs.models import Asset, Job

#: A job as its runner committed it final, with its assets.
Final = tuple[Job, list[Asset]]

log = logging.getLogger("atelier.jobs")
#: How long a listener waits before subscribing again after Redis went away.
RESUBSCRIBE_SECONDS = 1.0


class Finish(asyncio.Event):
    """Set when a job is announced finished. ``result``: the final job and its assets, as the
    runner committed them, when it finished in this process (the waiter then reads nothing)."""

    def __init__(self) -> None:
        super().__init__()
        self.result: Final | None = None


class FinishedJobs:
    def __init__(self, redis_url: str | None, namespace: str) -> None:
        self.waiters: dict[str, list[Finish]] = {}
        self.channel = f"{namespace}:jobs:finished"
        self.redis: Any = None
        if redis_url:
            import redis.asyncio as aioredis

            self.redis = aioredis.from_url(redis_url)
        self.listener: asyncio.Task[None] | None = None
        self.subscribed = asyncio.Event()

    @property
    def cross_process(self) -> bool:
        """Whether a job finished in another process wakes this one's waiters."""
        return self.redis is not None

    async def open(self) -> None:
        if self.redis is None:
            return
        self.listener = asyncio.create_task(self._listen())
        with contextlib.suppress(TimeoutError):  # Redis down at start: polling covers it
            async with asyncio.timeout(5):
                await self.subscribed.wait()

    async def _listen(self) -> None:
        while True:
            try:
                async with self.redis.pubsub() as pubsub:
                    await pubsub.subscribe(self.channel)
                    self.subscribed.set()
                    async for message in pubsub.listen():
                        if message.get("type") == "message":
                            data = message["data"]
                            self.wake(data.decode() if isinstance(data, bytes) else str(data))
            except asyncio.CancelledError:
                raise
            except Exception:
                log.warning("job completion channel lost; resubscribing", exc_info=True)
                await asyncio.sleep(RESUBSCRIBE_SECONDS)

    def wake(self, job_id: str, result: Final | None = None) -> None:
        for event in self.waiters.pop(job_id, []):
            event.result = result
            event.set()

    async def announce(self, job_id: str, result: Final | None = None) -> None:
        """``job_id`` finished here: wake this process's waiters (handing them ``result``, the
        committed job and assets, when the runner has them) and tell the others."""
        self.wake(job_id, result)
        if self.redis is not None:
            try:
                await self.redis.publish(self.channel, job_id)
            except Exception:  # the others fall back to reading the row
                log.warning("could not announce job %s", job_id, exc_info=True)

    @contextlib.contextmanager
    def watch(self, job_id: str) -> Iterator[Finish]:
        """An event set when ``job_id`` is announced, registered for the block's duration."""
        event = Finish()
        self.waiters.setdefault(job_id, []).append(event)
        try:
            yield event
        finally:
            events = self.waiters.get(job_id)
            if events and event in events:
                events.remove(event)
                if not events:
                    del self.waiters[job_id]

    async def close(self) -> None:
        if self.listener is not None:
            self.listener.cancel()
            await asyncio.gather(self.listener, return_exceptions=True)
            self.listener = None
        if self.redis is not None:
            await self.redis.aclose()
