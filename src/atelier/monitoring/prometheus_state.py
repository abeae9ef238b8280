"""The figures ``GET /metrics`` reads at scrape time: from the database, the truth every
process shares (jobs by state and engine, queue depth, job durations, credits consumed,
revenue, webhook deliveries by outcome), and from this process's router (its breakers).

The job duration histogram is counted from the finished jobs' start and end times on each
scrape, so it needs no instrumentation in the runner and agrees across processes."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, HistogramMetricFamily, Metric
from prometheus_client.registry import Collector
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from atelier.billing.models import CreditEntry
from atelier.engines.breaker import BreakerState
from atelier.jobs.models import Job, JobStatus
from atelier.webhooks.models import WebhookDelivery

if TYPE_CHECKING:
    from atelier.kit.runtime import Runtime

#: Job durations in seconds: a design render takes well under a second, a hosted model minutes.
JOB_BUCKETS = (0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 120.0, 300.0, 600.0, 1800.0)
BREAKER_VALUES = {BreakerState.CLOSED: 0.0, BreakerState.HALF_OPEN: 1.0, BreakerState.OPEN: 2.0}


@dataclass
class StateSnapshot:
    """What the database and the router say at scrape time."""

    jobs: dict[tuple[str, str], int] = field(default_factory=dict)
    durations: list[float] = field(default_factory=list)
    credits_consumed: int = 0
    revenue_usd: float = 0.0
    deliveries: dict[str, int] = field(default_factory=dict)
    breakers: list[tuple[str, str, BreakerState, int]] = field(default_factory=list)


async def read_state(session: AsyncSession, runtime: Runtime) -> StateSnapshot:
    snapshot = StateSnapshot()
    rows = await session.execute(select(Job.status, Job.engine, func.count()).group_by(Job.status, Job.engine))
    snapshot.jobs = {(status, engine or ""): int(count) for status, engine, count in rows.all()}
    finished = await session.execute(
        select(Job.started_at, Job.finished_at).where(
            Job.status.in_((JobStatus.SUCCEEDED.value, JobStatus.FAILED.value)),
            Job.started_at.is_not(None),
            Job.finished_at.is_not(None),
        )
    )
    snapshot.durations = [max(0.0, (end - start).total_seconds()) for start, end in finished.all() if start and end]
    settled = select(CreditEntry.job_id).where(CreditEntry.kind == "debit", CreditEntry.job_id.is_not(None))
    held = await session.execute(
        select(func.coalesce(func.sum(CreditEntry.amount), 0)).where(
            CreditEntry.kind.in_(("reservation", "refund")), CreditEntry.job_id.in_(settled)
        )
    )
    snapshot.credits_consumed = -int(held.scalar_one() or 0)
    revenue = await session.execute(
        select(func.coalesce(func.sum(CreditEntry.amount_usd), 0)).where(CreditEntry.kind == "debit")
    )
    snapshot.revenue_usd = float(revenue.scalar_one() or 0)
    deliveries = await session.execute(select(WebhookDelivery.status, func.count()).group_by(WebhookDelivery.status))
    snapshot.deliveries = {status: int(count) for status, count in deliveries.all()}
    snapshot.breakers = [
        (d.name, d.provider, d.breaker.state, d.breaker.failures) for d in runtime.router.all_deployments()
    ]
    return snapshot


def _job_families(snapshot: StateSnapshot) -> Iterator[Metric]:
    jobs = GaugeMetricFamily(
        "atelier_jobs", "Jobs by state and engine (engine empty until one ran)", labels=["state", "engine"]
    )
    for (state, engine), count in sorted(snapshot.jobs.items()):
        jobs.add_metric([state, engine], count)
    yield jobs
    queued = sum(count for (state, _), count in snapshot.jobs.items() if state == JobStatus.QUEUED.value)
    yield GaugeMetricFamily("atelier_queue_depth", "Jobs waiting to run", value=queued)
    buckets = [(str(bound), float(sum(1 for d in snapshot.durations if d <= bound))) for bound in JOB_BUCKETS]
    buckets.append(("+Inf", float(len(snapshot.durations))))
    duration = HistogramMetricFamily("atelier_job_duration_seconds", "Time from start to end of finished jobs")
    duration.add_metric([], buckets, sum_value=sum(snapshot.durations))
    yield duration


def _economy_families(snapshot: StateSnapshot) -> Iterator[Metric]:
    yield CounterMetricFamily(
        "atelier_credits_consumed", "Credits spent by settled jobs", value=snapshot.credits_consumed
    )
    yield CounterMetricFamily("atelier_revenue_usd", "Money charged for renders, in USD", value=snapshot.revenue_usd)
    deliveries = GaugeMetricFamily(
        "atelier_webhook_deliveries",
        "Webhook deliveries by outcome (pending, delivering, succeeded, failed, canceled)",
        labels=["outcome"],
    )
    for status, count in sorted(snapshot.deliveries.items()):
        deliveries.add_metric([status], count)
    yield deliveries
    breaker = GaugeMetricFamily(
        "atelier_provider_breaker_state",
        "Circuit breaker of each deployment in this process: 0 closed, 1 half-open, 2 open",
        labels=["deployment", "provider"],
    )
    failures = GaugeMetricFamily(
        "atelier_provider_consecutive_failures",
        "Consecutive failures counted by each breaker",
        labels=["deployment", "provider"],
    )
    for name, provider, state, count in snapshot.breakers:
        breaker.add_metric([name, provider], BREAKER_VALUES[state])
        failures.add_metric([name, provider], count)
    yield breaker
    yield failures


class StateCollector(Collector):
    def __init__(self, snapshot: StateSnapshot) -> None:
        self.snapshot = snapshot

    def collect(self) -> Iterable[Metric]:
        yield from _job_families(self.snapshot)
        yield from _economy_families(self.snapshot)
