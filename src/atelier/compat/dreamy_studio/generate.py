"""Dreamy Studio's generation routes: every documented parameter validated with its range,
its model list mapped through Atelier's routes, sync and queued modes, status and cancel."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter
from pydantic import Field, HttpUrl
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from atelier.assets.service import asset_url
from atelier.auth.dependencies import GeneratePrincipal, JobsPrincipal
from atelier.compat.dreamy_studio.body import DreamyBody
from atelier.engines.base import Task
from atelier.jobs import service
from atelier.jobs.models import Job, JobStatus
from atelier.jobs.params import GenerationParams, parse_format
from atelier.jobs.sync import submit, submit_and_wait
from atelier.jobs.views import fetcher
from atelier.kit.deps import RuntimeDep, SessionDep
from atelier.kit.runtime import Runtime
from atelier.safety import report as content

router = APIRouter()
IMAGE_SIZES = {
    "square_hd": (1024, 1024),
    "square": (1024, 1024),
    "portrait_4_3": (1024, 1365),
    "portrait_16_9": (1024, 1820),
    "landscape_4_3": (1365, 1024),
    "landscape_16_9": (1820, 1024),
}
STATUS = {
    "queued": "in_queue",
    "processing": "processing",
    "succeeded": "completed",
    "failed": "failed",
    "canceled": "failed",
}


class Lora(DreamyBody):
    path: str = Field(min_length=1, max_length=500)
    scale: float = Field(1.0, ge=0, le=4)


class DreamyGenerate(DreamyBody):
    model: str = Field(min_length=1, max_length=200)
    prompt: str = Field(min_length=1, max_length=2000)
    negative_prompt: str | None = Field(None, max_length=1000)
    image_size: Literal["square_hd", "square", "portrait_4_3", "portrait_16_9", "landscape_4_3", "landscape_16_9"] = (
        "square_hd"
    )
    num_images: int = Field(1, ge=1, le=4)
    seed: int | None = Field(None, ge=0, le=2**32 - 1)
    guidance_scale: float | None = Field(None, ge=0, le=20)
    num_inference_steps: int | None = Field(None, ge=1, le=100)
    sync_mode: bool = False
    enable_safety_checker: bool = True
    loras: list[Lora] = Field(default_factory=list, max_length=5)
    image_url: HttpUrl | None = None
    strength: float | None = Field(None, ge=0, le=1)
    controlnet_conditioning_scale: float | None = Field(None, ge=0, le=2)
    expand_prompt: bool = False
    format: Literal["jpeg", "png"] = "png"


async def images_of(session: AsyncSession, runtime: Runtime, job: Job) -> list[dict[str, Any]]:
    return [
        {"id": a.id, "url": await asset_url(runtime, a), "width": a.width, "height": a.height}
        for a in await service.job_assets(session, job.id)
    ]


async def safety_of(session: AsyncSession, job: Job) -> dict[str, Any]:
    """What really ran, whatever the request asked: the operator's content policy, not the
    caller, decides the checks. Once the job succeeded, ``enable_safety_checker`` says whether
    its images were scored before being stored; before that, whether its prompt was checked.
    ``has_nsfw_concepts``, as fal reports it: per image, whether the policy flagged it."""
    ran = content.images_checked(job) if job.status == JobStatus.SUCCEEDED.value else content.prompt_checked(job)
    assets = await service.job_assets(session, job.id)
    return {"enable_safety_checker": ran, "has_nsfw_concepts": [bool(a.content_flag) for a in assets]}


async def queue_position(session: AsyncSession, job: Job) -> int | None:
    if job.status != JobStatus.QUEUED.value:
        return None
    ahead = await session.execute(
        select(func.count()).where(Job.status == JobStatus.QUEUED.value, Job.created_at < job.created_at)
    )
    return int(ahead.scalar_one())


@router.post("/api/generate")
async def generate(
    body: DreamyGenerate, principal: GeneratePrincipal, session: SessionDep, runtime: RuntimeDep
) -> dict[str, Any]:
    width, height = IMAGE_SIZES[body.image_size]
    references = [await fetcher(runtime).fetch_image(str(body.image_url))] if body.image_url else []
    params = GenerationParams(
        prompt=body.prompt,
        model=body.model,
        n=body.num_images,
        width=width,
        height=height,
        output_format=parse_format(body.format, field_name="format"),
        negative_prompt=body.negative_prompt,
        seed=body.seed,
        guidance=body.guidance_scale,
        steps=body.num_inference_steps,
        task=Task.EDIT if references else Task.GENERATE,
        references=references,
        extra={
            "loras": [lora.model_dump() for lora in body.loras],
            "strength": body.strength,
            "controlnet_conditioning_scale": body.controlnet_conditioning_scale,
            "enable_safety_checker": body.enable_safety_checker,
            "expand_prompt": body.expand_prompt,
        },
    )
    if body.sync_mode:
        job = await submit_and_wait(session, runtime, principal, params)
        async with runtime.read_sessions() as read:
            return {
                "success": True,
                "generation": {
                    "id": job.id,
                    "status": "completed",
                    "images": await images_of(read, runtime, job),
                    **await safety_of(read, job),
                },
            }
    job = await submit(session, runtime, principal, params)
    return {
        "success": True,
        "generation": {
            "id": job.id,
            "status": "in_queue",
            "falRequestId": None,
            "message": "Generation queued successfully. Use the status endpoint to check progress.",
        },
    }


@router.get("/api/generate/{generation_id}")
async def status(
    generation_id: str, principal: JobsPrincipal, session: SessionDep, runtime: RuntimeDep
) -> dict[str, Any]:
    job = await service.get_job(session, principal.organization_id, generation_id)
    error = None
    if job.status == JobStatus.CANCELED.value:
        error = "Generation cancelled"
    elif job.error_message:
        error = job.error_message
    return {
        "success": True,
        "generation": {
            "id": job.id,
            "status": STATUS[job.status],
            "queuePosition": await queue_position(session, job),
            "prompt": job.params.get("prompt"),
            "model": job.model,
            "error": error,
            "images": await images_of(session, runtime, job),
            **await safety_of(session, job),
            "createdAt": job.created_at.isoformat().replace("+00:00", "Z"),
        },
    }


@router.delete("/api/generate/{generation_id}")
async def cancel(
    generation_id: str, principal: GeneratePrincipal, session: SessionDep, runtime: RuntimeDep
) -> dict[str, Any]:
    job = await service.cancel_job(session, runtime, principal.organization_id, generation_id)
    if job.status_enum.final and job.status != JobStatus.CANCELED.value:
        from atelier.kit.errors import Conflict

        raise Conflict(f"Generation already {STATUS[job.status]}")
    return {"success": True, "message": "Generation cancelled successfully"}
