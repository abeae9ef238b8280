"""Dreamy Studio's fal webhook, end to end over real HTTP: Atelier submits to a fake fal
queue with ``fal_webhook``, the fake calls the route back in fal's documented body, and the
adapter, which polls fal's status only once an hour in these tests, finishes at once."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from atelier.app import create_app
from atelier.compat.dreamy_studio.fal_inbox import attach_fal_webhooks, webhook_token
from atelier.engines.providers.fal import FalEngine
from atelier.engines.providers.hosted import EngineSpec
from atelier.kit.runtime import Runtime
from atelier.settings import Settings
from tests.helpers.live import LiveServer, free_port
from tests.providers.fakes import fal_fake
from tests.providers.fakes.base import KEY, FakeState
from tests.providers.fakes.fal_fake import RUNNER_AGENT, build_with_webhooks

BASE = "/compat/dreamy-studio"
MODEL = "fal-ai/flux/dev"


@dataclass
class Setup:
    atelier: LiveServer
    runtime: Runtime
    fal: FakeState
    deliveries: list[dict[str, Any]]
    headers: dict[str, str]


def _fal_engine(fal_url: str, **options: Any) -> FalEngine:
    spec = EngineSpec(name=f"fal/{MODEL}", model=MODEL, provider="fal", api_key=KEY, base_url=fal_url, timeout=10)
    spec.options.update({"poll_interval": 0.02, "webhook_status_interval": 3600, **options})
    return FalEngine(spec)


def _token(server: LiveServer) -> str:
    with httpx.Client(base_url=server.url) as client:
        for email in ("admin@example.com", "fal@example.com"):
            creds = {"email": email, "password": "dreamy password"}
            client.post("/v1/auth/register", json=creds)
            token: str = client.post("/v1/auth/login", json=creds).json()["access_token"]
        return token


def _start(settings: Settings, fal_app_builder: Any) -> Iterator[Setup]:
    state, deliveries = FakeState(), []
    fal = LiveServer(fal_app_builder(state, deliveries))
    fal.start()
    port = free_port()
    public = settings.server.model_copy(update={"public_url": f"http://127.0.0.1:{port}"})
    app = create_app(settings.model_copy(update={"server": public}))
    atelier = LiveServer(app, port=port)
    atelier.start()
    try:
        runtime: Runtime = app.state.runtime
        runtime.router.register(_fal_engine(fal.url), models=[MODEL], provider="fal")
        assert attach_fal_webhooks(runtime) == 1
        headers = {"Authorization": f"Bearer {_token(atelier)}"}
        yield Setup(atelier, runtime, state, deliveries, headers)
    finally:
        atelier.stop()
        fal.stop()


@pytest.fixture
def setup(settings: Settings) -> Iterator[Setup]:
    yield from _start(settings, build_with_webhooks)


def _status(setup: Setup, generation_id: str) -> dict[str, Any]:
    url = f"{setup.atelier.url}{BASE}/api/generate/{generation_id}"
    generation: dict[str, Any] = httpx.get(url, headers=setup.headers).json()["generation"]
    return generation


def _wait_final(setup: Setup, generation_id: str) -> dict[str, Any]:
    for _ in range(400):
        generation = _status(setup, generation_id)
        if generation["status"] in {"completed", "failed"}:
            return generation
        time.sleep(0.05)
    return generation


def test_fal_calls_back_and_the_generation_completes_without_polling(setup: Setup) -> None:
    queued = httpx.post(
        f"{setup.atelier.url}{BASE}/api/generate",
        headers=setup.headers,
        json={"model": MODEL, "prompt": "A beautiful sunset over mountains", "image_size": "square_hd"},
    )
    generation_id = queued.json()["generation"]["id"]
    generation = _wait_final(setup, generation_id)
    assert generation["status"] == "completed" and len(generation["images"]) == 1

    # fal was given the route with this generation's token, and the route accepted the call
    [delivery] = setup.deliveries
    token = webhook_token(setup.runtime.secret, generation_id)
    assert delivery["url"] == f"{setup.atelier.url}{BASE}/api/webhooks/fal/{generation_id}?token={token}"
    assert delivery["status_code"] == 200 and delivery["answer"]["success"] is True
    # one status call by the adapter (the next would be an hour later): the webhook ended its wait
    adapter = [c for c in setup.fal.calls("/status") if c.headers.get("user-agent") != RUNNER_AGENT]
    assert len(adapter) == 1
    # the images came from fal's result, fetched and stored by the adapter: one stored path
    image = httpx.get(generation["images"][0]["url"])
    assert image.status_code == 200 and image.headers["content-type"] == "image/png"
    assert len(setup.fal.calls("/cdn/")) == 1


def test_unverified_and_unexpected_calls_change_nothing(setup: Setup) -> None:
    done = httpx.post(
        f"{setup.atelier.url}{BASE}/api/generate",
        headers=setup.headers,
        json={"model": MODEL, "prompt": "poster", "sync_mode": True},
    )
    generation_id = done.json()["generation"]["id"]
    url = f"{setup.atelier.url}{BASE}/api/webhooks/fal/{generation_id}"
    body = {"request_id": "r1", "status": "OK", "payload": {"images": []}, "error": None}

    forged = httpx.post(url, params={"token": "0" * 64}, json=body)
    assert forged.status_code == 401 and forged.json()["success"] is False
    assert "could not be verified" in forged.json()["details"]
    assert httpx.post(url, json=body).status_code == 401
    other = webhook_token(setup.runtime.secret, "job_other")
    assert httpx.post(url, params={"token": other}, json=body).status_code == 401

    token = webhook_token(setup.runtime.secret, generation_id)
    late = httpx.post(url, params={"token": token}, json=body)  # the generation already finished
    assert late.status_code == 409 and late.json()["success"] is False
    after = _status(setup, generation_id)
    assert after["status"] == "completed" and len(after["images"]) == 1

    bad = httpx.post(url, params={"token": token}, json={"status": "MAYBE"})
    assert bad.status_code == 400 and "status" in bad.text


def _never_calls_back(state: FakeState, deliveries: list[dict[str, Any]]) -> Any:
    return fal_fake.build(state)


@pytest.fixture
def silent_setup(settings: Settings) -> Iterator[Setup]:
    yield from _start(settings, _never_calls_back)


def test_a_waiting_generation_takes_only_a_verified_call(silent_setup: Setup) -> None:
    setup = silent_setup
    queued = httpx.post(
        f"{setup.atelier.url}{BASE}/api/generate", headers=setup.headers, json={"model": MODEL, "prompt": "owl"}
    )
    generation_id = queued.json()["generation"]["id"]
    for _ in range(400):  # until the adapter has submitted to fal and waits
        if setup.fal.calls("/status"):
            break
        time.sleep(0.02)
    [submit] = setup.fal.calls(f"/{MODEL}")
    url = f"{setup.atelier.url}{BASE}/api/webhooks/fal/{generation_id}"

    unverified = httpx.post(url, params={"token": "f" * 64}, json={"status": "OK", "payload": {}})
    assert unverified.status_code == 401
    assert _status(setup, generation_id)["status"] == "processing"

    token = webhook_token(setup.runtime.secret, generation_id)
    wrong = httpx.post(url, params={"token": token}, json={"request_id": "not-this-one", "status": "OK"})
    assert wrong.status_code == 409
    assert _status(setup, generation_id)["status"] == "processing"

    # the Dreamy document's body (no request_id): for the request the generation waits on.
    # The fake queue only finishes after four status polls, so bring it there first.
    status_url = f"{setup.fal.seen[-1].path}"
    for _ in range(4):
        httpx.get(f"{_fal_base(setup)}{status_url}", headers={"authorization": f"Key {KEY}"})
    ok = httpx.post(url, params={"token": token}, json={"status": "OK", "payload": {"images": []}, "seed": 42})
    assert ok.status_code == 200, ok.text
    generation = _wait_final(setup, generation_id)
    assert generation["status"] == "completed" and len(generation["images"]) == 1
    assert submit.method == "POST"


def _fal_base(setup: Setup) -> str:
    engine = setup.runtime.router.routes[MODEL][0].engine
    base: str = engine.http.base_url
    return base.rstrip("/")
