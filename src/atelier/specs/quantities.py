"""The numbers of a brief: lengths with their units ("12 m long", "44 mm case", "160x80 cm",
"6 ft", '27"'), counts ("2 storeys", "three drawers", "two kids"), capacities ("8 people",
"300 litres") and layout words ("75% layout"), and every value clamped to what the design
can really measure, with a note saying so when it was."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from atelier.specs.vocabulary import count

NUMBER_WORDS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "fifteen": 15,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
}
#: Metres per unit, the longest spellings first so "mm" is not read as "m".
UNITS = {
    "millimetres": 0.001,
    "millimeters": 0.001,
    "centimetres": 0.01,
    "centimeters": 0.01,
    "metres": 1.0,
    "meters": 1.0,
    "metre": 1.0,
    "meter": 1.0,
    "inches": 0.0254,
    "inch": 0.0254,
    "feet": 0.3048,
    "foot": 0.3048,
    "mm": 0.001,
    "cm": 0.01,
    "ft": 0.3048,
    "in": 0.0254,
    "m": 1.0,
    '"': 0.0254,
    "'": 0.3048,
}
_UNIT = "|".join(re.escape(u) for u in UNITS)
_NUM = r"(\d+(?:\.\d+)?)"
#: A unit is a whole word ("5 m long", not the "m" of "5 motors"); the quote marks end themselves.
_UNIT_END = r"(?:(?<=[\"'])|\b)"
LENGTH = re.compile(rf"{_NUM}\s*-?\s*({_UNIT}){_UNIT_END}\s*-?\s*(\w+)?")
PAIR = re.compile(rf"{_NUM}\s*(?:{_UNIT})?\s*[x×]\s*{_NUM}(?:\s*(?:{_UNIT})?\s*[x×]\s*{_NUM})?\s*({_UNIT})?{_UNIT_END}")
#: Words after a length that say which way it runs.
AXES = {
    "long": "length",
    "length": "length",
    "wide": "width",
    "width": "width",
    "across": "width",
    "tall": "height",
    "high": "height",
    "height": "height",
    "deep": "depth",
    "depth": "depth",
}


def normalise(text: str) -> str:
    """Lower case, number words as digits ("two kids" → "2 kids"), no thousands separators."""
    low = text.lower()
    low = re.sub(r"(?<=\d),(?=\d{3}\b)", "", low)
    return re.sub(r"\b(" + "|".join(NUMBER_WORDS) + r")\b", lambda m: str(NUMBER_WORDS[m.group(1)]), low)


@dataclass(frozen=True)
class Length:
    metres: float
    axis: str | None  # length, width, height, depth, or None
    word: str  # the word after it ("case", "screen", "long"...)
    text: str


@dataclass
class Brief:
    """A brief's text as the planner reads it, and the notes on what was done with it."""

    text: str
    notes: list[str] = field(default_factory=list)
    #: What the assembly was built with (storeys, seats, wheels...), reported in the spec.
    facts: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.text = normalise(self.text)

    def count(self, *nouns: str) -> int | None:
        return count(nouns, self.text)

    def lengths(self) -> list[Length]:
        found = []
        for m in LENGTH.finditer(self.text):
            value, unit, after = float(m.group(1)), m.group(2), m.group(3) or ""
            if unit == "in" and after and not after.isdigit():
                continue  # "5 in length", "fits in a van": the word, not inches
            found.append(Length(value * UNITS[unit], AXES.get(after), after, m.group(0).strip()))
        return found

    def length(self, *axes_or_words: str) -> Length | None:
        """The first length whose following word or axis is one of ``axes_or_words``."""
        return next((x for x in self.lengths() if x.axis in axes_or_words or x.word in axes_or_words), None)

    def any_length(self) -> Length | None:
        """The first length given, whichever way it runs."""
        found = self.lengths()
        return found[0] if found else None

    def pair(self) -> tuple[float, ...] | None:
        """A size written ``A x B [x C] unit`` in metres; without a unit, centimetres when
        the numbers are above 10 and metres otherwise (noted)."""
        m = PAIR.search(self.text)
        if not m:
            return None
        values = [float(v) for v in m.groups()[:3] if v is not None]
        unit = m.group(4)
        if unit is None:
            unit = "cm" if max(values) > 10 else "m"
            self.notes.append(f"'{m.group(0).strip()}' has no unit: read as {unit}")
        return tuple(v * UNITS[unit] for v in values)

    def percent(self) -> int | None:
        m = re.search(r"(\d+)\s*%", self.text)
        return int(m.group(1)) if m else None

    def has(self, pattern: str) -> bool:
        return re.search(pattern, self.text) is not None

    def clamp(self, what: str, value: float, low: float, high: float, unit: str = "") -> float:
        """``value`` within [low, high]; a note says so when it was not."""
        if low <= value <= high:
            return value
        kept = low if value < low else high
        # a count of 400 digits is an int no float holds: it is named, not formatted
        shown = f"{value:g}" if abs(value) < 1e15 else "a number that large"
        self.notes.append(
            f"{what} {shown}{unit} is outside the realistic {low:g}-{high:g}{unit}: built with {kept:g}{unit}"
        )
        return kept

    def clamp_count(self, what: str, value: int | None, default: int, low: int, high: int) -> int:
        return int(self.clamp(what, value, low, high)) if value is not None else default
