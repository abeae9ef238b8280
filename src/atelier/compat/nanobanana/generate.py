"""NanoBanana's ``POST /v1/generate``: five sizes, natural or artistic, one image back as
a storage URL, or as base64 while object storage refuses uploads and the image is held in
the database (the storage fallback)."""

from __future__ import annotations

import base64
from datetime import datetime
from typing import Literal

from fastapi import APIRouter
from pydantic import BaseModel, Field

from atelier.auth.dependencies import GeneratePrincipal
from atelier.jobs.params import GenerationParams
from atelier.jobs.sync import generate
from atelier.kit.deps import RuntimeDep, SessionDep
from atelier.storage.fallback import FallbackStorage

router = APIRouter()
SIZES = {
    "1024x1024": (1024, 1024),
    "1280x896": (1280, 896),
    "896x1280": (896, 1280),
    "1408x768": (1408, 768),
    "768x1408": (768, 1408),
}
STYLES = {"natural": "minimalist", "artistic": "creative"}
MODEL = "gemini-2.5-flash-image"


class GenerateIn(BaseModel):
    prompt: str = Field(min_length=1, max_length=4000)
    size: Literal["1024x1024", "1280x896", "896x1280", "1408x768", "768x1408"] = "1024x1024"
    style: Literal["natural", "artistic"] = "natural"


class GenerateOut(BaseModel):
    id: str
    url: str
    prompt: str
    created_at: datetime


@router.post("/v1/generate", response_model=GenerateOut)
async def generate_image(
    body: GenerateIn, principal: GeneratePrincipal, session: SessionDep, runtime: RuntimeDep
) -> GenerateOut:
    width, height = SIZES[body.size]
    params = GenerationParams(prompt=body.prompt, model=MODEL, width=width, height=height, style=STYLES[body.style])
    job, assets = await generate(session, runtime, principal, params)
    asset = assets[0]
    storage = runtime.storage
    if isinstance(storage, FallbackStorage) and await storage.holds(asset.storage_key):
        # The documented base64 fallback: object storage refused the image, and the
        # database holds it until the storage takes it.
        data = await storage.get(asset.storage_key)
        url = f"data:image/{asset.format};base64,{base64.b64encode(data).decode()}"
    else:
        url = await storage.signed_url(
            asset.storage_key,
            expires_in=runtime.settings.storage.url_expiry_seconds,
            content_type=f"image/{asset.format}",
        )
    return GenerateOut(id="gen_" + job.id.split("_", 1)[1], url=url, prompt=body.prompt, created_at=job.created_at)
