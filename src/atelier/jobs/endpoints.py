from __future__ import annotations

import re
from collections.abc import AsyncIterator
from typing import Any

from fastapi import APIRouter, Header, WebSocket
from fastapi.responses import JSONResponse

from atelier.auth.dependencies import PUBLIC, GeneratePrincipal, JobsPrincipal, ReadSocketPrincipal
from atelier.jobs import service
from atelier.jobs.models import Job
from atelier.jobs.schemas import GenerationIn, GenerationOut
from atelier.jobs.views import actor_of, generation_out, params_of
from atelier.kit.db import session_scope
from atelier.kit.deps import RuntimeDep, SessionDep, run_after_commit
from atelier.kit.runtime import Runtime
from atelier.kit.streams import Event, EventStreamResponse, Stream, send_events

router = APIRouter(prefix="/v1", tags=["generations"])
_WAIT = re.compile(r"wait(?:=(\d+))?")


def wait_seconds(prefer: str | None, cap: int) -> float | None:
    match = _WAIT.search(prefer or "")
    if not match:
        return None
    return float(min(int(match.group(1) or cap), cap))


@router.get("/models", summary="Routes with capabilities and prices", dependencies=[PUBLIC])
async def list_models(runtime: RuntimeDep) -> dict[str, Any]:
    return {"object": "list", "data": service.runner(runtime).models()}


@router.post(
    "/generations",
    response_model=GenerationOut,
    status_code=202,
    summary="Generate images (202 with the job, or the result with `Prefer: wait`)",
)
async def create_generation(
    body: GenerationIn,
    principal: GeneratePrincipal,
    session: SessionDep,
    runtime: RuntimeDep,
    prefer: str | None = Header(None, description="`wait=N` waits up to N seconds for the result"),
) -> JSONResponse:
    principal.require_scope("generate")
    params = await params_of(runtime, body)
    job = await service.submit_generation(session, runtime, actor_of(principal), params)
    await session.commit()
    await run_after_commit(session)
    wait = wait_seconds(prefer, runtime.settings.jobs.sync_wait_seconds)
    if wait:
        job = await service.wait_for_job(runtime, job.id, wait)
    async with runtime.sessions() as read:
        fresh = await read.get(Job, job.id)
        assert fresh is not None
        out = await generation_out(read, runtime, fresh)
    # Without `Prefer: wait` the answer is always 202, however fast the job was: clients branch on it.
    status = 200 if wait and out.status in {"succeeded", "failed", "canceled"} else 202
    return JSONResponse(out.model_dump(mode="json"), status_code=status)


@router.get("/generations/{job_id}", response_model=GenerationOut, summary="A generation and its assets")
async def get_generation(
    job_id: str, principal: JobsPrincipal, session: SessionDep, runtime: RuntimeDep
) -> GenerationOut:
    return await generation_out(session, runtime, await service.get_job(session, principal.organization_id, job_id))


@router.post("/generations/{job_id}/cancel", response_model=GenerationOut, summary="Cancel a queued or running job")
async def cancel_generation(
    job_id: str, principal: GeneratePrincipal, session: SessionDep, runtime: RuntimeDep
) -> GenerationOut:
    job = await service.cancel_job(session, runtime, principal.organization_id, job_id)
    return await generation_out(session, runtime, job)


async def job_events(runtime: Runtime, organization_id: str, job_id: str, stream: Stream) -> AsyncIterator[Event]:
    """Progress and status changes, read with short sessions so a worker elsewhere is seen too,
    until the job is final or the stream is over."""
    last: tuple[str, float] | None = None
    while True:
        async with runtime.sessions() as session:
            job = await service.get_job(session, organization_id, job_id)
            state = (job.status, round(job.progress, 3))
            if state != last:
                last = state
                body = service.job_summary(job)
                if job.status_enum.final:
                    body = (await generation_out(session, runtime, job)).model_dump(mode="json")
                    yield {"event": f"job.{job.status}", "data": body}
                    return
                yield {"event": "job.progress" if job.status == "processing" else f"job.{job.status}", "data": body}
        if not await stream.pause(0.2):
            return


@router.get("/generations/{job_id}/events", summary="Server-Sent Events: progress, then completion")
async def generation_events(
    job_id: str, principal: JobsPrincipal, session: SessionDep, runtime: RuntimeDep
) -> EventStreamResponse:
    await service.get_job(session, principal.organization_id, job_id)
    organization_id = principal.organization_id
    return EventStreamResponse(runtime.streams, lambda stream: job_events(runtime, organization_id, job_id, stream))


@router.websocket("/generations/{job_id}/ws")
async def generation_socket(websocket: WebSocket, job_id: str, principal: ReadSocketPrincipal) -> None:
    """The same events as the SSE stream; authenticate with `?api_key=` or the usual headers.
    Refusals close with 4000 + the HTTP status (4401, 4403, 4404) and the reason."""
    runtime: Runtime = websocket.app.state.runtime
    async with session_scope(runtime.sessions) as session:
        await service.get_job(session, principal.organization_id, job_id)
    await websocket.accept()
    organization_id = principal.organization_id

    async def messages(stream: Stream) -> AsyncIterator[Event]:
        async for event in job_events(runtime, organization_id, job_id, stream):
            yield {"type": event["event"], **event["data"]}

    await send_events(websocket, runtime.streams, messages)
