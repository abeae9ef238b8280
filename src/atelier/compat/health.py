"""Each seed's health route in its documented shape, from the same component checks."""

from __future__ import annotations

import time
from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from atelier import __version__
from atelier.compat.errors import timestamp
from atelier.health.service import component_health
from atelier.kit.deps import RuntimeDep, SessionDep
from atelier.monitoring.endpoints import metrics_report


def _status_code(report: dict[str, Any]) -> int:
    return 503 if report["status"] == "unhealthy" else 200


def nanodesigner_router() -> APIRouter:
    router = APIRouter()

    @router.get("/monitoring/health")
    async def health(runtime: RuntimeDep) -> JSONResponse:
        report = await component_health(runtime)
        return JSONResponse(report, status_code=_status_code(report))

    @router.get("/monitoring/metrics")
    async def metrics(runtime: RuntimeDep, session: SessionDep, hours: int = 1) -> dict[str, Any]:
        from atelier.kit.errors import ValidationFailed

        if not 1 <= hours <= 24:
            raise ValidationFailed("hours must be between 1 and 24")
        return await metrics_report(runtime, session, hours)

    return router


def pixova_router() -> APIRouter:
    router = APIRouter()

    @router.get("/health")
    async def health(runtime: RuntimeDep) -> JSONResponse:
        started = time.perf_counter()
        report = await component_health(runtime)
        latency_ms = round((time.perf_counter() - started) * 1000, 1)
        services = {
            name: {"status": value["status"], "latency_ms": latency_ms} for name, value in report["services"].items()
        }
        engine = report["services"].get("engines", report["services"].get("database", {"status": "unhealthy"}))
        services["logo_generator"] = {"status": engine["status"], "latency_ms": latency_ms}
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

    @router.get("/health")
    async def health(runtime: RuntimeDep) -> JSONResponse:
        report = await component_health(runtime)
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

    @router.get("/health")
    async def health(runtime: RuntimeDep) -> JSONResponse:
        report = await component_health(runtime)
        return JSONResponse({"status": report["status"]}, status_code=_status_code(report))

    return router
