"""Business figures over a window: signups, renders and their outcomes, revenue."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from atelier.accounts.models import User

#: Domains that have figures to add register a coroutine here: (session, since) -> dict.
BusinessSource = Any
sources: list[BusinessSource] = []


async def business_figures(session: AsyncSession, hours: int) -> dict[str, Any]:
    since = datetime.now(UTC) - timedelta(hours=hours)
    signups = (await session.execute(select(func.count()).where(User.created_at >= since))).scalar_one()
    figures: dict[str, Any] = {
        "renders_total": 0,
        "renders_success": 0,
        "renders_failure": 0,
        "revenue_total": 0.0,
        "users_signup": int(signups),
    }
    for source in sources:
        figures.update(await source(session, since))
    return figures
