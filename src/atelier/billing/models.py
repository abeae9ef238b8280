from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, Integer, Numeric, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from atelier.kit.db import Base, TimestampMixin, UTCDateTime
from atelier.kit.ids import new_id


class CreditAccount(Base):
    """The balance, kept in step with the ledger in the same transaction."""

    __tablename__ = "credit_accounts"

    organization_id: Mapped[str] = mapped_column(ForeignKey("organizations.id", ondelete="CASCADE"), primary_key=True)
    balance: Mapped[int] = mapped_column(Integer, default=0)
    total: Mapped[int] = mapped_column(Integer, default=0)
    period: Mapped[str] = mapped_column(String(7))  # YYYY-MM of the last monthly refill
    last_refill: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)


class CreditEntry(TimestampMixin, Base):
    """Append-only: grant and refill (+ or -, to the month's allowance), reservation (-),
    refund (+) and debit. A debit settles a succeeded job: its amount is 0 because the
    reservation already took the credits it consumed (named in ``note``), so the balance
    always equals the sum of ``amount``; ``amount_usd`` is what the plan charged in money
    (pay-as-you-go), None when it charges nothing per image."""

    __tablename__ = "credit_ledger"

    id: Mapped[str] = mapped_column(String(40), primary_key=True, default=lambda: new_id("led"))
    organization_id: Mapped[str] = mapped_column(String(40), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    amount: Mapped[int] = mapped_column(Integer)
    balance_after: Mapped[int] = mapped_column(Integer)
    job_id: Mapped[str | None] = mapped_column(String(40), default=None, index=True)
    note: Mapped[str | None] = mapped_column(String(200), default=None)
    amount_usd: Mapped[Decimal | None] = mapped_column(Numeric(14, 6), default=None)


class Budget(Base):
    __tablename__ = "budgets"

    organization_id: Mapped[str] = mapped_column(ForeignKey("organizations.id", ondelete="CASCADE"), primary_key=True)
    daily_usd: Mapped[Decimal | None] = mapped_column(Numeric(12, 4), default=None)
    monthly_usd: Mapped[Decimal | None] = mapped_column(Numeric(12, 4), default=None)


class BudgetPeriod(Base):
    """Spend in one period (``d:2026-11-23`` or ``m:2026-11``): reserved while jobs run."""

    __tablename__ = "budget_periods"
    __table_args__ = (UniqueConstraint("organization_id", "period"),)

    id: Mapped[str] = mapped_column(String(40), primary_key=True, default=lambda: new_id("bp"))
    organization_id: Mapped[str] = mapped_column(String(40), index=True)
    period: Mapped[str] = mapped_column(String(12))
    reserved_usd: Mapped[Decimal] = mapped_column(Numeric(14, 6), default=Decimal("0"))
    spent_usd: Mapped[Decimal] = mapped_column(Numeric(14, 6), default=Decimal("0"))
    #: Highest threshold (50, 80, 100) already announced in this period.
    alerted_pct: Mapped[int] = mapped_column(Integer, default=0)


class UsageDay(Base):
    """Per key, per day, per model."""

    __tablename__ = "usage_days"
    __table_args__ = (UniqueConstraint("organization_id", "api_key_id", "day", "model"),)

    id: Mapped[str] = mapped_column(String(40), primary_key=True, default=lambda: new_id("use"))
    organization_id: Mapped[str] = mapped_column(String(40), index=True)
    api_key_id: Mapped[str] = mapped_column(String(40), default="")
    day: Mapped[str] = mapped_column(String(10), index=True)
    model: Mapped[str] = mapped_column(String(200))
    images: Mapped[int] = mapped_column(Integer, default=0)
    jobs: Mapped[int] = mapped_column(Integer, default=0)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    cost_usd: Mapped[Decimal] = mapped_column(Numeric(14, 6), default=Decimal("0"))
