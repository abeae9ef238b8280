"""Skies: the gradient (or bands) of the time of day, the sun with its glow (striped in
retro), the moon with its craters, stars, and clouds."""

from __future__ import annotations

import math

from atelier.design.scenes.draw import Drawing, circle, ellipse, poly, rect


def sky(d: Drawing, horizon: float) -> None:
    x0, y0, x1, y1 = d.x0, d.y0, d.x0 + d.width, d.y0 + d.height
    stops = [(0.0, d.c("sky0")), (0.55, d.c("sky1")), (1.0, d.c("sky2"))]
    fill = d.vertical(y0, horizon, stops)
    if d.treatment == "line":
        d.parts.append(f'<path d="{rect(x0, y0, x1, y1)}" fill="{d.c("paper")}"/>')
        return
    if fill is None:
        d.bands(x0, y0, x1, horizon + 1, stops, 3 if d.strict else (7 if d.treatment == "retro" else 5))
        d.parts.append(f'<path d="{rect(x0, horizon, x1, y1)}" fill="{d.c("sky2")}"/>')
    else:
        d.parts.append(f'<path d="{rect(x0, y0, x1, y1)}" fill="{fill}"/>')


def sun(d: Drawing, cx: float, cy: float, r: float, horizon: float) -> None:
    if not d.strict and d.treatment not in ("line",):
        for grow, alpha in ((2.6, 0.10), (1.8, 0.16), (1.35, 0.22)):
            d.light(circle(cx, cy, r * grow), d.c("sun"), opacity=alpha, glow=False)
    if d.treatment in ("retro", "neon"):
        # the classic striped sun: slices with widening gaps towards its foot
        top, bottom = cy - r, min(cy + r, horizon)
        y, gap, k = cy - r * 0.1, r * 0.05, 0
        slices = [(top, y)]
        while y < bottom:
            nxt = y + gap
            h = r * 0.16 - k * r * 0.012
            slices.append((nxt, min(bottom, nxt + max(h, r * 0.05))))
            y, gap, k = nxt + max(h, r * 0.05), gap * 1.18, k + 1
        for a, b in slices:
            if b <= a:
                continue
            d.light(_disc_slice(cx, cy, r, a, b), d.c("sun"))
        return
    clip_bottom = horizon
    if cy + r > clip_bottom:
        d.light(_disc_slice(cx, cy, r, cy - r, clip_bottom), d.c("sun"))
    else:
        d.light(circle(cx, cy, r), d.c("sun"))


def _disc_slice(cx: float, cy: float, r: float, a: float, b: float) -> str:
    """The part of a disc between heights ``a`` and ``b`` as one outline."""
    steps = 18
    left, right = [], []
    for i in range(steps + 1):
        y = a + (b - a) * i / steps
        half = math.sqrt(max(0.0, r * r - (y - cy) ** 2))
        left.append((cx - half, y))
        right.append((cx + half, y))
    return poly(left + right[::-1])


def moon(d: Drawing, cx: float, cy: float, r: float) -> None:
    if not d.strict and d.treatment != "line":
        for grow, alpha in ((2.2, 0.06), (1.5, 0.1)):
            d.light(circle(cx, cy, r * grow), d.c("moon"), opacity=alpha, glow=False)
    d.light(circle(cx, cy, r), d.c("moon"))
    if d.strict or d.treatment == "line":
        return
    for dx, dy, s in ((-0.3, -0.2, 0.18), (0.25, 0.1, 0.13), (-0.05, 0.4, 0.1), (0.35, -0.35, 0.08)):
        d.shape(circle(cx + dx * r, cy + dy * r, s * r), d.c("sky2"), role="detail", opacity=0.22)


def stars(d: Drawing, horizon: float, count: int, avoid: tuple[float, float, float] | None) -> None:
    dots, sparkles = [], []
    for _ in range(count):
        x = d.x0 + d.rng.random() * d.width
        y = d.y0 + (d.rng.random() ** 1.4) * (horizon - d.y0) * 0.85
        if avoid and math.hypot(x - avoid[0], y - avoid[1]) < avoid[2] * 1.8:
            continue
        s = d.fine(d.unit * (0.12 + d.rng.random() ** 3 * 0.35) * 2) / 2
        if d.rng.random() < 0.06:
            a, b = s * 4, s * 0.9
            sparkles.append(
                poly(
                    [
                        (x, y - a),
                        (x + b, y - b),
                        (x + a, y),
                        (x + b, y + b),
                        (x, y + a),
                        (x - b, y + b),
                        (x - a, y),
                        (x - b, y - b),
                    ]
                )
            )
        else:
            dots.append(circle(x, y, s))
    if dots:
        d.light("".join(dots), d.c("star"))
    if sparkles:
        d.light("".join(sparkles), d.c("star"))


def cloud(d: Drawing, cx: float, cy: float, w: float, *, dark: bool = False) -> None:
    """A cumulus: overlapping lobes on a flat base."""
    h = w * 0.32
    lobes = []
    n = 4 + d.rng.randrange(3)
    for i in range(n):
        t = (i + 0.5) / n
        rx = w * (0.16 + d.rng.random() * 0.08)
        ry = h * (0.45 + math.sin(t * math.pi) * 0.55) * (0.8 + d.rng.random() * 0.3)
        lobes.append(ellipse(cx - w / 2 + t * w, cy - ry * 0.4, rx, ry))
    base = ellipse(cx, cy - h * 0.1, w * 0.42, h * 0.28)
    colour = d.c("cloud") if not dark else d.c("far")
    if d.treatment == "line":
        # the outline of the union: a wide ink stroke under a paper fill of the same lobes
        outline = "".join(lobes) + base
        d.parts.append(
            f'<path d="{outline}" fill="none" stroke="{d.c("ink")}" stroke-width="{max(2.4, d.unit * 0.64):.1f}"/>'
        )
        d.parts.append(f'<path d="{outline}" fill="{d.c("paper")}"/>')
        return
    alpha = "" if d.strict else ' fill-opacity="0.92"'
    d.parts.append(f'<path d="{"".join(lobes)}{base}" fill="{colour}"{alpha}/>')


def clouds(d: Drawing, horizon: float, count: int, *, dark: bool = False, low: bool = False) -> None:
    """``low`` keeps them off the top of the sky (where the copy goes)."""
    for i in range(count):
        w = d.width * (0.18 + d.rng.random() * 0.16)
        cx = d.x0 + d.width * ((i + 0.2 + d.rng.random() * 0.6) / count)
        cy = d.y0 + (horizon - d.y0) * ((0.6 if low else 0.18) + d.rng.random() * (0.22 if low else 0.4))
        cloud(d, cx, cy, w, dark=dark)
