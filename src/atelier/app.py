"""The application factory. Domains plug in here: a router line and, for those with
long-lived services, a start-up function that registers them on the runtime."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from functools import partial

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

from atelier import __version__
from atelier.accounts.admin import router as admin_router
from atelier.accounts.endpoints import router as accounts_router
from atelier.assets.design import router as asset_design_router
from atelier.assets.endpoints import router as assets_router
from atelier.audit.endpoints import organization_router as organization_audit_router
from atelier.audit.endpoints import router as audit_router
from atelier.auth.access import check_routes
from atelier.auth.scopes import SCOPE_DESCRIPTIONS
from atelier.billing.endpoints import router as billing_router
from atelier.billing.setup import start_billing
from atelier.compat.dreamy_studio.fal_inbox import attach_fal_webhooks
from atelier.compat.mount import include_compat
from atelier.console.endpoints import mount_console
from atelier.fetch.safe import SafeFetcher
from atelier.health.endpoints import router as health_router
from atelier.health.providers import register_provider_health
from atelier.health.service import database_check
from atelier.idempotency.middleware import IdempotencyMiddleware
from atelier.idempotency.service import install_replay_handler
from atelier.images.endpoints import router as images_router
from atelier.images.errors import OPENAI_DOC, openai_renderer
from atelier.jobs.endpoints import router as jobs_router
from atelier.jobs.setup import start_consuming, start_jobs
from atelier.keys.endpoints import router as keys_router
from atelier.kit.error_docs import register_error_doc
from atelier.kit.handlers import install_error_handlers, register_error_renderer
from atelier.kit.logs import configure_logging
from atelier.kit.middleware import RequestContextMiddleware
from atelier.kit.routes import check_async
from atelier.kit.runtime import Runtime
from atelier.limits.middleware import RateLimitMiddleware, make_storage
from atelier.limits.rules import default_rules
from atelier.migrations.runner import upgrade
from atelier.monitoring.endpoints import router as monitoring_router
from atelier.organizations.endpoints import router as organizations_router
from atelier.projects.endpoints import router as projects_router
from atelier.provenance.endpoints import router as provenance_router
from atelier.provenance.signer import start_provenance
from atelier.safety.endpoints import router as content_policy_router
from atelier.safety.setup import start_safety
from atelier.settings import Settings
from atelier.specs.endpoints import router as specs_router
from atelier.storage.endpoints import router as storage_router
from atelier.storage.setup import start_storage
from atelier.usage.endpoints import router as usage_router
from atelier.webhooks.endpoints import router as webhooks_router
from atelier.webhooks.setup import start_webhooks

DESCRIPTION = (
    "One API in front of every image model: the built-in design engine, local diffusion "
    "models and hosted providers, with accounts, keys, limits, credits, jobs and storage.\n\n"
    "**Credentials**: `X-API-Key: <key>` or `Authorization: Bearer <key or JWT>`. A JWT holds "
    "every scope of its user; a key holds the scopes it was minted with. Each operation lists "
    "the scopes that admit it (any one of them).\n\n"
    "| scope | grants |\n|---|---|\n"
    + "\n".join(f"| `{scope.value}` | {text} |" for scope, text in SCOPE_DESCRIPTIONS.items())
)


async def start_runtime(settings: Settings) -> Runtime:
    """Everything a process (server, worker, CLI) needs, built the same way for all."""
    runtime = Runtime.build(settings)
    if settings.auto_migrate:
        await upgrade(runtime.engine)
    runtime.health_checks["database"] = partial(database_check, runtime)
    runtime.services.fetcher = SafeFetcher(
        max_bytes=settings.fetch.max_bytes, timeout=settings.fetch.timeout_seconds, allow=settings.fetch.allow_private
    )
    await start_storage(runtime)
    await start_provenance(runtime)  # before jobs: every stored image is signed
    await start_jobs(runtime)
    attach_fal_webhooks(runtime)  # fal deployments notify through Dreamy's webhook route
    register_provider_health(runtime)
    await start_safety(runtime)  # before billing: a refused prompt reserves nothing
    await start_billing(runtime)
    await start_webhooks(runtime)
    await start_consuming(runtime)  # last: every job hook is registered by now
    return runtime


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()
    configure_logging(settings.log.format, settings.log.level)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        runtime = await start_runtime(settings)
        runtime.metrics = app.state.metrics
        app.state.runtime = runtime
        try:
            yield
        finally:
            await runtime.close()

    app = FastAPI(
        title="Atelier", version=__version__, description=DESCRIPTION, lifespan=lifespan, docs_url=None, redoc_url=None
    )
    from atelier.monitoring.metrics import RequestMetrics

    app.state.metrics = RequestMetrics()
    install_error_handlers(app)
    install_replay_handler(app)
    # Innermost first: each add_middleware wraps what is there, so CORS ends up outermost and
    # every response (a 429, a 413 and a 500 included) carries its headers.
    app.add_middleware(IdempotencyMiddleware)
    if settings.limits.enabled:
        app.add_middleware(
            RateLimitMiddleware,
            rules=default_rules(
                settings.limits.per_key,
                settings.limits.per_organization,
                settings.limits.per_ip,
                settings.limits.anonymous_per_ip,
            ),
            storage=make_storage(settings.redis_url, settings.redis_namespace),
        )
    app.add_middleware(
        RequestContextMiddleware, max_body_bytes=settings.server.max_body_bytes, metrics=app.state.metrics
    )
    if settings.server.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.server.cors_origins,
            allow_methods=["*"],
            allow_headers=["*"],
            expose_headers=["X-Request-ID", "RateLimit", "RateLimit-Policy", "Retry-After"],
        )
    for router in (
        health_router,
        monitoring_router,
        accounts_router,
        admin_router,
        keys_router,
        organizations_router,
        projects_router,
        audit_router,
        organization_audit_router,
        jobs_router,
        images_router,
        assets_router,
        provenance_router,
        asset_design_router,
        storage_router,
        billing_router,
        usage_router,
        specs_router,
        webhooks_router,
        content_policy_router,
    ):
        app.include_router(router)
    register_error_renderer("/v1/images", openai_renderer)
    register_error_doc("/v1/images", OPENAI_DOC)
    include_compat(app)
    mount_console(app)  # the web console at /, and /docs, /redoc from local files
    check_routes(app)  # a route that declares no access is never served
    check_async(app)  # nor one that would hop to a thread for a plain def
    return app
