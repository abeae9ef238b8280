"""A design whose background is a drawn scene: the scene is one layer under the whole canvas
(inside the safe zone), and the brief's copy, when it has any, is set in the calm part of
the sky, in the colour that reads on every band behind it (on a panel when none does).
A scene brief without copy gets no caption."""

from __future__ import annotations

import dataclasses
import itertools
from typing import Any

from atelier.design import motifs
from atelier.design.boxes import Box, height_of, rounded, width_of
from atelier.design.brief import Brief
from atelier.design.colors import contrast, mix
from atelier.design.composer import Composer
from atelier.design.copy import lines_of
from atelier.design.coverage import copy_report
from atelier.design.fonts import Pairing
from atelier.design.palette import Palette
from atelier.design.roles import TextItem
from atelier.design.scenes.plan import coloured

AA = 4.5
_HEAD_ROLES = ("headline", "offer")
_SHARES = {"headline": 3.0, "subline": 1.4, "offer": 1.5}


def _items(brief: Brief, scene_only: bool) -> list[TextItem]:
    lines: dict[str, str] = lines_of(brief.copy) if scene_only else {}
    if not scene_only:
        if brief.headline:
            lines["headline"] = brief.headline
        if brief.subline:
            lines["subline"] = brief.subline
        lines.update(dict(brief.lines))
    return [
        TextItem(role, text, _SHARES.get(role, 1.0), head=role in _HEAD_ROLES, max_lines=2 if role in _SHARES else 1)
        for role, text in lines.items()
        if text
    ]


def _ink(grounds: list[str], candidates: list[str]) -> tuple[str, float]:
    best = max(candidates, key=lambda c: (min(contrast(c, g) for g in grounds), c))
    return best, min(contrast(best, g) for g in grounds)


def _sky_behind(colours: dict[str, str], height: int, top: float, bottom: float) -> list[str]:
    """The sky's colours between heights ``top`` and ``bottom`` (the sky runs from sky0 at the
    top through sky1 to sky2 at about 60% of the height)."""
    stops = [(0.0, colours["sky0"]), (0.33, colours["sky1"]), (0.6, colours["sky2"])]
    out = []
    for y in (top, (top + bottom) / 2, bottom):
        t = y / height
        for (a, ca), (b, cb) in itertools.pairwise(stops):
            if a <= t <= b:
                out.append(mix(ca, cb, (t - a) / (b - a)))
                break
        else:
            out.append(colours["sky2"])
    return out


def compose_scene(
    brief: Brief,
    plan: dict[str, Any],
    *,
    width: int,
    height: int,
    palette: Palette,
    pairing: Pairing,
    seed: int,
    variation: int,
    safe_zone_pct: float,
    label: str,
    scene_only: bool,
    brand_colours: tuple[str, ...] = (),
) -> dict[str, Any]:
    """``scene_only``: the brief names no design type, so only the copy it spells out is set."""
    szx, szy = width * safe_zone_pct / 100, height * safe_zone_pct / 100
    bleed: Box = (szx + 1, szy + 1, width - szx - 1, height - szy - 1) if safe_zone_pct > 0 else (0, 0, width, height)
    margin = min(width, height) * 0.07
    frame: Box = (
        max(margin, szx + 1),
        max(margin, szy + 1),
        width - max(margin, szx + 1),
        height - max(margin, szy + 1),
    )
    items = _items(brief, scene_only=scene_only)
    wide = width / height > 1.6
    scene = coloured(
        {**plan, "copy": bool(items)},
        seed * 31 + variation,
        (list(brand_colours) or palette.colors()) if palette.constrained else None,
        variation=variation,
        # a wide design sets its copy at the left, and its sun keeps to the right of it
        mirror=variation % 2 == 1 and not (wide and items),
    )
    colours: dict[str, str] = scene["colours"]
    staged = scene.get("stage") is not None
    line_art = scene["treatment"] == "line"
    grounds = [colours["paper"]] if staged or line_art else _sky_behind(colours, height, frame[1], height * 0.4)
    pool = (
        (list(brand_colours) or palette.colors())
        if palette.constrained
        else list(dict.fromkeys([*colours.values(), "#FFFFFF", "#111111"]))
    )
    ink, reach = _ink(grounds, pool)
    panel: str | None = None
    if reach < AA:
        panel = max(pool, key=lambda c: (contrast(c, ink), c))
        grounds = [panel]
    ground = grounds[0]
    second = next((c for c in pool if c not in (ink, ground) and contrast(c, ground) >= AA), ink)
    text_palette = Palette(
        background=ground, surface=ground, primary=colours["sun"], accent=second, text=ink, on_primary=ink,
        muted=second, harmony="brand" if palette.constrained else "scene", constrained=palette.constrained,
        notes=palette.notes,
    )  # fmt: skip
    composer = Composer(
        width=width, height=height, palette=text_palette, pairing=pairing, motif=None, monogram="",
        frame=frame, bleed=bleed,
    )  # fmt: skip
    composer.layers.append({"type": "scene", "box": rounded(bleed), "fill": colours["sky1"], "scene": scene})
    layout = "scene"
    if items:
        if wide:
            text_box: Box = (frame[0], frame[1], frame[0] + width_of(frame) * 0.58, frame[1] + height_of(frame) * 0.5)
        else:
            share = 0.26 + 0.04 * min(4, len(items))
            text_box = (frame[0], frame[1], frame[2], frame[1] + height_of(frame) * (share if not staged else 0.24))
        layout = "scene-sky-left" if wide else "scene-sky-top"
        if panel is not None:
            pad = composer.unit * 2.5
            composer.rect(
                (text_box[0] - pad, text_box[1] - pad, text_box[2] + pad, text_box[3] + pad), panel, composer.unit * 2
            )
            layout += "-panel"
        composer.text_block(text_box, items, ground, align="left" if wide else "center")
    report_brief = dataclasses.replace(brief, design_type=label)
    copy, copy_notes = copy_report(
        report_brief, composer.layers, composer.tried, layout=layout, width=width, height=height
    )
    stage = scene.get("stage") or {}
    subject = stage.get("object", {}).get("slug") if stage else None
    return {
        "version": 1,
        "design_type": label,
        "layout": layout,
        "treatment": scene["treatment"],
        "style": brief.style,
        "mood": brief.mood,
        "subject": brief.subject,
        "motif": subject,
        "motif_concept": subject,
        "mark": "scene" if not staged else "staged",
        "icon_set": f"{motifs.ICON_SET} ({motifs.ICON_LICENSE})" if staged else None,
        "canvas": {"width": width, "height": height, "background": ground, "safe_zone_pct": safe_zone_pct},
        "palette": text_palette.to_dict(),
        "fonts": pairing.to_spec(),
        "layers": composer.layers,
        "copy": copy,
        "copy_notes": copy_notes,
    }
