"""The usage economy as a job hook: admission before a job exists, settlement after."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from atelier.billing import service
from atelier.jobs.hooks import JobEvent, Outcome, Submission
from atelier.jobs.models import Job


class EconomyHook:
    async def before_submit(self, session: AsyncSession, submission: Submission) -> None:
        org, plan = await service.org_plan(session, submission.organization_id)
        await service.lock_account(session, org, plan)
        await service.check_hourly(session, org.id, plan)
        await service.reserve_budget(session, org.id, submission.estimated_cost_usd)
        if plan.monthly_images is not None:
            await service.reserve_credits(session, org.id, submission.job_id, submission.n)
        job = await session.get(Job, submission.job_id)
        if job is not None:
            job.params = {**job.params, "estimated_cost_usd": str(submission.estimated_cost_usd)}

    async def on_event(self, session: AsyncSession, event: JobEvent) -> None:
        return None

    async def on_finished(self, session: AsyncSession, outcome: Outcome) -> None:
        org, plan = await service.org_plan(session, outcome.organization_id)
        await service.lock_account(session, org, plan)
        reserved = await service.reserved_for(session, outcome.job_id)
        used = outcome.images if outcome.status == "succeeded" else 0
        await service.refund_credits(session, org.id, outcome.job_id, reserved - used)
        job = await session.get(Job, outcome.job_id)
        estimate = Decimal(job.params.get("estimated_cost_usd", "0")) if job else Decimal("0")
        crossings = await service.settle_budget(
            session, org.id, estimate, outcome.cost_usd, job.created_at if job else datetime.now(UTC)
        )
        await service.announce(session, org.id, crossings)
        await service.record_usage(
            session,
            org.id,
            outcome.api_key_id,
            outcome.model,
            images=used,
            failed=outcome.status == "failed",
            cost=outcome.cost_usd,
        )
