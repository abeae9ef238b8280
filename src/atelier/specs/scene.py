"""Objects in a scene, in metres: one box-shaped object, the scene's bounding box around
them, and the shift that starts the scene at the origin."""

from __future__ import annotations

from typing import Any

from atelier.specs.quantities import Brief


def box(
    oid: str,
    kind: str,
    material: str,
    pos: tuple[float, float, float],
    dims: tuple[float, float, float],
    design_type: str,
    features: list[str],
    **props: Any,
) -> dict[str, Any]:
    return {
        "id": oid,
        "type": kind,
        "material": material,
        "position": {"x": round(pos[0], 3), "y": round(pos[1], 3), "z": round(pos[2], 3)},
        "dimensions": {
            "width": round(dims[0], 3),
            "height": round(dims[1], 3),
            "depth": round(dims[2], 3),
            "units": "meters",
        },
        "editable": True,
        "properties": {"design_type": design_type, "features": features, **props},
    }


def bounding_box(objects: list[dict[str, Any]]) -> dict[str, Any]:
    """The scene's box from the origin, tight to its objects' far corners."""
    dims = {"width": 0.0, "height": 0.0, "depth": 0.0}
    for o in objects:
        p, d = o["position"], o["dimensions"]
        dims["width"] = max(dims["width"], p["x"] + d["width"])
        dims["height"] = max(dims["height"], p["y"] + d["height"])
        dims["depth"] = max(dims["depth"], p["z"] + d["depth"])
    return {k: round(v, 3) for k, v in dims.items()} | {"units": "meters"}


def normalise(objects: list[dict[str, Any]]) -> None:
    """Shift everything so the scene starts at the origin (nothing below or behind zero)."""
    for axis in ("x", "y", "z"):
        low = min(o["position"][axis] for o in objects)
        if low < 0:
            for o in objects:
                o["position"][axis] = round(o["position"][axis] - low, 3)


class Parts:
    """One design's boxes as they are added, sharing its design type, main material and
    features (a part may name its own material), and the brief they are read from, whose
    notes say what was clamped or assumed."""

    def __init__(self, design_type: str, material: str, features: list[str], brief: Brief | None = None) -> None:
        self.design_type, self.material, self.features = design_type, material, features
        self.brief = brief or Brief("")
        self.objects: list[dict[str, Any]] = []

    def add(
        self,
        oid: str,
        kind: str,
        pos: tuple[float, float, float],
        dims: tuple[float, float, float],
        material: str | None = None,
        **props: Any,
    ) -> None:
        self.objects.append(
            box(oid, kind, material or self.material, pos, dims, self.design_type, self.features, **props)
        )
