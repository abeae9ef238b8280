"""OpenAI's Images API, served on the same job machinery: the official SDK works against
it with only ``base_url`` and ``api_key`` changed."""

from __future__ import annotations

import time
from typing import Any

from fastapi import APIRouter, File, Form, UploadFile
from pydantic import BaseModel, ConfigDict, Field, model_validator
from sqlalchemy.ext.asyncio import AsyncSession

from atelier.assets.service import asset_b64, asset_url
from atelier.auth.dependencies import GeneratePrincipal, Principal
from atelier.engines.base import PARTIAL_IMAGES, Task, partial_images
from atelier.images.streaming import StreamedJob, image_events
from atelier.jobs import service, sync
from atelier.jobs.params import GenerationParams, parse_format, parse_size
from atelier.jobs.views import actor_of, fetcher
from atelier.kit.deps import RuntimeDep, SessionDep, run_after_commit
from atelier.kit.errors import ValidationFailed
from atelier.kit.runtime import Runtime
from atelier.kit.streams import EventStreamResponse

router = APIRouter(prefix="/v1/images", tags=["openai-compatible"])


class ImagesRequest(BaseModel):
    model_config = ConfigDict(extra="ignore")
    prompt: str = Field(min_length=1, max_length=4000)
    model: str = "atelier-design"
    n: int = Field(1, ge=1, le=10)
    size: str | None = "1024x1024"
    quality: str | None = Field(None, pattern="^(standard|hd|low|medium|high|auto)$")
    response_format: str | None = Field(None, pattern="^(url|b64_json)$")
    output_format: str | None = Field(None, pattern="^(png|jpeg|webp)$")
    background: str | None = Field(None, pattern="^(transparent|opaque|auto)$")
    style: str | None = Field(None, pattern="^(vivid|natural)$")
    user: str | None = Field(None, max_length=200)
    stream: bool = False
    partial_images: int | None = Field(None, ge=0, le=3)

    @model_validator(mode="after")
    def _transparency_needs_alpha(self) -> ImagesRequest:
        check_background(self.background, self.output_format)
        return self


def check_background(background: str | None, output_format: str | None) -> None:
    """Like OpenAI: a transparent background needs a format with an alpha channel."""
    if background == "transparent" and output_format == "jpeg":
        raise ValidationFailed(
            "Transparent background is not supported for output_format 'jpeg'; use 'png' or 'webp'",
            details={"field": "background"},
        )


#: One Server-Sent Event as OpenAPI describes a stream's items: its name, and its JSON data as text.
_SSE_EVENT: dict[str, Any] = {
    "type": "object",
    "properties": {
        "event": {
            "type": "string",
            "enum": [
                "image_generation.partial_image",
                "image_generation.completed",
                "image_edit.partial_image",
                "image_edit.completed",
                "error",
            ],
        },
        "data": {"type": "string", "description": "the event's JSON object"},
    },
    "required": ["data"],
}
#: The two answers of an images route: JSON, or with ``stream=true`` OpenAI's event stream.
RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "The images; with `stream=true`, Server-Sent Events (partial images, then completed)",
        "content": {"application/json": {}, "text/event-stream": {"schema": _SSE_EVENT}},
    }
}


def default_format(model: str) -> str:
    """Like OpenAI: GPT image models answer in base64 unless asked otherwise, the others with URLs."""
    return "b64_json" if model.startswith("gpt-image") else "url"


def _shape(params: GenerationParams) -> dict[str, str]:
    return {
        "output_format": params.output_format.value,
        "size": f"{params.width}x{params.height}",
        "quality": params.quality or "auto",
        "background": params.background or "opaque",
    }


async def _stream(
    session: AsyncSession, runtime: Runtime, principal: Principal, params: GenerationParams, kind: str
) -> EventStreamResponse:
    principal.require_scope("generate")
    job = await service.submit_generation(session, runtime, actor_of(principal), params)
    streamed = StreamedJob(job.id, principal.organization_id, kind, _shape(params))
    partials = partial_images.follow(job.id)  # before the job can start
    try:
        await session.commit()
        await run_after_commit(session)
    except BaseException:
        partial_images.leave(job.id, partials)
        raise
    return EventStreamResponse(runtime.streams, lambda stream: image_events(runtime, streamed, partials, stream))


def _with_partials(params: GenerationParams, partials: int | None) -> GenerationParams:
    if partials:
        params.extra[PARTIAL_IMAGES] = partials
    return params


async def _run(
    session: AsyncSession, runtime: Runtime, principal: Principal, params: GenerationParams, response_format: str
) -> dict[str, Any]:
    job, assets = await sync.generate(session, runtime, principal, params)
    data = []
    for asset in assets:
        item: dict[str, Any] = {"revised_prompt": asset.revised_prompt}
        if response_format == "b64_json":
            item["b64_json"] = await asset_b64(runtime, asset)
        else:
            item["url"] = await asset_url(runtime, asset)
        data.append(item)
    created = int(job.created_at.timestamp()) if job.created_at else int(time.time())
    return {"created": created, "data": data, **_shape(params)}


@router.post("/generations", summary="Create images (OpenAI Images API)", response_model=None, responses=RESPONSES)
async def generations(
    body: ImagesRequest, principal: GeneratePrincipal, session: SessionDep, runtime: RuntimeDep
) -> dict[str, Any] | EventStreamResponse:
    width, height = parse_size(body.size)
    params = GenerationParams(
        prompt=body.prompt,
        model=body.model,
        n=body.n,
        width=width,
        height=height,
        output_format=parse_format(body.output_format),
        quality=body.quality,
        background=body.background,
        extra={"openai_style": body.style} if body.style else {},
    )
    if body.stream:
        return await _stream(
            session, runtime, principal, _with_partials(params, body.partial_images), "image_generation"
        )
    return await _run(session, runtime, principal, params, body.response_format or default_format(body.model))


async def _read_images(files: list[UploadFile], runtime: Runtime, field: str) -> list[bytes]:
    out = []
    for upload in files:
        data = await upload.read()
        out.append(fetcher(runtime).decode_image(data, f"{field} '{upload.filename or 'upload'}'"))
    if not out:
        raise ValidationFailed(f"{field} is required", details={"field": field})
    return out


@router.post("/edits", summary="Edit images (OpenAI Images API, multipart)", response_model=None, responses=RESPONSES)
async def edits(
    principal: GeneratePrincipal,
    session: SessionDep,
    runtime: RuntimeDep,
    prompt: str = Form(..., min_length=1, max_length=4000),
    image: list[UploadFile] = File(...),
    mask: UploadFile | None = File(None),
    model: str = Form("atelier-design"),
    n: int = Form(1, ge=1, le=10),
    size: str | None = Form("1024x1024"),
    response_format: str | None = Form(None, pattern="^(url|b64_json)$"),
    output_format: str | None = Form(None),
    quality: str | None = Form(None),
    background: str | None = Form(None),
    stream: bool = Form(False),
    partial_images: int | None = Form(None, ge=0, le=3),
) -> dict[str, Any] | EventStreamResponse:
    check_background(background, output_format)
    width, height = parse_size(size)
    images = await _read_images(image, runtime, "image")
    mask_data = (await _read_images([mask], runtime, "mask"))[0] if mask is not None else None
    params = GenerationParams(
        prompt=prompt,
        model=model,
        n=n,
        width=width,
        height=height,
        output_format=parse_format(output_format),
        task=Task.EDIT,
        quality=quality,
        background=background,
        references=images,
        mask=mask_data,
    )
    if stream:
        return await _stream(session, runtime, principal, _with_partials(params, partial_images), "image_edit")
    return await _run(session, runtime, principal, params, response_format or default_format(model))


@router.post("/variations", summary="Variations of an image (OpenAI Images API, multipart)")
async def variations(
    principal: GeneratePrincipal,
    session: SessionDep,
    runtime: RuntimeDep,
    image: UploadFile = File(...),
    model: str = Form("atelier-design"),
    n: int = Form(1, ge=1, le=10),
    size: str | None = Form("1024x1024"),
    response_format: str | None = Form(None, pattern="^(url|b64_json)$"),
    prompt: str = Form(""),
) -> dict[str, Any]:
    width, height = parse_size(size)
    params = GenerationParams(
        prompt=prompt,
        model=model,
        n=n,
        width=width,
        height=height,
        task=Task.VARIATIONS,
        references=await _read_images([image], runtime, "image"),
    )
    return await _run(session, runtime, principal, params, response_format or default_format(model))
