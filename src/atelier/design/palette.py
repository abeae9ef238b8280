"""Palettes: the brand's own colours when given (and then only those), else colour words from
the prompt, else a harmony (analogous, complementary, triadic, monochrome) built for the style
and mood. Text colours are checked against WCAG AA on the colour they sit on."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from atelier.design.colors import (
    contrast,
    from_hls,
    luminance,
    mix,
    normalize_hex,
    readable_on,
    to_hls,
    with_lightness,
)

AA_TEXT = 4.5
AA_LARGE = 3.0

#: Candidate base hues (degrees) per style and per mood; the seed picks one.
STYLE_HUES: dict[str, tuple[float, ...]] = {
    # wide on purpose: a style says how saturated and how dark, not which hue (with few hues per
    # style one family, violet, took 28% of unconstrained designs)
    "modern": (221.0, 186.0, 12.0, 150.0, 262.0, 35.0, 340.0, 200.0),
    "corporate": (218.0, 200.0, 165.0, 355.0, 230.0),
    "creative": (275.0, 18.0, 330.0, 160.0, 45.0, 200.0),
    "minimalist": (210.0, 95.0, 25.0, 0.0, 170.0),
    "vibrant": (328.0, 14.0, 190.0, 45.0, 265.0, 150.0),
    "elegant": (345.0, 155.0, 222.0, 30.0),
}
#: Hues a subject suggests (coffee is brown-orange, a garden green), by motif concept.
CONCEPT_HUES: dict[str, tuple[float, ...]] = {
    **dict.fromkeys(("coffee", "bakery", "beer", "farm", "construction", "pet"), (28.0, 20.0, 36.0)),
    **dict.fromkeys(("restaurant", "pizza", "burger", "fitness", "gym", "sport", "car"), (6.0, 18.0, 355.0)),
    **dict.fromkeys(("wine", "love", "wedding", "fashion", "beauty", "jewelry"), (345.0, 335.0, 20.0)),
    **dict.fromkeys(("cake", "birthday", "party", "art", "flower", "kids"), (330.0, 45.0, 300.0)),
    **dict.fromkeys(("nature", "plant", "fern", "garden", "eco", "tea"), (130.0, 100.0, 150.0)),
    **dict.fromkeys(("ocean", "beach", "travel", "medical", "dental", "health", "yoga"), (190.0, 175.0, 200.0)),
    **dict.fromkeys(("law", "finance", "bank", "insurance", "security", "education"), (218.0, 210.0, 160.0)),
    **dict.fromkeys(("tech", "software", "ai", "robot", "space", "science"), (215.0, 190.0, 255.0)),
    **dict.fromkeys(("music", "jazz", "rock", "dance", "dj", "festival", "game"), (270.0, 320.0, 200.0, 30.0)),
    **dict.fromkeys(("energy", "shop", "delivery", "startup"), (45.0, 30.0, 12.0)),
    **dict.fromkeys(("mountain", "home", "real_estate", "book"), (205.0, 150.0, 25.0)),
}
MOOD_HUES: dict[str, tuple[float, ...]] = {
    "warm": (24.0, 18.0, 32.0),
    "calm": (175.0, 195.0, 160.0),
    "energetic": (6.0, 350.0, 22.0),
    "serious": (218.0, 222.0),
    "playful": (320.0, 45.0, 200.0),
    "luxurious": (345.0, 220.0, 160.0),
    "fresh": (135.0, 110.0, 155.0),
}
#: (harmony, hue offset of the accent) per style; variations walk through them.
STYLE_HARMONIES: dict[str, tuple[tuple[str, float], ...]] = {
    "modern": (("complementary", 180.0), ("analogous", 35.0), ("triadic", 120.0)),
    "corporate": (("analogous", 25.0), ("monochrome", 0.0), ("complementary", 180.0)),
    "creative": (("triadic", 120.0), ("complementary", 180.0), ("analogous", 40.0)),
    "minimalist": (("monochrome", 0.0), ("complementary", 180.0), ("analogous", 30.0)),
    "vibrant": (("complementary", 180.0), ("triadic", 120.0), ("analogous", 45.0)),
    "elegant": (("monochrome", 0.0), ("complementary", 180.0), ("analogous", 30.0)),
}
#: (saturation, lightness) of the primary, and whether grounds are dark by default.
STYLE_TONE: dict[str, tuple[float, float, bool]] = {
    "modern": (0.78, 0.48, False),
    "corporate": (0.55, 0.28, False),
    "creative": (0.7, 0.5, False),
    "minimalist": (0.25, 0.22, False),
    "vibrant": (0.9, 0.52, True),
    "elegant": (0.45, 0.24, False),
}
GOLD = "#C9A227"


@dataclass(frozen=True)
class Palette:
    background: str
    surface: str
    primary: str
    accent: str
    text: str
    on_primary: str
    muted: str
    harmony: str
    constrained: bool = False
    notes: tuple[str, ...] = field(default_factory=tuple)

    def colors(self) -> list[str]:
        roles = (self.background, self.surface, self.primary, self.accent, self.text, self.on_primary, self.muted)
        return list(dict.fromkeys(roles))

    def role(self, name: str) -> str:
        value = getattr(self, name, None)
        return value if isinstance(value, str) and value.startswith("#") else self.text

    def contrasts(self) -> dict[str, float]:
        return {
            "text_on_background": round(contrast(self.text, self.background), 2),
            "muted_on_background": round(contrast(self.muted, self.background), 2),
            "on_primary_on_primary": round(contrast(self.on_primary, self.primary), 2),
            "primary_on_background": round(contrast(self.primary, self.background), 2),
        }

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["notes"] = list(self.notes)
        data["contrast"] = self.contrasts()
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Palette:
        fields = {k: data[k] for k in cls.__dataclass_fields__ if k in data and k != "notes"}
        return cls(**fields, notes=tuple(data.get("notes") or ()))


def _best(colors: list[str], on: str) -> str:
    return max(colors, key=lambda c: (contrast(c, on), c))


def from_constraint(palette_hex: list[str] | tuple[str, ...], variation: int) -> Palette:
    """Roles from the brand's colours only. The first colour leads: it is the primary (the
    mark, panels, bands), and on variations 1, 3… the ground itself when some other brand
    colour reads on it; otherwise those variations put the design on the darkest colour."""
    colors = list(dict.fromkeys(normalize_hex(c) for c in palette_hex))
    notes: list[str] = []
    if len(colors) == 1:
        ground = "#FFFFFF" if luminance(colors[0]) < 0.4 else "#111111"
        notes.append(f"palette has one colour; the background {ground} was added so the design is visible")
        colors.append(ground)
    first = colors[0]
    by_light = sorted(colors, key=lambda c: (luminance(c), c), reverse=True)
    readable_on_first = any(contrast(c, first) >= AA_TEXT for c in colors[1:])
    if variation % 2 == 1:
        background = first if readable_on_first else by_light[-1]
    else:
        # the lightest colour that is not the lead; the lead itself when nothing else is light
        grounds = [c for c in by_light if c != first and luminance(c) >= luminance(first)]
        background = grounds[0] if grounds else (first if readable_on_first else by_light[0])
    others = [c for c in colors if c != background]
    leading = first != background and contrast(first, background) >= AA_LARGE
    primary = first if leading else sorted(others, key=lambda c: (contrast(c, background), c), reverse=True)[0]
    rest = [c for c in others if c != primary]
    accent = (rest[variation % len(rest)] if rest else primary) if len(colors) > 2 else primary
    text = _best(others, background)
    on_primary = _best([c for c in colors if c != primary] or [background], primary)
    muted = accent if contrast(accent, background) >= AA_LARGE else text
    best = contrast(text, background)
    if best < AA_TEXT:
        notes.append(f"the brand palette's best text pair reaches {best:.1f}:1, below WCAG AA {AA_TEXT}:1")
    return Palette(background, background, primary, accent, text, on_primary, muted, "brand", True, tuple(notes))


def _tone(style: str, mood: str) -> tuple[float, float, bool]:
    saturation, lightness, dark = STYLE_TONE.get(style, STYLE_TONE["modern"])
    if mood == "energetic":
        saturation = max(saturation, 0.75)
    if mood == "calm":
        saturation = min(saturation, 0.5)
    return saturation, lightness, dark


def build(
    style: str,
    mood: str,
    color_hexes: tuple[str, ...] | list[str],
    seed: int,
    variation: int,
    *,
    hues: tuple[float, ...] = (),
    hint_colors: tuple[str, ...] = (),
    ground: str | None = None,
) -> Palette:
    """A palette for the style and mood, led by the prompt's colour words when it has some,
    else by colours the headline names (``hint_colors``), else by hues the subject suggests
    (``hues``). ``ground`` is a colour asked for as the background ("gold on black")."""
    if ground is not None and len(color_hexes) > 1:
        return _on_ground(ground, [c for c in color_hexes if c != ground], style, variation)
    color_hexes = tuple(color_hexes) or tuple(hint_colors[:1])
    harmonies = STYLE_HARMONIES.get(style, STYLE_HARMONIES["modern"])
    harmony, offset = harmonies[variation % len(harmonies)]
    saturation, lightness, dark = _tone(style, mood)
    light = [c for c in color_hexes if luminance(c) > 0.6]
    strong = [c for c in color_hexes if luminance(c) <= 0.6]
    dark_ground = dark if variation % 2 == 0 else not dark
    if color_hexes:
        harmony = "from prompt" if len(color_hexes) > 1 else harmony
        primary = strong[0] if strong else with_lightness(light[0], 0.3)
        hue = to_hls(primary)[0]
        dark_ground = variation % 2 == 1
    else:
        hues = hues or MOOD_HUES.get(mood) or STYLE_HUES.get(style, STYLE_HUES["modern"])
        hue = hues[(seed + variation // 2) % len(hues)] / 360
        primary = from_hls(hue, lightness, saturation)
    if len(strong) > 1:
        accent = strong[1]
    elif style == "elegant" and not color_hexes:
        accent = GOLD
    elif harmony == "monochrome":
        accent = from_hls(hue, min(0.75, to_hls(primary)[1] + 0.3), to_hls(primary)[2])
    else:
        accent = from_hls(hue + offset / 360, 0.55, max(0.55, saturation))
    if light and not dark_ground:
        background = light[0]
    elif dark_ground:
        background = from_hls(hue, 0.1 if style != "minimalist" else 0.08, 0.35)
    else:
        background = from_hls(hue, 0.97, 0.3 if style != "minimalist" else 0.1)
    if dark_ground and luminance(primary) < 0.18:
        # a deep brand colour cannot be the mark on a dark ground: lift it to a light tint
        primary = light[0] if light else with_lightness(primary, 0.7)
    primary = readable_on(background, primary, AA_LARGE)
    accent = readable_on(background, accent, AA_LARGE)
    text = readable_on(background, mix(primary, "#000000" if luminance(background) > 0.2 else "#FFFFFF", 0.35))
    muted = readable_on(background, accent, AA_TEXT)
    on_primary = readable_on(primary, background if contrast(background, primary) >= AA_TEXT else "#FFFFFF")
    surface = mix(background, primary, 0.08)
    return Palette(background, surface, primary, accent, text, on_primary, muted, harmony, False, ())


def _on_ground(ground: str, inks: list[str], style: str, variation: int) -> Palette:
    """The prompt's colours with the one it set them on as the background: "gold on black"."""
    primary = readable_on(ground, inks[0], AA_LARGE)
    accent = readable_on(ground, inks[1] if len(inks) > 1 else mix(primary, ground, 0.35), AA_LARGE)
    light_ground = luminance(ground) > 0.2
    text = readable_on(ground, primary if contrast(primary, ground) >= AA_TEXT else mix(primary, "#FFFFFF", 0.5))
    if light_ground and contrast(text, ground) < AA_TEXT:
        text = readable_on(ground, mix(primary, "#000000", 0.5))
    muted = readable_on(ground, accent, AA_TEXT)
    on_primary = readable_on(primary, ground)
    surface = mix(ground, primary, 0.08)
    harmony = "from prompt"
    return Palette(ground, surface, primary, accent, text, on_primary, muted, harmony, False, ())
