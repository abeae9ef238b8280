"""The gallery: assets listed, read, favourited, published and deleted, with signed URLs."""

from __future__ import annotations

import base64
import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from atelier.assets.memo import asset_bytes
from atelier.jobs.models import Asset, Job
from atelier.kit.db import utcnow
from atelier.kit.deps import after_commit
from atelier.kit.errors import Conflict, NotFound
from atelier.kit.runtime import Runtime

log = logging.getLogger("atelier.assets")


@dataclass
class AssetFilter:
    project_id: str | None = None
    favorite: bool | None = None
    public: bool | None = None
    since: datetime | None = None
    until: datetime | None = None
    model: str | None = None
    #: Words the job's prompt contains (case-insensitive).
    q: str | None = None


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _filtered(organization_id: str, flt: AssetFilter) -> Select[Any]:
    stmt = select(Asset).where(Asset.organization_id == organization_id, Asset.deleted_at.is_(None))
    if flt.model or flt.q:
        stmt = stmt.join(Job, Job.id == Asset.job_id)
    if flt.model:
        stmt = stmt.where(Job.model == flt.model)
    if flt.q:
        stmt = stmt.where(Job.params["prompt"].as_string().ilike(_like(flt.q.strip()), escape="\\"))
    if flt.project_id:
        stmt = stmt.where(Asset.project_id == flt.project_id)
    if flt.favorite is not None:
        stmt = stmt.where(Asset.favorite == flt.favorite)
    if flt.public is not None:
        stmt = stmt.where(Asset.public == flt.public)
    if flt.since:
        stmt = stmt.where(Asset.created_at >= flt.since)
    if flt.until:
        stmt = stmt.where(Asset.created_at < flt.until)
    return stmt


async def list_assets(
    session: AsyncSession, organization_id: str, flt: AssetFilter, *, offset: int, limit: int
) -> tuple[list[tuple[Asset, Job]], int]:
    stmt = _filtered(organization_id, flt)
    total = (await session.execute(select(func.count()).select_from(stmt.subquery()))).scalar_one()
    rows = await session.execute(
        select(Asset, Job)
        .join(Job, Job.id == Asset.job_id)
        .where(Asset.id.in_(stmt.with_only_columns(Asset.id)))
        .order_by(Asset.created_at.desc(), Asset.id)
        .offset(offset)
        .limit(limit)
    )
    return [(a, j) for a, j in rows], int(total)


async def get_asset(session: AsyncSession, organization_id: str, asset_id: str) -> Asset:
    asset = await session.get(Asset, asset_id)
    if asset is None or asset.organization_id != organization_id or asset.deleted_at is not None:
        raise NotFound(f"Asset {asset_id} not found")
    return asset


def set_public(asset: Asset, public: bool) -> None:
    """Publish or unpublish; an asset the content policy flagged stays private."""
    if public and asset.content_flag:
        raise Conflict(
            f"Asset {asset.id} was flagged by the content policy ({asset.content_flag}): "
            "it stays in the gallery but cannot be made public",
            code="CONTENT_POLICY_FLAGGED",
            details={"categories": asset.content_flag.split(",")},
        )
    asset.public = public


async def delete_asset(session: AsyncSession, runtime: Runtime, organization_id: str, asset_id: str) -> None:
    """Remove the asset from the gallery and its file from storage; the record stays
    (marked deleted) so usage and the job's history still add up.

    The file goes once the request has committed: a rolled-back delete keeps its file, and
    the storage fallback's table is written without the request's SQLite write lock in the way
    (inside the transaction its row could only be removed later, by a background retry)."""
    asset = await get_asset(session, organization_id, asset_id)
    asset.deleted_at = utcnow()
    asset.favorite = False
    asset.public = False
    await session.flush()
    remove_files_after_commit(
        session, runtime, [asset.storage_key, *([asset.thumbnail_key] if asset.thumbnail_key else [])]
    )


def remove_files_after_commit(session: AsyncSession, runtime: Runtime, keys: list[str]) -> None:
    """Deleted assets' files (images, thumbnails) go once ``session`` has committed."""
    storage = runtime.storage

    async def delete_files() -> None:
        for key in keys:
            try:
                await storage.delete(key)
            except Exception as exc:  # the asset is gone; its file is an orphan the reconciler removes
                log.warning("could not delete %s after deleting its asset: %s", key, exc)

    after_commit(session, delete_files)


async def asset_url(runtime: Runtime, asset: Asset) -> str:
    url: str = await runtime.storage.signed_url(
        asset.storage_key,
        expires_in=runtime.settings.storage.url_expiry_seconds,
        content_type=f"image/{asset.format}",
    )
    return url


async def thumbnail_url(runtime: Runtime, asset: Asset) -> str | None:
    if not asset.thumbnail_key:
        return None
    url: str = await runtime.storage.signed_url(
        asset.thumbnail_key, expires_in=runtime.settings.storage.url_expiry_seconds, content_type="image/webp"
    )
    return url


def share_url(runtime: Runtime, asset: Asset) -> str | None:
    """The console's public page of a published asset: absolute under ``server.public_url``
    when that is set, else a path on this server."""
    if not asset.public or asset.deleted_at is not None or asset.content_flag:
        return None
    base = (runtime.settings.server.public_url or "").rstrip("/")
    return f"{base}/share/{asset.id}"


async def asset_b64(runtime: Runtime, asset: Asset) -> str:
    return base64.b64encode(await asset_bytes(runtime, asset)).decode()
