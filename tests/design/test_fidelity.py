"""The fidelity score judges any engine's output honestly: a photo or noise is not on-palette
because its pixels all differ from their neighbours, and a hosted image without a spec is
measured against the background it actually has."""

from __future__ import annotations

import io

import httpx
import numpy as np
from fastapi import FastAPI
from PIL import Image, ImageDraw

from atelier.design.fidelity import score
from atelier.engines.base import (
    CancelToken,
    GeneratedImage,
    GenerationRequest,
    GenerationResult,
    ProgressCallback,
)
from tests.helpers.accounts import create_key, register
from tests.helpers.engines import SlowEngine

GREEN, CREAM = "#0B3D2E", "#F2E8CF"


def _png(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def noise_png(width: int, height: int, seed: int = 0) -> bytes:
    pixels = np.random.default_rng(seed).integers(0, 256, (height, width, 3), dtype=np.uint8)
    return _png(Image.fromarray(pixels, "RGB"))


def two_colour_png(width: int = 300, height: int = 200) -> bytes:
    """A cream card with an anti-aliased green ring and disc: flat colours and their seams."""
    big = Image.new("RGB", (width * 4, height * 4), CREAM)
    draw = ImageDraw.Draw(big)
    draw.ellipse((440, 200, 760, 520), fill=GREEN)
    draw.ellipse((380, 140, 820, 580), outline=GREEN, width=14)
    return _png(big.resize((width, height), Image.Resampling.LANCZOS))


def test_noise_is_not_on_palette() -> None:
    report = score(noise_png(256, 256), width=256, height=256, fmt="png", palette_hex=[GREEN, CREAM])
    assert report.palette_adherence is not None and report.palette_adherence < 0.05, report
    assert report.palette_pixels_judged and report.palette_pixels_judged > 0.9 * 256 * 256


def test_two_colour_design_with_anti_aliased_seams_is_on_palette() -> None:
    data = two_colour_png()
    report = score(data, width=300, height=200, fmt="png", palette_hex=[GREEN, CREAM])
    assert report.palette_adherence is not None and report.palette_adherence >= 0.99, report
    # the seams are left out, not the whole picture
    assert report.palette_pixels_judged and report.palette_pixels_judged > 0.9 * 300 * 200
    # the same picture against a palette it does not use scores low
    off = score(data, width=300, height=200, fmt="png", palette_hex=["#D7263D", "#2563EB"])
    assert off.palette_adherence is not None and off.palette_adherence < 0.05


def test_a_flat_blend_colour_is_judged_not_excused() -> None:
    """A flat fill halfway between two brand colours is an off-palette colour, not anti-aliasing."""
    image = Image.new("RGB", (200, 200), CREAM)
    image.paste((0x7E, 0x92, 0x7E), (0, 0, 200, 100))  # the midpoint of green and cream
    report = score(_png(image), width=200, height=200, fmt="png", palette_hex=[GREEN, CREAM])
    assert report.palette_adherence is not None and 0.45 <= report.palette_adherence <= 0.55, report


def test_nothing_to_judge_is_not_measurable_rather_than_perfect() -> None:
    clear = Image.new("RGBA", (64, 64), (0, 0, 0, 0))
    report = score(_png(clear), width=64, height=64, fmt="png", palette_hex=[GREEN])
    assert report.palette_adherence is None and report.palette_pixels_judged == 0
    assert any("not measurable" in note for note in report.notes)


def test_safe_zone_without_a_spec_uses_the_border_background() -> None:
    clean = Image.new("RGB", (200, 200), "#FAFAFA")
    ImageDraw.Draw(clean).ellipse((70, 70, 130, 130), fill="#1B2A4A")
    report = score(_png(clean), width=200, height=200, fmt="png", safe_zone_pct=20)
    assert report.safe_zone_violations == 0, report
    assert report.background == "#FAFAFA" and report.background_source == "border"
    ImageDraw.Draw(clean).rectangle((5, 80, 25, 120), fill="#1B2A4A")
    report = score(_png(clean), width=200, height=200, fmt="png", safe_zone_pct=20)
    assert report.safe_zone_violations == 21 * 41, report


def test_safe_zone_on_a_clear_background_counts_opaque_pixels() -> None:
    image = Image.new("RGBA", (100, 100), (0, 0, 0, 0))
    image.paste((200, 0, 0, 255), (0, 0, 10, 10))
    report = score(_png(image), width=100, height=100, fmt="png", safe_zone_pct=20)
    assert report.safe_zone_violations == 100 and report.background_source == "transparent"


def test_a_transparent_design_saved_as_jpeg_is_measured_against_its_matte() -> None:
    """JPEG keeps no alpha: the design was painted onto a matte, which is its background."""
    image = Image.new("RGB", (200, 200), "#FAFAFA")
    ImageDraw.Draw(image).rectangle((80, 80, 120, 120), fill="#1B2A4A")
    out = io.BytesIO()
    image.save(out, "JPEG", quality=95)
    report = score(out.getvalue(), width=200, height=200, fmt="jpeg", safe_zone_pct=10, transparent=True)
    assert report.safe_zone_violations == 0, report
    assert report.background_source == "border"


class NoisyEngine(SlowEngine):
    """A stand-in for a hosted model: returns a photo-like noisy picture and no design spec."""

    async def generate(
        self, request: GenerationRequest, progress: ProgressCallback, cancel: CancelToken
    ) -> GenerationResult:
        self.calls += 1
        images = [
            GeneratedImage(
                noise_png(request.width, request.height, i), request.width, request.height, request.output_format
            )
            for i in range(request.n)
        ]
        return GenerationResult(images=images, engine=self.name, model=self.name)


async def test_a_noisy_engine_output_shows_low_adherence_on_the_job(client: httpx.AsyncClient, app: FastAPI) -> None:
    app.state.runtime.router.register(NoisyEngine("noisy"), models=["noisy-model"])
    headers = {"X-API-Key": await create_key(client, await register(client))}
    body = {
        "prompt": "logo for 'Glass' studio",
        "model": "noisy-model",
        "size": "256x256",
        "constraints": {"palette_hex": [GREEN, CREAM], "fonts": [], "logo_safe_zone_pct": 10},
    }
    created = await client.post("/v1/generations", json=body, headers={**headers, "Prefer": "wait=60"})
    job = (await client.get(f"/v1/generations/{created.json()['id']}", headers=headers)).json()
    assert job["status"] == "succeeded" and job["engine"] == "noisy", job
    [report] = job["fidelity"]
    assert report["palette_adherence"] is not None and report["palette_adherence"] < 0.05, report
    # no spec background: the margin is measured against the border, and noise fills it
    assert report["background_source"] == "border" and report["safe_zone_violations"] > 0
