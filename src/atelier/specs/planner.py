"""A rule-based planner for structured 3D design specs (Prompt-to-JSON v2). It is not a
language model and says so: ``generation_method`` is ``rule_based_planner``. It detects the
design type, sizes objects in metres from the prompt, context and constraints, and keeps
every object inside the scene's bounding box."""

from __future__ import annotations

import math
import re
import uuid
from datetime import UTC, datetime
from typing import Any

TYPES: dict[str, dict[str, tuple[str, ...]]] = {
    "building": {
        "residential": ("house", "apartment", "home", "villa", "residential", "cabin"),
        "commercial": ("office", "building", "tower", "store", "mall", "hotel", "commercial", "school"),
        "industrial": ("factory", "warehouse", "plant", "industrial", "hangar"),
    },
    "vehicle": {
        "car": ("car", "vehicle", "sedan", "suv", "ev", "coupe"),
        "truck": ("truck", "lorry", "van"),
        "motorcycle": ("motorcycle", "motorbike", "scooter", "bike"),
        "aircraft": ("aircraft", "plane", "airplane", "jet", "drone"),
        "boat": ("boat", "yacht", "ship", "ferry", "kayak"),
    },
    "electronics": {
        "computer": ("computer", "laptop", "pc", "desktop", "server"),
        "phone": ("phone", "smartphone", "tablet"),
        "iot": ("iot", "sensor", "smart home", "wearable", "tracker"),
        "circuit": ("circuit", "pcb", "board", "chip"),
    },
    "appliance": {
        "kitchen": ("fridge", "refrigerator", "oven", "microwave", "dishwasher", "kitchen", "coffee maker"),
        "laundry": ("washer", "washing machine", "dryer", "laundry"),
        "hvac": ("hvac", "air conditioner", "heater", "heat pump", "fan"),
        "smart_home": ("thermostat", "smart speaker", "vacuum"),
    },
    "furniture": {
        "chair": ("chair", "stool", "armchair", "sofa", "couch", "bench"),
        "table": ("table", "desk"),
        "storage": ("shelf", "cabinet", "wardrobe", "bookcase", "drawer"),
        "decorative": ("lamp", "vase", "mirror", "sculpture", "decor"),
    },
}
MATERIALS = (
    "carbon_fiber",
    "aluminum",
    "steel",
    "glass",
    "wood",
    "concrete",
    "plastic",
    "leather",
    "fabric",
    "titanium",
    "bamboo",
    "marble",
)
FEATURES = (
    "aerodynamic",
    "electric",
    "sustainable",
    "solar",
    "wifi",
    "bluetooth",
    "waterproof",
    "weatherproof",
    "modular",
    "foldable",
    "smart",
    "autonomous",
    "hybrid",
    "wireless",
    "natural lighting",
    "green roof",
    "leed certified",
    "battery",
    "ergonomic",
    "minimalist",
    "luxury",
    "compact",
)
#: Caps on what a prompt's numbers can ask for ("1000000 employees", "9999 seats"): the tallest
#: towers have about 160 floors, the largest airliners about 850 seats.
MAX_FLOORS = 160
MAX_SEATS = 100
DEFAULT_MATERIAL = {
    "building": "concrete",
    "vehicle": "aluminum",
    "electronics": "plastic",
    "appliance": "steel",
    "furniture": "wood",
}


def detect(text: str) -> tuple[str, str]:
    """The type whose words appear; on a tie the one named last wins ("office chair" is a chair)."""
    low = text.lower()
    best: tuple[int, int, str, str] = (0, -1, "furniture", "decorative")
    for design_type, subtypes in TYPES.items():
        for subtype, words in subtypes.items():
            positions = [m.start() for w in words for m in re.finditer(rf"\b{re.escape(w)}s?\b", low)]
            if positions and (len(positions), max(positions)) > best[:2]:
                best = (len(positions), max(positions), design_type, subtype)
    return best[2], best[3]


def _number(pattern: str, text: str) -> int | None:
    match = re.search(pattern, text, re.IGNORECASE)
    return int(match.group(1)) if match else None


def _box(
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


def _building(text: str, material: str, feats: list[str]) -> list[dict[str, Any]]:
    people = _number(r"(\d[\d,]*)\s*(?:employees|people|occupants|staff|residents)", text.replace(",", ""))
    area = (people or 60) * 12.0  # m² of floor per person, offices of this kind
    plate_w, plate_d = 40.0, 30.0
    floors = min(MAX_FLOORS, max(2, math.ceil(area / (plate_w * plate_d * 0.8))))
    floor_h = 3.6
    objs = [
        _box(
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
        _box(
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
        _box(
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
        _box(
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


def _vehicle(text: str, subtype: str, material: str, feats: list[str]) -> list[dict[str, Any]]:
    asked = _number(r"(?:maximum|max|up to)?\s*(\d+)\s*(?:seats|seater|passengers)", text)
    seats = min(MAX_SEATS, asked or (2 if subtype == "motorcycle" else 5))
    length, width, height = {
        "car": (4.7, 1.9, 1.45),
        "truck": (7.5, 2.5, 3.2),
        "motorcycle": (2.2, 0.8, 1.2),
        "aircraft": (12.0, 11.0, 3.5),
        "boat": (9.0, 3.0, 2.5),
    }[subtype]
    objs = [
        _box("body", "body", material, (0, 0.3, 0), (width, height * 0.55, length), "vehicle", feats),
        _box(
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
            objs.append(_box(f"wheel_{i + 1}", "wheel", "rubber", (x, 0, z), (0.25, 0.7, 0.7), "vehicle", feats))
    rows = math.ceil(seats / 2)
    for i in range(seats):
        row, col = divmod(i, 2)
        objs.append(
            _box(
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
            _box(
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


def _generic(design_type: str, subtype: str, material: str, feats: list[str]) -> list[dict[str, Any]]:
    parts = {
        "electronics": [
            ("enclosure", (0.08, 0.03, 0.08)),
            ("board", (0.06, 0.005, 0.06)),
            ("battery", (0.04, 0.01, 0.03)),
            ("antenna", (0.005, 0.03, 0.005)),
        ],
        "appliance": [
            ("housing", (0.6, 0.85, 0.6)),
            ("door", (0.58, 0.8, 0.03)),
            ("control_panel", (0.5, 0.1, 0.02)),
            ("motor", (0.3, 0.25, 0.3)),
        ],
        "furniture": [
            ("seat", (0.45, 0.05, 0.45)),
            ("back", (0.45, 0.45, 0.04)),
            ("leg_1", (0.04, 0.45, 0.04)),
            ("leg_2", (0.04, 0.45, 0.04)),
            ("leg_3", (0.04, 0.45, 0.04)),
            ("leg_4", (0.04, 0.45, 0.04)),
        ],
    }.get(design_type, [("body", (1.0, 1.0, 1.0))])
    if subtype == "computer":
        parts = [
            ("chassis", (0.32, 0.02, 0.22)),
            ("screen", (0.31, 0.2, 0.01)),
            ("keyboard", (0.28, 0.005, 0.1)),
            ("battery", (0.2, 0.008, 0.08)),
            ("board", (0.25, 0.004, 0.15)),
        ]
    if subtype == "phone":
        parts = [
            ("chassis", (0.072, 0.15, 0.008)),
            ("screen", (0.07, 0.145, 0.001)),
            ("battery", (0.06, 0.09, 0.004)),
            ("board", (0.06, 0.05, 0.002)),
            ("camera", (0.02, 0.02, 0.003)),
        ]
    if subtype == "table":
        parts = [("top", (1.6, 0.04, 0.8))] + [(f"leg_{i}", (0.05, 0.72, 0.05)) for i in range(1, 5)]
    objs, y = [], 0.0
    for name, dims in parts:
        objs.append(
            _box(
                name,
                name.split("_")[0],
                material if name not in {"battery", "board"} else "composite",
                (0, y, 0),
                dims,
                design_type,
                feats,
            )
        )
        y += dims[1] if design_type != "furniture" else 0
    return objs


def bounding_box(objects: list[dict[str, Any]]) -> dict[str, Any]:
    dims = {"width": 0.0, "height": 0.0, "depth": 0.0}
    for o in objects:
        p, d = o["position"], o["dimensions"]
        dims["width"] = max(dims["width"], p["x"] + d["width"])
        dims["height"] = max(dims["height"], p["y"] + d["height"])
        dims["depth"] = max(dims["depth"], p["z"] + d["depth"])
    return {k: round(v * 1.1, 3) for k, v in dims.items()} | {"units": "meters"}


def normalise(objects: list[dict[str, Any]]) -> None:
    """Shift everything so the scene starts at the origin (nothing below or behind zero)."""
    for axis in ("x", "y", "z"):
        low = min(o["position"][axis] for o in objects)
        if low < 0:
            for o in objects:
                o["position"][axis] = round(o["position"][axis] - low, 3)


def plan(
    prompt: str, context: dict[str, Any] | None = None, style: str | None = None, constraints: list[str] | None = None
) -> dict[str, Any]:
    context = context or {}
    constraints = constraints or []
    text = " ".join([prompt, *(f"{k} {v}" for k, v in context.items()), *constraints])
    low = text.lower()
    design_type, subtype = detect(prompt + " " + " ".join(str(v) for v in context.values()))
    material = next((m for m in MATERIALS if m.replace("_", " ") in low), DEFAULT_MATERIAL[design_type])
    feats = [f for f in FEATURES if f in low]
    if design_type == "building":
        objects = _building(low, material, feats)
    elif design_type == "vehicle":
        objects = _vehicle(low, subtype, material, feats)
    else:
        objects = _generic(design_type, subtype, material, feats)
    normalise(objects)
    return assemble(
        objects,
        bounding_box(objects),
        name=f"{design_type.title()} from prompt",
        prompt=prompt,
        original={
            "design_type": design_type,
            "category": subtype,
            "materials": [{"type": material}],
            "features": feats,
        },
        method="rule_based_planner",
        style=style,
        constraints=constraints,
        context=context,
    )


def assemble(
    objects: list[dict[str, Any]],
    box: dict[str, Any],
    *,
    name: str,
    prompt: str,
    original: dict[str, Any],
    method: str,
    style: str | None,
    constraints: list[str],
    context: dict[str, Any],
) -> dict[str, Any]:
    """A version 1.0 spec around ``objects``, whoever planned them (``method`` says who)."""
    now = datetime.now(UTC).isoformat().replace("+00:00", "Z")
    return {
        "spec_id": str(uuid.uuid4()),
        "objects": objects,
        "scene": {"name": name, "description": prompt, "total_objects": len(objects), "bounding_box": box},
        "version": {"version": "1.0", "created_at": now, "modified_at": now, "author": "system"},
        "metadata": {
            "original_spec": original,
            "generation_method": method,
            "style": style,
            "constraints": constraints,
            "context": context,
        },
    }


def apply_edit(spec: dict[str, Any], object_id: str, changes: dict[str, Any], author: str) -> dict[str, Any]:
    """The next version with one object changed; the given spec is left untouched."""
    import copy

    from atelier.kit.errors import NotFound, ValidationFailed

    new = copy.deepcopy(spec)
    target = next((o for o in new["objects"] if o["id"] == object_id), None)
    if target is None:
        raise NotFound(f"Object {object_id} not found in spec")
    if not target.get("editable", False):
        raise ValidationFailed(f"Object {object_id} is not editable")
    for key in ("material", "type"):
        if key in changes:
            target[key] = str(changes[key])
    for key, axes in (("position", ("x", "y", "z")), ("dimensions", ("width", "height", "depth"))):
        if key in changes:
            for axis in axes:
                if axis in changes[key]:
                    value = float(changes[key][axis])
                    if key == "dimensions" and value <= 0:
                        raise ValidationFailed(f"dimensions.{axis} must be positive")
                    if key == "position" and value < 0:
                        raise ValidationFailed(f"position.{axis} must not be negative")
                    target[key][axis] = value
    if "properties" in changes:
        target["properties"] = {**target["properties"], **dict(changes["properties"])}
    new["scene"]["bounding_box"] = bounding_box(new["objects"])  # grows to keep every object inside
    major = int(float(spec["version"]["version"])) + 1
    new["version"] = {
        **spec["version"],
        "version": f"{major}.0",
        "author": author,
        "modified_at": datetime.now(UTC).isoformat().replace("+00:00", "Z"),
    }
    return new
