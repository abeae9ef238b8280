"""Which pieces of the prompt's copy a design sets, and a note for each one it does not:
copy is never dropped silently."""

from __future__ import annotations

from typing import Any

from atelier.design.brief import Brief


def is_set(text: str, role: str, layers: list[dict[str, Any]]) -> bool:
    """Whether ``text`` is on a text layer of ``role`` (its line may hold other items too)."""
    return any(layer.get("type") == "text" and layer.get("role") == role and text in layer["text"] for layer in layers)


def copy_report(
    brief: Brief, layers: list[dict[str, Any]], tried: dict[str, bool], *, layout: str, width: int, height: int
) -> tuple[list[dict[str, Any]], list[str]]:
    """Every copy item with whether it was set, and a note (with its reason) for each that was not."""
    items: list[dict[str, Any]] = []
    notes: list[str] = []
    for item in brief.copy:
        placed = is_set(item.text, item.role, layers)
        items.append({"kind": item.kind, "role": item.role, "text": item.text, "set": placed})
        if placed:
            continue
        what = f"the {item.kind} {item.text[:60]!r}"
        if brief.design_type in ("icon", "app_icon"):
            why = f"an icon carries no text, so {what} is not on the {width}×{height} icon"
        elif item.role not in tried:
            why = f"the '{layout}' {brief.design_type} layout has no place for {what}"
        else:
            why = f"no room for {what} at a legible size on the {width}×{height} {brief.design_type}"
        notes.append(f"not set: {why}")
    return items, notes
