"""Acceptance: a route whose primary deployment fails every call and whose secondary is
healthy, configured by a routes file, run as 100 real generation jobs through the API against
the fake providers over real HTTP. Every job succeeds; the breaker opens after the configured
failures and the primary is skipped until its cool-down ends; each job records its attempts
and its cost. The breakers run on a fake clock, so the cool-down needs no waiting."""

from __future__ import annotations

import random
from collections.abc import AsyncIterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from atelier.engines.assembly import build_router
from atelier.engines.config import load_routes_config
from atelier.engines.routing import Router
from atelier.engines.runner import RouterRunner
from tests.helpers.accounts import create_key, register
from tests.providers.conftest import Fake
from tests.providers.engines import FakeClock, RecordingSleep

ROUTES = """
providers:
  house-a4f:
    kind: openai_compatible
    api_key_env: HOUSE_A4F_KEY
    base_url: {openai}/v1
  house-gemini:
    kind: gemini
    api_key_env: HOUSE_GEMINI_KEY
    base_url: {gemini}/v1beta
routes:
  brand-logo:
    - provider: house-a4f
      model: provider-5/flux-fast
      prices: 0.01
    - provider: house-gemini
      model: gemini-2.5-flash-image
retry:
  max_attempts: 3
  backoff_base: 0.01
  backoff_max: 0.05
breaker:
  failure_threshold: 5
  cooldown_seconds: 60
"""
PRIMARY = "house-a4f/provider-5/flux-fast"
SECONDARY = "house-gemini/gemini-2.5-flash-image"
#: What the fake Gemini reports per image: 10 text tokens at $0.30/M + 1290 output tokens at $30/M.
GEMINI_IMAGE_COST = "0.038703"


@pytest.fixture
async def failover(
    app: FastAPI, tmp_path: Path, openai_api: Fake, gemini_api: Fake
) -> AsyncIterator[tuple[Router, FakeClock, RecordingSleep]]:
    """The app's router replaced by one built from a routes file, with a fake clock."""
    path = tmp_path / "routes.yaml"
    path.write_text(ROUTES.format(openai=openai_api.url, gemini=gemini_api.url))
    env = {"HOUSE_A4F_KEY": openai_api.state.key, "HOUSE_GEMINI_KEY": gemini_api.state.key}
    clock = FakeClock()
    sleep = RecordingSleep(clock)
    router = build_router(load_routes_config(path), env=env, clock=clock, sleep=sleep, rng=random.Random(3))
    runtime = app.state.runtime
    runtime.services.router = router
    runtime.services.runner = RouterRunner(router)
    try:
        yield router, clock, sleep
    finally:
        await router.aclose()


async def generate(client: httpx.AsyncClient, headers: dict[str, str]) -> dict[str, Any]:
    response = await client.post(
        "/v1/generations",
        json={"prompt": "logo for 'Nimbus'", "model": "brand-logo", "size": "1024x1024"},
        headers={**headers, "Prefer": "wait=30"},
    )
    assert response.status_code == 200, response.text
    job: dict[str, Any] = response.json()
    stored = await client.get(f"/v1/generations/{job['id']}", headers=headers)
    assert stored.status_code == 200
    assert stored.json()["attempts"] == job["attempts"] and stored.json()["cost_usd"] == job["cost_usd"]
    return job


def statuses(job: dict[str, Any]) -> list[tuple[str, str]]:
    return [(a["deployment"], a["status"]) for a in job["attempts"]]


async def test_100_jobs_survive_a_failing_primary_and_the_breaker_skips_it(
    client: httpx.AsyncClient,
    failover: tuple[Router, FakeClock, RecordingSleep],
    openai_api: Fake,
    gemini_api: Fake,
) -> None:
    router, clock, sleep = failover
    openai_api.state.always = "500"  # the primary is down for every call
    account = await register(client)
    headers = {"X-API-Key": await create_key(client, account)}

    jobs = [await generate(client, headers) for _ in range(100)]

    assert all(job["status"] == "succeeded" and len(job["assets"]) == 1 for job in jobs)
    assert all(job["engine"] == SECONDARY for job in jobs)
    assert all(Decimal(job["cost_usd"]) == Decimal(GEMINI_IMAGE_COST) for job in jobs)
    # 3 tries in the first job, 2 in the second: the 5th consecutive failure opened the breaker
    primary_calls = openai_api.state.calls("/images/generations")
    assert len(primary_calls) == 5
    assert len(gemini_api.state.calls(":generateContent")) == 100
    assert statuses(jobs[0]) == [(PRIMARY, "failed")] * 3 + [(SECONDARY, "succeeded")]
    assert statuses(jobs[1]) == [(PRIMARY, "failed")] * 2 + [(SECONDARY, "succeeded")]
    first = jobs[0]["attempts"][0]
    assert first["provider"] == "house-a4f" and first["retriable"] is True and "HTTP 500" in first["error"]
    assert all("latency_ms" in attempt for attempt in jobs[0]["attempts"])
    for job in jobs[2:]:
        skipped, ran = job["attempts"]
        assert skipped["deployment"] == PRIMARY and skipped["status"] == "skipped"
        assert skipped["reason"].startswith("circuit open")
        assert ran["deployment"] == SECONDARY and ran["status"] == "succeeded"
    assert len(sleep.delays) == 3  # backoff only between retries of the primary, none once it is open

    # Still inside the cool-down: skipped.
    clock.advance(59)
    assert statuses(await generate(client, headers))[0] == (PRIMARY, "skipped")
    assert len(openai_api.state.calls("/images/generations")) == 5

    # The cool-down ends: one probe goes to the primary; it fails and the breaker opens again.
    clock.advance(1)
    probe = await generate(client, headers)
    assert statuses(probe) == [(PRIMARY, "failed"), (SECONDARY, "succeeded")]
    assert len(openai_api.state.calls("/images/generations")) == 6
    assert statuses(await generate(client, headers))[0] == (PRIMARY, "skipped")

    # The primary recovers; after the next cool-down its probe succeeds and it serves again.
    openai_api.state.always = None
    clock.advance(60)
    recovered = await generate(client, headers)
    assert recovered["engine"] == PRIMARY and statuses(recovered) == [(PRIMARY, "succeeded")]
    assert Decimal(recovered["cost_usd"]) == Decimal("0.01")  # the routes file's price for the primary
    assert (await generate(client, headers))["engine"] == PRIMARY
    assert (await router.health())[PRIMARY] == "healthy"


async def test_provider_failures_as_clients_see_them(
    client: httpx.AsyncClient,
    failover: tuple[Router, FakeClock, RecordingSleep],
    openai_api: Fake,
    gemini_api: Fake,
) -> None:
    """The native API answers with the failed job (its error code and attempts); the
    OpenAI-compatible endpoint answers with the error's HTTP status."""
    account = await register(client)
    headers = {"X-API-Key": await create_key(client, account)}

    async def job(prompt: str) -> dict[str, Any]:
        body = {"model": "brand-logo", "prompt": prompt, "size": "1024x1024"}
        response = await client.post("/v1/generations", json=body, headers={**headers, "Prefer": "wait=30"})
        assert response.status_code == 200, response.text
        out: dict[str, Any] = response.json()
        assert out["status"] == "failed" and out["assets"] == [] and out["cost_usd"] == "0.000000"
        return out

    async def images(prompt: str) -> httpx.Response:
        body = {"model": "brand-logo", "prompt": prompt, "size": "1024x1024"}
        return await client.post("/v1/images/generations", json=body, headers=headers)

    # A content-policy refusal ends the route at once; the secondary is never asked.
    refused = await job("something forbidden")
    assert refused["error"]["code"] == "CONTENT_POLICY_VIOLATION" and "content policy" in refused["error"]["message"]
    assert statuses(refused) == [(PRIMARY, "failed")]
    assert gemini_api.state.calls(":generateContent") == []

    # Keys the providers no longer accept: PROVIDER_AUTH_ERROR (502) naming the provider, never the key.
    accepted = openai_api.state.key
    openai_api.state.key = gemini_api.state.key = "rotated-elsewhere"
    try:
        locked = await job("logo")
        locked_compat = await images("logo")
    finally:
        openai_api.state.key = gemini_api.state.key = accepted
    assert locked["error"]["code"] == "PROVIDER_AUTH_ERROR"
    assert "house-gemini rejected the configured credentials" in locked["error"]["message"]
    assert [a["code"] for a in locked["attempts"]] == ["PROVIDER_AUTH_ERROR"] * 2  # not retried
    assert locked_compat.status_code == 502 and accepted not in locked_compat.text
    assert accepted not in str(locked)

    # Every deployment failing: EXTERNAL_SERVICE_ERROR (502) listing each attempt.
    openai_api.state.always = gemini_api.state.always = "500"
    down = await job("logo")
    assert down["error"]["code"] == "EXTERNAL_SERVICE_ERROR"
    assert down["error"]["message"].startswith("Every deployment of 'brand-logo' failed")
    assert statuses(down) == [(PRIMARY, "failed")] * 3 + [(SECONDARY, "failed")] * 3
    # the breakers have now seen 5 failures each: the compat call finds both open, also a 502
    compat = await images("logo")
    assert compat.status_code == 502, compat.text
