from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from atelier import __version__
from atelier.auth.dependencies import PUBLIC
from atelier.health.service import health_report
from atelier.kit.deps import RuntimeDep

router = APIRouter(tags=["health"])


@router.get("/health", summary="Liveness: the process answers (checks nothing)", dependencies=[PUBLIC])
async def liveness() -> dict[str, Any]:
    return {"status": "ok", "version": __version__}


@router.get("/monitoring/health", summary="Per-component health", dependencies=[PUBLIC])
async def monitoring_health(runtime: RuntimeDep) -> JSONResponse:
    report = (await health_report(runtime)).value
    return JSONResponse(report, status_code=503 if report["status"] == "unhealthy" else 200)
