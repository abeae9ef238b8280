"""Specs and their immutable versions: an edit always writes a new version."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from atelier.kit.errors import NotFound
from atelier.settings import SpecSettings
from atelier.specs.author import write_spec
from atelier.specs.edits import apply_edit
from atelier.specs.records import DesignSpecRecord, DesignSpecVersion
from atelier.specs.schema import SpecRequest
from atelier.specs.versions import history


async def create_spec(
    session: AsyncSession, settings: SpecSettings, org_id: str, user_id: str, request: SpecRequest
) -> dict[str, Any]:
    """Write a spec (model or planner, see :mod:`atelier.specs.author`) and store it as version 1.
    A model call can take seconds: callers commit their pending work first, so no
    transaction (nor SQLite's write lock) is held while it runs."""
    spec = await write_spec(settings, request)
    record = DesignSpecRecord(
        id=spec["spec_id"],
        organization_id=org_id,
        user_id=user_id,
        prompt=request.prompt,
        design_type=spec["metadata"]["original_spec"]["design_type"],
        generation_method=spec["metadata"]["generation_method"],
        latest_version=1,
    )
    session.add(record)
    await session.flush()
    session.add(DesignSpecVersion(spec_id=record.id, number=1, content=spec, author="system"))
    await session.flush()
    return spec


async def get_record(session: AsyncSession, org_id: str, spec_id: str) -> DesignSpecRecord:
    record = await session.get(DesignSpecRecord, spec_id)
    if record is None or record.organization_id != org_id:
        raise NotFound(f"Spec {spec_id} not found")
    return record


async def get_version(session: AsyncSession, org_id: str, spec_id: str, number: int | None = None) -> dict[str, Any]:
    record = await get_record(session, org_id, spec_id)
    wanted = number or record.latest_version
    row = (
        await session.execute(
            select(DesignSpecVersion).where(DesignSpecVersion.spec_id == spec_id, DesignSpecVersion.number == wanted)
        )
    ).scalar_one_or_none()
    if row is None:
        raise NotFound(f"Spec {spec_id} has no version {wanted}")
    content: dict[str, Any] = row.content
    return content


async def edit_object(
    session: AsyncSession, org_id: str, spec_id: str, object_id: str, changes: dict[str, Any], author: str
) -> dict[str, Any]:
    record = await get_record(session, org_id, spec_id)
    current = await get_version(session, org_id, spec_id)
    new = apply_edit(current, object_id, changes, author)
    record.latest_version += 1
    session.add(DesignSpecVersion(spec_id=spec_id, number=record.latest_version, content=new, author=author))
    await session.flush()
    return new


async def list_versions(session: AsyncSession, org_id: str, spec_id: str) -> list[dict[str, Any]]:
    """Every version of a spec, oldest first, with what changed in each."""
    await get_record(session, org_id, spec_id)
    rows = await session.execute(
        select(DesignSpecVersion).where(DesignSpecVersion.spec_id == spec_id).order_by(DesignSpecVersion.number)
    )
    return history([(r.number, r.author, r.created_at.isoformat(), r.content) for r in rows.scalars()])


async def list_specs(session: AsyncSession, org_id: str) -> list[DesignSpecRecord]:
    rows = await session.execute(
        select(DesignSpecRecord)
        .where(DesignSpecRecord.organization_id == org_id)
        .order_by(DesignSpecRecord.created_at.desc())
    )
    return list(rows.scalars())
