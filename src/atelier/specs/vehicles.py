"""A vehicle's objects: body, cabin, wheels for cars and trucks, seats, a battery when electric."""

from __future__ import annotations

import math
from typing import Any

from atelier.specs.scene import box
from atelier.specs.vocabulary import number

#: Cap on what a prompt's numbers can ask for ("9999 seats"): the largest airliners have about
#: 850 seats.
MAX_SEATS = 100


def vehicle_objects(text: str, subtype: str, material: str, feats: list[str]) -> list[dict[str, Any]]:
    asked = number(r"(?:maximum|max|up to)?\s*(\d+)\s*(?:seats|seater|passengers)", text)
    seats = min(MAX_SEATS, asked or (2 if subtype == "motorcycle" else 5))
    length, width, height = {
        "car": (4.7, 1.9, 1.45),
        "truck": (7.5, 2.5, 3.2),
        "motorcycle": (2.2, 0.8, 1.2),
        "aircraft": (12.0, 11.0, 3.5),
        "boat": (9.0, 3.0, 2.5),
    }[subtype]
    objs = [
        box("body", "body", material, (0, 0.3, 0), (width, height * 0.55, length), "vehicle", feats),
        box(
            "cabin",
            "cabin",
            "glass",
            (0.1, 0.3 + height * 0.55, length * 0.3),
            (width - 0.2, height * 0.45, length * 0.45),
            "vehicle",
            feats,
        ),
    ]
    if subtype in {"car", "truck"}:
        for i, (x, z) in enumerate([(0, 0.7), (width - 0.25, 0.7), (0, length - 1.1), (width - 0.25, length - 1.1)]):
            objs.append(box(f"wheel_{i + 1}", "wheel", "rubber", (x, 0, z), (0.25, 0.7, 0.7), "vehicle", feats))
    rows = math.ceil(seats / 2)
    for i in range(seats):
        row, col = divmod(i, 2)
        objs.append(
            box(
                f"seat_{i + 1}",
                "seat",
                "leather",
                (0.25 + col * (width / 2 - 0.1), 0.5, length * 0.32 + row * (length * 0.4 / max(rows, 1))),
                (0.5, 0.9, 0.5),
                "vehicle",
                feats,
            )
        )
    if "electric" in feats or "battery" in feats:
        objs.append(
            box(
                "battery_pack",
                "battery",
                "lithium_ion",
                (0.2, 0.2, length * 0.25),
                (width - 0.4, 0.15, length * 0.5),
                "vehicle",
                feats,
                capacity_kwh=75,
            )
        )
    return objs
