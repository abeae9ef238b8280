"""Images in: edits and variations by the design engine.

- An edit with a mask draws the brief only where the mask is fully transparent (laid out in
  that area's bounding box) and keeps every other pixel of the image exactly.
- An edit without a mask lays a design out around the image: a photo as the hero, a logo
  placed whole in its slot, the brief's copy in the rest.
- A variation of an image Atelier made varies its stored spec (the caller looks the spec up
  by the asset id the image carries); of any other image, it varies the layout around it."""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from PIL import Image

from atelier import design
from atelier.design.imagery.layout import layout_around
from atelier.design.imagery.source import Source, decode, fitted, load
from atelier.design.render import encode, rasterize, to_svg


@dataclass(frozen=True)
class Edited:
    data: bytes
    width: int
    height: int
    spec: dict[str, Any]
    notes: list[str] = field(default_factory=list)


def _fingerprint(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:16]


def _mask_area(mask: bytes, width: int, height: int) -> tuple[np.ndarray, list[str]]:
    """Where the mask lets the design draw (alpha 0), at the canvas size."""
    notes: list[str] = []
    image = Image.open(io.BytesIO(mask))
    image.load()
    if "A" not in image.getbands() and "transparency" not in image.info:
        notes.append("the mask has no alpha channel, so no area is transparent: the image was kept as it is")
    rgba = image.convert("RGBA")
    if rgba.size != (width, height):
        notes.append(f"the mask was scaled from {rgba.width}×{rgba.height} to {width}×{height}")
        rgba = rgba.resize((width, height), Image.Resampling.NEAREST)
    return np.asarray(rgba)[:, :, 3] == 0, notes


def _resized_note(source: Source, data: bytes, width: int, height: int) -> list[str]:
    if not source.resized:
        return []
    original = Image.open(io.BytesIO(data)).size
    return [f"the image was scaled from {original[0]}×{original[1]} to {width}×{height} (the size asked for)"]


def edit(
    prompt: str,
    image: bytes,
    mask: bytes | None,
    *,
    width: int,
    height: int,
    fmt: str = "png",
    seed: int,
    variation: int = 0,
    style: str | None = None,
    palette_hex: list[str] | tuple[str, ...] = (),
    font_families: list[str] | tuple[str, ...] = (),
) -> Edited:
    source = load(image, width, height)
    notes = _resized_note(source, image, width, height)
    base = (
        source.pixels
        if not source.resized
        else np.asarray(decode(image).resize((width, height), Image.Resampling.LANCZOS))
    )
    if mask is not None:
        return _masked(
            prompt, base, mask, width, height, fmt, seed, variation, style, palette_hex, font_families, notes, image
        )
    spec, slot, layout_notes = layout_around(
        prompt, source, width=width, height=height, seed=seed, variation=variation, style=style,
        palette_hex=palette_hex, font_families=font_families,
    )  # fmt: skip
    spec["source_image"] = {"sha256": _fingerprint(image), "kind": source.kind}
    pixels = rasterize(to_svg(spec), source_width=width, source_height=height, width=width, height=height)
    x0, y0, x1, y1 = (round(v) for v in slot)
    placed = fitted(source.pixels, x1 - x0, y1 - y0, cover=source.kind == "photo")
    region = Image.fromarray(pixels[y0:y1, x0:x1].copy())
    region.alpha_composite(Image.fromarray(placed))
    out = pixels.copy()
    out[y0:y1, x0:x1] = np.asarray(region)
    notes.extend(layout_notes)
    spec["notes"] = notes
    data = encode(out, fmt, alpha=False, matte=None)
    return Edited(data, width, height, spec, notes)


def _masked(
    prompt: str,
    base: np.ndarray,
    mask: bytes,
    width: int,
    height: int,
    fmt: str,
    seed: int,
    variation: int,
    style: str | None,
    palette_hex: list[str] | tuple[str, ...],
    font_families: list[str] | tuple[str, ...],
    notes: list[str],
    image: bytes,
) -> Edited:
    area, mask_notes = _mask_area(mask, width, height)
    notes.extend(mask_notes)
    out = base.copy()
    spec: dict[str, Any] = {"edit": {"mode": "mask", "box": None}, "source_image": {"sha256": _fingerprint(image)}}
    rows, cols = np.nonzero(area)
    if len(rows):
        y0, y1, x0, x1 = int(rows.min()), int(rows.max()) + 1, int(cols.min()), int(cols.max()) + 1
        w, h = max(design.MIN_SIDE, x1 - x0), max(design.MIN_SIDE, y1 - y0)
        drawn = design.render(
            prompt, width=w, height=h, fmt="png", seed=seed, variation=variation, style=style,
            palette_hex=palette_hex, font_families=font_families,
        )  # fmt: skip
        patch = np.asarray(Image.open(io.BytesIO(drawn.data)).convert("RGBA"))[: y1 - y0, : x1 - x0]
        inside = area[y0:y1, x0:x1]
        region = out[y0:y1, x0:x1]
        region[inside] = patch[inside]
        spec = {
            **drawn.spec,
            "edit": {"mode": "mask", "box": [x0, y0, x1, y1]},
            **{"source_image": spec["source_image"]},
        }
        notes.extend(drawn.notes)
    alpha = bool((out[:, :, 3] < 255).any())
    data = encode(out, fmt, alpha=alpha, matte="#FFFFFF")
    spec["notes"] = notes
    return Edited(data, width, height, spec, notes)


def vary(
    image: bytes,
    source_spec: dict[str, Any] | None,
    *,
    prompt: str,
    width: int,
    height: int,
    fmt: str,
    seed: int,
    index: int,
    palette_hex: list[str] | tuple[str, ...] = (),
    font_families: list[str] | tuple[str, ...] = (),
) -> Edited:
    """Variation ``index`` (0-based) of ``image``."""
    inputs = (source_spec or {}).get("inputs")
    if isinstance(inputs, dict) and isinstance(inputs.get("prompt"), str):
        rendered = design.render(
            inputs["prompt"],
            width=width,
            height=height,
            fmt=fmt,
            seed=int(inputs.get("seed") or 0),
            variation=int(inputs.get("variation") or 0) + 1 + index,
            style=inputs.get("style"),
            design_type=inputs.get("design_type"),
            palette_hex=list(palette_hex or inputs.get("palette_hex") or ()),
            font_families=list(font_families or inputs.get("font_families") or ()),
            safe_zone_pct=float(inputs.get("safe_zone_pct") or 0.0),
            transparent=bool(inputs.get("transparent")),
        )
        notes = ["a variation of an Atelier design: its stored spec drawn with the next variation", *rendered.notes]
        return Edited(rendered.data, width, height, {**rendered.spec, "varied_from": "stored spec"}, notes)
    edited = edit(
        prompt, image, None, width=width, height=height, fmt=fmt, seed=seed, variation=index,
        palette_hex=palette_hex, font_families=font_families,
    )  # fmt: skip
    notes = ["a variation of an outside image: the layout around it varies, the image itself is kept", *edited.notes]
    return Edited(edited.data, width, height, {**edited.spec, "varied_from": "layout"}, notes)


__all__ = ["Edited", "edit", "vary"]
