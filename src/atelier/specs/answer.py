"""What the language model is asked to answer with: a design as objects in a scene box, in
metres. Its JSON schema is sent as a strict ``response_format``; the answer is validated
against the same model, then wrapped into a full spec by :func:`to_spec`."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, JsonValue

from atelier.specs.assembly import assemble
from atelier.specs.schema import IDENTIFIER, MAX_EXTENT, MAX_OBJECTS, MIN_SIZE
from atelier.specs.vocabulary import TYPES

_LONGEST = max(MAX_EXTENT.values())
_STRICT = ConfigDict(extra="forbid")
#: Keywords strict structured outputs refuse; the answer is still validated against them.
_NOT_IN_STRICT = frozenset({"title", "minLength", "maxLength"})


def _enum(values: Iterable[str]) -> dict[str, JsonValue]:
    options: list[JsonValue] = [*values]
    return {"enum": options}


class Corner(BaseModel):
    model_config = _STRICT
    x: float = Field(ge=0, le=_LONGEST)
    y: float = Field(ge=0, le=_LONGEST)
    z: float = Field(ge=0, le=_LONGEST)


class Size(BaseModel):
    model_config = _STRICT
    width: float = Field(ge=MIN_SIZE, le=_LONGEST, description="Along x, in metres.")
    height: float = Field(ge=MIN_SIZE, le=_LONGEST, description="Along y (up), in metres.")
    depth: float = Field(ge=MIN_SIZE, le=_LONGEST, description="Along z, in metres.")


class PlannedObject(BaseModel):
    model_config = _STRICT
    id: str = Field(pattern=IDENTIFIER, description="Unique within the design, e.g. floor_01, wheel_2.")
    type: str = Field(pattern=IDENTIFIER, description="What the part is, e.g. floor, wheel, seat, screen.")
    material: str = Field(pattern=IDENTIFIER, description="Main material, snake_case, e.g. carbon_fiber.")
    position: Corner = Field(description="The corner nearest the origin, in metres; never negative.")
    dimensions: Size


class PlannedDesign(BaseModel):
    model_config = _STRICT
    name: str = Field(min_length=1, max_length=120, description="A short name for the design.")
    design_type: str = Field(json_schema_extra=_enum(TYPES))
    category: str = Field(
        description="A kind of the design type: " + "; ".join(f"{t}: {', '.join(kinds)}" for t, kinds in TYPES.items()),
        json_schema_extra=_enum(sorted({k for kinds in TYPES.values() for k in kinds})),
    )
    material: str = Field(pattern=IDENTIFIER, description="The design's primary material.")
    features: list[Annotated[str, Field(max_length=40)]] = Field(max_length=20)
    bounding_box: Size = Field(
        description="The scene box from the origin; every object's position + dimensions stays inside it. "
        "Largest extent per design type, metres: " + ", ".join(f"{t} {m:g}" for t, m in MAX_EXTENT.items())
    )
    objects: list[PlannedObject] = Field(min_length=1, max_length=MAX_OBJECTS)


def strict_schema() -> dict[str, Any]:
    """PlannedDesign's JSON schema in the subset strict structured outputs accept: references
    inlined, no titles or string lengths, every property required, no other properties allowed."""
    raw = PlannedDesign.model_json_schema()
    definitions: dict[str, Any] = raw.pop("$defs", {})

    def tidy(node: dict[str, Any]) -> dict[str, Any]:
        if "$ref" in node:
            node = {**definitions[node["$ref"].rsplit("/", 1)[-1]], **{k: v for k, v in node.items() if k != "$ref"}}
        out = {k: v for k, v in node.items() if k not in _NOT_IN_STRICT}
        if "properties" in out:
            out["properties"] = {name: tidy(sub) for name, sub in out["properties"].items()}
            out["required"] = list(out["properties"])
            out["additionalProperties"] = False
        if isinstance(out.get("items"), dict):
            out["items"] = tidy(out["items"])
        return out

    return tidy(raw)


def to_spec(
    design: PlannedDesign,
    *,
    prompt: str,
    context: dict[str, Any],
    style: str | None,
    constraints: list[str],
    method: str,
) -> dict[str, Any]:
    """The full spec around the model's design, shaped exactly like the planner's."""
    objects = [
        {
            "id": o.id,
            "type": o.type,
            "material": o.material,
            "position": o.position.model_dump(),
            "dimensions": {**o.dimensions.model_dump(), "units": "meters"},
            "editable": True,
            "properties": {"design_type": design.design_type, "features": design.features},
        }
        for o in design.objects
    ]
    return assemble(
        objects,
        {**design.bounding_box.model_dump(), "units": "meters"},
        name=design.name,
        prompt=prompt,
        original={
            "design_type": design.design_type,
            "category": design.category,
            "materials": [{"type": design.material}],
            "features": design.features,
        },
        method=method,
        style=style,
        constraints=constraints,
        context=context,
    )
