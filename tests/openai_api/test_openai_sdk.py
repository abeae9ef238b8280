"""The official openai SDK against a live Atelier, changing only base_url and api_key."""

from __future__ import annotations

import base64
import io

import httpx
import openai
import pytest
from PIL import Image

from atelier.images.metadata import read as read_metadata
from tests.helpers.engines import solid_png
from tests.helpers.signed_urls import tamper
from tests.openai_api.conftest import Served
from tests.openai_api.engines import InvertingEngine


def sdk_for(served: Served, key: str | None = None) -> openai.OpenAI:
    return openai.OpenAI(base_url=f"{served.url}/v1", api_key=key or served.key, max_retries=0)


def test_two_images_as_b64_json_and_as_url(served: Served) -> None:
    sdk = sdk_for(served)
    b64 = sdk.images.generate(
        model="gpt-image-1", prompt="minimal logo for 'Orbit' studio", n=2, size="1024x1024", response_format="b64_json"
    )
    assert len(b64.data) == 2 and b64.created > 0
    decoded = [base64.b64decode(item.b64_json or "") for item in b64.data]
    for data in decoded:
        assert Image.open(io.BytesIO(data)).size == (1024, 1024)
    assert decoded[0] != decoded[1]
    meta = read_metadata(decoded[0])
    assert meta is not None and meta["prompt"] == "minimal logo for 'Orbit' studio" and meta["job_id"]

    urls = sdk.images.generate(
        model="dall-e-3", prompt="poster for 'Orbit' launch", n=2, size="1024x1024", response_format="url"
    )
    assert len(urls.data) == 2
    for item in urls.data:
        assert item.url and item.b64_json is None
        served_image = httpx.get(item.url)
        assert served_image.status_code == 200
        assert Image.open(io.BytesIO(served_image.content)).size == (1024, 1024)
        assert httpx.get(tamper(item.url)).status_code == 403


def test_output_format_and_fields_the_sdk_sends(served: Served) -> None:
    result = sdk_for(served).images.generate(
        model="gpt-image-1",
        prompt="badge for 'Kite' club",
        size="512x512",
        quality="high",
        output_format="webp",
        background="opaque",
        user="end-user-42",
        response_format="b64_json",
    )
    image = Image.open(io.BytesIO(base64.b64decode(result.data[0].b64_json or "")))
    assert image.format == "WEBP" and image.size == (512, 512)
    assert result.output_format == "webp" and result.size == "512x512" and result.quality == "high"


def test_default_response_format_follows_the_model_like_openai(served: Served) -> None:
    sdk = sdk_for(served)
    gpt = sdk.images.generate(model="gpt-image-1", prompt="icon of a kite", size="256x256")
    assert gpt.data[0].b64_json and gpt.data[0].url is None
    dalle = sdk.images.generate(model="dall-e-2", prompt="icon of a kite", size="256x256")
    assert dalle.data[0].url and dalle.data[0].b64_json is None


def test_edit_and_variation_reach_the_engine(served: Served) -> None:
    engine = InvertingEngine()
    served.runtime.router.register(engine, models=["test-inverter"])
    source = solid_png(64, 64, (10, 200, 40))
    edited = sdk_for(served).images.edit(
        model="test-inverter",
        image=("in.png", source, "image/png"),
        mask=("mask.png", solid_png(64, 64, (0, 0, 0)), "image/png"),
        prompt="invert it",
        n=2,
        size="256x256",
        response_format="b64_json",
    )
    assert len(edited.data) == 2
    pixel = Image.open(io.BytesIO(base64.b64decode(edited.data[0].b64_json or ""))).convert("RGB").getpixel((5, 5))
    assert pixel == (245, 55, 215)
    assert engine.requests[0].mask is not None and engine.requests[0].prompt == "invert it"

    variation = sdk_for(served).images.create_variation(
        model="test-inverter", image=("in.png", source, "image/png"), size="256x256", response_format="url"
    )
    assert httpx.get(variation.data[0].url or "").status_code == 200
    assert engine.requests[-1].task.value == "variations"


def test_sdk_sees_clear_errors(served: Served) -> None:
    sdk = sdk_for(served)
    with pytest.raises(openai.BadRequestError) as bad_size:
        sdk.images.generate(model="gpt-image-1", prompt="x", size="1024by1024")  # type: ignore[arg-type]
    assert "size" in str(bad_size.value)
    with pytest.raises(openai.BadRequestError) as unknown:
        sdk.images.generate(model="nope", prompt="x")
    assert "Unknown model" in str(unknown.value)
    with pytest.raises(openai.BadRequestError) as too_many:
        sdk.images.generate(model="gpt-image-1", prompt="x", n=11)
    assert "n" in str(too_many.value)
    with pytest.raises(openai.BadRequestError) as not_an_image:
        sdk.images.create_variation(image=("in.png", b"not an image", "image/png"))
    assert "image" in str(not_an_image.value)
    with pytest.raises(openai.BadRequestError) as not_a_mask:
        sdk.images.edit(
            model="atelier-design",
            image=("in.png", solid_png(64, 64), "image/png"),
            mask=("mask.png", b"not an image", "image/png"),
            prompt="x",
        )
    assert "mask" in str(not_a_mask.value)
    with pytest.raises(openai.AuthenticationError):
        sdk_for(served, "atl_wrong").images.generate(model="gpt-image-1", prompt="x")
