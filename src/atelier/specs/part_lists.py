"""Electronics, appliances and furniture: a fixed list of parts per design type (or per kind,
for computers, phones and tables), stacked upwards except for furniture."""

from __future__ import annotations

from typing import Any

from atelier.specs.scene import box


def part_list_objects(design_type: str, subtype: str, material: str, feats: list[str]) -> list[dict[str, Any]]:
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
            box(
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
