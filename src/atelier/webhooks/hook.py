"""Webhooks as a job hook: every job event becomes deliveries, queued in the transaction of
the state change it announces."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from atelier.jobs.hooks import JobEvent, Outcome, Submission
from atelier.webhooks.service import emit


class WebhookHook:
    def __init__(self, absence_seconds: float = 0.0) -> None:
        #: ``webhooks.endpoint_cache_seconds`` (:mod:`atelier.webhooks.presence`)
        self.absence_seconds = absence_seconds

    async def before_submit(self, session: AsyncSession, submission: Submission) -> None:
        return None

    async def on_event(self, session: AsyncSession, event: JobEvent) -> None:
        data = {"job_id": event.job_id, **event.data}
        await emit(
            session,
            event.organization_id,
            event.type,
            data,
            webhook_url=event.webhook_url,
            subject_id=event.job_id,
            absence_seconds=self.absence_seconds,
        )

    async def on_finished(self, session: AsyncSession, outcome: Outcome) -> None:
        return None
