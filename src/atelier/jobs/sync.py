"""One submit-and-wait for every API (native, OpenAI, each compat contract): submit the job
and commit it, wait (bounded by settings), and map the outcome to one error tree, so every
contract answers a failed, canceled or unfinished job the same way — a canceled job is 409
everywhere, a storage failure 503, a provider's 502 — each rendered in its own body shape."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from atelier.auth.principal import Principal
from atelier.jobs import service
from atelier.jobs.models import Asset, Job, JobStatus
from atelier.jobs.params import GenerationParams
from atelier.jobs.views import actor_of
from atelier.kit.deps import run_after_commit
from atelier.kit.errors import AtelierError, ServiceUnavailable, status_for_code
from atelier.kit.runtime import Runtime


async def submit(session: AsyncSession, runtime: Runtime, principal: Principal, params: GenerationParams) -> Job:
    """The job, committed and handed to a runner."""
    principal.require_scope("generate")
    job = await service.submit_generation(session, runtime, actor_of(principal), params)
    await session.commit()
    await run_after_commit(session)
    return job


def raise_for_failure(job: Job) -> None:
    """Nothing for a succeeded job; the job's own error for a failed or canceled one (a
    cancel is 409 ``CANCELED``); 503 for one that did not finish in the time allowed."""
    if job.status == JobStatus.SUCCEEDED.value:
        return
    if job.status in {JobStatus.FAILED.value, JobStatus.CANCELED.value}:
        code = job.error_code or ("CANCELED" if job.status == JobStatus.CANCELED.value else "INTERNAL_ERROR")
        raise AtelierError(
            job.error_message or "Generation failed",
            status_code=status_for_code(code),
            code=code,
            details={"job_id": job.id, "attempts": job.attempts},
        )
    raise ServiceUnavailable(
        f"Generation {job.id} did not finish in time; it is still {job.status}: poll its status",
        details={"job_id": job.id},
    )


async def submit_and_wait(
    session: AsyncSession, runtime: Runtime, principal: Principal, params: GenerationParams
) -> Job:
    """Submit, then wait (bounded by ``jobs.sync_wait_seconds``) for the finished job, or raise
    its error."""
    return (await _submit_and_wait(session, runtime, principal, params))[0]


async def _submit_and_wait(
    session: AsyncSession, runtime: Runtime, principal: Principal, params: GenerationParams
) -> tuple[Job, list[Asset] | None]:
    """The finished job, and its assets when it finished in this process. The wait is
    registered before the commit, so the job's announcement (here, or from another process
    through Redis) wakes it; a job finished here is handed over as its runner committed it,
    one finished elsewhere is read once, when final."""
    principal.require_scope("generate")
    job = await service.submit_generation(session, runtime, actor_of(principal), params)
    with runtime.job_queue.finished.watch(job.id) as announced:
        await session.commit()
        await run_after_commit(session)
        job = await service.wait_for_job(runtime, job.id, runtime.settings.jobs.sync_wait_seconds, announced=announced)
    raise_for_failure(job)
    return job, (announced.result[1] if announced.result is not None else None)


async def generate(
    session: AsyncSession, runtime: Runtime, principal: Principal, params: GenerationParams
) -> tuple[Job, list[Asset]]:
    """Submit, wait, and return the finished job with its assets (or raise its error)."""
    job, assets = await _submit_and_wait(session, runtime, principal, params)
    if assets is not None:
        return job, assets
    async with runtime.read_sessions() as read:
        return job, await service.job_assets(read, job.id)
