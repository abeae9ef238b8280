"""A scene's colours: one per role (sky bands, sun, each depth of land, water, windows…),
from a time-of-day preset shifted a little by the seed, turned by the treatment and the
weather, or taken from the brand palette only (and then ordered by lightness so the sky,
the far land and the near land stay distinct)."""

from __future__ import annotations

import random

from atelier.design.colors import contrast, from_hls, luminance, mix, to_hls

ROLES = (
    "sky0", "sky1", "sky2", "sun", "moon", "star", "cloud", "far", "mid", "near",
    "snow", "water", "shine", "sand", "foliage", "building", "window", "light", "ink", "paper",
)  # fmt: skip

_PRESETS: dict[str, dict[str, str]] = {
    "day": {
        "sky0": "#3F86D1",
        "sky1": "#79B6E6",
        "sky2": "#D3EBF8",
        "sun": "#FFE7A1",
        "moon": "#F4F1E6",
        "star": "#FFFFFF",
        "cloud": "#FFFFFF",
        "far": "#8DB0C8",
        "mid": "#5D8F6C",
        "near": "#2F5E3C",
        "snow": "#F5F9FC",
        "water": "#3B7DB0",
        "shine": "#D9F0FF",
        "sand": "#EBD5A2",
        "foliage": "#2D6A3B",
        "building": "#55677A",
        "window": "#BFD7EA",
        "light": "#FFE9A8",
        "ink": "#1E2A36",
        "paper": "#F7F3EA",
    },
    "sunset": {
        "sky0": "#2A1B4D",
        "sky1": "#C4456A",
        "sky2": "#FFB36A",
        "sun": "#FFD77E",
        "moon": "#FFE7C4",
        "star": "#FFE9D6",
        "cloud": "#F08A7A",
        "far": "#8A4C7C",
        "mid": "#56305F",
        "near": "#2B1838",
        "snow": "#FFD9C7",
        "water": "#5B3466",
        "shine": "#FFC27A",
        "sand": "#D98F6B",
        "foliage": "#3A1F40",
        "building": "#3D2346",
        "window": "#FFC66B",
        "light": "#FFE3A0",
        "ink": "#2A1530",
        "paper": "#FBF0E4",
    },
    "sunrise": {
        "sky0": "#4A64A6",
        "sky1": "#F2A3A0",
        "sky2": "#FFE4A8",
        "sun": "#FFF3C6",
        "moon": "#FFF6E0",
        "star": "#FFFFFF",
        "cloud": "#FFD6CF",
        "far": "#A295BE",
        "mid": "#6F6C9E",
        "near": "#3E3F6C",
        "snow": "#FFF1EC",
        "water": "#7C86B8",
        "shine": "#FFE9C0",
        "sand": "#F0CFA8",
        "foliage": "#3B4A62",
        "building": "#4E4F7A",
        "window": "#FFE2A6",
        "light": "#FFF0C2",
        "ink": "#2D2E4F",
        "paper": "#FBF5EC",
    },
    "dusk": {
        "sky0": "#121A44",
        "sky1": "#3E3F7E",
        "sky2": "#C07596",
        "sun": "#FFC9A8",
        "moon": "#F3E9D2",
        "star": "#FFFFFF",
        "cloud": "#6A5A8E",
        "far": "#4C4477",
        "mid": "#2F2C58",
        "near": "#17173A",
        "snow": "#C9C6E6",
        "water": "#2C2D63",
        "shine": "#E8A6B8",
        "sand": "#8D7398",
        "foliage": "#1D1E40",
        "building": "#24244A",
        "window": "#FFD27A",
        "light": "#FFE6A6",
        "ink": "#1A1836",
        "paper": "#F4F0F7",
    },
    "night": {
        "sky0": "#060A1E",
        "sky1": "#111A3C",
        "sky2": "#283565",
        "sun": "#F2EBD3",
        "moon": "#F2EBD3",
        "star": "#FFFFFF",
        "cloud": "#2E3966",
        "far": "#1F2850",
        "mid": "#151C3A",
        "near": "#0A0F26",
        "snow": "#B9C6E4",
        "water": "#0D1A3C",
        "shine": "#8FA6E0",
        "sand": "#3A4266",
        "foliage": "#0E1A2E",
        "building": "#141B36",
        "window": "#FFD36B",
        "light": "#FFE9A6",
        "ink": "#0B1024",
        "paper": "#EEF1F8",
    },
}
_NEON = {
    "sky0": "#07021A", "sky1": "#1B0638", "sky2": "#3A0B5C", "sun": "#FF3FD0", "moon": "#9AF6FF",
    "star": "#9AF6FF", "cloud": "#2A0B4A", "far": "#12052C", "mid": "#0E0424", "near": "#08021A",
    "snow": "#9AF6FF", "water": "#0A0322", "shine": "#00E5FF", "sand": "#1A0736", "foliage": "#0C0420",
    "building": "#0E0428", "window": "#FFE45C", "light": "#00E5FF", "ink": "#FF3FD0", "paper": "#07021A",
}  # fmt: skip


def scheme(time: str, treatment: str, weather: list[str], rng: random.Random) -> dict[str, str]:
    """Colours per role for an unconstrained scene; the seed turns the hues a few degrees."""
    if treatment == "neon":
        colours = dict(_NEON)
    else:
        colours = dict(_PRESETS.get(time, _PRESETS["day"]))
        turn = rng.uniform(-0.025, 0.025)
        for role, value in colours.items():
            if role in ("star", "cloud", "snow", "paper", "ink"):
                continue
            h, lightness, s = to_hls(value)
            colours[role] = from_hls(h + turn, lightness, s)
    if "rain" in weather or ("clouds" in weather and time == "day"):
        grey = "#6E7680" if time in ("day", "sunrise") else "#2A2E3C"
        for role in ("sky0", "sky1", "sky2", "far", "water", "cloud"):
            colours[role] = mix(colours[role], grey, 0.45 if "rain" in weather else 0.2)
        colours["cloud"] = mix(colours["cloud"], "#9AA1AB" if time == "day" else "#4A4F60", 0.5)
    if "snow" in weather or "snowfall" in weather:
        colours["near"] = mix(colours["near"], colours["snow"], 0.25)
    return colours


def from_palette(palette: list[str], time: str) -> dict[str, str]:
    """Every role from the brand's colours only. Light colours go to the sky (lighter near
    the horizon by day, the darkest at the top by night), dark ones to the land, nearer
    darker; lights (sun, windows) take the colour that stands out most on the sky."""
    ordered = sorted(dict.fromkeys(palette), key=lambda c: (luminance(c), c))
    dark, light = ordered[0], ordered[-1]
    n = len(ordered)

    def at(frac: float) -> str:
        return ordered[min(n - 1, max(0, round(frac * (n - 1))))]

    night = time in ("night", "dusk")
    sky = [at(0.0), at(0.34), at(0.5)] if night and n > 2 else [at(0.67), at(0.84), light]
    land = [at(0.67 if night else 0.5), at(0.34), dark] if n > 2 else [dark, dark, dark]
    if n == 2:
        sky = [light, light, light]
    # the sun is the brand's most vivid colour that stands off the sky
    standing = [c for c in ordered if c not in sky and contrast(c, sky[1]) >= 1.15] or ordered
    sun = max(standing, key=lambda c: (to_hls(c)[2] * (0.25 + min(to_hls(c)[1], 1 - to_hls(c)[1])), c))
    bright = light if luminance(light) - luminance(land[2]) > 0.2 else sun
    return {
        "sky0": sky[0], "sky1": sky[1], "sky2": sky[2], "sun": sun, "moon": bright, "star": bright,
        "cloud": light if not night else at(0.5), "far": land[0], "mid": land[1], "near": land[2],
        "snow": light, "water": land[1] if n > 3 else land[0], "shine": bright, "sand": at(0.67),
        "foliage": land[2], "building": land[1], "window": bright, "light": bright, "ink": dark, "paper": light,
    }  # fmt: skip
