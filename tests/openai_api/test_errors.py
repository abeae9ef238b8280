"""Every error on /v1/images/* is OpenAI's error body, whichever layer refuses the request
(access check, rate limiter, body limit, route, job), so the official SDK's exception carries
Atelier's message; and the OpenAPI document says so."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from typing import Any

import httpx
import openai
import pytest

from atelier.app import create_app
from atelier.engines.base import (
    CancelToken,
    Capabilities,
    GeneratedImage,
    GenerationRequest,
    GenerationResult,
    ProgressCallback,
    Task,
)
from atelier.settings import Settings
from tests.helpers.engines import solid_png
from tests.helpers.live import LiveServer
from tests.openai_api.conftest import Served, make_key
from tests.openai_api.test_openai_sdk import sdk_for


def openai_error(response: httpx.Response) -> dict[str, Any]:
    """The ``error`` object, checked to have OpenAI's fields."""
    body = response.json()
    assert set(body) == {"error"}, body
    error: dict[str, Any] = body["error"]
    assert {"message", "type", "param", "code"} <= set(error), error
    assert isinstance(error["message"], str) and error["message"]
    return error


class GatedEngine:
    """Holds its job until the test opens the gate; fails it when told to."""

    name = "test-gated"

    def __init__(self, fail: bool = False) -> None:
        self.started = threading.Event()
        self.gate = threading.Event()
        self.fail = fail

    def capabilities(self) -> Capabilities:
        return Capabilities(tasks=frozenset({Task.GENERATE}), max_n=1)

    def price_per_image(self, request: GenerationRequest) -> Decimal:
        return Decimal("0")

    async def health(self) -> str:
        return "healthy"

    async def generate(
        self, request: GenerationRequest, progress: ProgressCallback, cancel: CancelToken
    ) -> GenerationResult:
        self.started.set()
        await asyncio.to_thread(self.gate.wait, 60)
        if self.fail:
            raise RuntimeError("the gated engine broke")
        image = GeneratedImage(
            solid_png(request.width, request.height), request.width, request.height, request.output_format
        )
        return GenerationResult(images=[image], engine=self.name, model=self.name)


def test_401_from_the_access_check_carries_the_message(served: Served) -> None:
    with pytest.raises(openai.AuthenticationError) as refused:
        sdk_for(served, "atl_wrong").images.generate(model="gpt-image-1", prompt="x")
    error = refused.value.body
    assert isinstance(error, dict) and error["type"] == "authentication_error"
    assert error["message"] in refused.value.message
    raw = httpx.post(f"{served.url}/v1/images/generations", json={"prompt": "x"})
    assert raw.status_code == 401 and openai_error(raw)["type"] == "authentication_error"


def test_403_for_a_key_without_the_generate_scope(served: Served) -> None:
    with httpx.Client(base_url=served.url) as client:
        token = client.post("/v1/auth/login", json={"email": "sdk@example.com", "password": "sdk password"})
        headers = {"Authorization": f"Bearer {token.json()['access_token']}"}
        created = client.post("/v1/keys", json={"name": "read only", "scopes": ["read"]}, headers=headers)
    with pytest.raises(openai.PermissionDeniedError) as refused:
        sdk_for(served, created.json()["key"]).images.generate(model="gpt-image-1", prompt="x")
    assert "generate" in refused.value.message
    assert isinstance(refused.value.body, dict) and refused.value.body["type"] == "permission_error"


def test_404_carries_the_message(served: Served) -> None:
    with pytest.raises(openai.NotFoundError) as missing:
        sdk_for(served).post("/images/nope", cast_to=httpx.Response, body={})
    assert isinstance(missing.value.body, dict) and missing.value.body["type"] == "not_found_error"
    assert missing.value.body["message"] in missing.value.message


def test_validation_is_a_400_naming_the_field(served: Served) -> None:
    with pytest.raises(openai.BadRequestError) as bad:
        sdk_for(served).images.generate(model="gpt-image-1", prompt="x", n=11)
    assert isinstance(bad.value.body, dict)
    assert bad.value.body["param"] == "n" and bad.value.body["type"] == "invalid_request_error"
    assert bad.value.body["message"] in bad.value.message


def test_transparent_background_with_jpeg_is_a_400_like_openai(served: Served) -> None:
    with pytest.raises(openai.BadRequestError) as generate:
        sdk_for(served).images.generate(
            model="gpt-image-1", prompt="logo", size="256x256", background="transparent", output_format="jpeg"
        )
    assert isinstance(generate.value.body, dict) and generate.value.body["param"] == "background"
    assert "jpeg" in generate.value.message
    with pytest.raises(openai.BadRequestError) as edit:
        sdk_for(served).images.edit(
            model="atelier-design",
            image=("in.png", solid_png(32, 32), "image/png"),
            prompt="x",
            background="transparent",
            output_format="jpeg",
        )
    assert "Transparent background" in edit.value.message
    ok = sdk_for(served).images.generate(
        model="gpt-image-1", prompt="logo", size="256x256", background="transparent", output_format="png"
    )
    assert ok.data[0].b64_json


def test_409_while_the_same_idempotency_key_is_in_flight_and_422_reused_key_as_400(served: Served) -> None:
    engine = GatedEngine()
    served.runtime.router.register(engine, models=["test-gated"])
    sdk = sdk_for(served)
    headers = {"Idempotency-Key": "same-key"}
    with ThreadPoolExecutor(1) as pool:
        first = pool.submit(sdk.images.generate, model="test-gated", prompt="x", size="64x64", extra_headers=headers)
        assert engine.started.wait(30)
        with pytest.raises(openai.ConflictError) as in_flight:
            sdk.images.generate(model="test-gated", prompt="x", size="64x64", extra_headers=headers)
        assert "still being processed" in in_flight.value.message
        with pytest.raises(openai.BadRequestError) as reused:
            sdk.images.generate(model="test-gated", prompt="other", size="64x64", extra_headers=headers)
        assert "different request body" in reused.value.message
        engine.gate.set()
        assert first.result(60).data


def test_a_failed_job_is_a_500_with_the_engines_message(served: Served) -> None:
    engine = GatedEngine(fail=True)
    engine.gate.set()
    served.runtime.router.register(engine, models=["test-gated"])
    with pytest.raises(openai.InternalServerError) as failed:
        sdk_for(served).images.generate(model="test-gated", prompt="x", size="64x64")
    assert isinstance(failed.value.body, dict) and failed.value.body["type"] == "server_error"
    assert "the gated engine broke" in failed.value.message


def test_a_failure_while_streaming_is_openais_error_event(served: Served) -> None:
    engine = GatedEngine(fail=True)
    engine.gate.set()
    served.runtime.router.register(engine, models=["test-gated"])
    stream = sdk_for(served).images.generate(model="test-gated", prompt="x", size="64x64", stream=True)
    with pytest.raises(openai.APIError) as failed:
        list(stream)
    assert "the gated engine broke" in failed.value.message


@pytest.fixture
def tight(settings: Settings) -> Iterator[Served]:
    """A server with a 3-per-minute key limit and a 4 KiB body limit."""
    limited = settings.model_copy(
        update={
            "limits": settings.limits.model_copy(update={"per_key": "3/minute"}),
            "server": settings.server.model_copy(update={"max_body_bytes": 4096}),
        }
    )
    app = create_app(limited)
    server = LiveServer(app)
    server.start()
    try:
        yield Served(server, app, make_key(server.url))
    finally:
        server.stop()


def test_429_from_the_rate_limiter_and_413_from_the_body_limit(tight: Served) -> None:
    sdk = sdk_for(tight)
    for _ in range(3):
        sdk.images.generate(model="gpt-image-1", prompt="icon", size="64x64")
    with pytest.raises(openai.RateLimitError) as limited:
        sdk.images.generate(model="gpt-image-1", prompt="icon", size="64x64")
    assert isinstance(limited.value.body, dict) and limited.value.body["type"] == "rate_limit_error"
    assert "Rate limit exceeded: 3 per 60 seconds" in limited.value.message
    assert limited.value.response.headers["Retry-After"]

    other = sdk_for(tight, make_key(tight.url, "big@example.com"))
    with pytest.raises(openai.APIStatusError) as too_large:
        other.images.edit(image=("in.png", b"\0" * 8192, "image/png"), prompt="x")
    assert too_large.value.status_code == 413
    assert "exceeds the limit of 4096 bytes" in too_large.value.message
    assert openai_error(too_large.value.response)["type"] == "invalid_request_error"


def test_the_openapi_document_describes_openais_error_body(served: Served) -> None:
    document = httpx.get(f"{served.url}/openapi.json").json()
    for path in ("/v1/images/generations", "/v1/images/edits", "/v1/images/variations"):
        responses = document["paths"][path]["post"]["responses"]
        for status in ("400", "default"):
            assert responses[status]["content"]["application/json"]["schema"] == {
                "$ref": "#/components/schemas/OpenAIError"
            }
        assert "422" not in responses
    schema = document["components"]["schemas"]["OpenAIError"]
    assert set(schema["properties"]["error"]["properties"]) >= {"message", "type", "param", "code"}
    generations = document["paths"]["/v1/images/generations"]["post"]["responses"]["200"]["content"]
    assert "text/event-stream" in generations
