"""The OpenRouter adapter against a fake chat completions endpoint with image output."""

from __future__ import annotations

from decimal import Decimal

import pytest

from atelier.engines.base import CancelToken, GenerationRequest, Task
from atelier.engines.providers.openrouter import OpenRouterEngine
from atelier.kit.errors import (
    EngineContentPolicyError,
    PermanentEngineError,
    ProviderAuthError,
    RetriableEngineError,
)
from tests.providers.conftest import Fake, Progress
from tests.providers.fakes.base import KEY, png


async def test_chat_completion_with_image_modality(openrouter_api: Fake, progress: Progress) -> None:
    engine = OpenRouterEngine(
        openrouter_api.spec("google/gemini-2.5-flash-image", provider="openrouter", base="/api/v1")
    )
    request = GenerationRequest(prompt="poster", width=1024, height=1024, task=Task.EDIT, references=[png(30, 30)])
    result = await engine.generate(request, progress, CancelToken())
    call = openrouter_api.state.calls("/chat/completions")[0]
    assert call.headers["authorization"] == f"Bearer {KEY}"
    body = call.body
    assert body["model"] == "google/gemini-2.5-flash-image" and body["modalities"] == ["image", "text"]
    assert body["image_config"] == {"aspect_ratio": "1:1"} and body["usage"] == {"include": True}
    assert body["messages"][0]["content"][1]["image_url"]["url"].startswith("data:image/png;base64,")
    assert result.images[0].synthid and result.cost_usd == Decimal("0.0391")


@pytest.mark.parametrize(
    ("fault", "error"),
    [
        ("429", RetriableEngineError),
        ("embedded", RetriableEngineError),
        ("malformed", RetriableEngineError),
        ("402", PermanentEngineError),
        ("timeout", RetriableEngineError),
    ],
)
async def test_faults(openrouter_api: Fake, progress: Progress, fault: str, error: type[Exception]) -> None:
    openrouter_api.state.inject(fault)
    engine = OpenRouterEngine(openrouter_api.spec("google/gemini-2.5-flash-image", base="/api/v1"))
    with pytest.raises(error) as caught:
        await engine.generate(GenerationRequest(prompt="x"), progress, CancelToken())
    assert type(caught.value) is error


async def test_moderation_and_credentials(openrouter_api: Fake, progress: Progress) -> None:
    engine = OpenRouterEngine(openrouter_api.spec("google/gemini-2.5-flash-image", base="/api/v1"))
    with pytest.raises(EngineContentPolicyError):
        await engine.generate(GenerationRequest(prompt="forbidden"), progress, CancelToken())
    bad = OpenRouterEngine(openrouter_api.spec("x/y", provider="openrouter", base="/api/v1", api_key="sk-or-bad"))
    with pytest.raises(ProviderAuthError) as caught:
        await bad.generate(GenerationRequest(prompt="x"), progress, CancelToken())
    assert "openrouter" in caught.value.message and "sk-or-bad" not in caught.value.message
