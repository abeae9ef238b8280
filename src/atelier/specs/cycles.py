"""Two-wheelers, length along z (the front wheel at z = 0), centred on x. A bicycle: two
wheels, the frame between them, fork, handlebar, saddle, cranks; an e-bike adds a battery on
the down tube and a motor at the cranks; a cargo bike carries a box between its handlebar and
a smaller front wheel, with a bench for the children it is for. A motorcycle: frame, two
wheels, fork, engine (or battery and motor), tank, seat, handlebar."""

from __future__ import annotations

from atelier.specs.scene import Parts

#: Cargo bikes carry up to four children in their box.
MAX_KIDS = 4


def _wheel_diameter(parts: Parts, default: float, low: float, high: float) -> float:
    given = parts.brief.length("wheel", "wheels", "tyre", "tyres", "tire", "tires")
    return parts.brief.clamp("wheel diameter", given.metres, low, high, " m") if given else default


def bicycle(parts: Parts) -> None:
    brief = parts.brief
    cargo = brief.has(r"\b(?:cargo|long[\s-]?john|bakfiets|box bike)\b") or bool(brief.count("kid", "child"))
    electric = brief.has(r"\be[\s-]?(?:bike|bicycle|cargo)|\belectric|pedelec") or "battery" in parts.features
    rear_d = _wheel_diameter(parts, 0.7, 0.4, 0.75)
    front_d = 0.5 if cargo else rear_d
    width = 0.7 if cargo else 0.6
    cx = width / 2
    kids = brief.clamp_count("children carried", brief.count("kid", "child"), 2 if cargo else 0, 0, MAX_KIDS)
    box_len = 0.9 if kids <= 2 else 1.1
    front_z = 0.0
    head_z = front_d + (box_len + 0.1 if cargo else 0.1)
    rear_z = head_z + 0.45
    length = rear_z + rear_d
    parts.add("front_wheel", "wheel", (cx - 0.03, 0, front_z), (0.06, front_d, front_d), "rubber", diameter_m=front_d)
    parts.add("rear_wheel", "wheel", (cx - 0.03, 0, rear_z), (0.06, rear_d, rear_d), "rubber", diameter_m=rear_d)
    frame_y = rear_d / 2
    parts.add(
        "frame",
        "frame",
        (cx - 0.03, frame_y, front_d / 2),
        (0.06, 0.5, rear_z + rear_d / 2 - front_d / 2),
        parts.material,
    )
    parts.add(
        "fork",
        "fork",
        (cx - 0.05, front_d / 2, head_z - 0.1 if not cargo else front_d / 2),
        (0.1, 0.55, 0.1 if not cargo else head_z - front_d / 2),
        "steel",
    )
    bar_y = frame_y + 0.5
    parts.add("handlebar", "handlebar", (0, bar_y, head_z - 0.05), (width, 0.05, 0.1), "aluminum")
    parts.add("seat_post", "seat_post", (cx - 0.015, frame_y + 0.5, rear_z - 0.05), (0.03, 0.2, 0.03), "aluminum")
    parts.add("saddle", "saddle", (cx - 0.08, frame_y + 0.7, rear_z - 0.15), (0.16, 0.06, 0.27), "leather")
    parts.add("cranks", "cranks", (cx - 0.1, frame_y - 0.17, rear_z - 0.25), (0.2, 0.34, 0.34), "aluminum")
    if cargo:
        box_z = front_d + 0.05
        parts.add("cargo_box", "cargo_box", (0, frame_y - 0.1, box_z), (width, 0.45, box_len), "wood", children=kids)
        if kids:
            parts.add(
                "kids_bench",
                "bench",
                (0.05, frame_y - 0.05, box_z + box_len - 0.35),
                (width - 0.1, 0.2, 0.3),
                "wood",
                seats=kids,
            )
            parts.add(
                "seat_belts",
                "harness",
                (0.1, frame_y + 0.15, box_z + box_len - 0.08),
                (width - 0.2, 0.2, 0.03),
                "fabric",
                seats=kids,
            )
    if electric:
        parts.add(
            "battery",
            "battery",
            (cx - 0.05, frame_y + 0.05, rear_z - 0.7),
            (0.1, 0.1, 0.4),
            "lithium_ion",
            capacity_wh=500,
        )
        parts.add(
            "motor",
            "motor",
            (cx - 0.07, frame_y - 0.12, rear_z - 0.22),
            (0.14, 0.14, 0.16),
            "aluminum",
            drive="mid_drive",
        )
    brief.facts.update(wheels=2, cargo=cargo, electric=electric, children=kids, length_m=round(length, 3))


def motorcycle(parts: Parts) -> None:
    brief = parts.brief
    electric = "electric" in parts.features or "battery" in parts.features
    scooter = brief.has(r"\b(?:scooter|moped)s?\b")
    d = _wheel_diameter(parts, 0.45 if scooter else 0.65, 0.3, 0.8)
    width, wheelbase = 0.8, 1.2 if scooter else 1.45
    cx = width / 2
    parts.add("front_wheel", "wheel", (cx - 0.07, 0, 0), (0.14, d, d), "rubber")
    parts.add("rear_wheel", "wheel", (cx - 0.08, 0, wheelbase), (0.16, d, d), "rubber")
    parts.add("frame", "frame", (cx - 0.12, d / 2, d / 2), (0.24, 0.35, wheelbase), "steel")
    parts.add("fork", "fork", (cx - 0.09, d / 2, d / 2 - 0.05), (0.18, 0.6, 0.12), "steel")
    parts.add("handlebar", "handlebar", (0, d / 2 + 0.6, d / 2), (width, 0.05, 0.12), "aluminum")
    if electric:
        parts.add("battery", "battery", (cx - 0.15, d / 2 - 0.05, d / 2 + 0.35), (0.3, 0.3, 0.5), "lithium_ion")
        parts.add("motor", "motor", (cx - 0.12, d / 2 - 0.1, wheelbase - 0.05), (0.24, 0.2, 0.2), "aluminum")
    else:
        parts.add("engine", "engine", (cx - 0.17, d / 2 - 0.15, d / 2 + 0.3), (0.34, 0.35, 0.45), "aluminum")
        parts.add("fuel_tank", "tank", (cx - 0.15, d / 2 + 0.35, d / 2 + 0.25), (0.3, 0.2, 0.45), parts.material)
        parts.add("exhaust", "exhaust", (width - 0.2, d / 2 - 0.1, wheelbase - 0.2), (0.1, 0.1, 0.7), "steel")
    parts.add("seat", "seat", (cx - 0.15, d / 2 + 0.35, d / 2 + 0.7), (0.3, 0.1, 0.6), "leather", seats=2)
    brief.facts.update(wheels=2, electric=electric)
