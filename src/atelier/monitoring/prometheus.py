"""``GET /metrics`` in the Prometheus text format.

Two kinds of figures:

- **Counted where they happen** (per process): HTTP requests by route template and status,
  with a latency histogram (recorded by ``RequestContextMiddleware``), and provider attempts
  and errors (recorded by the engine router). With several server processes (``atelier serve
  --workers N``) these are kept in prometheus_client's multiprocess mode: ``serve`` points
  ``PROMETHEUS_MULTIPROC_DIR`` at ``<data_dir>/prometheus`` before the workers start, each
  worker writes its own files there and a scrape, answered by any worker, sums them.
- **Read at scrape time** from the database, the truth shared by every process: jobs by
  state and engine, queue depth, the job duration histogram, credits consumed, webhook
  deliveries by outcome; and the circuit breakers of this process's router
  (``monitoring/prometheus_state.py``).

This module imports no domain, so the middleware and the engine router can record here.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterable
from pathlib import Path

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import Metric
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector
from starlette.types import Scope

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"
#: Requests that matched no route share one label, so probing random paths adds no series.
UNMATCHED = "unmatched"

#: The metrics counted where they happen; in multiprocess mode prometheus_client backs them
#: with per-process files (it reads the environment variable when it is first imported).
PROCESS_REGISTRY = CollectorRegistry(auto_describe=True)
HTTP_REQUESTS = Counter(
    "atelier_http_requests",
    "HTTP requests answered, by method, route template and status",
    ["method", "route", "status"],
    registry=PROCESS_REGISTRY,
)
HTTP_LATENCY = Histogram(
    "atelier_http_request_duration_seconds",
    "Time to answer an HTTP request, by method and route template",
    ["method", "route"],
    registry=PROCESS_REGISTRY,
)
PROVIDER_ATTEMPTS = Counter(
    "atelier_provider_attempts",
    "Calls to a deployment (succeeded, failed, skipped), by deployment and provider",
    ["deployment", "provider", "outcome"],
    registry=PROCESS_REGISTRY,
)
PROVIDER_ERRORS = Counter(
    "atelier_provider_errors",
    "Failed calls to a deployment, by deployment, provider and error code",
    ["deployment", "provider", "code"],
    registry=PROCESS_REGISTRY,
)


def route_template(scope: Scope) -> str:
    """The matched route's path format (``/v1/generations/{job_id}``), never the raw path."""
    route = scope.get("route")  # FastAPI's own routes say which matched
    if route is None and scope.get("endpoint") is not None:  # Starlette routes and mounts (/docs …) do not
        endpoint = scope["endpoint"]
        routes = getattr(scope.get("app"), "routes", [])
        route = next((r for r in routes if getattr(r, "endpoint", getattr(r, "app", None)) is endpoint), None)
    template = getattr(route, "path_format", None)
    return template if isinstance(template, str) else UNMATCHED


def observe_request(method: str, route: str, status: int, seconds: float) -> None:
    HTTP_REQUESTS.labels(method, route, str(status)).inc()
    HTTP_LATENCY.labels(method, route).observe(seconds)


def observe_attempt(deployment: str, provider: str, outcome: str, code: str | None = None) -> None:
    PROVIDER_ATTEMPTS.labels(deployment, provider, outcome).inc()
    if outcome == "failed":
        PROVIDER_ERRORS.labels(deployment, provider, code or "UNKNOWN").inc()


def prepare_multiprocess(data_dir: Path, workers: int) -> Path | None:
    """Before ``workers`` > 1 server processes start: a fresh folder for their metric files,
    named in the environment they inherit. One process keeps the in-memory default."""
    if workers <= 1:
        return None
    folder = (data_dir / "prometheus").resolve()
    shutil.rmtree(folder, ignore_errors=True)  # counters restart with the server, as in one process
    folder.mkdir(parents=True, exist_ok=True)
    os.environ[MULTIPROC_ENV] = str(folder)
    return folder


def exposition(state: Collector) -> bytes:
    """The text a scrape gets: this process's counters (or every worker's, summed, in
    multiprocess mode), then the state read for this scrape."""
    registry = CollectorRegistry(auto_describe=True)
    if os.environ.get(MULTIPROC_ENV):
        MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
    else:
        registry.register(_Forward(PROCESS_REGISTRY))
    registry.register(state)
    return generate_latest(registry)


class _Forward(Collector):
    def __init__(self, registry: CollectorRegistry) -> None:
        self.registry = registry

    def collect(self) -> Iterable[Metric]:
        yield from self.registry.collect()


__all__ = ["CONTENT_TYPE_LATEST", "exposition", "observe_attempt", "observe_request", "route_template"]
