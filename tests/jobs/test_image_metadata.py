"""What a stored image says about itself is added without touching its pixels: a lossy
JPEG or WebP decoded and encoded again would blur a design's brand colours."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

from atelier.images.metadata import embed, read

META = {"prompt": "poster for 'Tide' — surf", "job_id": "job_1", "seed": 7}


def _encoded(mode: str, fmt: str) -> bytes:
    rng = np.random.default_rng(3)
    pixels = rng.integers(0, 255, size=(48, 64, len(mode)), dtype=np.uint8)
    out = io.BytesIO()
    Image.fromarray(pixels, mode).save(out, {"jpeg": "JPEG", "webp": "WEBP", "png": "PNG"}[fmt], quality=80)
    return out.getvalue()


@pytest.mark.parametrize(
    ("mode", "fmt"), [("RGB", "png"), ("RGBA", "png"), ("RGB", "jpeg"), ("RGB", "webp"), ("RGBA", "webp")]
)
def test_metadata_is_added_and_the_pixels_are_untouched(mode: str, fmt: str) -> None:
    data = _encoded(mode, fmt)
    tagged = embed(data, fmt, META)
    assert read(tagged) == META
    before = np.asarray(Image.open(io.BytesIO(data)).convert("RGBA"))
    after = np.asarray(Image.open(io.BytesIO(tagged)).convert("RGBA"))
    assert np.array_equal(before, after)


def test_a_prompt_too_long_for_one_jpeg_segment_is_left_out() -> None:
    tagged = embed(_encoded("RGB", "jpeg"), "jpeg", {**META, "prompt": "x" * 70_000})
    assert read(tagged) == {"job_id": "job_1", "seed": 7}
