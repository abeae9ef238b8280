"""The spec around a design's objects, shaped the same whether the planner or a language
model planned them."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any


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
