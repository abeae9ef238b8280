"""Native structured design specs: create, read (any version), list, edit an object, the
version history, an isometric preview and a glTF (GLB) model."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field, field_validator

from atelier.auth.dependencies import GeneratePrincipal, ReadPrincipal
from atelier.kit.deps import RuntimeDep, SessionDep
from atelier.specs import gltf, store
from atelier.specs.preview import render_preview
from atelier.specs.schema import SpecRequest

#: Versions are stored in a 32-bit column: a larger number is a 422, not a database error.
MAX_VERSION = 2**31 - 1
router = APIRouter(prefix="/v1/specs", tags=["specs"])


class SpecIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    prompt: str = Field(min_length=3, max_length=2000)
    context: dict[str, Any] = Field(default_factory=dict)
    style: str | None = Field(None, max_length=60)
    constraints: list[str] = Field(default_factory=list, max_length=20)

    @field_validator("prompt", "style")
    @classmethod
    def _no_nul(cls, value: str | None) -> str | None:
        if value is not None and "\x00" in value:  # PostgreSQL's text holds no NUL
            raise ValueError("must not contain NUL characters")
        return value


class ObjectEdit(BaseModel):
    model_config = ConfigDict(extra="forbid")
    material: str | None = Field(None, max_length=60)
    type: str | None = Field(None, max_length=60)
    position: dict[str, float] | None = None
    dimensions: dict[str, float] | None = None
    properties: dict[str, Any] | None = None


@router.post("", status_code=201, summary="Plan a structured 3D design spec from a prompt")
async def create(
    body: SpecIn, principal: GeneratePrincipal, session: SessionDep, runtime: RuntimeDep
) -> dict[str, Any]:
    await session.commit()  # authentication's writes; nothing stays open during the model call
    request = SpecRequest(body.prompt, body.context, body.style, body.constraints)
    return await store.create_spec(
        session, runtime.settings.specs, principal.organization_id, principal.user.id, request
    )


@router.get("", summary="The organization's specs")
async def list_all(principal: ReadPrincipal, session: SessionDep) -> list[dict[str, Any]]:
    return [
        {
            "spec_id": r.id,
            "prompt": r.prompt,
            "design_type": r.design_type,
            "latest_version": r.latest_version,
            "generation_method": r.generation_method,
            "created_at": r.created_at.isoformat(),
        }
        for r in await store.list_specs(session, principal.organization_id)
    ]


@router.get("/{spec_id}", summary="A spec (latest version, or ?version=N)")
async def get(
    spec_id: str, principal: ReadPrincipal, session: SessionDep, version: int | None = Query(None, ge=1, le=MAX_VERSION)
) -> dict[str, Any]:
    return await store.get_version(session, principal.organization_id, spec_id, version)


@router.patch("/{spec_id}/objects/{object_id}", summary="Edit one object: writes a new version")
async def edit(
    spec_id: str, object_id: str, body: ObjectEdit, principal: GeneratePrincipal, session: SessionDep
) -> dict[str, Any]:
    return await store.edit_object(
        session, principal.organization_id, spec_id, object_id, body.model_dump(exclude_none=True), principal.user.email
    )


@router.get("/{spec_id}/preview", summary="An isometric PNG preview of the spec")
async def preview(
    spec_id: str, principal: ReadPrincipal, session: SessionDep, version: int | None = Query(None, ge=1, le=MAX_VERSION)
) -> Response:
    spec = await store.get_version(session, principal.organization_id, spec_id, version)
    return Response(render_preview(spec), media_type="image/png")


@router.get("/{spec_id}/gltf", summary="The spec as a binary glTF 2.0 model (GLB), one mesh per object, in metres")
async def model(
    spec_id: str, principal: ReadPrincipal, session: SessionDep, version: int | None = Query(None, ge=1, le=MAX_VERSION)
) -> Response:
    spec = await store.get_version(session, principal.organization_id, spec_id, version)
    number = version or int(float(spec["version"]["version"]))
    headers = {"Content-Disposition": f'attachment; filename="{spec_id}-v{number}.glb"'}
    return Response(gltf.build(spec), media_type="model/gltf-binary", headers=headers)


@router.get("/{spec_id}/versions", summary="Every version of the spec, oldest first, with what changed")
async def versions(spec_id: str, principal: ReadPrincipal, session: SessionDep) -> list[dict[str, Any]]:
    return await store.list_versions(session, principal.organization_id, spec_id)
