"""Desks and beds, the front at z = 0. A desk's top sized by the brief ("160x80 cm"); a
standing (sit-stand) desk stands on two lifting columns with their feet and a crossbar, its
control on the front edge; another desk on four legs with a drawer pedestal. A bed: four legs,
a frame, slats, the mattress on them, a headboard at the back and pillows; a bunk bed for
two stacks a second frame on posts."""

from __future__ import annotations

from atelier.specs.scene import Parts
from atelier.specs.seating import legs

#: Mattress sizes, width x length in metres.
BED_SIZES = {"single": (0.9, 1.9), "double": (1.4, 1.9), "queen": (1.6, 2.0), "king": (1.8, 2.0)}


def desk(parts: Parts, text: str) -> None:
    brief = parts.brief
    standing = brief.has(r"\b(?:standing|stand[\s-]?up|sit[\s-]?stand|height[\s-]adjustable|adjustable)\b")
    width, depth = 1.4, 0.75
    pair = brief.pair()
    if pair:
        width, depth = max(pair[:2]), min(pair[:2])
    wide = brief.length("width", "length")
    width = brief.clamp("desk width", wide.metres if wide else width, 0.8, 3.0, " m")
    depth = brief.clamp("desk depth", depth, 0.5, 1.2, " m")
    top_t = 0.03 if standing else 0.04
    if standing:
        high = brief.length("height")
        height = brief.clamp("desk height", high.metres, 0.65, 1.3, " m") if high else 1.1
        under = height - top_t
        for i, x in enumerate((0.1, width - 0.18)):
            parts.add(f"foot_{i + 1}", "foot", (x - 0.0, 0, 0.05), (0.08, 0.04, depth - 0.1), "steel")
            parts.add(
                f"lifting_column_{i + 1}",
                "lifting_column",
                (x, 0.04, depth / 2 - 0.04),
                (0.08, under - 0.04, 0.08),
                "steel",
                stages=3,
            )
        parts.add("crossbar", "crossbar", (0.18, under - 0.06, depth / 2 - 0.03), (width - 0.36, 0.05, 0.06), "steel")
        parts.add("top", "top", (0, under, 0), (width, top_t, depth), range_m=[0.65, 1.3])
        parts.add("control_panel", "control_panel", (width - 0.3, under - 0.03, 0), (0.12, 0.03, 0.05), "plastic")
    else:
        height = 0.74
        under = height - top_t
        legs(parts, width, depth, under, 0.06, inset=0.03)
        parts.add("top", "top", (0, under, 0), (width, top_t, depth))
        drawers = brief.clamp_count("desk drawers", brief.count("drawer"), 3, 0, 4)
        if drawers:
            px = width - 0.09 - 0.42
            parts.add("pedestal", "pedestal", (px, 0, 0.05), (0.42, under, depth - 0.1))
            drawer_h = (under - 0.06) / drawers
            for i in range(drawers):
                y = 0.05 + i * drawer_h
                parts.add(f"drawer_{i + 1}", "drawer", (px + 0.01, y, 0.05), (0.4, drawer_h - 0.01, depth - 0.12))
            parts.add("modesty_panel", "panel", (0.09, under - 0.4, depth - 0.05), (px - 0.09, 0.4, 0.02))
        brief.facts.update(drawers=drawers)
    brief.facts.update(standing=standing, top_m=[round(width, 3), round(depth, 3)])


def bed(parts: Parts, text: str) -> None:
    brief = parts.brief
    kids = brief.count("kid", "child", "person", "sleeper")
    bunk = brief.has(r"\bbunk") or (kids is not None and kids >= 2 and not brief.has(r"\b(?:double|queen|king)\b"))
    size = next((name for name in BED_SIZES if brief.has(rf"\b{name}\b")), "single" if bunk else "double")
    width, length = BED_SIZES[size]
    pair = brief.pair()
    if pair:
        width = brief.clamp("mattress width", min(pair[:2]), 0.7, 2.2, " m")
        length = brief.clamp("mattress length", max(pair[:2]), 1.6, 2.3, " m")
    frame_w, frame_l = width + 0.06, length + 0.08
    levels = 2 if bunk else 1
    leg_h = 0.2
    for level in range(levels):
        y = leg_h + level * 1.0
        tag = "" if level == 0 else "_upper"
        parts.add(f"frame{tag}", "frame", (0, y, 0.04), (frame_w, 0.18, frame_l - 0.04), level=level + 1)
        parts.add(f"slats{tag}", "slats", (0.03, y + 0.06, 0.06), (width, 0.02, length), level=level + 1)
        parts.add(f"mattress{tag}", "mattress", (0.03, y + 0.08, 0.06), (width, 0.2, length), "fabric", size=size)
        pillows = 2 if width >= 1.3 else 1
        for p in range(pillows):
            x = 0.03 + p * width / pillows + 0.05
            parts.add(
                f"pillow{tag}_{p + 1}",
                "pillow",
                (x, y + 0.28, length - 0.4),
                (width / pillows - 0.1, 0.12, 0.4),
                "fabric",
            )
    if bunk:
        for i, (x, z) in enumerate(
            ((0, 0), (frame_w - 0.06, 0), (0, frame_l - 0.06), (frame_w - 0.06, frame_l - 0.06))
        ):
            parts.add(f"post_{i + 1}", "post", (x, 0, z), (0.06, 1.8, 0.06))
        parts.add("ladder", "ladder", (frame_w, 0, 0.3), (0.05, 1.5, 0.4))
        parts.add("guard_rail", "rail", (0, 1.38, 0.04), (frame_w, 0.3, 0.04))
    else:
        legs(parts, frame_w, frame_l, leg_h, 0.06)
    parts.add("headboard", "headboard", (0, leg_h, frame_l), (frame_w, 1.0 if not bunk else 1.6, 0.05))
    brief.facts.update(size=size, sleepers=levels if bunk else (2 if width >= 1.3 else 1), bunk=bunk)
