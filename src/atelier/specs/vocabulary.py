"""The words the rule-based planner reads a brief with: the design types and their kinds
(also the values a spec's ``design_type`` and ``category`` may take), materials and features,
and how a brief's design is found.

Words match with their plurals ("shelf" also finds "shelves", "bus" "buses"), and a space or
hyphen inside a word matches either or none ("e-bike" finds "ebike" and "e bike")."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

TYPES: dict[str, dict[str, tuple[str, ...]]] = {
    "building": {
        "residential": (
            "house",
            "home",
            "villa",
            "cottage",
            "bungalow",
            "cabin",
            "townhouse",
            "duplex",
            "apartment building",
            "apartment block",
            "residential",
            "dwelling",
        ),
        "commercial": (
            "office",
            "office building",
            "tower",
            "skyscraper",
            "store",
            "shop",
            "mall",
            "hotel",
            "commercial",
            "school",
            "restaurant",
            "building",
        ),
        "industrial": (
            "factory",
            "warehouse",
            "plant",
            "industrial",
            "hangar",
            "workshop",
            "depot",
            "distribution centre",
        ),
    },
    "vehicle": {
        "car": ("car", "sedan", "saloon", "suv", "hatchback", "coupe", "ev", "convertible", "vehicle"),
        "truck": ("truck", "lorry", "van", "pickup", "semi truck", "tractor unit"),
        "bus": ("bus", "coach", "minibus", "school bus", "double decker", "trolleybus"),
        "motorcycle": ("motorcycle", "motorbike", "scooter", "moped", "dirt bike"),
        "bicycle": (
            "bicycle",
            "bike",
            "e-bike",
            "cargo bike",
            "cargo e-bike",
            "electric bike",
            "electric bicycle",
            "cycle",
            "road bike",
            "mountain bike",
        ),
        "aircraft": ("aircraft", "plane", "airplane", "aeroplane", "jet", "airliner", "drone", "glider"),
        "boat": ("boat", "yacht", "ship", "ferry", "kayak", "canoe", "sailboat", "catamaran", "dinghy"),
    },
    "electronics": {
        "computer": ("computer", "laptop", "notebook", "ultrabook", "pc", "desktop", "server", "workstation pc"),
        "phone": ("phone", "smartphone", "mobile phone", "iphone", "tablet", "ipad"),
        "watch": ("watch", "smartwatch", "smart watch", "wristwatch", "fitness watch"),
        "keyboard": ("keyboard", "mechanical keyboard", "keeb"),
        "iot": (
            "iot",
            "iot device",
            "sensor",
            "smart home",
            "wearable",
            "tracker",
            "smart plug",
            "smart lock",
            "gateway",
        ),
        "circuit": ("circuit", "circuit board", "pcb", "board", "chip", "microcontroller", "motherboard"),
        "display": ("tv", "television", "monitor"),
    },
    "appliance": {
        "kitchen": (
            "fridge",
            "refrigerator",
            "freezer",
            "oven",
            "range",
            "stove",
            "cooker",
            "microwave",
            "dishwasher",
            "kitchen appliance",
            "coffee maker",
            "coffee machine",
            "espresso machine",
            "toaster",
        ),
        "laundry": ("washer", "washing machine", "dryer", "tumble dryer", "laundry", "washer dryer"),
        "hvac": ("hvac", "air conditioner", "heater", "heat pump", "fan", "radiator", "ac unit", "air con"),
        "smart_home": ("thermostat", "smart speaker", "vacuum", "robot vacuum", "smart display", "appliance"),
    },
    "furniture": {
        "chair": (
            "chair",
            "stool",
            "armchair",
            "sofa",
            "couch",
            "bench",
            "loveseat",
            "recliner",
            "seat",
            "seating",
        ),
        "table": ("table", "dining table", "coffee table", "side table"),
        "desk": ("desk", "standing desk", "sit-stand desk", "writing desk", "workstation"),
        "storage": (
            "shelf",
            "shelving",
            "shelving unit",
            "bookshelf",
            "bookcase",
            "cabinet",
            "cupboard",
            "wardrobe",
            "closet",
            "dresser",
            "chest of drawers",
            "drawers",
            "sideboard",
            "storage",
        ),
        "bed": ("bed", "bunk bed", "bed frame", "cot", "daybed"),
        "decorative": ("lamp", "vase", "mirror", "sculpture", "decor", "decoration", "ornament", "furniture"),
    },
}
#: Words that name a design type but no kind of it: the kind built for them is noted.
GENERIC = {"vehicle", "building", "appliance", "furniture", "seat", "seating", "storage", "board", "range"}
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
    "brick",
    "oak",
    "walnut",
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
IRREGULAR = {"person": "people", "child": "children", "foot": "feet", "kid": "kids"}
#: Where a brief's head noun phrase ends: what follows describes it ("a house with a garage").
HEAD_END = re.compile(r"\b(?:with|for|that|which|featuring|including|having|where|to|in|on|at|from|like|and)\b|[,;:(.]")


def plurals(word: str) -> list[str]:
    """``word`` and its plural forms, longest first."""
    forms = {word, word + "s"}
    if word in IRREGULAR:
        forms.add(IRREGULAR[word])
    if word.endswith(("s", "x", "ch", "sh")):
        forms.add(word + "es")
    if word.endswith("y") and len(word) > 1 and word[-2] not in "aeiou":
        forms.add(word[:-1] + "ies")
    if word.endswith("f"):
        forms.add(word[:-1] + "ves")
    if word.endswith("fe"):
        forms.add(word[:-2] + "ves")
    return sorted(forms, key=len, reverse=True)


@cache
def pattern(word: str) -> re.Pattern[str]:
    """A word of the vocabulary as a regex: whole words, plurals of its last part, and its
    inner spaces and hyphens matching a space, a hyphen or nothing."""
    pieces = re.split(r"[\s-]+", word.lower())
    head = "".join(re.escape(p) + r"[\s-]?" for p in pieces[:-1])
    last = "|".join(re.escape(f) for f in plurals(pieces[-1]))
    return re.compile(rf"\b{head}(?:{last})\b")


def find(word: str, text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in pattern(word).finditer(text.lower())]


@dataclass(frozen=True)
class Detection:
    """What a brief was read as: its type and kind, the words that said so (``word`` is empty
    when nothing did), and whether that word names the kind or only the type."""

    design_type: str
    category: str
    word: str
    generic: bool = False

    @property
    def recognised(self) -> bool:
        return bool(self.word)


def _matches(text: str) -> list[tuple[int, int, str, str, str]]:
    """Every vocabulary word in ``text`` as (start, end, type, kind, word), dropping a match
    that lies inside a longer one ("bike" in "cargo e-bike")."""
    found = [
        (start, end, design_type, kind, word)
        for design_type, kinds in TYPES.items()
        for kind, words in kinds.items()
        for word in words
        for start, end in find(word, text)
    ]
    return [m for m in found if not any(o[0] <= m[0] and m[1] <= o[1] and (o[1] - o[0]) > (m[1] - m[0]) for o in found)]


def detect(text: str) -> Detection:
    """The design a brief names. Its head noun phrase decides (the text before "with", "for",
    a comma...): the word named last in it wins, as English puts the head noun last ("office
    chair" is a chair). Without a match there, the first word named after it does ("a design
    for a bookshelf"). Nothing matched: a Detection with an empty ``word``."""
    low = text.lower()
    cut = HEAD_END.search(low)
    head_end = cut.start() if cut else len(low)
    matches = _matches(low)
    if not matches:
        return Detection("furniture", "decorative", "")
    in_head = [m for m in matches if m[0] < head_end]
    specific = [m for m in in_head if m[4] not in GENERIC] or in_head
    if specific:
        start, end, design_type, kind, word = max(specific, key=lambda m: (m[0], m[1] - m[0]))
    else:
        rest = [m for m in matches if m[4] not in GENERIC] or matches
        start, end, design_type, kind, word = min(rest, key=lambda m: (m[0], -(m[1] - m[0])))
    return Detection(design_type, kind, low[start:end], word in GENERIC)


def kind_of(text: str, kinds: dict[str, tuple[str, ...]], default: str) -> str:
    """The kind whose words appear in ``text``, the one named last winning as in ``detect``
    (a longer word at the same place winning over a shorter one)."""
    best, at = default, (-1, 0)
    for kind, words in kinds.items():
        for word in words:
            for start, end in find(word, text):
                if (start, end - start) > at:
                    best, at = kind, (start, end - start)
    return best


def named(kinds: dict[str, tuple[str, ...]], text: str) -> bool:
    """Whether ``text`` names any of ``kinds`` (else a builder's default kind is noted)."""
    return any(find(word, text) for words in kinds.values() for word in words)


def number(pattern_text: str, text: str) -> int | None:
    """The first number ``pattern_text`` captures in ``text``, or None."""
    match = re.search(pattern_text, text, re.IGNORECASE)
    return int(match.group(1)) if match else None


def measure(pattern_text: str, text: str) -> float | None:
    """The first decimal number ``pattern_text`` captures in ``text`` ("15.6 inch"), or None."""
    match = re.search(pattern_text, text, re.IGNORECASE)
    return float(match.group(1)) if match else None


def count(nouns: tuple[str, ...], text: str) -> int | None:
    """How many of ``nouns`` the text asks for, written either way round ("8 people", "3-seat",
    a context's "seats 8"), or None when it names no positive number of them."""
    words = "|".join(re.escape(f) for n in nouns for f in plurals(n))
    before = number(rf"(\d+)[\s-]*(?:{words})\b", text)
    return before or number(rf"\b(?:{words})\W{{0,3}}(\d+)\b", text) or None


def clamp(value: float, low: float, high: float) -> float:
    return max(low, min(high, value))
