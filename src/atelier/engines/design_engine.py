"""The built-in design engine as an Engine: offline, no weights, honours brand constraints."""

from __future__ import annotations

import asyncio
import secrets
from decimal import Decimal

from atelier import design
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

ENGINE_NAME = "atelier-design"


class DesignEngine:
    name = ENGINE_NAME

    def capabilities(self) -> Capabilities:
        return Capabilities(
            tasks=frozenset({Task.GENERATE}),
            max_n=10,
            max_side=2048,
            min_side=64,
            transparent_background=True,
        )

    def price_per_image(self, request: GenerationRequest) -> Decimal:
        return Decimal("0")

    async def health(self) -> str:
        return "healthy"

    async def generate(
        self, request: GenerationRequest, progress: ProgressCallback, cancel: CancelToken
    ) -> GenerationResult:
        constraints = request.constraints
        images: list[GeneratedImage] = []
        notes: list[str] = []
        # like a model's: a request without a seed draws one, reported so it can be passed back
        seed = request.seed if request.seed is not None else secrets.randbelow(2**32)
        for index in range(request.n):
            cancel.raise_if_cancelled()
            rendered = await asyncio.to_thread(
                design.render,
                request.prompt,
                width=request.width,
                height=request.height,
                fmt=request.output_format.value,
                seed=seed,
                variation=index,
                style=request.style,
                design_type=request.extra.get("design_type"),
                palette_hex=constraints.palette_hex if constraints else (),
                font_families=constraints.fonts if constraints else (),
                safe_zone_pct=constraints.logo_safe_zone_pct if constraints else 0.0,
                transparent=request.background == "transparent",
            )
            images.append(
                GeneratedImage(
                    data=rendered.data,
                    width=rendered.width,
                    height=rendered.height,
                    format=OutputFormat(rendered.fmt),
                    revised_prompt=None,
                    spec=rendered.spec,
                )
            )
            notes.extend(n for n in rendered.notes if n not in notes)
            await progress((index + 1) / request.n, "render")
        return GenerationResult(
            images=images,
            engine=self.name,
            model=ENGINE_NAME,
            cost_usd=Decimal("0"),
            usage={"seed": seed},
            notes=notes,
        )
