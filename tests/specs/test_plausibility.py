"""Forty-odd briefs of the five design types, each built as its kind: the bounding box within
what that kind really measures, every count asked for met, every part inside the box and the
box tight to them, and none of them a silent fallback."""

from __future__ import annotations

import json
from typing import Any

import pytest

from atelier.specs.planner import plan
from atelier.specs.plausibility import RANGES, problems
from atelier.specs.schema import check

#: brief, category, what must have been built (facts in metadata.built_with, or a count of
#: parts of a type: "#type").
BRIEFS: list[tuple[str, str, dict[str, Any]]] = [
    ("two-storey family house with a garage", "residential", {"storeys": 2, "#storey": 2, "#garage": 1}),
    ("3 storey townhouse", "residential", {"storeys": 3, "#roof": 1}),
    ("single storey bungalow with a garage for 2 cars", "residential", {"storeys": 1, "#garage": 1}),
    ("apartment building with 8 floors", "residential", {"storeys": 8}),
    ("modern office building for 500 employees", "commercial", {"#core": 1, "#facade": 1}),
    ("20-storey office tower", "commercial", {"storeys": 20, "#floor": 20}),
    ("small shop", "commercial", {"#roof": 1}),
    ("warehouse 80 m long with 6 loading docks", "industrial", {"loading_docks": 6, "#dock_door": 6}),
    ("factory with a tall stack", "industrial", {"#stack": 1}),
    ("electric sedan with 4 seats", "car", {"seats": 4, "#seat": 4, "#wheel": 4, "#battery": 1}),
    ("compact hatchback 4 m long", "car", {"#wheel": 4}),
    ("delivery van", "truck", {"#cargo_box": 1, "#cab": 1}),
    ("18 wheel truck 16 m long", "truck", {"#axle": 5}),
    ("city bus 12 m long with 40 seats and 3 doors", "bus", {"seats": 40, "doors": 3, "#door": 3, "#wheel": 4}),
    ("double decker bus", "bus", {"#axle": 2}),
    ("school bus with 30 seats", "bus", {"seats": 30}),
    ("cargo e-bike for two kids", "bicycle", {"children": 2, "#wheel": 2, "#cargo_box": 1, "#battery": 1}),
    ("road bike", "bicycle", {"#wheel": 2, "#frame": 1}),
    ("ebike with 20 inch wheels", "bicycle", {"#battery": 1, "#motor": 1}),
    ("electric motorcycle", "motorcycle", {"#wheel": 2, "#battery": 1}),
    ("vintage scooter", "motorcycle", {"#wheel": 2, "#engine": 1}),
    ("four seat light aircraft", "aircraft", {"seats": 4, "#wing": 1}),
    ("airliner with 180 seats", "aircraft", {"seats": 180, "#engine": 2}),
    ("camera drone with 6 rotors", "aircraft", {"rotors": 6, "#rotor": 6}),
    ("sailing yacht 14 m long", "boat", {"#mast": 1, "#hull": 1}),
    ("sea kayak", "boat", {"#hull": 1, "#seat": 1}),
    ("gaming laptop 17 inch", "computer", {"#screen": 1, "#keyboard": 1}),
    ("desktop pc with 6 usb ports", "computer", {"ports": 6, "#port": 6}),
    ("server rack with 8 servers", "computer", {"#server": 8}),
    ("smartphone 6.7 inch", "phone", {"#screen": 1, "#camera": 1}),
    ("smartwatch with 44 mm case", "watch", {"case_mm": 44, "#strap": 2, "#display": 1}),
    ("classic wristwatch 38 mm", "watch", {"case_mm": 38, "#dial": 1}),
    ("75% mechanical keyboard", "keyboard", {"layout": "75%", "keys": 84, "#key_row": 6}),
    ("wireless TKL keyboard", "keyboard", {"layout": "80%", "keys": 87, "#battery": 1}),
    ("weatherproof IoT sensor with WiFi", "iot", {"#antenna": 1}),
    ("circuit board with 4 connectors", "circuit", {"ports": 4}),
    ("65 inch TV", "display", {"#panel": 1}),
    ("45 cm dishwasher", "kitchen", {"width_cm": 45}),
    ("300 litre fridge", "kitchen", {"litres": 300, "#door": 1}),
    ("washing machine 9 kg", "laundry", {"#drum": 1}),
    ("air conditioner 12000 btu", "hvac", {"#coil": 1}),
    ("robot vacuum", "smart_home", {"#wheel": 2}),
    ("ergonomic office chair with wheels", "chair", {"#caster": 5}),
    ("3-seat leather sofa", "chair", {"seats": 3, "#cushion": 3}),
    ("dining table for 8 people", "table", {"seats": 8}),
    ("standing desk 160x80 cm", "desk", {"standing": True, "top_m": [1.6, 0.8], "#lifting_column": 2}),
    ("writing desk with 2 drawers", "desk", {"drawers": 2, "#drawer": 2}),
    ("bookshelf with 6 shelves", "storage", {"shelves": 6, "#shelf": 6}),
    ("shelves", "storage", {"#shelf": 5}),
    ("4 door wardrobe", "storage", {"doors": 4, "#door": 4}),
    ("queen size bed", "bed", {"size": "queen", "#mattress": 1, "#pillow": 2}),
    ("bunk bed for two kids", "bed", {"bunk": True, "#mattress": 2}),
    ("floor lamp", "decorative", {"#shade": 1}),
]


def test_there_are_at_least_forty_briefs_across_the_five_types() -> None:
    types = {plan(brief)["metadata"]["original_spec"]["design_type"] for brief, _, _ in BRIEFS}
    assert len(BRIEFS) >= 40 and types == {"building", "vehicle", "electronics", "appliance", "furniture"}


@pytest.mark.parametrize(("brief", "category", "wanted"), BRIEFS, ids=[b for b, _, _ in BRIEFS])
def test_each_brief_is_a_plausible_assembly_of_its_kind(brief: str, category: str, wanted: dict[str, Any]) -> None:
    spec = plan(brief)
    check(spec)
    meta = spec["metadata"]
    assert meta["original_spec"]["category"] == category
    assert "fallback" not in meta and not any("names no" in note for note in meta["notes"]), meta["notes"]
    assert problems(spec) == [], RANGES[category]
    for key, value in wanted.items():
        if key.startswith("#"):
            found = [o for o in spec["objects"] if o["type"] == key[1:]]
            assert len(found) == value, f"{brief!r}: {len(found)} {key[1:]} parts, {value} wanted"
        else:
            assert meta["built_with"][key] == value, f"{brief!r}: built with {key}={meta['built_with'].get(key)}"
    box = spec["scene"]["bounding_box"]
    far = {"width": 0.0, "height": 0.0, "depth": 0.0}
    for o in spec["objects"]:
        p, d = o["position"], o["dimensions"]
        for axis, size in (("x", "width"), ("y", "height"), ("z", "depth")):
            assert p[axis] >= 0 and p[axis] + d[size] <= box[size] + 1e-6, f"{o['id']} outside the box"
            far[size] = max(far[size], p[axis] + d[size])
        assert o["material"]
    assert all(abs(far[k] - box[k]) < 1e-3 for k in far), "the box is not tight to the parts"


@pytest.mark.parametrize(
    ("brief", "clamped"),
    [
        ("bookshelf with 40 shelves", "shelves 40"),
        ("sofa for 20 people", "sofa seats 20"),
        ("smartwatch with 90 mm case", "watch case 90"),
        ("bus 40 m long", "bus length 40"),
        ("house with 12 storeys", "storeys 12"),
        ("desk 500x80 cm", "desk width 5"),
    ],
)
def test_a_number_beyond_what_is_made_is_clamped_with_a_note(brief: str, clamped: str) -> None:
    spec = plan(brief)
    assert any(note.startswith(clamped) and "outside the realistic" in note for note in spec["metadata"]["notes"])
    assert problems(spec) == []


@pytest.mark.parametrize("brief", ["a spaceship for two", "quantum flux capacitor", "xyzzy"])
def test_a_brief_naming_no_known_design_says_so_and_what_was_built(brief: str) -> None:
    spec = plan(brief)
    check(spec)
    fallback = spec["metadata"]["fallback"]
    assert fallback["not_recognised"] in brief and "sculpture" in fallback["built_instead"]
    assert any("names no design this planner knows" in note for note in spec["metadata"]["notes"])


def test_a_word_naming_only_the_type_is_noted() -> None:
    spec = plan("a futuristic vehicle")
    assert spec["metadata"]["original_spec"]["category"] == "car"
    assert any("'vehicle' names no particular kind of vehicle" in note for note in spec["metadata"]["notes"])


def test_an_iot_device_without_an_assembly_of_its_own_says_what_was_built() -> None:
    spec = plan("a smart lock for a front door")
    assert any("no assembly of a smart lock is made" in note for note in spec["metadata"]["notes"])
    named = plan("a wifi temperature sensor")
    assert not any("no assembly of" in note for note in named["metadata"]["notes"])


@pytest.mark.parametrize(
    "brief",
    [
        "a house with " + "9" * 400 + " storeys",
        "a desk " + "9" * 400 + " cm long",
        "a fridge of " + "9" * 400 + " litres",
    ],
)
def test_a_number_too_large_for_a_float_is_clamped_with_a_note(brief: str) -> None:
    """Found by schemathesis: a 400-digit count was a 500 (OverflowError formatting its note)."""
    spec = plan(brief)
    json.dumps(spec, allow_nan=False)  # nothing infinite reaches the stored JSON
    assert any("outside the realistic" in note for note in spec["metadata"]["notes"])
