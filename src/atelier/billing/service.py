"""Credits, budgets and usage. Every change happens in the caller's transaction with the
organization's credit row locked first (SELECT … FOR UPDATE on PostgreSQL; SQLite's
transactions are already serialised), so admissions are exact under concurrency, and the
balance can never go negative: a reservation is a conditional UPDATE."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from functools import cache

from sqlalchemy import Insert, func, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from atelier import webhooks
from atelier.accounts.models import Organization
from atelier.audit import service as audit
from atelier.billing.models import Budget, BudgetPeriod, CreditAccount, CreditEntry, UsageDay
from atelier.billing.plans import Plan, get_plan
from atelier.jobs.models import Job, JobStatus
from atelier.kit.db import rowcount
from atelier.kit.errors import BudgetExceeded, InsufficientCredits, RateLimited
from atelier.kit.ids import new_id

THRESHOLDS = (50, 80, 100)


def month_key(now: datetime) -> str:
    return now.strftime("%Y-%m")


async def lock_account(session: AsyncSession, org: Organization, plan: Plan) -> CreditAccount:
    """The org's credit row, locked, created and refilled for the month as needed."""
    now = datetime.now(UTC)
    stmt = select(CreditAccount).where(CreditAccount.organization_id == org.id).with_for_update()
    account = (await session.execute(stmt)).scalar_one_or_none()
    if account is None:
        try:
            async with session.begin_nested():
                session.add(CreditAccount(organization_id=org.id, balance=0, total=0, period=""))
        except IntegrityError:
            pass  # created concurrently; lock theirs
        account = (await session.execute(stmt.execution_options(populate_existing=True))).scalar_one()
    if plan.monthly_images is not None and account.period != month_key(now):
        await set_allowance(session, account, plan.monthly_images, "refill" if account.period else "grant", now)
    return account


async def set_allowance(
    session: AsyncSession, account: CreditAccount, allowance: int, kind: str, now: datetime
) -> None:
    delta = allowance - account.balance
    account.balance = allowance
    account.total = allowance
    account.period = month_key(now)
    account.last_refill = now
    session.add(
        CreditEntry(
            organization_id=account.organization_id,
            kind=kind,
            amount=delta,
            balance_after=allowance,
            note=f"monthly allowance {allowance}",
        )
    )
    await session.flush()


async def _entry(
    session: AsyncSession,
    org_id: str,
    kind: str,
    amount: int,
    job_id: str | None,
    *,
    note: str | None = None,
    amount_usd: Decimal | None = None,
) -> None:
    balance = (
        await session.execute(select(CreditAccount.balance).where(CreditAccount.organization_id == org_id))
    ).scalar_one()
    session.add(
        CreditEntry(
            organization_id=org_id,
            kind=kind,
            amount=amount,
            balance_after=balance,
            job_id=job_id,
            note=note,
            amount_usd=amount_usd,
        )
    )
    await session.flush()


async def reserve_credits(session: AsyncSession, org_id: str, job_id: str, amount: int) -> None:
    result = await session.execute(
        update(CreditAccount)
        .where(CreditAccount.organization_id == org_id, CreditAccount.balance >= amount)
        .values(balance=CreditAccount.balance - amount)
    )
    if not rowcount(result):
        balance = (
            await session.execute(select(CreditAccount.balance).where(CreditAccount.organization_id == org_id))
        ).scalar_one()
        raise InsufficientCredits(
            f"Insufficient credits: {amount} needed, {balance} remaining",
            details={"required": amount, "remaining": balance},
        )
    await _entry(session, org_id, "reservation", -amount, job_id)


async def refund_credits(session: AsyncSession, org_id: str, job_id: str, amount: int) -> None:
    if amount <= 0:
        return
    await session.execute(
        update(CreditAccount)
        .where(CreditAccount.organization_id == org_id)
        .values(balance=CreditAccount.balance + amount)
    )
    await _entry(session, org_id, "refund", amount, job_id)


async def debit(session: AsyncSession, org_id: str, job_id: str, credits: int, images: int, charge: Decimal) -> None:
    """Settle a succeeded job: ``credits`` of its reservation are now spent (amount 0, the
    reservation already took them) and ``charge`` is what the plan billed for its images."""
    if credits <= 0 and charge <= 0:
        return
    note = f"{images} image{'s' if images != 1 else ''}"
    if credits > 0:
        note += f"; {credits} reserved credit{'s' if credits != 1 else ''} spent"
    if charge > 0:
        note += f"; ${charge} charged"
    await _entry(session, org_id, "debit", 0, job_id, note=note, amount_usd=charge if charge > 0 else None)


async def images_last_hour(session: AsyncSession, org_id: str) -> int:
    since = datetime.now(UTC) - timedelta(hours=1)
    total = (
        await session.execute(
            select(func.coalesce(func.sum(Job.n), 0)).where(
                Job.organization_id == org_id,
                Job.created_at >= since,
                Job.status.notin_((JobStatus.FAILED.value, JobStatus.CANCELED.value)),
            )
        )
    ).scalar_one()
    return int(total)


async def check_hourly(session: AsyncSession, org_id: str, plan: Plan, n: int) -> None:
    """Whether ``n`` more images fit the plan's hourly allowance (the job asking is not
    written yet: admission runs before its row exists)."""
    if plan.hourly_images is None:
        return
    used = await images_last_hour(session, org_id)
    if used + n > plan.hourly_images:
        raise RateLimited(
            f"Plan '{plan.name}' allows {plan.hourly_images} images per hour",
            details={"limit": f"{plan.hourly_images}/hour", "scope": "plan"},
            headers={"Retry-After": "3600"},
        )


def budget_periods(now: datetime, budget: Budget) -> list[tuple[str, Decimal]]:
    periods = []
    if budget.daily_usd is not None:
        periods.append((f"d:{now:%Y-%m-%d}", Decimal(budget.daily_usd)))
    if budget.monthly_usd is not None:
        periods.append((f"m:{now:%Y-%m}", Decimal(budget.monthly_usd)))
    return periods


async def _period(session: AsyncSession, org_id: str, key: str) -> BudgetPeriod:
    stmt = select(BudgetPeriod).where(BudgetPeriod.organization_id == org_id, BudgetPeriod.period == key)
    row = (await session.execute(stmt)).scalar_one_or_none()
    if row is None:
        row = BudgetPeriod(organization_id=org_id, period=key, reserved_usd=Decimal("0"), spent_usd=Decimal("0"))
        session.add(row)
        await session.flush()
    return row


@dataclass
class PeriodStatus:
    """Where one capped period stands: what is spent and in flight against its cap, and the
    highest alert threshold already announced."""

    kind: str  # "daily" or "monthly"
    period: str
    cap_usd: Decimal
    spent_usd: Decimal
    reserved_usd: Decimal
    alerted_pct: int

    @property
    def used_pct(self) -> int:
        return int(self.spent_usd * 100 / self.cap_usd) if self.cap_usd > 0 else 100


async def budget_status(session: AsyncSession, org_id: str, now: datetime) -> list[PeriodStatus]:
    """The organization's current capped periods (none without a budget); reads only."""
    budget = await session.get(Budget, org_id)
    if budget is None:
        return []
    status = []
    for key, cap in budget_periods(now, budget):
        stmt = select(BudgetPeriod).where(BudgetPeriod.organization_id == org_id, BudgetPeriod.period == key)
        row = (await session.execute(stmt)).scalar_one_or_none()
        zero = Decimal("0")
        status.append(
            PeriodStatus(
                kind="daily" if key.startswith("d:") else "monthly",
                period=key,
                cap_usd=cap,
                spent_usd=row.spent_usd if row else zero,
                reserved_usd=row.reserved_usd if row else zero,
                alerted_pct=row.alerted_pct if row else 0,
            )
        )
    return status


async def reserve_budget(session: AsyncSession, org_id: str, budget: Budget | None, estimate: Decimal) -> None:
    """``budget``: the organization's, read in this transaction (None: no cap to reserve against)."""
    if budget is None:
        return
    rows = []
    for key, cap in budget_periods(datetime.now(UTC), budget):
        row = await _period(session, org_id, key)
        if row.spent_usd + row.reserved_usd + estimate > cap:
            kind = "daily" if key.startswith("d:") else "monthly"
            raise BudgetExceeded(
                f"The organization's {kind} budget of ${cap} would be exceeded "
                f"(spent ${row.spent_usd}, in flight ${row.reserved_usd}, this request ${estimate})",
                details={"period": key, "cap_usd": str(cap)},
            )
        rows.append(row)
    for row in rows:
        row.reserved_usd += estimate


@dataclass
class Crossing:
    period: str
    threshold: int
    spent_usd: Decimal
    cap_usd: Decimal


async def settle_budget(
    session: AsyncSession, org_id: str, estimate: Decimal, cost: Decimal, created_at: datetime
) -> list[Crossing]:
    budget = await session.get(Budget, org_id)
    if budget is None:
        return []
    crossings = []
    for key, cap in budget_periods(created_at, budget):
        row = await _period(session, org_id, key)
        row.reserved_usd = max(Decimal("0"), row.reserved_usd - estimate)
        row.spent_usd += cost
        pct = int(row.spent_usd * 100 / cap) if cap > 0 else 100
        reached = max((t for t in THRESHOLDS if pct >= t), default=0)
        if reached > row.alerted_pct:
            row.alerted_pct = reached
            crossings.append(Crossing(key, reached, row.spent_usd, cap))
    return crossings


async def record_usage(
    session: AsyncSession, org_id: str, api_key_id: str | None, model: str, *, images: int, failed: bool, cost: Decimal
) -> None:
    """Add one job to its day's row, in one statement (INSERT ... ON CONFLICT DO UPDATE on
    the row's unique key, SQLite and PostgreSQL alike): no read first, no race between two
    settlements of the same day creating the row twice."""
    values = {
        "id": new_id("use"),
        "organization_id": org_id,
        "api_key_id": api_key_id or "",
        "day": datetime.now(UTC).strftime("%Y-%m-%d"),
        "model": model,
        "images": images,
        "jobs": 1,
        "failures": int(failed),
        "cost_usd": cost,
    }
    await session.execute(_add_usage(session.get_bind().dialect.name), values)


@cache
def _add_usage(dialect: str) -> Insert:
    """The upsert of :func:`record_usage`, its values given when it runs (the columns' own names)."""
    insert = sqlite_insert if dialect == "sqlite" else postgresql_insert
    stmt = insert(UsageDay)
    return stmt.on_conflict_do_update(
        index_elements=[UsageDay.organization_id, UsageDay.api_key_id, UsageDay.day, UsageDay.model],
        set_={
            "images": UsageDay.images + stmt.excluded.images,
            "jobs": UsageDay.jobs + 1,
            "failures": UsageDay.failures + stmt.excluded.failures,
            "cost_usd": UsageDay.cost_usd + stmt.excluded.cost_usd,
        },
    )


async def announce(session: AsyncSession, org_id: str, crossings: list[Crossing]) -> None:
    """Each crossing goes to the audit log and, as a ``budget.threshold`` event, to the
    organization's webhooks, in the transaction that settled the spend."""
    for c in crossings:
        await audit.record(
            session,
            "budget.threshold",
            organization_id=org_id,
            target=c.period,
            threshold=c.threshold,
            spent_usd=str(c.spent_usd),
            cap_usd=str(c.cap_usd),
        )
        await webhooks.emit(
            session,
            org_id,
            "budget.threshold",
            {
                # An organization has one budget, keyed by the organization's id.
                "budget_id": org_id,
                "period": c.period,
                "threshold": c.threshold,
                "spent_usd": str(c.spent_usd),
                "limit_usd": str(c.cap_usd),
            },
        )


async def org_plan(session: AsyncSession, org_id: str, plans: Mapping[str, Plan]) -> tuple[Organization, Plan]:
    org = await session.get(Organization, org_id)
    assert org is not None
    return org, get_plan(org.plan, plans)
