"""Component health: each registered check (and each group of checks, such as one per
provider deployment) runs with a timeout, and the overall status follows the components:

- a core component (database, storage, job queue) that is unhealthy makes the service
  unhealthy;
- so does having no provider deployment that is not unhealthy (nothing can generate);
- any other component that is not healthy only degrades the service.

Anyone may ask, so callers read the report through ``health_report``: computed at most once
per ``monitoring.health_cache_seconds`` however many ask at once, served from memory between."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime
from functools import partial
from typing import Any

from sqlalchemy import text

from atelier.kit.runtime import Runtime
from atelier.kit.single_flight import Computed

log = logging.getLogger("atelier.health")
CORE_COMPONENTS = frozenset({"database", "storage", "job_queue"})
CHECK_TIMEOUT_SECONDS = 3.0
#: Components reported by the ``providers`` group are named ``provider:<deployment>``.
PROVIDER_PREFIX = "provider:"
PROVIDERS_GROUP = "providers"


async def database_check(runtime: Runtime) -> str:
    async with runtime.engine.connect() as conn:
        await conn.execute(text("SELECT 1"))
    return "healthy"


def _now() -> str:
    return datetime.now(UTC).isoformat()


async def _run(name: str, runtime: Runtime) -> dict[str, Any]:
    check = runtime.health_checks[name]
    try:
        status = await asyncio.wait_for(check(), CHECK_TIMEOUT_SECONDS)
        detail = None
    except Exception as exc:  # a failing check is a status to report, not an error to raise
        log.warning("health check %s failed: %s", name, exc)
        status, detail = "unhealthy", type(exc).__name__
    out: dict[str, Any] = {"status": status, "checked_at": _now()}
    if detail:
        out["detail"] = detail
    return out


async def _run_group(name: str, runtime: Runtime) -> dict[str, dict[str, Any]]:
    check = runtime.health_groups[name]
    try:
        reports = await asyncio.wait_for(check(), CHECK_TIMEOUT_SECONDS)
    except Exception as exc:  # the whole group is reported as one unhealthy component
        log.warning("health check group %s failed: %s", name, exc)
        component = f"{PROVIDER_PREFIX}*" if name == PROVIDERS_GROUP else name
        return {component: {"status": "unhealthy", "checked_at": _now(), "detail": type(exc).__name__}}
    checked_at = _now()
    return {component: {**report, "checked_at": checked_at} for component, report in reports.items()}


def overall_status(services: dict[str, dict[str, Any]], *, providers_checked: bool) -> str:
    """``providers_checked``: the providers group ran, so having no usable deployment (none
    at all, or all unhealthy) means nothing can generate."""
    statuses = {name: result["status"] for name, result in services.items()}
    if any(statuses[name] == "unhealthy" for name in CORE_COMPONENTS & statuses.keys()):
        return "unhealthy"
    providers = [status for name, status in statuses.items() if name.startswith(PROVIDER_PREFIX)]
    if providers_checked and all(status == "unhealthy" for status in providers):
        return "unhealthy"
    return "healthy" if all(status == "healthy" for status in statuses.values()) else "degraded"


async def component_health(runtime: Runtime) -> dict[str, Any]:
    names = sorted(runtime.health_checks)
    groups = sorted(runtime.health_groups)
    results, grouped = await asyncio.gather(
        asyncio.gather(*(_run(name, runtime) for name in names)),
        asyncio.gather(*(_run_group(group, runtime) for group in groups)),
    )
    services = dict(zip(names, results, strict=True))
    for reports in grouped:
        services.update(reports)
    status = overall_status(services, providers_checked=PROVIDERS_GROUP in runtime.health_groups)
    return {"status": status, "timestamp": _now(), "services": services}


async def health_report(runtime: Runtime) -> Computed[dict[str, Any]]:
    """The component report, from memory within the cache interval (a copy to change)."""
    return await runtime.health_reports.get("components", partial(component_health, runtime))
