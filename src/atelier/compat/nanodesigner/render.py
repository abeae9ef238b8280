"""NanoDesigner's ``/render``, ``/render/async`` and render WebSocket on Atelier's pipeline.
The audit describes what actually ran: the engine route, real cost, the fidelity check
against the brand constraints, and SynthID only where the engine reports it."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from datetime import datetime
from functools import partial
from typing import Any, Literal

from fastapi import APIRouter, WebSocket
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from atelier.assets.service import asset_url
from atelier.auth.dependencies import GeneratePrincipal, JobsPrincipal, ReadSocketPrincipal
from atelier.auth.scopes import Scope
from atelier.engines.base import BrandConstraints, Task
from atelier.jobs import service
from atelier.jobs.models import Asset, Job, JobStatus
from atelier.jobs.params import GenerationParams, parse_format, parse_size
from atelier.jobs.sync import generate, submit
from atelier.jobs.views import fetcher
from atelier.kit.context import current_request_id
from atelier.kit.db import session_scope
from atelier.kit.deps import RuntimeDep, SessionDep
from atelier.kit.errors import NotFound
from atelier.kit.runtime import Runtime
from atelier.kit.streams import Event, Stream, send_events
from atelier.projects.service import ProjectRepository, get_or_create_by_slug
from atelier.safety import report as content

router = APIRouter()
MODEL = "openrouter/gemini-2.5-flash-image"
WS_STATUS = {
    "queued": "queued",
    "processing": "processing",
    "succeeded": "completed",
    "failed": "failed",
    "canceled": "failed",
}


HEX_COLOUR = re.compile(r"#(?:[0-9A-Fa-f]{3}|[0-9A-Fa-f]{6})")


class NullMeansDefault(BaseModel):
    """The real product's optional fields are ``Optional[...]``: its frontend sends ``null``
    for one it leaves unset, which here means the field's default."""

    @model_validator(mode="before")
    @classmethod
    def _drop_nulls(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        fields = cls.model_fields
        return {k: v for k, v in data.items() if not (v is None and k in fields and not fields[k].is_required())}


class Prompts(NullMeansDefault):
    task: Literal["create", "edit", "variations"]
    instruction: str = Field(min_length=5, max_length=4000)
    references: list[str] = Field(default_factory=list, max_length=8)


class Outputs(NullMeansDefault):
    count: int = Field(1, ge=1, le=6)
    dimensions: str = Field("1024x1024", pattern=r"^\d{2,4}x\d{2,4}$")
    format: Literal["png", "jpg", "webp"] = "png"


class Constraints(NullMeansDefault):
    palette_hex: list[str] = Field(default_factory=list, max_length=12)
    fonts: list[str] = Field(default_factory=list, max_length=6)
    logo_safe_zone_pct: float = Field(0, ge=0, le=40)

    @field_validator("palette_hex")
    @classmethod
    def _hex(cls, values: list[str]) -> list[str]:
        """``#RGB`` or ``#RRGGBB``, as the real product accepts; kept as ``#RRGGBB``."""
        bad = [v for v in values if not HEX_COLOUR.fullmatch(v)]
        if bad:
            raise ValueError(f"palette_hex entries must be #RGB or #RRGGBB: {', '.join(bad)}")
        return ["#" + "".join(c * 2 for c in v[1:]).upper() if len(v) == 4 else v.upper() for v in values]


class RenderRequest(NullMeansDefault):
    model_config = ConfigDict(extra="forbid")
    project_id: str = Field(min_length=1, max_length=200)
    prompts: Prompts
    outputs: Outputs
    constraints: Constraints | None = None


async def params_of(runtime: Runtime, body: RenderRequest) -> GenerationParams:
    width, height = parse_size(body.outputs.dimensions, field_name="outputs.dimensions")
    references = [await fetcher(runtime).fetch_image(url) for url in body.prompts.references]
    task = {"create": Task.GENERATE, "edit": Task.EDIT, "variations": Task.VARIATIONS}[body.prompts.task]
    if task == Task.VARIATIONS and not references:
        task = Task.GENERATE  # variations of an instruction: n distinct renders of it
    c = body.constraints
    return GenerationParams(
        prompt=body.prompts.instruction,
        model=MODEL,
        n=body.outputs.count,
        width=width,
        height=height,
        output_format=parse_format(body.outputs.format, field_name="outputs.format"),
        task=task,
        references=references,
        project=None,
        constraints=BrandConstraints(tuple(c.palette_hex), tuple(c.fonts), c.logo_safe_zone_pct) if c else None,
    )


def guardrails_ok(job: Job, body_constraints: Constraints | None) -> bool:
    """The brand guardrails held and the content policy really checked the prompt and every
    image, flagging none (a policy that allows everything runs no check: not ok)."""
    if not (content.prompt_checked(job) and content.images_checked(job)) or content.flagged(job):
        return False
    for report in job.fidelity:
        if not (report["size_ok"] and report["format_ok"]):
            return False
        if body_constraints and body_constraints.palette_hex and (report["palette_adherence"] or 0) < 0.99:
            return False
        if report.get("safe_zone_violations"):
            return False
    return True


async def render_body(
    runtime: Runtime, job: Job, assets: list[Asset], constraints: Constraints | None, references: int
) -> dict[str, Any]:
    steps = (["fetch_references"] if references else []) + ["analysis", "generation", "encode", "fidelity_check"]
    checks = ["input_validation", *content.safety_checks(job)] + (["brand_canon"] if constraints else [])
    return {
        "assets": [
            {
                "url": await asset_url(runtime, a),
                "r2_key": a.storage_key,
                "synthid": {"present": bool(a.synthid), "payload": None},
            }
            for a in assets
        ],
        "audit": {
            "trace_id": current_request_id() or job.id,
            "model_route": f"{job.model} -> {job.engine}",
            "cost_usd": float(job.cost_usd),
            "guardrails_ok": guardrails_ok(job, constraints),
            "plan": {"goal": str(job.params.get("prompt", ""))[:200], "steps": steps, "safety_checks": checks},
            "fidelity": job.fidelity,
            "attempts": job.attempts,
            "job_id": job.id,
        },
    }


async def _project(session: AsyncSession, runtime: Runtime, org_id: str, slug: str, params: GenerationParams) -> None:
    project = await get_or_create_by_slug(session, org_id, slug)
    params.project = project.id


@router.post("/render")
async def render(
    body: RenderRequest, principal: GeneratePrincipal, session: SessionDep, runtime: RuntimeDep
) -> dict[str, Any]:
    params = await params_of(runtime, body)
    await _project(session, runtime, principal.organization_id, body.project_id, params)
    job, assets = await generate(session, runtime, principal, params)
    return await render_body(runtime, job, assets, body.constraints, len(body.prompts.references))


@router.post("/render/async", status_code=202)
async def render_async(
    body: RenderRequest, principal: GeneratePrincipal, session: SessionDep, runtime: RuntimeDep
) -> dict[str, Any]:
    params = await params_of(runtime, body)
    await _project(session, runtime, principal.organization_id, body.project_id, params)
    job = await submit(session, runtime, principal, params)
    return {
        "job_id": job.id,
        "status": "queued",
        "status_url": f"render/jobs/{job.id}",
        "websocket_url": f"ws/render/{body.project_id}",
    }


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat().replace("+00:00", "Z") if moment else None


@router.get("/render/jobs/{job_id}")
async def render_job(job_id: str, principal: JobsPrincipal, session: SessionDep, runtime: RuntimeDep) -> dict[str, Any]:
    """The real product's ``JobStatusResponse`` (``url``, ``preview_url``, ``r2_key``,
    ``synthid`` of the first asset once completed; ``error`` as a message) plus ``result``:
    the whole ``/render`` body, every asset. ``preview_url`` is the final image: Atelier
    renders no separate low-resolution preview."""
    job = await service.get_job(session, principal.organization_id, job_id)
    out: dict[str, Any] = {
        "job_id": job.id,
        "status": WS_STATUS[job.status],
        "progress": round(job.progress * 100),
        "url": None,
        "preview_url": None,
        "r2_key": None,
        "synthid": None,
        "error": None,
        "created_at": _iso(job.created_at),
        "updated_at": _iso(job.finished_at or job.started_at or job.created_at),
    }
    if job.status == JobStatus.SUCCEEDED.value:
        result = await render_body(runtime, job, await service.job_assets(session, job.id), None, 0)
        first = result["assets"][0] if result["assets"] else None
        if first is not None:
            out.update(url=first["url"], preview_url=first["url"], r2_key=first["r2_key"], synthid=first["synthid"])
        out["result"] = result
    elif job.error_message:
        out.update(error=job.error_message, error_code=job.error_code)
    return out


@router.websocket("/ws/render/{project_id}")
async def render_socket(websocket: WebSocket, project_id: str, principal: ReadSocketPrincipal) -> None:
    """``job_status`` on every change of the project's jobs and ``render_completed`` with the
    assets when one succeeds. Authenticate with the usual headers or ``?token=``."""
    runtime: Runtime = websocket.app.state.runtime
    async with session_scope(runtime.sessions) as session:
        if principal.has_scope(Scope.GENERATE.value):
            project = await get_or_create_by_slug(session, principal.organization_id, project_id)
        else:  # watching needs only ``read``; creating the project needs ``generate``
            found = await ProjectRepository(session).for_org(principal.organization_id, project_id)
            if found is None:
                raise NotFound(f"Project {project_id} not found")
            project = found
    await websocket.accept()
    await send_events(websocket, runtime.streams, partial(project_events, runtime, project.id))


async def project_events(runtime: Runtime, project_id: str, stream: Stream) -> AsyncIterator[Event]:
    """``job_status`` for each change of a project's jobs (those finished before the socket
    opened are not news), and ``render_completed`` when one succeeds; until the stream is over."""
    seen: dict[str, tuple[str, int]] = {}
    async with runtime.sessions() as session:
        for job in (await session.execute(select(Job).where(Job.project_id == project_id))).scalars():
            if job.status_enum.final:
                seen[job.id] = (job.status, round(job.progress * 100))
    while True:
        async with runtime.sessions() as session:
            for job in (await session.execute(select(Job).where(Job.project_id == project_id))).scalars().all():
                state = (job.status, round(job.progress * 100))
                if seen.get(job.id) == state:
                    continue
                seen[job.id] = state
                yield {
                    "type": "job_status",
                    "job_id": job.id,
                    "status": WS_STATUS[job.status],
                    "progress": state[1],
                    "eta_seconds": None,
                }
                if job.status == JobStatus.SUCCEEDED.value:
                    body = await render_body(runtime, job, await service.job_assets(session, job.id), None, 0)
                    yield {"type": "render_completed", "job_id": job.id, **body}
        if not await stream.pause(0.2):
            return
