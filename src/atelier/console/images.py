"""Images for the console's pages, streamed from storage through this server: pages then
load nothing from another host, whichever storage backend holds the files. A published
asset's share page is public; everything else is the caller's organization only."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from atelier.assets import service
from atelier.auth.access import PUBLIC
from atelier.auth.dependencies import ReadPrincipal
from atelier.console.pages import render
from atelier.jobs.models import Asset, Job
from atelier.kit.deps import RuntimeDep, SessionDep
from atelier.kit.errors import NotFound
from atelier.kit.runtime import Runtime

router = APIRouter(include_in_schema=False)


async def _image(runtime: Runtime, asset: Asset, *, thumbnail: bool, download: bool, private: bool) -> Response:
    key = asset.thumbnail_key if thumbnail and asset.thumbnail_key else asset.storage_key
    media = "image/webp" if key == asset.thumbnail_key else f"image/{asset.format}"
    headers = {"Cache-Control": f"{'private' if private else 'public'}, max-age=300"}
    if download:
        headers["Content-Disposition"] = f'attachment; filename="{asset.id}.{asset.format}"'
    return Response(await runtime.storage.get(key), media_type=media, headers=headers)


@router.get("/console/assets/{asset_id}/{kind}")
async def own_image(
    asset_id: str, kind: str, principal: ReadPrincipal, session: SessionDep, runtime: RuntimeDep, download: bool = False
) -> Response:
    if kind not in {"image", "thumbnail"}:
        raise NotFound(f"No {kind!r} for an asset (image or thumbnail)")
    asset = await service.get_asset(session, principal.organization_id, asset_id)
    return await _image(runtime, asset, thumbnail=kind == "thumbnail", download=download, private=True)


async def _public_asset(session: SessionDep, asset_id: str) -> tuple[Asset, Job]:
    asset = await session.get(Asset, asset_id)
    if asset is None or not asset.public or asset.deleted_at is not None or asset.content_flag:
        raise NotFound(f"No public asset {asset_id}")
    job = await session.get(Job, asset.job_id)
    assert job is not None
    return asset, job


@router.get("/share/{asset_id}/image", dependencies=[PUBLIC])
async def shared_image(asset_id: str, session: SessionDep, runtime: RuntimeDep) -> Response:
    asset, _ = await _public_asset(session, asset_id)
    return await _image(runtime, asset, thumbnail=False, download=False, private=False)


@router.get("/share/{asset_id}", dependencies=[PUBLIC])
async def share_page(asset_id: str, request: Request, session: SessionDep) -> Response:
    """The page a published asset's ``share_url`` opens, for anyone: the image and its credits."""
    try:
        asset, job = await _public_asset(session, asset_id)
    except NotFound as exc:
        return render(request, "share.html", title="Not found", error=exc.message, status_code=404)
    credits = {
        "prompt": job.params.get("prompt"),
        "model": job.model,
        "engine": job.engine,
        "size": f"{asset.width}×{asset.height}",
        "created": asset.created_at.strftime("%Y-%m-%d"),
    }
    return render(request, "share.html", title="Shared image", asset=asset, credits=credits)
