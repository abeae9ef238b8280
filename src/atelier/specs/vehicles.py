"""Road vehicles as assemblies, length along z (front at z = 0), width along x. A car: body,
glass cabin, four wheels at its corners, seats, a battery when electric. A truck: cab, cargo
box and chassis on its axles. A bus: body on two or three axles with a wheel at each end,
doors on its kerb side (x = width), seat rows of four behind the driver, as long as the
brief says or as its seats need. Two-wheelers are in cycles.py; aircraft and boats in
craft.py."""

from __future__ import annotations

import math

from atelier.specs.craft import aircraft, boat
from atelier.specs.cycles import bicycle, motorcycle
from atelier.specs.scene import Parts

SEAT_LIMITS = {"car": (1, 9), "truck": (1, 3)}
#: The longest buses (articulated) are 18.75 m.
MAX_BUS_LENGTH = 18.75


def vehicle_objects(parts: Parts, category: str) -> None:
    {
        "car": _car,
        "truck": _truck,
        "bus": _bus,
        "motorcycle": motorcycle,
        "bicycle": bicycle,
        "aircraft": aircraft,
        "boat": boat,
    }[category](parts)


def _seats(parts: Parts, category: str, default: int) -> int:
    asked = parts.brief.count("seat", "seater", "passenger", "person")
    low, high = SEAT_LIMITS[category]
    return parts.brief.clamp_count(f"{category} seats", asked, default, low, high)


def _wheels(parts: Parts, width: float, zs: list[float], diameter: float, tyre: float) -> None:
    """A wheel at each end of an axle at each of ``zs`` (the axle's centre along z)."""
    for i, z in enumerate(zs):
        y = diameter / 2
        parts.add(f"axle_{i + 1}", "axle", (tyre / 2, y - 0.04, z - 0.04), (width - tyre, 0.08, 0.08), "steel")
        for j, x in enumerate((0.0, width - tyre)):
            n = 2 * i + j + 1
            parts.add(f"wheel_{n}", "wheel", (x, 0, z - diameter / 2), (tyre, diameter, diameter), "rubber")
    parts.brief.facts.update(wheels=2 * len(zs), axles=len(zs))


def _car(parts: Parts) -> None:
    brief = parts.brief
    seats = _seats(parts, "car", 5)
    given = brief.length("length")
    length = brief.clamp("car length", given.metres, 3.0, 6.0, " m") if given else 4.7
    width, height = 1.9, 1.45
    parts.add("body", "body", (0, 0.3, 0), (width, height * 0.55, length))
    cabin = (width - 0.2, height * 0.45, length * 0.45)
    parts.add("cabin", "cabin", (0.1, 0.3 + height * 0.55, length * 0.3), cabin, "glass")
    for i, (x, z) in enumerate([(0, 0.7), (width - 0.25, 0.7), (0, length - 1.1), (width - 0.25, length - 1.1)]):
        parts.add(f"wheel_{i + 1}", "wheel", (x, 0, z), (0.25, 0.7, 0.7), "rubber")
    rows = math.ceil(seats / 2)
    for i in range(seats):
        row, col = divmod(i, 2)
        z = length * 0.32 + row * (length * 0.4 / max(rows, 1))
        parts.add(f"seat_{i + 1}", "seat", (0.25 + col * (width / 2 - 0.1), 0.5, z), (0.5, 0.9, 0.5), "leather")
    if "electric" in parts.features or "battery" in parts.features:
        pack = (width - 0.4, 0.15, length * 0.5)
        parts.add("battery_pack", "battery", (0.2, 0.2, length * 0.25), pack, "lithium_ion", capacity_kwh=75)
    brief.facts.update(seats=seats, wheels=4)


def _truck(parts: Parts) -> None:
    brief = parts.brief
    seats = _seats(parts, "truck", 2)
    given = brief.length("length")
    length = brief.clamp("truck length", given.metres, 5.0, 18.75, " m") if given else 7.5
    asked_wheels = brief.count("wheel", "wheeler")
    axles = brief.clamp_count(
        "truck axles", (asked_wheels + 1) // 2 if asked_wheels else None, 2 if length < 10 else 3, 2, 5
    )
    width, diameter = 2.5, 1.0
    cab = 2.3
    parts.add("chassis", "chassis", (0.3, 0.6, 0), (width - 0.6, 0.3, length), "steel")
    parts.add("cab", "cab", (0, 0.9, 0), (width, 2.2, cab))
    parts.add("windscreen", "window", (0.15, 2.0, 0), (width - 0.3, 0.9, 0.05), "glass")
    parts.add("cargo_box", "cargo_box", (0, 0.9, cab + 0.2), (width, 2.6, length - cab - 0.2), "aluminum")
    for i in range(seats):
        parts.add(f"seat_{i + 1}", "seat", (0.3 + i * 0.7, 1.1, 0.9), (0.55, 0.9, 0.55), "fabric")
    rear = [length - 1.2 - i * 1.35 for i in range(axles - 1)]
    _wheels(parts, width, [1.2, *sorted(rear)], diameter, 0.35)
    brief.facts.update(seats=seats)


def _bus(parts: Parts) -> None:
    brief = parts.brief
    decks = 2 if brief.has(r"double[\s-]?deck") else 1
    asked = brief.count("seat", "seater", "passenger", "person")
    given = brief.length("length")
    pitch, front, rear = 0.75, 2.6, 0.6
    if given:
        length = brief.clamp("bus length", given.metres, 6.0, MAX_BUS_LENGTH, " m")
        room = max(1, int((length - front - rear) / pitch)) * 4 * decks
        seats = int(brief.clamp("seats for a bus that long", asked, 8, room)) if asked else room
    else:
        most = int((MAX_BUS_LENGTH - front - rear) / pitch) * 4 * decks  # an articulated bus
        seats = brief.clamp_count("bus seats", asked, 40 * decks, 8, most)
        length = max(7.0, front + rear + math.ceil(seats / 4 / decks) * pitch)
    width, height = 2.55, 3.1 if decks == 1 else 4.3
    doors = brief.clamp_count("bus doors", brief.count("door"), 2 if length < 13 else 3, 1, 4)
    parts.add("body", "body", (0, 0.3, 0), (width, height - 0.3, length), decks=decks)
    parts.add("windscreen", "window", (0.1, 1.2, 0), (width - 0.2, 1.6, 0.05), "glass")
    parts.add("driver_seat", "seat", (0.3, 0.6, 0.9), (0.6, 1.0, 0.6), "fabric")
    gaps = [0.4 + k * (length - 1.8) / max(doors - 1, 1) for k in range(doors)] if doors > 1 else [0.4]
    for i, z in enumerate(gaps):
        parts.add(f"door_{i + 1}", "door", (width - 0.06, 0.35, z), (0.06, 2.3, 1.2), "glass")
    left = seats
    row = 0
    while left > 0:
        deck, slot = divmod(row, max(1, int((length - front - rear) / pitch)))
        here = min(4, left)
        y = 0.6 + deck * 1.9
        z = front + slot * pitch
        parts.add(f"seat_row_{row + 1}", "seat_row", (0.15, y, z), (width - 0.3, 1.0, 0.6), "fabric", seats=here)
        left -= here
        row += 1
    axles = 2 if length <= 13.5 else 3
    zs = [2.6, length - 2.6] if axles == 2 else [2.6, length - 4.0, length - 2.6]
    _wheels(parts, width, zs, 1.0, 0.3)
    brief.facts.update(seats=seats, doors=doors, seat_rows=row, length_m=round(length, 3))
