"""A keyboard and a watch as assemblies. A keyboard (front at z = 0): its case, the PCB and
the plate inside it, and one row of keys per layout row on the plate, as many keys as its
layout has ("60%", "75% layout", "TKL", "full size"), a USB port at the back. A watch lying
flat: its case (sized by "44 mm case"), display or dial on top, battery, board and sensor
inside, the crown on its side and a strap piece at each end."""

from __future__ import annotations

from atelier.specs.scene import Parts

#: Keys per row and case width (m) by layout percentage.
LAYOUTS: dict[int, tuple[tuple[int, ...], float]] = {
    60: ((14, 14, 13, 12, 8), 0.295),
    65: ((15, 15, 14, 14, 10), 0.315),
    75: ((16, 15, 15, 14, 14, 10), 0.325),
    80: ((13, 17, 17, 13, 14, 13), 0.36),
    96: ((18, 18, 18, 17, 16, 13), 0.39),
    100: ((13, 21, 21, 17, 17, 15), 0.44),
}
KEY = 0.019  # a key's pitch


def keyboard(parts: Parts) -> None:
    brief = parts.brief
    asked = brief.percent()
    if asked is None:
        asked = 80 if brief.has(r"\b(?:tkl|tenkeyless)\b") else 60 if brief.has(r"\b(?:compact|mini)\b") else 100
    layout = min(LAYOUTS, key=lambda p: abs(p - asked))
    if layout != asked:
        brief.notes.append(f"no {asked}% keyboard layout is made: built the nearest, {layout}%")
    rows, width = LAYOUTS[layout]
    depth = len(rows) * KEY + 0.025
    case_h = 0.03
    parts.add("case", "case", (0, 0, 0), (width, case_h, depth), parts.material, layout=f"{layout}%")
    parts.add("pcb", "pcb", (0.01, 0.008, 0.01), (width - 0.02, 0.0016, depth - 0.02), "composite")
    parts.add("plate", "plate", (0.01, 0.014, 0.01), (width - 0.02, 0.0015, depth - 0.02), "aluminum")
    for i, keys in enumerate(rows):
        z = 0.0125 + (len(rows) - 1 - i) * KEY  # the first row is the back one
        row_w = min(width - 0.02, (keys + 1.5) * KEY)
        parts.add(f"key_row_{i + 1}", "key_row", (0.01, 0.0155, z), (row_w, 0.012, KEY * 0.95), "plastic", keys=keys)
    parts.add(
        "usb_port", "port", (width / 2 - 0.005, 0.01, depth - 0.006), (0.01, 0.004, 0.006), "steel", connector="usb_c"
    )
    if "wireless" in parts.features or "bluetooth" in parts.features:
        parts.add("battery", "battery", (0.02, 0.003, depth - 0.04), (0.06, 0.004, 0.03), "lithium_ion")
    brief.facts.update(layout=f"{layout}%", keys=sum(rows), key_rows=len(rows))


def watch(parts: Parts) -> None:
    brief = parts.brief
    given = brief.length("case", "mm") or next((x for x in brief.lengths() if x.metres < 0.1), None)
    size = brief.clamp("watch case", given.metres * 1000, 20, 55, " mm") / 1000 if given else 0.044
    smart = brief.has(r"\bsmart") or "smart" in parts.features
    thick, strap = 0.011, 0.09
    band = size * 0.5
    parts.add(
        "strap_top", "strap", (size * 0.25, thick * 0.3, 0), (band, 0.003, strap), "silicone" if smart else "leather"
    )
    parts.add("case", "case", (0, 0, strap), (size, thick, size * 1.1), parts.material, case_mm=round(size * 1000))
    parts.add(
        "strap_bottom",
        "strap",
        (size * 0.25, thick * 0.3, strap + size * 1.1),
        (band, 0.003, strap),
        "silicone" if smart else "leather",
    )
    face = (size - 0.004, 0.001, size * 1.1 - 0.004)
    if smart:
        parts.add("display", "display", (0.002, thick - 0.001, strap + 0.002), face, "glass")
        parts.add("battery", "battery", (0.004, 0.004, strap + 0.006), (size - 0.008, 0.004, size * 0.6), "lithium_ion")
        parts.add(
            "board", "board", (0.004, 0.008, strap + 0.006), (size - 0.008, 0.001, size * 1.1 - 0.012), "composite"
        )
        parts.add(
            "heart_rate_sensor",
            "sensor",
            (size / 2 - 0.006, 0, strap + size * 0.55 - 0.006),
            (0.012, 0.001, 0.012),
            "glass",
        )
    else:
        parts.add("dial", "dial", (0.002, thick - 0.002, strap + 0.002), face, "glass")
        parts.add(
            "movement", "movement", (0.005, 0.003, strap + 0.005), (size - 0.01, 0.005, size * 1.1 - 0.01), "steel"
        )
    parts.add("crown", "crown", (size, thick * 0.4, strap + size * 0.55 - 0.003), (0.003, 0.005, 0.006), "steel")
    brief.facts.update(case_mm=round(size * 1000), smart=smart)
