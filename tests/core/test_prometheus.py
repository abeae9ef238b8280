"""``GET /metrics``: the Prometheus text format, read back with prometheus_client's own parser
after real requests, a real design job and a real webhook delivery; who may scrape it; and
the multiprocess mode summing the counters of separate processes."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families
from prometheus_client.samples import Sample

from atelier.settings import MonitoringSettings, Settings
from tests.helpers.accounts import create_key, register
from tests.webhooks.conftest import harness
from tests.webhooks.receiver import Receiver, ReceiverServer

TOKEN = "scrape-" + secrets.token_urlsafe(24)
Families = dict[str, list[Sample]]


@pytest.fixture
def receiver_server() -> Iterator[tuple[str, Receiver]]:
    server = ReceiverServer()
    with server as receiver:
        yield server.url, receiver


def with_token(settings: Settings) -> Settings:
    monitoring = MonitoringSettings(scrape_token=TOKEN, health_cache_seconds=0)  # type: ignore[arg-type]
    return settings.model_copy(update={"monitoring": monitoring})


async def scrape(client: httpx.AsyncClient) -> Families:
    response = await client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/plain")
    return {family.name: family.samples for family in text_string_to_metric_families(response.text)}


def value(families: Families, sample: str, **labels: str) -> float:
    """The sample's value with exactly these labels (among others), 0 when absent."""
    matches = [
        s.value
        for samples in families.values()
        for s in samples
        if s.name == sample and all(s.labels.get(k) == v for k, v in labels.items())
    ]
    assert len(matches) <= 1, f"{sample}{labels} is ambiguous: {matches}"
    return matches[0] if matches else 0.0


async def test_requests_jobs_providers_credits_and_deliveries_are_exposed(
    settings: Settings, receiver_server: tuple[str, Receiver]
) -> None:
    base, receiver = receiver_server
    async with harness(with_token(settings)) as h:
        h.account = await register(h.client)  # a member on a metered plan, not the first (admin, unlimited) account
        await h.endpoint(receiver, base, "/hooks", event_types=["job.*"])
        key = await create_key(h.client, h.account)
        route = "/v1/generations/{job_id}"
        before = await scrape(h.client)

        answer = await h.client.post(
            "/v1/generations",
            json={"prompt": "a poster for a jazz night", "size": "256x256"},
            headers={"X-API-Key": key, "Prefer": "wait=60"},
        )
        assert answer.status_code in {200, 202}, answer.text
        job = (await h.client.get(f"/v1/generations/{answer.json()['id']}", headers={"X-API-Key": key})).json()
        assert job["status"] == "succeeded", job
        await h.client.get(f"/v1/generations/{job['id']}", headers={"X-API-Key": key})
        await h.client.get(f"/no-such-page-{secrets.token_hex(4)}")
        assert (await h.client.get("/openapi.json")).status_code == 200  # a Starlette route, not FastAPI's
        h.clock.advance(60)  # the deliveries were queued after the fake clock was read
        assert await h.drain() >= 1
        after = await scrape(h.client)

    requests = "atelier_http_requests_total"
    assert (
        value(after, requests, method="GET", route=route, status="200")
        - value(before, requests, method="GET", route=route, status="200")
        == 2
    )
    # counters are the process's (one registry, as in production): earlier tests' requests
    # are in them too, with other statuses, so compare this status before and after
    posted = {"method": "POST", "route": "/v1/generations", "status": str(answer.status_code)}
    assert value(after, requests, **posted) - value(before, requests, **posted) == 1
    assert not any(job["id"] in s.labels.get("route", "") for s in after["atelier_http_requests"])
    assert not any("no-such-page" in s.labels.get("route", "") for s in after["atelier_http_requests"])
    assert value(after, requests, method="GET", route="unmatched", status="404") >= 1
    assert value(after, requests, method="GET", route="/openapi.json", status="200") >= 1

    latency = [
        s
        for s in after["atelier_http_request_duration_seconds"]
        if s.name.endswith("_bucket") and s.labels["route"] == route
    ]
    assert len(latency) > 5 and latency[-1].labels["le"] == "+Inf" and latency[-1].value >= 2
    assert [s.value for s in latency] == sorted(s.value for s in latency)  # cumulative buckets

    engine = job["engine"]
    assert engine, job
    assert value(after, "atelier_jobs", state="succeeded", engine=engine) == 1
    assert value(after, "atelier_queue_depth") == 0
    assert value(after, "atelier_job_duration_seconds_count") == 1
    assert value(after, "atelier_job_duration_seconds_bucket", le="+Inf") == 1
    assert value(after, "atelier_job_duration_seconds_sum") >= 0

    attempts = "atelier_provider_attempts_total"
    succeeded = {"deployment": engine, "outcome": "succeeded"}
    assert value(after, attempts, **succeeded) - value(before, attempts, **succeeded) == 1
    assert value(after, "atelier_provider_breaker_state", deployment=engine) == 0  # closed

    assert value(after, "atelier_credits_consumed_total") > value(before, "atelier_credits_consumed_total")
    assert value(after, "atelier_webhook_deliveries", outcome="succeeded") >= 1
    assert value(before, "atelier_webhook_deliveries", outcome="succeeded") == 0


async def test_anonymous_is_refused_the_token_and_an_admin_read_it_a_member_is_forbidden(settings: Settings) -> None:
    async with harness(with_token(settings)) as h:
        admin = h.account  # the first account on a fresh install is its administrator
        member = await register(h.client)
        assert (await h.client.get("/metrics")).status_code == 401
        assert (await h.client.get("/metrics", headers={"Authorization": "Bearer wrong-token"})).status_code == 401
        assert (await h.client.get("/metrics", headers=member.jwt_headers)).status_code == 403
        member_key = await create_key(h.client, member)
        assert (await h.client.get("/metrics", headers={"X-API-Key": member_key})).status_code == 403
        assert (await h.client.get("/metrics", headers=admin.jwt_headers)).status_code == 200
        assert (await h.client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})).status_code == 200


RECORD = """
from atelier.monitoring.prometheus import observe_request
for _ in range({n}):
    observe_request("GET", "/v1/generations/{{job_id}}", 200, 0.01)
"""
EXPOSE = """
from atelier.monitoring.prometheus import exposition
from atelier.monitoring.prometheus_state import StateCollector, StateSnapshot
print(exposition(StateCollector(StateSnapshot())).decode())
"""


def run(code: str, folder: Path) -> str:
    env = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(folder)}
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_multiprocess_mode_sums_what_each_worker_counted(tmp_path: Path) -> None:
    from atelier.monitoring.prometheus import MULTIPROC_ENV, prepare_multiprocess

    assert prepare_multiprocess(tmp_path, 1) is None  # one process keeps the in-memory default
    saved = os.environ.get(MULTIPROC_ENV)
    try:
        folder = prepare_multiprocess(tmp_path, 2)
        assert folder == (tmp_path / "prometheus").resolve() and os.environ[MULTIPROC_ENV] == str(folder)
    finally:
        if saved is None:
            os.environ.pop(MULTIPROC_ENV, None)
        else:
            os.environ[MULTIPROC_ENV] = saved
    run(RECORD.format(n=2), folder)
    run(RECORD.format(n=3), folder)
    families = {f.name: f.samples for f in text_string_to_metric_families(run(EXPOSE, folder))}
    route = "/v1/generations/{job_id}"
    total = value(families, "atelier_http_requests_total", method="GET", route=route, status="200")
    assert total == 5
    assert value(families, "atelier_http_request_duration_seconds_count", route=route) == 5
    assert "atelier_jobs" in families  # the state read at scrape time is there too
