"""``atelier worker``: a process that only runs jobs. With Redis it consumes the job stream;
without, it resumes what is queued in the database it shares with the server (start the
server with ``ATELIER_JOBS__RUN_IN_SERVER=false`` to leave all jobs to workers)."""

from __future__ import annotations

import asyncio
import logging
import signal

from atelier.settings import Settings

log = logging.getLogger("atelier.jobs")


async def run_worker(settings: Settings, *, stop: asyncio.Event | None = None, freeze: bool = False) -> None:
    """Run jobs until SIGINT/SIGTERM (or ``stop``); running jobs go back to the queue.
    ``freeze``: the process ends with the worker (``atelier worker``), so what start-up built
    is frozen out of the garbage collector's scans (:func:`atelier.kit.serving.freeze_startup_objects`)."""
    from atelier.app import start_runtime
    from atelier.jobs.dispatch import JobQueue
    from atelier.kit.serving import freeze_startup_objects

    stop = stop or asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    runtime = await start_runtime(settings)
    try:
        queue: JobQueue = runtime.job_queue
        if not queue.consuming:
            await queue.start()
        if freeze:
            freeze_startup_objects()
        mode = "Redis stream" if settings.redis_url else "database polling"
        log.info("worker running up to %d jobs at once (%s)", settings.jobs.concurrency, mode)
        await stop.wait()
    finally:
        await runtime.close()
