"""fal's webhook notifications, kept on the job row so that the worker running the job sees
them whichever process took the call: ``Job.provider_request`` holds the fal request the
job waits on and, once fal has called, its notification (``status``, ``error``).

Before submitting, the adapter marks the job as waiting on a fal request (``request_id``
still None), then names the request once fal answers, so a call that beats that answer is
still taken. The route only records; the fal adapter, on its next check, fetches the result from fal and
the job pipeline stores it, so there is one path for results."""

from __future__ import annotations

import hashlib
import hmac
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select

from atelier.engines.providers.fal import FalEngine
from atelier.jobs.models import Job, JobStatus
from atelier.kit.db import session_scope
from atelier.kit.runtime import Runtime
from atelier.kit.secure_compare import constant_time_equals

ROUTE = "/compat/dreamy-studio/api/webhooks/fal/{job_id}"


def webhook_token(secret: str, generation_id: str) -> str:
    return hmac.new(secret.encode(), f"fal-webhook:{generation_id}".encode(), hashlib.sha256).hexdigest()


def verified(secret: str, generation_id: str, token: str) -> bool:
    return bool(token) and constant_time_equals(token, webhook_token(secret, generation_id))


def accepts(job: Job, request_id: str | None) -> bool:
    """Whether a running job waits on this fal request: the one it submitted, or any while
    its submit is still in flight (fal may call back before the submit's answer arrives).
    A body without ``request_id`` (the Dreamy document's) is for the current request."""
    record = job.provider_request
    if job.status != JobStatus.PROCESSING.value or not isinstance(record, dict):
        return False
    return request_id is None or record.get("request_id") in {None, request_id}


def record_notification(job: Job, request_id: str | None, status: str, error: Any) -> None:
    """Keep the first notification: fal may deliver the same one again."""
    record = dict(job.provider_request or {})
    if record.get("notification") is None:
        note = {
            "request_id": request_id or record.get("request_id"),
            "status": status,
            "error": None if error is None else str(error)[:500],
            "at": datetime.now(UTC).isoformat(),
        }
        job.provider_request = {**record, "notification": note}


class JobRowFalInbox:
    """:class:`~atelier.engines.providers.fal.FalWebhooks` on the jobs table."""

    def __init__(self, runtime: Runtime, public_url: str) -> None:
        self.runtime = runtime
        self.public_url = public_url.rstrip("/")

    def url_for(self, job_id: str) -> str:
        path = ROUTE.format(job_id=job_id)
        return f"{self.public_url}{path}?token={webhook_token(self.runtime.secret, job_id)}"

    async def expect(self, job_id: str, request_id: str | None) -> None:
        async with session_scope(self.runtime.sessions) as session:
            job = (await session.execute(select(Job).where(Job.id == job_id).with_for_update())).scalar_one_or_none()
            if job is None:
                return
            note = None
            if request_id is not None:  # a call that beat the submit's answer is kept if it is this request's
                previous = job.provider_request or {}
                early = previous.get("notification")
                note = early if isinstance(early, dict) and early.get("request_id") in {None, request_id} else None
            job.provider_request = {"request_id": request_id, "notification": note}

    async def notification(self, job_id: str, request_id: str) -> dict[str, Any] | None:
        async with self.runtime.sessions() as session:
            record = (await session.execute(select(Job.provider_request).where(Job.id == job_id))).scalar_one_or_none()
        if not isinstance(record, dict) or record.get("request_id") != request_id:
            return None
        note = record.get("notification")
        return note if isinstance(note, dict) and note.get("request_id") in {None, request_id} else None


def attach_fal_webhooks(runtime: Runtime) -> int:
    """Give every fal deployment of the router the inbox, when the server has a public URL
    (fal must be able to reach it). Returns how many were attached."""
    public_url = runtime.settings.server.public_url
    if not public_url:
        return 0
    inbox = JobRowFalInbox(runtime, public_url)
    attached = 0
    for deployment in runtime.router.all_deployments():
        if isinstance(deployment.engine, FalEngine):
            deployment.engine.webhooks = inbox
            attached += 1
    return attached
