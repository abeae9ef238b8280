from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query, Response
from fastapi.responses import PlainTextResponse
from sqlalchemy.ext.asyncio import AsyncSession

from atelier.kit.deps import RuntimeDep, SessionDep
from atelier.kit.runtime import Runtime
from atelier.monitoring.access import MetricsReader
from atelier.monitoring.business import business_figures
from atelier.monitoring.prometheus import CONTENT_TYPE_LATEST, exposition
from atelier.monitoring.prometheus_state import StateCollector, read_state
from atelier.monitoring.system import system_figures

router = APIRouter(tags=["health"])


async def metrics_report(runtime: Runtime, session: AsyncSession, hours: int) -> dict[str, Any]:
    return {
        "performance": runtime.metrics.summary(hours),
        "business": await business_figures(session, hours),
        "system": system_figures(runtime.metrics.started_at, runtime.settings.data_dir),
    }


@router.get(
    "/monitoring/metrics",
    summary="Performance, business and system figures (administrators, or the monitoring scrape token)",
)
async def metrics(
    _reader: MetricsReader,
    runtime: RuntimeDep,
    session: SessionDep,
    hours: int = Query(1, ge=1, le=24, description="Window, 1-24 hours"),
) -> dict[str, Any]:
    return await metrics_report(runtime, session, hours)


@router.get(
    "/metrics",
    summary="Prometheus metrics (administrators, or the monitoring scrape token)",
    response_class=PlainTextResponse,
    responses={
        200: {"content": {"text/plain": {"schema": {"type": "string"}}}, "description": "Prometheus text format"}
    },
)
async def prometheus_metrics(_reader: MetricsReader, runtime: RuntimeDep, session: SessionDep) -> Response:
    snapshot = await read_state(session, runtime)
    return Response(exposition(StateCollector(snapshot)), media_type=CONTENT_TYPE_LATEST)
