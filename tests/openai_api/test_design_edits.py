"""Edits and variations through the official openai SDK on a default install: the built-in
design engine answers them (nothing else is configured), and the pixels say what it did."""

from __future__ import annotations

import base64
import io

import httpx
import numpy as np
import openai
from PIL import Image

from atelier import design
from tests.openai_api.conftest import Served


def sdk_for(served: Served) -> openai.OpenAI:
    return openai.OpenAI(base_url=f"{served.url}/v1", api_key=served.key, max_retries=0)


def _png(pixels: np.ndarray) -> bytes:
    out = io.BytesIO()
    Image.fromarray(pixels).save(out, "PNG")
    return out.getvalue()


def _photo(side: int) -> np.ndarray:
    """A busy, photo-like picture (every pixel differs from its neighbours)."""
    y, x = np.mgrid[0:side, 0:side]
    return np.stack([(x * 3) % 256, (y * 5) % 256, (x * y) % 256, np.full_like(x, 255)], -1).astype(np.uint8)


def _pixels(data: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(data)).convert("RGBA"))


def test_edit_with_a_mask_draws_only_in_its_transparent_area(served: Served) -> None:
    photo = _photo(256)
    mask = np.full((256, 256, 4), 255, dtype=np.uint8)
    mask[150:240, 20:236, 3] = 0  # the band to draw on
    result = sdk_for(served).images.edit(
        model="gpt-image-1",
        image=("photo.png", _png(photo), "image/png"),
        mask=("mask.png", _png(mask), "image/png"),
        prompt="a sign that says 'Open Late', Friday 9pm",
        size="256x256",
        response_format="b64_json",
    )
    out = _pixels(base64.b64decode(result.data[0].b64_json or ""))
    assert out.shape == (256, 256, 4)
    kept = mask[:, :, 3] > 0
    assert np.array_equal(out[kept], photo[kept])  # every unmasked pixel exactly as it was
    changed = (out[~kept] != photo[~kept]).any(axis=1).mean()
    assert changed > 0.9  # the masked band was drawn on


def test_edit_without_a_mask_places_the_logo_in_its_slot(served: Served) -> None:
    logo = np.zeros((64, 64, 4), dtype=np.uint8)
    logo[8:56, 8:56] = (10, 200, 40, 255)
    result = sdk_for(served).images.edit(
        model="atelier-design",
        image=("logo.png", _png(logo), "image/png"),
        prompt="business card for 'Fern & Co', 555-0134",
        size="512x256",
        response_format="b64_json",
    )
    out = _pixels(base64.b64decode(result.data[0].b64_json or ""))
    assert out.shape == (256, 512, 4)
    green = (np.abs(out[:, :, :3].astype(int) - (10, 200, 40)).sum(axis=2) < 6).mean()
    assert 0.02 < green < 0.5  # the logo is on the card, whole, not stretched over it


def test_variation_of_an_atelier_image_varies_its_stored_spec(served: Served) -> None:
    prompt = "poster for 'Orbit' launch party"
    made = httpx.post(
        f"{served.url}/v1/generations",
        json={"prompt": prompt, "seed": 41, "size": "256x256"},
        headers={"X-API-Key": served.key, "Prefer": "wait=60"},
        timeout=60,
    ).json()
    original = httpx.get(made["assets"][0]["url"]).content
    varied = sdk_for(served).images.create_variation(
        model="atelier-design", image=("orbit.png", original, "image/png"), size="256x256", response_format="b64_json"
    )
    pixels = _pixels(base64.b64decode(varied.data[0].b64_json or ""))
    expected = _pixels(design.render(prompt, width=256, height=256, seed=41, variation=1).data)
    assert np.array_equal(pixels, expected)  # the same design's next variation, drawn from its spec
    assert not np.array_equal(pixels, _pixels(original))


def test_variations_of_an_outside_image_move_the_layout_around_it(served: Served) -> None:
    picture = np.zeros((64, 64, 4), dtype=np.uint8)
    picture[:, :] = (200, 30, 30, 255)
    result = sdk_for(served).images.create_variation(
        image=("in.png", _png(picture), "image/png"), n=2, size="256x256", response_format="b64_json"
    )
    first, second = (_pixels(base64.b64decode(item.b64_json or "")) for item in result.data)
    for out in (first, second):
        red = (np.abs(out[:, :, :3].astype(int) - (200, 30, 30)).sum(axis=2) < 6).mean()
        assert red > 0.1  # the image itself is kept
    assert not np.array_equal(first, second)


def test_models_report_edit_and_variations_for_the_design_engine(served: Served) -> None:
    models = httpx.get(f"{served.url}/v1/models").json()
    listed = models["data"] if isinstance(models, dict) else models
    design_model = next(m for m in listed if m["id"] == "atelier-design")
    assert {"generate", "edit", "variations"} <= set(design_model["capabilities"]["tasks"])
