"""Appliances as assemblies: kitchen ones (kitchen.py); a washer or dryer with its drum
inside the cabinet and the door on the front over it; an air conditioner's indoor unit, a
heat pump's outdoor unit, a heater, a fan; a thermostat, a smart speaker, a robot vacuum.
The front is the z = 0 side."""

from __future__ import annotations

import re
from typing import Any

from atelier.specs.kitchen import kitchen_objects
from atelier.specs.scene import Parts
from atelier.specs.vocabulary import kind_of, measure, named

#: Household drums hold 5 to 12 kg of laundry.
MIN_LOAD_KG, MAX_LOAD_KG = 5.0, 12.0


def appliance_objects(parts: Parts, subtype: str) -> None:
    build = {"kitchen": kitchen_objects, "laundry": _laundry, "hvac": _hvac}.get(subtype, _smart_home)
    build(parts, parts.brief.text)


def _laundry(parts: Parts, text: str) -> None:
    dryer = kind_of(text, {"dryer": ("dryer", "tumble dryer"), "washer": ("washer", "washing machine")}, "washer")
    asked = measure(r"(\d+(?:\.\d+)?)\s*kg", text)
    load = parts.brief.clamp("drum load", asked, MIN_LOAD_KG, MAX_LOAD_KG, " kg") if asked else 8.0
    drum_d = 0.3 + 0.02 * load
    depth = drum_d + 0.1
    parts.add("cabinet", "cabinet", (0, 0, 0.03), (0.6, 0.85, depth), capacity_kg=load)
    parts.add("drum", "drum", (0.06, 0.17, 0.06), (0.48, 0.48, drum_d), "steel")
    parts.add("door", "door", (0.09, 0.2, 0), (0.42, 0.42, 0.03))
    parts.add("door_glass", "glass", (0.14, 0.25, 0.005), (0.32, 0.32, 0.02), "glass")
    parts.add("control_panel", "control_panel", (0.25, 0.74, 0), (0.35, 0.11, 0.03))
    parts.add("motor", "motor", (0.2, 0.03, depth - 0.14), (0.2, 0.12, 0.15), "steel")
    if dryer == "dryer":
        heat = "heat_pump" if "heat pump" in text else "heating_element"
        parts.add(heat, heat, (0.1, 0.2, depth - 0.02), (0.4, 0.4, 0.04), "steel")
        parts.add("lint_filter", "filter", (0.1, 0.04, 0.03), (0.4, 0.1, 0.03), "plastic")
    else:
        parts.add("detergent_drawer", "drawer", (0.02, 0.72, 0.03), (0.2, 0.1, 0.3), "plastic")
        parts.add("pump", "pump", (0.05, 0.02, 0.05), (0.12, 0.1, 0.12), "plastic")


def _hvac(parts: Parts, text: str) -> None:
    kind = kind_of(
        text,
        {"heat_pump": ("heat pump", "outdoor unit"), "heater": ("heater", "radiator"), "fan": ("fan",)},
        "air_conditioner",
    )
    if kind == "heat_pump":
        parts.add("casing", "casing", (0, 0, 0.02), (0.9, 0.7, 0.35))
        parts.add("fan_guard", "guard", (0.05, 0.1, 0), (0.5, 0.5, 0.02))
        parts.add("fan", "fan", (0.05, 0.1, 0.04), (0.5, 0.5, 0.1), "plastic")
        parts.add("coil", "coil", (0.05, 0.05, 0.3), (0.8, 0.6, 0.05), "aluminum")
        parts.add("compressor", "compressor", (0.62, 0.03, 0.12), (0.22, 0.35, 0.2), "steel")
        parts.add("control_board", "board", (0.62, 0.45, 0.12), (0.2, 0.15, 0.03), "composite")
    elif kind == "heater":
        for i, x in enumerate((0.0, 0.35)):
            parts.add(f"foot_{i + 1}", "foot", (x, 0, 0), (0.05, 0.04, 0.22))
        parts.add("body", "body", (0, 0.04, 0.02), (0.4, 0.6, 0.2))
        parts.add("grille", "grille", (0.05, 0.12, 0), (0.3, 0.4, 0.02))
        parts.add("heating_element", "heating_element", (0.05, 0.12, 0.05), (0.3, 0.4, 0.05), "steel")
        parts.add("fan", "fan", (0.1, 0.17, 0.12), (0.2, 0.2, 0.06), "plastic")
        parts.add("control_panel", "control_panel", (0.1, 0.64, 0.07), (0.2, 0.02, 0.1))
    elif kind == "fan":
        pole = 1.0 if re.search(r"\b(?:standing|pedestal|floor)\b", text) else 0.25
        centre, top = 0.175, 0.04 + pole
        parts.add("base", "base", (0, 0, 0), (0.35, 0.04, 0.35))
        parts.add("pole", "pole", (centre - 0.015, 0.04, centre - 0.015), (0.03, pole, 0.03))
        parts.add("motor_housing", "motor", (centre - 0.055, top, 0.16), (0.11, 0.11, 0.14))
        parts.add("blades", "blades", (centre - 0.18, top + 0.055 - 0.18, 0.12), (0.36, 0.36, 0.04), "plastic")
        parts.add("guard", "guard", (centre - 0.2, top + 0.055 - 0.2, 0.1), (0.4, 0.4, 0.08), "steel")
    else:
        btu = measure(r"(\d+(?:\.\d+)?)\s*btu", text.replace(",", ""))
        kept = parts.brief.clamp("cooling", btu, 5000, 36000, " BTU") if btu else None
        capacity: dict[str, Any] = {"cooling_btu": int(kept)} if kept else {}
        parts.add("indoor_unit", "casing", (0, 0, 0), (0.9, 0.3, 0.22), **capacity)
        parts.add("filter", "filter", (0.05, 0.2, 0.01), (0.8, 0.08, 0.01), "plastic")
        parts.add("coil", "coil", (0.05, 0.1, 0.03), (0.78, 0.17, 0.04), "aluminum")
        parts.add("fan", "fan", (0.08, 0.05, 0.12), (0.74, 0.1, 0.08), "plastic")
        parts.add("louver", "louver", (0.05, 0.0, 0.0), (0.8, 0.04, 0.04), "plastic")
        parts.add("control_board", "board", (0.84, 0.1, 0.1), (0.05, 0.12, 0.08), "composite")
        parts.add("mounting_plate", "plate", (0.1, 0.05, 0.22), (0.7, 0.2, 0.01), "steel")


def _smart_home(parts: Parts, text: str) -> None:
    kinds = {"speaker": ("speaker",), "vacuum": ("vacuum", "robot"), "thermostat": ("thermostat",)}
    kind = kind_of(text, kinds, "thermostat")
    if not named(kinds, text):
        parts.brief.notes.append(
            "no smart-home appliance this planner builds is named (a thermostat, smart speaker or robot vacuum): "
            "built a thermostat"
        )
    if kind == "vacuum":
        parts.add("body", "body", (0, 0.01, 0.02), (0.34, 0.08, 0.34))
        parts.add("bumper", "bumper", (0, 0.015, 0), (0.34, 0.06, 0.02), "rubber")
        for i, x in enumerate((0.03, 0.28)):
            parts.add(f"wheel_{i + 1}", "wheel", (x, 0, 0.16), (0.03, 0.06, 0.06), "rubber")
        parts.add("caster", "caster", (0.155, 0, 0.05), (0.03, 0.02, 0.03), "rubber")
        parts.add("brush", "brush", (0.07, 0, 0.22), (0.2, 0.02, 0.04), "plastic")
        parts.add("dustbin", "dustbin", (0.09, 0.03, 0.26), (0.16, 0.05, 0.08), "plastic")
        parts.add("battery", "battery", (0.1, 0.03, 0.1), (0.14, 0.03, 0.06), "composite")
        parts.add("lidar", "lidar", (0.14, 0.09, 0.1), (0.06, 0.025, 0.06), "plastic")
    elif kind == "speaker":
        parts.add("body", "body", (0, 0, 0), (0.1, 0.15, 0.1))
        parts.add("driver", "driver", (0.015, 0.02, 0.015), (0.07, 0.07, 0.07), "composite")
        parts.add("board", "board", (0.01, 0.11, 0.01), (0.08, 0.003, 0.08), "composite")
        parts.add("mic_array", "microphone", (0.02, 0.15, 0.02), (0.06, 0.005, 0.06), "plastic")
    else:
        parts.add("housing", "housing", (0, 0, 0), (0.09, 0.09, 0.025))
        parts.add("display", "display", (0.015, 0.02, 0), (0.06, 0.05, 0.002), "glass")
        parts.add("board", "board", (0.01, 0.01, 0.008), (0.07, 0.07, 0.002), "composite")
        parts.add("temperature_sensor", "sensor", (0.04, 0.004, 0.012), (0.01, 0.005, 0.005), "composite")
        parts.add("wall_plate", "plate", (0.005, 0.005, 0.025), (0.08, 0.08, 0.005))
        if "battery" in parts.features:
            parts.add("battery", "battery", (0.02, 0.06, 0.012), (0.05, 0.02, 0.01), "composite")
