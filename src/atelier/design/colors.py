"""Named colours, conversions, WCAG contrast and hue arithmetic."""

from __future__ import annotations

import colorsys
import re

#: Colour words a prompt may use, with the hex a designer would pick for each.
NAMED: dict[str, str] = {
    "black": "#111111",
    "white": "#FFFFFF",
    "cream": "#F5EEDC",
    "ivory": "#FFFBF0",
    "beige": "#E8DCC4",
    "sand": "#D8C3A5",
    "grey": "#8A8F98",
    "gray": "#8A8F98",
    "silver": "#C0C4CC",
    "charcoal": "#2E3238",
    "slate": "#475569",
    "navy": "#1B2A4A",
    "blue": "#2563EB",
    "cobalt": "#0047AB",
    "indigo": "#3F3D99",
    "sky": "#7CC4F0",
    "teal": "#0F8B8D",
    "turquoise": "#2EC4B6",
    "aqua": "#3CCFCF",
    "cyan": "#22B8CF",
    "green": "#2F7D4F",
    "forest": "#1E4D36",
    "sage": "#9CAF88",
    "olive": "#6B7B3A",
    "mint": "#A8E6CF",
    "lime": "#9BCB3C",
    "emerald": "#10906A",
    "jade": "#00A86B",
    "yellow": "#F5C518",
    "lemon": "#F7E463",
    "gold": "#C9A227",
    "golden": "#C9A227",
    "mustard": "#D4A017",
    "amber": "#F2A104",
    "orange": "#F07B2B",
    "tangerine": "#F28500",
    "coral": "#F2725E",
    "salmon": "#FA8072",
    "peach": "#F8B195",
    "red": "#D7263D",
    "scarlet": "#E03C31",
    "crimson": "#A4161A",
    "burgundy": "#6D1A36",
    "wine": "#722F37",
    "maroon": "#5C1A1B",
    "pink": "#EC6FA0",
    "blush": "#F4C2C2",
    "rose": "#D9486B",
    "fuchsia": "#D62F8D",
    "magenta": "#C2187A",
    "purple": "#6B3FA0",
    "violet": "#7F52D9",
    "lavender": "#B8A9E0",
    "lilac": "#C8A2C8",
    "plum": "#5E2750",
    "brown": "#7A4B2A",
    "chocolate": "#4E2A1E",
    "espresso": "#3B2418",
    "tan": "#C8A27C",
    "copper": "#B87333",
    "bronze": "#A97142",
    "terracotta": "#C8553D",
    "rust": "#B7410E",
}

#: Colours that read as grounds (light), not as marks.
LIGHT_NAMES = frozenset(
    {
        "cream",
        "white",
        "ivory",
        "beige",
        "sand",
        "blush",
        "mint",
        "lavender",
        "peach",
        "sky",
        "lemon",
        "lilac",
        "silver",
    }
)
_MODIFIERS = {"light": 0.82, "pale": 0.88, "dark": 0.22, "deep": 0.28}
_HEX = re.compile(r"^#?([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")


def is_hex(value: str) -> bool:
    return bool(_HEX.match(value.strip()))


def normalize_hex(value: str) -> str:
    """``#abc`` / ``abc`` / ``#aabbcc`` → ``#AABBCC``; ValueError on anything else."""
    match = _HEX.match(value.strip())
    if not match:
        raise ValueError(f"not a hex colour: {value!r}")
    body = match.group(1)
    if len(body) == 3:
        body = "".join(c * 2 for c in body)
    return "#" + body.upper()


def hex_to_rgb(value: str) -> tuple[int, int, int]:
    body = normalize_hex(value)[1:]
    return int(body[0:2], 16), int(body[2:4], 16), int(body[4:6], 16)


def rgb_to_hex(rgb: tuple[int, int, int]) -> str:
    return "#{:02X}{:02X}{:02X}".format(*(max(0, min(255, c)) for c in rgb))


def luminance(hex_color: str) -> float:
    """WCAG relative luminance."""

    def channel(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.04045 else ((s + 0.055) / 1.055) ** 2.4

    r, g, b = hex_to_rgb(hex_color)
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio, 1..21."""
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def to_hls(hex_color: str) -> tuple[float, float, float]:
    r, g, b = (c / 255 for c in hex_to_rgb(hex_color))
    return colorsys.rgb_to_hls(r, g, b)


def from_hls(h: float, lightness: float, s: float) -> str:
    r, g, b = colorsys.hls_to_rgb(h % 1.0, max(0.0, min(1.0, lightness)), max(0.0, min(1.0, s)))
    return rgb_to_hex((round(r * 255), round(g * 255), round(b * 255)))


def rotate_hue(hex_color: str, degrees: float, *, lightness: float | None = None) -> str:
    h, l_, s = to_hls(hex_color)
    return from_hls(h + degrees / 360, l_ if lightness is None else lightness, s)


def with_lightness(hex_color: str, lightness: float, saturation: float | None = None) -> str:
    h, _, s = to_hls(hex_color)
    return from_hls(h, lightness, s if saturation is None else saturation)


def mix(a: str, b: str, t: float) -> str:
    """``t`` of the way from ``a`` to ``b``."""
    ra, rb = hex_to_rgb(a), hex_to_rgb(b)
    return rgb_to_hex(tuple(round(x + (y - x) * t) for x, y in zip(ra, rb, strict=True)))  # type: ignore[arg-type]


def best_text_color(background: str, candidates: list[str]) -> str:
    """The candidate with the highest contrast on ``background``."""
    return max(candidates, key=lambda c: contrast(c, background))


def readable_on(background: str, preferred: str, minimum: float = 4.5) -> str:
    """``preferred`` darkened or lightened just enough to reach ``minimum`` on ``background``."""
    if contrast(preferred, background) >= minimum:
        return preferred
    h, l_, s = to_hls(preferred)
    darker = luminance(background) > 0.18
    for step in range(1, 21):
        candidate = from_hls(h, l_ - step * 0.05 if darker else l_ + step * 0.05, s)
        if contrast(candidate, background) >= minimum:
            return candidate
    return "#111111" if darker else "#FFFFFF"


def named_color(words: list[str], index: int) -> str | None:
    """The colour named at ``words[index]``, adjusted by a modifier before it (``dark green``)."""
    base = NAMED.get(words[index])
    if base is None:
        return None
    if index > 0 and words[index - 1] in _MODIFIERS:
        return with_lightness(base, _MODIFIERS[words[index - 1]])
    return base
