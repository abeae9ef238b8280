"""Specs leave as binary glTF: read back with trimesh, one mesh per object named by its id,
placed and sized as the spec says (the preview's boxes), coloured per material, the scene's
extents the spec's bounding box; the routes serve any version, and the version history says
what each edit changed."""

from __future__ import annotations

import io
import json
import struct
from typing import Any

import httpx
import numpy as np
import pytest
import trimesh

from atelier.specs.geometry import colour, solids
from atelier.specs.gltf import _linear, build
from atelier.specs.planner import plan
from atelier.specs.preview import box_of
from tests.helpers.accounts import register


def load(data: bytes) -> trimesh.Scene:
    scene = trimesh.load(io.BytesIO(data), file_type="glb", force="scene")
    assert isinstance(scene, trimesh.Scene)
    return scene


def world_bounds(scene: trimesh.Scene, node: str) -> np.ndarray:
    transform, geometry = scene.graph[node]
    mesh = scene.geometry[geometry].copy()
    mesh.apply_transform(transform)
    bounds: np.ndarray = mesh.bounds
    return bounds


@pytest.mark.parametrize(
    "brief", ["city bus 12 m long with 40 seats", "cargo e-bike for two kids", "75% keyboard", "two-storey house"]
)
def test_a_glb_round_trip_gives_one_mesh_per_object_sized_as_the_spec(brief: str) -> None:
    spec = plan(brief)
    scene = load(build(spec))
    ids = [o["id"] for o in spec["objects"]]
    assert sorted(scene.geometry) == sorted(ids) and sorted(scene.graph.nodes_geometry) == sorted(ids)
    box = spec["scene"]["bounding_box"]
    assert scene.extents == pytest.approx([box["width"], box["height"], box["depth"]], abs=1e-5)
    assert scene.bounds[0] == pytest.approx([0, 0, 0], abs=1e-5)
    for o in spec["objects"]:
        low, high = world_bounds(scene, o["id"])
        expected = box_of(o)  # what the preview draws
        assert [*low, *high] == pytest.approx(expected, abs=1e-5)
        mesh = scene.geometry[o["id"]]
        assert len(mesh.faces) == 12 and mesh.volume == pytest.approx(np.prod(high - low), rel=1e-4)


def test_materials_are_coloured_per_material_as_the_preview_colours_them() -> None:
    spec = plan("electric sedan with 4 seats")
    data = build(spec)
    length, kind = struct.unpack_from("<II", data, 12)
    document = json.loads(data[20 : 20 + length])
    assert kind == 0x4E4F534A and document["asset"]["version"] == "2.0"
    materials = {m["name"]: m for m in document["materials"]}
    assert set(materials) == {o["material"] for o in spec["objects"]}
    scene = load(data)
    for o in spec["objects"]:
        visual = scene.geometry[o["id"]].visual
        base = np.asarray(visual.material.baseColorFactor[:3], dtype=float)
        linear = [255 * _linear(c) for c in colour(o["material"])]  # glTF's factor is linear, 0-255 here
        assert base == pytest.approx(np.array(linear), abs=1.5)
    assert [s.box for s in solids(spec)] == [box_of(o) for o in spec["objects"]]


async def _spec(client: httpx.AsyncClient, headers: dict[str, str], prompt: str) -> dict[str, Any]:
    response = await client.post("/v1/specs", json={"prompt": prompt}, headers=headers)
    assert response.status_code == 201, response.text
    spec: dict[str, Any] = response.json()
    return spec


async def test_the_gltf_route_serves_each_version_and_the_history_says_what_changed(client: httpx.AsyncClient) -> None:
    account = await register(client)
    h = account.jwt_headers
    spec = await _spec(client, h, "standing desk 160x80 cm")
    sid = spec["spec_id"]
    v1 = await client.get(f"/v1/specs/{sid}/gltf", headers=h)
    assert v1.status_code == 200 and v1.headers["content-type"] == "model/gltf-binary"
    assert v1.content[:4] == b"glTF"
    assert load(v1.content).extents == pytest.approx([1.6, 1.1, 0.8], abs=1e-5)
    moved = await client.patch(
        f"/v1/specs/{sid}/objects/control_panel", json={"position": {"x": 1.9}, "material": "wood"}, headers=h
    )
    assert moved.status_code == 200, moved.text
    box = moved.json()["scene"]["bounding_box"]
    assert box["width"] == pytest.approx(2.02)  # the box follows the moved part out, tight to it
    shrunk = await client.patch(f"/v1/specs/{sid}/objects/control_panel", json={"position": {"x": 1.0}}, headers=h)
    assert shrunk.json()["scene"]["bounding_box"]["width"] == pytest.approx(1.6)  # and back in
    v2 = await client.get(f"/v1/specs/{sid}/gltf", params={"version": 2}, headers=h)
    assert load(v2.content).extents[0] == pytest.approx(2.02, abs=1e-5)
    assert load((await client.get(f"/v1/specs/{sid}/gltf", headers=h)).content).extents[0] == pytest.approx(1.6)
    history = (await client.get(f"/v1/specs/{sid}/versions", headers=h)).json()
    assert [v["number"] for v in history] == [1, 2, 3] and [v["version"] for v in history] == ["1.0", "2.0", "3.0"]
    assert history[0]["changes"][0].startswith("created by rule_based_planner")
    assert "control_panel: material plastic -> wood" in history[1]["changes"]
    assert any(c.startswith("control_panel: position.x") for c in history[1]["changes"])
    assert "scene bounding box 1.6 x 1.1 x 0.8 m -> 2.02 x 1.1 x 0.8 m" in history[1]["changes"]
    assert history[2]["bounding_box"]["width"] == pytest.approx(1.6)
    huge = await client.patch(f"/v1/specs/{sid}/objects/top", json={"dimensions": {"width": 50}}, headers=h)
    assert huge.status_code == 422 and "10 m" in huge.json()["error"]["message"]
    assert len((await client.get(f"/v1/specs/{sid}/versions", headers=h)).json()) == 3  # nothing written
    other = await register(client)
    for path in ("gltf", "versions"):
        assert (await client.get(f"/v1/specs/{sid}/{path}", headers=other.jwt_headers)).status_code == 404
    missing = await client.get(f"/v1/specs/{sid}/gltf", params={"version": 9}, headers=h)
    assert missing.status_code == 404
