"""The geometry a spec describes, read once for every output: each object an axis-aligned
box in metres (x along width, y up, z along depth) with its material's colour. The isometric
preview and the glTF file are both drawn from these boxes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

Box = tuple[float, float, float, float, float, float]  # x0, y0, z0, x1, y1, z1

#: sRGB colours per material, 0-255.
PALETTE: dict[str, tuple[int, int, int]] = {
    "glass": (120, 180, 220),
    "concrete": (170, 170, 165),
    "steel": (140, 150, 160),
    "wood": (170, 120, 70),
    "oak": (185, 140, 90),
    "walnut": (110, 75, 50),
    "bamboo": (205, 180, 120),
    "teak": (160, 110, 60),
    "leather": (110, 70, 50),
    "fabric": (120, 130, 150),
    "rubber": (40, 40, 40),
    "aluminum": (190, 195, 200),
    "titanium": (160, 160, 170),
    "plastic": (230, 230, 235),
    "silicone": (60, 70, 80),
    "carbon_fiber": (60, 60, 70),
    "fiberglass": (235, 235, 225),
    "composite": (40, 110, 70),
    "green_roof": (90, 150, 80),
    "clay_tile": (170, 80, 55),
    "brick": (160, 75, 55),
    "marble": (225, 222, 215),
    "lithium_ion": (80, 120, 60),
}
DEFAULT_COLOUR = (150, 160, 200)


def colour(material: str) -> tuple[int, int, int]:
    return PALETTE.get(material, DEFAULT_COLOUR)


@dataclass(frozen=True)
class Solid:
    """One object of a spec as a box: its id, material and extent."""

    id: str
    material: str
    box: Box

    @property
    def size(self) -> tuple[float, float, float]:
        b = self.box
        return b[3] - b[0], b[4] - b[1], b[5] - b[2]

    @property
    def centre(self) -> tuple[float, float, float]:
        b = self.box
        return (b[0] + b[3]) / 2, (b[1] + b[4]) / 2, (b[2] + b[5]) / 2


def box_of(o: dict[str, Any]) -> Box:
    p, d = o["position"], o["dimensions"]
    return (p["x"], p["y"], p["z"], p["x"] + d["width"], p["y"] + d["height"], p["z"] + d["depth"])


def solids(spec: dict[str, Any]) -> list[Solid]:
    """Every object of ``spec`` as a box, in the spec's order."""
    return [Solid(str(o["id"]), str(o.get("material", "")), box_of(o)) for o in spec["objects"]]
