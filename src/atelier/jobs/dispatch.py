"""Dispatching jobs with taskiq.

Embedded default: taskiq's in-memory broker runs jobs in this process. Scale-out
(``redis_url`` set): a Redis stream broker; a message is acknowledged only once its job has
run, so a runner killed mid-job leaves it pending for another. Either way the database is
the truth: a sweeper resumes jobs left queued (a crash between commit and kick, a lost
in-memory queue) or orphaned (an expired lease), and the lease makes duplicates harmless.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import or_, select
from taskiq import AsyncBroker, InMemoryBroker
from taskiq.acks import AcknowledgeType
from taskiq.receiver import Receiver

from atelier.engines.base import CancelToken
from atelier.jobs.execution import run_job
from atelier.jobs.finished import Final, FinishedJobs
from atelier.jobs.models import Job, JobStatus
from atelier.jobs.orphans import Reconciler
from atelier.kit.runtime import Runtime
from atelier.settings import Settings

log = logging.getLogger("atelier.jobs")
TASK_NAME = "atelier.jobs.run"


def build_broker(settings: Settings) -> AsyncBroker:
    if settings.redis_url is None:
        return InMemoryBroker(max_async_tasks=settings.jobs.concurrency * 50, propagate_exceptions=False)
    from taskiq_redis import RedisStreamBroker

    namespace = settings.redis_namespace
    return RedisStreamBroker(
        settings.redis_url,
        queue_name=f"{namespace}:jobs",
        consumer_group_name=f"{namespace}:runners",
        consumer_id="0",
        xread_block=500,
        # a runner reads only what it can start (plus any prefetch): taskiq's default of 100 let
        # the first runner to read take a whole burst while the others sat idle
        xread_count=settings.jobs.concurrency + settings.jobs.prefetch,
        maxlen=100_000,
        # A dead consumer's unacknowledged messages go to a live one after this long.
        idle_timeout=max(5, settings.jobs.lease_seconds * 2) * 1000,
        unacknowledged_lock_timeout=5,
    )


class JobQueue:
    """Sends jobs to runners, runs them when this process consumes, resumes what a crash
    left behind, and tells local waiters when a job ends."""

    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime
        self.settings = runtime.settings
        self.scale_out = self.settings.redis_url is not None
        self.broker = build_broker(self.settings)

        async def run_generation_job(job_id: str) -> None:
            await self._run(job_id)

        # A plain function: taskiq renames what it registers, which a bound method refuses.
        self.task = self.broker.register_task(run_generation_job, task_name=TASK_NAME)
        self.slots = asyncio.Semaphore(self.settings.jobs.concurrency)
        self.tokens: dict[str, CancelToken] = {}
        #: Kicked here and not started yet (the in-memory queue).
        self.pending: set[str] = set()
        self.kicked_at: dict[str, float] = {}
        self.running_tasks: set[asyncio.Task[Any]] = set()
        self.finished = FinishedJobs(self.settings.redis_url, self.settings.redis_namespace)
        self.consuming = False
        self.background: list[asyncio.Task[None]] = []
        self.finish_listening = asyncio.Event()
        self.orphans: Reconciler | None = None

    # --- producing ----------------------------------------------------------------------

    async def open(self) -> None:
        await self.broker.startup()
        await self.finished.open()

    async def enqueue(self, job_id: str) -> None:
        """Called after the job's row committed."""
        if self.scale_out:
            await self.task.kiq(job_id)
        elif self.consuming and job_id not in self.pending and job_id not in self.tokens:
            self.pending.add(job_id)
            await self.task.kiq(job_id)
        # else: a runner sharing this database (``atelier worker``) picks it up on its next poll

    def cancel_local(self, job_id: str) -> None:
        token = self.tokens.get(job_id)
        if token is not None:
            token.cancel()

    # --- waiting ------------------------------------------------------------------------

    async def announce(self, job_id: str, result: Final | None = None) -> None:
        await self.finished.announce(job_id, result)

    # --- consuming ----------------------------------------------------------------------

    async def _run(self, job_id: str) -> None:
        current = asyncio.current_task()
        if current is not None:
            self.running_tasks.add(current)
        try:
            async with self.slots:
                self.pending.discard(job_id)
                if job_id in self.tokens or not self.consuming:
                    return
                token = self.tokens[job_id] = CancelToken()
                try:
                    await run_job(self.runtime, job_id, token)
                except Exception:
                    log.exception("job %s could not be finished; it will be resumed", job_id)
                finally:
                    self.tokens.pop(job_id, None)
        except asyncio.CancelledError:
            if self.scale_out:  # shutting down: hand the job to another runner now, not after idle_timeout
                with contextlib.suppress(Exception):
                    await self.task.kiq(job_id)
            raise
        finally:
            if current is not None:
                self.running_tasks.discard(current)

    async def start(self) -> None:
        self.consuming = True
        if self.scale_out:
            receiver = Receiver(
                self.broker,
                max_async_tasks=self.settings.jobs.concurrency,
                max_prefetch=self.settings.jobs.prefetch,
                propagate_exceptions=False,
                run_startup=False,
                ack_type=AcknowledgeType.WHEN_EXECUTED,
            )
            self._spawn(lambda: receiver.listen(self.finish_listening))
        self._spawn(self._sweep)
        # Every runner deletes the objects a killed runner stored and never committed.
        storage = self.settings.storage
        self.orphans = Reconciler(
            self.runtime, interval=storage.reconcile_seconds, orphan_after=storage.orphan_after_seconds
        )
        self.runtime.services.storage_orphans = self.orphans
        await self.orphans.start()

    def _spawn(self, factory: Callable[[], Any]) -> None:
        self.background.append(asyncio.create_task(factory()))

    async def stop(self) -> None:
        """Stop taking jobs; running ones go back to the queue for the next runner."""
        self.consuming = False
        self.finish_listening.set()
        if self.orphans is not None:
            await self.orphans.stop()
        for task in [*self.background, *self.running_tasks]:
            task.cancel()
        await asyncio.gather(*self.background, *self.running_tasks, return_exceptions=True)
        self.background.clear()
        await self.broker.shutdown()

    async def close(self) -> None:
        if self.consuming:
            await self.stop()
        else:
            await self.broker.shutdown()
        await self.finished.close()

    # --- resuming -----------------------------------------------------------------------

    async def recoverable(self, *, queued_before: datetime | None = None) -> list[str]:
        now = datetime.now(UTC)
        queued = Job.status == JobStatus.QUEUED.value
        if queued_before is not None:
            queued = queued & (Job.created_at < queued_before)
        orphaned = (Job.status == JobStatus.PROCESSING.value) & (Job.lease_until < now)
        async with self.runtime.sessions() as session:
            rows = await session.execute(
                select(Job.id).where(or_(queued, orphaned)).order_by(Job.created_at).limit(500)
            )
            return [row[0] for row in rows]

    async def sweep_once(self, *, startup: bool = False) -> int:
        """Kick every job a crash (or another process) left without a runner; returns how many."""
        requeue_after = self.settings.jobs.requeue_after_seconds
        queued_before = None
        if self.scale_out and not startup:
            # Young queued jobs are most likely in the stream already, waiting their turn.
            queued_before = datetime.now(UTC) - timedelta(seconds=requeue_after)
        kicked = 0
        for job_id in await self.recoverable(queued_before=queued_before):
            if job_id in self.tokens or job_id in self.pending:
                continue
            last = self.kicked_at.get(job_id)
            if self.scale_out and not startup and last is not None and time.monotonic() - last < requeue_after:
                continue
            self.kicked_at[job_id] = time.monotonic()
            if not self.scale_out:
                self.pending.add(job_id)
            await self.task.kiq(job_id)
            kicked += 1
        if len(self.kicked_at) > 10_000:
            self.kicked_at.clear()
        return kicked

    async def _sweep(self) -> None:
        startup = True
        while self.consuming:
            try:
                resumed = await self.sweep_once(startup=startup)
                if startup and resumed:
                    log.info("resumed %d jobs left queued or orphaned", resumed)
                startup = False
            except Exception:
                log.exception("job sweeper failed; retrying")
            await asyncio.sleep(self.settings.jobs.poll_seconds)
