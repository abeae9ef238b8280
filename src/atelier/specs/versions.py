"""What changed from one version of a spec to the next, read from the two versions' content
(objects matched by id), so the history needs nothing stored beside the versions."""

from __future__ import annotations

from typing import Any

AXES = {"position": ("x", "y", "z"), "dimensions": ("width", "height", "depth")}


def _box(spec: dict[str, Any]) -> str:
    b = spec["scene"]["bounding_box"]
    return f"{b['width']:g} x {b['height']:g} x {b['depth']:g} m"


def changes(before: dict[str, Any] | None, after: dict[str, Any]) -> list[str]:
    """``after``'s changes from ``before`` as short sentences; the first version says who wrote it."""
    if before is None:
        method = after.get("metadata", {}).get("generation_method", "unknown")
        return [f"created by {method} with {len(after['objects'])} objects, bounding box {_box(after)}"]
    old = {o["id"]: o for o in before["objects"]}
    new = {o["id"]: o for o in after["objects"]}
    found = [f"{oid}: added" for oid in new if oid not in old]
    found += [f"{oid}: removed" for oid in old if oid not in new]
    for oid, o in new.items():
        was = old.get(oid)
        if was is None:
            continue
        for key in ("material", "type"):
            if was.get(key) != o.get(key):
                found.append(f"{oid}: {key} {was.get(key)} -> {o.get(key)}")
        for key, axes in AXES.items():
            for axis in axes:
                a, b = was[key].get(axis), o[key].get(axis)
                if a != b:
                    found.append(f"{oid}: {key}.{axis} {a:g} -> {b:g}")
        if was.get("properties") != o.get("properties"):
            keys = sorted(
                k
                for k in {*was.get("properties", {}), *o.get("properties", {})}
                if was.get("properties", {}).get(k) != o.get("properties", {}).get(k)
            )
            found.append(f"{oid}: properties {', '.join(keys)} changed")
    if before["scene"]["bounding_box"] != after["scene"]["bounding_box"]:
        found.append(f"scene bounding box {_box(before)} -> {_box(after)}")
    return found or ["no change"]


def history(contents: list[tuple[int, str, str, dict[str, Any]]]) -> list[dict[str, Any]]:
    """Each version (number, author, created_at, content), oldest first, with its changes."""
    out = []
    previous: dict[str, Any] | None = None
    for number, author, created_at, content in contents:
        out.append(
            {
                "version": content["version"]["version"],
                "number": number,
                "author": author,
                "created_at": created_at,
                "total_objects": len(content["objects"]),
                "bounding_box": content["scene"]["bounding_box"],
                "changes": changes(previous, content),
            }
        )
        previous = content
    return out
