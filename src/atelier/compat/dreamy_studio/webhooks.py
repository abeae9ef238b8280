"""Dreamy Studio's fal.ai webhook. It changes nothing unless the caller proves it is the fal
request Atelier started for that generation (an HMAC token Atelier puts in the webhook URL
it gives fal). Atelier runs no fal deployment by default, so a verified call for a
generation that is not waiting on fal is refused with 409, never applied."""

from __future__ import annotations

import hashlib
import hmac
from typing import Any, NoReturn

from fastapi import APIRouter, Query

from atelier.jobs.models import Job
from atelier.kit.deps import RuntimeDep, SessionDep
from atelier.kit.errors import Conflict, NotFound, Unauthorized

router = APIRouter()


def webhook_token(secret: str, generation_id: str) -> str:
    return hmac.new(secret.encode(), f"fal-webhook:{generation_id}".encode(), hashlib.sha256).hexdigest()


@router.post("/api/webhooks/fal/{generation_id}", response_model=None)
async def fal_webhook(
    generation_id: str,
    payload: dict[str, Any],
    session: SessionDep,
    runtime: RuntimeDep,
    token: str = Query("", max_length=128),
) -> NoReturn:
    if not token or not hmac.compare_digest(token, webhook_token(runtime.secret, generation_id)):
        raise Unauthorized("Webhook caller could not be verified", code="INVALID_WEBHOOK_SIGNATURE")
    job = await session.get(Job, generation_id)
    if job is None:
        raise NotFound(f"Generation {generation_id} not found")
    raise Conflict("Generation is not awaiting a fal.ai result", code="NOT_AWAITING_WEBHOOK")
