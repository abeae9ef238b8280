"""Prompt-to-JSON v2: ``POST /api/v1/generate`` with both an API key and a JWT, on Atelier's
specs service; ``preview_url`` serves a real isometric render of the spec."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field

from atelier.auth.dependencies import PUBLIC, GeneratePrincipal, user_from_jwt
from atelier.kit.deps import RuntimeDep, SessionDep
from atelier.kit.errors import Forbidden, Unauthorized
from atelier.specs import store
from atelier.specs.preview import render_preview
from atelier.specs.records import DesignSpecRecord
from atelier.specs.schema import SpecRequest
from atelier.storage.signing import sign, verify

router = APIRouter()
PREVIEW_SECONDS = 7 * 24 * 3600


class GenerateRequestV2(BaseModel):
    prompt: str = Field(min_length=1, max_length=2000)
    context: dict[str, Any] | None = None
    style: str | None = Field(None, max_length=60)
    constraints: list[str] | None = Field(None, max_length=20)


@router.post("/api/v1/generate")
async def generate(
    body: GenerateRequestV2, request: Request, principal: GeneratePrincipal, session: SessionDep, runtime: RuntimeDep
) -> dict[str, Any]:
    """The contract's two factors: the principal is the ``X-API-Key``; the JWT must also be
    valid (checked by the same decoder) and belong to the same organization."""
    started = time.perf_counter()
    if not request.headers.get("x-api-key"):
        raise Unauthorized("Invalid or missing API key. Include X-API-Key header.")
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or token.count(".") != 2:
        raise Unauthorized("Invalid or missing JWT. Include 'Authorization: Bearer <jwt-token>'.")
    user = await user_from_jwt(session, runtime, token.strip())
    if user.organization_id != principal.organization_id:
        raise Forbidden("The API key and the JWT belong to different accounts")
    await session.commit()  # authentication's writes; nothing stays open during the model call
    wanted = SpecRequest(body.prompt, body.context or {}, body.style, body.constraints or [])
    spec = await store.create_spec(session, runtime.settings.specs, principal.organization_id, user.id, wanted)
    expires = int(time.time()) + PREVIEW_SECONDS
    spec_id = spec["spec_id"]
    return {
        "spec_id": spec_id,
        "spec_json": spec,
        "preview_url": f"/compat/prompt-to-json/preview/{spec_id}?exp={expires}&sig="
        f"{sign(runtime.secret, 'preview:' + spec_id, expires)}",
        "created_at": datetime.now(UTC).isoformat().replace("+00:00", "Z"),
        "processing_time": round(time.perf_counter() - started, 4),
    }


@router.get("/preview/{spec_id}", dependencies=[PUBLIC])
async def preview(
    spec_id: str, session: SessionDep, runtime: RuntimeDep, exp: int = Query(...), sig: str = Query(..., max_length=256)
) -> Response:
    problem = verify(runtime.secret, "preview:" + spec_id, exp, sig)
    if problem:
        raise Forbidden(f"Preview URL refused: {problem}")
    record = await session.get(DesignSpecRecord, spec_id)
    if record is None:
        from atelier.kit.errors import NotFound

        raise NotFound(f"Spec {spec_id} not found")
    spec = await store.get_version(session, record.organization_id, spec_id)
    return Response(render_preview(spec), media_type="image/png")
