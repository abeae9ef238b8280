"""Atelier's built-in design engine: prompt + brand constraints → design spec → SVG → raster.

Offline and deterministic: no model weights, no network, the same prompt and seed give the
same bytes. :func:`render` is the whole pipeline; :func:`rerender` draws a stored spec again
at another size or format."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from atelier.design import fonts, layouts, motifs, typeset
from atelier.design import palette as palettes
from atelier.design.brief import Brief, understand
from atelier.design.colors import normalize_hex
from atelier.design.compose import compose
from atelier.design.render import FORMATS, check_spec, encode, rasterize, to_svg

MIN_SIDE = 16
MAX_SIDE = 2048


@dataclass(frozen=True)
class Rendered:
    data: bytes
    fmt: str
    width: int
    height: int
    spec: dict[str, Any]
    svg: str
    #: What was asked and could not be honoured exactly (a substituted font, a too-weak palette…).
    notes: list[str] = field(default_factory=list)


def seed_for(prompt: str) -> int:
    """A stable seed from the prompt, for requests that give none."""
    return int.from_bytes(hashlib.sha256(prompt.encode("utf-8", "replace")).digest()[:4], "big")


def _check_output(width: int, height: int, fmt: str) -> None:
    for name, value in (("width", width), ("height", height)):
        if not MIN_SIDE <= value <= MAX_SIDE:
            raise ValueError(f"{name} must be between {MIN_SIDE} and {MAX_SIDE} pixels, got {value}")
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")


def render(
    prompt: str,
    *,
    width: int = 1024,
    height: int = 1024,
    fmt: str = "png",
    seed: int | None = None,
    variation: int = 0,
    style: str | None = None,
    design_type: str | None = None,
    palette_hex: list[str] | tuple[str, ...] = (),
    font_families: list[str] | tuple[str, ...] = (),
    safe_zone_pct: float = 0.0,
    transparent: bool = False,
) -> Rendered:
    """One design for ``prompt``. ``palette_hex`` restricts colours to exactly those;
    ``font_families`` asks for families (the closest shipped one when absent, with a note);
    ``safe_zone_pct`` keeps that share of each side empty. ValueError on invalid arguments."""
    _check_output(width, height, fmt)
    if not 0 <= safe_zone_pct <= 45:
        raise ValueError("safe_zone_pct must be between 0 and 45")
    seed = seed_for(prompt) if seed is None else int(seed)
    brief = understand(prompt, width, height, design_type=design_type, style=style)
    notes: list[str] = []
    if palette_hex:
        palette = palettes.from_constraint(list(palette_hex), variation)
    else:
        palette = palettes.build(
            brief.style,
            brief.mood,
            brief.colors,
            seed,
            variation,
            hues=palettes.CONCEPT_HUES.get(motifs.concept_for(brief.subject_words) or "", ()),
            hint_colors=brief.hint_colors,
            ground=brief.ground_color,
        )
    notes.extend(palette.notes)
    pairing, font_notes = fonts.resolve(list(font_families), fonts.pairing_for(brief.style, variation))
    notes.extend(font_notes)
    if transparent and fmt == "jpeg":
        notes.append("jpeg has no transparency; the palette background was used instead")
    spec = compose(
        brief,
        width=width,
        height=height,
        palette=palette,
        pairing=pairing,
        seed=seed,
        variation=variation,
        safe_zone_pct=safe_zone_pct,
        transparent=transparent,
        brand_colours=tuple(normalize_hex(c) for c in palette_hex),
    )
    notes.extend(spec.pop("copy_notes"))
    notes.extend(_unset_characters(brief, pairing))
    spec["inputs"] = {
        "prompt": prompt,
        "seed": seed,
        "variation": variation,
        "style": style,
        "design_type": design_type,
        "palette_hex": list(palette_hex),
        "font_families": list(font_families),
        "safe_zone_pct": safe_zone_pct,
        "transparent": transparent,
    }
    spec["notes"] = notes
    svg = to_svg(spec)
    data = _raster(spec, svg, width, height, fmt)
    return Rendered(data=data, fmt=fmt, width=width, height=height, spec=spec, svg=svg, notes=notes)


def _unset_characters(brief: Brief, pairing: fonts.Pairing) -> list[str]:
    """Notes for the characters of the text that the fonts cannot set (CJK, emoji…): they are
    left out of the design, which must be said rather than done silently."""
    notes = []
    lines = [("headline", brief.headline, True), ("subline", brief.subline, False)]
    lines += [(role, text, layouts.is_head(role)) for role, text in brief.lines]
    for role, text, head in lines:
        family, weight = (pairing.head, pairing.head_weight) if head else (pairing.body, pairing.body_weight)
        lost = typeset.missing(text or "", family, weight)
        if not lost:
            continue
        where = (
            "no shipped font has them"
            if not any(typeset.in_some_shipped_font(ch) for ch in lost)
            else f"the font '{family}' has no glyphs for them"
        )
        notes.append(f"{role} characters {lost[:40]!r} were left out of the design: {where}")
    return notes


def _raster(spec: dict[str, Any], svg: str, width: int, height: int, fmt: str) -> bytes:
    canvas = spec["canvas"]
    pixels = rasterize(
        svg, source_width=int(canvas["width"]), source_height=int(canvas["height"]), width=width, height=height
    )
    transparent = canvas.get("background") is None
    return encode(pixels, fmt, alpha=transparent, matte=canvas.get("background") or spec["palette"]["background"])


def rerender(spec: dict[str, Any], *, width: int, height: int, fmt: str = "png") -> bytes:
    """A stored spec drawn again at ``width`` × ``height``. The same shape scales the drawing;
    another aspect ratio lays the design out anew from the spec's inputs (same seed)."""
    check_spec(spec)
    _check_output(width, height, fmt)
    canvas = spec["canvas"]
    same_shape = abs(width / height - canvas["width"] / canvas["height"]) < 0.01
    inputs = spec.get("inputs")
    if not same_shape and isinstance(inputs, dict) and isinstance(inputs.get("prompt"), str):
        return render(
            inputs["prompt"],
            width=width,
            height=height,
            fmt=fmt,
            seed=int(inputs.get("seed") or 0),
            variation=int(inputs.get("variation") or 0),
            style=inputs.get("style"),
            design_type=inputs.get("design_type"),
            palette_hex=list(inputs.get("palette_hex") or ()),
            font_families=list(inputs.get("font_families") or ()),
            safe_zone_pct=float(inputs.get("safe_zone_pct") or 0.0),
            transparent=bool(inputs.get("transparent")),
        ).data
    return _raster(spec, to_svg(spec), width, height, fmt)


def svg_of(spec: dict[str, Any]) -> str:
    """The SVG of a stored (possibly edited) spec; ValueError when the spec is invalid."""
    check_spec(spec)
    return to_svg(spec)


__all__ = ["MAX_SIDE", "MIN_SIDE", "Rendered", "check_spec", "render", "rerender", "seed_for", "svg_of"]
