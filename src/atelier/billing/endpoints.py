from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select

from atelier.accounts.models import Organization
from atelier.audit import service as audit
from atelier.auth.dependencies import PUBLIC, AdminPrincipal, BillingPrincipal, ReadPrincipal
from atelier.billing import service
from atelier.billing.models import Budget, CreditEntry
from atelier.billing.plans import Plan, get_plan, runtime_plans
from atelier.kit.deps import RuntimeDep, SessionDep
from atelier.kit.errors import NotFound
from atelier.kit.pagination import Limit1000, Offset

router = APIRouter(prefix="/v1", tags=["billing"])


class BudgetIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    daily_usd: Decimal | None = Field(None, ge=0, le=10**7)
    monthly_usd: Decimal | None = Field(None, ge=0, le=10**8)


class PlanIn(BaseModel):
    plan: str


@router.get("/plans", summary="Available plans", dependencies=[PUBLIC])
async def plans(runtime: RuntimeDep) -> list[dict[str, Any]]:
    return [
        {
            "name": p.name,
            "monthly_price_usd": str(p.monthly_price_usd),
            "monthly_images": p.monthly_images,
            "hourly_images": p.hourly_images,
            "price_per_image_usd": str(p.price_per_image_usd),
        }
        for p in runtime_plans(runtime).values()
    ]


async def credits_body(session: Any, org_id: str, plans: Mapping[str, Plan]) -> dict[str, Any]:
    org, plan = await service.org_plan(session, org_id, plans)
    account = await service.lock_account(session, org, plan)
    unlimited = plan.monthly_images is None
    return {
        "plan": plan.name,
        "unlimited": unlimited,
        "remaining": None if unlimited else account.balance,
        "total": None if unlimited else account.total,
        "last_refill": account.last_refill.isoformat() if account.last_refill else None,
    }


@router.get("/credits", summary="Credit balance")
async def credits(principal: ReadPrincipal, session: SessionDep, runtime: RuntimeDep) -> dict[str, Any]:
    return await credits_body(session, principal.organization_id, runtime_plans(runtime))


@router.get("/credits/ledger", summary="The credit ledger, newest first")
async def ledger(
    principal: ReadPrincipal,
    session: SessionDep,
    limit: Limit1000 = 100,
    offset: Offset = 0,
) -> list[dict[str, Any]]:
    rows = await session.execute(
        select(CreditEntry)
        .where(CreditEntry.organization_id == principal.organization_id)
        .order_by(CreditEntry.created_at.desc(), CreditEntry.id)
        .limit(limit)
        .offset(offset)
    )
    return [
        {
            "id": e.id,
            "kind": e.kind,
            "amount": e.amount,
            "balance_after": e.balance_after,
            "job_id": e.job_id,
            "note": e.note,
            "amount_usd": str(e.amount_usd) if e.amount_usd is not None else None,
            "created_at": e.created_at.isoformat(),
        }
        for e in rows.scalars()
    ]


@router.get("/budgets", summary="The organization's spending caps, their current periods and alert thresholds")
async def get_budget(principal: ReadPrincipal, session: SessionDep) -> dict[str, Any]:
    budget = await session.get(Budget, principal.organization_id)
    periods = await service.budget_status(session, principal.organization_id, datetime.now(UTC))
    return {
        "daily_usd": str(budget.daily_usd) if budget and budget.daily_usd is not None else None,
        "monthly_usd": str(budget.monthly_usd) if budget and budget.monthly_usd is not None else None,
        "thresholds": list(service.THRESHOLDS),
        "periods": [
            {
                "kind": p.kind,
                "period": p.period,
                "cap_usd": str(p.cap_usd),
                "spent_usd": str(p.spent_usd),
                "reserved_usd": str(p.reserved_usd),
                "used_pct": p.used_pct,
                "alerted_pct": p.alerted_pct,
            }
            for p in periods
        ],
    }


@router.put("/budgets", summary="Set daily and monthly USD caps (null removes one)")
async def put_budget(body: BudgetIn, principal: BillingPrincipal, session: SessionDep) -> dict[str, Any]:
    budget = await session.get(Budget, principal.organization_id)
    if budget is None:
        budget = Budget(organization_id=principal.organization_id)
        session.add(budget)
    budget.daily_usd, budget.monthly_usd = body.daily_usd, body.monthly_usd
    await audit.record(
        session,
        "budget.changed",
        organization_id=principal.organization_id,
        actor_id=principal.user.id,
        daily_usd=str(body.daily_usd),
        monthly_usd=str(body.monthly_usd),
    )
    await session.flush()
    return await get_budget(principal, session)


@router.put("/admin/organizations/{org_id}/plan", summary="Change an organization's plan (admins)")
async def set_plan(
    org_id: str, body: PlanIn, principal: AdminPrincipal, session: SessionDep, runtime: RuntimeDep
) -> dict[str, Any]:
    plans = runtime_plans(runtime)
    plan = get_plan(body.plan, plans)
    org = await session.get(Organization, org_id)
    if org is None:
        raise NotFound(f"Organization {org_id} not found")
    previous = org.plan
    # a plan since removed from the configuration must not keep an admin from moving off it
    account = await service.lock_account(session, org, plans.get(previous, plan))
    org.plan = plan.name
    if plan.monthly_images is not None:
        await service.set_allowance(session, account, plan.monthly_images, "grant", datetime.now(UTC))
    await audit.record(
        session, "plan.changed", organization_id=org.id, actor_id=principal.user.id, previous=previous, plan=plan.name
    )
    return {"organization_id": org.id, "plan": plan.name}
