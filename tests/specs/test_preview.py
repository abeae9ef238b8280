"""The isometric preview paints what the eye sees: near boxes over far ones, upper boxes over
the ones they stand on, and each box's visible faces (top, x0 and z0 sides)."""

from __future__ import annotations

import io
from typing import Any

from PIL import Image

from atelier.specs.preview import PALETTE, box_of, paint_order, projector, render_preview


def obj(name: str, material: str, at: tuple[float, float, float], size: tuple[float, float, float]) -> dict[str, Any]:
    return {
        "id": name,
        "material": material,
        "position": dict(zip("xyz", at, strict=True)),
        "dimensions": {"width": size[0], "height": size[1], "depth": size[2], "units": "meters"},
    }


def pixel_at(spec: dict[str, Any], point: tuple[float, float, float]) -> tuple[int, int, int]:
    image = Image.open(io.BytesIO(render_preview(spec, 400, 300))).convert("RGB")
    pt = projector([box_of(o) for o in spec["objects"]], 400, 300)
    x, y = pt(*point)
    value: tuple[int, int, int] = image.getpixel((round(x), round(y)))  # type: ignore[assignment]
    return value


def shades(material: str) -> set[tuple[int, ...]]:
    return {tuple(int(c * f) for c in PALETTE[material]) for f in (1.0, 0.8, 0.62)}


def test_a_near_box_hides_the_far_box_behind_it() -> None:
    # the glass box stands beyond the wood one along x and is tall enough to overlap it on screen
    spec = {
        "objects": [obj("near", "wood", (0, 0, 0), (1, 1, 1)), obj("far", "glass", (1.5, 0, 0), (1, 3, 1))],
        "scene": {"name": "two boxes"},
    }
    # the middle of the near box's z0 side (the face turned to the viewer)
    assert pixel_at(spec, (0.5, 0.5, 0.0)) in shades("wood")
    assert paint_order([box_of(o) for o in spec["objects"]]) == [1, 0]


def test_a_roof_is_painted_over_the_floor_it_stands_on_whatever_the_list_order() -> None:
    spec = {
        "objects": [obj("roof", "green_roof", (0, 3, 0), (4, 0.3, 4)), obj("floor", "concrete", (0, 0, 0), (4, 3, 4))],
        "scene": {"name": "stack"},
    }
    assert pixel_at(spec, (2.0, 3.3, 2.0)) in shades("green_roof")  # the middle of the roof's top
    assert pixel_at(spec, (2.0, 1.5, 0.0)) in shades("concrete")  # the floor's side, below the roof


def test_a_part_inside_its_housing_is_hidden_by_it() -> None:
    spec = {
        "objects": [
            obj("housing", "steel", (0, 0, 0), (0.7, 1.8, 0.7)),
            obj("shelf", "glass", (0.05, 0.9, 0.05), (0.6, 0.02, 0.6)),
        ],
        "scene": {"name": "fridge"},
    }
    assert paint_order([box_of(o) for o in spec["objects"]]) == [1, 0]
    assert pixel_at(spec, (0.35, 1.8, 0.35)) in shades("steel")  # the housing's top, over the shelf
