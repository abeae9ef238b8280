"""OpenAI's streaming image responses (``stream=true``): Server-Sent Events of the job's
partial renders as its engine makes them (``image_generation.partial_image``, or
``image_edit.partial_image`` for edits, with ``partial_image_index``), then one
``….completed`` event per finished image. Engines without partial renders send only the
completed events. A failure is OpenAI's ``error`` event, which the SDK raises.

A client that leaves before the end cancels its job (nobody else can receive its images; the
reservation is refunded); a server shutting down leaves the job to be resumed. Atelier's
engines are not token-metered: ``usage`` is reported as zero tokens."""

from __future__ import annotations

import asyncio
import base64
import contextlib
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

from atelier.assets.service import asset_b64
from atelier.engines.base import PartialImage, partial_images
from atelier.jobs import service
from atelier.jobs.models import Job, JobStatus
from atelier.kit.deps import run_after_commit
from atelier.kit.errors import AtelierError
from atelier.kit.runtime import Runtime
from atelier.kit.streams import Event, Stream

#: OpenAI's ``usage`` for engines that count no tokens.
NO_USAGE: dict[str, Any] = {
    "input_tokens": 0,
    "input_tokens_details": {"image_tokens": 0, "text_tokens": 0},
    "output_tokens": 0,
    "total_tokens": 0,
}


#: Longer than any job may be waited for: the pause ends only when the stream does.
OVER_WAIT_SECONDS = 24 * 3600.0


@dataclass(frozen=True)
class StreamedJob:
    """The job a stream follows, and what each of its events repeats of the request."""

    job_id: str
    organization_id: str
    #: ``image_generation`` or ``image_edit``: the prefix of the event types.
    kind: str
    #: ``background``, ``output_format``, ``quality`` and ``size``, as the events carry them.
    shape: dict[str, str]


def _partial_event(job: StreamedJob, image: PartialImage) -> Event:
    data = {
        "type": f"{job.kind}.partial_image",
        "b64_json": base64.b64encode(image.data).decode(),
        "partial_image_index": image.index,
        "created_at": int(time.time()),
        **job.shape,
    }
    return {"event": data["type"], "data": data}


def _error_event(code: str, message: str, job_id: str) -> Event:
    error = {"message": message, "type": "server_error" if code == "INTERNAL_ERROR" else "invalid_request_error"}
    data = {"type": "error", "error": {**error, "param": None, "code": code.lower(), "job_id": job_id}}
    return {"event": "error", "data": data}


async def _completed_events(runtime: Runtime, job: StreamedJob, record: Job) -> AsyncIterator[Event]:
    if record.status == JobStatus.FAILED.value:
        yield _error_event(
            record.error_code or "INTERNAL_ERROR", record.error_message or "Generation failed", job.job_id
        )
        return
    if record.status != JobStatus.SUCCEEDED.value:
        message = f"Generation {job.job_id} is {record.status}; poll GET /v1/generations/{job.job_id}"
        yield _error_event("CANCELED" if record.status == JobStatus.CANCELED.value else "TIMEOUT", message, job.job_id)
        return
    async with runtime.sessions() as read:
        assets = await service.job_assets(read, job.job_id)
    for asset in assets:
        data = {
            "type": f"{job.kind}.completed",
            "b64_json": await asset_b64(runtime, asset),
            "created_at": int(time.time()),
            "usage": NO_USAGE,
            **job.shape,
        }
        yield {"event": data["type"], "data": data}


async def _cancel(runtime: Runtime, job: StreamedJob) -> None:
    with contextlib.suppress(AtelierError):  # it ended meanwhile
        async with runtime.sessions() as session:
            await service.cancel_job(session, runtime, job.organization_id, job.job_id)
            await session.commit()
            await run_after_commit(session)


async def image_events(
    runtime: Runtime, job: StreamedJob, partials: asyncio.Queue[PartialImage], stream: Stream
) -> AsyncIterator[Event]:
    """The events of ``job``; ``partials`` was following it from before it was enqueued."""
    wait = runtime.settings.jobs.sync_wait_seconds
    finished = asyncio.ensure_future(service.wait_for_job(runtime, job.job_id, wait))
    over = asyncio.ensure_future(stream.pause(OVER_WAIT_SECONDS))  # done only when the stream is over
    try:
        while True:
            arrived = asyncio.ensure_future(partials.get())
            await asyncio.wait({finished, over, arrived}, return_when=asyncio.FIRST_COMPLETED)
            if arrived.done():
                yield _partial_event(job, arrived.result())
                continue
            arrived.cancel()
            break
        if not finished.done():  # the client left, or the server is closing
            if stream.over and not runtime.streams.closing.is_set():
                await _cancel(runtime, job)
            return
        while not partials.empty():  # reported just before the job ended
            yield _partial_event(job, partials.get_nowait())
        async for event in _completed_events(runtime, job, finished.result()):
            yield event
    finally:
        partial_images.leave(job.job_id, partials)
        for task in (finished, over):
            task.cancel()
