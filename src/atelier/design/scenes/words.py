"""The words that make a brief a scene: time of day, landscape elements, weather, the style
treatment, and what a drawing cannot be (a photograph, a likeness).

Plain word rules. A brief is a scene when it names a landscape or a sky ("a sunset over
mountains", "a city skyline at night") and does not ask for a mark (logo, icon, badge,
monogram): those stay graphics even when their subject is a mountain."""

from __future__ import annotations

import re

#: time of day → the words that say it (first match in this order wins)
TIMES: dict[str, tuple[str, ...]] = {
    "sunset": ("sunset", "sundown", "golden hour", "evening"),
    "sunrise": ("sunrise", "dawn", "daybreak", "morning"),
    "dusk": ("dusk", "twilight", "blue hour"),
    "night": ("night", "midnight", "starry", "stars", "moon", "moonlit", "moonlight", "nocturnal"),
    "day": ("day", "daytime", "noon", "sunny", "summer day", "afternoon"),
}
#: landscape element → its words
ELEMENTS: dict[str, tuple[str, ...]] = {
    "mountains": ("mountain", "mountains", "peaks", "peak", "alps", "alpine", "ridge", "ridges", "summit", "range"),
    "hills": ("hill", "hills", "countryside", "meadow", "meadows", "valley", "fields", "landscape", "prairie"),
    "water": ("lake", "sea", "ocean", "river", "bay", "harbor", "harbour", "waves", "wave", "water", "pond", "coast"),
    "beach": ("beach", "shore", "seaside", "island", "tropical", "palm", "palms", "sand", "coastline"),
    "forest": ("forest", "woods", "woodland", "trees", "pine", "pines", "jungle", "grove"),
    "snow": ("snow", "snowy", "winter", "frozen", "icy", "glacier"),
    "city": ("city", "skyline", "downtown", "skyscraper", "skyscrapers", "urban", "metropolis", "cityscape"),
    "lighthouse": ("lighthouse",),
    "village": ("village", "town", "cabin", "cottage", "house", "houses", "barn", "farmhouse", "chalet"),
}
WEATHER: dict[str, tuple[str, ...]] = {
    "rain": ("rain", "rainy", "raining", "drizzle", "downpour", "storm", "stormy", "thunderstorm"),
    "snowfall": ("snowfall", "snowing", "snowflakes", "blizzard", "falling snow"),
    "clouds": ("cloud", "clouds", "cloudy", "overcast", "storm", "stormy"),
    "fog": ("fog", "foggy", "mist", "misty", "haze", "hazy"),
    "lightning": ("lightning", "thunder", "thunderstorm"),
}
#: drawing treatment → its words
TREATMENTS: dict[str, tuple[str, ...]] = {
    "neon": ("neon", "glow", "glowing", "cyberpunk", "synthwave", "vaporwave"),
    "line": ("line art", "line-art", "lineart", "outline", "outlined", "line drawing", "sketch", "ink drawing"),
    "watercolour": ("watercolour", "watercolor", "painted", "painterly", "gouache", "wash"),
    "retro": ("retro", "vintage", "80s", "1980s", "70s", "travel poster", "poster style"),
    "flat": ("flat", "vector", "minimal", "minimalist", "geometric", "simple"),
}
#: a scene asked for by its kind when no element is named
SCENE_WORDS = ("scene", "scenery", "view", "vista", "panorama", "illustration of", "drawing of", "painting of")
#: design types that are marks, never scenes
MARK_WORDS = ("logo", "logotype", "wordmark", "monogram", "icon", "favicon", "badge", "emblem", "seal", "crest")
PHOTO_WORDS = ("photo", "photograph", "photography", "photorealistic", "realistic", "hyperrealistic", "dslr", "4k")
LIKENESS = re.compile(
    r"\b(?:portrait|likeness|headshot|selfie|caricature)\s+of\s+([A-Z][\w.'-]+(?:\s+[A-Z][\w.'-]+)*)"
    r"|\b(?:portrait|likeness|headshot|selfie)\b",
)


def has(low: str, phrase: str) -> bool:
    return re.search(rf"(?<![\w-]){re.escape(phrase)}(?![\w-])", low) is not None


def first_of(low: str, table: dict[str, tuple[str, ...]]) -> str | None:
    return next((key for key, words in table.items() if any(has(low, w) for w in words)), None)


def all_of(low: str, table: dict[str, tuple[str, ...]]) -> list[str]:
    return [key for key, words in table.items() if any(has(low, w) for w in words)]


def asks_for_mark(low: str) -> bool:
    return any(has(low, w) for w in MARK_WORDS)


def asks_for_photo(low: str) -> bool:
    return any(has(low, w) for w in PHOTO_WORDS)


def likeness_of(prompt: str) -> str | None:
    """The person whose likeness a brief asks for ("portrait of Ada Lovelace"), or "" for an
    unnamed portrait; None when it asks for none."""
    match = LIKENESS.search(prompt)
    if match is None:
        return None
    return match.group(1) or ""


def named_type(prompt: str) -> str | None:
    """The design type the prompt names in words ("poster", "business card"), if any."""
    from atelier.design.vocab import TYPE_WORDS

    low = prompt.lower()
    found = [
        (m.start(), kind)
        for kind, phrases in TYPE_WORDS.items()
        for p in phrases
        if (m := re.search(rf"\b{re.escape(p)}\b", low))
    ]
    return min(found)[1] if found else None
