"""OpenAI's streaming image responses through the official SDK against a live Atelier:
partial images as the engine renders them, then the completed image."""

from __future__ import annotations

import base64
import io
import threading
import time
from decimal import Decimal

import httpx
from PIL import Image, ImageOps

from atelier.engines.base import (
    CancelToken,
    Capabilities,
    GeneratedImage,
    GenerationRequest,
    GenerationResult,
    ProgressCallback,
    Task,
    partials_wanted,
    report_partial,
)
from atelier.kit.context import current_job_id
from atelier.kit.errors import JobCanceled
from tests.helpers.engines import solid_png
from tests.openai_api.conftest import Served
from tests.openai_api.engines import InvertingEngine
from tests.openai_api.test_openai_sdk import sdk_for


def png(b64: str) -> Image.Image:
    image = Image.open(io.BytesIO(base64.b64decode(b64)))
    assert image.format == "PNG"
    return image


class PartialInverter:
    """An edit engine with partial renders: the input inverted a band at a time."""

    name = "test-partial-inverter"

    def capabilities(self) -> Capabilities:
        return Capabilities(tasks=frozenset({Task.EDIT}), max_n=1)

    def price_per_image(self, request: GenerationRequest) -> Decimal:
        return Decimal("0.01")

    async def health(self) -> str:
        return "healthy"

    async def generate(
        self, request: GenerationRequest, progress: ProgressCallback, cancel: CancelToken
    ) -> GenerationResult:
        source = Image.open(io.BytesIO(request.references[0])).convert("RGB").resize((request.width, request.height))
        inverted = ImageOps.invert(source)
        wanted = partials_wanted(request)
        for index in range(wanted):
            band = source.copy()
            rows = request.height * (index + 1) // (wanted + 1)
            band.paste(inverted.crop((0, 0, request.width, rows)), (0, 0))
            out = io.BytesIO()
            band.save(out, "PNG")
            await report_partial(index, out.getvalue(), request.output_format)
        out = io.BytesIO()
        inverted.save(out, "PNG")
        image = GeneratedImage(out.getvalue(), request.width, request.height, request.output_format)
        return GenerationResult(images=[image], engine=self.name, model=self.name)


def test_generate_streams_the_design_engines_partial_renders_then_the_image(served: Served) -> None:
    stream = sdk_for(served).images.generate(
        model="gpt-image-1", prompt="logo for 'Orbit' studio", size="256x256", stream=True, partial_images=2
    )
    events = list(stream)
    partials = [event for event in events if event.type == "image_generation.partial_image"]
    assert [event.partial_image_index for event in partials] == [0, 1]
    assert events[-1].type == "image_generation.completed" and len(events) == 3
    completed = events[-1]
    final = png(completed.b64_json)
    assert final.size == (256, 256)
    assert completed.size == "256x256" and completed.output_format == "png"
    assert completed.usage.total_tokens == 0
    images = [png(event.b64_json).convert("RGBA").tobytes() for event in partials]
    assert images[0] != images[1] != final.convert("RGBA").tobytes()
    # the background alone has one colour; the marks add others
    assert len(set(png(partials[0].b64_json).convert("RGBA").getdata())) == 1
    assert len(set(png(partials[1].b64_json).convert("RGBA").getdata())) > 1


def test_edit_streams_the_engines_partials_then_the_image(served: Served) -> None:
    served.runtime.router.register(PartialInverter(), models=["test-partial-inverter"])
    stream = sdk_for(served).images.edit(
        model="test-partial-inverter",
        image=("in.png", solid_png(64, 64, (10, 200, 40)), "image/png"),
        prompt="invert it",
        size="256x256",
        stream=True,
        partial_images=2,
    )
    events = list(stream)
    assert [event.type for event in events] == ["image_edit.partial_image"] * 2 + ["image_edit.completed"]
    assert [getattr(event, "partial_image_index", None) for event in events[:2]] == [0, 1]
    first, second, final = (png(event.b64_json).convert("RGB") for event in events)
    assert first.getpixel((5, 5)) == (245, 55, 215) and first.getpixel((5, 250)) == (10, 200, 40)
    assert second.getpixel((5, 150)) == (245, 55, 215) and second.getpixel((5, 250)) == (10, 200, 40)
    assert final.getpixel((5, 250)) == (245, 55, 215)


def test_an_engine_without_partials_sends_only_the_completed_event(served: Served) -> None:
    served.runtime.router.register(InvertingEngine(), models=["test-inverter"])
    events = list(
        sdk_for(served).images.edit(
            model="test-inverter",
            image=("in.png", solid_png(64, 64, (10, 200, 40)), "image/png"),
            prompt="invert it",
            size="128x128",
            stream=True,
            partial_images=3,
        )
    )
    assert [event.type for event in events] == ["image_edit.completed"]
    assert png(events[0].b64_json).convert("RGB").getpixel((5, 5)) == (245, 55, 215)


def test_without_partial_images_the_design_engine_sends_only_the_image(served: Served) -> None:
    events = list(
        sdk_for(served).images.generate(model="gpt-image-1", prompt="badge for 'Kite'", size="128x128", stream=True)
    )
    assert [event.type for event in events] == ["image_generation.completed"]


class UntilCanceled:
    """Runs until its job is canceled; remembers which job that was."""

    name = "test-until-canceled"

    def __init__(self) -> None:
        self.started = threading.Event()
        self.job_id: str | None = None

    def capabilities(self) -> Capabilities:
        return Capabilities(tasks=frozenset({Task.GENERATE}), max_n=1)

    def price_per_image(self, request: GenerationRequest) -> Decimal:
        return Decimal("0")

    async def health(self) -> str:
        return "healthy"

    async def generate(
        self, request: GenerationRequest, progress: ProgressCallback, cancel: CancelToken
    ) -> GenerationResult:
        self.job_id = current_job_id()
        self.started.set()
        await cancel.wait()
        raise JobCanceled()


def test_a_client_leaving_the_stream_cancels_its_job(served: Served) -> None:
    engine = UntilCanceled()
    served.runtime.router.register(engine, models=["test-until-canceled"])
    headers = {"Authorization": f"Bearer {served.key}"}
    body = {"model": "test-until-canceled", "prompt": "x", "size": "64x64", "stream": True}
    with httpx.Client(base_url=served.url, headers=headers) as client:
        with client.stream("POST", "/v1/images/generations", json=body) as response:
            assert response.headers["content-type"].startswith("text/event-stream")
            assert engine.started.wait(30)
        # the client has gone: its job is asked to stop, and ends canceled
        status = None
        for _ in range(300):
            status = client.get(f"/v1/generations/{engine.job_id}").json()["status"]
            if status != "processing":
                break
            time.sleep(0.05)
        assert status == "canceled"
