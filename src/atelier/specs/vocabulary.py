"""The words the rule-based planner reads a prompt with: the design types and their kinds
(also the values a spec's ``design_type`` and ``category`` may take), materials and features,
and how a prompt's type and numbers are found."""

from __future__ import annotations

import re

TYPES: dict[str, dict[str, tuple[str, ...]]] = {
    "building": {
        "residential": ("house", "apartment", "home", "villa", "residential", "cabin"),
        "commercial": ("office", "building", "tower", "store", "mall", "hotel", "commercial", "school"),
        "industrial": ("factory", "warehouse", "plant", "industrial", "hangar"),
    },
    "vehicle": {
        "car": ("car", "vehicle", "sedan", "suv", "ev", "coupe"),
        "truck": ("truck", "lorry", "van"),
        "motorcycle": ("motorcycle", "motorbike", "scooter", "bike"),
        "aircraft": ("aircraft", "plane", "airplane", "jet", "drone"),
        "boat": ("boat", "yacht", "ship", "ferry", "kayak"),
    },
    "electronics": {
        "computer": ("computer", "laptop", "pc", "desktop", "server"),
        "phone": ("phone", "smartphone", "tablet"),
        "iot": ("iot", "sensor", "smart home", "wearable", "tracker"),
        "circuit": ("circuit", "pcb", "board", "chip"),
        "display": ("tv", "television"),
    },
    "appliance": {
        "kitchen": ("fridge", "refrigerator", "oven", "microwave", "dishwasher", "kitchen", "coffee maker"),
        "laundry": ("washer", "washing machine", "dryer", "laundry"),
        "hvac": ("hvac", "air conditioner", "heater", "heat pump", "fan"),
        "smart_home": ("thermostat", "smart speaker", "vacuum"),
    },
    "furniture": {
        "chair": ("chair", "stool", "armchair", "sofa", "couch", "bench"),
        "table": ("table", "desk"),
        "storage": ("shelf", "cabinet", "wardrobe", "bookcase", "drawer"),
        "decorative": ("lamp", "vase", "mirror", "sculpture", "decor"),
    },
}
MATERIALS = (
    "carbon_fiber",
    "aluminum",
    "steel",
    "glass",
    "wood",
    "concrete",
    "plastic",
    "leather",
    "fabric",
    "titanium",
    "bamboo",
    "marble",
)
FEATURES = (
    "aerodynamic",
    "electric",
    "sustainable",
    "solar",
    "wifi",
    "bluetooth",
    "waterproof",
    "weatherproof",
    "modular",
    "foldable",
    "smart",
    "autonomous",
    "hybrid",
    "wireless",
    "natural lighting",
    "green roof",
    "leed certified",
    "battery",
    "ergonomic",
    "minimalist",
    "luxury",
    "compact",
)
DEFAULT_MATERIAL = {
    "building": "concrete",
    "vehicle": "aluminum",
    "electronics": "plastic",
    "appliance": "steel",
    "furniture": "wood",
}


def detect(text: str) -> tuple[str, str]:
    """The type whose words appear; on a tie the one named last wins ("office chair" is a chair)."""
    low = text.lower()
    best: tuple[int, int, str, str] = (0, -1, "furniture", "decorative")
    for design_type, subtypes in TYPES.items():
        for subtype, words in subtypes.items():
            positions = [m.start() for w in words for m in re.finditer(rf"\b{re.escape(w)}s?\b", low)]
            if positions and (len(positions), max(positions)) > best[:2]:
                best = (len(positions), max(positions), design_type, subtype)
    return best[2], best[3]


def number(pattern: str, text: str) -> int | None:
    """The first number ``pattern`` captures in ``text``, or None."""
    match = re.search(pattern, text, re.IGNORECASE)
    return int(match.group(1)) if match else None


def measure(pattern: str, text: str) -> float | None:
    """The first decimal number ``pattern`` captures in ``text`` ("15.6 inch"), or None."""
    match = re.search(pattern, text, re.IGNORECASE)
    return float(match.group(1)) if match else None


def count(nouns: tuple[str, ...], text: str) -> int | None:
    """How many of ``nouns`` the text asks for, written either way round ("8 people", "3-seat",
    a context's "seats 8"), or None when it names no positive number of them."""
    words = "|".join(re.escape(n) for n in nouns)
    before = number(rf"(\d+)[\s-]*(?:{words})\b", text)
    return before or number(rf"\b(?:{words})\W{{0,3}}(\d+)", text) or None


def kind_of(text: str, kinds: dict[str, tuple[str, ...]], default: str) -> str:
    """The kind whose words appear in ``text``, the one named last winning as in ``detect``."""
    best, at = default, -1
    for kind, words in kinds.items():
        for word in words:
            for match in re.finditer(rf"\b{re.escape(word)}s?\b", text.lower()):
                if match.start() > at:
                    best, at = kind, match.start()
    return best


def clamp(value: float, low: float, high: float) -> float:
    return max(low, min(high, value))
