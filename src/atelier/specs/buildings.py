"""Buildings as assemblies. A house: a foundation slab, its storeys stacked on it (as many as
the brief asks), windows and a front door on the front face (z = 0), a roof on the top storey
and, when asked for, a garage beside it sized for its cars. An office: floor plates sized for
the people it must hold, a core, a roof and a facade; a shop is one or two open storeys. A
warehouse or factory: a hall on its slab, a roof, loading-dock doors on the front and an
office block inside."""

from __future__ import annotations

import math

from atelier.specs.scene import Parts
from atelier.specs.vocabulary import kind_of

#: Cap on what a brief's numbers can ask for ("1000000 employees"): the tallest towers have
#: about 160 floors.
MAX_FLOORS = 160
STOREY_H, SLAB = 2.8, 0.3


def building_objects(parts: Parts, category: str) -> None:
    {"residential": _house, "industrial": _industrial}.get(category, _commercial)(parts)


def _footprint(
    parts: Parts, default: tuple[float, float], width: tuple[float, float], depth: tuple[float, float]
) -> tuple[float, float]:
    """Width and depth from "12x9 m" or "20 m wide"/"15 m deep", clamped (noted)."""
    brief = parts.brief
    w, d = default
    pair = brief.pair()
    if pair:
        w, d = pair[0], pair[1]
    long, wide, deep = brief.length("length"), brief.length("width"), brief.length("depth")
    along = wide or long
    w = along.metres if along else w
    d = deep.metres if deep else d
    return brief.clamp("width", w, *width, " m"), brief.clamp("depth", d, *depth, " m")


def _house(parts: Parts) -> None:
    brief = parts.brief
    flats = kind_of(brief.text, {"flats": ("apartment building", "apartment block", "flats")}, "house") == "flats"
    low_rise = brief.has(r"\b(?:bungalow|cabin|cottage)s?\b")
    asked = brief.count("storey", "story", "floor", "level")
    storeys = brief.clamp_count("storeys", asked, 5 if flats else 1 if low_rise else 2, 1, 40 if flats else 4)
    bedrooms = brief.count("bedroom") or (brief.count("kid", "child") or 0) + 1 if not flats else 0
    default = (24.0, 16.0) if flats else (max(8.0, 4.0 + 2.0 * bedrooms / max(storeys, 1) * 2), 8.5)
    width, depth = _footprint(parts, default, (5.0, 60.0), (5.0, 40.0))
    cars = brief.count("car") or (1 if brief.has(r"\bgarage") else 0)
    garage_w = 3.2 * brief.clamp("garage cars", cars, 0, 3) if brief.has(r"\bgarage") else 0.0
    parts.add("foundation", "foundation", (0, 0, 0), (width + garage_w, SLAB, depth), "concrete")
    wall = parts.material if parts.material in {"brick", "wood", "concrete", "steel", "glass"} else "brick"
    for i in range(storeys):
        y = SLAB + i * STOREY_H
        parts.add(f"storey_{i + 1}", "storey", (0, y, 0), (width, STOREY_H, depth), wall, level=i + 1)
        windows = max(1, int(width // 3.0))
        for j in range(windows):
            x = (j + 0.5) * width / windows - 0.6
            if i == 0 and j == windows // 2:
                continue  # the door's place
            parts.add(f"window_{i + 1}_{j + 1}", "window", (x, y + 0.9, 0), (1.2, 1.3, 0.08), "glass", level=i + 1)
    parts.add("front_door", "door", (width / 2 - 0.5, SLAB, 0), (1.0, 2.1, 0.08), "wood")
    top = SLAB + storeys * STOREY_H
    flat = flats or brief.has(r"flat[\s-]roof|green roof")
    roof_h = 0.4 if flat else min(4.0, 0.35 * depth)
    roofing = "green_roof" if "green roof" in parts.features else "concrete" if flat else "clay_tile"
    parts.add("roof", "roof", (0, top, 0), (width, roof_h, depth), roofing, pitch="flat" if flat else "gable")
    if garage_w:
        parts.add(
            "garage", "garage", (width, SLAB, 0), (garage_w, 2.7, min(depth, 6.5)), wall, cars=int(garage_w / 3.2)
        )
        parts.add("garage_door", "door", (width + 0.3, SLAB, 0), (garage_w - 0.6, 2.2, 0.08), "steel")
    parts.brief.facts.update(storeys=storeys, bedrooms=bedrooms)


def _commercial(parts: Parts) -> None:
    brief = parts.brief
    retail = kind_of(brief.text, {"retail": ("shop", "store", "mall", "restaurant")}, "office") == "retail"
    people = brief.count("employee", "person", "occupant", "staff", "worker", "resident", "guest")
    plate_w, plate_d = _footprint(parts, (30.0, 20.0) if retail else (40.0, 30.0), (8.0, 300.0), (8.0, 300.0))
    per_floor = math.floor(plate_w * plate_d * 0.8 / 12)  # 12 m² of floor per person
    asked = brief.count("storey", "story", "floor", "level")
    if asked is not None:
        floors = brief.clamp_count("floors", asked, 2, 1, MAX_FLOORS)
    else:
        needed = math.ceil((people or 60) / max(per_floor, 1))
        floors = int(brief.clamp("floors for the people", needed, 1 if retail else 2, MAX_FLOORS))
    floor_h = 4.5 if retail else 3.6
    for i in range(floors):
        parts.add(
            f"floor_{i + 1:02d}",
            "floor",
            (0.3, i * floor_h, 0.3),
            (plate_w, floor_h, plate_d),
            level=i + 1,
            capacity=per_floor,
        )
    height = floors * floor_h
    if not retail or floors > 1:
        parts.add(
            "core",
            "core",
            (0.3 + plate_w / 2 - 4, 0, 0.3 + plate_d / 2 - 4),
            (8, height, 8),
            "concrete",
            contains=["elevators", "stairs"],
        )
    roofing = "green_roof" if "green roof" in parts.features or "sustainable" in parts.features else parts.material
    parts.add("roof", "roof", (0.3, height, 0.3), (plate_w, 0.5, plate_d), roofing)
    glazing = "high" if "natural lighting" in parts.features else "standard"
    parts.add("facade", "facade", (0, 0, 0), (plate_w + 0.6, height, 0.3), "glass", glazing=glazing)
    parts.add("entrance", "door", (0.3 + plate_w / 2 - 1.5, 0, 0), (3.0, 2.6, 0.3), "glass")
    parts.brief.facts.update(storeys=floors)


def _industrial(parts: Parts) -> None:
    brief = parts.brief
    factory = kind_of(brief.text, {"factory": ("factory", "plant", "workshop")}, "warehouse") == "factory"
    width, depth = _footprint(parts, (60.0, 40.0), (10.0, 500.0), (10.0, 300.0))
    tall = brief.length("height")
    height = brief.clamp("hall height", tall.metres, 4.0, 40.0, " m") if tall else 10.0
    docks = brief.clamp_count("loading docks", brief.count("loading dock", "dock", "bay"), 3, 0, int(width // 4))
    parts.add("slab", "slab", (0, 0, 0), (width, SLAB, depth), "concrete")
    parts.add("hall", "hall", (0, SLAB, 0), (width, height, depth), "steel", clear_height=height)
    parts.add("roof", "roof", (0, SLAB + height, 0), (width, 0.6, depth), "steel")
    for i in range(docks):
        parts.add(f"dock_door_{i + 1}", "dock_door", (4.0 + i * 4.0, SLAB, 0), (3.0, 3.5, 0.1), "steel")
    parts.add("office_block", "office", (width - 12.5, SLAB, 0.5), (12.0, 6.0, 8.0), "concrete", storeys=2)
    if factory:
        parts.add("stack", "stack", (2.0, SLAB + height + 0.6, depth - 4.0), (2.0, 8.0, 2.0), "steel")
    parts.brief.facts.update(loading_docks=docks)
