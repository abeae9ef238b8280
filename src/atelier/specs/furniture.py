"""Furniture as assemblies: seats (seating.py); a table's top at 0.75 m on legs at its
corners, as long as the people it seats need; a desk with a drawer pedestal; storage as a
carcass (sides, top, back) with shelves, doors on the front face or drawers inside; lamps,
vases, mirrors and sculptures. The front is the z = 0 side."""

from __future__ import annotations

import math
import re
from typing import Any

from atelier.specs.desks import bed, desk
from atelier.specs.scene import Parts
from atelier.specs.seating import legs, seating_objects
from atelier.specs.vocabulary import count, kind_of, named

#: A table seats at most 18 (about 5.7 m): a longer one is a banquet of several tables.
MAX_TABLE_SEATS = 18
MAX_SHELVES, MAX_DRAWERS, MAX_DOORS = 8, 8, 4
BOARD = 0.02  # carcass boards, 2 cm


def furniture_objects(parts: Parts, subtype: str) -> None:
    text = parts.brief.text
    if subtype == "chair":
        seating_objects(parts, text)
        return
    build = {"table": _table, "storage": _storage, "desk": desk, "bed": bed}.get(subtype, _decorative)
    build(parts, text)


def _table(parts: Parts, text: str) -> None:
    brief = parts.brief
    coffee = kind_of(text, {"coffee": ("coffee table", "side table")}, "table") == "coffee"
    asked = count(("person", "guest", "diner", "seat", "seater"), text)
    seats = brief.clamp_count("table seats", asked, 4, 1, MAX_TABLE_SEATS)
    if coffee:
        width, depth, height = 1.1, 0.6, 0.45
    else:
        width, depth, height = max(0.9, math.ceil(seats / 2) * 0.6 + 0.3), 0.9 if seats > 2 else 0.75, 0.75
    pair = brief.pair()
    if pair:
        width = brief.clamp("table length", max(pair[:2]), 0.4, 6.0, " m")
        depth = brief.clamp("table width", min(pair[:2]), 0.4, 2.0, " m")
    under = height - 0.04
    legs(parts, width, depth, under, 0.06, inset=0.03)
    props: dict[str, Any] = {} if coffee else {"seats": seats}
    parts.add("top", "top", (0, under, 0), (width, 0.04, depth), **props)
    if coffee:
        parts.add("lower_shelf", "shelf", (0.09, 0.1, 0.03), (width - 0.18, 0.02, depth - 0.06))
    brief.facts.update(seats=seats, top_m=[round(width, 3), round(depth, 3)])


def carcass(parts: Parts, width: float, height: float, depth: float, z: float, *, bottom: bool = True) -> None:
    """Two sides, a top, a bottom and a back panel of 2 cm boards, its front at ``z``."""
    inner = width - 2 * BOARD
    parts.add("side_left", "side", (0, 0, z), (BOARD, height, depth))
    parts.add("side_right", "side", (width - BOARD, 0, z), (BOARD, height, depth))
    parts.add("top", "top", (BOARD, height - BOARD, z), (inner, BOARD, depth))
    if bottom:
        parts.add("bottom", "bottom", (BOARD, 0, z), (inner, BOARD, depth))
    parts.add("back_panel", "back", (BOARD, BOARD, z + depth - 0.01), (inner, height - 2 * BOARD, 0.01))


def _storage(parts: Parts, text: str) -> None:
    kind = kind_of(
        text,
        {
            "bookcase": ("bookcase", "bookshelf", "shelf", "shelving", "shelving unit"),
            "wardrobe": ("wardrobe", "closet", "armoire"),
            "drawers": ("drawer", "dresser", "chest of drawers"),
        },
        "cabinet",
    )
    if kind == "bookcase":
        brief = parts.brief
        tall = brief.length("height")
        fit = round((brief.clamp("bookcase height", tall.metres, 0.4, 2.8, " m") - 0.08) / 0.34) if tall else 5
        shelves = brief.clamp_count("shelves", count(("shelf", "tier"), text), max(1, fit), 1, MAX_SHELVES)
        wide = brief.length("width")
        width = brief.clamp("bookcase width", wide.metres, 0.3, 2.4, " m") if wide else 0.8
        depth, height = 0.3, 0.06 + shelves * 0.34 + BOARD
        brief.facts.update(shelves=shelves)
        carcass(parts, width, height, depth, 0, bottom=False)
        parts.add("plinth", "plinth", (BOARD, 0, 0), (width - 2 * BOARD, 0.06, 0.02))
        for i in range(shelves):
            parts.add(f"shelf_{i + 1}", "shelf", (BOARD, 0.06 + i * 0.34, 0), (width - 2 * BOARD, BOARD, depth - 0.01))
        return
    if kind == "drawers":
        drawers = parts.brief.clamp_count("drawers", count(("drawer",), text), 4, 1, MAX_DRAWERS)
        parts.brief.facts.update(drawers=drawers)
        width, depth, height = 0.8, 0.45, 2 * BOARD + drawers * 0.2
        carcass(parts, width, height, depth, 0)
        for i in range(drawers):
            y = BOARD + i * 0.2
            parts.add(f"drawer_{i + 1}", "drawer", (BOARD, y, 0), (width - 2 * BOARD, 0.19, depth - 0.02))
        return
    wardrobe = kind == "wardrobe"
    doors = parts.brief.clamp_count("doors", count(("door",), text), 2, 1, MAX_DOORS)
    parts.brief.facts.update(doors=doors)
    width, height, depth = (0.5 * doors, 2.0, 0.6) if wardrobe else (0.4 * doors, 0.9, 0.45)
    carcass(parts, width, height, depth, 0.02)
    shelf_y = height - 0.35 if wardrobe else height / 2
    parts.add("shelf_1", "shelf", (BOARD, shelf_y, 0.02), (width - 2 * BOARD, BOARD, depth - 0.01))
    if wardrobe:
        rail = (width - 2 * BOARD, 0.025, 0.025)
        parts.add("hanging_rail", "rail", (BOARD, shelf_y - 0.1, 0.02 + depth / 2), rail, "steel")
    for i in range(doors):
        parts.add(f"door_{i + 1}", "door", (i * width / doors, 0, 0), (width / doors, height, 0.02))


def _decorative(parts: Parts, text: str) -> None:
    kinds = {"lamp": ("lamp", "light"), "vase": ("vase",), "mirror": ("mirror",), "sculpture": ("sculpture", "statue")}
    kind = kind_of(text, kinds, "sculpture")
    if not named(kinds, text):
        parts.brief.notes.append(
            "no decorative piece this planner builds is named (a lamp, vase, mirror or sculpture): "
            "built a sculpture on a plinth"
        )
    tall = bool(re.search(r"\b(?:floor|standing|full[- ]length)\b", text))
    soft = parts.material if parts.material in {"glass", "plastic", "fabric", "bamboo"} else "fabric"
    if kind == "lamp":
        base, stem, shade = (0.3, 1.45, 0.45) if tall else (0.2, 0.35, 0.3)
        centre = base / 2
        parts.add("base", "base", (0, 0, 0), (base, 0.03, base))
        parts.add("stem", "stem", (centre - 0.01, 0.03, centre - 0.01), (0.02, stem, 0.02))
        top = 0.03 + stem
        parts.add("bulb", "bulb", (centre - 0.03, top, centre - 0.03), (0.06, 0.08, 0.06), "glass")
        corner = centre - shade / 2
        parts.add("shade", "shade", (corner, top - 0.1, corner), (shade, shade * 0.8, shade), soft)
    elif kind == "vase":
        parts.add("body", "body", (0, 0, 0), (0.18, 0.25, 0.18))
        parts.add("neck", "neck", (0.045, 0.25, 0.045), (0.09, 0.1, 0.09))
        parts.add("lip", "lip", (0.03, 0.35, 0.03), (0.12, 0.015, 0.12))
    elif kind == "mirror":
        width, height = (0.5, 1.6) if tall else (0.6, 0.9)
        parts.add("frame", "frame", (0, 0, 0), (width, height, 0.03))
        parts.add("glass", "glass", (0.04, 0.04, 0), (width - 0.08, height - 0.08, 0.01), "glass")
        parts.add("backing", "backing", (0.02, 0.02, 0.03), (width - 0.04, height - 0.04, 0.005))
        if tall:
            parts.add("stand", "stand", (width / 2 - 0.02, 0, 0.035), (0.04, height * 0.8, 0.35))
    else:
        parts.add("plinth", "plinth", (0, 0, 0), (0.4, 0.9, 0.4))
        parts.add("foot", "foot", (0.1, 0.9, 0.1), (0.2, 0.04, 0.2))
        parts.add("sculpture", "sculpture", (0.05, 0.94, 0.05), (0.3, 0.5, 0.3))
