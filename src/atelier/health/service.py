"""Component health: each registered check runs with a timeout; the worst status wins,
except that a non-core component (a provider) failing only degrades the service."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import text

from atelier.kit.runtime import Runtime

log = logging.getLogger("atelier.health")
CORE_COMPONENTS = frozenset({"database", "storage", "job_queue"})
CHECK_TIMEOUT_SECONDS = 3.0


async def database_check(runtime: Runtime) -> str:
    async with runtime.engine.connect() as conn:
        await conn.execute(text("SELECT 1"))
    return "healthy"


async def _run(name: str, runtime: Runtime) -> dict[str, Any]:
    check = runtime.health_checks[name]
    try:
        status = await asyncio.wait_for(check(), CHECK_TIMEOUT_SECONDS)
        detail = None
    except Exception as exc:  # a failing check is a status to report, not an error to raise
        log.warning("health check %s failed: %s", name, exc)
        status, detail = "unhealthy", type(exc).__name__
    out: dict[str, Any] = {"status": status, "checked_at": datetime.now(UTC).isoformat()}
    if detail:
        out["detail"] = detail
    return out


async def component_health(runtime: Runtime) -> dict[str, Any]:
    names = sorted(runtime.health_checks)
    results = await asyncio.gather(*(_run(name, runtime) for name in names))
    services = dict(zip(names, results, strict=True))
    overall = "healthy"
    for name, result in services.items():
        if result["status"] == "unhealthy" and name in CORE_COMPONENTS:
            overall = "unhealthy"
        elif result["status"] != "healthy" and overall == "healthy":
            overall = "degraded"
    return {"status": overall, "timestamp": datetime.now(UTC).isoformat(), "services": services}
