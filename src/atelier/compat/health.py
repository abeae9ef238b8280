"""Each seed's health route in its documented shape, from the same component checks.

NanoDesigner's document also lists ``redis`` and ``openrouter``: both are checked for real
when configured (a Redis PING; the router's health of the OpenRouter deployments) and
reported as ``not_configured`` when absent, never as healthy. Every route reads the one
cached component report (``health_report``); NanoDesigner's, with its Redis PING, is cached
the same way."""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime
from functools import partial
from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from atelier import __version__
from atelier.auth.dependencies import PUBLIC
from atelier.compat.errors import timestamp
from atelier.compat.pixova.routes import ROUTE as PIXOVA_ROUTE
from atelier.health.service import PROVIDER_PREFIX, health_report
from atelier.kit.deps import RuntimeDep, SessionDep
from atelier.kit.runtime import Runtime
from atelier.monitoring.access import MetricsReader
from atelier.monitoring.endpoints import metrics_report

NOT_CONFIGURED = "not_configured"
STATUS_RANK = {"healthy": 0, "degraded": 1, "unhealthy": 2}
CHECK_TIMEOUT_SECONDS = 3.0


def _status_code(report: dict[str, Any]) -> int:
    return 503 if report["status"] == "unhealthy" else 200


def _entry(status: str, detail: str | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {"status": status, "checked_at": datetime.now(UTC).isoformat()}
    if detail:
        out["detail"] = detail
    return out


async def redis_health(runtime: Runtime) -> dict[str, Any]:
    url = runtime.settings.redis_url
    if not url:
        return _entry(NOT_CONFIGURED, "ATELIER_REDIS_URL is not set; limits and jobs run in process")
    from redis.asyncio import Redis

    client = Redis.from_url(url, socket_connect_timeout=CHECK_TIMEOUT_SECONDS)
    try:
        await asyncio.wait_for(client.ping(), CHECK_TIMEOUT_SECONDS)
    except Exception as exc:  # an unreachable Redis is a status to report
        return _entry("unhealthy", type(exc).__name__)
    finally:
        await client.aclose()
    return _entry("healthy")


def _deployment_status(report: dict[str, Any], deployment: str) -> str:
    """A deployment's status in the component report (its ``provider:`` entry, from the
    router's health; missing when that check failed: unhealthy)."""
    entry = report["services"].get(f"{PROVIDER_PREFIX}{deployment}")
    return str(entry["status"]) if entry else "unhealthy"


def provider_health(runtime: Runtime, report: dict[str, Any], provider: str) -> dict[str, Any]:
    """One provider's deployments as the component report has them: the worst of them."""
    names = sorted({d.name for d in runtime.router.all_deployments() if d.provider == provider})
    if not names:
        return _entry(NOT_CONFIGURED, f"no {provider} deployment is configured")
    return _entry(max((_deployment_status(report, name) for name in names), key=_rank))


def route_health(runtime: Runtime, report: dict[str, Any], model: str) -> dict[str, Any]:
    """Whether a route can generate: its fallback chain is as good as its best deployment."""
    statuses = [_deployment_status(report, d.name) for d in runtime.router.routes.get(model, [])]
    if not statuses:
        return _entry("unhealthy", f"no engine serves '{model}'")
    return _entry(min(statuses, key=_rank))


def _rank(status: str) -> int:
    return STATUS_RANK.get(status, 2)


async def nanodesigner_report(runtime: Runtime) -> dict[str, Any]:
    report = (await health_report(runtime)).value
    extra = {"redis": await redis_health(runtime), "openrouter": provider_health(runtime, report, "openrouter")}
    report["services"].update(extra)
    if extra["redis"]["status"] == "unhealthy":
        report["status"] = "unhealthy"  # jobs and limits live in the configured Redis
    elif extra["openrouter"]["status"] not in {"healthy", NOT_CONFIGURED} and report["status"] == "healthy":
        report["status"] = "degraded"
    return report


def nanodesigner_router() -> APIRouter:
    router = APIRouter()

    @router.get("/monitoring/health", dependencies=[PUBLIC])
    async def health(runtime: RuntimeDep) -> JSONResponse:
        report = (await runtime.health_reports.get("nanodesigner", partial(nanodesigner_report, runtime))).value
        return JSONResponse(report, status_code=_status_code(report))

    @router.get("/monitoring/metrics")
    async def metrics(
        _reader: MetricsReader, runtime: RuntimeDep, session: SessionDep, hours: int = 1
    ) -> dict[str, Any]:
        from atelier.kit.errors import ValidationFailed

        if not 1 <= hours <= 24:
            raise ValidationFailed("hours must be between 1 and 24")
        return await metrics_report(runtime, session, hours)

    return router


def pixova_router() -> APIRouter:
    router = APIRouter()

    @router.get("/health", dependencies=[PUBLIC])
    async def health(runtime: RuntimeDep) -> JSONResponse:
        computed = await health_report(runtime)
        report = computed.value
        latency_ms = round(computed.seconds * 1000, 1)  # how long the checks took when they ran
        services = {
            name: {"status": value["status"], "latency_ms": latency_ms} for name, value in report["services"].items()
        }
        engine = route_health(runtime, report, PIXOVA_ROUTE)
        services["logo_generator"] = {"status": engine["status"], "latency_ms": latency_ms}
        if engine["status"] != "healthy" and report["status"] != "unhealthy":
            report["status"] = engine["status"]  # no logo generator, no Pixova
        body = {
            "status": report["status"],
            "version": __version__,
            "environment": runtime.settings.environment.value,
            "uptime_seconds": round(time.time() - runtime.metrics.started_at),
            "services": services,
        }
        return JSONResponse(body, status_code=_status_code(report))

    return router


def dreamy_router() -> APIRouter:
    router = APIRouter()

    @router.get("/health", dependencies=[PUBLIC])
    async def health(runtime: RuntimeDep) -> JSONResponse:
        report = (await health_report(runtime)).value
        ok = report["status"] != "unhealthy"
        body = {
            "status": "ok" if ok else "error",
            "message": "Dreamy API is running" if ok else "Dreamy API is unhealthy",
            "timestamp": timestamp(),
        }
        return JSONResponse(body, status_code=_status_code(report))

    return router


def nanobanana_router() -> APIRouter:
    router = APIRouter()

    @router.get("/health", dependencies=[PUBLIC])
    async def health(runtime: RuntimeDep) -> JSONResponse:
        report = (await health_report(runtime)).value
        return JSONResponse({"status": report["status"]}, status_code=_status_code(report))

    return router
