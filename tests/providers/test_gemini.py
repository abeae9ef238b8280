"""The Gemini / Imagen adapter against a fake Gemini API."""

from __future__ import annotations

from decimal import Decimal

import pytest

from atelier.engines.base import CancelToken, GenerationRequest, Task
from atelier.engines.providers.gemini import GeminiEngine
from atelier.kit.errors import EngineContentPolicyError, ProviderAuthError, RetriableEngineError
from tests.providers.conftest import Fake, Progress
from tests.providers.fakes.base import KEY, png


async def test_generate_content_with_image_output_and_aspect_ratio(gemini_api: Fake, progress: Progress) -> None:
    engine = GeminiEngine(gemini_api.spec("gemini-2.5-flash-image", provider="gemini", base="/v1beta"))
    request = GenerationRequest(prompt="a banana in sunglasses", width=1408, height=768, n=2)
    result = await engine.generate(request, progress, CancelToken())
    calls = gemini_api.state.calls(":generateContent")
    assert len(calls) == 2 and calls[0].path == "/v1beta/models/gemini-2.5-flash-image:generateContent"
    assert calls[0].headers["x-goog-api-key"] == KEY and "authorization" not in calls[0].headers
    config = calls[0].body["generationConfig"]
    assert config == {"responseModalities": ["TEXT", "IMAGE"], "imageConfig": {"aspectRatio": "16:9"}}
    assert all(image.synthid for image in result.images)
    # 1344x768 from the model, fitted to the size asked for
    assert [(i.width, i.height) for i in result.images] == [(1408, 768)] * 2
    assert result.usage is not None and result.usage["candidatesTokenCount"] == 2580
    # 20 text tokens at $0.30/M + 2580 output tokens at $30/M
    assert result.cost_usd == Decimal("0.077406")


async def test_edit_sends_references_as_inline_data(gemini_api: Fake, progress: Progress) -> None:
    engine = GeminiEngine(gemini_api.spec("gemini-2.5-flash-image", base="/v1beta"))
    request = GenerationRequest(prompt="make it red", task=Task.EDIT, references=[png(40, 40)])
    result = await engine.generate(request, progress, CancelToken())
    parts = gemini_api.state.calls(":generateContent")[0].body["contents"][0]["parts"]
    assert parts[0] == {"text": "make it red"}
    assert parts[1]["inline_data"]["mime_type"] == "image/png" and len(parts[1]["inline_data"]["data"]) > 20
    assert result.images[0].synthid


async def test_blocked_prompt_and_image_safety_are_policy_refusals(gemini_api: Fake, progress: Progress) -> None:
    engine = GeminiEngine(gemini_api.spec("gemini-2.5-flash-image", base="/v1beta"))
    for prompt in ("forbidden thing", "unsafe-image please"):
        with pytest.raises(EngineContentPolicyError):
            await engine.generate(GenerationRequest(prompt=prompt), progress, CancelToken())


async def test_invalid_key_is_a_400_that_means_bad_credentials(gemini_api: Fake, progress: Progress) -> None:
    engine = GeminiEngine(
        gemini_api.spec("gemini-2.5-flash-image", provider="gemini", base="/v1beta", api_key="AIza-bad")
    )
    with pytest.raises(ProviderAuthError) as caught:
        await engine.generate(GenerationRequest(prompt="x"), progress, CancelToken())
    assert "gemini" in caught.value.message and "AIza-bad" not in caught.value.message


@pytest.mark.parametrize("fault", ["429", "500", "malformed", "timeout"])
async def test_transient_faults_are_retriable(gemini_api: Fake, progress: Progress, fault: str) -> None:
    gemini_api.state.inject(fault)
    engine = GeminiEngine(gemini_api.spec("gemini-2.5-flash-image", base="/v1beta"))
    with pytest.raises(RetriableEngineError) as caught:
        await engine.generate(GenerationRequest(prompt="x"), progress, CancelToken())
    assert caught.value.retry_after == (1.0 if fault == "429" else None)


async def test_imagen_predict(gemini_api: Fake, progress: Progress) -> None:
    engine = GeminiEngine(gemini_api.spec("imagen-4.0-generate-001", base="/v1beta"))
    assert engine.capabilities().tasks == frozenset({Task.GENERATE})
    result = await engine.generate(
        GenerationRequest(prompt="a cat", width=768, height=1408, n=3), progress, CancelToken()
    )
    call = gemini_api.state.calls(":predict")[0]
    assert call.body == {"instances": [{"prompt": "a cat"}], "parameters": {"sampleCount": 3, "aspectRatio": "9:16"}}
    assert len(result.images) == 3 and all(i.synthid and (i.width, i.height) == (768, 1408) for i in result.images)
    assert engine.price_per_image(GenerationRequest(prompt="")) == Decimal("0.04")


async def test_imagen_filtering(gemini_api: Fake, progress: Progress) -> None:
    engine = GeminiEngine(gemini_api.spec("imagen-4.0-generate-001", base="/v1beta"))
    partly = await engine.generate(GenerationRequest(prompt="partly filtered", n=2), progress, CancelToken())
    assert len(partly.images) == 1 and partly.notes == ["1 image(s) filtered by the provider"]
    with pytest.raises(EngineContentPolicyError):
        await engine.generate(GenerationRequest(prompt="forbidden"), progress, CancelToken())
