"""The built-in design engine as an Engine: offline, no weights, honours brand constraints.

It generates, edits (a design laid out around the given image; with a mask, drawn only in
the mask's transparent area) and makes variations (of an Atelier image: its stored spec,
which the job runner looks up and passes as :data:`SOURCE_SPEC`; of any other image: the
layout around it). See :mod:`atelier.design.imagery`.

Asked for partial images (OpenAI's streaming), it draws its first design's layers
progressively from the design's spec: the background, then the marks (shapes and icon),
then the text one block at a time; the finished design is the final image."""

from __future__ import annotations

import asyncio
import secrets
from decimal import Decimal
from typing import Any

from atelier import design
from atelier.design import imagery
from atelier.engines.base import (
    CancelToken,
    Capabilities,
    GeneratedImage,
    GenerationRequest,
    GenerationResult,
    OutputFormat,
    ProgressCallback,
    Task,
    partials_wanted,
    report_partial,
)

ENGINE_NAME = "atelier-design"
#: ``GenerationRequest.extra`` key: the stored spec of the Atelier asset a variation starts from.
SOURCE_SPEC = "atelier_source_spec"


class DesignEngine:
    name = ENGINE_NAME

    def capabilities(self) -> Capabilities:
        return Capabilities(
            tasks=frozenset({Task.GENERATE, Task.EDIT, Task.VARIATIONS}),
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
        if request.task != Task.GENERATE:
            return await self._from_image(request, progress, cancel, seed)
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
            if index == 0:
                await _report_partials(rendered.spec, request, cancel)
            await progress((index + 1) / request.n, "render")
        return GenerationResult(
            images=images,
            engine=self.name,
            model=ENGINE_NAME,
            cost_usd=Decimal("0"),
            usage={"seed": seed},
            notes=notes,
        )

    async def _from_image(
        self, request: GenerationRequest, progress: ProgressCallback, cancel: CancelToken, seed: int
    ) -> GenerationResult:
        """An edit or a variation of ``request.references[0]``."""
        constraints = request.constraints
        palette = constraints.palette_hex if constraints else ()
        families = constraints.fonts if constraints else ()
        image = request.references[0]
        notes: list[str] = []
        if len(request.references) > 1:
            notes.append(f"only the first input image was used; {len(request.references) - 1} more were not placed")
        source_spec = request.extra.get(SOURCE_SPEC)
        images: list[GeneratedImage] = []
        for index in range(request.n):
            cancel.raise_if_cancelled()
            if request.task == Task.EDIT:
                made = await asyncio.to_thread(
                    imagery.edit, request.prompt, image, request.mask, width=request.width, height=request.height,
                    fmt=request.output_format.value, seed=seed, variation=index, style=request.style,
                    palette_hex=palette, font_families=families,
                )  # fmt: skip
            else:
                made = await asyncio.to_thread(
                    imagery.vary, image, source_spec if isinstance(source_spec, dict) else None,
                    prompt=request.prompt, width=request.width, height=request.height,
                    fmt=request.output_format.value, seed=seed, index=index, palette_hex=palette,
                    font_families=families,
                )  # fmt: skip
            images.append(
                GeneratedImage(
                    data=made.data, width=made.width, height=made.height, format=request.output_format, spec=made.spec
                )
            )
            notes.extend(n for n in made.notes if n not in notes)
            await progress((index + 1) / request.n, request.task.value)
        return GenerationResult(
            images=images, engine=self.name, model=ENGINE_NAME, cost_usd=Decimal("0"), usage={"seed": seed}, notes=notes
        )


def layer_stages(spec: dict[str, Any], wanted: int) -> list[dict[str, Any]]:
    """Up to ``wanted`` specs drawing a growing part of ``spec``'s layers (background, then
    marks, then each text block), each different from the one before and from the whole."""
    layers: list[dict[str, Any]] = list(spec["layers"])
    marks = [layer for layer in layers if layer.get("type") != "text"]
    texts = [layer for layer in layers if layer.get("type") == "text"]
    cuts = [[], marks, *(marks + texts[:count] for count in range(1, len(texts) + 1))]
    stages: list[dict[str, Any]] = []
    drawn = -1
    for cut in cuts:
        if len(stages) == wanted:
            break
        if len(cut) == drawn or len(cut) == len(layers):
            continue  # nothing new, or the finished design (that is the final image)
        drawn = len(cut)
        stages.append({**spec, "layers": cut})
    return stages


async def _report_partials(spec: dict[str, Any], request: GenerationRequest, cancel: CancelToken) -> None:
    for index, stage in enumerate(layer_stages(spec, partials_wanted(request))):
        cancel.raise_if_cancelled()
        fmt = request.output_format
        data = await asyncio.to_thread(
            design.rerender, stage, width=request.width, height=request.height, fmt=fmt.value
        )
        await report_partial(index, data, fmt)
