"""A test-only engine for edits and variations: it transforms the input image it was given
(so a test can see the upload reached the engine) and records what it received."""

from __future__ import annotations

import io
from decimal import Decimal

from PIL import Image, ImageOps

from atelier.engines.base import (
    CancelToken,
    Capabilities,
    GeneratedImage,
    GenerationRequest,
    GenerationResult,
    ProgressCallback,
    Task,
)


class InvertingEngine:
    name = "test-inverter"

    def __init__(self) -> None:
        self.requests: list[GenerationRequest] = []

    def capabilities(self) -> Capabilities:
        return Capabilities(tasks=frozenset({Task.EDIT, Task.VARIATIONS}), max_n=4)

    def price_per_image(self, request: GenerationRequest) -> Decimal:
        return Decimal("0.01")

    async def health(self) -> str:
        return "healthy"

    async def generate(
        self, request: GenerationRequest, progress: ProgressCallback, cancel: CancelToken
    ) -> GenerationResult:
        self.requests.append(request)
        source = Image.open(io.BytesIO(request.references[0])).convert("RGB")
        images = []
        for _ in range(request.n):
            out = io.BytesIO()
            ImageOps.invert(source).resize((request.width, request.height)).save(out, "PNG")
            images.append(GeneratedImage(out.getvalue(), request.width, request.height, request.output_format))
            await progress(len(images) / request.n, "invert")
        return GenerationResult(images=images, engine=self.name, model=self.name)
