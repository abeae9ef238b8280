"""The OpenAI Images adapter against a fake speaking the documented wire protocol."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from PIL import Image

from atelier.engines.base import CancelToken, GenerationRequest, OutputFormat, Task
from atelier.engines.providers.openai_images import OpenAIImagesEngine
from atelier.kit.errors import (
    EngineContentPolicyError,
    PermanentEngineError,
    ProviderAuthError,
    RetriableEngineError,
)
from tests.providers.conftest import Fake, Progress
from tests.providers.fakes.base import KEY, png


async def test_gpt_image_generation_sends_documented_fields_and_prices_usage(
    openai_api: Fake, progress: Progress
) -> None:
    engine = OpenAIImagesEngine(openai_api.spec("gpt-image-1", provider="openai", base="/v1"))
    request = GenerationRequest(
        prompt="a fox logo",
        width=1536,
        height=1024,
        n=2,
        quality="high",
        output_format=OutputFormat.WEBP,
        background="transparent",
    )
    result = await engine.generate(request, progress, CancelToken())
    sent = openai_api.state.calls("/images/generations")[0]
    assert sent.headers["authorization"] == f"Bearer {KEY}"
    assert sent.body == {
        "model": "gpt-image-1",
        "n": 2,
        "size": "1536x1024",
        "output_format": "webp",
        "background": "transparent",
        "quality": "high",
        "prompt": "a fox logo",
    }
    assert len(result.images) == 2 and result.engine == "openai/gpt-image-1"
    decoded = Image.open(io.BytesIO(result.images[0].data))
    assert decoded.format == "WEBP" and decoded.size == (1536, 1024)
    # 50 text tokens at $5/M and 8320 image output tokens at $40/M
    assert result.cost_usd == Decimal("0.333050")
    assert result.usage is not None and result.usage["output_tokens"] == 8320
    assert progress.events[-1][0] == 1.0


async def test_dalle3_url_outputs_are_downloaded_with_revised_prompt(openai_api: Fake, progress: Progress) -> None:
    engine = OpenAIImagesEngine(openai_api.spec("dall-e-3", base="/v1", options={"response_format": "url"}))
    result = await engine.generate(
        GenerationRequest(prompt="a lighthouse", width=1792, height=1024, quality="ultra", style="vivid"),
        progress,
        CancelToken(),
    )
    sent = openai_api.state.calls("/images/generations")[0].body
    assert sent["response_format"] == "url" and sent["quality"] == "hd" and sent["style"] == "vivid"
    download = openai_api.state.calls("/files/")[0]
    assert "authorization" not in download.headers  # the key never goes to the file host
    image = result.images[0]
    assert (image.width, image.height) == (
        1792,
        1024,
    ) and image.revised_prompt == "A detailed rendering of a lighthouse"
    assert result.cost_usd is None and engine.price_per_image(
        GenerationRequest(prompt="", width=1792, height=1024, quality="hd")
    ) == Decimal("0.12")


async def test_edits_send_every_reference_and_the_mask_as_multipart(openai_api: Fake, progress: Progress) -> None:
    engine = OpenAIImagesEngine(openai_api.spec("gpt-image-1", base="/v1"))
    request = GenerationRequest(
        prompt="add a hat", task=Task.EDIT, references=[png(64, 64), png(32, 32)], mask=png(64, 64)
    )
    result = await engine.generate(request, progress, CancelToken())
    sent = openai_api.state.calls("/images/edits")[0].body
    assert sent["files"] == {"image": [], "image[]": ["image0.png", "image1.png"], "mask": ["mask.png"]}
    assert sent["fields"]["prompt"] == "add a hat" and sent["fields"]["model"] == "gpt-image-1"
    assert len(result.images) == 1


async def test_dalle2_variations(openai_api: Fake, progress: Progress) -> None:
    engine = OpenAIImagesEngine(openai_api.spec("dall-e-2", base="/v1"))
    assert Task.VARIATIONS in engine.capabilities().tasks
    request = GenerationRequest(prompt="", task=Task.VARIATIONS, width=512, height=512, n=3, references=[png(512, 512)])
    result = await engine.generate(request, progress, CancelToken())
    sent = openai_api.state.calls("/images/variations")[0].body
    assert sent["fields"]["response_format"] == "b64_json" and sent["fields"]["n"] == "3"
    assert [(i.width, i.height) for i in result.images] == [(512, 512)] * 3


async def test_openai_compatible_base_url_runs_a_seed_chain_model(openai_api: Fake, progress: Progress) -> None:
    engine = OpenAIImagesEngine(openai_api.spec("provider-5/flux-fast", provider="a4f", base="/v1"))
    result = await engine.generate(GenerationRequest(prompt="logo", width=1024, height=1024), progress, CancelToken())
    sent = openai_api.state.calls("/images/generations")[0].body
    assert sent["model"] == "provider-5/flux-fast" and sent["response_format"] == "b64_json"
    assert result.images[0].format is OutputFormat.PNG


@pytest.mark.parametrize(
    ("fault", "error", "retry_after"),
    [
        ("429", RetriableEngineError, 1.0),
        ("500", RetriableEngineError, None),
        ("malformed", RetriableEngineError, None),
        ("timeout", RetriableEngineError, None),
        ("quota", PermanentEngineError, None),
        ("credit", PermanentEngineError, None),
    ],
)
async def test_faults_map_onto_the_error_tree(
    openai_api: Fake, progress: Progress, fault: str, error: type[Exception], retry_after: float | None
) -> None:
    openai_api.state.inject(fault)
    engine = OpenAIImagesEngine(openai_api.spec("gpt-image-1", base="/v1"))
    with pytest.raises(error) as caught:
        await engine.generate(GenerationRequest(prompt="x"), progress, CancelToken())
    assert type(caught.value) is error
    assert getattr(caught.value, "retry_after", None) == retry_after


async def test_slow_answer_within_the_timeout_succeeds(openai_api: Fake, progress: Progress) -> None:
    openai_api.state.inject("slow")
    engine = OpenAIImagesEngine(openai_api.spec("gpt-image-1", base="/v1"))
    result = await engine.generate(GenerationRequest(prompt="x"), progress, CancelToken())
    assert len(result.images) == 1


async def test_bad_key_names_the_provider_never_the_secret(openai_api: Fake, progress: Progress) -> None:
    wrong = "sk-wrong-key-987654321"
    engine = OpenAIImagesEngine(openai_api.spec("gpt-image-1", provider="openai", base="/v1", api_key=wrong))
    with pytest.raises(ProviderAuthError) as caught:
        await engine.generate(GenerationRequest(prompt="x"), progress, CancelToken())
    assert caught.value.status_code == 502 and "openai" in caught.value.message
    assert wrong not in caught.value.message and KEY not in caught.value.message


async def test_content_policy_refusal_is_a_422(openai_api: Fake, progress: Progress) -> None:
    engine = OpenAIImagesEngine(openai_api.spec("gpt-image-1", base="/v1"))
    with pytest.raises(EngineContentPolicyError) as caught:
        await engine.generate(GenerationRequest(prompt="something forbidden"), progress, CancelToken())
    assert caught.value.status_code == 422 and caught.value.code == "CONTENT_POLICY_VIOLATION"


async def test_missing_key_fails_before_any_call(openai_api: Fake, progress: Progress) -> None:
    engine = OpenAIImagesEngine(openai_api.spec("gpt-image-1", base="/v1", api_key=None))
    with pytest.raises(ProviderAuthError):
        await engine.generate(GenerationRequest(prompt="x"), progress, CancelToken())
    assert openai_api.state.seen == []


def _encoded(fmt: str, size: tuple[int, int] = (64, 64)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 40, 40)).save(out, fmt)
    return out.getvalue()


@pytest.mark.parametrize("fmt", ["JPEG", "WEBP"])
async def test_dalle2_edits_and_variations_upload_real_pngs(openai_api: Fake, progress: Progress, fmt: str) -> None:
    """DALL·E 2 takes only PNG (the fake refuses anything else): references are converted."""
    engine = OpenAIImagesEngine(openai_api.spec("dall-e-2", base="/v1"))
    reference = _encoded(fmt, (256, 256))
    for task, path in ((Task.VARIATIONS, "/images/variations"), (Task.EDIT, "/images/edits")):
        request = GenerationRequest(
            prompt="add a hat", task=task, width=256, height=256, references=[reference], mask=_encoded(fmt, (256, 256))
        )
        result = await engine.generate(request, progress, CancelToken())
        sent = openai_api.state.calls(path)[-1].body
        assert all(label == actual == "image/png" for label, actual in sent["types"].values()), sent["types"]
        assert len(result.images) == 1


async def test_gpt_image_edits_label_references_with_their_real_type(openai_api: Fake, progress: Progress) -> None:
    engine = OpenAIImagesEngine(openai_api.spec("gpt-image-1", base="/v1"))
    request = GenerationRequest(
        prompt="add a hat", task=Task.EDIT, references=[_encoded("JPEG"), _encoded("WEBP"), png(32, 32)]
    )
    await engine.generate(request, progress, CancelToken())
    sent = openai_api.state.calls("/images/edits")[0].body
    assert sent["files"]["image[]"] == ["image0.jpg", "image1.webp", "image2.png"]
    assert [sent["types"][name] for name in sent["files"]["image[]"]] == [
        ("image/jpeg", "image/jpeg"),
        ("image/webp", "image/webp"),
        ("image/png", "image/png"),
    ]


@pytest.mark.parametrize(
    ("model", "width", "height", "quality", "sent", "price"),
    [
        ("dall-e-3", 1024, 1024, "high", "hd", "0.08"),
        ("dall-e-3", 1792, 1024, "ultra", "hd", "0.12"),
        ("dall-e-3", 1024, 1024, "low", "standard", "0.04"),
        ("gpt-image-1", 1024, 1024, "hd", "high", "0.167"),
        ("gpt-image-1", 1536, 1024, "standard", "medium", "0.063"),
        ("gpt-image-1", 1024, 1024, "low", "low", "0.011"),
    ],
)
async def test_price_follows_the_quality_sent_upstream(
    openai_api: Fake, progress: Progress, model: str, width: int, height: int, quality: str, sent: str, price: str
) -> None:
    engine = OpenAIImagesEngine(openai_api.spec(model, base="/v1"))
    request = GenerationRequest(prompt="a lighthouse", width=width, height=height, quality=quality)
    await engine.generate(request, progress, CancelToken())
    assert openai_api.state.calls("/images/generations")[0].body["quality"] == sent
    assert engine.price_per_image(request) == Decimal(price)
