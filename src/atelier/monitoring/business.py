"""Business figures over a window, read straight from the tables.

- ``renders_*``: generation jobs that *finished* in the window (``finished_at``), by
  outcome: ``renders_success`` succeeded, ``renders_failure`` failed, and
  ``renders_total`` their sum. Canceled jobs are neither a success nor a failure of the
  service and are left out of all three (so total = success + failure, as in the
  NanoDesigner document's example).
- ``revenue_total``: money Atelier bills for renders in the window, in USD. Atelier takes no
  card payments itself and does not collect subscription fees, so the only money it charges
  per render is the metered plans' price per image: for each job that succeeded in the
  window, images delivered × the organization's metered price per image (plans with a
  monthly allowance, and ``unlimited``, add nothing). The plan read is the organization's
  current one. Provider spend (``cost_usd`` on jobs) is a cost, not revenue, and is not
  counted here.
- ``users_signup``: accounts created in the window.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from atelier.accounts.models import Organization, User
from atelier.billing.plans import DEFAULT_PLANS
from atelier.jobs.models import Asset, Job, JobStatus


async def _renders(session: AsyncSession, since: datetime) -> dict[str, int]:
    rows = await session.execute(
        select(Job.status, func.count())
        .where(Job.finished_at >= since, Job.status.in_((JobStatus.SUCCEEDED.value, JobStatus.FAILED.value)))
        .group_by(Job.status)
    )
    counts = {status: int(count) for status, count in rows.all()}
    success, failure = counts.get(JobStatus.SUCCEEDED.value, 0), counts.get(JobStatus.FAILED.value, 0)
    return {"renders_total": success + failure, "renders_success": success, "renders_failure": failure}


async def _revenue(session: AsyncSession, since: datetime) -> Decimal:
    metered = {name: plan.price_per_image_usd for name, plan in DEFAULT_PLANS.items() if plan.metered}
    if not metered:
        return Decimal("0")
    rows = await session.execute(
        select(Organization.plan, func.count(Asset.id))
        .select_from(Job)
        .join(Asset, Asset.job_id == Job.id)
        .join(Organization, Organization.id == Job.organization_id)
        .where(
            Job.finished_at >= since,
            Job.status == JobStatus.SUCCEEDED.value,
            Organization.plan.in_(list(metered)),
        )
        .group_by(Organization.plan)
    )
    return sum((metered[plan] * int(images) for plan, images in rows.all()), Decimal("0"))


async def business_figures(session: AsyncSession, hours: int) -> dict[str, Any]:
    since = datetime.now(UTC) - timedelta(hours=hours)
    signups = (await session.execute(select(func.count()).where(User.created_at >= since))).scalar_one()
    return {
        **await _renders(session, since),
        "revenue_total": float(round(await _revenue(session, since), 2)),
        "users_signup": int(signups),
    }
