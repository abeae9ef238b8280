"""Business figures over a window, read straight from the tables.

- ``renders_*``: generation jobs that *finished* in the window (``finished_at``), by
  outcome: ``renders_success`` succeeded, ``renders_failure`` failed, and
  ``renders_total`` their sum. Canceled jobs are neither a success nor a failure of the
  service and are left out of all three (so total = success + failure, as in the
  NanoDesigner document's example).
- ``revenue_total``: money Atelier charged for renders in the window, in USD: the sum of
  ``amount_usd`` on the credit ledger's debit entries written in the window, i.e. what a
  plan with a price per image (pay-as-you-go) billed for the images of succeeded jobs, at
  the price fixed when each job was admitted. Atelier takes no card payments and does not
  collect subscription fees, so those are not counted; provider spend (``cost_usd`` on
  jobs) is a cost, not revenue, and is not counted either.
- ``users_signup``: accounts created in the window.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from atelier.accounts.models import User
from atelier.billing.models import CreditEntry
from atelier.jobs.models import Job, JobStatus


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
    total = (
        await session.execute(
            select(func.coalesce(func.sum(CreditEntry.amount_usd), 0)).where(
                CreditEntry.kind == "debit", CreditEntry.created_at >= since
            )
        )
    ).scalar_one()
    return Decimal(total or 0)


async def business_figures(session: AsyncSession, hours: int) -> dict[str, Any]:
    since = datetime.now(UTC) - timedelta(hours=hours)
    signups = (await session.execute(select(func.count()).where(User.created_at >= since))).scalar_one()
    return {
        **await _renders(session, since),
        "revenue_total": float(round(await _revenue(session, since), 2)),
        "users_signup": int(signups),
    }
