"""Pixova's ``/api/generate`` and ``/api/download`` on Atelier's pipeline. Variations are
one job of n images; ``model_used`` is the engine that actually ran it; ``request_id`` is the
request's ``X-Request-ID``. Who may generate: :mod:`atelier.compat.pixova.access`."""

from __future__ import annotations

import mimetypes
import time
from typing import Literal
from urllib.parse import unquote, urlsplit

from fastapi import APIRouter, Query
from fastapi.responses import Response
from pydantic import BaseModel, Field

from atelier.assets.service import asset_url
from atelier.auth.dependencies import PUBLIC
from atelier.compat.pixova.access import PixovaGeneratePrincipal
from atelier.jobs.params import GenerationParams
from atelier.jobs.sync import generate
from atelier.jobs.views import fetcher
from atelier.kit.context import current_request_id
from atelier.kit.deps import RuntimeDep, SessionDep
from atelier.kit.errors import ValidationFailed
from atelier.storage.base import Storage

router = APIRouter()
QUALITY_PX = {"standard": 1024, "high": 1536, "ultra": 2048}
DESIGN_TYPES = {"logo": "logo", "social": "social", "flyer": "poster", "banner": "banner"}
ROUTE = "provider-5/flux-fast"  # the head of Pixova's documented fallback chain


class PixovaRequest(BaseModel):
    user_id: str = Field(min_length=1, max_length=200)
    prompt: str = Field(min_length=1, max_length=2000)
    design_type: Literal["logo", "social", "flyer", "banner"] = "logo"
    style: Literal["modern", "corporate", "creative", "minimalist", "vibrant", "elegant"] = "modern"
    quality: Literal["standard", "high", "ultra"] = "standard"
    num_variations: int = Field(1, ge=1, le=5)
    include_text_in_ai: bool = False


def canvas(design_type: str, side: int) -> tuple[int, int]:
    if design_type == "flyer":
        return side * 3 // 4, side
    if design_type == "banner":
        return side, side // 3
    return side, side


@router.post("/api/generate")
async def generate_design(
    body: PixovaRequest, principal: PixovaGeneratePrincipal, session: SessionDep, runtime: RuntimeDep
) -> dict[str, object]:
    started = time.perf_counter()
    width, height = canvas(body.design_type, QUALITY_PX[body.quality])
    params = GenerationParams(
        prompt=body.prompt,
        model=ROUTE,
        n=body.num_variations,
        width=width,
        height=height,
        style=body.style,
        design_type=DESIGN_TYPES[body.design_type],
        quality=body.quality,
        extra={"pixova_user_id": body.user_id, "include_text_in_ai": body.include_text_in_ai},
    )
    job, assets = await generate(session, runtime, principal, params)
    per_image_ms = 0
    if job.started_at and job.finished_at:
        per_image_ms = round((job.finished_at - job.started_at).total_seconds() * 1000 / max(1, len(assets)))
    variations = []
    for number, asset in enumerate(assets, start=1):
        variations.append(
            {
                "variation_number": number,
                "success": True,
                "image_url": await asset_url(runtime, asset),
                "prompt": asset.revised_prompt or body.prompt,
                "model_used": job.engine,
                "generation_time_ms": per_image_ms,
                "width": asset.width,
                "height": asset.height,
            }
        )
    return {
        "success": True,
        "request_id": current_request_id(),
        "design_type": body.design_type,
        "prompt": body.prompt,
        "num_generated": len(variations),
        "variations": variations,
        "total_time_ms": round((time.perf_counter() - started) * 1000),
    }


@router.get("/api/download", dependencies=[PUBLIC])
async def download(runtime: RuntimeDep, url: str = Query(..., min_length=1, max_length=4000)) -> Response:
    """Serves Atelier's own stored images (by their signed URL, whichever storage backend signed
    it), or images from hosts listed in ``ATELIER_COMPAT__DOWNLOAD_HOSTS`` through the safe
    fetcher. Never an open proxy."""
    try:
        parts = urlsplit(url)
    except ValueError as exc:  # "Invalid IPv6 URL" and the like: the caller's mistake
        raise ValidationFailed("url is not a valid URL", details={"field": "url"}) from exc
    storage: Storage = runtime.storage
    stored = await storage.read_signed_url(url)
    if stored is not None:
        data, media = stored
    elif parts.hostname and parts.hostname in runtime.settings.compat.download_hosts:
        data = await fetcher(runtime).fetch_image(url)
        media = mimetypes.guess_type(parts.path)[0] or "image/png"
    else:
        raise ValidationFailed(
            "Only images stored by this server or from allow-listed hosts can be downloaded", details={"field": "url"}
        )
    name = unquote(parts.path.rsplit("/", 1)[-1]) if stored is not None else "image"
    return Response(
        data,
        media_type=media,
        headers={"Content-Disposition": f'attachment; filename="{name}"', "Access-Control-Allow-Origin": "*"},
    )
