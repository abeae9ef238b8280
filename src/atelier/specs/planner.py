"""A rule-based planner for structured 3D design specs (Prompt-to-JSON v2). It is not a
language model and says so: ``generation_method`` is ``rule_based_planner``. It detects the
design type, sizes objects in metres from the prompt, context and constraints, and keeps
every object inside the scene's bounding box."""

from __future__ import annotations

from typing import Any

from atelier.specs.appliances import appliance_objects
from atelier.specs.assembly import assemble
from atelier.specs.buildings import building_objects
from atelier.specs.electronics import electronics_objects
from atelier.specs.furniture import furniture_objects
from atelier.specs.scene import bounding_box, normalise
from atelier.specs.vehicles import vehicle_objects
from atelier.specs.vocabulary import DEFAULT_MATERIAL, FEATURES, MATERIALS, detect


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
        objects = building_objects(low, material, feats)
    elif design_type == "vehicle":
        objects = vehicle_objects(low, subtype, material, feats)
    elif design_type == "electronics":
        objects = electronics_objects(low, subtype, material, feats)
    elif design_type == "appliance":
        objects = appliance_objects(low, subtype, material, feats)
    else:
        objects = furniture_objects(low, subtype, material, feats)
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
