"""Checking a (possibly hand-edited) scene layer, so a bad edit is a clear client error."""

from __future__ import annotations

import re
from typing import Any

from atelier.design.colors import is_hex
from atelier.design.scenes.colours import ROLES
from atelier.design.scenes.words import ELEMENTS, TIMES, TREATMENTS, WEATHER

_PATH_DATA = re.compile(r"^[MmLlHhVvCcSsQqTtAaZz0-9eE.,+\-\s]*$")
MAX_ICON_PATHS = 40


def _icon(value: Any, where: str) -> None:
    if not isinstance(value, dict):
        raise ValueError(f"{where} must be an object")
    paths, view = value.get("paths"), value.get("view")
    if not isinstance(paths, list) or not 0 < len(paths) <= MAX_ICON_PATHS:
        raise ValueError(f"{where}.paths must be a list of 1 to {MAX_ICON_PATHS} SVG paths")
    if not all(isinstance(p, str) and len(p) < 20000 and _PATH_DATA.match(p) for p in paths):
        raise ValueError(f"{where}.paths must be SVG path data")
    if (
        not isinstance(view, list)
        or len(view) != 4
        or not all(isinstance(v, int | float) and not isinstance(v, bool) for v in view)
        or view[2] <= 0
        or view[3] <= 0
    ):
        raise ValueError(f"{where}.view must be four numbers with a positive width and height")


def check_scene(scene: Any, where: str = "scene") -> None:
    """ValueError naming the first problem of a scene plan."""
    if not isinstance(scene, dict):
        raise ValueError(f"{where} must be an object")
    if scene.get("time") not in TIMES:
        raise ValueError(f"{where}.time must be one of {', '.join(TIMES)}")
    if scene.get("treatment") not in (*TREATMENTS, "soft"):
        raise ValueError(f"{where}.treatment must be one of {', '.join((*TREATMENTS, 'soft'))}")
    for name, known in (("elements", ELEMENTS), ("weather", WEATHER)):
        value = scene.get(name)
        if not isinstance(value, list) or not all(v in known for v in value):
            raise ValueError(f"{where}.{name} must be a list of {', '.join(known)}")
    seed = scene.get("seed")
    if not isinstance(seed, int) or isinstance(seed, bool):
        raise ValueError(f"{where}.seed must be an integer")
    if not isinstance(scene.get("mirror", False), bool):
        raise ValueError(f"{where}.mirror must be true or false")
    colours = scene.get("colours")
    if not isinstance(colours, dict) or any(
        not (isinstance(colours.get(r), str) and is_hex(colours[r]) and len(colours[r]) == 7) for r in ROLES
    ):
        raise ValueError(f"{where}.colours must give a #RRGGBB colour for each of {', '.join(ROLES)}")
    stage = scene.get("stage")
    if stage is not None:
        if not isinstance(stage, dict):
            raise ValueError(f"{where}.stage must be an object or null")
        _icon(stage.get("object"), f"{where}.stage.object")
        if stage.get("accessory") is not None:
            _icon(stage["accessory"], f"{where}.stage.accessory")
        fill = stage.get("fill")
        if fill is not None and not (isinstance(fill, str) and is_hex(fill) and len(fill) == 7):
            raise ValueError(f"{where}.stage.fill must be a #RRGGBB colour or null")
