"""An isometric preview of a spec: every object drawn as a shaded box, far to near."""

from __future__ import annotations

import io
import math
from typing import Any

from PIL import Image, ImageDraw

PALETTE = {
    "glass": (120, 180, 220),
    "concrete": (170, 170, 165),
    "steel": (140, 150, 160),
    "wood": (170, 120, 70),
    "leather": (110, 70, 50),
    "rubber": (40, 40, 40),
    "aluminum": (190, 195, 200),
    "plastic": (230, 230, 235),
    "carbon_fiber": (60, 60, 70),
    "green_roof": (90, 150, 80),
    "lithium_ion": (80, 120, 60),
}
COS, SIN = math.cos(math.radians(30)), math.sin(math.radians(30))


def _project(x: float, y: float, z: float) -> tuple[float, float]:
    return (x - z) * COS, -(y + (x + z) * SIN)


def render_preview(spec: dict[str, Any], width: int = 768, height: int = 512) -> bytes:
    objects = spec["objects"]
    corners = []
    for o in objects:
        p, d = o["position"], o["dimensions"]
        for dx in (0, d["width"]):
            for dy in (0, d["height"]):
                for dz in (0, d["depth"]):
                    corners.append(_project(p["x"] + dx, p["y"] + dy, p["z"] + dz))
    xs, ys = [c[0] for c in corners], [c[1] for c in corners]
    span = max(max(xs) - min(xs), max(ys) - min(ys), 1e-6)
    scale = 0.85 * min(width, height) / span
    ox = width / 2 - (min(xs) + max(xs)) / 2 * scale
    oy = height / 2 - (min(ys) + max(ys)) / 2 * scale
    image = Image.new("RGB", (width, height), (248, 248, 245))
    draw = ImageDraw.Draw(image)

    def pt(x: float, y: float, z: float) -> tuple[float, float]:
        px, py = _project(x, y, z)
        return ox + px * scale, oy + py * scale

    def depth(o: dict[str, Any]) -> float:
        p = o["position"]
        return float(p["x"] + p["z"] + p["y"] * 0.01)

    for o in sorted(objects, key=depth):
        p, d = o["position"], o["dimensions"]
        x0, y0, z0 = p["x"], p["y"], p["z"]
        x1, y1, z1 = x0 + d["width"], y0 + d["height"], z0 + d["depth"]
        base = PALETTE.get(o["material"], (150, 160, 200))
        shade = [tuple(int(c * f) for c in base) for f in (1.0, 0.8, 0.62)]
        top = [pt(x0, y1, z0), pt(x1, y1, z0), pt(x1, y1, z1), pt(x0, y1, z1)]
        left = [pt(x0, y0, z1), pt(x1, y0, z1), pt(x1, y1, z1), pt(x0, y1, z1)]
        right = [pt(x1, y0, z0), pt(x1, y0, z1), pt(x1, y1, z1), pt(x1, y1, z0)]
        for face, colour in ((top, shade[0]), (left, shade[1]), (right, shade[2])):
            draw.polygon(face, fill=colour, outline=(60, 60, 60))
    draw.text((12, 10), spec["scene"]["name"], fill=(40, 40, 40))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()
