"""From a scene plan to an SVG group: the layers drawn back to front (sky, lights, clouds,
mountains, skyline, hills, water, forest, village, lighthouse, beach, fog, weather), or a
staged object. The same plan and seed always draw the same shapes."""

from __future__ import annotations

import random
from typing import Any

from atelier.design.colors import mix
from atelier.design.scenes import built, land, sky, weather
from atelier.design.scenes.draw import Drawing, ellipse, fmt, rect
from atelier.design.scenes.plan import PLACES


def paint(scene: dict[str, Any], box: tuple[float, float, float, float]) -> str:
    x0, y0, x1, y1 = box
    rng = random.Random(int(scene["seed"]))
    d = Drawing(
        x0=x0,
        y0=y0,
        width=x1 - x0,
        height=y1 - y0,
        treatment=str(scene["treatment"]),
        strict=bool(scene.get("strict")),
        colours=dict(scene["colours"]),
        rng=rng,
    )
    if scene.get("stage"):
        _studio(d, scene["stage"])
    else:
        _landscape(d, scene)
    if scene.get("mirror"):
        # left for right about the box's centre line
        return f'<g transform="matrix(-1 0 0 1 {fmt(x0 + x1)} 0)">{d.svg()}</g>'
    return d.svg()


def _landscape(d: Drawing, scene: dict[str, Any]) -> None:
    elements: list[str] = list(scene["elements"])
    wx: list[str] = list(scene["weather"])
    time = str(scene["time"])
    has = elements.__contains__
    wet = has("water") or has("beach") or has("lighthouse")
    low, high = (0.6, 0.72) if has("city") and not has("mountains") else (0.52, 0.6 if wet else 0.64)
    # a mirrored variation also sets its horizon in the other part of the range
    share = d.rng.uniform(0.65, 1.0) if scene.get("mirror") else d.rng.uniform(0.0, 0.35)
    horizon = d.y0 + d.height * (low + (high - low) * share)
    night = time in ("night", "dusk")
    copy = bool(scene.get("copy"))  # the copy takes the top of the sky: lights go lower and aside
    overcast = "rain" in wx or ("clouds" in wx and "rain" in wx)
    sky.sky(d, horizon)
    sun_x: float | None = None
    if night and not overcast:
        sky.stars(d, horizon, 150 if time == "night" else 60, None)
        if time == "night" or d.rng.random() < 0.5:
            r = d.unit * d.rng.uniform(5, 7.5)
            mx = d.x0 + d.width * d.rng.choice((0.74, 0.8) if copy else (0.22, 0.74, 0.8))
            my = d.y0 + (horizon - d.y0) * (d.rng.uniform(0.62, 0.72) if copy else d.rng.uniform(0.25, 0.4))
            sky.moon(d, mx, my, r)
            sun_x = mx if wet else None
    elif not overcast:
        low_sun = time in ("sunset", "sunrise")
        r = d.unit * (d.rng.uniform(11, 16) if low_sun else d.rng.uniform(6, 8))
        sx = d.x0 + d.width * (
            d.rng.uniform(0.68, 0.8) if copy and d.width > d.height * 1.6 else d.rng.uniform(0.3, 0.7)
        )
        sy = horizon - r * 0.35 if low_sun else d.y0 + d.height * d.rng.uniform(0.12, 0.2)
        if copy and not low_sun:
            sy = d.y0 + (horizon - d.y0) * 0.62
        if has("mountains") and low_sun:
            sy = horizon - d.height * 0.2
        sky.sun(d, sx, sy, r, horizon)
        sun_x = sx
    if "clouds" in wx or overcast:
        sky.clouds(d, horizon, 5, dark="rain" in wx, low=bool(scene.get("copy")))
    elif time in ("day", "sunset", "sunrise") and d.treatment != "neon":
        sky.clouds(d, horizon, d.rng.randrange(1, 3), low=bool(scene.get("copy")))
    if "lightning" in wx:
        weather.lightning(d, horizon)
    if has("mountains"):
        land.mountains(d, horizon, snow=has("snow"), layers=4 if not wet else 2)
    if has("city"):
        built.skyline(d, horizon + (d.unit * 0.5 if wet else d.height * 0.02), night=night or d.treatment == "neon")
    if has("hills") or (has("village") and not wet) or (has("snow") and not (wet or has("mountains") or has("city"))):
        if has("snow"):
            snowy = d.c("snow") if d.strict else mix(d.c("snow"), d.c("far"), 0.25)
            d.colours["mid"], d.colours["near"] = snowy, d.c("snow")
        land.hills(d, horizon)
    if wet:
        land.water(d, horizon, sun_x, calm=not has("beach") and "rain" not in wx)
    if has("forest"):
        land.forest(d, horizon - d.unit * 1.5 if wet else horizon, rows=1 if wet else 2, snow=has("snow") and not wet)
    if has("village"):
        built.village(d, horizon + d.height * (0.0 if wet else 0.09), night=night, snow=has("snow"))
    if has("lighthouse"):
        side = d.rng.choice((0.24, 0.76))
        built.lighthouse(
            d, d.x0 + d.width * side, horizon + d.height * 0.12, d.height * 0.4, night=night or "rain" in wx
        )
    if has("beach"):
        land.beach(d, horizon, palms=bool(scene.get("palms")))
    if "fog" in wx:
        weather.fog(d, horizon)
    if "rain" in wx:
        weather.rain(d)
    if "snowfall" in wx:
        weather.snowfall(d)


def _studio(d: Drawing, stage: dict[str, Any]) -> None:
    """A product on a seamless sweep with a soft shadow; an accessory placed on its subject."""
    x0, y0, x1, y1 = d.x0, d.y0, d.x0 + d.width, d.y0 + d.height
    paper, tone = d.c("paper"), d.c("sky2")
    floor = y0 + d.height * 0.7
    sweep = d.vertical(y0, y1, [(0.0, mix(paper, tone, 0.25)), (0.62, paper), (1.0, mix(paper, tone, 0.45))])
    if sweep is None:
        d.bands(
            x0,
            y0,
            x1,
            y1,
            [(0.0, mix(paper, tone, 0.2) if not d.strict else paper), (1.0, paper)],
            1 if d.strict else 4,
        )
    else:
        d.parts.append(f'<path d="{rect(x0, y0, x1, y1)}" fill="{sweep}"/>')
    side = min(d.width, d.height) * 0.58
    cx = (x0 + x1) / 2
    ix0, _, ix1, iy1 = (float(v) for v in stage["object"].get("ink") or (0, 0, 1, 1))
    # the icon's ink stands on the floor, centred
    left = cx - side * (ix0 + ix1) / 2
    obj = (left, floor - side * iy1, left + side, floor - side * iy1 + side)
    shadow = ellipse(cx, floor + side * 0.01, side * (ix1 - ix0) * 0.55, side * 0.045)
    if d.strict or d.treatment == "line":
        d.shape(shadow, d.c("mid"), role="detail")
    else:
        gid = f"shadow{d.rng.randrange(10**6)}"
        d.defs.append(
            f'<filter id="{gid}" x="-50%" y="-200%" width="200%" height="500%">'
            f'<feGaussianBlur stdDeviation="{fmt(side * 0.03)}"/></filter>'
        )
        d.parts.append(f'<path d="{shadow}" fill="#000000" fill-opacity="0.28" filter="url(#{gid})"/>')
    fill = stage.get("fill") or d.c("sun")
    _icon(d, stage["object"], obj, fill if not d.strict else d.c("near"))
    accessory = stage.get("accessory")
    if accessory:
        fx, fy, size = PLACES.get(str(accessory.get("place")), PLACES["hand"])
        s = side * size
        ax, ay = obj[0] + side * fx, obj[1] + side * fy
        colour = d.c("near") if not d.strict else d.c("sun")
        if colour == fill:
            colour = d.c("ink")
        _icon(d, accessory, (ax - s / 2, ay - s / 2, ax + s / 2, ay + s / 2), colour)


def _icon(d: Drawing, icon: dict[str, Any], box: tuple[float, float, float, float], fill: str) -> None:
    vx, vy, vw, vh = (float(v) for v in icon["view"])
    w, h = box[2] - box[0], box[3] - box[1]
    scale = min(w / vw, h / vh)
    ox = box[0] + (w - vw * scale) / 2 - vx * scale
    oy = box[1] + (h - vh * scale) / 2 - vy * scale
    paths = "".join(f'<path d="{p}"/>' for p in icon["paths"])
    paint = (
        f'fill="{fill}"' if d.treatment != "line" else f'fill="none" stroke="{d.c("ink")}" stroke-width="{fmt(0.6)}"'
    )
    d.parts.append(f'<g transform="translate({fmt(ox)} {fmt(oy)}) scale({scale:.5f})" {paint}>{paths}</g>')
