"""Small engines for router tests: each renders a real (tiny) PNG or fails as told."""

from __future__ import annotations

import io
from collections import deque
from decimal import Decimal

from PIL import Image

from atelier.engines.base import (
    CancelToken,
    Capabilities,
    GeneratedImage,
    GenerationRequest,
    GenerationResult,
    OutputFormat,
    ProgressCallback,
    Task,
)
from atelier.kit.errors import EngineError


class ScriptedEngine:
    """Fails with the queued errors (or ``always``), otherwise renders solid images."""

    def __init__(
        self,
        name: str,
        *,
        price: str = "0.04",
        tasks: frozenset[Task] = frozenset({Task.GENERATE}),
        always: EngineError | None = None,
        max_n: int = 4,
        output: str = "image",
    ) -> None:
        self.name = name
        self.price = Decimal(price)
        self.tasks = tasks
        self.always = always
        self.script: deque[EngineError] = deque()
        self.max_n = max_n
        self.output = output
        self.calls = 0

    def capabilities(self) -> Capabilities:
        return Capabilities(tasks=self.tasks, max_n=self.max_n, max_side=1024, output=self.output)

    def price_per_image(self, request: GenerationRequest) -> Decimal:
        return self.price

    async def health(self) -> str:
        return "healthy"

    async def generate(
        self, request: GenerationRequest, progress: ProgressCallback, cancel: CancelToken
    ) -> GenerationResult:
        self.calls += 1
        cancel.raise_if_cancelled()
        if self.script:
            raise self.script.popleft()
        if self.always is not None:
            raise self.always
        out = io.BytesIO()
        Image.new("RGB", (request.width, request.height), (9, 99, 199)).save(out, "PNG")
        image = GeneratedImage(out.getvalue(), request.width, request.height, OutputFormat.PNG)
        await progress(1.0, "done")
        return GenerationResult(images=[image] * request.n, engine=self.name, model=self.name)


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


class RecordingSleep:
    """Records each backoff delay and moves the fake clock instead of waiting."""

    def __init__(self, clock: FakeClock | None = None) -> None:
        self.delays: list[float] = []
        self.clock = clock

    async def __call__(self, delay: float) -> None:
        self.delays.append(delay)
        if self.clock is not None:
            self.clock.advance(delay)
