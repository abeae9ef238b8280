"""Aircraft and boats, length along z (nose or bow at z = 0). A plane: fuselage, wings across
it, tail fin and stabiliser, engines under the wings, seats inside, landing gear; a drone: a
body, four arms with a rotor at each end, battery and camera. A boat: hull, deck on it, a
cabin, a mast when it sails or a motor at the stern; a kayak: hull, cockpit and seat."""

from __future__ import annotations

import math

from atelier.specs.scene import Parts
from atelier.specs.vocabulary import kind_of


def aircraft(parts: Parts) -> None:
    brief = parts.brief
    if kind_of(brief.text, {"drone": ("drone", "quadcopter", "multirotor")}, "plane") == "drone":
        _drone(parts)
        return
    seats = brief.clamp_count("aircraft seats", brief.count("seat", "passenger", "seater"), 4, 1, 850)
    engines = brief.clamp_count("engines", brief.count("engine"), 1 if seats <= 6 else 2, 1, 4)
    rows = math.ceil(seats / (2 if seats <= 20 else 6))
    width = 1.3 if seats <= 20 else 3.8
    length = max(8.0, rows * 0.85 + 6.0)
    span = max(11.0, length * 0.95)
    height = width + 1.6
    cx = span / 2
    parts.add("fuselage", "fuselage", (cx - width / 2, 0.9, 0), (width, width, length))
    parts.add("wings", "wing", (0, 0.9 + width * 0.25, length * 0.35), (span, 0.25, max(1.5, length * 0.12)))
    parts.add("stabiliser", "stabiliser", (cx - span * 0.18, 0.9 + width * 0.6, length - 1.6), (span * 0.36, 0.15, 1.5))
    parts.add("tail_fin", "fin", (cx - 0.08, 0.9 + width, length - 2.0), (0.16, height - width - 0.9 + 1.0, 1.9))
    spots = [cx - width / 2 - 2.0 - k * 2.5 for k in range(engines // 2)] + [
        cx + width / 2 + 0.9 + k * 2.5 for k in range(engines // 2)
    ]
    if engines % 2:
        spots = [cx - 0.55, *spots]
    for i, x in enumerate(spots):
        y, z = (0.9 + width * 0.25 - 0.9, length * 0.3) if engines > 1 or len(spots) > 1 else (0.9 + width * 0.2, 0.0)
        parts.add(f"engine_{i + 1}", "engine", (x, max(0.0, y), z), (1.1, 0.9, 2.2), "aluminum")
    across = 2 if seats <= 20 else 6
    for r in range(rows):
        here = min(across, seats - r * across)
        parts.add(
            f"seat_row_{r + 1}",
            "seat_row",
            (cx - width / 2 + 0.1, 1.0, 2.5 + r * 0.85),
            (width - 0.2, 1.0, 0.6),
            "fabric",
            seats=here,
        )
    for i, (x, z) in enumerate(
        ((cx - 0.15, 1.0), (cx - width / 2 - 1.0, length * 0.45), (cx + width / 2 + 0.7, length * 0.45))
    ):
        parts.add(f"landing_gear_{i + 1}", "landing_gear", (x, 0, z), (0.3, 0.9, 0.4), "rubber")
    brief.facts.update(seats=seats, engines=engines)


def _drone(parts: Parts) -> None:
    rotors = parts.brief.clamp_count("rotors", parts.brief.count("rotor", "propeller", "prop"), 4, 3, 8)
    arm, body = 0.22, 0.14
    centre = arm + 0.12
    parts.add("body", "body", (centre - body / 2, 0.06, centre - body / 2), (body, 0.06, body), "plastic")
    for i in range(rotors):
        a = 2 * math.pi * i / rotors + math.pi / 4
        ex, ez = centre + arm * math.cos(a), centre + arm * math.sin(a)
        x0, z0 = min(centre, ex) - 0.01, min(centre, ez) - 0.01
        parts.add(
            f"arm_{i + 1}",
            "arm",
            (x0, 0.08, z0),
            (abs(ex - centre) + 0.02, 0.02, abs(ez - centre) + 0.02),
            "carbon_fiber",
        )
        parts.add(f"rotor_{i + 1}", "rotor", (ex - 0.12, 0.1, ez - 0.12), (0.24, 0.01, 0.24), "plastic")
    parts.add("battery", "battery", (centre - 0.05, 0.12, centre - 0.035), (0.1, 0.03, 0.07), "lithium_ion")
    parts.add("camera", "camera", (centre - 0.025, 0.0, centre - body / 2), (0.05, 0.06, 0.05), "plastic")
    parts.brief.facts.update(rotors=rotors)


def boat(parts: Parts) -> None:
    brief = parts.brief
    kind = kind_of(brief.text, {"kayak": ("kayak", "canoe"), "sail": ("sailboat", "yacht", "sailing")}, "motor")
    given = brief.length("length")
    default = 4.5 if kind == "kayak" else 12.0 if kind == "sail" else 8.0
    length = brief.clamp("boat length", given.metres, 2.0, 120.0, " m") if given else default
    if kind == "kayak":
        width = 0.65
        parts.add("hull", "hull", (0, 0, 0), (width, 0.3, length), "plastic")
        parts.add("cockpit", "cockpit", (0.1, 0.3, length / 2 - 0.45), (width - 0.2, 0.05, 0.9), "plastic")
        parts.add("seat", "seat", (0.15, 0.1, length / 2 - 0.1), (width - 0.3, 0.2, 0.4), "plastic")
        brief.facts.update(length_m=length)
        return
    width = max(2.0, length * 0.32)
    hull_h = max(0.8, length * 0.12)
    parts.add("hull", "hull", (0, 0, 0), (width, hull_h, length), "fiberglass")
    parts.add("deck", "deck", (0, hull_h, 0), (width, 0.08, length), "teak")
    parts.add(
        "cabin", "cabin", (width * 0.2, hull_h + 0.08, length * 0.35), (width * 0.6, 1.6, length * 0.3), parts.material
    )
    if kind == "sail":
        parts.add("mast", "mast", (width / 2 - 0.1, hull_h + 0.08, length * 0.3), (0.2, length * 1.3, 0.2), "aluminum")
        parts.add("keel", "keel", (width / 2 - 0.1, 0, length * 0.4), (0.2, hull_h * 0.6, length * 0.2), "steel")
    else:
        parts.add("motor", "motor", (width / 2 - 0.3, hull_h * 0.5, length - 0.6), (0.6, 1.0, 0.6), "steel")
    seats = brief.clamp_count("boat seats", brief.count("seat", "passenger", "person"), 4, 1, 400)
    for i in range(min(seats, 20)):
        parts.add(
            f"seat_{i + 1}",
            "seat",
            (0.15 + (i % 2) * (width - 0.8), hull_h + 0.08, length * 0.68 + (i // 2) * 0.6 % max(0.6, length * 0.3)),
            (0.5, 0.45, 0.5),
            "fabric",
        )
    brief.facts.update(seats=seats, length_m=length)
