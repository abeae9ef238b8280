"""What every compat router needs: run a generation to completion and read its assets."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from atelier.auth.dependencies import Principal
from atelier.jobs import service
from atelier.jobs.models import Asset, Job, JobStatus
from atelier.jobs.params import GenerationParams
from atelier.jobs.views import actor_of
from atelier.kit.deps import run_after_commit
from atelier.kit.errors import AtelierError, ServiceUnavailable, status_for_code
from atelier.kit.runtime import Runtime


async def submit(session: AsyncSession, runtime: Runtime, principal: Principal, params: GenerationParams) -> Job:
    principal.require_scope("generate")
    job = await service.submit_generation(session, runtime, actor_of(principal), params)
    await session.commit()
    await run_after_commit(session)
    return job


def raise_for_failure(job: Job) -> None:
    if job.status == JobStatus.SUCCEEDED.value:
        return
    if job.status in {JobStatus.FAILED.value, JobStatus.CANCELED.value}:
        code = job.error_code or "INTERNAL_ERROR"
        raise AtelierError(
            job.error_message or "Generation failed",
            status_code=status_for_code(code),
            code=code,
            details={"job_id": job.id},
        )
    raise ServiceUnavailable(
        f"Generation {job.id} did not finish in time; it is still {job.status}", details={"job_id": job.id}
    )


async def generate(
    session: AsyncSession, runtime: Runtime, principal: Principal, params: GenerationParams
) -> tuple[Job, list[Asset]]:
    """Submit, wait (bounded by settings), and return the finished job with its assets."""
    job = await submit(session, runtime, principal, params)
    job = await service.wait_for_job(runtime, job.id, runtime.settings.jobs.sync_wait_seconds)
    raise_for_failure(job)
    async with runtime.sessions() as read:
        return job, await service.job_assets(read, job.id)
