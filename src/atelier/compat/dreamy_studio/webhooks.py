"""Dreamy Studio's fal.ai webhook. fal calls it when a request Atelier submitted with
``fal_webhook`` (see :mod:`.fal_inbox`) is done, with fal's documented body
``{"request_id", "gateway_request_id", "status": "OK" | "ERROR", "payload", "error"}``.

It changes nothing unless the caller proves it is the call Atelier asked for (the per-
generation HMAC token in the URL): 401 otherwise. A verified call for a generation that is
not waiting on that fal request (finished, never on fal, or another request) is 409. A
verified call for a waiting one is recorded on the job row, where the worker running it
sees it and fetches the result from fal. The Dreamy document's body has no ``request_id``:
the token already names the generation, so one without it is taken for the request the
generation waits on."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query
from sqlalchemy import select

from atelier.auth.dependencies import PUBLIC
from atelier.compat.dreamy_studio.fal_inbox import accepts, record_notification, verified
from atelier.jobs.models import Job
from atelier.kit.deps import RuntimeDep, SessionDep
from atelier.kit.errors import Conflict, NotFound, Unauthorized, ValidationFailed

router = APIRouter()


@router.post("/api/webhooks/fal/{generation_id}", dependencies=[PUBLIC])
async def fal_webhook(
    generation_id: str,
    payload: dict[str, Any],
    session: SessionDep,
    runtime: RuntimeDep,
    token: str = Query("", max_length=128),
) -> dict[str, Any]:
    if not verified(runtime.secret, generation_id, token):
        raise Unauthorized("Webhook caller could not be verified", code="INVALID_WEBHOOK_SIGNATURE")
    request_id, status = payload.get("request_id"), payload.get("status")
    if request_id is not None and not isinstance(request_id, str):
        raise ValidationFailed("fal webhook request_id must be a string", details={"field": "request_id"})
    if status not in {"OK", "ERROR"}:
        raise ValidationFailed("fal webhook status must be OK or ERROR", details={"field": "status"})
    job = (await session.execute(select(Job).where(Job.id == generation_id).with_for_update())).scalar_one_or_none()
    if job is None:
        raise NotFound(f"Generation {generation_id} not found")
    if not accepts(job, request_id):
        raise Conflict("Generation is not awaiting this fal.ai result", code="NOT_AWAITING_WEBHOOK")
    record_notification(job, request_id, status, payload.get("error"))
    await session.commit()
    return {"success": True, "message": "Webhook received"}
