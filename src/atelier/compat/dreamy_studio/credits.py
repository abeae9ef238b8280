"""Dreamy Studio's credit widget for every plan. Its app renders ``remaining`` of ``total``
and ``lastRefill``, so a plan without a monthly quota still answers numbers:

- a plan with an hourly cap (pay-as-you-go) answers the cap as ``total`` and what is left
  of it over the last hour as ``remaining``; ``lastRefill`` is the start of that hour;
- a plan with neither (``unlimited``) answers ``UNLIMITED`` for both, and the time the
  organization was created as ``lastRefill``.

``unlimited`` says which of the two a client is looking at."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from atelier.billing import service as billing
from atelier.billing.endpoints import credits_body
from atelier.billing.plans import Plan

#: What ``remaining`` and ``total`` say on a plan that nothing limits.
UNLIMITED = 1_000_000


def iso(value: datetime) -> str:
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


async def dreamy_credits(session: AsyncSession, org_id: str, plans: dict[str, Plan]) -> dict[str, Any]:
    body = await credits_body(session, org_id, plans)
    org, plan = await billing.org_plan(session, org_id, plans)
    unlimited = plan.monthly_images is None and plan.hourly_images is None
    if plan.monthly_images is not None:
        remaining, total, last_refill = body["remaining"], body["total"], body["last_refill"]
    elif plan.hourly_images is not None:
        used = await billing.images_last_hour(session, org_id)
        remaining, total = max(plan.hourly_images - used, 0), plan.hourly_images
        last_refill = iso(datetime.now(UTC) - timedelta(hours=1))
    else:
        remaining, total, last_refill = UNLIMITED, UNLIMITED, iso(org.created_at)
    return {
        "remaining": remaining,
        "total": total,
        "lastRefill": last_refill,
        "plan": plan.name,
        "unlimited": unlimited,
    }
