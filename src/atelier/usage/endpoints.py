from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from fastapi import APIRouter, Query
from sqlalchemy import func, select

from atelier.auth.dependencies import ReadPrincipal
from atelier.billing.models import UsageDay
from atelier.kit.deps import SessionDep

router = APIRouter(prefix="/v1", tags=["billing"])
GROUPS = {"day": UsageDay.day, "key": UsageDay.api_key_id, "model": UsageDay.model}


@router.get("/usage", summary="Images, jobs, failures and cost, grouped by day, key or model")
async def usage(
    principal: ReadPrincipal,
    session: SessionDep,
    from_: date | None = Query(None, alias="from", description="First day (UTC), inclusive"),
    to: date | None = Query(None, description="Last day (UTC), inclusive"),
    group_by: str = Query("day", pattern="^(day|key|model)$"),
) -> dict[str, Any]:
    column = GROUPS[group_by]
    stmt = (
        select(
            column,
            func.sum(UsageDay.images),
            func.sum(UsageDay.jobs),
            func.sum(UsageDay.failures),
            func.sum(UsageDay.cost_usd),
        )
        .where(UsageDay.organization_id == principal.organization_id)
        .group_by(column)
        .order_by(column)
    )
    if from_:
        stmt = stmt.where(UsageDay.day >= from_.isoformat())
    if to:
        stmt = stmt.where(UsageDay.day <= to.isoformat())
    rows = (await session.execute(stmt)).all()
    return {
        "group_by": group_by,
        "data": [
            {
                group_by: key or None,
                "images": int(images),
                "jobs": int(jobs),
                "failures": int(failures),
                "cost_usd": str(Decimal(cost or 0).quantize(Decimal("0.000001"))),
            }
            for key, images, jobs, failures, cost in rows
        ],
    }
