"""What each kind of design really measures: the range of its longest extent and of its
height, in metres. The planner's assemblies are tested against these, and a language
model's answer must keep them too (or it is retried with the problems, then replaced)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Range:
    longest: tuple[float, float]
    height: tuple[float, float]


#: By category. Wide on purpose: a kayak and a container ship are both boats; what falls
#: outside is a unit mistake or a design of another kind.
RANGES: dict[str, Range] = {
    "residential": Range((5.0, 80.0), (2.5, 60.0)),
    "commercial": Range((8.0, 500.0), (3.0, 900.0)),
    "industrial": Range((10.0, 600.0), (4.0, 80.0)),
    "car": Range((2.5, 6.5), (1.0, 2.3)),
    "truck": Range((4.5, 25.0), (1.7, 4.6)),
    "bus": Range((5.5, 25.0), (2.4, 4.6)),
    "motorcycle": Range((1.4, 2.8), (0.8, 1.6)),
    "bicycle": Range((1.3, 3.0), (0.7, 1.4)),
    "aircraft": Range((0.2, 85.0), (0.05, 25.0)),
    "boat": Range((2.0, 400.0), (0.2, 80.0)),
    "computer": Range((0.2, 2.5), (0.01, 2.3)),
    "phone": Range((0.1, 0.35), (0.1, 0.35)),
    "watch": Range((0.025, 0.3), (0.005, 0.03)),
    "keyboard": Range((0.2, 0.55), (0.01, 0.06)),
    "iot": Range((0.01, 0.5), (0.003, 0.5)),
    "circuit": Range((0.01, 0.6), (0.0005, 0.08)),
    "display": Range((0.4, 2.5), (0.25, 1.6)),
    "kitchen": Range((0.2, 2.2), (0.2, 2.2)),
    "laundry": Range((0.5, 1.2), (0.6, 2.0)),
    "hvac": Range((0.2, 2.0), (0.2, 2.0)),
    "smart_home": Range((0.05, 0.6), (0.02, 0.4)),
    "chair": Range((0.3, 4.5), (0.3, 1.4)),
    "table": Range((0.4, 6.0), (0.3, 1.3)),
    "desk": Range((0.6, 3.2), (0.6, 1.35)),
    "storage": Range((0.3, 5.0), (0.3, 3.0)),
    "bed": Range((0.7, 2.6), (0.2, 1.9)),
    "decorative": Range((0.05, 3.0), (0.05, 3.0)),
}


def problems(spec: dict[str, Any]) -> list[str]:
    """What makes ``spec`` implausible for its category (empty when nothing does)."""
    category = spec["metadata"]["original_spec"]["category"]
    wanted = RANGES.get(category)
    if wanted is None:
        return []
    box = spec["scene"]["bounding_box"]
    longest = max(box["width"], box["height"], box["depth"])
    found = []
    low, high = wanted.longest
    if not low <= longest <= high:
        found.append(f"a {category} design's longest extent is {low:g}-{high:g} m, this one's is {longest:g} m")
    low, high = wanted.height
    if not low <= box["height"] <= high:
        found.append(f"a {category} design is {low:g}-{high:g} m high, this one is {box['height']:g} m")
    return found
