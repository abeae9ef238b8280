"""The router: one retry loop with backoff and Retry-After, fallback only to deployments
able to do the task, a circuit breaker per deployment, attempts and costs recorded."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from email.utils import format_datetime

import pytest

from atelier.engines.base import CancelToken, GenerationRequest, Task, no_progress
from atelier.engines.breaker import BreakerState, CircuitBreaker, RpmWindow
from atelier.engines.config import RetryConfig
from atelier.engines.providers.openai_images import OpenAIImagesEngine
from atelier.engines.providers.wire import parse_retry_after
from atelier.engines.routing import Deployment, Router
from atelier.kit.errors import (
    EngineContentPolicyError,
    ExternalServiceError,
    JobCanceled,
    PermanentEngineError,
    ProviderAuthError,
    RetriableEngineError,
    ValidationFailed,
)
from tests.providers.conftest import Fake
from tests.providers.engines import FakeClock, RecordingSleep, ScriptedEngine

RETRY = RetryConfig(max_attempts=3, backoff_base=0.1, backoff_max=2.0, jitter=0.25, max_retry_after=30)


def router_for(*deployments: Deployment, clock: FakeClock, sleep: RecordingSleep) -> Router:
    return Router({"logo": list(deployments)}, retry=RETRY, sleep=sleep, clock=clock, rng=random.Random(7))


async def test_failing_primary_healthy_secondary_100_generations() -> None:
    clock, sleep = FakeClock(), RecordingSleep()
    primary = ScriptedEngine("primary", price="0.10", always=RetriableEngineError("upstream 503"))
    secondary = ScriptedEngine("secondary", price="0.02")
    router = router_for(
        Deployment("primary", primary, breaker=CircuitBreaker(5, 60.0, clock=clock)),
        Deployment("secondary", secondary, breaker=CircuitBreaker(5, 60.0, clock=clock)),
        clock=clock,
        sleep=sleep,
    )
    outcomes = [
        await router.run("logo", GenerationRequest(prompt="p", width=64, height=64, n=2), no_progress, CancelToken())
        for _ in range(100)
    ]
    assert all(o.engine == "secondary" and len(o.result.images) == 2 for o in outcomes)
    assert all(o.cost_usd == Decimal("0.04") for o in outcomes)
    # 3 tries in the first run, 2 in the second: the 5th consecutive failure opens the breaker
    assert primary.calls == 5 and secondary.calls == 100
    assert [a["status"] for a in outcomes[0].attempts] == ["failed", "failed", "failed", "succeeded"]
    assert [a["status"] for a in outcomes[1].attempts] == ["failed", "failed", "succeeded"]
    assert outcomes[2].attempts[0]["status"] == "skipped" and "circuit open" in outcomes[2].attempts[0]["reason"]
    assert all(o.attempts[0]["status"] == "skipped" for o in outcomes[2:])
    assert outcomes[0].attempts[0]["error"] == "upstream 503" and outcomes[0].attempts[0]["deployment"] == "primary"
    assert len(sleep.delays) == 3  # backoff only between retries of the same deployment

    # the cool-down ends: exactly one probe, which fails and opens the breaker again
    clock.advance(61)
    probe = await router.run("logo", GenerationRequest(prompt="p", width=64, height=64), no_progress, CancelToken())
    assert primary.calls == 6 and probe.engine == "secondary"
    assert [a["status"] for a in probe.attempts] == ["failed", "succeeded"]
    after = await router.run("logo", GenerationRequest(prompt="p", width=64, height=64), no_progress, CancelToken())
    assert primary.calls == 6 and after.attempts[0]["status"] == "skipped"


async def test_breaker_closes_after_a_successful_probe() -> None:
    clock = FakeClock()
    breaker = CircuitBreaker(failure_threshold=2, cooldown_seconds=10, clock=clock)
    breaker.record_failure()
    assert breaker.state is BreakerState.CLOSED
    breaker.record_failure()
    assert breaker.state is BreakerState.OPEN and not breaker.allow()
    clock.advance(10)
    assert breaker.state is BreakerState.HALF_OPEN
    assert breaker.allow() and not breaker.allow()  # one probe at a time
    breaker.record_success()
    assert breaker.state is BreakerState.CLOSED and breaker.allow()


async def test_retry_after_one_second_over_real_http(openai_api: Fake) -> None:
    clock = FakeClock()
    sleep = RecordingSleep(clock)
    openai_api.state.inject("429")
    engine = OpenAIImagesEngine(openai_api.spec("gpt-image-1", provider="openai", base="/v1"))
    router = Router(
        {"gpt-image-1": [Deployment("openai/gpt-image-1", engine, provider="openai", model="gpt-image-1")]},
        retry=RETRY,
        sleep=sleep,
        clock=clock,
        rng=random.Random(1),
    )
    outcome = await router.run("gpt-image-1", GenerationRequest(prompt="x"), no_progress, CancelToken())
    # the only wait between the 429 and the retry is Retry-After's second (backoff alone is 0.1-0.125 s)
    assert len(sleep.delays) == 1 and 1.0 <= sleep.delays[0] < 1.01
    assert len(openai_api.state.calls("/images/generations")) == 2
    first, second = outcome.attempts
    assert first["status"] == "failed" and first["retry_after"] == 1.0 and second["status"] == "succeeded"
    assert outcome.cost_usd == Decimal("0.166650")  # from the token usage the fake reported


async def test_retry_after_one_second_is_waited_for_in_real_time(openai_api: Fake) -> None:
    # The router's real sleep this time: the fake server records when each request arrived,
    # and the retry must arrive no sooner than Retry-After allows (a lower bound only).
    openai_api.state.inject("429")
    engine = OpenAIImagesEngine(openai_api.spec("gpt-image-1", provider="openai", base="/v1"))
    router = Router(
        {"gpt-image-1": [Deployment("openai/gpt-image-1", engine, provider="openai", model="gpt-image-1")]},
        retry=RETRY,
        rng=random.Random(1),
    )
    try:
        outcome = await router.run("gpt-image-1", GenerationRequest(prompt="x"), no_progress, CancelToken())
    finally:
        await engine.aclose()
    throttled, retried = openai_api.state.calls("/images/generations")
    assert retried.at - throttled.at >= 1.0
    assert [a["status"] for a in outcome.attempts] == ["failed", "succeeded"]


def test_retry_after_forms() -> None:
    assert parse_retry_after({"retry-after": "1"}) == 1.0
    assert parse_retry_after({"retry-after": "2.5"}) == 2.5
    assert parse_retry_after({"retry-after-ms": "1500", "retry-after": "9"}) == 1.5
    assert parse_retry_after({"retry-after": "soon"}) is None and parse_retry_after({}) is None
    later = format_datetime(datetime.now(UTC) + timedelta(seconds=5), usegmt=True)
    assert 0 < (parse_retry_after({"retry-after": later}) or 0) <= 5
    past = format_datetime(datetime.now(UTC) - timedelta(seconds=50), usegmt=True)
    assert parse_retry_after({"retry-after": past}) == 0.0


async def test_backoff_grows_exponentially_with_bounded_jitter() -> None:
    clock, sleep = FakeClock(), RecordingSleep()
    flaky = ScriptedEngine("flaky")
    flaky.script.extend([RetriableEngineError("a"), RetriableEngineError("b")])
    router = router_for(
        Deployment("flaky", flaky, breaker=CircuitBreaker(10, 1, clock=clock)), clock=clock, sleep=sleep
    )
    outcome = await router.run("logo", GenerationRequest(prompt="x", width=64, height=64), no_progress, CancelToken())
    assert outcome.engine == "flaky" and len(sleep.delays) == 2
    assert 0.1 <= sleep.delays[0] <= 0.125 and 0.2 <= sleep.delays[1] <= 0.25


async def test_retry_after_too_long_moves_to_the_next_deployment() -> None:
    clock, sleep = FakeClock(), RecordingSleep()
    busy = ScriptedEngine("busy", always=RetriableEngineError("429", retry_after=3600))
    spare = ScriptedEngine("spare")
    router = router_for(Deployment("busy", busy), Deployment("spare", spare), clock=clock, sleep=sleep)
    outcome = await router.run("logo", GenerationRequest(prompt="x", width=64, height=64), no_progress, CancelToken())
    assert outcome.engine == "spare" and busy.calls == 1 and sleep.delays == []


async def test_never_falls_back_to_a_deployment_that_cannot_do_the_task() -> None:
    clock, sleep = FakeClock(), RecordingSleep()
    generate_only = ScriptedEngine("generate-only")
    text_only = ScriptedEngine("text-only", tasks=frozenset({Task.EDIT}), output="text")
    editor = ScriptedEngine("editor", tasks=frozenset({Task.EDIT}), always=RetriableEngineError("down"))
    router = router_for(
        Deployment("generate-only", generate_only),
        Deployment("text-only", text_only),
        Deployment("editor", editor),
        clock=clock,
        sleep=sleep,
    )
    edit = GenerationRequest(prompt="x", width=64, height=64, task=Task.EDIT, references=[b"..."])
    with pytest.raises(ExternalServiceError) as caught:
        await router.run("logo", edit, no_progress, CancelToken())
    assert generate_only.calls == 0 and text_only.calls == 0 and editor.calls == 3
    attempts = caught.value.details["attempts"]
    assert attempts[0] == {
        "deployment": "generate-only",
        "provider": "atelier",
        "status": "skipped",
        "reason": "cannot do 'edit'",
    }
    assert attempts[1]["reason"] == "produces text, not images"
    assert caught.value.status_code == 502 and caught.value.code == "EXTERNAL_SERVICE_ERROR"
    # n and size limits are task limits too
    big = GenerationRequest(prompt="x", width=64, height=64, n=9)
    with pytest.raises(ValidationFailed) as too_many:
        router.check("logo", big)
    assert too_many.value.details["field"] == "n"


async def test_content_policy_stops_the_route_at_once() -> None:
    clock, sleep = FakeClock(), RecordingSleep()
    strict = ScriptedEngine("strict", always=EngineContentPolicyError("refused"))
    spare = ScriptedEngine("spare")
    router = router_for(Deployment("strict", strict), Deployment("spare", spare), clock=clock, sleep=sleep)
    with pytest.raises(EngineContentPolicyError) as caught:
        await router.run("logo", GenerationRequest(prompt="x", width=64, height=64), no_progress, CancelToken())
    assert caught.value.status_code == 422 and spare.calls == 0 and strict.calls == 1
    assert caught.value.details["attempts"][0]["code"] == "CONTENT_POLICY_VIOLATION"


async def test_permanent_errors_are_not_retried_but_fall_back() -> None:
    clock, sleep = FakeClock(), RecordingSleep()
    broken = ScriptedEngine("broken", always=PermanentEngineError("bad parameter"))
    spare = ScriptedEngine("spare", price="0.01")
    router = router_for(Deployment("broken", broken), Deployment("spare", spare), clock=clock, sleep=sleep)
    outcome = await router.run("logo", GenerationRequest(prompt="x", width=64, height=64), no_progress, CancelToken())
    assert broken.calls == 1 and outcome.engine == "spare" and outcome.cost_usd == Decimal("0.01")


async def test_only_bad_credentials_is_a_502_naming_the_provider() -> None:
    clock, sleep = FakeClock(), RecordingSleep()
    locked = ScriptedEngine("locked", always=ProviderAuthError("fal rejected the configured credentials"))
    router = router_for(Deployment("locked", locked, provider="fal"), clock=clock, sleep=sleep)
    with pytest.raises(ProviderAuthError) as caught:
        await router.run("logo", GenerationRequest(prompt="x", width=64, height=64), no_progress, CancelToken())
    assert caught.value.status_code == 502 and "fal" in caught.value.message
    assert caught.value.details["attempts"][0]["code"] == "PROVIDER_AUTH_ERROR"


async def test_deployment_timeout_is_retriable_and_rpm_limit_skips() -> None:
    clock, sleep = FakeClock(), RecordingSleep()
    spare = ScriptedEngine("spare")

    class Hanging(ScriptedEngine):
        async def generate(self, request, progress, cancel):  # type: ignore[no-untyped-def]
            self.calls += 1
            import asyncio

            await asyncio.sleep(10)
            raise AssertionError("not reached")

    hanging = Hanging("hanging")
    router = router_for(
        Deployment("hanging", hanging, timeout=0.05),
        Deployment("spare", spare, rpm=RpmWindow(1, clock=clock)),
        clock=clock,
        sleep=sleep,
    )
    first = await router.run("logo", GenerationRequest(prompt="x", width=64, height=64), no_progress, CancelToken())
    assert first.engine == "spare" and hanging.calls == 3
    assert "no answer within 0.05s" in first.attempts[0]["error"]
    with pytest.raises(ExternalServiceError) as caught:
        await router.run("logo", GenerationRequest(prompt="x", width=64, height=64), no_progress, CancelToken())
    assert caught.value.details["attempts"][-1]["reason"] == "rpm limit of 1 reached"
    clock.advance(60)
    assert (
        await router.run("logo", GenerationRequest(prompt="x", width=64, height=64), no_progress, CancelToken())
    ).engine == "spare"


async def test_cancel_during_backoff() -> None:
    clock = FakeClock()
    cancel = CancelToken()

    async def sleep_then_cancel(delay: float) -> None:
        cancel.cancel()
        import asyncio

        await asyncio.sleep(3600)

    flaky = ScriptedEngine("flaky", always=RetriableEngineError("503"))
    router = Router({"logo": [Deployment("flaky", flaky)]}, retry=RETRY, sleep=sleep_then_cancel, clock=clock)
    with pytest.raises(JobCanceled):
        await router.run("logo", GenerationRequest(prompt="x", width=64, height=64), no_progress, cancel)
    assert flaky.calls == 1


def test_unknown_model_is_a_422() -> None:
    with pytest.raises(ValidationFailed) as caught:
        Router({}).check("nope", GenerationRequest(prompt="x"))
    assert caught.value.code == "UNKNOWN_MODEL"
