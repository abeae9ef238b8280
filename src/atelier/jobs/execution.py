"""Running one job. The job is claimed with a lease (a conditional UPDATE), so two runners
never run it at once; a heartbeat renews the lease and carries cancellation across
processes; a crashed runner's lease expires and the job is resumed elsewhere. Images are
stored first, then the assets and the final state commit in one transaction only the lease
holder can make; if that fails the stored objects are removed. None lost, none twice."""

from __future__ import annotations

import asyncio
import logging
import secrets
import time
from datetime import UTC, datetime, timedelta
from functools import cache

from sqlalchemy import ColumnElement, func, or_, update
from sqlalchemy.sql.dml import ReturningUpdate

from atelier.engines.base import CancelToken, Task
from atelier.engines.design_engine import SOURCE_SPEC
from atelier.engines.runner import RunOutcome
from atelier.images.sources import source_spec
from atelier.jobs import service
from atelier.jobs.models import Job, JobStatus, held
from atelier.jobs.params import GenerationParams
from atelier.jobs.storing import LeaseLost, store_and_succeed
from atelier.kit.context import job_id_var
from atelier.kit.db import param, rowcount, session_scope
from atelier.kit.errors import AtelierError, JobCanceled
from atelier.kit.runtime import Runtime

log = logging.getLogger("atelier.jobs")
#: Webhooks and streams hear about progress at most this often.
PROGRESS_INTERVAL = 0.5


def _now() -> datetime:
    return datetime.now(UTC)


def _lease(runtime: Runtime) -> timedelta:
    return timedelta(seconds=runtime.settings.jobs.lease_seconds)


def claimable(now: datetime | ColumnElement[datetime]) -> ColumnElement[bool]:
    """Queued, or processing under a lease nobody renewed (its runner died)."""
    return or_(
        Job.status == JobStatus.QUEUED.value,
        (Job.status == JobStatus.PROCESSING.value) & (Job.lease_until < now),
    )


@cache
def _claim() -> ReturningUpdate[Job]:
    now = param("now", Job.lease_until)
    return (
        update(Job)
        .where(Job.id == param("job", Job.id), claimable(now))
        .values(
            status=JobStatus.PROCESSING.value,
            lease_token=param("token", Job.lease_token),
            lease_until=param("until", Job.lease_until),
            runs=Job.runs + 1,
            started_at=func.coalesce(Job.started_at, now),
        )
        .returning(Job)
        .execution_options(synchronize_session=False, populate_existing=True)
    )


async def claim(runtime: Runtime, job_id: str, token: str) -> Job | None:
    async with session_scope(runtime.sessions) as session:
        now = _now()
        # one statement: the conditional UPDATE returns the claimed row (RETURNING, on SQLite
        # and PostgreSQL alike), or nothing when another runner holds it
        job = await session.scalar(
            _claim(), {"job": job_id, "now": now, "token": token, "until": now + _lease(runtime)}
        )
        if job is None:
            return None
        if not job.cancel_requested:
            await service.emit(session, runtime, job, "job.started", service.job_summary(job))
        return job


async def _heartbeat(runtime: Runtime, job_id: str, token: str, cancel: CancelToken) -> None:
    """Renew the lease while the job runs; a cancel requested from any process, or a lost
    lease, stops the engine."""
    interval = min(1.0, runtime.settings.jobs.lease_seconds / 3)
    while True:
        await asyncio.sleep(interval)
        try:
            async with session_scope(runtime.sessions) as session:
                result = await session.execute(
                    update(Job)
                    .where(held(job_id, token))
                    .values(lease_until=_now() + _lease(runtime))
                    .returning(Job.cancel_requested)
                )
                row = result.first()
        except Exception:
            log.warning("heartbeat of job %s failed; retrying", job_id, exc_info=True)
            continue
        if row is None or row[0]:
            cancel.cancel()
            return


async def run_job(runtime: Runtime, job_id: str, cancel: CancelToken) -> None:
    token = secrets.token_hex(8)
    job = await claim(runtime, job_id, token)
    if job is None:
        return  # someone else holds it, or it already ended
    if job.cancel_requested:  # canceled while its previous runner was dying
        await finish_without_images(runtime, job_id, token, JobStatus.CANCELED, "CANCELED", "Canceled while running")
        return
    beat = asyncio.create_task(_heartbeat(runtime, job_id, token, cancel))
    running = job_id_var.set(job_id)
    try:
        await _run_claimed(runtime, job, token, cancel)
    except asyncio.CancelledError:
        await _release(runtime, job_id, token)
        raise
    finally:
        job_id_var.reset(running)
        beat.cancel()
        # ended before the job's task does: no heartbeat outlives its job or the shutdown
        await asyncio.gather(beat, return_exceptions=True)


async def _run_claimed(runtime: Runtime, job: Job, token: str, cancel: CancelToken) -> None:
    params = GenerationParams.from_record(job.params)
    params.references, params.mask = await service.load_inputs(runtime, job)
    request = params.request()
    if request.task == Task.VARIATIONS and request.references:
        # a variation of an Atelier image starts from its stored spec (see images/sources.py)
        request.extra[SOURCE_SPEC] = await source_spec(runtime, job.organization_id, request.references[0])
    # a job that ends within PROGRESS_INTERVAL writes no progress at all: its final state says it
    last_report = time.monotonic()

    async def progress(fraction: float, stage: str | None) -> None:
        nonlocal last_report
        if fraction >= 1.0 or time.monotonic() - last_report < PROGRESS_INTERVAL:
            return  # 100% is the final state itself, written with the assets
        last_report = time.monotonic()
        async with session_scope(runtime.sessions) as session:
            result = await session.execute(
                update(Job)
                .where(held(job.id, token))
                .values(progress=fraction, lease_until=_now() + _lease(runtime))
                .execution_options(synchronize_session=False)
            )
            if not rowcount(result):
                cancel.cancel()
                return
            current = await session.get(Job, job.id, populate_existing=True)
            assert current is not None
            if current.cancel_requested:
                cancel.cancel()
            await service.emit(
                session, runtime, current, "job.progress", {**service.job_summary(current), "stage": stage}
            )

    try:
        outcome: RunOutcome = await service.runner(runtime).run(job.model, request, progress, cancel)
        check = runtime.services.output_check  # every engine's images, before any is stored
        review = await check.review(job, outcome.result.images) if check is not None else None
        await store_and_succeed(runtime, job, token, params, outcome, review)
    except LeaseLost:
        log.warning("job %s: lease lost; another runner owns it", job.id)
    except JobCanceled:
        await finish_without_images(runtime, job.id, token, JobStatus.CANCELED, "CANCELED", "Canceled while running")
    except AtelierError as exc:
        attempts = exc.details.get("attempts")
        await finish_without_images(runtime, job.id, token, JobStatus.FAILED, exc.code, exc.message, attempts)
    except Exception as exc:  # an engine bug must fail its job, not the runner
        log.exception("job %s crashed in its engine", job.id)
        message = f"Engine error: {type(exc).__name__}: {exc}"[:500]
        await finish_without_images(runtime, job.id, token, JobStatus.FAILED, "INTERNAL_ERROR", message)


async def finish_without_images(
    runtime: Runtime,
    job_id: str,
    token: str,
    status: JobStatus,
    code: str,
    message: str,
    attempts: list[dict[str, object]] | None = None,
) -> None:
    async with session_scope(runtime.sessions) as session:
        values: dict[str, object] = {
            "status": status.value,
            "error_code": code,
            "error_message": message,
            "finished_at": _now(),
            "lease_until": None,
        }
        if attempts is not None:
            values["attempts"] = attempts
        job = await session.scalar(
            update(Job)
            .where(held(job_id, token))
            .values(**values)
            .returning(Job)
            .execution_options(synchronize_session=False, populate_existing=True)
        )
        if job is not None:
            await service.finish(session, runtime, job, status, 0)
    await service.notify_finished(runtime, job_id)


async def _release(runtime: Runtime, job_id: str, token: str) -> None:
    """On shutdown, hand a running job back to the queue at once instead of leaving it to
    the lease to expire."""
    try:
        async with session_scope(runtime.sessions) as session:
            await session.execute(
                update(Job)
                .where(held(job_id, token))
                .values(status=JobStatus.QUEUED.value, lease_token=None, lease_until=None, progress=0.0)
            )
    except Exception:
        log.warning("could not release job %s; it resumes when its lease expires", job_id, exc_info=True)
