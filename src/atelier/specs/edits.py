"""Editing one object of a spec, which makes the spec's next version."""

from __future__ import annotations

import copy
from datetime import UTC, datetime
from typing import Any

from atelier.kit.errors import NotFound, ValidationFailed
from atelier.specs.scene import bounding_box
from atelier.specs.schema import InvalidSpec, check


def apply_edit(spec: dict[str, Any], object_id: str, changes: dict[str, Any], author: str) -> dict[str, Any]:
    """The next version with one object changed; the given spec is left untouched."""
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
    # the box follows the objects, tight around them: it grows and shrinks with a move or resize
    new["scene"]["bounding_box"] = bounding_box(new["objects"])
    major = int(float(spec["version"]["version"])) + 1
    new["version"] = {
        **spec["version"],
        "version": f"{major}.0",
        "author": author,
        "modified_at": datetime.now(UTC).isoformat().replace("+00:00", "Z"),
    }
    try:
        check(new)
    except InvalidSpec as exc:
        raise ValidationFailed(f"The edit would make an invalid spec: {exc}") from None
    return new
