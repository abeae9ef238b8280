"""NanoBanana's usage (per key, per day) and pricing tiers, from Atelier's usage and plans."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from sqlalchemy import select

from atelier.auth.dependencies import PUBLIC, ReadPrincipal
from atelier.billing.models import UsageDay
from atelier.billing.plans import runtime_plans
from atelier.keys.models import ApiKey
from atelier.kit.deps import RuntimeDep, SessionDep

router = APIRouter()


@router.get("/v1/usage")
async def usage(principal: ReadPrincipal, session: SessionDep) -> list[dict[str, Any]]:
    rows = await session.execute(
        select(UsageDay, ApiKey.prefix)
        .outerjoin(ApiKey, ApiKey.id == UsageDay.api_key_id)
        .where(UsageDay.organization_id == principal.organization_id)
        .order_by(UsageDay.day.desc())
    )
    merged: dict[tuple[str, str], dict[str, Any]] = {}
    for day, prefix in rows.tuples():
        entry = merged.setdefault(
            (day.api_key_id, day.day),
            {
                "key_id": day.api_key_id or None,
                "key_prefix": f"{prefix}..." if prefix else None,
                "date": day.day,
                "images": 0,
                "requests": 0,
                "failures": 0,
            },
        )
        entry["images"] += day.images
        entry["requests"] += day.jobs
        entry["failures"] += day.failures
    return list(merged.values())


@router.get("/v1/pricing", dependencies=[PUBLIC])
async def pricing(runtime: RuntimeDep) -> list[dict[str, Any]]:
    plans = runtime_plans(runtime)
    names = {"free": "Free", "hobby": "Hobby", "pro": "Pro", "payg": "Pay-as-you-go"}
    out = []
    for key, label in names.items():
        plan = plans[key]
        out.append(
            {
                "tier": label,
                "price": f"${plan.price_per_image_usd}/image" if plan.metered else f"${plan.monthly_price_usd}/mo",
                "images_per_month": plan.monthly_images if plan.monthly_images is not None else "Unlimited",
                "rate_limit_per_hour": plan.hourly_images,
            }
        )
    return out
