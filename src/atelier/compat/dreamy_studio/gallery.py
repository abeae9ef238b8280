"""Dreamy Studio's gallery and credits on Atelier's assets and credit ledger."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from atelier.assets import service as assets
from atelier.auth.dependencies import GalleryPrincipal, ReadPrincipal
from atelier.billing.plans import runtime_plans
from atelier.compat.dreamy_studio.body import DreamyBody
from atelier.compat.dreamy_studio.credits import dreamy_credits
from atelier.jobs.models import Asset, Job
from atelier.kit.deps import RuntimeDep, SessionDep
from atelier.kit.pagination import Limit100, Page
from atelier.kit.runtime import Runtime

router = APIRouter()


def iso(value: Any) -> str:
    return str(value.isoformat().replace("+00:00", "Z"))


async def image_body(runtime: Runtime, asset: Asset, job: Job, *, flags: bool = True) -> dict[str, Any]:
    body: dict[str, Any] = {
        "id": asset.id,
        "url": await assets.asset_url(runtime, asset),
        "width": asset.width,
        "height": asset.height,
        "prompt": job.params.get("prompt"),
        "model": job.model,
    }
    if flags:
        body.update(isFavorited=asset.favorite, isPublic=asset.public)
    body["createdAt"] = iso(asset.created_at)
    return body


class ImagePatch(DreamyBody):
    is_favorited: bool | None = None
    is_public: bool | None = None


@router.get("/api/gallery")
async def gallery(
    principal: ReadPrincipal,
    session: SessionDep,
    runtime: RuntimeDep,
    page: Page = 1,
    limit: Limit100 = 20,
) -> dict[str, Any]:
    rows, total = await assets.list_assets(
        session, principal.organization_id, assets.AssetFilter(), offset=(page - 1) * limit, limit=limit
    )
    return {
        "success": True,
        "images": [await image_body(runtime, a, j) for a, j in rows],
        "pagination": {"page": page, "limit": limit, "total": total, "totalPages": -(-total // limit)},
    }


@router.get("/api/gallery/favorites/list")
async def favorites(principal: ReadPrincipal, session: SessionDep, runtime: RuntimeDep) -> dict[str, Any]:
    rows, _ = await assets.list_assets(
        session, principal.organization_id, assets.AssetFilter(favorite=True), offset=0, limit=1000
    )
    return {"success": True, "images": [await image_body(runtime, a, j, flags=False) for a, j in rows]}


@router.get("/api/gallery/{image_id}")
async def image(image_id: str, principal: ReadPrincipal, session: SessionDep, runtime: RuntimeDep) -> dict[str, Any]:
    asset = await assets.get_asset(session, principal.organization_id, image_id)
    job = await session.get(Job, asset.job_id)
    assert job is not None
    return {
        "success": True,
        "image": {
            "id": asset.id,
            "url": await assets.asset_url(runtime, asset),
            "width": asset.width,
            "height": asset.height,
            "isFavorited": asset.favorite,
            "isPublic": asset.public,
            "generation": {
                "id": job.id,
                "prompt": job.params.get("prompt"),
                "model": job.model,
                "created_at": iso(job.created_at),
            },
            "createdAt": iso(asset.created_at),
        },
    }


@router.patch("/api/gallery/{image_id}")
async def patch_image(
    image_id: str, body: ImagePatch, principal: GalleryPrincipal, session: SessionDep
) -> dict[str, Any]:
    asset = await assets.get_asset(session, principal.organization_id, image_id)
    if body.is_favorited is not None:
        asset.favorite = body.is_favorited
    if body.is_public is not None:
        assets.set_public(asset, body.is_public)
    await session.flush()
    from datetime import UTC, datetime

    return {
        "success": True,
        "image": {
            "id": asset.id,
            "is_favorited": asset.favorite,
            "is_public": asset.public,
            "updated_at": iso(datetime.now(UTC)),
        },
    }


@router.delete("/api/gallery/{image_id}")
async def delete_image(
    image_id: str, principal: GalleryPrincipal, session: SessionDep, runtime: RuntimeDep
) -> dict[str, Any]:
    await assets.delete_asset(session, runtime, principal.organization_id, image_id)
    return {"success": True, "message": "Image deleted successfully"}


@router.get("/api/credits")
async def credits(principal: ReadPrincipal, session: SessionDep, runtime: RuntimeDep) -> dict[str, Any]:
    body = await dreamy_credits(session, principal.organization_id, runtime_plans(runtime))
    return {"success": True, "credits": body}
