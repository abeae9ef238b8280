"""A spec as binary glTF 2.0 (GLB), written with struct and json: one node and one mesh per
object, both named by the object's id, the mesh a box of the object's size centred on the
node, the node translated to the object's centre; one PBR material per spec material,
coloured as the preview colours it. Units are metres and +y is up, as glTF wants; the spec's
front (z = 0) faces -z.

Every box has the same 24 vertices' normals and 36 indices, shared by all meshes; each mesh
has its own positions accessor with the min and max glTF requires."""

from __future__ import annotations

import json
import struct
from typing import Any

from atelier.specs.geometry import Solid, colour, solids

GLB_MAGIC, GLB_VERSION = 0x46546C67, 2
JSON_CHUNK, BIN_CHUNK = 0x4E4F534A, 0x004E4942
FLOAT, UNSIGNED_SHORT = 5126, 5123
ARRAY_BUFFER, ELEMENT_ARRAY_BUFFER = 34962, 34963
#: Each face: its outward normal and its four corners (as 0/1 per axis), counter-clockwise
#: seen from outside.
FACES: tuple[tuple[tuple[float, float, float], tuple[tuple[int, int, int], ...]], ...] = (
    ((1, 0, 0), ((1, 0, 0), (1, 1, 0), (1, 1, 1), (1, 0, 1))),
    ((-1, 0, 0), ((0, 0, 0), (0, 0, 1), (0, 1, 1), (0, 1, 0))),
    ((0, 1, 0), ((0, 1, 0), (0, 1, 1), (1, 1, 1), (1, 1, 0))),
    ((0, -1, 0), ((0, 0, 0), (1, 0, 0), (1, 0, 1), (0, 0, 1))),
    ((0, 0, 1), ((0, 0, 1), (1, 0, 1), (1, 1, 1), (0, 1, 1))),
    ((0, 0, -1), ((0, 0, 0), (0, 1, 0), (1, 1, 0), (1, 0, 0))),
)
INDICES = [i for f in range(6) for i in (4 * f, 4 * f + 1, 4 * f + 2, 4 * f, 4 * f + 2, 4 * f + 3)]


def _pad(data: bytes, filler: bytes) -> bytes:
    return data + filler * (-len(data) % 4)


def _positions(solid: Solid) -> list[float]:
    """The box's 24 vertices, centred on the origin (the node carries the translation)."""
    half = [s / 2 for s in solid.size]
    return [(2 * corner[a] - 1) * half[a] for _, corners in FACES for corner in corners for a in range(3)]


def _linear(channel: int) -> float:
    """An sRGB channel (0-255) as the linear factor glTF's baseColorFactor is."""
    c = channel / 255
    return c / 12.92 if c <= 0.04045 else float(((c + 0.055) / 1.055) ** 2.4)


def build(spec: dict[str, Any]) -> bytes:
    """The GLB bytes of ``spec``."""
    shapes = solids(spec)
    materials = sorted({s.material for s in shapes})
    normals = [float(c) for normal, _ in FACES for _ in range(4) for c in normal]
    blob = bytearray(_pad(struct.pack(f"<{len(INDICES)}H", *INDICES), b"\0"))
    normals_at = len(blob)
    blob += struct.pack(f"<{len(normals)}f", *normals)
    positions_at = len(blob)
    for s in shapes:
        blob += struct.pack("<72f", *_positions(s))
    views = [
        {"buffer": 0, "byteOffset": 0, "byteLength": 2 * len(INDICES), "target": ELEMENT_ARRAY_BUFFER},
        {"buffer": 0, "byteOffset": normals_at, "byteLength": 4 * len(normals), "target": ARRAY_BUFFER},
        {"buffer": 0, "byteOffset": positions_at, "byteLength": 288 * len(shapes), "target": ARRAY_BUFFER},
    ]
    accessors: list[dict[str, Any]] = [
        {"bufferView": 0, "componentType": UNSIGNED_SHORT, "count": len(INDICES), "type": "SCALAR"},
        {"bufferView": 1, "componentType": FLOAT, "count": 24, "type": "VEC3"},
    ]
    meshes, nodes = [], []
    for i, s in enumerate(shapes):
        half = [v / 2 for v in s.size]
        accessors.append(
            {
                "bufferView": 2,
                "byteOffset": 288 * i,
                "componentType": FLOAT,
                "count": 24,
                "type": "VEC3",
                "min": [-h for h in half],
                "max": half,
            }
        )
        primitive = {"attributes": {"POSITION": len(accessors) - 1, "NORMAL": 1}, "indices": 0}
        meshes.append({"name": s.id, "primitives": [primitive | {"material": materials.index(s.material)}]})
        nodes.append({"name": s.id, "mesh": i, "translation": list(s.centre)})
    document = {
        "asset": {"version": "2.0", "generator": "Atelier specs"},
        "scene": 0,
        "scenes": [{"name": spec["scene"]["name"], "nodes": list(range(len(nodes)))}],
        "nodes": nodes,
        "meshes": meshes,
        "materials": [
            {
                "name": m,
                "pbrMetallicRoughness": {
                    "baseColorFactor": [*(_linear(c) for c in colour(m)), 1.0],
                    "metallicFactor": 0.0,
                    "roughnessFactor": 0.8,
                },
            }
            for m in materials
        ],
        "accessors": accessors,
        "bufferViews": views,
        "buffers": [{"byteLength": len(blob)}],
        "extras": {"spec_id": spec.get("spec_id"), "version": spec.get("version", {}).get("version")},
    }
    text = _pad(json.dumps(document, separators=(",", ":")).encode(), b" ")
    data = _pad(bytes(blob), b"\0")
    total = 12 + 8 + len(text) + 8 + len(data)
    return b"".join(
        [
            struct.pack("<III", GLB_MAGIC, GLB_VERSION, total),
            struct.pack("<II", len(text), JSON_CHUNK),
            text,
            struct.pack("<II", len(data), BIN_CHUNK),
            data,
        ]
    )
