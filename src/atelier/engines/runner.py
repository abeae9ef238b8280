"""What the pipeline calls to turn a request into images: a small protocol in front of the
providers' :class:`~atelier.engines.routing.Router` (routes, retries, fallback, breakers).

The pipeline depends only on :class:`EngineRunner`, so the routing strategy can change
without touching jobs. The default configuration is the built-in routes table (every model
name goes to the design engine until a provider has credentials); nothing test-only is
reachable from it: tests register their engines on ``runtime.router``."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Protocol

from atelier.engines.base import CancelToken, GenerationRequest, GenerationResult, ProgressCallback
from atelier.engines.routing import Router
from atelier.settings import Settings


@dataclass
class RunOutcome:
    result: GenerationResult
    #: The engine that produced the images (the adapter's own name).
    engine: str
    #: The route's deployment that ran (what jobs record as their ``engine``).
    deployment: str
    #: Every try and skip, in order: deployment, provider, status, latency, error.
    attempts: list[dict[str, Any]]
    cost_usd: Decimal


class EngineRunner(Protocol):
    async def run(
        self, model: str, request: GenerationRequest, progress: ProgressCallback, cancel: CancelToken
    ) -> RunOutcome:
        """Run ``request`` on the route of ``model``; raises an EngineError (with
        ``details["attempts"]``) when no deployment succeeds, JobCanceled when canceled."""
        ...

    def estimate(self, model: str, request: GenerationRequest) -> Decimal:
        """Price of the request on the first deployment able to run it; a 4xx
        (ValidationFailed) naming the problem when none can or the model is unknown."""
        ...

    def models(self) -> list[dict[str, Any]]:
        """The routes with capabilities and prices, for ``GET /v1/models``."""
        ...


class RouterRunner:
    """:class:`EngineRunner` over the providers' router."""

    def __init__(self, router: Router) -> None:
        self.router = router

    async def run(
        self, model: str, request: GenerationRequest, progress: ProgressCallback, cancel: CancelToken
    ) -> RunOutcome:
        outcome = await self.router.run(model, request, progress, cancel)
        return RunOutcome(
            result=outcome.result,
            engine=outcome.result.engine,
            deployment=outcome.engine,
            attempts=outcome.attempts,
            cost_usd=outcome.cost_usd,
        )

    def estimate(self, model: str, request: GenerationRequest) -> Decimal:
        return self.router.estimate(model, request)

    def models(self) -> list[dict[str, Any]]:
        return self.router.models()


def build_router(settings: Settings) -> Router:
    """The router from the routes file and JSON override in settings (the built-in table
    when neither is set)."""
    from atelier.engines.assembly import router_from_settings

    return router_from_settings(
        settings.engines.routes_file, settings.engines.routes_json, fetch_allow=settings.fetch.allow_private
    )
