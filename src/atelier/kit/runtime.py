"""The process-wide runtime: settings, database, and the long-lived services domains add.

It lives on ``app.state.runtime`` for the HTTP app and is built the same way by workers and
the CLI, so every entry point runs the same code paths."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from atelier.kit.db import create_engine, create_read_sessionmaker, create_sessionmaker
from atelier.kit.single_flight import SingleFlight
from atelier.kit.streams import Streams
from atelier.monitoring.metrics import RequestMetrics
from atelier.settings import Settings

if TYPE_CHECKING:
    from atelier.billing.plans import Plan
    from atelier.engines.routing import Router
    from atelier.engines.runner import EngineRunner
    from atelier.fetch.safe import SafeFetcher
    from atelier.jobs.dispatch import JobQueue
    from atelier.jobs.hooks import JobHook, OutputCheck
    from atelier.jobs.orphans import Reconciler
    from atelier.provenance.signer import ProvenanceSigner
    from atelier.safety.service import ContentPolicyService
    from atelier.storage.base import Storage
    from atelier.storage.drain import Drain
    from atelier.webhooks.dispatcher import Dispatcher

HealthCheck = Callable[[], Awaitable[str]]
#: A check for components that come and go (each provider deployment): name → report with a
#: ``status`` and any details worth showing.
HealthGroup = Callable[[], Awaitable[dict[str, dict[str, Any]]]]


@dataclass
class Services:
    """What a process runs, each built once by its domain's start-up, in this order: the safe
    fetcher, storage (and its drain), the engine router and runner, the job queue (consuming
    only once every hook is registered), plans, webhooks."""

    fetcher: SafeFetcher | None = None
    storage: Storage | None = None
    storage_drain: Drain | None = None
    router: Router | None = None
    runner: EngineRunner | None = None
    job_queue: JobQueue | None = None
    storage_orphans: Reconciler | None = None
    plans: dict[str, Plan] | None = None
    webhook_dispatcher: Dispatcher | None = None
    #: Signs every stored image's C2PA manifest.
    provenance: ProvenanceSigner | None = None
    #: The content policy (``safety``): its prompt check is the first job hook.
    content_policy: ContentPolicyService | None = None
    #: Reviews every engine's images before they are stored (the content policy's image check).
    output_check: OutputCheck | None = None
    #: Called on every job's events, in registration order (billing before webhooks).
    job_hooks: list[JobHook] = field(default_factory=list)


T = TypeVar("T")


def _started(service: T | None, name: str) -> T:
    if service is None:
        raise RuntimeError(f"{name} is not started: build the runtime with app.start_runtime")
    return service


@dataclass
class Runtime:
    settings: Settings
    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]
    secret: str
    #: Sessions for work that only reads (no write lock on SQLite); ``sessions`` when unset.
    reads: async_sessionmaker[AsyncSession] | None = None
    metrics: RequestMetrics = field(default_factory=RequestMetrics)
    #: Component name → cheap check returning healthy | degraded | unhealthy.
    health_checks: dict[str, HealthCheck] = field(default_factory=dict)
    #: Group name → check reporting several components at once (``providers``).
    health_groups: dict[str, HealthGroup] = field(default_factory=dict)
    #: Health reports, computed at most once per ``monitoring.health_cache_seconds``.
    health_reports: SingleFlight[dict[str, Any]] = field(default_factory=lambda: SingleFlight(0.0))
    #: Long-lived services, set in dependency order by ``app.start_runtime``.
    services: Services = field(default_factory=lambda: Services())
    #: Called in reverse order on shutdown.
    closers: list[Callable[[], Awaitable[None]]] = field(default_factory=list)
    #: Open WebSockets and event streams, ended together at shutdown.
    streams: Streams = field(default_factory=Streams)

    @classmethod
    def build(cls, settings: Settings) -> Runtime:
        settings.prepare_data_dir()
        engine = create_engine(settings.resolved_database_url)
        return cls(
            settings=settings,
            engine=engine,
            sessions=create_sessionmaker(engine),
            reads=create_read_sessionmaker(engine),
            secret=settings.signing_secret(),
            health_reports=SingleFlight(settings.monitoring.health_cache_seconds),
        )

    @property
    def fetcher(self) -> SafeFetcher:
        return _started(self.services.fetcher, "fetcher")

    @property
    def storage(self) -> Storage:
        return _started(self.services.storage, "storage")

    @property
    def router(self) -> Router:
        return _started(self.services.router, "router")

    @property
    def runner(self) -> EngineRunner:
        return _started(self.services.runner, "runner")

    @property
    def job_queue(self) -> JobQueue:
        return _started(self.services.job_queue, "job_queue")

    @property
    def plans(self) -> dict[str, Plan]:
        return _started(self.services.plans, "plans")

    @property
    def provenance(self) -> ProvenanceSigner:
        return _started(self.services.provenance, "provenance")

    @property
    def read_sessions(self) -> async_sessionmaker[AsyncSession]:
        return self.reads or self.sessions

    async def close(self) -> None:
        self.streams.close()
        for closer in reversed(self.closers):
            await closer()
        await self.engine.dispose()
