"""Scenes, drawn: a procedural vector illustrator for briefs that describe a scene rather
than a graphic ("a beautiful sunset over mountains"), and the staging of an object the icon
set holds (a product on a seamless background, a character with its accessory).

A scene is one ``scene`` layer of the spec: its plan (time of day, elements, weather,
treatment, seed and colours) is stored, never its shapes, and :func:`scene_svg` draws it
again from the plan, so the same spec gives the same bytes."""

from __future__ import annotations

from typing import Any

from atelier.design.scenes.check import check_scene
from atelier.design.scenes.layout import compose_scene
from atelier.design.scenes.paint import paint
from atelier.design.scenes.plan import read


def scene_svg(layer: dict[str, Any]) -> str:
    """The SVG group of a ``scene`` layer, drawn inside its box."""
    x0, y0, x1, y1 = (float(v) for v in layer["box"])
    return paint(layer["scene"], (x0, y0, x1, y1))


__all__ = ["check_scene", "compose_scene", "read", "scene_svg"]
