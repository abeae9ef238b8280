"""Weather over a scene: slanted rain, falling snow, fog banks and a lightning bolt."""

from __future__ import annotations

from atelier.design.scenes.draw import Drawing, circle, fmt, poly, rect


def rain(d: Drawing, count: int = 260) -> None:
    slant = d.unit * 1.2
    lines = []
    for _ in range(count):
        x = d.x0 + d.rng.random() * (d.width + slant * 3) - slant * 2
        y = d.y0 + d.rng.random() * d.height
        length = d.unit * d.rng.uniform(2.5, 5.0)
        lines.append(f"M{fmt(x)} {fmt(y)}l{fmt(slant * length / (d.unit * 4))} {fmt(length)}")
    d.strokes("".join(lines), d.c("shine"), max(1.0, d.unit * 0.18), opacity=0.55)


def snowfall(d: Drawing, count: int = 220) -> None:
    flakes = []
    for _ in range(count):
        x = d.x0 + d.rng.random() * d.width
        y = d.y0 + d.rng.random() * d.height
        flakes.append(circle(x, y, d.fine(d.unit * d.rng.uniform(0.3, 1.1)) / 2))
    d.light("".join(flakes), d.c("snow"), opacity=0.9, glow=False)


def fog(d: Drawing, horizon: float) -> None:
    """Soft banks over the land. A strict (brand) drawing has no translucency, so it gets
    flat ribbons in the lightest colour instead."""
    for k in range(3):
        y = horizon + d.height * (0.02 + k * 0.09) + d.rng.uniform(-1, 1) * d.unit
        if d.strict:
            d.shape(rect(d.x0, y, d.x0 + d.width, y + d.unit * 1.2), d.c("paper"), role="detail")
            continue
        band = d.vertical(y - d.unit * 8, y + d.unit * 8, [(0, d.c("cloud")), (1, d.c("cloud"))])
        d.shape(
            rect(d.x0, y - d.unit * 5, d.x0 + d.width, y + d.unit * 6), band or d.c("cloud"), role="fog", opacity=0.28
        )


def lightning(d: Drawing, horizon: float) -> None:
    x = d.x0 + d.width * d.rng.uniform(0.25, 0.75)
    y = d.y0 + d.height * 0.12
    points = [(x, y)]
    while y < horizon - d.unit * 4:
        y += d.unit * d.rng.uniform(3, 6)
        x += d.unit * d.rng.uniform(-3, 3)
        points.append((x, y))
    half = d.fine(d.unit) / 2
    left = [(px - half, py) for px, py in points]
    right = [(px + half, py + d.unit * 0.6) for px, py in reversed(points)]
    d.light(poly(left + right), d.c("light"))
