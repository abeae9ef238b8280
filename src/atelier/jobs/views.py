"""Turning jobs into API bodies and API bodies into generation parameters."""

from __future__ import annotations

import re

from sqlalchemy.ext.asyncio import AsyncSession

from atelier.assets.endpoints import asset_out
from atelier.auth.dependencies import Principal
from atelier.engines.base import BrandConstraints
from atelier.fetch.safe import SafeFetcher
from atelier.jobs.models import Job
from atelier.jobs.params import GenerationParams, parse_format, parse_size
from atelier.jobs.schemas import ConstraintsIn, GenerationIn, GenerationOut
from atelier.jobs.service import Actor, job_assets
from atelier.kit.errors import ValidationFailed
from atelier.kit.runtime import Runtime
from atelier.webhooks.targets import check_webhook_url

_HEX = re.compile(r"^#[0-9A-Fa-f]{6}$")


def actor_of(principal: Principal) -> Actor:
    return Actor(principal.organization_id, principal.user.id, principal.api_key.id if principal.api_key else None)


def constraints_of(body: ConstraintsIn | None) -> BrandConstraints | None:
    if body is None:
        return None
    bad = [c for c in body.palette_hex if not _HEX.match(c)]
    if bad:
        raise ValidationFailed(
            f"palette_hex entries must be #RRGGBB (got {', '.join(bad)})", details={"field": "constraints.palette_hex"}
        )
    return BrandConstraints(tuple(c.upper() for c in body.palette_hex), tuple(body.fonts), body.logo_safe_zone_pct)


def fetcher(runtime: Runtime) -> SafeFetcher:
    safe: SafeFetcher = runtime.fetcher
    return safe


async def params_of(runtime: Runtime, body: GenerationIn) -> GenerationParams:
    width, height = parse_size(body.size, body.aspect_ratio)
    references = [await fetcher(runtime).fetch_image(url) for url in body.references]
    webhook_url = str(body.webhook_url) if body.webhook_url else None
    if webhook_url:
        await check_webhook_url(runtime, webhook_url, field="webhook_url")
    return GenerationParams(
        prompt=body.prompt,
        model=body.model,
        n=body.n,
        width=width,
        height=height,
        output_format=parse_format(body.format, field_name="format"),
        negative_prompt=body.negative_prompt,
        seed=body.seed,
        guidance=body.guidance,
        steps=body.steps,
        quality=body.quality,
        style=body.style,
        background=body.background,
        design_type=body.design_type,
        constraints=constraints_of(body.constraints),
        project=body.project,
        webhook_url=webhook_url,
        references=references,
    )


async def generation_out(session: AsyncSession, runtime: Runtime, job: Job) -> GenerationOut:
    assets = await job_assets(session, job.id)
    return GenerationOut(
        id=job.id,
        status=job.status,
        progress=job.progress,
        model=job.model,
        engine=job.engine,
        project_id=job.project_id,
        n=job.n,
        size=f"{job.params.get('width')}x{job.params.get('height')}",
        format=str(job.params.get("output_format", "png")),
        cost_usd=str(job.cost_usd),
        attempts=job.attempts,
        error={"code": job.error_code, "message": job.error_message} if job.error_code else None,
        notes=job.notes,
        fidelity=job.fidelity,
        content_checks=job.content_checks,
        created_at=job.created_at,
        started_at=job.started_at,
        finished_at=job.finished_at,
        assets=[await asset_out(runtime, a, job=job) for a in assets],
    )
