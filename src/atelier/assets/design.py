"""A design-engine asset's spec as SVG, and the spec drawn again: at another size or format,
or after an edit (the client sends the edited spec). Nothing is stored; the original asset
and its spec stay as they were."""

from __future__ import annotations

import asyncio
from typing import Any, Literal

from fastapi import APIRouter, Response
from pydantic import BaseModel, ConfigDict, Field

from atelier import design
from atelier.assets import service
from atelier.auth.dependencies import GeneratePrincipal, ReadPrincipal
from atelier.jobs.models import Asset
from atelier.kit.deps import SessionDep
from atelier.kit.errors import Conflict, ValidationFailed

router = APIRouter(prefix="/v1/assets", tags=["gallery"])
MEDIA = {"png": "image/png", "jpeg": "image/jpeg", "webp": "image/webp"}


class RenderRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    width: int | None = Field(
        None, ge=design.MIN_SIDE, le=design.MAX_SIDE, description="Pixels; the spec's own by default"
    )
    height: int | None = Field(
        None, ge=design.MIN_SIDE, le=design.MAX_SIDE, description="Pixels; the spec's own by default"
    )
    format: Literal["png", "jpeg", "webp"] = "png"
    spec: dict[str, Any] | None = Field(None, description="An edited copy of the asset's spec to draw instead of it")


def _spec(asset: Asset) -> dict[str, Any]:
    if not asset.spec or "layers" not in asset.spec:
        raise Conflict(
            f"Asset {asset.id} has no design spec: only the design engine's images can be redrawn",
            code="NO_DESIGN_SPEC",
        )
    return asset.spec


@router.get(
    "/{asset_id}/svg",
    summary="The design as SVG",
    response_class=Response,
    responses={200: {"content": {"image/svg+xml": {}}}},
)
async def asset_svg(asset_id: str, principal: ReadPrincipal, session: SessionDep) -> Response:
    spec = _spec(await service.get_asset(session, principal.organization_id, asset_id))
    try:
        svg = await asyncio.to_thread(design.svg_of, spec)
    except ValueError as exc:
        raise Conflict(f"Asset {asset_id}'s stored spec cannot be drawn: {exc}", code="INVALID_SPEC") from exc
    return Response(svg, media_type="image/svg+xml")


@router.post(
    "/{asset_id}/render",
    summary="Draw the design again at another size or format, or an edited copy of its spec",
    response_class=Response,
    responses={200: {"content": {m: {} for m in MEDIA.values()}}},
)
async def render_asset(
    asset_id: str, body: RenderRequest, principal: GeneratePrincipal, session: SessionDep
) -> Response:
    stored = _spec(await service.get_asset(session, principal.organization_id, asset_id))
    spec = body.spec if body.spec is not None else stored
    raw_canvas = spec.get("canvas")
    canvas: dict[str, Any] = raw_canvas if isinstance(raw_canvas, dict) else {}
    width = body.width or canvas.get("width")
    height = body.height or canvas.get("height")
    try:
        data = await asyncio.to_thread(
            design.rerender, spec, width=int(width or 0), height=int(height or 0), fmt=body.format
        )
    except ValueError as exc:
        raise ValidationFailed(str(exc), details={"field": "spec" if body.spec is not None else "width"}) from exc
    return Response(data, media_type=MEDIA[body.format])
