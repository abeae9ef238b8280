"""A rule-based planner for structured 3D design specs (Prompt-to-JSON v2). It is not a
language model and says so: ``generation_method`` is ``rule_based_planner``. It reads the
brief's design (vocabulary.py) and numbers (quantities.py), builds that kind of design from
its parts, and keeps every part inside the scene's bounding box, tight around them.

``metadata.notes`` says what was assumed or clamped; ``metadata.recognised`` which words of the
brief named the design; a brief naming no design it knows gets ``metadata.fallback`` (what
was not recognised, what was built instead) and a note saying so, never a silent shape."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from atelier.specs.appliances import appliance_objects
from atelier.specs.assembly import assemble
from atelier.specs.buildings import building_objects
from atelier.specs.electronics import electronics_objects
from atelier.specs.furniture import furniture_objects
from atelier.specs.quantities import Brief
from atelier.specs.scene import Parts, bounding_box, normalise
from atelier.specs.vehicles import vehicle_objects
from atelier.specs.vocabulary import DEFAULT_MATERIAL, FEATURES, HEAD_END, MATERIALS, detect

BUILDERS: dict[str, Callable[[Parts, str], None]] = {
    "building": building_objects,
    "vehicle": vehicle_objects,
    "electronics": electronics_objects,
    "appliance": appliance_objects,
    "furniture": furniture_objects,
}
FALLBACK = "a decorative sculpture on a plinth"


def _head(prompt: str) -> str:
    """The brief's head phrase, as quoted in a note ("a spaceship for two")."""
    low = prompt.strip().lower()
    cut = HEAD_END.search(low)
    head = (low[: cut.start()] if cut and cut.start() > 0 else low).strip()
    return re.sub(r"\s+", " ", head)[:80] or low[:80]


def plan(
    prompt: str, context: dict[str, Any] | None = None, style: str | None = None, constraints: list[str] | None = None
) -> dict[str, Any]:
    context = context or {}
    constraints = constraints or []
    brief = Brief(" ".join([prompt, *(f"{k} {v}" for k, v in context.items()), *constraints]))
    found = detect(prompt)
    if not found.recognised:
        found = detect(" ".join(str(v) for v in context.values()))
    design_type, category = found.design_type, found.category
    material = next((m for m in MATERIALS if m.replace("_", " ") in brief.text), DEFAULT_MATERIAL[design_type])
    feats = [f for f in FEATURES if f in brief.text]
    metadata: dict[str, Any] = {}
    if not found.recognised:
        unknown = _head(prompt)
        brief.notes.append(
            f"'{unknown}' names no design this planner knows (buildings, vehicles, electronics, "
            f"appliances, furniture): built {FALLBACK} instead"
        )
        metadata["fallback"] = {"not_recognised": unknown, "built_instead": FALLBACK}
        brief = Brief("sculpture", notes=brief.notes)
    elif found.generic:
        brief.notes.append(
            f"'{found.word}' names no particular kind of {design_type}: built a {category.replace('_', ' ')}"
        )
    parts = Parts(design_type, material, feats, brief)
    BUILDERS[design_type](parts, category)
    objects = parts.objects
    normalise(objects)
    metadata |= {"recognised": {"words": found.word, "design_type": design_type, "category": category}}
    metadata |= {"notes": brief.notes, "built_with": brief.facts}
    spec = assemble(
        objects,
        bounding_box(objects),
        name=f"{category.replace('_', ' ').title()} {design_type} from prompt",
        prompt=prompt,
        original={
            "design_type": design_type,
            "category": category,
            "materials": [{"type": material}],
            "features": feats,
        },
        method="rule_based_planner",
        style=style,
        constraints=constraints,
        context=context,
    )
    spec["metadata"] |= metadata
    return spec
