"""Start-up of the pipeline: the engine router and runner, and the job queue."""

from __future__ import annotations

from atelier.engines.runner import RouterRunner, build_router
from atelier.jobs.dispatch import JobQueue
from atelier.kit.runtime import Runtime


async def start_jobs(runtime: Runtime, *, run_workers: bool | None = None) -> None:
    """Registers ``router`` (the providers' Router: tests and plugins register engines on
    it), ``runner`` (what the pipeline calls), ``job_hooks`` and ``job_queue``; consumes
    jobs in this process when ``run_workers`` (default: ``settings.jobs.run_in_server``)."""
    router = build_router(runtime.settings)
    runner = RouterRunner(router)
    runtime.services["router"] = router
    runtime.services["runner"] = runner
    runtime.services.setdefault("job_hooks", [])
    runtime.closers.append(router.aclose)
    queue = JobQueue(runtime)
    runtime.services["job_queue"] = queue
    await queue.open()
    runtime.closers.append(queue.close)
    run = runtime.settings.jobs.run_in_server if run_workers is None else run_workers

    async def queue_health() -> str:
        return "healthy" if queue.consuming or not run else "unhealthy"

    runtime.health_checks["job_queue"] = queue_health
    if run:
        await queue.start()
