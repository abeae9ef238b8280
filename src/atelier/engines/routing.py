"""The router: a public model name → ordered deployments, tried with one retry loop.

For each deployment in order: skip it if it cannot do the task (task, size, n, format,
image output), if its circuit breaker is open, or if its rpm window is full; otherwise call
it, retrying only retriable failures with exponential backoff and jitter (never sooner than
``Retry-After``), then move on. A content-policy refusal or a cancellation ends the run at
once. Every try and every skip is recorded, and the outcome names the deployment that ran."""

from __future__ import annotations

import asyncio
import dataclasses
import random
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from atelier.engines.base import (
    CancelToken,
    Capabilities,
    Engine,
    GenerationRequest,
    GenerationResult,
    ProgressCallback,
)
from atelier.engines.breaker import BreakerState, CircuitBreaker, Clock, RpmWindow
from atelier.engines.config import RetryConfig
from atelier.engines.pricing import PriceTable
from atelier.engines.providers.hosted import unless_cancelled
from atelier.kit.errors import (
    EngineContentPolicyError,
    EngineError,
    ExternalServiceError,
    JobCanceled,
    ProviderAuthError,
    RetriableEngineError,
    ValidationFailed,
)
from atelier.monitoring.prometheus import observe_attempt

Sleep = Callable[[float], Awaitable[None]]


@dataclass
class Deployment:
    """One place a route can run: an engine bound to an upstream model, with its own
    timeout, rpm window, price table and circuit breaker."""

    name: str
    engine: Engine
    provider: str = "atelier"
    model: str = ""
    timeout: float | None = None
    prices: PriceTable | None = None
    breaker: CircuitBreaker = field(default_factory=CircuitBreaker)
    rpm: RpmWindow | None = None

    def capabilities(self) -> Capabilities:
        return self.engine.capabilities()

    def unfit_reason(self, request: GenerationRequest) -> str | None:
        """Why this deployment cannot run the request, or None when it can."""
        caps = self.capabilities()
        if caps.output != "image":
            return f"produces {caps.output}, not images"
        if request.task not in caps.tasks:
            return f"cannot do '{request.task.value}'"
        if request.n > caps.max_n:
            return f"at most {caps.max_n} images per request"
        if not caps.supports_size(request.width, request.height):
            return f"size {request.width}x{request.height} not supported"
        if request.output_format not in caps.formats:
            return f"format '{request.output_format.value}' not supported"
        return None

    def price_per_image(self, request: GenerationRequest) -> Decimal:
        if self.prices is not None:
            return self.prices.price(request.width, request.height, request.quality)
        return self.engine.price_per_image(request)


@dataclass
class RouteOutcome:
    result: GenerationResult
    #: Name of the deployment that produced the images (also the job's ``engine``).
    engine: str
    provider: str
    model: str
    attempts: list[dict[str, Any]]
    cost_usd: Decimal


class Router:
    def __init__(
        self,
        routes: dict[str, list[Deployment]] | None = None,
        *,
        retry: RetryConfig | None = None,
        sleep: Sleep = asyncio.sleep,
        clock: Clock = time.monotonic,
        rng: random.Random | None = None,
    ) -> None:
        self.routes: dict[str, list[Deployment]] = routes or {}
        self.retry = retry or RetryConfig()
        self.sleep = sleep
        self.clock = clock
        self.rng = rng or random.Random()

    # --- building -----------------------------------------------------------------------

    def register(self, engine: Engine, *, models: list[str] | None = None, **deployment: Any) -> Deployment:
        """Route ``models`` (replacing their routes) to ``engine``: for tests and plugins."""
        built = Deployment(name=engine.name, engine=engine, **deployment)
        for model in models or []:
            self.routes[model] = [built]
        return built

    def all_deployments(self) -> list[Deployment]:
        seen: dict[str, Deployment] = {}
        for deployments in self.routes.values():
            for deployment in deployments:
                seen.setdefault(deployment.name, deployment)
        return list(seen.values())

    # --- admission (before a job is accepted) -------------------------------------------

    def deployments(self, model: str) -> list[Deployment]:
        deployments = self.routes.get(model)
        if not deployments:
            raise ValidationFailed(
                f"Unknown model '{model}'. GET /v1/models lists the available ones.",
                code="UNKNOWN_MODEL",
                details={"field": "model"},
            )
        return deployments

    def check(self, model: str, request: GenerationRequest) -> Deployment:
        """The first deployment able to run the request, or a 4xx naming what none supports."""
        candidates = self.deployments(model)
        reasons = []
        for deployment in candidates:
            reason = deployment.unfit_reason(request)
            if reason is None:
                return deployment
            reasons.append(reason)
        field_name = "model"
        first = reasons[0]
        if first.startswith("at most"):
            field_name = "n"
        elif first.startswith("size"):
            field_name = "size"
        elif first.startswith("format"):
            field_name = "output_format"
        raise ValidationFailed(f"Model '{model}' {first}", details={"field": field_name, "reasons": reasons})

    def estimate(self, model: str, request: GenerationRequest) -> Decimal:
        return self.check(model, request).price_per_image(request) * request.n

    # --- running ------------------------------------------------------------------------

    async def run(
        self, model: str, request: GenerationRequest, progress: ProgressCallback, cancel: CancelToken
    ) -> RouteOutcome:
        attempts: list[dict[str, Any]] = []
        errors: list[EngineError] = []
        for deployment in self.deployments(model):
            reason = self._skip_reason(deployment, request)
            if reason is not None:
                observe_attempt(deployment.name, deployment.provider, "skipped")
                attempts.append(
                    {
                        "deployment": deployment.name,
                        "provider": deployment.provider,
                        "status": "skipped",
                        "reason": reason,
                    }
                )
                continue
            outcome = await self._try_deployment(deployment, request, progress, cancel, attempts, errors)
            if outcome is not None:
                return outcome
        raise self._exhausted(model, attempts, errors)

    def _skip_reason(self, deployment: Deployment, request: GenerationRequest) -> str | None:
        reason = deployment.unfit_reason(request)
        if reason is not None:
            return reason  # never fall back to a target that cannot do the task
        if not deployment.breaker.allow():
            return f"circuit open (retry in {deployment.breaker.retry_in():.1f}s)"
        if deployment.rpm is not None and not deployment.rpm.try_acquire():
            deployment.breaker.release()
            return f"rpm limit of {deployment.rpm.limit} reached"
        return None

    async def _try_deployment(
        self,
        deployment: Deployment,
        request: GenerationRequest,
        progress: ProgressCallback,
        cancel: CancelToken,
        attempts: list[dict[str, Any]],
        errors: list[EngineError],
    ) -> RouteOutcome | None:
        bound = dataclasses.replace(request, upstream_model=deployment.model or None)
        for attempt in range(1, self.retry.max_attempts + 1):
            started = self.clock()
            record: dict[str, Any] = {
                "deployment": deployment.name,
                "provider": deployment.provider,
                "model": deployment.model,
                "attempt": attempt,
            }
            try:
                result = await self._call(deployment, bound, progress, cancel)
            except JobCanceled:
                deployment.breaker.release()
                raise
            except EngineContentPolicyError as exc:
                deployment.breaker.record_success()  # the provider answered: it is healthy
                observe_attempt(deployment.name, deployment.provider, "failed", exc.code)
                attempts.append({**record, **self._failure(exc, started)})
                exc.details = {**exc.details, "attempts": attempts}
                raise
            except EngineError as exc:
                deployment.breaker.record_failure()
                observe_attempt(deployment.name, deployment.provider, "failed", exc.code)
                attempts.append({**record, **self._failure(exc, started)})
                errors.append(exc)
                if not exc.retriable or attempt == self.retry.max_attempts:
                    return None
                if deployment.breaker.state is not BreakerState.CLOSED:
                    return None  # this failure opened the breaker: no point waiting to retry
                delay = self._delay(attempt, exc)
                if delay is None:
                    attempts[-1]["next"] = "Retry-After too long; next deployment"
                    return None
                await unless_cancelled(self.sleep(delay), cancel)
                continue
            deployment.breaker.record_success()
            observe_attempt(deployment.name, deployment.provider, "succeeded")
            attempts.append({**record, "status": "succeeded", "latency_ms": self._ms(started)})
            cost = result.cost_usd
            if cost is None:
                cost = deployment.price_per_image(request) * len(result.images)
            return RouteOutcome(result, deployment.name, deployment.provider, deployment.model, attempts, cost)
        return None

    async def _call(
        self, deployment: Deployment, request: GenerationRequest, progress: ProgressCallback, cancel: CancelToken
    ) -> GenerationResult:
        if deployment.timeout is None:
            return await deployment.engine.generate(request, progress, cancel)
        try:
            async with asyncio.timeout(deployment.timeout):
                return await deployment.engine.generate(request, progress, cancel)
        except TimeoutError as exc:
            raise RetriableEngineError(f"{deployment.name}: no answer within {deployment.timeout:g}s") from exc

    def _delay(self, attempt: int, exc: EngineError) -> float | None:
        """Backoff before retry number ``attempt``; None when Retry-After asks for too long."""
        backoff: float = min(self.retry.backoff_max, self.retry.backoff_base * 2 ** (attempt - 1))
        backoff *= 1 + self.retry.jitter * self.rng.random()
        retry_after: float | None = exc.retry_after if isinstance(exc, RetriableEngineError) else None
        if retry_after is None:
            return backoff
        if retry_after > self.retry.max_retry_after:
            return None
        return max(retry_after, backoff)

    def _failure(self, exc: EngineError, started: float) -> dict[str, Any]:
        out: dict[str, Any] = {
            "status": "failed",
            "latency_ms": self._ms(started),
            "error": exc.message,
            "code": exc.code,
            "retriable": exc.retriable,
        }
        if isinstance(exc, RetriableEngineError) and exc.retry_after is not None:
            out["retry_after"] = exc.retry_after
        return out

    def _ms(self, started: float) -> float:
        return round((self.clock() - started) * 1000, 1)

    def _exhausted(
        self, model: str, attempts: list[dict[str, Any]], errors: list[EngineError]
    ) -> EngineError | ExternalServiceError:
        if errors and all(isinstance(e, ProviderAuthError) for e in errors):
            last = errors[-1]
            last.details = {**last.details, "attempts": attempts}
            return last
        if not errors:
            summary = "; ".join(f"{a['deployment']}: {a.get('reason')}" for a in attempts)
            return ExternalServiceError(
                f"No deployment of '{model}' is available now ({summary})", details={"attempts": attempts}
            )
        summary = "; ".join(f"{a['deployment']}: {a.get('error') or a.get('reason')}" for a in attempts[-5:])
        return ExternalServiceError(f"Every deployment of '{model}' failed: {summary}", details={"attempts": attempts})

    # --- reporting ----------------------------------------------------------------------

    def models(self) -> list[dict[str, Any]]:
        probe = GenerationRequest(prompt="", n=1)
        out = []
        for model, deployments in sorted(self.routes.items()):
            first = deployments[0]
            caps = first.capabilities()
            out.append(
                {
                    "id": model,
                    "object": "model",
                    "owned_by": first.provider,
                    "engines": [d.name for d in deployments],
                    "capabilities": {
                        "tasks": sorted({t.value for d in deployments for t in d.capabilities().tasks}),
                        "max_n": caps.max_n,
                        "formats": sorted(f.value for f in caps.formats),
                        "max_side": caps.max_side,
                        "min_side": caps.min_side,
                        "transparent_background": caps.transparent_background,
                    },
                    "price_per_image_usd": str(first.price_per_image(probe)),
                }
            )
        return out

    async def health(self) -> dict[str, str]:
        """Per deployment: the engine's own check, degraded while its breaker is not closed;
        an engine whose check raises is unhealthy (the others are still reported)."""
        report = {}
        for deployment in self.all_deployments():
            try:
                status = await deployment.engine.health()
            except Exception:
                status = "unhealthy"
            if status == "healthy" and deployment.breaker.opened_at is not None:
                status = "degraded"
            report[deployment.name] = status
        return report

    async def aclose(self) -> None:
        for deployment in self.all_deployments():
            closer = getattr(deployment.engine, "aclose", None)
            if closer is not None:
                await closer()
