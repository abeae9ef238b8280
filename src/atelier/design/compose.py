"""From a brief to a design spec: a layout per design type (chosen by seed and variation),
a grid and margins proportional to the canvas, a motif or a typographic mark, and text boxes
the typesetter fits with real font metrics.

The spec is plain JSON: a canvas, a palette, and layers (rect, ellipse, ring, icon, text) in
canvas pixels. It is everything the renderer needs, so a stored spec re-renders at another
size or after an edit without the prompt."""

from __future__ import annotations

import re
from typing import Any

from atelier.design import formats, motifs, scenes
from atelier.design.boxes import Box
from atelier.design.brief import Brief
from atelier.design.composer import TREATMENTS, Composer
from atelier.design.coverage import copy_report
from atelier.design.fonts import Pairing
from atelier.design.layouts import COMPOSERS, LAYOUTS
from atelier.design.palette import Palette

SPEC_VERSION = 1


def monogram_for(text: str | None) -> str:
    words = re.findall(r"[^\W\d_]+", text or "")
    letters = "".join(w[0] for w in words if w[0].isalpha())[:2]
    return letters.upper()


def compose(
    brief: Brief,
    *,
    width: int,
    height: int,
    palette: Palette,
    pairing: Pairing,
    seed: int,
    variation: int,
    safe_zone_pct: float = 0.0,
    transparent: bool = False,
    brand_colours: tuple[str, ...] = (),
) -> dict[str, Any]:
    """The spec of one design. ``safe_zone_pct`` keeps every mark off that share of each side.
    A brief that describes a scene is drawn as one (see :mod:`atelier.design.scenes`)."""
    scene = scene_spec(
        brief, width, height, palette, pairing, seed, variation, safe_zone_pct, transparent, brand_colours
    )
    if scene is not None:
        return scene
    # a monogram is letters, never a pictogram
    motif = None if brief.design_type == "monogram" else motifs.choose(brief.subject_words, variation)
    margin = min(width, height) * (0.06 if brief.design_type in ("banner", "poster", "card") else 0.08)
    szx, szy = width * safe_zone_pct / 100, height * safe_zone_pct / 100
    # one pixel inside the safe line, so anti-aliasing stays inside it too
    frame: Box = (
        max(margin, szx + 1),
        max(margin, szy + 1),
        width - max(margin, szx + 1),
        height - max(margin, szy + 1),
    )
    bleed: Box = (szx + 1, szy + 1, width - szx - 1, height - szy - 1) if safe_zone_pct > 0 else (0, 0, width, height)
    composer = Composer(
        width=width,
        height=height,
        palette=palette,
        pairing=pairing,
        motif=motif,
        monogram=monogram_for(brief.headline or brief.subject),
        frame=frame,
        bleed=bleed,
    )
    options = LAYOUTS.get(brief.design_type) or formats.LAYOUTS[brief.design_type]
    layout = options[(seed + variation) % len(options)]
    treatment = TREATMENTS[(seed // 3 + variation) % len(TREATMENTS)]
    draw = COMPOSERS.get(brief.design_type) or formats.COMPOSERS[brief.design_type]
    layout = draw(composer, brief, layout, treatment)
    copy, copy_notes = copy_report(brief, composer.layers, composer.tried, layout=layout, width=width, height=height)
    return {
        "version": SPEC_VERSION,
        "design_type": brief.design_type,
        "layout": layout,
        "treatment": treatment,
        "style": brief.style,
        "mood": brief.mood,
        "subject": brief.subject,
        "motif": motif.slug if motif else None,
        "motif_concept": motif.concept if motif else None,
        "mark": "icon" if motif else ("monogram" if composer.monogram else "geometric"),
        "icon_set": f"{motifs.ICON_SET} ({motifs.ICON_LICENSE})" if motif else None,
        "canvas": {
            "width": width,
            "height": height,
            "background": None if transparent else palette.background,
            "safe_zone_pct": safe_zone_pct,
        },
        "palette": palette.to_dict(),
        "fonts": pairing.to_spec(),
        "layers": composer.layers,
        #: every piece of copy the prompt asked for, and whether it is on the design
        "copy": copy,
        "copy_notes": copy_notes,
    }


def scene_spec(
    brief: Brief,
    width: int,
    height: int,
    palette: Palette,
    pairing: Pairing,
    seed: int,
    variation: int,
    safe_zone_pct: float,
    transparent: bool,
    brand_colours: tuple[str, ...],
) -> dict[str, Any] | None:
    """The spec of a scene design, or None when the brief asks for a graphic."""
    named = scenes.words.named_type(brief.prompt)
    plan, notes = scenes.read(brief.prompt, explicit_type=named, subject_words=brief.subject_words, colors=brief.colors)
    if plan is None:
        return None
    spec = scenes.compose_scene(
        brief,
        plan,
        width=width,
        height=height,
        palette=palette,
        pairing=pairing,
        seed=seed,
        variation=variation,
        safe_zone_pct=safe_zone_pct,
        label=brief.design_type if named else ("illustration" if plan.get("stage") else "scene"),
        scene_only=named is None,
        brand_colours=brand_colours,
    )
    if transparent:
        notes.append("a scene fills its canvas, so its background is not transparent")
    spec["copy_notes"] = [*notes, *spec["copy_notes"]]
    return spec
