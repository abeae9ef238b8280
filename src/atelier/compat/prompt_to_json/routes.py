"""Prompt-to-JSON v2: ``POST /api/v1/generate`` with both an API key and a JWT, on Atelier's
specs service; ``preview_url`` serves a real isometric render of the spec. The original
``POST /generate`` (v1: ``{"prompt"}`` in, ``{"spec", "success", "message"}`` out) remains
functional, as the document's migration notes promise, on the same service and the same two
credentials."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field
from sqlalchemy.ext.asyncio import AsyncSession

from atelier.accounts.models import User
from atelier.auth.dependencies import PUBLIC, GeneratePrincipal, Principal, user_from_jwt
from atelier.kit.deps import RuntimeDep, SessionDep
from atelier.kit.errors import Forbidden, NotFound, Unauthorized
from atelier.kit.runtime import Runtime
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


class GenerateRequestV1(BaseModel):
    prompt: str = Field(min_length=1, max_length=2000)


async def _second_factor(request: Request, principal: Principal, session: AsyncSession, runtime: Runtime) -> User:
    """The contract's two factors: the principal is the ``X-API-Key``; the JWT must also be
    valid (checked by the same decoder) and be the key owner's own: a colleague's JWT, even
    of the same organization, is not the second factor of someone else's key."""
    if not request.headers.get("x-api-key"):
        raise Unauthorized("Invalid or missing API key. Include X-API-Key header.")
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or token.count(".") != 2:
        raise Unauthorized("Invalid or missing JWT. Include 'Authorization: Bearer <jwt-token>'.")
    user = await user_from_jwt(session, runtime, token.strip())
    if user.id != principal.user.id:
        raise Forbidden("The API key and the JWT belong to different accounts")
    await session.commit()  # authentication's writes; nothing stays open during the model call
    return user


def preview_path(secret: str, spec_id: str) -> str:
    """Relative to the contract's base URL (``/compat/prompt-to-json``), as the document's
    ``/preview/<id>`` is relative to its server: a client joins the two. Signed for a week."""
    expires = int(time.time()) + PREVIEW_SECONDS
    return f"/preview/{spec_id}?exp={expires}&sig={sign(secret, 'preview:' + spec_id, expires)}"


@router.post("/api/v1/generate")
async def generate(
    body: GenerateRequestV2, request: Request, principal: GeneratePrincipal, session: SessionDep, runtime: RuntimeDep
) -> dict[str, Any]:
    started = time.perf_counter()
    user = await _second_factor(request, principal, session, runtime)
    wanted = SpecRequest(body.prompt, body.context or {}, body.style, body.constraints or [])
    spec = await store.create_spec(session, runtime.settings.specs, principal.organization_id, user.id, wanted)
    spec_id = spec["spec_id"]
    return {
        "spec_id": spec_id,
        "spec_json": spec,
        "preview_url": preview_path(runtime.secret, spec_id),
        "created_at": datetime.now(UTC).isoformat().replace("+00:00", "Z"),
        "processing_time": round(time.perf_counter() - started, 4),
    }


@router.post("/generate")
async def generate_v1(
    body: GenerateRequestV1, request: Request, principal: GeneratePrincipal, session: SessionDep, runtime: RuntimeDep
) -> dict[str, Any]:
    """v1's flat spec is what v2 keeps as ``metadata.original_spec``; the spec is stored like
    a v2 one (``/v1/specs`` lists it)."""
    user = await _second_factor(request, principal, session, runtime)
    wanted = SpecRequest(body.prompt, {}, None, [])
    spec = await store.create_spec(session, runtime.settings.specs, principal.organization_id, user.id, wanted)
    return {
        "spec": spec["metadata"]["original_spec"],
        "success": True,
        "message": "Specification generated successfully",
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
        raise NotFound(f"Spec {spec_id} not found")
    spec = await store.get_version(session, record.organization_id, spec_id)
    return Response(render_preview(spec), media_type="image/png")
