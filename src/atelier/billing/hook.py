"""The usage economy as a job hook: admission before a job exists, settlement after.

What a job costs the organization is the provider's cost plus, on a plan with a price per
image (pay-as-you-go), that price times the images produced. The price is fixed when the
job is admitted (kept on the job row), so a plan change while it runs does not reprice it,
and the budget reservation covers both parts, so budgets cap the plan's charge too."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from atelier.billing import service
from atelier.billing.models import Budget
from atelier.billing.plans import Plan
from atelier.jobs.hooks import JobEvent, Outcome, Submission


class EconomyHook:
    def __init__(self, plans: Mapping[str, Plan]) -> None:
        self.plans = plans

    async def before_submit(self, session: AsyncSession, submission: Submission) -> None:
        org, plan = await service.org_plan(session, submission.organization_id, self.plans)
        budget = await session.get(Budget, org.id)
        if plan.monthly_images is not None or plan.hourly_images is not None or budget is not None:
            # the lock serializes this organization's admissions: credits, the hourly count and
            # budget periods are read, then written; with none of them there is nothing to guard
            await service.lock_account(session, org, plan)
        await service.check_hourly(session, org.id, plan, submission.n)
        estimate = submission.estimated_cost_usd + plan.charge(submission.n)
        await service.reserve_budget(session, org.id, budget, estimate)
        if plan.monthly_images is not None:
            await service.reserve_credits(session, org.id, submission.job_id, submission.n)
            submission.reserved_credits = submission.n
        submission.reserved_cost_usd = estimate
        submission.price_per_image_usd = plan.price_per_image_usd

    async def on_event(self, session: AsyncSession, event: JobEvent) -> None:
        return None

    async def on_finished(self, session: AsyncSession, outcome: Outcome) -> None:
        org_id = outcome.organization_id
        reserved = outcome.reserved_credits  # reserved at admission, settled once: here
        used = outcome.images if outcome.status == "succeeded" else 0
        charge = outcome.price_per_image_usd * used
        cost = outcome.cost_usd + charge
        if reserved or charge or cost or outcome.reserved_cost_usd:
            # the ledger or a budget moves: under the account lock, like admission. A job that
            # reserved nothing and cost nothing (a free engine on a plan without credits) moves
            # neither, and settles with its usage row alone.
            org, plan = await service.org_plan(session, org_id, self.plans)
            await service.lock_account(session, org, plan)
            await service.refund_credits(session, org_id, outcome.job_id, reserved - used)
            if used:
                await service.debit(session, org_id, outcome.job_id, min(reserved, used), used, charge)
            crossings = await service.settle_budget(
                session, org_id, outcome.reserved_cost_usd, cost, outcome.submitted_at or datetime.now(UTC)
            )
            await service.announce(session, org_id, crossings)
        await service.record_usage(
            session,
            org_id,
            outcome.api_key_id,
            outcome.model,
            images=used,
            failed=outcome.status == "failed",
            cost=cost,
        )
