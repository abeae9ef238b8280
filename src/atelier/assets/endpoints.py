from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import APIRouter, Query, Response
from pydantic import BaseModel, ConfigDict

from atelier.assets import service
from atelier.auth.dependencies import GalleryPrincipal, ReadPrincipal
from atelier.jobs.models import Asset, Job
from atelier.jobs.schemas import AssetOut
from atelier.kit.deps import RuntimeDep, SessionDep
from atelier.kit.pagination import Limit100, Offset
from atelier.kit.runtime import Runtime

router = APIRouter(prefix="/v1/assets", tags=["gallery"])


class AssetPatch(BaseModel):
    model_config = ConfigDict(extra="forbid")
    favorite: bool | None = None
    public: bool | None = None


class AssetPage(BaseModel):
    data: list[AssetOut]
    total: int
    offset: int
    limit: int


async def asset_out(runtime: Runtime, asset: Asset, *, with_spec: bool = False, job: Job | None = None) -> AssetOut:
    return AssetOut(
        id=asset.id,
        url=await service.asset_url(runtime, asset),
        format=asset.format,
        width=asset.width,
        height=asset.height,
        bytes=asset.bytes,
        project_id=asset.project_id,
        job_id=asset.job_id,
        favorite=asset.favorite,
        public=asset.public,
        created_at=asset.created_at,
        spec=asset.spec if with_spec else None,
        synthid=asset.synthid,
        thumbnail_url=await service.thumbnail_url(runtime, asset),
        share_url=service.share_url(runtime, asset),
        content_flag=asset.content_flag,
        prompt=job.params.get("prompt") if job is not None else None,
        model=job.model if job is not None else None,
    )


@router.get("", response_model=AssetPage, summary="The gallery, newest first")
async def list_assets(
    principal: ReadPrincipal,
    session: SessionDep,
    runtime: RuntimeDep,
    project: str | None = None,
    favorite: bool | None = None,
    public: bool | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    model: str | None = Query(None, max_length=200, description="Only images of this model"),
    q: str | None = Query(None, max_length=200, description="Only images whose prompt contains this text"),
    offset: Offset = 0,
    limit: Limit100 = 20,
) -> AssetPage:
    flt = service.AssetFilter(project, favorite, public, since, until, model, q)
    rows, total = await service.list_assets(session, principal.organization_id, flt, offset=offset, limit=limit)
    data = [await asset_out(runtime, a, job=j) for a, j in rows]
    return AssetPage(data=data, total=total, offset=offset, limit=limit)


@router.get("/{asset_id}", response_model=AssetOut, summary="One asset, with its design spec")
async def get_asset(asset_id: str, principal: ReadPrincipal, session: SessionDep, runtime: RuntimeDep) -> AssetOut:
    asset = await service.get_asset(session, principal.organization_id, asset_id)
    return await asset_out(runtime, asset, with_spec=True, job=await session.get(Job, asset.job_id))


@router.patch("/{asset_id}", response_model=AssetOut, summary="Favourite or publish an asset")
async def patch_asset(
    asset_id: str, body: AssetPatch, principal: GalleryPrincipal, session: SessionDep, runtime: RuntimeDep
) -> AssetOut:
    asset = await service.get_asset(session, principal.organization_id, asset_id)
    changes: dict[str, Any] = body.model_dump(exclude_unset=True)
    if changes.get("favorite") is not None:
        asset.favorite = changes["favorite"]
    if changes.get("public") is not None:
        service.set_public(asset, changes["public"])
    return await asset_out(runtime, asset)


@router.delete("/{asset_id}", status_code=204, summary="Delete an asset and its file")
async def delete_asset(
    asset_id: str, principal: GalleryPrincipal, session: SessionDep, runtime: RuntimeDep
) -> Response:
    await service.delete_asset(session, runtime, principal.organization_id, asset_id)
    return Response(status_code=204)
