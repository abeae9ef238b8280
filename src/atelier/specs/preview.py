"""An isometric preview of a spec: every object drawn as a shaded box (the boxes of
:mod:`atelier.specs.geometry`, which the glTF export writes too), seen from above the -x, -z
corner, so the faces shown are each box's top and its x0 and z0 sides.

Boxes are painted far to near: a box goes before another when it lies entirely beyond it
along x or z, entirely below it, or inside it; boxes that interpenetrate otherwise fall back
to their centres, farther and lower first."""

from __future__ import annotations

import io
import math
from collections.abc import Callable
from typing import Any

from PIL import Image, ImageDraw

from atelier.specs.geometry import PALETTE, Box, box_of, colour, solids

__all__ = ["PALETTE", "box_of", "paint_order", "projector", "render_preview"]

COS, SIN = math.cos(math.radians(30)), math.sin(math.radians(30))
Projector = Callable[[float, float, float], tuple[float, float]]


def _project(x: float, y: float, z: float) -> tuple[float, float]:
    """Screen coordinates (y down): farther along x + z is higher up, as the eye sees it."""
    return (x - z) * COS, -(y + (x + z) * SIN)


def projector(boxes: list[Box], width: int, height: int) -> Projector:
    """Where a point of the scene lands on a ``width`` × ``height`` canvas, the scene centred
    and scaled to fit."""
    corners = [_project(x, y, z) for b in boxes for x in (b[0], b[3]) for y in (b[1], b[4]) for z in (b[2], b[5])] or [
        (0.0, 0.0)
    ]
    xs, ys = [c[0] for c in corners], [c[1] for c in corners]
    span = max(max(xs) - min(xs), max(ys) - min(ys), 1e-6)
    scale = 0.85 * min(width, height) / span
    ox = width / 2 - (min(xs) + max(xs)) / 2 * scale
    oy = height / 2 - (min(ys) + max(ys)) / 2 * scale

    def pt(x: float, y: float, z: float) -> tuple[float, float]:
        px, py = _project(x, y, z)
        return ox + px * scale, oy + py * scale

    return pt


def _inside(a: Box, b: Box) -> bool:
    return all(b[i] <= a[i] and a[i + 3] <= b[i + 3] for i in range(3)) and a != b


def _before(a: Box, b: Box) -> bool:
    """Whether ``a`` must be painted before ``b``: beyond it along x or z, under it, or
    inside it (a fridge's shelves are hidden by its housing)."""
    return a[0] >= b[3] or a[2] >= b[5] or a[4] <= b[1] or _inside(a, b)


def paint_order(boxes: list[Box]) -> list[int]:
    """Indices of ``boxes`` far to near (a topological order of :func:`_before`, ties and
    cycles settled by the centres: farther along x + z first, then lower first)."""

    def centre_key(i: int) -> tuple[float, float]:
        b = boxes[i]
        return (-(b[0] + b[3] + b[2] + b[5]), b[1] + b[4])

    count = len(boxes)
    after = [[j for j in range(count) if j != i and _before(boxes[i], boxes[j])] for i in range(count)]
    waiting_on = [0] * count
    for followers in after:
        for j in followers:
            waiting_on[j] += 1
    remaining = set(range(count))
    order: list[int] = []
    while remaining:
        free = [i for i in remaining if waiting_on[i] == 0]
        chosen = min(free or remaining, key=centre_key)  # none free: a cycle, broken by the centres
        order.append(chosen)
        remaining.discard(chosen)
        for j in after[chosen]:
            waiting_on[j] -= 1
    return order


def render_preview(spec: dict[str, Any], width: int = 768, height: int = 512) -> bytes:
    shapes = solids(spec)  # the same boxes the glTF export writes
    boxes = [s.box for s in shapes]
    pt = projector(boxes, width, height)
    image = Image.new("RGB", (width, height), (248, 248, 245))
    draw = ImageDraw.Draw(image)
    for index in paint_order(boxes):
        x0, y0, z0, x1, y1, z1 = boxes[index]
        base = colour(shapes[index].material)
        top_colour, left_colour, right_colour = (tuple(int(c * f) for c in base) for f in (1.0, 0.8, 0.62))
        top = [pt(x0, y1, z0), pt(x1, y1, z0), pt(x1, y1, z1), pt(x0, y1, z1)]
        left = [pt(x0, y0, z0), pt(x0, y0, z1), pt(x0, y1, z1), pt(x0, y1, z0)]  # the x0 side
        right = [pt(x0, y0, z0), pt(x1, y0, z0), pt(x1, y1, z0), pt(x0, y1, z0)]  # the z0 side
        for face, fill in ((top, top_colour), (left, left_colour), (right, right_colour)):
            draw.polygon(face, fill=fill, outline=(60, 60, 60))
    draw.text((12, 10), spec["scene"]["name"], fill=(40, 40, 40))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()
