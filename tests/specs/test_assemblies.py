"""Electronics, appliances and furniture are assemblies: each part where it belongs, touching
or inside another, sized by what the prompt, context and constraints ask for."""

from __future__ import annotations

from typing import Any

import pytest

from atelier.specs.planner import plan
from atelier.specs.schema import check

#: Rounding slack: positions and sizes are kept to the millimetre.
SLACK = 0.0021

EVERY_KIND = [
    "ergonomic office chair with wheels",
    "wooden dining chair",
    "3-seat leather sofa",
    "armchair",
    "garden bench",
    "bar stool",
    "dining table for 8 people",
    "standing desk",
    "coffee table",
    "5-shelf bookcase",
    "3 door wardrobe",
    "chest of drawers",
    "kitchen cabinet",
    "floor lamp",
    "glass vase",
    "full length mirror",
    "abstract sculpture",
    "compact refrigerator",
    "side-by-side refrigerator",
    "oven range",
    "microwave",
    "dishwasher",
    "coffee maker",
    "washing machine 9 kg",
    "heat pump dryer",
    "air conditioner 12000 btu",
    "heat pump outdoor unit",
    "space heater",
    "standing fan",
    "smart thermostat with battery",
    "smart speaker",
    "robot vacuum",
    "gaming laptop 17 inch",
    "desktop pc",
    "server rack with 6 servers",
    "smartphone",
    "11 inch tablet",
    "weatherproof IoT sensor with WiFi",
    "fitness tracker",
    "circuit board",
    "55 inch smart TV",
    "wall mounted television",
]


def part(spec: dict[str, Any], oid: str) -> dict[str, Any]:
    found: dict[str, Any] = next(o for o in spec["objects"] if o["id"] == oid)
    return found


def of_type(spec: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [o for o in spec["objects"] if o["type"] == kind]


def extent(o: dict[str, Any], axis: str) -> tuple[float, float]:
    size = {"x": "width", "y": "height", "z": "depth"}[axis]
    low: float = o["position"][axis]
    return low, low + o["dimensions"][size]


def touch(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """Whether two boxes meet (share a face, an edge, or some volume)."""
    for axis in "xyz":
        (a0, a1), (b0, b1) = extent(a, axis), extent(b, axis)
        if a0 > b1 + SLACK or b0 > a1 + SLACK:
            return False
    return True


def within(inner: dict[str, Any], outer: dict[str, Any], axis: str) -> bool:
    (i0, i1), (o0, o1) = extent(inner, axis), extent(outer, axis)
    return o0 - SLACK <= i0 and i1 <= o1 + SLACK


def top(o: dict[str, Any]) -> float:
    return extent(o, "y")[1]


#: Every number the planner reads, far beyond what any such design measures.
HUGE = ", 1000000 people, 1000000 seats, 999 shelves, 999 drawers, 999 doors, 400 inch, 900 kg, 999 years, 99 servers"


@pytest.mark.parametrize("huge", ["", HUGE], ids=["as_asked", "huge_numbers"])
@pytest.mark.parametrize("prompt", EVERY_KIND)
def test_every_kind_is_one_connected_assembly_of_distinct_parts(prompt: str, huge: str) -> None:
    spec = plan(prompt + huge)
    check(spec)
    objects = spec["objects"]
    assert len(objects) >= 3 and len({o["id"] for o in objects}) == len(objects)
    assert all(o["editable"] for o in objects)
    places = [(o["type"], tuple(o["position"].values())) for o in objects]
    assert len(set(places)) == len(places), f"two parts of one kind at one place in {prompt!r}"
    # every part touches or lies within another, and all of them hang together as one piece
    reached, frontier = {0}, [0]
    while frontier:
        i = frontier.pop()
        for j, other in enumerate(objects):
            if j not in reached and touch(objects[i], other):
                reached.add(j)
                frontier.append(j)
    loose = [objects[j]["id"] for j in range(len(objects)) if j not in reached]
    assert not loose, f"{prompt!r}: {loose} float apart from {objects[0]['id']}"


def test_the_kinds_differ_within_a_subtype() -> None:
    def kinds(prompt: str) -> set[str]:
        return {o["type"] for o in plan(prompt)["objects"]}

    assert kinds("refrigerator") != kinds("dishwasher") != kinds("microwave")
    assert kinds("washing machine") != kinds("dryer")
    assert kinds("thermostat") != kinds("robot vacuum") and kinds("air conditioner") != kinds("standing fan")
    assert kinds("bookcase") != kinds("wardrobe") and kinds("lamp") != kinds("mirror")
    assert kinds("iot sensor") != kinds("circuit board")


def test_a_chair_stands_on_four_legs_at_its_seats_corners() -> None:
    spec = plan("wooden dining chair")
    seat, back, legs = part(spec, "seat"), part(spec, "back"), of_type(spec, "leg")
    assert len(legs) == 4 and len({tuple(leg["position"].values()) for leg in legs}) == 4
    assert 0.4 <= top(seat) <= 0.5
    for leg in legs:
        assert abs(top(leg) - extent(seat, "y")[0]) < SLACK and extent(leg, "y")[0] == 0
        assert within(leg, seat, "x") and within(leg, seat, "z")
    xs = {round(leg["position"]["x"], 3) for leg in legs}
    zs = {round(leg["position"]["z"], 3) for leg in legs}
    assert xs == {extent(seat, "x")[0], round(extent(seat, "x")[1] - legs[0]["dimensions"]["width"], 3)}
    assert zs == {extent(seat, "z")[0], round(extent(seat, "z")[1] - legs[0]["dimensions"]["depth"], 3)}
    # the back rises from the seat's rear edge
    assert abs(extent(back, "y")[0] - top(seat)) < SLACK and abs(extent(back, "z")[1] - extent(seat, "z")[1]) < SLACK
    assert back["dimensions"]["height"] > back["dimensions"]["depth"]


def test_an_office_chair_with_wheels_rolls_on_five_casters_instead_of_legs() -> None:
    spec = plan("ergonomic office chair with wheels")
    casters, seat = of_type(spec, "caster"), part(spec, "seat")
    assert len(casters) == 5 and not of_type(spec, "leg")
    assert len({tuple(c["position"].values()) for c in casters}) == 5
    assert all(extent(c, "y")[0] == 0 for c in casters) and 0.4 <= top(seat) <= 0.5
    lift = part(spec, "gas_lift")
    assert abs(top(lift) - extent(seat, "y")[0]) < SLACK
    assert {"armrest", "headrest", "lumbar_support"} <= {o["type"] for o in spec["objects"]}


def test_a_sofa_is_as_wide_as_its_seats_and_the_seat_count_is_kept() -> None:
    three, two = plan("3-seat sofa"), plan("sofa", {"seats": 2})
    assert len(of_type(three, "cushion")) == 3 and len(of_type(two, "cushion")) == 2
    assert part(three, "frame")["dimensions"]["width"] > part(two, "frame")["dimensions"]["width"]
    assert part(three, "frame")["properties"]["seats"] == 3
    assert all(0.4 <= top(c) <= 0.5 for c in of_type(three, "cushion"))
    assert part(three, "seat_cushion_1")["material"] == "fabric"
    assert part(plan("leather sofa"), "seat_cushion_1")["material"] == "leather"


def test_a_table_for_eight_is_longer_than_one_for_four() -> None:
    eight, four = plan("dining table for 8 people"), plan("dining table", {"seats": 4})
    big, small = part(eight, "top"), part(four, "top")
    assert big["dimensions"]["width"] > small["dimensions"]["width"]
    assert big["properties"]["seats"] == 8 and small["properties"]["seats"] == 4
    assert 0.72 <= top(big) <= 0.76
    for leg in of_type(eight, "leg"):
        assert abs(top(leg) - extent(big, "y")[0]) < SLACK and within(leg, big, "x") and within(leg, big, "z")
    huge = part(plan("banquet table for 1000000 people"), "top")
    assert huge["dimensions"]["width"] <= 6.0 and huge["properties"]["seats"] == 18


def test_a_desk_has_a_drawer_pedestal_under_its_top() -> None:
    spec = plan("office desk")
    desk_top, pedestal = part(spec, "top"), part(spec, "pedestal")
    drawers = of_type(spec, "drawer")
    assert 0.72 <= top(desk_top) <= 0.76 and len(drawers) == 3
    assert abs(top(pedestal) - extent(desk_top, "y")[0]) < SLACK
    assert all(within(d, pedestal, axis) for d in drawers for axis in "xyz")


def test_storage_holds_its_shelves_doors_and_drawers() -> None:
    five, three = plan("5-shelf bookcase"), plan("3-shelf bookcase")
    assert len(of_type(five, "shelf")) == 5 and len(of_type(three, "shelf")) == 3
    assert top(part(five, "top")) > top(part(three, "top"))
    assert len(of_type(plan("bookcase with 500 shelves"), "shelf")) == 8
    for shelf in of_type(five, "shelf"):
        assert within(shelf, part(five, "side_left"), "y") and within(shelf, part(five, "side_left"), "z")
    wardrobe = plan("3 door wardrobe")
    doors, side = of_type(wardrobe, "door"), part(wardrobe, "side_left")
    assert len(doors) == 3 and "rail" in {o["type"] for o in wardrobe["objects"]}
    assert all(abs(extent(d, "z")[1] - extent(side, "z")[0]) < SLACK for d in doors)  # on the front face
    chest = plan("dresser with 6 drawers")
    assert len(of_type(chest, "drawer")) == 6
    assert all(within(d, part(chest, "side_left"), "y") for d in of_type(chest, "drawer"))


def test_a_lamp_and_a_mirror_are_built_up_from_their_parts() -> None:
    lamp = plan("floor lamp")
    base, stem, shade = part(lamp, "base"), part(lamp, "stem"), part(lamp, "shade")
    assert abs(extent(stem, "y")[0] - top(base)) < SLACK and extent(shade, "y")[0] < top(stem) < top(shade)
    assert within(stem, shade, "x") and within(stem, shade, "z") and top(shade) > 1.4
    mirror = plan("wall mirror")
    glass, frame = part(mirror, "glass"), part(mirror, "frame")
    assert glass["material"] == "glass" and all(within(glass, frame, axis) for axis in "xyz")


def test_a_refrigerators_door_covers_the_front_of_its_housing() -> None:
    spec = plan("Energy efficient refrigerator")
    housing, door, compressor = part(spec, "housing"), part(spec, "door"), part(spec, "compressor")
    assert 1.6 <= housing["dimensions"]["height"] <= 2.0 and 0.6 <= housing["dimensions"]["width"] <= 0.9
    assert abs(extent(door, "z")[1] - extent(housing, "z")[0]) < SLACK  # on the front face
    assert within(door, housing, "x") and within(door, housing, "y")
    assert door["dimensions"]["height"] >= 0.8 * housing["dimensions"]["height"]
    assert all(within(compressor, housing, axis) for axis in "xyz")
    assert extent(compressor, "y")[0] < 0.1 and extent(housing, "z")[1] - extent(compressor, "z")[1] < 0.05
    doors = of_type(plan("side-by-side fridge"), "door")
    assert len(doors) == 2 and doors[0]["position"] != doors[1]["position"]


def test_a_washers_drum_is_inside_its_cabinet_behind_the_door() -> None:
    for prompt in ("washing machine", "tumble dryer"):
        spec = plan(prompt)
        cabinet, drum, door = part(spec, "cabinet"), part(spec, "drum"), part(spec, "door")
        assert all(within(drum, cabinet, axis) for axis in "xyz")
        assert abs(extent(door, "z")[1] - extent(cabinet, "z")[0]) < SLACK
        assert within(door, drum, "x") and within(door, drum, "y")
    small, big = plan("washing machine 6 kg"), plan("washing machine 12 kg")
    assert part(big, "drum")["dimensions"]["depth"] > part(small, "drum")["dimensions"]["depth"]
    assert part(plan("washing machine 900 kg"), "cabinet")["properties"]["capacity_kg"] == 12


def test_a_laptops_screen_stands_at_the_back_edge_of_its_chassis() -> None:
    spec = plan("Gaming laptop")
    chassis, screen, keyboard = part(spec, "chassis"), part(spec, "screen"), part(spec, "keyboard")
    assert abs(extent(screen, "y")[0] - top(chassis)) < SLACK  # standing on it
    assert abs(extent(screen, "z")[1] - extent(chassis, "z")[1]) < SLACK  # at the back edge
    assert screen["dimensions"]["height"] > 10 * screen["dimensions"]["depth"]  # upright
    assert abs(extent(keyboard, "y")[0] - top(chassis)) < SLACK and within(keyboard, chassis, "z")
    for inside in ("battery", "board"):
        assert all(within(part(spec, inside), chassis, axis) for axis in "xyz")
    wide = part(plan("17 inch laptop"), "chassis")["dimensions"]["width"]
    assert wide > part(plan("13 inch laptop"), "chassis")["dimensions"]["width"]
    assert part(plan("400 inch laptop"), "chassis")["properties"]["screen_inches"] == 18


def test_a_phones_screen_is_on_its_front_and_the_camera_at_its_back() -> None:
    spec = plan("smartphone")
    chassis, screen, camera = part(spec, "chassis"), part(spec, "screen"), part(spec, "camera")
    assert extent(screen, "z")[0] == extent(chassis, "z")[0] and within(screen, chassis, "x")
    assert screen["dimensions"]["height"] >= 0.85 * chassis["dimensions"]["height"]
    assert abs(extent(camera, "z")[0] - extent(chassis, "z")[1]) < SLACK
    for inside in ("battery", "board"):
        assert all(within(part(spec, inside), chassis, axis) for axis in "xyz")
    assert part(plan("tablet"), "chassis")["dimensions"]["width"] > chassis["dimensions"]["width"]


def test_an_iot_sensor_holds_its_board_and_a_battery_sized_for_its_life() -> None:
    spec = plan(
        "Smart home IoT sensor with WiFi connectivity",
        {"environment": "indoor", "power": "battery"},
        "minimalist",
        ["2-year battery life", "weatherproof"],
    )
    enclosure, antenna = part(spec, "enclosure"), part(spec, "antenna")
    assert enclosure["properties"]["ip_rating"] == "IP65" and antenna["properties"]["radio"] == ["wifi"]
    assert abs(extent(antenna, "y")[0] - top(enclosure)) < SLACK
    for inside in ("board", "battery"):
        assert all(within(part(spec, inside), enclosure, axis) for axis in "xyz")
    five = part(plan("IoT sensor", constraints=["5-year battery life"]), "battery")
    assert five["dimensions"]["depth"] > part(spec, "battery")["dimensions"]["depth"]
    assert five["properties"]["life_years"] == 5


def test_a_circuit_boards_chips_sit_on_it() -> None:
    spec = plan("circuit board")
    pcb = part(spec, "pcb")
    for chip in spec["objects"][1:]:
        assert abs(extent(chip, "y")[0] - top(pcb)) < SLACK and within(chip, pcb, "x") and within(chip, pcb, "z")


def test_a_televisions_panel_is_sized_by_its_inches_and_stands_on_its_foot() -> None:
    spec = plan("55 inch TV")
    panel, screen, neck, foot = (part(spec, n) for n in ("panel", "screen", "neck", "foot"))
    assert spec["metadata"]["original_spec"]["category"] == "display"
    assert 1.2 <= panel["dimensions"]["width"] <= 1.3 and panel["properties"]["screen_inches"] == 55
    assert extent(screen, "z")[0] == extent(panel, "z")[0] and within(screen, panel, "x")
    assert abs(extent(neck, "y")[0] - top(foot)) < SLACK and extent(panel, "y")[0] < top(neck)
    assert part(plan("32 inch TV"), "panel")["dimensions"]["width"] < panel["dimensions"]["width"]
    assert part(plan("1000 inch TV"), "panel")["properties"]["screen_inches"] == 100
    assert "wall_bracket" in {o["id"] for o in plan("wall mounted 65 inch TV")["objects"]}
