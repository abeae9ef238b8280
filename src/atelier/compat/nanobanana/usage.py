"""NanoBanana's usage (per key, per day) and pricing tiers, from Atelier's usage and plans;
the dashboard's summary, daily and per-key views read the same usage rows."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any

from fastapi import APIRouter, Query
from pydantic import BaseModel
from sqlalchemy import Row, Select, func, select

from atelier.auth.dependencies import PUBLIC, ReadPrincipal
from atelier.billing.models import UsageDay
from atelier.billing.plans import runtime_plans
from atelier.compat.nanobanana.accounts import key_out
from atelier.keys.models import ApiKey
from atelier.keys.repository import ApiKeyRepository
from atelier.kit.deps import RuntimeDep, SessionDep
from atelier.kit.errors import NotFound

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
    for day, prefix in rows:
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


class TopKey(BaseModel):
    key_id: str
    key_name: str
    key_prefix: str
    image_count: int


class SummaryOut(BaseModel):
    total_images: int
    total_keys: int
    active_keys: int
    top_keys: list[TopKey]


class DayOut(BaseModel):
    usage_date: date
    image_count: int


class DailyOut(BaseModel):
    days: list[DayOut]


class KeyUsageOut(BaseModel):
    key_id: str
    key_name: str
    key_prefix: str
    total_images: int
    daily_usage: list[DayOut]


def images_by_day(org_id: str) -> Select[str, int]:
    total = func.sum(UsageDay.images)
    return (
        select(UsageDay.day, total)
        .where(UsageDay.organization_id == org_id)
        .group_by(UsageDay.day)
        .order_by(UsageDay.day.desc())
    )


def days_out(rows: Sequence[Row[str, int]]) -> list[DayOut]:
    return [DayOut(usage_date=date.fromisoformat(day), image_count=int(images)) for day, images in rows]


@router.get("/v1/usage/summary", response_model=SummaryOut)
async def summary(principal: ReadPrincipal, session: SessionDep) -> SummaryOut:
    """Images over all time (every key, and the account's own sessions), the account's keys,
    and its five busiest keys."""
    org_id = principal.organization_id
    org_keys = await ApiKeyRepository(session).list_for_org(org_id)
    total = (
        await session.execute(
            select(func.coalesce(func.sum(UsageDay.images), 0)).where(UsageDay.organization_id == org_id)
        )
    ).scalar_one()
    rows = await session.execute(
        select(UsageDay.api_key_id, func.sum(UsageDay.images))
        .where(UsageDay.organization_id == org_id, UsageDay.api_key_id != "")
        .group_by(UsageDay.api_key_id)
    )
    per_key = {key_id: int(images) for key_id, images in rows}
    now = datetime.now(UTC)
    busiest = sorted((k for k in org_keys if per_key.get(k.id)), key=lambda k: (-per_key[k.id], k.name, k.id))[:5]
    return SummaryOut(
        total_images=int(total),
        total_keys=len(org_keys),
        active_keys=sum(1 for k in org_keys if k.revoked_at is None and (k.expires_at is None or k.expires_at > now)),
        top_keys=[
            TopKey(key_id=k.id, key_name=k.name, key_prefix=key_out(k).prefix, image_count=per_key[k.id])
            for k in busiest
        ],
    )


@router.get("/v1/usage/daily", response_model=DailyOut)
async def daily(
    principal: ReadPrincipal,
    session: SessionDep,
    days: int = Query(30, ge=1, le=365, description="How many days back, today included"),
) -> DailyOut:
    since = (datetime.now(UTC).date() - timedelta(days=days - 1)).isoformat()
    rows = (await session.execute(images_by_day(principal.organization_id).where(UsageDay.day >= since))).all()
    return DailyOut(days=days_out(rows))


@router.get("/v1/usage/key/{key_id}", response_model=KeyUsageOut)
async def key_usage(key_id: str, principal: ReadPrincipal, session: SessionDep) -> KeyUsageOut:
    key = await session.get(ApiKey, key_id)
    if key is None or key.organization_id != principal.organization_id:
        raise NotFound("API key not found")
    rows = (await session.execute(images_by_day(principal.organization_id).where(UsageDay.api_key_id == key.id))).all()
    daily_usage = days_out(rows)
    return KeyUsageOut(
        key_id=key.id,
        key_name=key.name,
        key_prefix=key_out(key).prefix,
        total_images=sum(d.image_count for d in daily_usage),
        daily_usage=daily_usage,
    )
