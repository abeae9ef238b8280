"""Land and water: mountain ridges by midpoint displacement (snow on the high peaks), rolling
hills, pine forests, a beach with its foam line and palms, and water with waves and the
sun's reflection."""

from __future__ import annotations

import math

from atelier.design.colors import mix
from atelier.design.scenes.draw import Drawing, Point, circle, fmt, poly, rect


def ridge(d: Drawing, base: float, height: float, roughness: float, steps: int = 7) -> list[Point]:
    """A ridge line across the drawing: ``base`` is its mean height, peaks rise up to ``height``."""
    n = 2**steps
    ys = [0.0] * (n + 1)
    ys[0], ys[n] = d.rng.uniform(-0.3, 0.3), d.rng.uniform(-0.3, 0.3)
    span, scale = n, 1.0
    while span > 1:
        half = span // 2
        for i in range(half, n, span):
            ys[i] = (ys[i - half] + ys[i + half]) / 2 + d.rng.uniform(-scale, scale)
        span, scale = half, scale * roughness
    low, high = min(ys), max(ys)
    return [(d.x0 + d.width * i / n, base - height * (ys[i] - low) / max(1e-6, high - low)) for i in range(n + 1)]


def _closed(d: Drawing, line: list[Point]) -> list[Point]:
    bottom = d.y0 + d.height
    return [(line[0][0], bottom), *line, (line[-1][0], bottom)]


def mountains(d: Drawing, horizon: float, *, snow: bool, layers: int = 3) -> None:
    for k in range(layers):
        depth = k / max(1, layers - 1)  # 0 far … 1 near
        height = d.height * (0.32 - depth * 0.17) * d.rng.uniform(0.85, 1.1)
        base = horizon + d.height * depth * (0.26 if layers > 2 else 0.06)
        line = ridge(d, base, height, 0.5 + depth * 0.08)
        at = depth * 2
        fill = _depth_colour(d, at)
        shape = _closed(d, line)
        d.shape(poly(shape), fill, points=shape, stroke_role=k)
        if snow or (k == 0 and height > d.height * 0.28):
            caps(d, line, base - height * 0.62, d.c("snow"))


def _depth_colour(d: Drawing, at: float) -> str:
    """far (0) → mid (1) → near (2); a brand drawing snaps to the nearest of the three."""
    roles = ("far", "mid", "near")
    if d.strict:
        return d.c(roles[min(2, round(at))])
    k = min(1, int(at))
    return mix(d.c(roles[k]), d.c(roles[k + 1]), at - k)


def caps(d: Drawing, line: list[Point], snowline: float, colour: str) -> None:
    """Snow on each run of the ridge above ``snowline``, with a ragged lower edge."""
    runs: list[list[Point]] = []
    current: list[Point] = []
    for point in line:
        if point[1] < snowline:
            current.append(point)
        elif current:
            runs.append(current)
            current = []
    if current:
        runs.append(current)
    paths = []
    for run in runs:
        if len(run) < 3:
            continue
        edge = []
        x_start, x_end = run[0][0], run[-1][0]
        steps = max(3, len(run) // 2)
        for i in range(steps + 1):
            x = x_end - (x_end - x_start) * i / steps
            edge.append((x, snowline + d.rng.uniform(-0.6, 1.4) * d.unit * (1.5 if i % 2 else 0.4)))
        paths.append(poly(run + edge))
    if paths:
        d.shape("".join(paths), colour, role="detail")


def hills(d: Drawing, horizon: float, layers: int = 2) -> None:
    for k in range(layers):
        depth = k / max(1, layers - 1)
        base = horizon + d.height * (0.03 + depth * 0.12)
        amp = d.height * (0.05 - depth * 0.015)
        phase, freq = d.rng.random() * 6.28, d.rng.uniform(1.2, 2.4)
        line = [
            (
                d.x0 + d.width * i / 64,
                base - amp * (1 + math.sin(phase + freq * math.pi * i / 64) * 0.8 + math.sin(phase * 2 + i / 7) * 0.2),
            )
            for i in range(65)
        ]
        role = "mid" if k < layers - 1 else "near"
        colour = d.c("foliage") if role == "near" and "foliage" in d.colours else d.c(role)
        shape = _closed(d, line)
        d.shape(poly(shape), mix(colour, d.c("mid"), 0.3) if not d.strict else colour, points=shape, stroke_role=k + 1)


def pine(x: float, base: float, h: float) -> list[Point]:
    w = h * 0.42
    tiers = [(0.0, 1.0), (0.3, 0.78), (0.56, 0.56)]
    points: list[Point] = [(x - h * 0.05, base), (x - h * 0.05, base - h * 0.12)]
    for start, scale in tiers:
        y = base - h * 0.12 - h * start * 0.88
        points += [(x - w / 2 * scale, y), (x - w * 0.16 * scale, y - h * 0.2)]
    points.append((x, base - h))
    right = [(2 * x - px, py) for px, py in reversed(points[:-1])]
    return points + right


def forest(d: Drawing, horizon: float, rows: int = 2, *, snow: bool = False) -> None:
    for k in range(rows):
        depth = k / max(1, rows - 1)
        base = horizon + d.height * (0.05 + depth * 0.22)
        size = d.height * (0.09 + depth * 0.1)
        trees, x = [], d.x0 - size * 0.2
        while x < d.x0 + d.width + size * 0.2:
            h = size * d.rng.uniform(0.7, 1.25)
            trees.append(poly(pine(x, base + d.rng.uniform(0, 0.02) * d.height, h)))
            x += size * d.rng.uniform(0.22, 0.4)
        ground = rect(d.x0, base - d.unit * 0.2, d.x0 + d.width, d.y0 + d.height)
        colour = (
            d.c("foliage") if k == rows - 1 else mix(d.c("foliage"), d.c("far"), 0.45) if not d.strict else d.c("mid")
        )
        d.shape("".join(trees) + ground, colour, stroke_role=k + 2)
        if snow:
            d.shape(rect(d.x0, base, d.x0 + d.width, d.y0 + d.height), d.c("snow"), role="detail")


def water(d: Drawing, top: float, sun_x: float | None, *, calm: bool = False) -> None:
    x0, x1, bottom = d.x0, d.x0 + d.width, d.y0 + d.height
    fill = d.vertical(top, bottom, [(0.0, mix(d.c("water"), d.c("sky2"), 0.3)), (1.0, d.c("water"))])
    d.shape(rect(x0, top, x1, bottom), fill or d.c("water"), role="water")
    # waves: short arcs, denser and longer towards the viewer
    lines = []
    rows = 14 if not calm else 7
    for r in range(rows):
        t = (r + 1) / rows
        y = top + (bottom - top) * t**1.6
        for _ in range(int(3 + t * 7)):
            x = x0 + d.rng.random() * d.width
            length = d.unit * (1.5 + t * 6) * d.rng.uniform(0.6, 1.3)
            lift = d.unit * (0.2 + t * 0.5)
            lines.append(f"M{fmt(x)} {fmt(y)}q{fmt(length / 2)} {fmt(-lift)} {fmt(length)} 0")
    d.strokes("".join(lines), d.c("shine"), max(1.0, d.unit * 0.28), opacity=0.55)
    if sun_x is not None:
        glints = []
        for r in range(12):
            y = top + d.unit * (0.6 + r * 1.8) * (1 + r * 0.12)
            if y > bottom:
                break
            w = d.unit * (9 - r * 0.5) * d.rng.uniform(0.6, 1.1)
            glints.append(rect(sun_x - w / 2, y, sun_x + w / 2, y + d.unit * 0.45))
        d.light("".join(glints), d.c("sun"), opacity=0.75)


def beach(d: Drawing, horizon: float, *, palms: bool) -> float:
    """Sand in the foreground, rising from one side; returns the shoreline's height."""
    shore = horizon + d.height * d.rng.uniform(0.2, 0.26)
    left = d.rng.random() < 0.5
    line = []
    for i in range(41):
        t = i / 40
        lift = (1 - t if left else t) * d.height * 0.1
        line.append((d.x0 + d.width * t, shore - lift + math.sin(t * 9) * d.unit * 0.6))
    shape = _closed(d, line)
    d.shape(poly(shape), d.c("sand"), points=shape, role="land", stroke_role=2)
    d.strokes(poly(line, closed=False), d.c("shine"), d.unit * 0.6, opacity=0.8)
    if palms:
        for side in (0.12, 0.2) if left else (0.8, 0.9):
            x = d.x0 + d.width * side
            palm(
                d,
                x,
                shore - d.height * 0.08 * (1 if left == (side < 0.5) else 0.2),
                d.height * d.rng.uniform(0.25, 0.33),
                left,
            )
    return shore


def palm(d: Drawing, x: float, base: float, h: float, lean_left: bool) -> None:
    lean = (-1 if not lean_left else 1) * h * 0.18
    top = (x + lean, base - h)
    trunk = []
    for i in range(11):
        t = i / 10
        cx = x + lean * t * t
        w = d.unit * (1.3 - t * 0.6)
        trunk.append((cx - w, base - h * t))
    trunk += [(px + 2 * d.unit * (1.3 - (10 - i) / 10 * 0.6), py) for i, (px, py) in enumerate(reversed(trunk))]
    fronds = []
    for k in range(7):
        a = math.pi * (0.08 + k / 6 * 0.84) + d.rng.uniform(-0.1, 0.1)
        reach = h * d.rng.uniform(0.32, 0.45)
        tip = (top[0] - math.cos(a) * reach, top[1] + reach * 0.25 - math.sin(a) * reach * 0.35 + reach * 0.25)
        mid = ((top[0] + tip[0]) / 2, min(top[1], tip[1]) - reach * 0.15)
        w = d.unit * 1.6
        fronds.append(
            f"M{fmt(top[0])} {fmt(top[1])}Q{fmt(mid[0])} {fmt(mid[1] - w)} {fmt(tip[0])} {fmt(tip[1])}"
            f"Q{fmt(mid[0])} {fmt(mid[1] + w)} {fmt(top[0])} {fmt(top[1])}Z"
        )
    d.shape(poly(trunk), d.c("near"), role="land", stroke_role=3)
    d.shape("".join(fronds) + circle(top[0], top[1], d.unit * 1.2), d.c("foliage"), role="land", stroke_role=3)
