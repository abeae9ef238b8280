"""Start-up of the pipeline: the engine router and runner, and the job queue. Building the
queue and consuming from it are two steps: ``app.start_runtime`` starts consuming last, once
every domain has registered its job hooks, so no job runs without billing or webhooks."""

from __future__ import annotations

from atelier.engines.runner import RouterRunner, build_router
from atelier.jobs.dispatch import JobQueue
from atelier.kit.runtime import Runtime


async def start_jobs(runtime: Runtime) -> None:
    """Sets ``router`` (the providers' Router: tests and plugins register engines on it),
    ``runner`` (what the pipeline calls) and ``job_queue`` (open for sending, not consuming)."""
    router = build_router(runtime.settings)
    runtime.services.router = router
    runtime.services.runner = RouterRunner(router)
    runtime.closers.append(router.aclose)
    queue = JobQueue(runtime)
    runtime.services.job_queue = queue
    await queue.open()
    runtime.closers.append(queue.close)
    run = runtime.settings.jobs.run_in_server

    async def queue_health() -> str:
        return "healthy" if queue.consuming or not run else "unhealthy"

    runtime.health_checks["job_queue"] = queue_health


async def start_consuming(runtime: Runtime) -> None:
    """Run jobs in this process when ``settings.jobs.run_in_server``: the last start-up step."""
    if runtime.settings.jobs.run_in_server and not runtime.job_queue.consuming:
        await runtime.job_queue.start()
