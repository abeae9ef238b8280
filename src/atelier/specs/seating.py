"""Seats as assemblies: a chair's seat at 0.45 m on four legs at its corners (or a five-star
base on casters when it rolls) with the back rising from the rear edge; an armchair or a
sofa of N seats on a frame between two arms; a bench; a stool."""

from __future__ import annotations

import math
import re

from atelier.specs.scene import Parts
from atelier.specs.vocabulary import count, kind_of

KINDS = {
    "sofa": ("sofa", "couch", "loveseat", "sectional"),
    "armchair": ("armchair", "recliner", "lounge chair"),
    "bench": ("bench",),
    "stool": ("stool",),
}
ROLLS = r"\b(?:wheels?|casters?|castors?|swivel|rolling)\b"
SEAT_NOUNS = ("seat", "seater", "person")
#: A sofa seats at most six, a bench eight: longer ones are two pieces of furniture.
MAX_SOFA_SEATS, MAX_BENCH_SEATS = 6, 8
SEAT_TOP = 0.45


def seating_objects(parts: Parts, text: str) -> None:
    feats = parts.features
    kind = kind_of(text, KINDS, "chair")
    if kind in {"sofa", "armchair"}:
        _upholstered(parts, text, kind)
    elif kind == "bench":
        seats = parts.brief.clamp_count("bench seats", count(SEAT_NOUNS, text), 3, 1, MAX_BENCH_SEATS)
        parts.brief.facts.update(seats=seats)
        width = 0.5 * seats
        legs(parts, width, 0.38, SEAT_TOP - 0.05, 0.05, inset=0.03)
        parts.add("seat", "seat", (0, SEAT_TOP - 0.05, 0), (width, 0.05, 0.38), seats=seats)
    elif kind == "stool":
        top = 0.75 if re.search(r"\b(?:bar|counter)\b", text) else SEAT_TOP
        legs(parts, 0.36, 0.36, top - 0.04, 0.035)
        parts.add("seat", "seat", (0, top - 0.04, 0), (0.36, 0.04, 0.36))
        if top > SEAT_TOP:
            parts.add("footrest", "footrest", (0, 0.28, 0), (0.36, 0.03, 0.035))
    else:
        _chair(parts, text, feats)


def legs(
    parts: Parts, width: float, depth: float, height: float, side: float, *, inset: float = 0.0, y: float = 0.0
) -> None:
    """Four legs of ``height`` under the corners of a ``width`` x ``depth`` top (two more
    halfway along when it is longer than 1.8 m)."""
    xs = [inset, width - side - inset] + ([width / 2 - side / 2] if width > 1.8 else [])
    corners = [(x, z) for x in xs for z in (inset, depth - side - inset)]
    for i, (x, z) in enumerate(corners):
        parts.add(f"leg_{i + 1}", "leg", (x, y, z), (side, height, side))


def _chair(parts: Parts, text: str, feats: list[str]) -> None:
    width, depth, thick = 0.48, 0.46, 0.05
    under = SEAT_TOP - thick
    office = "office" in text or "ergonomic" in feats
    if re.search(ROLLS, text):
        five_star_base(parts, width / 2, depth / 2, under)
    else:
        legs(parts, width, depth, under, 0.04)
    parts.add("seat", "seat", (0, under, 0), (width, thick, depth))
    back_h = 0.6 if office else 0.45
    parts.add("back", "back", (0, SEAT_TOP, depth - 0.04), (width, back_h, 0.04))
    if office:
        for i, x in enumerate((0.0, width - 0.05)):
            parts.add(f"armrest_{i + 1}", "armrest", (x, SEAT_TOP, 0.08), (0.05, 0.22, 0.3))
    if "ergonomic" in feats:
        parts.add("lumbar_support", "lumbar_support", (0.06, SEAT_TOP + 0.08, depth - 0.07), (width - 0.12, 0.15, 0.03))
        parts.add("headrest", "headrest", (width / 2 - 0.14, SEAT_TOP + back_h, depth - 0.05), (0.28, 0.15, 0.05))


def five_star_base(parts: Parts, cx: float, cz: float, under: float) -> None:
    """Five arms from a hub under (cx, cz) out to five casters 0.32 m away, and a gas lift up to
    the seat's underside at ``under`` (each arm is the box around its bar)."""
    radius, caster, arm_y = 0.32, 0.06, 0.06
    parts.add("hub", "hub", (cx - 0.05, arm_y, cz - 0.05), (0.1, 0.05, 0.1))
    parts.add("gas_lift", "gas_lift", (cx - 0.025, arm_y + 0.05, cz - 0.025), (0.05, under - arm_y - 0.05, 0.05))
    for i in range(5):
        angle = math.radians(90 + 72 * i)
        ex, ez = cx + radius * math.cos(angle), cz + radius * math.sin(angle)
        parts.add(f"caster_{i + 1}", "caster", (ex - 0.025, 0, ez - 0.025), (0.05, caster, 0.05), "rubber")
        sx, sz = cx + 0.05 * math.cos(angle), cz + 0.05 * math.sin(angle)  # on the hub's rim
        x0, z0 = min(sx, ex) - 0.02, min(sz, ez) - 0.02
        size = (abs(ex - sx) + 0.04, 0.04, abs(ez - sz) + 0.04)
        parts.add(f"base_arm_{i + 1}", "base_arm", (x0, arm_y, z0), size, angle_deg=(90 + 72 * i) % 360)


def _upholstered(parts: Parts, text: str, kind: str) -> None:
    asked = count(SEAT_NOUNS, text)
    seats = 1 if kind == "armchair" else parts.brief.clamp_count("sofa seats", asked, 3, 1, MAX_SOFA_SEATS)
    parts.brief.facts.update(seats=seats)
    seat_w, arm, depth, leg_h, frame_h, back_t = 0.62, 0.18, 0.9, 0.1, 0.2, 0.2
    width = seats * seat_w + 2 * arm
    soft = parts.material if parts.material in {"leather", "fabric"} else "fabric"
    legs(parts, width, depth, leg_h, 0.05, inset=0.02)
    parts.add("frame", "frame", (0, leg_h, 0), (width, frame_h, depth), seats=seats)
    top = leg_h + frame_h
    for i in range(seats):
        parts.add(f"seat_cushion_{i + 1}", "cushion", (arm + i * seat_w, top, 0), (seat_w, 0.15, depth - back_t), soft)
    parts.add("back", "back", (arm, top, depth - back_t), (width - 2 * arm, 0.45, back_t), soft)
    for i, x in enumerate((0.0, width - arm)):
        parts.add(f"arm_{i + 1}", "arm", (x, top, 0), (arm, 0.25, depth), soft)
