"""What people build: skylines with lit windows (more of them lit by night), a lighthouse
on its rock with a beam after dark, and simple houses for villages and cabins."""

from __future__ import annotations

from atelier.design.colors import mix
from atelier.design.scenes.draw import Drawing, poly, rect


def skyline(d: Drawing, base: float, *, night: bool, layers: int = 2) -> None:
    for k in range(layers):
        near = k == layers - 1
        tall = d.height * (0.22 if not near else 0.3)
        x = d.x0 - d.unit * 2
        towers: list[str] = []
        lit: list[str] = []
        dark_windows: list[str] = []
        while x < d.x0 + d.width:
            w = d.width * d.rng.uniform(0.05, 0.1) * (1.25 if near else 1)
            h = tall * d.rng.uniform(0.35, 1.0)
            top = base - h
            towers.append(rect(x, top, x + w, d.y0 + d.height))
            kind = d.rng.random()
            if kind < 0.18:  # a spire
                towers.append(poly([(x + w * 0.42, top), (x + w * 0.5, top - h * 0.18), (x + w * 0.58, top)]))
            elif kind < 0.32:  # a stepped crown
                towers.append(rect(x + w * 0.2, top - h * 0.06, x + w * 0.8, top + 1))
            if near or k == layers - 2:
                _windows(d, x, top, w, base, lit, dark_windows, night=night, small=not near)
            x += w + d.unit * d.rng.uniform(0.1, 1.2)
        colour = d.c("building") if near else (mix(d.c("building"), d.c("sky2"), 0.35) if not d.strict else d.c("far"))
        d.shape("".join(towers), colour, role="building", stroke_role=k)
        if dark_windows and not d.strict:
            d.shape("".join(dark_windows), d.c("sky1"), role="detail", opacity=0.35)
        if lit:
            d.light("".join(lit), d.c("window"))


def _windows(
    d: Drawing,
    x: float,
    top: float,
    w: float,
    base: float,
    lit: list[str],
    dark: list[str],
    *,
    night: bool,
    small: bool,
) -> None:
    cell = d.unit * (1.4 if small else 2.0)
    cols = max(1, int((w - cell * 0.6) / cell))
    rows = max(1, int((base - top - cell) / (cell * 1.3)))
    pad = (w - cols * cell) / 2
    chance = 0.45 if night else 0.12
    for r in range(rows):
        for c in range(cols):
            wx = x + pad + c * cell + cell * 0.22
            wy = top + cell * 0.8 + r * cell * 1.3
            if wy + cell * 0.6 > base:
                continue
            target = lit if d.rng.random() < chance else dark
            target.append(rect(wx, wy, wx + cell * 0.56, wy + cell * 0.62))


def lighthouse(d: Drawing, x: float, base: float, h: float, *, night: bool) -> None:
    w_foot, w_head = h * 0.2, h * 0.12
    rock = poly(
        [(x - h * 0.42, base + h * 0.12), (x - h * 0.3, base - h * 0.02), (x - h * 0.08, base - h * 0.05),
         (x + h * 0.18, base - h * 0.04), (x + h * 0.38, base + h * 0.04), (x + h * 0.5, base + h * 0.14)]
    )  # fmt: skip
    d.shape(rock, d.c("near"), role="land", stroke_role=2)
    top = base - h * 0.78
    tower = [
        (x - w_foot / 2, base - h * 0.02),
        (x - w_head / 2, top),
        (x + w_head / 2, top),
        (x + w_foot / 2, base - h * 0.02),
    ]
    d.shape(poly(tower), d.c("paper") if d.treatment != "neon" else d.c("building"), role="building", stroke_role=1)
    stripes = []
    for k in range(3):
        a = base - h * 0.02 - (h * 0.76) * (k * 2 + 1) / 7
        b = a - h * 0.76 / 7
        wa = w_foot + (w_head - w_foot) * (base - a) / (base - top)
        wb = w_foot + (w_head - w_foot) * (base - b) / (base - top)
        stripes.append(poly([(x - wa / 2, a), (x - wb / 2, b), (x + wb / 2, b), (x + wa / 2, a)]))
    d.shape("".join(stripes), d.c("sun") if d.strict else "#C8323C", role="detail")
    gallery = rect(x - w_head * 0.75, top - h * 0.02, x + w_head * 0.75, top + h * 0.01)
    lamp = rect(x - w_head * 0.38, top - h * 0.11, x + w_head * 0.38, top - h * 0.02)
    roof = poly([(x - w_head * 0.55, top - h * 0.11), (x, top - h * 0.19), (x + w_head * 0.55, top - h * 0.11)])
    d.shape(gallery + roof, d.c("near"), role="building", stroke_role=1)
    d.light(lamp, d.c("light"))
    if night:
        cy = top - h * 0.065
        reach = d.width * 0.5
        side = -1 if x > d.x0 + d.width / 2 else 1
        beam = poly(
            [
                (x, cy - h * 0.02),
                (x + side * reach, cy - h * 0.14),
                (x + side * reach, cy + h * 0.1),
                (x, cy + h * 0.02),
            ]
        )
        d.light(beam, d.c("light"), opacity=0.22)


def house(d: Drawing, x: float, base: float, w: float, *, night: bool, snow: bool) -> None:
    h = w * 0.62
    body = rect(x, base - h, x + w, base)
    roof_pts = [(x - w * 0.1, base - h), (x + w / 2, base - h - w * 0.45), (x + w * 1.1, base - h)]
    d.shape(body, d.c("building") if d.treatment != "line" else d.c("paper"), role="building", stroke_role=0)
    d.shape(poly(roof_pts), d.c("near") if not snow else d.c("snow"), role="building", stroke_role=1)
    chimney = rect(x + w * 0.7, base - h - w * 0.38, x + w * 0.82, base - h - w * 0.18)
    d.shape(chimney, d.c("near"), role="building", stroke_role=1)
    door = rect(x + w * 0.42, base - h * 0.5, x + w * 0.58, base)
    d.shape(door, d.c("near"), role="detail")
    win = rect(x + w * 0.12, base - h * 0.7, x + w * 0.3, base - h * 0.42) + rect(
        x + w * 0.7, base - h * 0.7, x + w * 0.88, base - h * 0.42
    )
    d.light(win, d.c("window") if night else mix(d.c("window"), d.c("sky1"), 0.3) if not d.strict else d.c("window"))


def village(d: Drawing, base: float, *, night: bool, snow: bool) -> None:
    count = 2 + d.rng.randrange(3)
    start = d.x0 + d.width * d.rng.uniform(0.08, 0.4)
    for i in range(count):
        w = d.width * d.rng.uniform(0.07, 0.11)
        x = start + i * w * d.rng.uniform(1.3, 1.7)
        if x + w > d.x0 + d.width * 0.95:
            break
        house(d, x, base + d.unit * d.rng.uniform(-0.5, 1.5), w, night=night, snow=snow)
