"""Kitchen appliances as assemblies, each by kind: a refrigerator's housing with its door on
the front face and the compressor at the back bottom, an oven (a range has a cooktop), a
microwave, a dishwasher, a coffee maker. The front is the z = 0 side."""

from __future__ import annotations

import re

from atelier.specs.scene import Parts
from atelier.specs.vocabulary import kind_of, named

KINDS = {
    "refrigerator": ("fridge", "refrigerator", "freezer"),
    "oven": ("oven", "range", "stove", "cooker"),
    "microwave": ("microwave",),
    "dishwasher": ("dishwasher",),
    "coffee_maker": ("coffee maker", "coffee machine", "espresso machine"),
}


def kitchen_objects(parts: Parts, text: str) -> None:
    kind = kind_of(text, KINDS, "refrigerator")
    if not named(KINDS, text):
        parts.brief.notes.append(
            "no kitchen appliance this planner builds is named (a refrigerator, oven, microwave, dishwasher "
            "or coffee maker): built a refrigerator"
        )
    {
        "refrigerator": _refrigerator,
        "oven": _oven,
        "microwave": _microwave,
        "dishwasher": _dishwasher,
        "coffee_maker": _coffee_maker,
    }[kind](parts, text)


def _refrigerator(parts: Parts, text: str) -> None:
    brief = parts.brief
    compact = "compact" in parts.features or bool(re.search(r"\bmini\b", text))
    width, height, depth = (0.5, 0.85, 0.5) if compact else (0.7, 1.8, 0.68)
    wide = brief.length("width", "wide") or next((x for x in brief.lengths() if 0.3 <= x.metres <= 1.5), None)
    if wide:
        width = brief.clamp("refrigerator width", wide.metres, 0.45, 1.0, " m")
    litres = brief.count("litre", "liter", "l")
    if litres:
        kept = brief.clamp("refrigerator capacity", litres, 40, 900, " l")
        height = brief.clamp("refrigerator height for its litres", kept / 1000 / (0.46 * width * depth), 0.5, 2.1, " m")
        brief.facts.update(litres=kept)
    door_t = 0.05
    parts.add("housing", "housing", (0, 0, door_t), (width, height, depth))
    if re.search(r"side[- ]by[- ]side|french door|double door|two doors?|2 doors?", text):
        for i in range(2):
            parts.add(f"door_{i + 1}", "door", (i * width / 2, 0.02, 0), (width / 2, height - 0.04, door_t))
    else:
        parts.add("door", "door", (0, 0.02, 0), (width, height - 0.04, door_t))
    panel = (width / 2 - 0.08, height * 0.72, -0.01)
    parts.add("control_panel", "control_panel", panel, (0.16, 0.1, 0.01), "glass")
    bottom = 0.3 if not compact else 0.2
    for i in range(3):
        y = bottom + (i + 1) * (height - bottom - 0.05) / 4
        parts.add(f"shelf_{i + 1}", "shelf", (0.04, y, door_t + 0.02), (width - 0.08, 0.01, depth - 0.1), "glass")
    compressor = (0.3, bottom - 0.08, 0.25)
    parts.add("compressor", "compressor", (width / 2 - 0.15, 0.02, door_t + depth - 0.27), compressor, "steel")
    coil = (width - 0.1, height - bottom - 0.1, 0.02)
    parts.add("condenser_coil", "coil", (0.05, bottom, door_t + depth), coil, "aluminum")


def _oven(parts: Parts, text: str) -> None:
    width, height, depth, door_t = 0.6, 0.9, 0.6, 0.04
    parts.add("housing", "housing", (0, 0, door_t), (width, height, depth))
    parts.add("cavity", "cavity", (0.06, 0.12, door_t + 0.02), (0.48, 0.5, 0.5), "steel")
    parts.add("heating_element", "heating_element", (0.1, 0.58, door_t + 0.05), (0.4, 0.02, 0.4), "steel")
    parts.add("door", "door", (0, 0.08, 0), (width, 0.6, door_t))
    parts.add("window", "window", (0.1, 0.2, 0.01), (0.4, 0.3, 0.02), "glass")
    parts.add("control_panel", "control_panel", (0.02, 0.74, 0.02), (0.56, 0.12, 0.02))
    if re.search(r"\b(?:range|stove|cooker|cooktop|hob)\b", text):
        parts.add("cooktop", "cooktop", (0, height, door_t), (width, 0.01, depth), "glass")
        for i, (x, z) in enumerate(((0.06, 0.06), (0.34, 0.06), (0.06, 0.34), (0.34, 0.34))):
            parts.add(f"burner_{i + 1}", "burner", (x, height + 0.01, door_t + z), (0.2, 0.01, 0.2), "steel")


def _microwave(parts: Parts, text: str) -> None:
    parts.add("housing", "housing", (0, 0, 0.02), (0.5, 0.3, 0.4))
    parts.add("cavity", "cavity", (0.03, 0.03, 0.04), (0.33, 0.24, 0.34), "steel")
    parts.add("turntable", "turntable", (0.065, 0.03, 0.08), (0.26, 0.01, 0.26), "glass")
    parts.add("magnetron", "magnetron", (0.39, 0.05, 0.1), (0.08, 0.1, 0.12), "steel")
    parts.add("door", "door", (0, 0, 0), (0.37, 0.3, 0.02))
    parts.add("window", "window", (0.04, 0.05, 0.005), (0.28, 0.2, 0.01), "glass")
    parts.add("control_panel", "control_panel", (0.37, 0, 0), (0.13, 0.3, 0.02))


def _dishwasher(parts: Parts, text: str) -> None:
    """Dishwashers are made 45 cm (slimline) or 60 cm wide: the nearest to the brief's."""
    brief = parts.brief
    asked = brief.length("width", "wide") or next((x for x in brief.lengths() if 0.2 <= x.metres <= 1.2), None)
    w = 0.6
    if asked:
        w = 0.45 if asked.metres < 0.525 else 0.6
        if abs(asked.metres - w) > 0.005:
            brief.notes.append(f"dishwashers are 45 or 60 cm wide: built {w * 100:g} cm for the {asked.text} asked")
    elif brief.has(r"\bslim"):
        w = 0.45
    k = w / 0.6
    parts.add("housing", "housing", (0, 0, 0.05), (w, 0.82, 0.58), width_cm=round(w * 100))
    parts.add("door", "door", (0, 0, 0), (w, 0.76, 0.05))
    parts.add("control_panel", "control_panel", (0, 0.76, 0), (w, 0.06, 0.05))
    parts.add("lower_rack", "rack", (0.04 * k, 0.1, 0.08), (0.52 * k, 0.2, 0.5), "steel")
    parts.add("spray_arm", "spray_arm", (0.1 * k, 0.36, 0.12), (0.4 * k, 0.02, 0.4), "plastic")
    parts.add("upper_rack", "rack", (0.04 * k, 0.45, 0.08), (0.52 * k, 0.18, 0.5), "steel")
    parts.add("pump", "pump", (0.2 * k, 0.01, 0.3), (0.2 * k, 0.08, 0.2), "steel")
    brief.facts.update(width_cm=round(w * 100), place_settings=9 if w < 0.5 else 13)


def _coffee_maker(parts: Parts, text: str) -> None:
    parts.add("base", "base", (0, 0, 0), (0.2, 0.04, 0.26))
    parts.add("body", "body", (0, 0.04, 0.14), (0.2, 0.34, 0.12))
    parts.add("water_tank", "tank", (0.02, 0.1, 0.16), (0.16, 0.26, 0.08), "plastic")
    parts.add("brew_head", "brew_head", (0, 0.3, 0.02), (0.2, 0.08, 0.12))
    parts.add("carafe", "carafe", (0.03, 0.04, 0.02), (0.14, 0.18, 0.11), "glass")
