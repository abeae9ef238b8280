from __future__ import annotations

import io

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from atelier.specs.edits import apply_edit
from atelier.specs.planner import plan
from tests.helpers.accounts import create_key, register


def inside(spec: dict[str, object]) -> bool:
    box = spec["scene"]["bounding_box"]  # type: ignore[index]
    for o in spec["objects"]:  # type: ignore[attr-defined]
        p, d = o["position"], o["dimensions"]
        if min(p.values()) < 0:
            return False
        if (
            p["x"] + d["width"] > box["width"]
            or p["y"] + d["height"] > box["height"]
            or p["z"] + d["depth"] > box["depth"]
        ):
            return False
    return True


def test_office_for_500_employees_has_several_floors_sized_for_them() -> None:
    spec = plan(
        "Modern office building with sustainable features",
        {"location": "urban", "capacity": "500 employees"},
        "contemporary",
        ["LEED certified", "natural lighting"],
    )
    floors = [o for o in spec["objects"] if o["type"] == "floor"]
    assert spec["metadata"]["original_spec"]["design_type"] == "building"
    assert len(floors) >= 5 and sum(f["properties"]["capacity"] for f in floors) >= 500
    small = plan("Modern office building", {"capacity": "50 employees"})
    assert len([o for o in small["objects"] if o["type"] == "floor"]) < len(floors)
    assert "leed certified" in spec["metadata"]["original_spec"]["features"] and inside(spec)
    assert spec["metadata"]["generation_method"] == "rule_based_planner"


def test_electric_car_with_four_seats() -> None:
    spec = plan(
        "Modern electric vehicle with aerodynamic design",
        {"target_audience": "luxury market"},
        "futuristic",
        ["must be environmentally friendly", "maximum 4 seats"],
    )
    seats = [o for o in spec["objects"] if o["type"] == "seat"]
    body = next(o for o in spec["objects"] if o["id"] == "body")
    assert len(seats) == 4 and 4.0 <= body["dimensions"]["depth"] <= 5.5 and 1.6 <= body["dimensions"]["width"] <= 2.1
    assert {"wheel_1", "wheel_4", "cabin", "battery_pack"} <= {o["id"] for o in spec["objects"]}
    assert len({o["id"] for o in spec["objects"]}) == len(spec["objects"]) and inside(spec)


@pytest.mark.parametrize(
    ("prompt", "kind"),
    [
        ("Smart home IoT sensor with WiFi connectivity", "electronics"),
        ("Ergonomic office chair", "furniture"),
        ("Energy efficient washing machine", "appliance"),
        ("Cargo truck for logistics", "vehicle"),
        ("Industrial warehouse with loading docks", "building"),
        ("Gaming laptop", "electronics"),
    ],
)
def test_design_types(prompt: str, kind: str) -> None:
    assert plan(prompt)["metadata"]["original_spec"]["design_type"] == kind


@settings(max_examples=30, deadline=None)
@given(st.text(max_size=60), st.sampled_from(["car", "office", "chair", "phone", "fridge", "boat"]))
def test_objects_always_inside_the_scene(noise: str, word: str) -> None:
    assert inside(plan(f"{noise} {word}"))


def test_edit_creates_a_new_version_and_leaves_the_old_one() -> None:
    v1 = plan("Wooden dining table")
    v2 = apply_edit(v1, v1["objects"][0]["id"], {"material": "marble", "dimensions": {"width": 2.0}}, "me")
    assert v1["version"]["version"] == "1.0" and v2["version"]["version"] == "2.0"
    assert v1["objects"][0]["material"] != "marble" and v2["objects"][0]["material"] == "marble"


async def test_prompt_to_json_contract_needs_key_and_jwt(client: httpx.AsyncClient) -> None:
    account = await register(client)
    key = await create_key(client, account)
    body = {
        "prompt": "Smart home IoT sensor with WiFi connectivity",
        "context": {"environment": "indoor", "power": "battery"},
        "style": "minimalist",
        "constraints": ["2-year battery life", "weatherproof"],
    }
    base = "/compat/prompt-to-json"
    only_key = await client.post(f"{base}/api/v1/generate", json=body, headers={"X-API-Key": key})
    assert only_key.status_code == 401 and only_key.json()["error_code"] == "AUTHENTICATION_ERROR"
    assert set(only_key.json()) == {"detail", "error_code", "timestamp"}
    headers = {"X-API-Key": key, **account.jwt_headers}
    response = await client.post(f"{base}/api/v1/generate", json=body, headers=headers)
    assert response.status_code == 200, response.text
    out = response.json()
    assert set(out) == {"spec_id", "spec_json", "preview_url", "created_at", "processing_time"}
    assert out["spec_json"]["spec_id"] == out["spec_id"] and out["spec_json"]["scene"]["total_objects"] >= 3
    preview = await client.get(base + out["preview_url"])
    image = Image.open(io.BytesIO(preview.content))
    assert image.format == "PNG" and len(set(image.convert("RGB").getdata())) > 5
    bad = await client.post(f"{base}/api/v1/generate", json={"context": {}}, headers=headers)
    assert bad.status_code == 400 and bad.json()["error_code"] == "VALIDATION_ERROR"


async def test_native_specs_versions(client: httpx.AsyncClient) -> None:
    account = await register(client)
    h = account.jwt_headers
    spec = (await client.post("/v1/specs", json={"prompt": "Modern electric car, maximum 4 seats"}, headers=h)).json()
    sid = spec["spec_id"]
    edited = await client.patch(f"/v1/specs/{sid}/objects/body", json={"material": "carbon_fiber"}, headers=h)
    assert edited.status_code == 200 and edited.json()["version"]["version"] == "2.0"
    v1 = (await client.get(f"/v1/specs/{sid}", params={"version": 1}, headers=h)).json()
    latest = (await client.get(f"/v1/specs/{sid}", headers=h)).json()
    assert next(o for o in v1["objects"] if o["id"] == "body")["material"] == "aluminum"
    assert next(o for o in latest["objects"] if o["id"] == "body")["material"] == "carbon_fiber"
    negative = await client.patch(f"/v1/specs/{sid}/objects/body", json={"dimensions": {"width": -1}}, headers=h)
    assert negative.status_code == 422
    assert (await client.get(f"/v1/specs/{sid}/preview", headers=h)).headers["content-type"] == "image/png"
    other = await register(client)
    assert (await client.get(f"/v1/specs/{sid}", headers=other.jwt_headers)).status_code == 404


async def test_a_prompt_with_a_nul_is_a_422(client: httpx.AsyncClient) -> None:
    """Found by schemathesis on PostgreSQL, whose text holds no NUL: it was a 500."""
    account = await register(client)
    response = await client.post("/v1/specs", json={"prompt": "a desk\x00 for two"}, headers=account.jwt_headers)
    assert response.status_code == 422, response.text
