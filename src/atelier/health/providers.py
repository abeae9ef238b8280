"""Each provider deployment the router has is a health component, from ``Router.health()``:
the engine's own cheap check (credentials present, libraries importable; never a call to
the provider) and its circuit breaker. The router is looked up on every check, so engines
registered after start-up are reported too.

Breakers live in the process that runs jobs. The report is this process's view: with jobs
left to separate ``atelier worker`` processes (``jobs.run_in_server = false``), the API's
breakers never trip: each worker's breakers are opened by its own failures."""

from __future__ import annotations

from typing import Any

from atelier.engines.breaker import BreakerState
from atelier.engines.routing import Router
from atelier.health.service import PROVIDER_PREFIX, PROVIDERS_GROUP
from atelier.kit.runtime import Runtime


async def provider_components(runtime: Runtime) -> dict[str, dict[str, Any]]:
    router: Router | None = runtime.services.router
    if router is None:
        return {}
    statuses = await router.health()
    out: dict[str, dict[str, Any]] = {}
    for deployment in router.all_deployments():
        breaker = deployment.breaker.state
        report: dict[str, Any] = {
            "status": statuses.get(deployment.name, "unhealthy"),
            "provider": deployment.provider,
            "model": deployment.model,
            "breaker": breaker.value,
        }
        if breaker is BreakerState.OPEN:
            report["detail"] = f"circuit open after repeated failures; retried in {deployment.breaker.retry_in():.0f}s"
        elif report["status"] == "unhealthy":
            report["detail"] = "the engine's own check failed (missing credentials or libraries)"
        out[f"{PROVIDER_PREFIX}{deployment.name}"] = report
    return out


def register_provider_health(runtime: Runtime) -> None:
    async def check() -> dict[str, dict[str, Any]]:
        return await provider_components(runtime)

    runtime.health_groups[PROVIDERS_GROUP] = check
