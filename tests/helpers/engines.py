"""Test-only engines, registered by tests on a running app; never reachable by default."""

from __future__ import annotations

import asyncio
import io
from decimal import Decimal

from PIL import Image

from atelier.engines.base import (
    CancelToken,
    Capabilities,
    GeneratedImage,
    GenerationRequest,
    GenerationResult,
    ProgressCallback,
    Task,
)
from atelier.kit.errors import PermanentEngineError, RetriableEngineError


def solid_png(width: int, height: int, color: tuple[int, int, int] = (200, 30, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), color).save(out, "PNG")
    return out.getvalue()


class SlowEngine:
    """Renders solid images in steps, honouring cancellation; optionally fails."""

    def __init__(
        self,
        name: str = "test-slow",
        *,
        steps: int = 5,
        delay: float = 0.01,
        fail: str | None = None,
        price: str = "0.05",
    ) -> None:
        self.name = name
        self.steps = steps
        self.delay = delay
        self.fail = fail
        self.price = Decimal(price)
        self.calls = 0

    def capabilities(self) -> Capabilities:
        return Capabilities(tasks=frozenset({Task.GENERATE, Task.EDIT, Task.VARIATIONS}), max_n=10)

    def price_per_image(self, request: GenerationRequest) -> Decimal:
        return self.price

    async def health(self) -> str:
        return "healthy"

    async def generate(
        self, request: GenerationRequest, progress: ProgressCallback, cancel: CancelToken
    ) -> GenerationResult:
        self.calls += 1
        for step in range(self.steps):
            cancel.raise_if_cancelled()
            await asyncio.sleep(self.delay)
            await progress((step + 1) / self.steps, "step")
        if self.fail == "retriable":
            raise RetriableEngineError("upstream 503")
        if self.fail == "permanent":
            raise PermanentEngineError("bad request upstream")
        images = [
            GeneratedImage(
                solid_png(request.width, request.height), request.width, request.height, request.output_format
            )
            for _ in range(request.n)
        ]
        return GenerationResult(images=images, engine=self.name, model=self.name)
