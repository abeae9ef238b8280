"""A design laid out around a given image: a photo as the hero (cropped to fill its slot), a
logo placed whole in its slot, and the brief's copy set in the rest of the canvas. The
variation walks through the arrangements, so variations of an image move the layout."""

from __future__ import annotations

from typing import Any

from atelier.design import fonts
from atelier.design import palette as palettes
from atelier.design.boxes import Box, height_of, inset, rounded, split_h, split_v, width_of
from atelier.design.brief import understand
from atelier.design.composer import Composer
from atelier.design.copy import lines_of
from atelier.design.coverage import copy_report
from atelier.design.imagery.source import Source
from atelier.design.roles import TextItem

#: arrangements per kind of image; wide canvases take the side-by-side ones first
ARRANGEMENTS = {
    "photo": ("hero-top", "hero-side", "hero-framed", "hero-bottom"),
    "logo": ("logo-top", "logo-side", "logo-centre"),
}
_HEAD = ("headline", "offer")


def _items(prompt_copy: dict[str, str]) -> list[TextItem]:
    shares = {"headline": 3.0, "subline": 1.4, "offer": 1.5}
    return [
        TextItem(role, text, shares.get(role, 1.0), head=role in _HEAD, max_lines=2 if role in shares else 1)
        for role, text in prompt_copy.items()
        if text
    ]


def _boxes(arrangement: str, frame: Box, wide: bool, has_text: bool) -> tuple[Box, Box | None]:
    """The image slot and the text box of an arrangement (no text: the image takes the frame)."""
    gap = min(width_of(frame), height_of(frame)) * 0.05
    if not has_text:
        return (inset(frame, gap * 0.4) if arrangement.endswith("framed") else frame), None
    if arrangement in ("hero-side", "logo-side") or (wide and arrangement != "logo-centre"):
        left, right = split_h(frame, 0.52 if arrangement.startswith("hero") else 0.38, gap)
        return (right, left) if arrangement == "hero-bottom" else (left, right)
    if arrangement == "hero-bottom":
        text, slot = split_v(frame, 0.36, gap)
        return slot, text
    if arrangement == "logo-centre":
        slot, text = split_v(frame, 0.5, gap)
        return inset(slot, width_of(slot) * 0.2, height_of(slot) * 0.08), text
    frac = 0.6 if arrangement.startswith("hero") else 0.42
    slot, text = split_v(frame, frac, gap)
    return slot, text


def layout_around(
    prompt: str,
    source: Source,
    *,
    width: int,
    height: int,
    seed: int,
    variation: int,
    style: str | None,
    palette_hex: list[str] | tuple[str, ...],
    font_families: list[str] | tuple[str, ...],
) -> tuple[dict[str, Any], Box, list[str]]:
    """The spec of a design around ``source``, its image slot, and notes."""
    brief = understand(prompt or "design", width, height, style=style)
    notes: list[str] = []
    if palette_hex:
        palette = palettes.from_constraint(list(palette_hex), variation)
    else:
        palette = palettes.build(brief.style, brief.mood, source.colours[:2], seed, variation)
    notes.extend(palette.notes)
    pairing, font_notes = fonts.resolve(list(font_families), fonts.pairing_for(brief.style, variation))
    notes.extend(font_notes)
    options = ARRANGEMENTS[source.kind]
    arrangement = options[(seed + variation) % len(options)]
    wide = width / height > 1.4
    margin = min(width, height) * 0.07
    full: Box = (0, 0, width, height)
    frame: Box = inset(full, margin)
    items = _items(lines_of(brief.copy))
    hero_full = source.kind == "photo" and arrangement == "hero-top" and not items
    slot, text_box = _boxes(arrangement, full if hero_full else frame, wide, bool(items))
    composer = Composer(
        width=width, height=height, palette=palette, pairing=pairing, motif=None, monogram="", frame=frame, bleed=full
    )
    if arrangement == "hero-framed" or source.kind == "logo":
        composer.rect(inset(slot, -margin * 0.25), palette.surface, radius=margin * 0.3)
    composer.rect(slot, palette.surface)
    if text_box is not None:
        composer.text_block(text_box, items, palette.background, align="left" if wide else "center")
    copy, copy_notes = copy_report(
        brief, composer.layers, composer.tried, layout=arrangement, width=width, height=height
    )
    notes.extend(copy_notes)
    spec = {
        "version": 1,
        "design_type": f"{source.kind} layout",
        "layout": arrangement,
        "treatment": "image",
        "style": brief.style,
        "mood": brief.mood,
        "subject": brief.subject,
        "motif": None,
        "motif_concept": None,
        "mark": source.kind,
        "icon_set": None,
        "canvas": {"width": width, "height": height, "background": palette.background, "safe_zone_pct": 0.0},
        "palette": palette.to_dict(),
        "fonts": pairing.to_spec(),
        "layers": composer.layers,
        "copy": copy,
        "image_slot": {
            "box": rounded(slot),
            "kind": source.kind,
            "fit": "cover" if source.kind == "photo" else "contain",
        },
    }
    return spec, slot, notes
