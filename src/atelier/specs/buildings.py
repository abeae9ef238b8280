"""A building's objects: floors sized for the people it must hold, a core, a roof and a facade."""

from __future__ import annotations

import math
from typing import Any

from atelier.specs.scene import box
from atelier.specs.vocabulary import number

#: Cap on what a prompt's numbers can ask for ("1000000 employees"): the tallest towers have
#: about 160 floors.
MAX_FLOORS = 160


def building_objects(text: str, material: str, feats: list[str]) -> list[dict[str, Any]]:
    people = number(r"(\d[\d,]*)\s*(?:employees|people|occupants|staff|residents)", text.replace(",", ""))
    area = (people or 60) * 12.0  # m² of floor per person, offices of this kind
    plate_w, plate_d = 40.0, 30.0
    floors = min(MAX_FLOORS, max(2, math.ceil(area / (plate_w * plate_d * 0.8))))
    floor_h = 3.6
    objs = [
        box(
            f"floor_{i + 1:02d}",
            "floor",
            material,
            (0, i * floor_h, 0),
            (plate_w, floor_h, plate_d),
            "building",
            feats,
            level=i + 1,
            capacity=math.floor(plate_w * plate_d * 0.8 / 12),
        )
        for i in range(floors)
    ]
    height = floors * floor_h
    objs.append(
        box(
            "core",
            "core",
            "concrete",
            (plate_w / 2 - 4, 0, plate_d / 2 - 4),
            (8, height, 8),
            "building",
            feats,
            contains=["elevators", "stairs"],
        )
    )
    objs.append(
        box(
            "roof",
            "roof",
            "green_roof" if "green roof" in feats or "sustainable" in feats else material,
            (0, height, 0),
            (plate_w, 0.5, plate_d),
            "building",
            feats,
        )
    )
    objs.append(
        box(
            "facade",
            "facade",
            "glass",
            (-0.3, 0, -0.3),
            (plate_w + 0.6, height, 0.3),
            "building",
            feats,
            glazing="high" if "natural lighting" in feats else "standard",
        )
    )
    return objs
