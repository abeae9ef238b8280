"""What a spec is asked for with, and what a finished spec must be whoever wrote it (the
planner or a language model): the Prompt-to-JSON v2 shape, sizes in metres within what that
kind of design can measure, and every object inside the scene's bounding box, which starts
at the origin."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from atelier.specs.vocabulary import TYPES

#: Largest scene extent, in metres, per design type: a skyscraper, a ship, a server rack, an
#: industrial appliance, a long bench. Anything bigger is a unit mistake, not a design.
MAX_EXTENT: dict[str, float] = {
    "building": 1000.0,
    "vehicle": 500.0,
    "electronics": 3.0,
    "appliance": 10.0,
    "furniture": 10.0,
}
#: Thinnest part in metres (a phone's glass is about 1 mm).
MIN_SIZE = 0.0005
MAX_OBJECTS = 300
#: Rounding slack when comparing an object's far corner with the box.
EPSILON = 1e-6
IDENTIFIER = r"^[a-z][a-z0-9_]{0,59}$"


@dataclass(frozen=True)
class SpecRequest:
    """What a spec is written from: the client's prompt, context, style and constraints."""

    prompt: str
    context: dict[str, Any] = field(default_factory=dict)
    style: str | None = None
    constraints: list[str] = field(default_factory=list)


class InvalidSpec(ValueError):
    """A spec that breaks the rules above; the message names the first problem."""


class Position(BaseModel):
    x: float = Field(ge=0)
    y: float = Field(ge=0)
    z: float = Field(ge=0)


class Dimensions(BaseModel):
    width: float = Field(ge=MIN_SIZE)
    height: float = Field(ge=MIN_SIZE)
    depth: float = Field(ge=MIN_SIZE)
    units: Literal["meters"]


class DesignObject(BaseModel):
    id: str = Field(min_length=1, max_length=60)
    type: str = Field(min_length=1, max_length=60)
    material: str = Field(min_length=1, max_length=60)
    position: Position
    dimensions: Dimensions
    editable: bool
    properties: dict[str, Any]


class Scene(BaseModel):
    name: str
    description: str
    total_objects: int
    bounding_box: Dimensions


class Version(BaseModel):
    version: str
    created_at: str
    modified_at: str
    author: str


class OriginalSpec(BaseModel):
    design_type: str
    category: str
    materials: list[dict[str, str]]
    features: list[str]


class Metadata(BaseModel):
    model_config = ConfigDict(extra="allow")
    original_spec: OriginalSpec
    generation_method: str


class DesignSpec(BaseModel):
    spec_id: str
    objects: list[DesignObject] = Field(min_length=1, max_length=MAX_OBJECTS)
    scene: Scene
    version: Version
    metadata: Metadata

    @model_validator(mode="after")
    def _consistent(self) -> DesignSpec:
        original = self.metadata.original_spec
        if original.design_type not in TYPES:
            raise ValueError(f"design_type '{original.design_type}' is not one of {', '.join(TYPES)}")
        if original.category not in TYPES[original.design_type]:
            raise ValueError(f"category '{original.category}' is not a kind of {original.design_type}")
        ids = [o.id for o in self.objects]
        if len(set(ids)) != len(ids):
            raise ValueError("object ids are not unique")
        if self.scene.total_objects != len(self.objects):
            raise ValueError(f"scene.total_objects is {self.scene.total_objects}, but there are {len(ids)} objects")
        box = self.scene.bounding_box
        limit = MAX_EXTENT[original.design_type]
        if max(box.width, box.height, box.depth) > limit:
            raise ValueError(f"the bounding box exceeds {limit:g} m, more than any {original.design_type} measures")
        for o in self.objects:
            p, d = o.position, o.dimensions
            if (
                p.x + d.width > box.width + EPSILON
                or p.y + d.height > box.height + EPSILON
                or p.z + d.depth > box.depth + EPSILON
            ):
                raise ValueError(f"object '{o.id}' extends outside the scene's bounding box")
        return self


def check(spec: dict[str, Any]) -> None:
    """Raise InvalidSpec unless ``spec`` is a complete, realistic, self-consistent spec."""
    try:
        DesignSpec.model_validate(spec)
    except ValidationError as exc:
        raise InvalidSpec(first_problem(exc)) from exc


def first_problem(exc: ValidationError) -> str:
    """The first error of ``exc`` as ``where: what``, short enough for a response field."""
    error = exc.errors(include_url=False, include_input=False)[0]
    where = ".".join(str(part) for part in error["loc"])
    message = str(error["msg"]).removeprefix("Value error, ")
    text = f"{where}: {message}" if where else message
    extra = exc.error_count() - 1
    return text + (f" (and {extra} more)" if extra else "")
