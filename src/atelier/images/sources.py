"""The Atelier asset an input image came from: every stored image carries its asset id in
its metadata (see :mod:`atelier.images.metadata`), so a variation of it can start from the
asset's stored spec instead of its pixels. Only the caller's own organization's assets."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from atelier.images.metadata import read
from atelier.jobs.models import Asset
from atelier.kit.db import session_scope
from atelier.kit.runtime import Runtime


def asset_id_of(data: bytes) -> str | None:
    try:
        meta = read(data)
    except Exception:  # an image without readable metadata is simply not ours
        return None
    value = (meta or {}).get("asset_id")
    return value if isinstance(value, str) else None


async def source_spec(runtime: Runtime, organization_id: str, data: bytes) -> dict[str, Any] | None:
    """The stored spec of the asset ``data`` is a copy of, or None."""
    asset_id = asset_id_of(data)
    if asset_id is None:
        return None
    async with session_scope(runtime.sessions) as session:
        spec = await session.scalar(
            select(Asset.spec).where(Asset.id == asset_id, Asset.organization_id == organization_id)
        )
    return spec if isinstance(spec, dict) else None
