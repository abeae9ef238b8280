"""Jobs: submit, read, cancel and wait. The HTTP layers (native, OpenAI-compatible and the
seed contracts) are translations onto these functions."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from atelier.engines.runner import EngineRunner
from atelier.jobs.finished import Final, Finish
from atelier.jobs.hooks import JobEvent, JobHook, Outcome, Submission
from atelier.jobs.models import Asset, Job, JobStatus
from atelier.jobs.params import GenerationParams
from atelier.kit.db import rowcount
from atelier.kit.deps import after_commit, run_after_commit
from atelier.kit.errors import NotFound
from atelier.kit.ids import new_id
from atelier.kit.runtime import Runtime
from atelier.projects.service import get_or_create_by_slug, get_project

DEFAULT_PROJECT = "default"


@dataclass(frozen=True)
class Actor:
    organization_id: str
    user_id: str
    api_key_id: str | None = None


def hooks(runtime: Runtime) -> list[JobHook]:
    registered: list[JobHook] = runtime.services.job_hooks
    return registered


def runner(runtime: Runtime) -> EngineRunner:
    engine_runner: EngineRunner = runtime.runner
    return engine_runner


async def submit_generation(session: AsyncSession, runtime: Runtime, actor: Actor, params: GenerationParams) -> Job:
    """Validate, admit (every hook's ``before_submit``, in this transaction), record the
    job and enqueue it once ``session`` commits. The caller commits: with a request's
    ``SessionDep`` that happens after the endpoint returns; elsewhere use
    :func:`run_generation` or commit and call ``run_after_commit(session)``."""
    params.validate(runtime.settings.jobs.max_n)
    request = params.request()
    estimate = runner(runtime).estimate(params.model, request)
    if params.project:
        project = await get_project(session, actor.organization_id, params.project)
    else:
        project = await get_or_create_by_slug(session, actor.organization_id, DEFAULT_PROJECT)
    job_id = new_id("job")
    inputs = [*params.references, *([params.mask] if params.mask else [])]
    input_keys = [f"{project.id}/inputs/{job_id}-{index}" for index in range(len(inputs))]
    submission = Submission(
        job_id=job_id,
        organization_id=actor.organization_id,
        user_id=actor.user_id,
        api_key_id=actor.api_key_id,
        model=params.model,
        n=params.n,
        width=params.width,
        height=params.height,
        quality=params.quality,
        estimated_cost_usd=estimate,
        prompt=params.prompt,
    )
    for hook in hooks(runtime):  # admission, before the job exists: a refusal writes no job
        await hook.before_submit(session, submission)
    job = Job(
        id=job_id,
        organization_id=actor.organization_id,
        project_id=project.id,
        user_id=actor.user_id,
        api_key_id=actor.api_key_id,
        model=params.model,
        params=params.to_record(),
        input_keys=input_keys,
        has_mask=params.mask is not None,
        n=params.n,
        webhook_url=params.webhook_url,
        content_checks=submission.content_checks,
        reserved_cost_usd=submission.reserved_cost_usd,
        price_per_image_usd=submission.price_per_image_usd,
        reserved_credits=submission.reserved_credits,
    )
    session.add(job)
    await session.flush()
    storage = runtime.storage
    for key, data in zip(input_keys, inputs, strict=True):  # only once admitted
        await storage.put(key, data, "application/octet-stream")
    queue = runtime.job_queue

    async def enqueue() -> None:
        await queue.enqueue(job.id)

    after_commit(session, enqueue)
    return job


async def run_generation(runtime: Runtime, actor: Actor, params: GenerationParams, *, wait_seconds: float) -> Job:
    """Submit in a transaction of its own, then wait (bounded) for the job: for callers
    outside a request (CLI, scripts). The job returned may still be running."""
    async with runtime.sessions() as session:
        try:
            job = await submit_generation(session, runtime, actor, params)
            await session.commit()
        except BaseException:
            await session.rollback()
            session.info.pop("after_commit", None)
            raise
    await run_after_commit(session)
    return await wait_for_job(runtime, job.id, wait_seconds)


async def get_job(session: AsyncSession, organization_id: str, job_id: str) -> Job:
    job = await session.get(Job, job_id)
    if job is None or job.organization_id != organization_id:
        raise NotFound(f"Generation {job_id} not found")
    return job


async def job_assets(session: AsyncSession, job_id: str) -> list[Asset]:
    """The job's assets still in the gallery, in output order."""
    rows = await session.execute(
        select(Asset).where(Asset.job_id == job_id, Asset.deleted_at.is_(None)).order_by(Asset.position)
    )
    return list(rows.scalars().all())


async def load_inputs(runtime: Runtime, job: Job) -> tuple[list[bytes], bytes | None]:
    """The input images stored at submission (references, then the mask if any)."""
    storage = runtime.storage
    blobs = [await storage.get(key) for key in job.input_keys]
    if job.has_mask and blobs:
        return blobs[:-1], blobs[-1]
    return blobs, None


async def emit(session: AsyncSession, runtime: Runtime, job: Job, event_type: str, data: dict[str, Any]) -> None:
    event = JobEvent(event_type, job.id, job.organization_id, data, job.webhook_url)
    for hook in hooks(runtime):
        await hook.on_event(session, event)


async def finish(session: AsyncSession, runtime: Runtime, job: Job, status: JobStatus, images: int) -> None:
    outcome = Outcome(
        job.id,
        job.organization_id,
        job.api_key_id,
        job.model,
        status.value,
        images,
        job.cost_usd,
        reserved_cost_usd=job.reserved_cost_usd,
        price_per_image_usd=job.price_per_image_usd,
        reserved_credits=job.reserved_credits,
        submitted_at=job.created_at,
    )
    await emit(session, runtime, job, f"job.{status.value}", job_summary(job))
    for hook in hooks(runtime):
        await hook.on_finished(session, outcome)


async def cancel_job(session: AsyncSession, runtime: Runtime, organization_id: str, job_id: str) -> Job:
    """A queued job is canceled at once (in this transaction); a running one is asked to
    stop: its runner, in this process or another, sees the request within a second and
    ends it as canceled. A job already ended is returned unchanged."""
    job = await get_job(session, organization_id, job_id)
    result = await session.execute(
        update(Job)
        .where(Job.id == job_id, Job.status == JobStatus.QUEUED.value)
        .values(
            status=JobStatus.CANCELED.value,
            finished_at=datetime.now(UTC),
            error_code="CANCELED",
            error_message="Canceled before it started",
        )
        .execution_options(synchronize_session=False)
    )
    if rowcount(result):
        await session.refresh(job)
        await finish(session, runtime, job, JobStatus.CANCELED, 0)
        after_commit(session, _notifier(runtime, job_id))
    elif job.status == JobStatus.PROCESSING.value:
        job.cancel_requested = True
        queue = runtime.job_queue

        async def cancel_here() -> None:
            queue.cancel_local(job_id)

        after_commit(session, cancel_here)
    return job


def _notifier(runtime: Runtime, job_id: str) -> Callable[[], Awaitable[None]]:
    async def notify() -> None:
        await notify_finished(runtime, job_id)

    return notify


async def notify_finished(runtime: Runtime, job_id: str, result: Final | None = None) -> None:
    """Wake the waiters on ``job_id``: this process's at once (handed ``result``, the committed
    job and its assets, when the runner has them), other processes' through Redis."""
    queue = runtime.services.job_queue
    if queue is not None:
        await queue.announce(job_id, result)


async def wait_for_job(runtime: Runtime, job_id: str, wait_seconds: float, *, announced: Finish | None = None) -> Job:
    """Until the job is final, ``wait_seconds`` pass or the server shuts down. Woken when the
    job is announced finished (``jobs.finished``: here, or in another process through Redis);
    the row is read again only as a fallback, every ``jobs.wait_fallback_seconds`` with Redis,
    and quickly (up to every 0.25 s) without it, where a worker sharing the database cannot
    tell this process. ``announced``: a watch registered before the job was committed, so the
    job cannot have finished unannounced and the first read waits for the news."""
    deadline = time.monotonic() + wait_seconds
    finished = runtime.job_queue.finished
    fallback = runtime.settings.jobs.wait_fallback_seconds if finished.cross_process else 0.25
    delay = fallback if finished.cross_process else 0.02
    if announced is not None:
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(min(fallback, max(0.0, deadline - time.monotonic()))):
                await _first(announced.wait(), runtime.streams.closing.wait())
        if announced.result is not None:
            return announced.result[0]  # finished in this process: the committed row, not read again
    while True:
        with finished.watch(job_id) as done:  # registered before the read: no announcement missed
            async with runtime.read_sessions() as session:
                job = await session.get(Job, job_id)
            if job is None:
                raise NotFound(f"Generation {job_id} not found")
            if job.status_enum.final or time.monotonic() >= deadline or runtime.streams.closing.is_set():
                return job
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(min(delay, max(0.0, deadline - time.monotonic()))):
                    await _first(done.wait(), runtime.streams.closing.wait())
        delay = min(delay * 1.5, fallback)


async def _first(*waits: Coroutine[Any, Any, Any]) -> None:
    tasks = [asyncio.ensure_future(w) for w in waits]
    try:
        await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for task in tasks:
            task.cancel()


def job_summary(job: Job) -> dict[str, Any]:
    return {
        "id": job.id,
        "status": job.status,
        "progress": round(job.progress, 3),
        "model": job.model,
        "engine": job.engine,
        "cost_usd": str(job.cost_usd),
        "error": None if not job.error_code else {"code": job.error_code, "message": job.error_message},
    }
