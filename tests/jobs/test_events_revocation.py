"""A Server-Sent Events stream outlives its access check as a socket does: a stream whose
key is revoked while it is open ends with an ``error`` event instead of carrying on."""

from __future__ import annotations

import json

import httpx

from tests.helpers.engines import SlowEngine
from tests.helpers.live import LiveServer


def test_revoking_a_key_ends_the_event_stream_it_opened(live_server: LiveServer) -> None:
    live_server.app.state.runtime.router.register(SlowEngine("slow", steps=600, delay=0.1), models=["slow"])  # type: ignore[attr-defined]
    url = live_server.url
    creds = {"email": "sse-revoked@example.com", "password": "sse password"}
    assert httpx.post(f"{url}/v1/auth/register", json=creds, timeout=30).status_code == 201
    token = httpx.post(f"{url}/v1/auth/login", json=creds, timeout=30).json()["access_token"]
    bearer = {"Authorization": f"Bearer {token}"}
    created = httpx.post(f"{url}/v1/keys", json={"name": "sse"}, headers=bearer, timeout=30).json()
    key = {"X-API-Key": created["key"]}
    job = httpx.post(f"{url}/v1/generations", json={"prompt": "long", "model": "slow", "size": "64x64"}, headers=key)
    assert job.status_code == 202, job.text
    job_id = job.json()["id"]
    events: list[str] = []
    try:
        with httpx.stream("GET", f"{url}/v1/generations/{job_id}/events", headers=key, timeout=60) as stream:
            assert stream.status_code == 200
            for line in stream.iter_lines():
                if line.startswith("event: "):
                    events.append(line.removeprefix("event: "))
                    if len(events) == 1:  # the stream is open: revoke the key that opened it
                        revoked = httpx.delete(f"{url}/v1/keys/{created['id']}", headers=bearer, timeout=30)
                        assert revoked.status_code in (200, 204), revoked.text
                elif line.startswith("data: ") and events[-1] == "error":
                    assert json.loads(line.removeprefix("data: "))["code"] == "CREDENTIAL_REVOKED"
    finally:
        httpx.post(f"{url}/v1/generations/{job_id}/cancel", headers=bearer, timeout=30)
    assert events[-1] == "error", events
    assert "job.succeeded" not in events
