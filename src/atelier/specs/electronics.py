"""Electronics as assemblies: a laptop (chassis, keyboard on it, screen hinged upright at
the back edge, battery and board inside), a desktop tower, a server rack, a phone or tablet
(screen on the front face, battery and board inside, camera at the back), an IoT sensor
(enclosure, board and battery inside, antenna on top), a circuit board with its chips and a
television on a stand or a wall bracket.
The front is the z = 0 side; screens are sized from the prompt's inches."""

from __future__ import annotations

import re

from atelier.specs.peripherals import keyboard, watch
from atelier.specs.scene import Parts
from atelier.specs.vocabulary import count, kind_of, measure

INCHES = r"(\d+(?:\.\d+)?)\s*(?:-\s*)?(?:inch(?:es)?\b|\")"
INCH = 0.0254
#: A 42U rack holds ten 2U servers with room for its switch.
MAX_SERVERS = 10
#: Television screens made, in inches of diagonal.
MIN_TV_INCHES, MAX_TV_INCHES = 19.0, 100.0
#: Years an IoT battery is sized for (one cell of about 1.2 Ah a year).
MAX_BATTERY_YEARS = 10


def electronics_objects(parts: Parts, subtype: str) -> None:
    text = parts.brief.text
    if subtype == "watch":
        watch(parts)
    elif subtype == "keyboard":
        keyboard(parts)
    elif subtype == "computer":
        kind = kind_of(text, {"laptop": ("laptop", "notebook", "ultrabook"), "server": ("server", "rack")}, "desktop")
        {"laptop": _laptop, "server": _server_rack, "desktop": _desktop}[kind](parts, text)
    elif subtype == "phone":
        _handheld(parts, text)
    elif subtype == "iot":
        _sensor(parts, text)
    elif subtype == "display":
        _television(parts, text)
    else:
        _circuit_board(parts)


def _inches(parts: Parts, text: str, default: float, low: float, high: float) -> float:
    """The screen's diagonal the brief asks for, clamped (noted) to what is made."""
    asked = measure(INCHES, text)
    return parts.brief.clamp("screen", asked, low, high, " inch") if asked else default


def _laptop(parts: Parts, text: str) -> None:
    inches = _inches(parts, text, 14.0, 11.0, 18.0)
    sw, sh = inches * INCH * 0.8716, inches * INCH * 0.4903  # a 16:9 panel
    width, depth = sw + 0.016, sh + 0.05
    thick = 0.025 if "gaming" in text else 0.018
    parts.add("chassis", "chassis", (0, 0, 0), (width, thick, depth), screen_inches=inches)
    parts.add("keyboard", "keyboard", (0.02, thick, depth * 0.42), (width - 0.04, 0.002, depth * 0.45), "plastic")
    parts.add("touchpad", "touchpad", (width / 2 - 0.06, thick, 0.02), (0.12, 0.001, depth * 0.35), "glass")
    parts.add("screen", "screen", (0, thick, depth - 0.006), (width, sh + 0.02, 0.006), hinged="back_edge")
    parts.add("display", "display", (0.008, thick + 0.01, depth - 0.006), (sw, sh, 0.001), "glass")
    parts.add("battery", "battery", (0.03, 0.002, 0.02), (width - 0.06, 0.008, depth * 0.4), "composite")
    parts.add("board", "board", (0.03, 0.002, depth * 0.45), (width - 0.06, 0.003, depth * 0.5), "composite")
    if "gaming" in text:
        for i, x in enumerate((0.03, width - 0.1)):
            parts.add(f"fan_{i + 1}", "fan", (x, 0.006, depth * 0.6), (0.07, 0.012, depth * 0.3), "plastic")


def _desktop(parts: Parts, text: str) -> None:
    parts.add("case", "case", (0, 0, 0), (0.2, 0.45, 0.45))
    parts.add("motherboard", "board", (0.17, 0.12, 0.05), (0.02, 0.3, 0.3), "composite")
    parts.add("cpu_cooler", "cooler", (0.09, 0.3, 0.12), (0.08, 0.1, 0.1), "aluminum")
    parts.add("gpu", "gpu", (0.03, 0.18, 0.06), (0.14, 0.04, 0.28), "composite")
    parts.add("power_supply", "power_supply", (0.01, 0.01, 0.28), (0.15, 0.09, 0.16), "steel")
    parts.add("storage_drive", "drive", (0.03, 0.02, 0.03), (0.1, 0.025, 0.15), "composite")
    parts.add("fan", "fan", (0.04, 0.2, 0.005), (0.12, 0.12, 0.025), "plastic")
    ports = parts.brief.clamp_count("ports", parts.brief.count("port", "usb port"), 4, 1, 12)
    for i in range(ports):  # on the back panel, two columns
        x, y = 0.03 + (i % 2) * 0.03, 0.38 - (i // 2) * 0.012
        parts.add(f"port_{i + 1}", "port", (x, y, 0.445), (0.014, 0.006, 0.005), "steel", connector="usb")
    parts.brief.facts.update(ports=ports)


def _server_rack(parts: Parts, text: str) -> None:
    servers = parts.brief.clamp_count("servers", count(("server", "node"), text), 4, 1, MAX_SERVERS)
    parts.add("rack", "rack", (0, 0, 0), (0.6, 2.0, 1.0), rack_units=42)
    for i in range(servers):
        parts.add(f"server_{i + 1}", "server", (0.02, 0.1 + i * 0.178, 0.02), (0.56, 0.176, 0.9), rack_units=2)
    parts.add("network_switch", "switch", (0.02, 1.9, 0.02), (0.56, 0.044, 0.5), "composite")
    parts.add("power_distribution", "pdu", (0.02, 0.1, 0.95), (0.05, 1.7, 0.04), "steel")


def _handheld(parts: Parts, text: str) -> None:
    tablet = kind_of(text, {"tablet": ("tablet", "ipad"), "phone": ("phone", "smartphone")}, "phone") == "tablet"
    low, default, high = (7.0, 11.0, 13.0) if tablet else (4.0, 6.1, 7.5)
    inches = _inches(parts, text, default, low, high)
    ratio = (0.6, 0.8) if tablet else (0.419, 0.908)  # 4:3 and 19.5:9 panels, upright
    sw, sh = inches * INCH * ratio[0], inches * INCH * ratio[1]
    bezel, depth = (0.01, 0.006) if tablet else (0.003, 0.008)
    width, height = sw + 2 * bezel, sh + 2 * bezel + 0.006
    parts.add("chassis", "chassis", (0, 0, 0), (width, height, depth), screen_inches=inches)
    parts.add("screen", "screen", (bezel, bezel + 0.003, 0), (sw, sh, 0.001), "glass")
    parts.add("battery", "battery", (0.008, 0.02, 0.002), (width - 0.016, height * 0.5, depth - 0.004), "composite")
    parts.add("board", "board", (0.008, height * 0.6, 0.002), (width - 0.016, height * 0.3, 0.002), "composite")
    parts.add("camera", "camera", (0.006, height - 0.03, depth), (0.02, 0.02, 0.002), "glass")


#: IoT devices this planner has no assembly of its own for: built as a sensor node, and said so.
_AS_SENSOR = ("smart plug", "smart lock", "gateway", "smart home", "iot device", "iot")


def _sensor(parts: Parts, text: str) -> None:
    small = kind_of(text, {"tracker": ("wearable", "tracker")}, "sensor") == "tracker"
    unbuilt = next((w for w in _AS_SENSOR if w in text), None)
    if unbuilt is not None and not any(w in text for w in ("sensor", "tracker", "wearable")):
        parts.brief.notes.append(
            f"no assembly of a {unbuilt} is made: built a battery sensor node (enclosure, board, battery, "
            "sensor, antenna) instead"
        )
    years = parts.brief.clamp_count("battery years", count(("year",), text), 1, 1, MAX_BATTERY_YEARS)
    cell = 0.02 + 0.01 * years
    width, height = (0.04, 0.012) if small else (0.08, 0.03)
    depth = max(0.04 if small else 0.08, cell + 0.02)
    rating = "IP67" if "waterproof" in parts.features else "IP65" if "weatherproof" in parts.features else "IP20"
    parts.add("enclosure", "enclosure", (0, 0, 0), (width, height, depth), ip_rating=rating)
    parts.add("board", "board", (0.005, 0.002, 0.005), (width - 0.01, 0.002, depth - 0.01), "composite")
    battery_h = height - 0.008
    parts.add(
        "battery", "battery", (0.008, 0.005, 0.01), (width - 0.016, battery_h, cell), "composite", life_years=years
    )
    parts.add("sensor_element", "sensor", (width / 2 - 0.005, 0.004, 0), (0.01, 0.004, 0.003), "composite")
    radio = [p for p in ("wifi", "bluetooth", "wireless") if p in parts.features]
    parts.add("antenna", "antenna", (width - 0.01, height, depth - 0.01), (0.004, 0.04, 0.004), radio=radio)


def _circuit_board(parts: Parts) -> None:
    brief = parts.brief
    pair = brief.pair()
    w, d = (pair[0], pair[1]) if pair else (0.1, 0.08)
    w, d = brief.clamp("board width", w, 0.05, 0.5, " m"), brief.clamp("board depth", d, 0.05, 0.5, " m")
    parts.add("pcb", "pcb", (0, 0, 0), (w, 0.0016, d), "composite", layers=4)
    ports = brief.clamp_count("connectors", brief.count("port", "connector", "header"), 1, 0, int(w // 0.012))
    for i in range(1, ports):
        parts.add(
            f"connector_{i + 1}",
            "connector",
            (i * 0.012 - 0.011 + 0.001, 0.0016, d - 0.021),
            (0.01, 0.008, 0.02),
            "composite",
        )
    brief.facts.update(ports=ports)
    chips = [
        ("microcontroller", "chip", (0.035, 0.025), (0.012, 0.0012, 0.012)),
        ("memory", "chip", (0.06, 0.025), (0.01, 0.0012, 0.006)),
        ("voltage_regulator", "regulator", (0.01, 0.01), (0.006, 0.002, 0.006)),
        ("crystal", "crystal", (0.035, 0.045), (0.005, 0.0012, 0.003)),
        ("connector", "connector", (w - 0.015, d * 0.375), (0.01, 0.008, 0.02)),
    ]
    for oid, kind, (x, z), dims in chips:
        at = (x, z) if oid == "connector" else (x * w / 0.1, z * d / 0.08)
        parts.add(oid, kind, (at[0], 0.0016, at[1]), dims, "composite")


def _television(parts: Parts, text: str) -> None:
    inches = _inches(parts, text, 55.0, MIN_TV_INCHES, MAX_TV_INCHES)
    sw, sh = inches * INCH * 0.8716, inches * INCH * 0.4903  # a 16:9 panel
    width, height, depth, bezel = sw + 0.02, sh + 0.02, 0.06, 0.01
    wall = bool(re.search(r"\bwall\b", text))
    y, z = (0.0, 0.0) if wall else (0.1, 0.08)
    parts.add("panel", "panel", (0, y, z), (width, height, depth), screen_inches=inches)
    parts.add("screen", "screen", (bezel, y + bezel, z), (sw, sh, 0.002), "glass")
    board = (0.3, min(0.2, sh * 0.6), 0.005)
    parts.add("board", "board", (width / 2 - 0.15, y + 0.05, z + 0.03), board, "composite")
    parts.add("power_supply", "power_supply", (width / 2 - 0.1, y + 0.015, z + 0.04), (0.2, 0.03, 0.015), "composite")
    for i, x in enumerate((0.05, width - 0.17)):
        parts.add(f"speaker_{i + 1}", "speaker", (x, y + 0.01, z + 0.02), (0.12, 0.04, 0.03), "composite")
    if wall:
        parts.add("wall_bracket", "bracket", (width / 2 - 0.2, height / 2 - 0.15, depth), (0.4, 0.3, 0.03), "steel")
    else:
        parts.add("foot", "foot", (width / 2 - 0.2, 0, 0), (0.4, 0.02, 0.25))
        parts.add("neck", "neck", (width / 2 - 0.04, 0.02, z + 0.015), (0.08, 0.1, 0.03))
